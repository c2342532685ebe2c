/**
 * What one sending's run tells the diagnostic log: its start, its end with its counts and
 * Connectif's tally (statuses, retries, waits), its waits (throttled) and its notices. The run
 * (main/core/sending/sending-run.ts) hands it its dependencies once, to get Connectif clients that
 * log their answers, and calls it at each of those moments. Without a logger it writes nothing
 * and leaves the clients as they are.
 */
import type { ConnectifWait } from '../connectif/connectif-api'
import type { SendingCounts, SendingRecord, SendingState } from '../history/history-types'
import { targetLabel } from '../profiles/profile-rules'
import { MAIN_ACCOUNT_LABEL } from '../sending/connectif-routing'
import type { EngineDependencies } from '../sending/sending-types'
import { NO_LOGGER, type AppLogger } from './log-events'
import { loggedConnectif, newTally, WaitLog, type ConnectifTally } from './logged-connectif'

export class SendingLog {
  readonly #logger: AppLogger
  readonly #sending: SendingRecord
  readonly #deps: EngineDependencies
  readonly #tally: ConnectifTally = newTally()
  readonly #waits: WaitLog | null
  #startedAt = 0

  constructor(deps: EngineDependencies, sending: SendingRecord) {
    this.#deps = deps
    this.#sending = sending
    this.#logger = deps.logger ?? NO_LOGGER
    this.#waits = deps.logger
      ? new WaitLog({
          logger: this.#logger,
          sendingId: sending.id,
          clock: deps.clock,
          tally: this.#tally,
        })
      : null
  }

  /** `deps`, with Connectif clients that log (and tally) each answer when there is a logger. */
  loggedDependencies(): EngineDependencies {
    const deps = this.#deps
    if (!deps.logger) return deps
    return {
      ...deps,
      connectif: (ref, hooks) =>
        loggedConnectif(deps.connectif(ref, hooks), {
          logger: this.#logger,
          sendingId: this.#sending.id,
          clock: deps.clock,
          tally: this.#tally,
          account: ref.kind === 'main' ? MAIN_ACCOUNT_LABEL : targetLabel(ref.target),
        }),
    }
  }

  wait(wait: ConnectifWait): void {
    this.#waits?.note(wait)
  }

  started(targets: number): void {
    const sending = this.#sending
    this.#startedAt = this.#deps.clock.now()
    this.#logger.log({
      event: 'sending_start',
      sendingId: sending.id,
      profileId: sending.profileId,
      mode: sending.mode,
      origin: sending.origin,
      expectedTotal: sending.expectedTotal,
      resumed: sending.cursor !== null || sending.readComplete || sending.counts.total > 0,
      rateLimit: sending.options.rateLimit,
      skipSent: sending.options.skipSent === true,
      createContacts: sending.options.createContacts,
      createProducts: sending.options.createProducts,
      triggerWorkflows: sending.options.triggerWorkflows,
      targets,
    })
  }

  notice(notice: { code: string; message: string }, account: string | undefined): void {
    this.#logger.log({
      event: 'sending_notice',
      sendingId: this.#sending.id,
      code: notice.code,
      message: notice.message,
      ...(account === undefined ? {} : { account }),
    })
  }

  ended(
    state: SendingState,
    finished: { readonly counts: SendingCounts; readonly alreadySent: number },
    fatal: { readonly code: string; readonly message: string } | null,
  ): void {
    this.#logger.log({
      event: 'sending_end',
      sendingId: this.#sending.id,
      state,
      durationMs: Math.max(0, this.#deps.clock.now() - this.#startedAt),
      counts: finished.counts,
      alreadySent: finished.alreadySent,
      fatal,
      http: this.#tally.http,
      retries: this.#tally.retries,
      waits: this.#tally.waits,
    })
  }
}
