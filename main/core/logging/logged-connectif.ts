/**
 * What a sending tells the diagnostic log about Connectif: a Connectif client that logs each
 * call's outcome (the HTTP status, Connectif's error code, the attempts, never a body nor the
 * address's e-mail or product id) and tallies them for the sending's last line, and a throttle
 * for the waits (rate-limit pauses, retry back-offs) so a long outage writes a few lines, not one
 * per request.
 */
import type { Clock } from '../clock'
import type {
  ConnectifApi,
  ConnectifResult,
  ConnectifWait,
  ImportCallResult,
} from '../connectif/connectif-api'
import type { AppLogger, ConnectifCall } from './log-events'

/** A sending's Connectif answers, for its `sending_end` line. */
export interface ConnectifTally {
  /** Final answers by HTTP status (`none`: no answer came). */
  readonly http: Record<string, number>
  retries: number
  waits: number
}

export function newTally(): ConnectifTally {
  return { http: {}, retries: 0, waits: 0 }
}

export interface LoggedConnectifOptions {
  readonly logger: AppLogger
  readonly sendingId: number | null
  /** `main` or a routing target's label. */
  readonly account: string
  readonly clock: Clock
  readonly tally?: ConnectifTally
}

/** `api`, each of its calls logged (and tallied) once it has its final answer. */
export function loggedConnectif(api: ConnectifApi, options: LoggedConnectifOptions): ConnectifApi {
  const { logger, clock, tally } = options
  const watch = async <R extends ConnectifResult | ImportCallResult>(
    call: ConnectifCall,
    request: () => Promise<R>,
  ): Promise<R> => {
    const started = clock.now()
    const result = await request()
    const status = result.status === null ? 'none' : String(result.status)
    if (tally) {
      tally.http[status] = (tally.http[status] ?? 0) + 1
      tally.retries += Math.max(0, result.attempts - 1)
    }
    logger.log({
      event: 'connectif_answer',
      sendingId: options.sendingId,
      account: options.account,
      call,
      status: result.status,
      outcome: result.outcome.kind,
      code: result.code,
      attempts: result.attempts,
      durationMs: Math.max(0, clock.now() - started),
    })
    return result
  }
  return {
    accountKey: api.accountKey,
    createPurchase: (purchase, callOptions) =>
      watch('purchase', () => api.createPurchase(purchase, callOptions)),
    upsertContact: (contact, callOptions) =>
      watch('contact', () => api.upsertContact(contact, callOptions)),
    upsertProduct: (product, callOptions) =>
      watch('product', () => api.upsertProduct(product, callOptions)),
    createImport: (file, callOptions) => watch('import', () => api.createImport(file, callOptions)),
    getImport: (importId, callOptions) =>
      watch('import_status', () => api.getImport(importId, callOptions)),
    checkAccess: (callOptions) => api.checkAccess(callOptions),
    checkImportAccess: (callOptions) => api.checkImportAccess(callOptions),
  }
}

/** Logs a sending's waits, at most one line per reason every `intervalMs`. */
export class WaitLog {
  readonly #options: Omit<LoggedConnectifOptions, 'account'>
  readonly #intervalMs: number
  readonly #last = new Map<ConnectifWait['reason'], number>()
  readonly #unlogged = new Map<ConnectifWait['reason'], number>()

  constructor(options: Omit<LoggedConnectifOptions, 'account'>, intervalMs = 10_000) {
    this.#options = options
    this.#intervalMs = intervalMs
  }

  note(wait: ConnectifWait): void {
    const { clock, tally, logger } = this.#options
    if (tally) tally.waits += 1
    const now = clock.now()
    const last = this.#last.get(wait.reason)
    if (last !== undefined && now - last < this.#intervalMs) {
      this.#unlogged.set(wait.reason, (this.#unlogged.get(wait.reason) ?? 0) + 1)
      return
    }
    this.#last.set(wait.reason, now)
    logger.log({
      event: 'connectif_wait',
      sendingId: this.#options.sendingId,
      reason: wait.reason,
      waitMs: Math.max(0, wait.until - now),
      unlogged: this.#unlogged.get(wait.reason) ?? 0,
    })
    this.#unlogged.set(wait.reason, 0)
  }
}
