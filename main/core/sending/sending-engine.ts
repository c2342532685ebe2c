import type { Clock } from '../clock'
import type {
  ConnectifApi,
  ConnectifResult,
  ConnectifWait,
  ContactUpsert,
} from '../connectif/connectif-api'
import type { FinalSendingState, HistoryStore } from '../history/history-store'
import type {
  NewOrderRow,
  OrderResultUpdate,
  PendingOrder,
  Profile,
  SendingCounts,
  SendingMode,
  SendingOptions,
  SendingRecord,
} from '../history/history-types'
import { mapOrderToPurchase } from '../purchases/order-to-purchase'
import type { PurchaseCreation } from '../purchases/purchase'
import { isStoreError } from '../store/store-errors'
import type { OrderCursor, StoreOrder, StoreOverview, StoreSource } from '../store/store-source'
import type { SendingEvent, SendingEventListener, TargetCounts } from './sending-events'
import {
  checkTargetsAgainstStore,
  ConnectifRouter,
  MAIN_ACCOUNT_LABEL,
  routeLabel,
  targetLabel,
} from './connectif-routing'
import type { ConnectifAccountRef, ConnectifTarget, Route } from './connectif-routing'
import { checkSendingRules, todayInZone } from './sending-rules'
import type { RuleViolation, SendingRequestDraft } from './sending-rules'

/**
 * The sending engine: reads a store's orders into the history, sends them to Connectif and
 * records every result. A plain module with injected dependencies, so the desktop app, the
 * command line and the tests run exactly the same code.
 *
 * Crash safety comes from the order of writes: an order is recorded (with the exact body to send)
 * before it is sent, and its result right after; a sending that died is finished by sending what
 * is still pending and reading on from the recorded cursor. An order whose answer was lost in a
 * crash is sent again and Connectif answers 409, so no purchase is ever created twice.
 */

export interface EngineDependencies {
  readonly history: HistoryStore
  /** Opens the profile's store; called at most once per run, and not at all when nothing is left to read. */
  readonly openStore: () => Promise<StoreSource>
  /**
   * The Connectif client of one of the sending's accounts (the main one, or a routing target);
   * `onWait` reports rate-limit pauses. Called at most once per account and run.
   */
  readonly connectif: (
    account: ConnectifAccountRef,
    hooks: { onWait: (wait: ConnectifWait) => void },
  ) => ConnectifApi
  readonly clock: Clock
  /** This process, recorded as the sending's owner so a crash can be told from a long run. */
  readonly pid: number
  /** Requests in flight at once (the rate limiter does the pacing). */
  readonly concurrency?: number
}

export interface NewSendingRequest {
  readonly profile: Profile
  readonly from: string
  readonly to: string
  readonly stateIds: readonly number[]
  readonly mode: SendingMode
  readonly options: SendingOptions
}

export interface RunHooks {
  readonly onEvent?: SendingEventListener
  /** Abort with a `SendingStop` to say whether the sending was cancelled or interrupted. */
  readonly signal?: AbortSignal
}

/** Why a sending stops before its end: `cancelled` by the merchant, or `interrupted` (Ctrl-C, quitting). */
export class SendingStop extends Error {
  override readonly name = 'SendingStop'
  constructor(readonly state: 'cancelled' | 'interrupted') {
    super(state === 'cancelled' ? 'The sending was cancelled.' : 'The sending was interrupted.')
  }
}

/** A request that breaks the sending rules; nothing was recorded or sent. */
export class SendingRequestError extends Error {
  override readonly name = 'SendingRequestError'
  constructor(readonly violations: readonly RuleViolation[]) {
    super(violations.map((violation) => violation.message).join(' '))
  }
}

/** Stops the whole sending: the store or Connectif cannot go on (bad key, store unreachable). */
class FatalSendingError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** What is recorded for a pending order: everything needed to send it without the store. */
export interface OrderPayload {
  readonly purchase: PurchaseCreation
  readonly contact: ContactUpsert
  /** The routing target it goes to; absent or null for the main account. */
  readonly targetId?: string | null
}

export interface PreparedSending {
  readonly sending: SendingRecord
  /** The store opened to validate and count, handed to `runSending` so it is not opened twice. */
  readonly store: StoreSource
}

/**
 * Validates a request against the store (same rules as every entry point), counts its orders
 * and records the sending. Throws `SendingRequestError` for a bad request, `StoreError` when the
 * store cannot be read, `HistoryError` when this profile already has a sending running.
 */
export async function prepareSending(
  deps: EngineDependencies,
  request: NewSendingRequest,
): Promise<PreparedSending> {
  const store = await deps.openStore()
  try {
    const routing = routingOf(request.profile)
    const { violations } = await checkRequestAgainstStore(store, request, routing, deps.clock.now())
    if (violations.length > 0) throw new SendingRequestError(violations)
    const counts = await store.countOrders({
      range: { from: request.from, to: request.to },
      shopIds: request.profile.shopIds,
    })
    const expectedTotal = request.stateIds.reduce((sum, id) => sum + (counts.byState[id] ?? 0), 0)
    const sending = deps.history.createSending({
      profileId: request.profile.id,
      from: request.from,
      to: request.to,
      stateIds: [...new Set(request.stateIds)].sort((a, b) => a - b),
      shopIds: request.profile.shopIds,
      mode: request.mode,
      options: { ...request.options, routing },
      expectedTotal,
      ownerPid: deps.pid,
    })
    return { sending, store }
  } catch (error) {
    await store.close().catch(() => undefined)
    throw error
  }
}

/**
 * Checks a request against the store as every sending is checked, so the wizard, the command
 * line's preview and the engine never disagree: the sending rules on the shop's clock, and the
 * languages, currencies and shops the routing targets name.
 */
export async function checkRequestAgainstStore(
  store: StoreSource,
  request: SendingRequestDraft,
  routing: { readonly targets: readonly ConnectifTarget[] },
  now: number,
): Promise<{ overview: StoreOverview; violations: RuleViolation[] }> {
  const overview = await store.overview()
  const zone = overview.shops.find((shop) => shop.id === overview.defaultShopId)?.timezone ?? 'UTC'
  const states = await store.orderStates()
  const violations: RuleViolation[] = [
    ...checkSendingRules(request, {
      today: todayInZone(now, zone),
      knownStateIds: states.map((state) => state.id),
    }),
    ...checkTargetsAgainstStore(routing.targets, overview).map((message) => ({
      field: 'targets' as const,
      code: 'target_not_in_store' as const,
      message,
      params: {},
    })),
  ]
  return { overview, violations }
}

/** The profile's accounts as a sending records them (the main one only, before routing existed). */
export function routingOf(profile: Pick<Profile, 'connectif'>): {
  mainAccount: boolean
  targets: readonly ConnectifTarget[]
} {
  return {
    mainAccount: profile.connectif.mainAccount ?? true,
    targets: profile.connectif.targets ?? [],
  }
}

/** How a recorded sending routes: as it started (one main account before routing existed). */
export function routingOfSending(sending: SendingRecord): {
  mainAccount: boolean
  targets: readonly ConnectifTarget[]
} {
  return sending.options.routing ?? { mainAccount: true, targets: [] }
}

/** Prepares and runs a new sending to its end (or until stopped). */
export async function startSending(
  deps: EngineDependencies,
  request: NewSendingRequest,
  hooks: RunHooks = {},
): Promise<SendingRecord> {
  const prepared = await prepareSending(deps, request)
  return runSending(deps, prepared.sending.id, hooks, prepared.store)
}

/** Finishes an interrupted, cancelled or failed sending without sending any order twice. */
export async function resumeSending(
  deps: EngineDependencies,
  sendingId: number,
  hooks: RunHooks = {},
): Promise<SendingRecord> {
  deps.history.markInterrupted()
  deps.history.prepareResume(sendingId, deps.pid)
  return runSending(deps, sendingId, hooks)
}

const LOOKAHEAD_ORDERS = 2_000
const RESULT_BATCH = 25
const RESULT_FLUSH_MS = 50
const HEARTBEAT_MS = 5_000
const EVENT_INTERVAL_MS = 100
const TARGET_COUNTS_INTERVAL_MS = 1_000
const PENDING_BATCH = 200

/** Runs a recorded sending: reads what is left to read, sends what is pending, records the end. */
export async function runSending(
  deps: EngineDependencies,
  sendingId: number,
  hooks: RunHooks = {},
  openedStore?: StoreSource,
): Promise<SendingRecord> {
  return new SendingRun(deps, sendingId, hooks, openedStore).run()
}

class SendingRun {
  readonly #deps: EngineDependencies
  readonly #history: HistoryStore
  readonly #id: number
  readonly #hooks: RunHooks
  readonly #abort = new AbortController()
  /** One client per account, made when the first order for it is sent. */
  readonly #clients = new Map<string, ConnectifApi>()
  readonly #routing: { readonly mainAccount: boolean; readonly targets: readonly ConnectifTarget[] }
  readonly #sending: SendingRecord
  #store: StoreSource | undefined

  #readDone: boolean
  #wake: (() => void) | null = null
  #fatal: FatalSendingError | null = null

  /** Orders handed to a worker and not yet written back: never handed out twice. */
  readonly #claimed = new Set<number>()
  readonly #queue: PendingOrder[] = []
  #scanAfter = 0
  readonly #results: OrderResultUpdate[] = []
  #flushTimer: ReturnType<typeof setTimeout> | null = null

  /** Contacts and products created in this sending: each at most once, shared by concurrent orders. */
  readonly #contactUpserts = new Map<string, Promise<ConnectifResult>>()
  readonly #productUpserts = new Map<string, Promise<ConnectifResult>>()

  readonly #progress: ProgressReporter

  constructor(deps: EngineDependencies, sendingId: number, hooks: RunHooks, store?: StoreSource) {
    this.#deps = deps
    this.#history = deps.history
    this.#id = sendingId
    this.#hooks = hooks
    this.#sending = deps.history.getSending(sendingId)
    this.#store = store
    this.#readDone = this.#sending.readComplete
    const routed = (this.#sending.options.routing?.targets.length ?? 0) > 0
    this.#progress = new ProgressReporter(
      deps.clock,
      this.#sending,
      () => this.#history.counts(sendingId),
      (event) => this.#emit(event),
      routed ? () => this.#history.countsByTarget(sendingId) : null,
    )
    this.#routing = routingOfSending(this.#sending)
  }

  /** The client of the account an order goes to. */
  #client(targetId: string | null | undefined): { api: ConnectifApi; label: string } {
    const key = targetId ?? ''
    const target =
      targetId === null || targetId === undefined
        ? null
        : this.#routing.targets.find((candidate) => candidate.id === targetId)
    if (target === undefined)
      throw new FatalSendingError(
        'target_missing',
        `An order of this sending is for the Connectif target "${targetId ?? ''}", which the sending no longer knows.`,
      )
    const label = target === null ? MAIN_ACCOUNT_LABEL : targetLabel(target)
    let api = this.#clients.get(key)
    if (!api) {
      api = this.#deps.connectif(target === null ? { kind: 'main' } : { kind: 'target', target }, {
        onWait: (wait) => this.#progress.waiting(wait),
      })
      this.#clients.set(key, api)
    }
    return { api, label }
  }

  async run(): Promise<SendingRecord> {
    const external = this.#hooks.signal
    const onExternalAbort = (): void => this.#abort.abort(external?.reason)
    if (external?.aborted) onExternalAbort()
    else external?.addEventListener('abort', onExternalAbort, { once: true })
    const heartbeat = setInterval(() => this.#history.heartbeat(this.#id), HEARTBEAT_MS)
    heartbeat.unref()

    this.#emit({ type: 'started', sendingId: this.#id, expectedTotal: this.#sending.expectedTotal })
    try {
      await Promise.all([this.#read(), this.#sendAll()])
    } catch (error) {
      this.#noteFailure(error)
    } finally {
      clearInterval(heartbeat)
      external?.removeEventListener('abort', onExternalAbort)
      this.#flushResults()
      // The run owns its store, also one handed over by prepareSending.
      if (this.#store) await this.#store.close().catch(() => undefined)
    }

    const state = this.#finalState()
    const fatal = this.#fatal ? { code: this.#fatal.code, message: this.#fatal.message } : null
    this.#history.finishSending(this.#id, state, fatal)
    const counts = this.#history.counts(this.#id)
    this.#progress.stop()
    this.#emit({
      type: 'finished',
      sendingId: this.#id,
      state,
      counts,
      fatalError: fatal,
      ...(this.#routing.targets.length > 0
        ? { byTarget: this.#history.countsByTarget(this.#id) }
        : {}),
    })
    return this.#history.getSending(this.#id)
  }

  #emit(event: SendingEvent): void {
    try {
      this.#hooks.onEvent?.(event)
    } catch {
      // A broken listener must not break the sending.
    }
  }

  #stopReason(): SendingStop | null {
    const reason: unknown = this.#abort.signal.reason
    return reason instanceof SendingStop ? reason : null
  }

  #finalState(): FinalSendingState {
    if (this.#fatal) return 'failed'
    const stop = this.#stopReason()
    const counts = this.#history.counts(this.#id)
    if (stop && (counts.pending > 0 || !this.#readDone)) return stop.state
    if (this.#abort.signal.aborted && (counts.pending > 0 || !this.#readDone)) return 'interrupted'
    return counts.failed > 0 ? 'completed_with_errors' : 'completed'
  }

  #noteFailure(error: unknown): void {
    if (this.#abort.signal.aborted && !this.#fatal) return
    if (error instanceof FatalSendingError) this.#fatal ??= error
    else if (isStoreError(error))
      this.#fatal ??= new FatalSendingError(`store_${error.code}`, error.message)
    else {
      const message = error instanceof Error ? error.message : String(error)
      this.#fatal ??= new FatalSendingError(
        'internal',
        `The sending stopped on an unexpected error: ${message}`,
      )
    }
    this.#abort.abort(this.#fatal)
  }

  #notify(): void {
    const wake = this.#wake
    this.#wake = null
    wake?.()
  }

  /** Waits until the reader records more orders or the sender frees room, or the run stops. */
  #waitForChange(): Promise<void> {
    return new Promise<void>((resolve) => {
      const previous = this.#wake
      this.#wake = () => {
        previous?.()
        resolve()
      }
      if (this.#abort.signal.aborted) this.#notify()
    })
  }

  async #read(): Promise<void> {
    if (this.#readDone) return
    try {
      this.#store ??= await this.#deps.openStore()
      const router = new ConnectifRouter(
        this.#routing.targets,
        this.#routing.mainAccount,
        await this.#store.overview(),
      )
      const sending = this.#sending
      const start = sending.cursor
      let cursor: { placedAt: string; orderId: number } | null = start
      const after: OrderCursor | null = start
        ? { placedAt: start.placedAt, id: start.orderId }
        : null
      for await (const page of this.#store.readOrders(
        {
          range: { from: sending.from, to: sending.to },
          stateIds: sending.stateIds,
          shopIds: sending.shopIds,
        },
        { after, signal: this.#abort.signal },
      )) {
        const last = page[page.length - 1] as StoreOrder
        cursor = { placedAt: last.placedAt, orderId: last.id }
        this.#history.recordOrders(
          this.#id,
          page.map((order) => toOrderRow(order, router.route(order))),
          cursor,
          false,
        )
        this.#progress.changed()
        this.#notify()
        while (
          !this.#abort.signal.aborted &&
          this.#history.counts(this.#id).pending > LOOKAHEAD_ORDERS
        ) {
          await this.#waitForChange()
        }
      }
      this.#history.recordOrders(this.#id, [], cursor, true)
      this.#readDone = true
      this.#progress.changed()
    } catch (error) {
      if (!this.#abort.signal.aborted) this.#noteFailure(error)
    } finally {
      this.#notify()
    }
  }

  async #sendAll(): Promise<void> {
    const workers = Array.from({ length: Math.max(1, this.#deps.concurrency ?? 8) }, () =>
      this.#work(),
    )
    await Promise.all(workers)
  }

  async #work(): Promise<void> {
    for (;;) {
      const order = await this.#next()
      if (!order) return
      try {
        const update = await this.#send(order)
        this.#results.push(update)
        this.#scheduleFlush()
      } catch (error) {
        this.#claimed.delete(order.orderId)
        if (!this.#abort.signal.aborted || error instanceof FatalSendingError)
          this.#noteFailure(error)
        return
      }
    }
  }

  /** The next pending order no worker holds; null when everything is sent or the run stops. */
  async #next(): Promise<PendingOrder | null> {
    for (;;) {
      if (this.#abort.signal.aborted) return null
      const queued = this.#queue.shift()
      if (queued) return queued
      const rows = this.#history
        .pendingOrders(this.#id, PENDING_BATCH, this.#scanAfter)
        .filter((row) => !this.#claimed.has(row.orderId))
      if (rows.length > 0) {
        this.#scanAfter = (rows[rows.length - 1] as PendingOrder).orderId
        for (const row of rows) this.#claimed.add(row.orderId)
        this.#queue.push(...rows)
        continue
      }
      if (this.#scanAfter > 0) {
        // The reader records orders in date order, not id order: look again from the start.
        this.#scanAfter = 0
        if (this.#history.counts(this.#id).pending > this.#claimed.size) continue
      }
      if (this.#readDone) return null
      // Only the reader (new orders) or a flush (room for more) has news; idle workers just wait.
      await this.#waitForChange()
    }
  }

  #scheduleFlush(): void {
    if (this.#results.length >= RESULT_BATCH) {
      this.#flushResults()
      return
    }
    this.#flushTimer ??= setTimeout(() => this.#flushResults(), RESULT_FLUSH_MS)
  }

  #flushResults(): void {
    if (this.#flushTimer) clearTimeout(this.#flushTimer)
    this.#flushTimer = null
    if (this.#results.length === 0) return
    const batch = this.#results.splice(0, this.#results.length)
    this.#history.writeResults(this.#id, batch)
    for (const update of batch) this.#claimed.delete(update.orderId)
    this.#progress.sent(batch.length)
    this.#notify()
  }

  async #send(order: PendingOrder): Promise<OrderResultUpdate> {
    const payload = JSON.parse(order.payload) as OrderPayload
    const options = this.#sending.options
    const signal = this.#abort.signal
    const { api: connectif, label } = this.#client(payload.targetId)
    const account = this.#routing.targets.length > 0 ? label : null
    let attempts = 0
    const post = async (): Promise<ConnectifResult> => {
      const result = await connectif.createPurchase(payload.purchase, {
        triggerPurchaseEvent: options.triggerWorkflows,
        signal,
        finishInFlight: true,
      })
      attempts += result.attempts
      return result
    }

    let result = await post()
    let contactTried = false
    let productsTried = false
    for (;;) {
      const outcome = result.outcome
      if (outcome.kind === 'auth_failed') throw authFailure(outcome.status, result, account)
      if (outcome.kind === 'unknown_contact' && options.createContacts && !contactTried) {
        contactTried = true
        const upsert = await this.#upsertContact(connectif, label, payload.contact, signal)
        attempts += upsert.attempts
        if (upsert.result.outcome.kind === 'auth_failed')
          throw authFailure(upsert.result.outcome.status, upsert.result, account)
        if (upsert.result.outcome.kind !== 'created') {
          return this.#update(order, result, attempts, {
            message: `The contact ${payload.contact.email} does not exist in Connectif and could not be created: ${upsert.result.message}`,
          })
        }
        result = await post()
        continue
      }
      if (outcome.kind === 'unknown_products' && options.createProducts && !productsTried) {
        productsTried = true
        const missing =
          outcome.productIds.length > 0
            ? outcome.productIds
            : payload.purchase.products.map((p) => p.productId)
        for (const productId of missing) {
          const product = payload.purchase.products.find(
            (candidate) => candidate.productId === productId,
          )
          if (!product) continue
          const upsert = await this.#upsertProduct(connectif, label, product, signal)
          attempts += upsert.attempts
          if (upsert.result.outcome.kind === 'auth_failed')
            throw authFailure(upsert.result.outcome.status, upsert.result, account)
          if (upsert.result.outcome.kind !== 'created') {
            return this.#update(order, result, attempts, {
              message: `The product ${productId} is not in Connectif's catalogue and could not be created: ${upsert.result.message}`,
            })
          }
        }
        result = await post()
        continue
      }
      return this.#update(order, result, attempts, { message: explain(result, payload) })
    }
  }

  /** Upserts a contact once per sending; concurrent orders of the same customer wait for it. */
  async #upsertContact(
    connectif: ConnectifApi,
    account: string,
    contact: ContactUpsert,
    signal: AbortSignal,
  ): Promise<{ result: ConnectifResult; attempts: number }> {
    // Per account: each Connectif account has its own contacts and catalogue.
    const key = `${account}\n${contact.email.toLowerCase()}`
    const existing = this.#contactUpserts.get(key)
    if (existing) return { result: await existing, attempts: 0 }
    const call = connectif.upsertContact(contact, { signal, finishInFlight: true })
    this.#contactUpserts.set(key, call)
    const result = await call
    return { result, attempts: result.attempts }
  }

  async #upsertProduct(
    connectif: ConnectifApi,
    account: string,
    product: PurchaseCreation['products'][number],
    signal: AbortSignal,
  ): Promise<{ result: ConnectifResult; attempts: number }> {
    const key = `${account}\n${product.productId}`
    const existing = this.#productUpserts.get(key)
    if (existing) return { result: await existing, attempts: 0 }
    const call = connectif.upsertProduct(product, { signal, finishInFlight: true })
    this.#productUpserts.set(key, call)
    const result = await call
    return { result, attempts: result.attempts }
  }

  #update(
    order: PendingOrder,
    result: ConnectifResult,
    attempts: number,
    extra: { message: string | null },
  ): OrderResultUpdate {
    const kind = result.outcome.kind
    return {
      orderId: order.orderId,
      result:
        kind === 'created' ? 'created' : kind === 'already_exists' ? 'already_exists' : 'failed',
      httpStatus: result.status,
      errorCode:
        result.code ?? (kind === 'unavailable' && result.status === null ? 'network' : null),
      message: extra.message,
      response: result.body === '' ? null : result.body,
      attempts,
      sentAt: new Date(this.#deps.clock.now()).toISOString(),
    }
  }
}

function authFailure(
  status: 401 | 403,
  result: ConnectifResult,
  account: string | null,
): FatalSendingError {
  const key =
    account === null
      ? 'the API key'
      : account === MAIN_ACCOUNT_LABEL
        ? "the main account's API key"
        : `the API key of the target ${account}`
  return status === 401
    ? new FatalSendingError(
        'connectif_unauthorized',
        `Connectif refused ${key} (401): ${result.message} Check the key in the profile; nothing more was sent.`,
      )
    : new FatalSendingError(
        'connectif_forbidden',
        `${key.charAt(0).toUpperCase()}${key.slice(1)} lacks a permission (403): ${result.message} Give the key the "Write Purchases" permission (and "Write Contacts" / "Write Products" to create missing ones); nothing more was sent.`,
      )
}

/** The report's message for a final answer: what happened and, for failures, what to do. */
function explain(result: ConnectifResult, payload: OrderPayload): string | null {
  const outcome = result.outcome
  switch (outcome.kind) {
    case 'created':
      return null
    case 'already_exists':
      return result.message || 'The purchase already exists in Connectif.'
    case 'unknown_contact':
      return `The contact ${payload.contact.email} does not exist in Connectif. Turn on "create missing contacts" for the sending, or create the contact in Connectif, then retry the failed orders.`
    case 'unknown_products':
      return `Connectif's catalogue lacks the product${outcome.productIds.length === 1 ? '' : 's'} ${outcome.productIds.join(', ')}. Turn on "create missing products", or sync the catalogue first, then retry the failed orders.`
    case 'unauthorised_domain': {
      const hosts = [
        ...new Set(
          payload.purchase.products
            .filter((product) => outcome.productIds.includes(product.productId))
            .flatMap((product) =>
              product.productDetailUrl ? [hostOf(product.productDetailUrl)] : [],
            ),
        ),
      ]
      return `Connectif does not accept product URLs from ${hosts.join(', ') || 'this domain'}. Add ${hosts.length === 1 ? 'it' : 'them'} in Connectif under Store settings > Integrations > Web > Authorized domains${outcome.allowedDomains.length > 0 ? ` (authorised now: ${outcome.allowedDomains.join(', ')})` : ''}, then retry the failed orders.`
    }
    case 'rejected':
      return `Connectif rejected the purchase: ${result.message}`
    case 'unavailable':
      return `Connectif did not answer after ${result.attempts} attempt${result.attempts === 1 ? '' : 's'}: ${result.message} Retry the failed orders later.`
    case 'auth_failed':
      return result.message
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

function toOrderRow(order: StoreOrder, route: Route): NewOrderRow {
  const mapping = mapOrderToPurchase(order, {
    currency: route.kind === 'target' ? route.currency : 'shop-default',
  })
  const base = {
    orderId: order.id,
    reference: mapping.order.reference,
    orderDate: mapping.order.orderDate,
    customerEmail: mapping.order.customerEmail,
    total: mapping.order.total,
    shopId: order.shopId,
    stateId: order.stateId,
    target: routeLabel(route),
  }
  if (route.kind === 'unrouted') {
    return { ...base, result: 'skipped', payload: null, message: route.reason }
  }
  if (mapping.result === 'skipped') {
    return { ...base, result: 'skipped', payload: null, message: mapping.reason }
  }
  const payload: OrderPayload = {
    ...(route.kind === 'target' ? { targetId: route.target.id } : {}),
    purchase: mapping.purchase,
    contact: {
      email: mapping.purchase.contactEmail,
      ...(order.customer?.firstname ? { firstname: order.customer.firstname } : {}),
      ...(order.customer?.lastname ? { lastname: order.customer.lastname } : {}),
    },
  }
  return { ...base, result: 'pending', payload: JSON.stringify(payload), message: null }
}

/**
 * Turns counters into throttled progress events with a pace and an estimate. The pace counts
 * orders answered by Connectif in the last minute; before there is one, the estimate assumes the
 * account's rate limit (about one request per order).
 */
class ProgressReporter {
  readonly #clock: Clock
  readonly #sending: SendingRecord
  readonly #counts: () => SendingCounts
  readonly #emit: (event: SendingEvent) => void
  readonly #byTarget: (() => TargetCounts[]) | null
  /** Per-account counts group every order of the sending: refreshed once a second at most. */
  #targetCounts: { at: number; value: TargetCounts[] } | null = null
  readonly #answered: { at: number; count: number }[] = []
  #waiting: ConnectifWait | null = null
  #lastEmit = 0
  #timer: ReturnType<typeof setTimeout> | null = null
  #stopped = false

  constructor(
    clock: Clock,
    sending: SendingRecord,
    counts: () => SendingCounts,
    emit: (event: SendingEvent) => void,
    byTarget: (() => TargetCounts[]) | null,
  ) {
    this.#clock = clock
    this.#sending = sending
    this.#counts = counts
    this.#emit = emit
    this.#byTarget = byTarget
  }

  #targets(now: number): TargetCounts[] | null {
    if (!this.#byTarget) return null
    if (!this.#targetCounts || now - this.#targetCounts.at >= TARGET_COUNTS_INTERVAL_MS)
      this.#targetCounts = { at: now, value: this.#byTarget() }
    return this.#targetCounts.value
  }

  sent(count: number): void {
    this.#answered.push({ at: this.#clock.now(), count })
    if (this.#waiting && this.#waiting.until <= this.#clock.now()) this.#waiting = null
    this.changed()
  }

  waiting(wait: ConnectifWait): void {
    this.#waiting = wait
    this.changed()
  }

  changed(): void {
    if (this.#stopped) return
    const now = this.#clock.now()
    if (now - this.#lastEmit >= EVENT_INTERVAL_MS) {
      this.#publish()
      return
    }
    this.#timer ??= setTimeout(() => this.#publish(), EVENT_INTERVAL_MS - (now - this.#lastEmit))
  }

  stop(): void {
    this.#stopped = true
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
  }

  #publish(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    if (this.#stopped) return
    const now = this.#clock.now()
    this.#lastEmit = now
    while (this.#answered.length > 0 && (this.#answered[0]?.at ?? now) < now - 60_000)
      this.#answered.shift()
    const lastMinute = this.#answered.reduce((sum, entry) => sum + entry.count, 0)
    const oldest = this.#answered[0]?.at ?? now
    const spanMinutes = Math.max((now - oldest) / 60_000, 1 / 60)
    const perMinute = this.#answered.length > 1 ? Math.round(lastMinute / spanMinutes) : 0
    const counts = this.#counts()
    const unread = Math.max(0, this.#sending.expectedTotal - counts.total)
    const toSend = counts.pending + unread
    const pace = perMinute > 0 ? perMinute : this.#sending.options.rateLimit
    const byTarget = this.#targets(now)
    this.#emit({
      type: 'progress',
      sendingId: this.#sending.id,
      expectedTotal: Math.max(this.#sending.expectedTotal, counts.total),
      counts,
      perMinute,
      etaSeconds: toSend === 0 ? 0 : pace > 0 ? Math.ceil((toSend / pace) * 60) : null,
      waiting: this.#waiting && this.#waiting.until > now ? this.#waiting : null,
      ...(byTarget ? { byTarget } : {}),
    })
  }
}
