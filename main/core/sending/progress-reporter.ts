/**
 * A running sending's progress events: counters turned into throttled events (about ten a
 * second) with a pace, an estimate and, for a routed sending, the counts per account.
 */
import type { Clock } from '../clock'
import type { ConnectifSharing, ConnectifWait } from '../connectif/connectif-api'
import type { SendingCounts, SendingRecord } from '../history/history-types'
import type { PreparingEvent, SendingEvent, TargetCounts } from './sending-events'

/** The preparing step as the run tells it; `reading` counts come from the history. */
export type PreparingState =
  { readonly step: 'reading' } | Omit<PreparingEvent, 'type' | 'sendingId' | 'total' | 'notice'>

const EVENT_INTERVAL_MS = 100
const TARGET_COUNTS_INTERVAL_MS = 1_000

/**
 * Turns counters into throttled progress events with a pace and an estimate. The pace counts
 * orders answered by Connectif in the last minute; before there is one, the estimate assumes the
 * account's rate limit (about one request per order).
 */
export class ProgressReporter {
  readonly #clock: Clock
  readonly #sending: SendingRecord
  readonly #counts: () => SendingCounts
  readonly #emit: (event: SendingEvent) => void
  readonly #byTarget: (() => TargetCounts[]) | null
  readonly #alreadySent: () => number
  /** Per-account counts group every order of the sending: refreshed once a second at most. */
  #targetCounts: { at: number; value: TargetCounts[] } | null = null
  readonly #answered: { at: number; count: number }[] = []
  #waiting: ConnectifWait | null = null
  #sharedWith: ConnectifSharing | null = null
  /** While the sending prepares, its events say so instead of counting orders sent. */
  #preparing: PreparingState | null = null
  #lastEmit = 0
  /** The trailing event's wait on the injected clock, so tests and benches control it too. */
  #timer: AbortController | null = null
  #stopped = false

  constructor(
    clock: Clock,
    sending: SendingRecord,
    counts: () => SendingCounts,
    emit: (event: SendingEvent) => void,
    byTarget: (() => TargetCounts[]) | null,
    /** Orders of the range left out as already sent: the store counted them, none will come. */
    alreadySent: () => number = () => 0,
  ) {
    this.#alreadySent = alreadySent
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

  /** Another integration uses the account's budget at this rate, or (null) no longer does. */
  sharing(sharedWith: ConnectifSharing | null): void {
    this.#sharedWith = sharedWith
    this.changed()
  }

  /**
   * The sending is preparing (`state`), or sends from now on (null). A new step (or another
   * import) is told at once, as a lifecycle event is: only the counts within a step wait.
   */
  preparing(state: PreparingState | null): void {
    const previous = this.#preparing
    this.#preparing = state
    const same =
      previous !== null &&
      state !== null &&
      previous.step === state.step &&
      (state.step === 'reading' ||
        (previous.step === 'importing' &&
          previous.what === state.what &&
          previous.account === state.account &&
          previous.status === state.status))
    if (same || this.#stopped) this.changed()
    else this.#publish()
  }

  /** A notice of the preparing step goes out at once: it is said once, and must not be lost. */
  notice(event: Omit<PreparingEvent, 'type' | 'sendingId'>): void {
    if (this.#stopped) return
    this.#emit({ type: 'preparing', sendingId: this.#sending.id, ...event })
  }

  changed(): void {
    if (this.#stopped) return
    const now = this.#clock.now()
    if (now - this.#lastEmit >= EVENT_INTERVAL_MS) {
      this.#publish()
      return
    }
    if (this.#timer) return
    const timer = new AbortController()
    this.#timer = timer
    this.#clock.sleep(EVENT_INTERVAL_MS - (now - this.#lastEmit), timer.signal).then(
      () => {
        if (this.#timer === timer) this.#publish()
      },
      () => undefined,
    )
  }

  stop(): void {
    this.#stopped = true
    this.#timer?.abort()
    this.#timer = null
  }

  #publish(): void {
    this.#timer?.abort()
    this.#timer = null
    if (this.#stopped) return
    const now = this.#clock.now()
    this.#lastEmit = now
    const preparing = this.#preparing
    if (preparing !== null) {
      this.#emit(this.#preparingEvent(preparing))
      return
    }
    while (this.#answered.length > 0 && (this.#answered[0]?.at ?? now) < now - 60_000)
      this.#answered.shift()
    const lastMinute = this.#answered.reduce((sum, entry) => sum + entry.count, 0)
    const oldest = this.#answered[0]?.at ?? now
    const spanMinutes = Math.max((now - oldest) / 60_000, 1 / 60)
    const perMinute = this.#answered.length > 1 ? Math.round(lastMinute / spanMinutes) : 0
    const counts = this.#counts()
    const alreadySent = this.#alreadySent()
    const expected = Math.max(0, this.#sending.expectedTotal - alreadySent)
    const unread = Math.max(0, expected - counts.total)
    const toSend = counts.pending + unread
    const pace = perMinute > 0 ? perMinute : this.#sending.options.rateLimit
    const byTarget = this.#targets(now)
    this.#emit({
      type: 'progress',
      sendingId: this.#sending.id,
      expectedTotal: Math.max(expected, counts.total),
      counts,
      perMinute,
      etaSeconds: toSend === 0 ? 0 : pace > 0 ? Math.ceil((toSend / pace) * 60) : null,
      waiting: this.#waiting && this.#waiting.until > now ? this.#waiting : null,
      ...(this.#sharedWith ? { sharedWith: this.#sharedWith } : {}),
      ...(byTarget ? { byTarget } : {}),
      ...(this.#sending.options.skipSent === true ? { alreadySent } : {}),
    })
  }

  #preparingEvent(state: PreparingState): PreparingEvent {
    if (state.step === 'importing')
      return { type: 'preparing', sendingId: this.#sending.id, ...state }
    const total = Math.max(0, this.#sending.expectedTotal - this.#alreadySent())
    const read = this.#counts().total
    return {
      type: 'preparing',
      sendingId: this.#sending.id,
      step: 'reading',
      count: read,
      total: Math.max(total, read),
    }
  }
}
