/**
 * What an account's answers tell of its other consumers (the live shop's module, another
 * integration): within one rate window, the fall of `X-RateLimit-Remaining` that our own answers
 * do not explain is theirs. Their rate is smoothed over about a window, and the account counts
 * as shared from SHARE_ON of our configured rate until it falls under SHARE_OFF. The rate
 * limiter (rate-limiter.ts) keeps them that much room.
 */

/**
 * What one window's answers told about the account's other consumers: between our highest and
 * lowest `Remaining`, every request not of ours was someone else's.
 */
interface WindowWatch {
  resetAt: number
  highest: number
  lowest: number
  /** Our answers in the window that the server counted. */
  ours: number
  /** Our requests of the window that got no answer: the server may have counted them. */
  lost: number
  firstAt: number
  lastAt: number
  /** Other requests and observed time already added to the smoothed totals. */
  fedOthers: number
  fedMs: number
}

/** Connectif's documented window, until two windows in a row tell the real one. */
const DEFAULT_WINDOW_MS = 60_000
/**
 * Another consumer counts from this share of our configured rate, and stops counting below its
 * half: a lost answer (counted by the server, never heard) is not another integration.
 */
const SHARE_ON = 0.05
const SHARE_OFF = 0.025
/** Rates are never read off less than this share of a window's observation. */
const MIN_OBSERVED_SHARE = 0.5

export class SharedBudget {
  #watch: WindowWatch | null = null
  /** Shortest time seen between two windows' resets: the window's length. */
  #windowMs: number | null = null
  /** Longest time seen until a reset, a lower bound of the window's length until it is known. */
  #longestResetWait = 0
  /** Other consumers' requests and the time we watched, both decaying over about a window. */
  #others = 0
  #watchedMs = 0
  #decayedAt = 0
  #sharing = false

  get sharing(): boolean {
    return this.#sharing
  }

  /** One of our requests got no answer: the server may have counted it, it is not another's. */
  noteLost(): void {
    if (this.#watch !== null) this.#watch.lost += 1
  }

  /**
   * Learns from one answer (not a 429) of the window ending at `resetAt`: the fall of
   * `Remaining` that our own answers do not explain is another consumer's.
   */
  learn(remaining: number, resetAt: number, now: number, requestsPerMinute: number): boolean {
    this.#longestResetWait = Math.max(this.#longestResetWait, resetAt - now)
    let watch = this.#watch
    if (watch === null || resetAt >= watch.resetAt + 1_000) {
      if (watch !== null) {
        // Resets in whole seconds: a window is never taken for shorter than one.
        const gap = Math.max(1_000, resetAt - watch.resetAt)
        this.#windowMs = this.#windowMs === null ? gap : Math.min(this.#windowMs, gap)
      }
      watch = {
        resetAt,
        highest: remaining,
        lowest: remaining,
        ours: 1,
        lost: 0,
        firstAt: now,
        lastAt: now,
        fedOthers: 0,
        fedMs: 0,
      }
      this.#watch = watch
      this.#decay(now)
      return false
    }
    if (resetAt <= watch.resetAt - 1_000) return false
    watch.resetAt = Math.min(watch.resetAt, resetAt)
    watch.ours += 1
    watch.highest = Math.max(watch.highest, remaining)
    watch.lowest = Math.min(watch.lowest, remaining)
    watch.lastAt = Math.max(watch.lastAt, now)
    // Answers overtake each other: one counted before the lowest but heard after it is taken
    // for another consumer's until it comes, then given back.
    const others = Math.max(0, watch.highest - watch.lowest - (watch.ours - 1) - watch.lost)
    const watched = watch.lastAt - watch.firstAt
    this.#decay(now)
    this.#others = Math.max(0, this.#others + others - watch.fedOthers)
    this.#watchedMs += watched - watch.fedMs
    watch.fedOthers = others
    watch.fedMs = watched
    return this.#updateSharing(requestsPerMinute)
  }

  /** Both totals lose weight with time, so the rate follows the last window or so. */
  #decay(now: number): void {
    const elapsed = now - this.#decayedAt
    this.#decayedAt = now
    if (elapsed <= 0) return
    const factor = Math.exp(-elapsed / this.windowLengthMs())
    this.#others *= factor
    this.#watchedMs *= factor
  }

  /** The other consumers' smoothed rate, in requests per millisecond. */
  otherRatePerMs(): number {
    const least = MIN_OBSERVED_SHARE * this.windowLengthMs()
    return this.#others / Math.max(this.#watchedMs, least)
  }

  /** True when whether the account is shared changed. */
  #updateSharing(requestsPerMinute: number): boolean {
    const share = (this.otherRatePerMs() * 60_000) / requestsPerMinute
    const was = this.#sharing
    this.#sharing = share >= (was ? SHARE_OFF : SHARE_ON)
    return this.#sharing !== was
  }

  /**
   * The window's length as two windows in a row told it; until then the documented one, or the
   * longest wait for a reset seen when that is longer.
   */
  windowLengthMs(): number {
    return this.#windowMs ?? Math.max(this.#longestResetWait, DEFAULT_WINDOW_MS)
  }
}
