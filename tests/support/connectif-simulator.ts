/**
 * A local Connectif REST API for tests and benchmarks, as docs/connectif-api.md §12
 * specifies it: accounts with keys and scopes, purchases, contacts, a product catalogue,
 * authorised domains, the Import API (connectif-simulator-imports.ts), a per-account
 * fixed-window rate limit with its headers, and faults injected on demand (5xx, dropped
 * connections, slow answers, purchases stored but answered 500).
 *
 * Deterministic: every "random" choice comes from a seeded PRNG, never Math.random, and all its
 * time from an injectable clock. Free of vitest imports so benchmark scripts can start it too.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { z } from 'zod'
import { systemClock, type Clock } from '../../main/core/clock'
import {
  SimulatorImports,
  type ImportStats,
  type SimulatorImportOptions,
  type SimulatorImportView,
} from './connectif-simulator-imports'

export type { SimulatorImportOptions, SimulatorImportView } from './connectif-simulator-imports'
export { IMPORT_QUEUE_FULL_CODE } from './connectif-simulator-imports'

export type SimulatorScope =
  | 'read:purchases'
  | 'write:purchases'
  | 'delete:purchases'
  | 'write:contacts'
  | 'write:products'
  | 'read:imports'
  | 'write:imports'

export const ALL_SCOPES: readonly SimulatorScope[] = [
  'read:purchases',
  'write:purchases',
  'delete:purchases',
  'write:contacts',
  'write:products',
  'read:imports',
  'write:imports',
]

/** Every scope but the Import API's: a key that must create contacts and products one by one. */
export const SCOPES_WITHOUT_IMPORTS: readonly SimulatorScope[] = ALL_SCOPES.filter(
  (scope) => !scope.endsWith(':imports'),
)

export interface SimulatorKey {
  /** `KeyId:KeySecret`. */
  readonly key: string
  /** Default: every scope. */
  readonly scopes?: readonly SimulatorScope[]
}

export interface SimulatorAccountSpec {
  readonly name: string
  readonly keys: readonly SimulatorKey[]
  /** Hosts product URLs may use (a subdomain of one counts too). Default `shop.example`. */
  readonly authorisedDomains?: readonly string[]
  readonly contacts?: readonly string[]
  readonly products?: readonly string[]
  /** Requests per window, shared by all the account's keys. Default 100. */
  readonly rateLimit?: number
  /** Default 60 s. Windows are aligned on multiples of it since the epoch, like a fixed window. */
  readonly rateWindowMs?: number
}

/**
 * `x`: X-RateLimit-* with Reset in epoch seconds (documented). `draft`: RateLimit-* with Reset in
 * seconds left. `both`, or `none` to test a client that must cope without them.
 */
export type RateLimitHeaderStyle = 'x' | 'draft' | 'both' | 'none'

/** The checks after validation, in the order they run (unknown at Connectif, so configurable). */
export type BusinessCheck = 'duplicate' | 'contact' | 'products' | 'domains'

/** One injected misbehaviour. */
export type SimulatorFault =
  /** Answer 5xx without doing anything. */
  | 'error'
  /** Destroy the socket without answering, without doing anything. */
  | 'drop'
  /** Do the work (store the purchase), then answer 500. */
  | 'stored-then-500'
  /** Do the work, then destroy the socket without answering. */
  | 'stored-then-drop'

export interface SimulatorFaults {
  /** Fraction of requests answered `errorStatus`, chosen by the seeded PRNG. */
  readonly errorRate: number
  /** Every Nth request answered `errorStatus`; 0 = off. */
  readonly errorEvery: number
  readonly errorStatus: number
  readonly dropRate: number
  readonly dropEvery: number
  /** Applied to purchase creations only. */
  readonly storedThen500Rate: number
  readonly storedThen500Every: number
  /** Added before every answer (after the request is counted), slept on the simulator's clock. */
  readonly latencyMs: number
  /** Sends `Retry-After` (seconds) with 429 answers. */
  readonly retryAfterOn429: boolean
}

export interface SimulatorOptions {
  readonly accounts: readonly SimulatorAccountSpec[]
  readonly rateLimitHeaders?: RateLimitHeaderStyle
  /** Seed of the PRNG behind fault rates and ids. Default 1. */
  readonly seed?: number
  readonly faults?: Partial<SimulatorFaults>
  readonly businessChecks?: readonly BusinessCheck[]
  /** Send E0102/E0103's ids as `productsId`, as the documented example spells it. */
  readonly misspeltProductIds?: boolean
  /** Content-Type of error bodies. Default `application/json`. */
  readonly errorContentType?: string
  /**
   * The simulator's time: rate-limit windows, timestamps, the Date header and the latencyMs
   * sleeps. Default the system clock; a test shares its virtual clock with the client under test.
   */
  readonly clock?: Clock
  /** Overrides the clock's time alone (windows, timestamps, Date), not its sleeps. */
  readonly now?: () => number
  /** How imports are processed (default: finished as soon as created) and their limits. */
  readonly imports?: SimulatorImportOptions
}

export interface StoredPurchase {
  /** Connectif's own id, 24 hex digits. */
  readonly id: string
  readonly purchaseId: string
  readonly contactId: string
  readonly triggerPurchaseEvent: boolean
  readonly createdAt: string
  readonly updatedAt: string
  readonly body: Record<string, unknown>
}

export interface SimulatorAccount {
  readonly name: string
  readonly purchases: ReadonlyMap<string, StoredPurchase>
  /** purchaseId → successful creations (more than 1 only after a delete). */
  readonly creations: ReadonlyMap<string, number>
  readonly contacts: ReadonlyMap<string, Record<string, unknown>>
  readonly products: ReadonlyMap<string, Record<string, unknown>>
  /** The bodies of the product PATCHes the account accepted, as sent, in order. */
  readonly productBodies: readonly {
    readonly productId: string
    readonly body: Readonly<Record<string, unknown>>
  }[]
  readonly authorisedDomains: readonly string[]
  addContact(email: string, fields?: Record<string, unknown>): void
  removeContact(email: string): void
  addProduct(productId: string, fields?: Record<string, unknown>): void
  removeProduct(productId: string): void
  setAuthorisedDomains(domains: readonly string[]): void
  setScopes(key: string, scopes: readonly SimulatorScope[]): void
  setRateLimit(limit: number, windowMs?: number): void
  /** Spends budget in the current window as another consumer of the account would (capped). */
  consumeBudget(requests: number): void
  /** The account's imports, oldest first, as they stand now. */
  imports(): SimulatorImportView[]
  /** The next imports created end in `error` (or `cancelled`), importing nothing. */
  failNextImports(...endings: ('error' | 'cancelled')[]): void
  /** Rows the filter refuses count as the import's errors and are not imported. */
  setImportRowFilter(
    filter: ((type: string, row: Readonly<Record<string, string>>) => boolean) | null,
  ): void
  /** `count` imports of another integration, each `durationMs` long, queued ahead of ours. */
  addForeignImports(count: number, durationMs: number): void
  /** Budget left in the current window. */
  remaining(): number
  readonly stats: AccountStats
}

export interface AccountStats {
  /** Requests counted against the rate limit (the 429s are not). */
  counted: number
  rateLimited: number
  purchasesStored: number
  duplicates: number
  /** Of `counted`: `POST /purchases/`, contact and product PATCHes, Import API requests. */
  purchaseRequests: number
  contactRequests: number
  productRequests: number
  importRequests: number
  /** The Import API's answers: imports created, refused, polled and listed. */
  readonly imports: ImportStats
}

export interface SimulatorStats {
  readonly requests: number
  readonly byStatus: Readonly<Record<number, number>>
  readonly rateLimited: number
  readonly purchasesStored: number
  readonly duplicates: number
  readonly dropped: number
  readonly injectedErrors: number
  /** Import API requests counted, every account together. */
  readonly importRequests: number
}

export interface ConnectifSimulator {
  /** `http://127.0.0.1:<port>`, to use as the account's API URL. */
  readonly url: string
  account(name: string): SimulatorAccount
  stats(): SimulatorStats
  resetStats(): void
  setFaults(faults: Partial<SimulatorFaults>): void
  /** These faults hit the next requests that reach the API (past auth, scope and rate limit). */
  queueFaults(...faults: SimulatorFault[]): void
  setRateLimitHeaders(style: RateLimitHeaderStyle): void
  /**
   * Answers waiting out latencyMs right now. With a virtual clock, a request is either on its way
   * or held here; time may only pass while every request in flight is held.
   */
  heldAnswers(): number
  close(): Promise<void>
}

const DEFAULT_FAULTS: SimulatorFaults = {
  errorRate: 0,
  errorEvery: 0,
  errorStatus: 503,
  dropRate: 0,
  dropEvery: 0,
  storedThen500Rate: 0,
  storedThen500Every: 0,
  latencyMs: 0,
  retryAfterOn429: false,
}

const DEFAULT_CHECKS: readonly BusinessCheck[] = ['duplicate', 'contact', 'products', 'domains']

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

/** mulberry32: small, fast and good enough to pick faults reproducibly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// Connectif accepts any ISO 8601 in practice, including PHP's offset without a colon.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/
const isoDate = z
  .string()
  .refine(
    (value) =>
      ISO_DATE_TIME.test(value) &&
      !Number.isNaN(Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))),
    { message: 'must be an ISO 8601 date-time with a time zone' },
  )

const productSchema = z.looseObject({
  productId: z.string().min(1),
  name: z.string().min(1),
  unitPrice: z.number(),
  quantity: z.number().int(),
  price: z.number(),
  productDetailUrl: z.url(),
  imageUrl: z.url().optional(),
  categories: z.array(z.string()).optional(),
  brand: z.string().optional(),
})

/**
 * An e-mail address as the simulator accepts it: something before and after one "@". Stricter
 * checks would refuse addresses PrestaShop accepted (`muñoz@example.es`, `zoe@exämple.test`),
 * which Purchase Sender now sends for Connectif to judge.
 */
const emailAddress = z.string().regex(/^[^@\s]+@[^@\s]+$/, { message: 'Invalid email address' })

const purchaseSchema = z.looseObject({
  purchaseId: z.string().min(1),
  cartId: z.string().optional(),
  contactEmail: emailAddress,
  purchaseDate: isoDate,
  paymentMethod: z.string().optional(),
  totalPrice: z.number(),
  totalQuantity: z.number().int(),
  products: z.array(productSchema),
})

interface AccountState {
  readonly name: string
  readonly keys: Map<string, Set<SimulatorScope>>
  readonly purchases: Map<string, StoredPurchase>
  readonly creations: Map<string, number>
  readonly contacts: Map<string, Record<string, unknown>>
  readonly contactIds: Map<string, string>
  readonly products: Map<string, Record<string, unknown>>
  readonly productBodies: { readonly productId: string; readonly body: Record<string, unknown> }[]
  authorisedDomains: string[]
  limit: number
  windowMs: number
  windowStart: number
  used: number
  readonly stats: AccountStats
  readonly imports: SimulatorImports
}

interface Reply {
  readonly status: number
  readonly body?: unknown
  /** Plain text instead of JSON. */
  readonly text?: string
}

export async function startConnectifSimulator(
  options: SimulatorOptions,
): Promise<ConnectifSimulator> {
  const clock = options.clock ?? systemClock
  const now = options.now ?? (() => clock.now())
  // Aborted on close, so no answer waits out its latency on a simulator that is gone.
  const closed = new AbortController()
  let held = 0
  const random = seededRandom(options.seed ?? 1)
  const checks = options.businessChecks ?? DEFAULT_CHECKS
  const errorContentType = options.errorContentType ?? 'application/json'
  let headerStyle: RateLimitHeaderStyle = options.rateLimitHeaders ?? 'x'
  let faults: SimulatorFaults = { ...DEFAULT_FAULTS, ...options.faults }
  const queued: SimulatorFault[] = []
  let reached = 0
  let creationsReached = 0
  let idCounter = 0

  const stats = {
    requests: 0,
    byStatus: {} as Record<number, number>,
    rateLimited: 0,
    purchasesStored: 0,
    duplicates: 0,
    dropped: 0,
    injectedErrors: 0,
    importRequests: 0,
  }

  const accounts = new Map<string, AccountState>()
  const byKey = new Map<string, AccountState>()
  for (const spec of options.accounts) {
    const contacts = new Map<string, Record<string, unknown>>(
      (spec.contacts ?? []).map((email) => [email.toLowerCase(), {}]),
    )
    const products = new Map<string, Record<string, unknown>>(
      (spec.products ?? []).map((id) => [id, {}]),
    )
    const imports = new SimulatorImports(
      { contacts, products },
      options.imports ?? {},
      () => newId(),
      (status, detail, extra) => error(status, detail, extra) as { status: number; body: unknown },
    )
    const state: AccountState = {
      name: spec.name,
      keys: new Map(spec.keys.map((k) => [k.key, new Set(k.scopes ?? ALL_SCOPES)])),
      purchases: new Map(),
      creations: new Map(),
      contacts,
      contactIds: new Map(),
      products,
      productBodies: [],
      authorisedDomains: [...(spec.authorisedDomains ?? ['shop.example'])],
      limit: spec.rateLimit ?? 100,
      windowMs: spec.rateWindowMs ?? 60_000,
      windowStart: 0,
      used: 0,
      stats: {
        counted: 0,
        rateLimited: 0,
        purchasesStored: 0,
        duplicates: 0,
        purchaseRequests: 0,
        contactRequests: 0,
        productRequests: 0,
        importRequests: 0,
        imports: imports.stats,
      },
      imports,
    }
    accounts.set(spec.name, state)
    for (const key of state.keys.keys()) byKey.set(key, state)
  }

  const newId = (): string => {
    idCounter += 1
    const seconds = Math.floor(now() / 1000)
      .toString(16)
      .padStart(8, '0')
    const noise = Math.floor(random() * 0xffffff)
      .toString(16)
      .padStart(6, '0')
    return `${seconds}${noise}${idCounter.toString(16).padStart(10, '0')}`.slice(0, 24)
  }

  const contactIdOf = (account: AccountState, email: string): string => {
    let id = account.contactIds.get(email)
    if (id === undefined) {
      id = newId()
      account.contactIds.set(email, id)
    }
    return id
  }

  const rollWindow = (account: AccountState, at: number): void => {
    const start = Math.floor(at / account.windowMs) * account.windowMs
    if (start !== account.windowStart) {
      account.windowStart = start
      account.used = 0
    }
  }

  const rateHeaders = (account: AccountState, at: number): Record<string, string> => {
    rollWindow(account, at)
    const remaining = String(Math.max(0, account.limit - account.used))
    const resetEpoch = Math.ceil((account.windowStart + account.windowMs) / 1000)
    const resetDelta = Math.max(0, Math.ceil((account.windowStart + account.windowMs - at) / 1000))
    const headers: Record<string, string> = {}
    if (headerStyle === 'x' || headerStyle === 'both') {
      headers['X-RateLimit-Limit'] = String(account.limit)
      headers['X-RateLimit-Remaining'] = remaining
      headers['X-RateLimit-Reset'] = String(resetEpoch)
    }
    if (headerStyle === 'draft' || headerStyle === 'both') {
      headers['RateLimit-Limit'] = String(account.limit)
      headers['RateLimit-Remaining'] = remaining
      headers['RateLimit-Reset'] = String(resetDelta)
    }
    return headers
  }

  const error = (status: number, detail: string, extra: Record<string, unknown> = {}): Reply => ({
    status,
    body: { status, title: REASONS[status] ?? 'Error', detail, ...extra },
  })

  const pickFault = (isCreation: boolean): SimulatorFault | null => {
    reached += 1
    if (isCreation) creationsReached += 1
    const next = queued.shift()
    if (next !== undefined) return next
    if (faults.dropEvery > 0 && reached % faults.dropEvery === 0) return 'drop'
    if (faults.errorEvery > 0 && reached % faults.errorEvery === 0) return 'error'
    if (
      isCreation &&
      faults.storedThen500Every > 0 &&
      creationsReached % faults.storedThen500Every === 0
    ) {
      return 'stored-then-500'
    }
    // Always draw, so the sequence of choices depends only on the seed and the request count.
    const roll = random()
    if (roll < faults.dropRate) return 'drop'
    if (roll < faults.dropRate + faults.errorRate) return 'error'
    if (isCreation && roll < faults.dropRate + faults.errorRate + faults.storedThen500Rate) {
      return 'stored-then-500'
    }
    return null
  }

  const createPurchase = (account: AccountState, body: unknown, trigger: boolean): Reply => {
    const parsed = purchaseSchema.safeParse(body)
    if (!parsed.success) {
      return error(400, 'The request body is not a valid purchase.', {
        validationErrors: parsed.error.issues.map((issue) => ({
          path: issue.path.map(String).join('.'),
          reason: issue.message,
        })),
      })
    }
    const purchase = parsed.data
    const email = purchase.contactEmail.toLowerCase()
    const idsKey = options.misspeltProductIds === true ? 'productsId' : 'productIds'
    for (const check of checks) {
      if (check === 'duplicate' && account.purchases.has(purchase.purchaseId)) {
        account.stats.duplicates += 1
        stats.duplicates += 1
        return error(409, `Purchase ${purchase.purchaseId} already exists.`)
      }
      if (check === 'contact' && !account.contacts.has(email)) {
        return error(400, `Contact ${purchase.contactEmail} does not exist.`, { code: 'E0101' })
      }
      if (check === 'products') {
        const unknown = unique(purchase.products.map((p) => p.productId)).filter(
          (id) => !account.products.has(id),
        )
        if (unknown.length > 0) {
          return error(400, `Product ${unknown.join(', ')} does not exist.`, {
            code: 'E0102',
            [idsKey]: unknown,
          })
        }
      }
      if (check === 'domains') {
        const outside = unique(
          purchase.products
            .filter((p) => !isAuthorised(p.productDetailUrl, account.authorisedDomains))
            .map((p) => p.productId),
        )
        if (outside.length > 0) {
          return error(400, `Product ${outside.join(', ')} had URL from non authorized domain.`, {
            code: 'E0103',
            [idsKey]: outside,
            allowedDomains: [...account.authorisedDomains],
          })
        }
      }
    }
    const at = new Date(now()).toISOString()
    const stored: StoredPurchase = {
      id: newId(),
      purchaseId: purchase.purchaseId,
      contactId: contactIdOf(account, email),
      triggerPurchaseEvent: trigger,
      createdAt: at,
      updatedAt: at,
      body: purchase,
    }
    account.purchases.set(purchase.purchaseId, stored)
    account.creations.set(
      purchase.purchaseId,
      (account.creations.get(purchase.purchaseId) ?? 0) + 1,
    )
    account.stats.purchasesStored += 1
    stats.purchasesStored += 1
    return { status: 201, body: purchaseResource(stored) }
  }

  const route = (
    account: AccountState,
    method: string,
    segments: string[],
    query: URLSearchParams,
    body: unknown,
  ): Reply => {
    const [head, second, third] = segments
    if (head === 'purchases') {
      if (segments.length === 1 && method === 'POST') {
        const trigger = query.get('triggerPurchaseEvent')
        if (trigger !== null && trigger !== 'true' && trigger !== 'false') {
          return error(400, 'triggerPurchaseEvent must be true or false.')
        }
        return createPurchase(account, body, trigger !== 'false')
      }
      if (second === 'purchase-id' && third !== undefined && segments.length === 3) {
        const stored = account.purchases.get(third)
        if (method === 'GET') {
          return stored === undefined
            ? error(404, 'Purchase not found.')
            : { status: 200, body: purchaseResource(stored) }
        }
        if (method === 'DELETE') {
          account.purchases.delete(third)
          return { status: 204 }
        }
      }
      if (second !== undefined && segments.length === 2) {
        if (method !== 'GET' && method !== 'DELETE') return error(405, 'Method not allowed.')
        if (!/^[0-9a-f]{24}$/i.test(second)) return error(400, 'Invalid id in path.')
        const stored = [...account.purchases.values()].find((p) => p.id === second)
        if (method === 'DELETE') {
          if (stored !== undefined) account.purchases.delete(stored.purchaseId)
          return { status: 204 }
        }
        return stored === undefined
          ? error(404, 'Purchase not found.')
          : { status: 200, body: purchaseResource(stored) }
      }
    }
    if (
      head === 'contacts' &&
      second !== undefined &&
      segments.length === 2 &&
      method === 'PATCH'
    ) {
      const email = second.toLowerCase()
      if (!emailAddress.safeParse(second).success) return error(400, 'Invalid email in path.')
      const fields = isRecord(body) ? body : {}
      account.contacts.set(email, { ...account.contacts.get(email), ...fields })
      return {
        status: 200,
        body: { _id: contactIdOf(account, email), _email: email, ...account.contacts.get(email) },
      }
    }
    if (
      head === 'products' &&
      second === 'product-id' &&
      third !== undefined &&
      segments.length === 3 &&
      method === 'PATCH'
    ) {
      const fields = isRecord(body) ? body : {}
      // Connectif checks a product's page against the store's authorised domains (E0201).
      const url = fields['productDetailUrl']
      if (
        checks.includes('domains') &&
        typeof url === 'string' &&
        !isAuthorised(url, account.authorisedDomains)
      ) {
        return error(400, 'Product had URL from non authorized domain.', { code: 'E0201' })
      }
      account.products.set(third, { ...account.products.get(third), ...fields })
      account.productBodies.push({ productId: third, body: fields })
      return { status: 200, body: { productId: third, ...account.products.get(third) } }
    }
    return error(404, 'Not found.')
  }

  const scopeFor = (method: string, segments: string[]): SimulatorScope | null => {
    if (segments[0] === 'purchases') {
      if (method === 'GET') return 'read:purchases'
      if (method === 'DELETE') return 'delete:purchases'
      return 'write:purchases'
    }
    if (segments[0] === 'contacts') return 'write:contacts'
    if (segments[0] === 'products') return 'write:products'
    if (segments[0] === 'imports') return method === 'GET' ? 'read:imports' : 'write:imports'
    return null
  }

  const countRequest = (account: AccountState, method: string, segments: string[]): void => {
    account.stats.counted += 1
    const head = segments[0]
    if (head === 'purchases' && method === 'POST') account.stats.purchaseRequests += 1
    else if (head === 'contacts') account.stats.contactRequests += 1
    else if (head === 'products') account.stats.productRequests += 1
    else if (head === 'imports') {
      account.stats.importRequests += 1
      stats.importRequests += 1
    }
  }

  const routeImports = async (
    account: AccountState,
    request: IncomingMessage,
    segments: string[],
    query: URLSearchParams,
    raw: Buffer,
    at: number,
  ): Promise<Reply> => {
    const method = request.method ?? 'GET'
    if (segments.length === 1 && method === 'POST')
      return account.imports.create(request.headers['content-type'] ?? '', raw, at)
    if (segments.length === 1 && method === 'GET') {
      const limit = Number(query.get('limit') ?? '20')
      return account.imports.list(Number.isInteger(limit) && limit > 0 ? limit : 20, at)
    }
    if (segments.length === 2 && method === 'GET') return account.imports.get(segments[1] ?? '', at)
    return error(405, 'Method not allowed.')
  }

  const send = (
    response: ServerResponse,
    reply: Reply,
    headers: Record<string, string>,
  ): Promise<void> => {
    stats.byStatus[reply.status] = (stats.byStatus[reply.status] ?? 0) + 1
    const finish = (): void => {
      if (response.destroyed) return
      // From the simulator's clock: the client reads Date to correct for a server clock far off
      // its own, and a test's virtual clock is far off the system's.
      response.sendDate = false
      const dated = { ...headers, Date: new Date(now()).toUTCString() }
      const isError = reply.status >= 400
      if (reply.text !== undefined) {
        response.writeHead(reply.status, { ...dated, 'content-type': 'text/plain' })
        response.end(reply.text)
      } else if (reply.body === undefined) {
        response.writeHead(reply.status, dated)
        response.end()
      } else {
        response.writeHead(reply.status, {
          ...dated,
          'content-type': isError ? errorContentType : 'application/json',
        })
        response.end(JSON.stringify(reply.body))
      }
    }
    return delayed(finish)
  }

  const drop = (request: IncomingMessage): Promise<void> => {
    stats.dropped += 1
    return delayed(() => request.socket.destroy())
  }

  const delayed = async (action: () => void): Promise<void> => {
    const ms = faults.latencyMs
    if (ms <= 0) {
      action()
      return
    }
    held += 1
    try {
      await clock.sleep(ms, closed.signal)
    } catch {
      // Closed meanwhile: nobody is left to answer.
      return
    } finally {
      held -= 1
    }
    action()
  }

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    stats.requests += 1
    const raw = await readBody(request)
    const url = new URL(request.url ?? '/', 'http://simulator')
    const segments = url.pathname
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s))
    const method = request.method ?? 'GET'

    const auth = /^apiKey\s+(\S+)$/.exec(request.headers.authorization ?? '')
    const account = auth?.[1] === undefined ? undefined : byKey.get(auth[1])
    const scopes = auth?.[1] === undefined ? undefined : account?.keys.get(auth[1])
    if (account === undefined || scopes === undefined) {
      await send(response, { status: 401, text: 'Not authorized to access API' }, {})
      return
    }
    const at = now()
    // Imports finish on the clock, whether anyone asks or not: their contacts and products
    // exist for whatever comes next.
    account.imports.advance(at)
    const scope = scopeFor(method, segments)
    if (scope !== null && !scopes.has(scope)) {
      await send(
        response,
        error(403, 'Permission not granted to the API Key or account has been blocked'),
        rateHeaders(account, at),
      )
      return
    }
    rollWindow(account, at)
    if (account.used >= account.limit) {
      account.stats.rateLimited += 1
      stats.rateLimited += 1
      const headers = rateHeaders(account, at)
      if (faults.retryAfterOn429) {
        headers['Retry-After'] = String(
          Math.max(1, Math.ceil((account.windowStart + account.windowMs - at) / 1000)),
        )
      }
      await send(response, error(429, 'Requests rate limit reached.'), headers)
      return
    }
    account.used += 1
    countRequest(account, method, segments)

    const isCreation = method === 'POST' && segments.length === 1 && segments[0] === 'purchases'
    const fault = pickFault(isCreation)
    if (fault === 'drop') {
      await drop(request)
      return
    }
    if (fault === 'error') {
      stats.injectedErrors += 1
      await send(response, error(faults.errorStatus, 'Injected failure.'), rateHeaders(account, at))
      return
    }

    if (segments[0] === 'imports') {
      const reply = await routeImports(account, request, segments, url.searchParams, raw, at)
      await send(response, reply, rateHeaders(account, at))
      return
    }
    let body: unknown = undefined
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'))
      } catch {
        await send(response, error(400, 'The request body is not JSON.'), rateHeaders(account, at))
        return
      }
    }
    const reply = route(account, method, segments, url.searchParams, body)
    if (fault === 'stored-then-drop') {
      await drop(request)
      return
    }
    if (fault === 'stored-then-500') {
      stats.injectedErrors += 1
      await send(response, error(500, 'Injected failure after storing.'), rateHeaders(account, at))
      return
    }
    await send(response, reply, rateHeaders(account, at))
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((failure: unknown) => {
      if (!response.headersSent && !response.destroyed) {
        response.writeHead(500, { 'content-type': 'text/plain' })
        response.end(`Simulator failure: ${String(failure)}`)
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  let closing: Promise<void> | undefined

  const accountView = (state: AccountState): SimulatorAccount => ({
    name: state.name,
    purchases: state.purchases,
    creations: state.creations,
    // Imports finished by now have filled them, asked or not.
    get contacts() {
      state.imports.advance(now())
      return state.contacts
    },
    get products() {
      state.imports.advance(now())
      return state.products
    },
    productBodies: state.productBodies,
    get authorisedDomains() {
      return state.authorisedDomains
    },
    addContact: (email, fields = {}) => state.contacts.set(email.toLowerCase(), fields),
    removeContact: (email) => state.contacts.delete(email.toLowerCase()),
    addProduct: (productId, fields = {}) => state.products.set(productId, fields),
    removeProduct: (productId) => state.products.delete(productId),
    setAuthorisedDomains: (domains) => {
      state.authorisedDomains = [...domains]
    },
    setScopes: (key, scopes) => {
      if (!state.keys.has(key)) throw new Error(`Account ${state.name} has no key ${key}.`)
      state.keys.set(key, new Set(scopes))
    },
    setRateLimit: (limit, windowMs) => {
      state.limit = limit
      if (windowMs !== undefined) {
        state.windowMs = windowMs
        state.windowStart = 0
      }
    },
    consumeBudget: (requests) => {
      rollWindow(state, now())
      // Past the limit, the other consumer's requests would be refused, not counted.
      const spent = Math.max(0, Math.min(requests, state.limit - state.used))
      state.used += spent
      state.stats.counted += spent
    },
    remaining: () => {
      rollWindow(state, now())
      return Math.max(0, state.limit - state.used)
    },
    imports: () => state.imports.views(now()),
    failNextImports: (...endings) => state.imports.failNext(...endings),
    setImportRowFilter: (filter) => state.imports.setRowFilter(filter),
    addForeignImports: (count, durationMs) => state.imports.addForeign(count, durationMs, now()),
    stats: state.stats,
  })

  return {
    url: `http://127.0.0.1:${port}`,
    account: (name) => {
      const state = accounts.get(name)
      if (state === undefined) throw new Error(`The simulator has no account ${name}.`)
      return accountView(state)
    },
    stats: () => ({ ...stats, byStatus: { ...stats.byStatus } }),
    resetStats: () => {
      stats.requests = 0
      stats.byStatus = {}
      stats.rateLimited = 0
      stats.purchasesStored = 0
      stats.duplicates = 0
      stats.dropped = 0
      stats.injectedErrors = 0
      stats.importRequests = 0
    },
    setFaults: (changes) => {
      faults = { ...faults, ...changes }
    },
    queueFaults: (...more) => {
      queued.push(...more)
    },
    setRateLimitHeaders: (style) => {
      headerStyle = style
    },
    heldAnswers: () => held,
    close: () => {
      // Idempotent, so a test can close early and its afterEach hook still close safely.
      closing ??= new Promise<void>((resolve, reject) => {
        closed.abort(new Error('The Connectif simulator closed.'))
        server.closeAllConnections()
        server.close((failure) => (failure === undefined ? resolve() : reject(failure)))
      })
      return closing
    },
  }
}

function purchaseResource(stored: StoredPurchase): Record<string, unknown> {
  const products = Array.isArray(stored.body.products) ? stored.body.products : []
  return {
    ...stored.body,
    products: products.map((product: unknown, index: number) => ({
      id: `${stored.id.slice(0, 20)}${index.toString(16).padStart(4, '0')}`,
      ...(isRecord(product) ? product : {}),
    })),
    id: stored.id,
    contactId: stored.contactId,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  }
}

function isAuthorised(url: string, domains: readonly string[]): boolean {
  let host: string
  try {
    host = new URL(url).hostname.toLowerCase()
  } catch {
    return false
  }
  return domains.some((domain) => {
    const d = domain.toLowerCase()
    return host === d || host.endsWith(`.${d}`)
  })
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)]
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks)))
    request.on('error', reject)
  })
}
