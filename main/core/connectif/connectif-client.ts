/**
 * Connectif's REST API over HTTP (docs/connectif-api.md), as the sending engine needs it.
 *
 * The client never throws for anything Connectif or the network does: every call ends in a
 * ConnectifResult (or an AccessCheck) the engine can act on. It only rejects when the caller's
 * AbortSignal aborts, with the signal's reason.
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { RequestError } from 'got'
import { describeNetworkError, TLS_ERROR_CODES, USER_AGENT } from '../http/network-errors'
import { systemClock, type Clock } from '../clock'
import { connectifAccountKey } from './account-key'
import { DEFAULT_CONNECTIF_URL } from './connectif-defaults'
import type { CatalogueProduct, PurchaseCreation } from '../purchases/purchase'
import type {
  AccessCheck,
  CallOptions,
  ConnectifAccount,
  ConnectifApi,
  ConnectifResult,
  ConnectifSharing,
  ConnectifWait,
  ContactUpsert,
  ImportAccessCheck,
  ImportCallResult,
  ImportFile,
} from './connectif-api'
import {
  classify,
  detailSuffix,
  messageFor,
  missingConnectifSignature,
  toAnswer,
  type Answer,
} from './connectif-answers'
import { readAnswer, retryAfter, statusText, type HttpAnswer } from './connectif-http'
import {
  classifyImportAnswer,
  IMPORT_UPLOAD_TIMEOUT_MS,
  importForm,
  importMessage,
} from './connectif-imports'
import {
  DEFAULT_REQUESTS_PER_MINUTE,
  rateLimiterFor,
  type AccountRateLimiter,
  type RateLimiterOptions,
} from './rate-limiter'

export interface RetryPolicy {
  /** Requests per call before giving up on 5xx, timeouts and network errors (429s not counted). */
  readonly attempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
}

export interface ConnectifClientOptions {
  readonly account: ConnectifAccount
  /** The account's budget; the account's shared limiter takes the value given last. Default 100. */
  readonly requestsPerMinute?: number
  readonly clock?: Clock
  /** Hears every wait longer than pacing: rate-limit pauses and retry back-offs. */
  readonly onWait?: (wait: ConnectifWait) => void
  /**
   * Hears when another consumer of the account's budget shows (with its rate, again when the
   * rounded rate changes) and when it goes quiet (null), as this client's answers tell.
   */
  readonly onSharing?: (sharing: ConnectifSharing | null) => void
  /** Per request, from connecting to the last byte of the answer. Default 30 s. */
  readonly timeoutMs?: number
  readonly retry?: Partial<RetryPolicy>
  /** Used when this client is the first for its account in the process. */
  readonly limiterOptions?: RateLimiterOptions
  /** Jitter source in [0, 1); injectable so tests can pin back-off delays. */
  readonly random?: () => number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
}

const DEFAULT_TIMEOUT_MS = 30_000
// A store's key check in the UI should fail fast rather than sit through a long back-off.
const ACCESS_CHECK_ATTEMPTS = 2
// Built so that no store's order id can collide with it: store ids carry no such prefix.
const ACCESS_CHECK_PURCHASE_ID = 'purchase-sender-access-check-0000000000000000'

type Exchange =
  | {
      readonly kind: 'answer'
      readonly answer: Answer
      readonly headers: IncomingHttpHeaders
      readonly attempts: number
    }
  | {
      readonly kind: 'unavailable'
      readonly status: number | null
      readonly body: string
      readonly message: string
      readonly attempts: number
    }

interface RequestPlan {
  readonly method: 'GET' | 'POST' | 'PATCH'
  readonly path: string
  readonly searchParams?: Record<string, string>
  readonly json?: unknown
  /** A multipart body, made again for every attempt. */
  readonly form?: () => FormData
  /** Instead of the client's timeout (an upload takes longer). */
  readonly timeoutMs?: number
  readonly attempts: number
  readonly signal: AbortSignal | undefined
  readonly finishInFlight?: boolean | undefined
  /** Said in messages: "sending purchase 42", "checking the API key". */
  readonly what: string
}

export function createConnectifClient(options: ConnectifClientOptions): ConnectifApi {
  const baseUrl = checkedBaseUrl(options.account.apiUrl)
  const host = new URL(baseUrl).host
  const clock = options.clock ?? systemClock
  const limiter: AccountRateLimiter = rateLimiterFor(
    options.account,
    options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE,
    clock,
    options.limiterOptions,
  )
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const random = options.random ?? Math.random
  const onWait = options.onWait
  const authorization = `apiKey ${options.account.apiKey.trim()}`

  const notify = (wait: ConnectifWait): void => {
    try {
      onWait?.(wait)
    } catch {
      // The UI's trouble must not break a sending.
    }
  }

  const onSharing = options.onSharing
  let sharedPerMinute = 0
  const watchSharing = (): void => {
    if (onSharing === undefined) return
    const sharing = limiter.sharedWith()
    const perMinute = sharing?.requestsPerMinute ?? 0
    if (perMinute === sharedPerMinute) return
    sharedPerMinute = perMinute
    try {
      onSharing(sharing)
    } catch {
      // As for waits: the listener's trouble is not the sending's.
    }
  }

  const backoffMs = (failures: number, retryAfterMs: number | undefined): number => {
    const exponential = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (failures - 1))
    // Half fixed, half random: spreads retries of parallel sendings without ever retrying at once.
    const jittered = exponential / 2 + (exponential / 2) * random()
    return Math.min(retry.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0))
  }

  async function exchange(plan: RequestPlan): Promise<Exchange> {
    let attempts = 0
    let failures = 0
    for (;;) {
      const permit = await limiter.acquire(plan.signal, onWait === undefined ? undefined : notify)
      attempts += 1
      let response: HttpAnswer | undefined
      let failure: RequestError | undefined
      try {
        response = await readAnswer(`${baseUrl}${plan.path}`, {
          method: plan.method,
          ...(plan.searchParams === undefined ? {} : { searchParams: plan.searchParams }),
          ...(plan.json === undefined ? {} : { json: plan.json }),
          ...(plan.form === undefined ? {} : { body: plan.form() }),
          headers: {
            authorization,
            accept: 'application/json',
            'user-agent': USER_AGENT,
          },
          throwHttpErrors: false,
          followRedirect: false,
          retry: { limit: 0 },
          timeout: { request: plan.timeoutMs ?? timeoutMs },
          ...(plan.signal === undefined || plan.finishInFlight ? {} : { signal: plan.signal }),
        })
      } catch (error) {
        if (plan.signal?.aborted && !plan.finishInFlight) {
          permit.release()
          throw plan.signal.reason
        }
        failure = error as RequestError
      }
      if (response !== undefined) {
        limiter.observe(response.headers, response.statusCode, permit)
        watchSharing()
      }
      permit.release()

      if (response !== undefined && response.statusCode === 429) continue
      if (response !== undefined && response.statusCode < 500) {
        return { kind: 'answer', answer: toAnswer(response), headers: response.headers, attempts }
      }

      failures += 1
      const tls = failure !== undefined && TLS_ERROR_CODES.has(failure.code)
      if (failures >= plan.attempts || tls) {
        return response === undefined
          ? {
              kind: 'unavailable',
              status: null,
              body: '',
              message: `${capitalise(plan.what)} failed after ${attempts} ${plural(attempts, 'attempt')}: ${describeNetworkError(failure, host, timeoutMs)}`,
              attempts,
            }
          : {
              kind: 'unavailable',
              status: response.statusCode,
              body: response.stored,
              message: `Connectif answered ${statusText(response)} to ${attempts} ${plural(attempts, 'attempt')} at ${plan.what}${detailSuffix(toAnswer(response).parsed)}. It seems to be having trouble; try again later.`,
              attempts,
            }
      }
      const delay = backoffMs(failures, response === undefined ? undefined : retryAfter(response))
      notify({ reason: 'retry', until: clock.now() + delay })
      await clock.sleep(delay, plan.signal)
    }
  }

  async function callImports(plan: RequestPlan, creating: boolean): Promise<ImportCallResult> {
    const result = await exchange(plan)
    if (result.kind === 'unavailable') {
      return {
        outcome: { kind: 'unavailable' },
        status: result.status,
        code: null,
        message: result.message,
        body: result.body,
        attempts: result.attempts,
      }
    }
    const { answer, attempts } = result
    const outcome = classifyImportAnswer(answer.status, answer.text, creating)
    return {
      outcome,
      status: answer.status,
      code: answer.parsed.code ?? null,
      message: importMessage(outcome, answer.status, answer.parsed.detail?.trim(), plan.what),
      body: answer.body,
      attempts,
    }
  }

  async function call(plan: RequestPlan): Promise<ConnectifResult> {
    const result = await exchange(plan)
    if (result.kind === 'unavailable') {
      return {
        outcome: { kind: 'unavailable' },
        status: result.status,
        code: null,
        message: result.message,
        body: result.body,
        attempts: result.attempts,
      }
    }
    const { answer, attempts } = result
    const outcome = classify(answer)
    return {
      outcome,
      status: answer.status,
      code: answer.parsed.code ?? null,
      message: messageFor(outcome, answer, plan.what),
      body: answer.body,
      attempts,
    }
  }

  return {
    accountKey: connectifAccountKey(options.account),
    createPurchase(purchase: PurchaseCreation, callOptions): Promise<ConnectifResult> {
      return call({
        method: 'POST',
        path: '/purchases/',
        searchParams: { triggerPurchaseEvent: String(callOptions.triggerPurchaseEvent) },
        json: purchase,
        attempts: retry.attempts,
        signal: callOptions.signal,
        finishInFlight: callOptions.finishInFlight,
        what: `sending purchase ${purchase.purchaseId}`,
      })
    },

    upsertContact(contact: ContactUpsert, callOptions?: CallOptions): Promise<ConnectifResult> {
      return call({
        method: 'PATCH',
        path: `/contacts/${encodeURIComponent(contact.email)}`,
        json: contactBody(contact),
        attempts: retry.attempts,
        signal: callOptions?.signal,
        finishInFlight: callOptions?.finishInFlight,
        what: `creating contact ${contact.email}`,
      })
    },

    upsertProduct(product: CatalogueProduct, callOptions?: CallOptions): Promise<ConnectifResult> {
      return call({
        method: 'PATCH',
        path: `/products/product-id/${encodeURIComponent(product.productId)}`,
        json: productBody(product),
        attempts: retry.attempts,
        signal: callOptions?.signal,
        finishInFlight: callOptions?.finishInFlight,
        what: `creating product ${product.productId}`,
      })
    },

    async checkAccess(callOptions?: CallOptions): Promise<AccessCheck> {
      const result = await exchange({
        method: 'GET',
        path: `/purchases/purchase-id/${encodeURIComponent(ACCESS_CHECK_PURCHASE_ID)}`,
        attempts: Math.min(retry.attempts, ACCESS_CHECK_ATTEMPTS),
        signal: callOptions?.signal,
        what: 'checking the API key',
      })
      if (result.kind === 'unavailable') {
        return result.status === null
          ? { ok: false, problem: 'unreachable', message: result.message }
          : { ok: false, problem: 'unexpected', message: result.message }
      }
      const { answer } = result
      const missing = answer.status === 404 ? missingConnectifSignature(answer, result.headers) : []
      if (missing.length > 0) {
        // Anything at the address answers 404 to a path it lacks: only Connectif's own 404 says
        // the key was accepted.
        return {
          ok: false,
          problem: 'not_connectif',
          message: `${baseUrl} does not answer like Connectif's API: it answered 404 to a purchase lookup without Connectif's ${missing.join(' and ')}, so the key could not be checked. Check the API URL (Connectif's is ${DEFAULT_CONNECTIF_URL}).`,
        }
      }
      if (answer.status === 404 || (answer.status >= 200 && answer.status < 300)) {
        return {
          ok: true,
          problem: 'ok',
          message: `Connectif at ${host} accepts the API key and lets it read purchases. Write Purchases is only proven by the first purchase sent.`,
        }
      }
      if (answer.status === 401) {
        return {
          ok: false,
          problem: 'bad_key',
          message: `Connectif at ${host} does not recognise this API key (401). Copy the whole key, KeyId:KeySecret, from Store Settings → API and IP access → API Keys.`,
        }
      }
      if (answer.status === 403) {
        return {
          ok: false,
          problem: 'no_permission',
          message: `Connectif at ${host} refused the API key (403): it lacks a permission, or the account is blocked. The key needs Read Purchases and Write Purchases (and Write Contacts and Write Products to create missing contacts and products).`,
        }
      }
      return {
        ok: false,
        problem: 'unexpected',
        message: `Connectif at ${host} answered ${answer.status} when asked for a purchase${detailSuffix(answer.parsed)}; check the API URL.`,
      }
    },

    createImport(file: ImportFile, callOptions?: CallOptions): Promise<ImportCallResult> {
      // A retry after a lost answer may queue the file twice: harmless, as an import never
      // overwrites (overrideExisting=false) and the second finds everything there.
      return callImports(
        {
          method: 'POST',
          path: '/imports/',
          form: () => importForm(file),
          timeoutMs: Math.max(timeoutMs, IMPORT_UPLOAD_TIMEOUT_MS),
          attempts: retry.attempts,
          signal: callOptions?.signal,
          finishInFlight: callOptions?.finishInFlight,
          what: `importing ${file.type} (${file.fileName})`,
        },
        true,
      )
    },

    getImport(importId: string, callOptions?: CallOptions): Promise<ImportCallResult> {
      return callImports(
        {
          method: 'GET',
          path: `/imports/${encodeURIComponent(importId)}`,
          attempts: retry.attempts,
          signal: callOptions?.signal,
          finishInFlight: callOptions?.finishInFlight,
          what: `reading import ${importId}`,
        },
        false,
      )
    },

    async checkImportAccess(callOptions?: CallOptions): Promise<ImportAccessCheck> {
      const result = await exchange({
        method: 'GET',
        path: '/imports/',
        searchParams: { limit: '1' },
        attempts: Math.min(retry.attempts, ACCESS_CHECK_ATTEMPTS),
        signal: callOptions?.signal,
        what: 'checking the Imports permission',
      })
      if (result.kind === 'unavailable') return { allowed: null, message: result.message }
      const status = result.answer.status
      if (status >= 200 && status < 300)
        return { allowed: true, message: `The API key may use Connectif's Import API.` }
      if (status === 403)
        return {
          allowed: false,
          message: `Connectif at ${host} refused the API key the Import API (403): missing contacts and products will be created one request at a time, which is slower. Give the key the Imports permission to create them in bulk.`,
        }
      return {
        allowed: null,
        message: `Connectif at ${host} answered ${status} when asked for its imports${detailSuffix(result.answer.parsed)}.`,
      }
    },
  }
}

function checkedBaseUrl(apiUrl: string): string {
  let url: URL
  try {
    url = new URL(apiUrl.trim())
  } catch {
    throw new TypeError(`The Connectif API URL "${apiUrl}" is not a URL.`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`The Connectif API URL "${apiUrl}" must start with https://.`)
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

function contactBody(contact: ContactUpsert): Record<string, string> {
  const body: Record<string, string> = {}
  const firstname = contact.firstname?.trim() ?? ''
  const lastname = contact.lastname?.trim() ?? ''
  if (firstname !== '') body._name = firstname
  if (lastname !== '') body._surname = lastname
  return body
}

/** `ProductCreation` (docs/connectif-api.md §4a): the catalogue entry, never an order's line. */
function productBody(product: CatalogueProduct): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: product.name,
    unitPrice: product.unitPrice,
    unitPriceWithoutVAT: product.unitPriceWithoutVAT,
  }
  if (product.productDetailUrl !== undefined) body.productDetailUrl = product.productDetailUrl
  if (product.imageUrl !== undefined) body.imageUrl = product.imageUrl
  if (product.categories !== undefined && product.categories.length > 0) {
    body.categories = [...product.categories]
  }
  if (product.brand !== undefined && product.brand !== '') body.brand = product.brand
  body.availability = product.availability
  body.isBlacklisted = product.isBlacklisted
  return body
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`
}
