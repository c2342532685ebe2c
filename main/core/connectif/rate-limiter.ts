/**
 * Pacing of the requests to one Connectif account (docs/connectif-api.md §8).
 *
 * Connectif counts every request of an account against one budget (100 per minute by default),
 * whatever the API key, so every sending to the same account in this process must draw from one
 * limiter: two sendings with a limiter each would together send twice the budget and collect 429s.
 *
 * Other integrations of the account (the live shop's Connectif module, with its own key) draw
 * from the same budget. The limiter spreads what is left of each window evenly over the time left,
 * and watches `Remaining` fall: whatever our own answered requests do not explain is another
 * consumer's, whose rate (smoothed over about a window) it leaves room for, plus a margin.
 */
import type { Clock } from '../clock'
import { accountIdentity } from './account-key'
import { SharedBudget } from './shared-budget'
import type { ConnectifAccount, ConnectifSharing, ConnectifWait } from './connectif-api'

export const DEFAULT_REQUESTS_PER_MINUTE = 100

export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>

export interface RateLimitPermit {
  /**
   * Frees the in-flight slot. Call once, after `observe` when an answer came; without an answer
   * the request may still have been counted, so the known budget loses one.
   */
  release(): void
}

export interface RateLimiterOptions {
  /**
   * At most this many requests of the account awaiting their answer at once, once the server
   * has told its budget (one at a time before that, and after a 429). Default 8.
   */
  readonly maxInFlight?: number
  /**
   * Added to every reset time the server announces. Its clock and ours never agree exactly, and
   * `X-RateLimit-Reset` only has whole seconds. Default 250 ms.
   */
  readonly resetMarginMs?: number
  /** Shortest pause after a 429, so a reset announced slightly early cannot cause a 429 storm. */
  readonly minPauseMs?: number
  /** Pause after a 429 that says nothing about when the budget comes back: one whole window. */
  readonly fallbackPauseMs?: number
  /** Longest wait a reset may ask for; anything later comes from a clock far off ours. */
  readonly maxResetWaitMs?: number
  /**
   * Room left for another consumer of the account beyond its observed rate, as a share of it:
   * 0.2 keeps 20 % more than it used in a window. Default 0.2.
   */
  readonly shareMargin?: number
  /**
   * The slowest pace sharing may bring us to, as a share of the configured rate: a consumer
   * that seems to take everything never stops a sending. Default 0.1.
   */
  readonly shareFloor?: number
}

export interface RateLimiterStats {
  readonly requestsPerMinute: number
  readonly started: number
  readonly inFlight: number
  readonly queued: number
  readonly rateLimited: number
  /** Epoch ms until which the whole account waits after a 429; 0 when not paused. */
  readonly pausedUntil: number
  /** Another consumer of the account, as observed now; null when none is. */
  readonly sharedWith: ConnectifSharing | null
}

interface Waiter {
  readonly resolve: (permit: RateLimitPermit) => void
  readonly reject: (reason: unknown) => void
  readonly onWait: ((wait: ConnectifWait) => void) | undefined
  announcedUntil: number
  detach: () => void
}

/** The lowest budget the server told us about in its current window. */
interface KnownBudget {
  readonly remaining: number
  readonly resetAt: number
}

interface RateLimitHints {
  readonly remaining?: number
  readonly resetAt?: number
  readonly retryAt?: number
}

// Only a wake-up call ends an in-flight wait; the poll is a safety net, not the mechanism.
const CAPACITY_POLL_MS = 1_000
/**
 * The most lateness the pacing makes up for. Catching up sends a few requests closer together
 * than the interval, never more than the schedule allows in all: the budget of a window holds.
 */
const LAG_CATCH_UP_MS = 50
// Date headers have whole seconds; a smaller difference is rounding, not a wrong clock.
const SKEW_TOLERANCE_MS = 2_000

export class AccountRateLimiter {
  readonly #clock: Clock
  readonly #maxInFlight: number
  readonly #resetMarginMs: number
  readonly #minPauseMs: number
  readonly #fallbackPauseMs: number
  readonly #maxResetWaitMs: number
  #requestsPerMinute: number
  #queue: Waiter[] = []
  #pumping = false
  #wakeController: AbortController | null = null
  #started = 0
  #inFlight = 0
  #rateLimited = 0
  #pausedUntil = 0
  #budget: KnownBudget | null = null
  readonly #observed = new WeakSet<RateLimitPermit>()
  #probing = true
  readonly #shareMargin: number
  readonly #shareFloor: number
  /** The scheduled time of the last request granted; the next is one pace after it. */
  #lastSlotAt = -Infinity
  /** What the answers tell of the account's other consumers. */
  readonly #share = new SharedBudget()

  constructor(requestsPerMinute: number, clock: Clock, options: RateLimiterOptions = {}) {
    this.#requestsPerMinute = checkedLimit(requestsPerMinute)
    this.#clock = clock
    this.#maxInFlight = Math.max(1, Math.floor(options.maxInFlight ?? 8))
    this.#resetMarginMs = Math.max(0, options.resetMarginMs ?? 250)
    this.#minPauseMs = Math.max(0, options.minPauseMs ?? 1_000)
    this.#fallbackPauseMs = Math.max(0, options.fallbackPauseMs ?? 60_000)
    this.#maxResetWaitMs = Math.max(1, options.maxResetWaitMs ?? 120_000)
    this.#shareMargin = Math.max(0, options.shareMargin ?? 0.2)
    this.#shareFloor = Math.min(1, Math.max(0.01, options.shareFloor ?? 0.1))
  }

  get requestsPerMinute(): number {
    return this.#requestsPerMinute
  }

  setRequestsPerMinute(requestsPerMinute: number): void {
    this.#requestsPerMinute = checkedLimit(requestsPerMinute)
    this.#wake()
  }

  stats(): RateLimiterStats {
    return {
      requestsPerMinute: this.#requestsPerMinute,
      started: this.#started,
      inFlight: this.#inFlight,
      queued: this.#queue.length,
      rateLimited: this.#rateLimited,
      pausedUntil: this.#pausedUntil > this.#clock.now() ? this.#pausedUntil : 0,
      sharedWith: this.sharedWith(),
    }
  }

  /**
   * Another consumer of the account's budget (another key, another integration), when the
   * answers show one, with its smoothed rate; null otherwise.
   */
  sharedWith(): ConnectifSharing | null {
    if (!this.#share.sharing) return null
    return { requestsPerMinute: Math.max(1, Math.round(this.#share.otherRatePerMs() * 60_000)) }
  }

  /**
   * Resolves when a request may start, in the order asked. Rejects with the signal's reason when
   * it aborts first. `onWait` hears about waits for the rate limit (not ordinary pacing).
   */
  acquire(signal?: AbortSignal, onWait?: (wait: ConnectifWait) => void): Promise<RateLimitPermit> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error)
    return new Promise<RateLimitPermit>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, onWait, announcedUntil: 0, detach: () => {} }
      if (signal !== undefined) {
        const onAbort = (): void => {
          const index = this.#queue.indexOf(waiter)
          if (index === -1) return
          this.#queue.splice(index, 1)
          reject(signal.reason as Error)
          this.#wake()
        }
        signal.addEventListener('abort', onAbort, { once: true })
        waiter.detach = () => signal.removeEventListener('abort', onAbort)
      }
      this.#queue.push(waiter)
      if (this.#pumping) this.#wake()
      else void this.#pump()
    })
  }

  /**
   * Learns from an answer's rate-limit headers; a 429 pauses every request of the account. Pass
   * the request's permit, so that its release knows the answer was heard.
   */
  observe(headers: ResponseHeaders, status: number, permit?: RateLimitPermit): void {
    if (permit !== undefined) this.#observed.add(permit)
    const now = this.#clock.now()
    const hints = readRateLimitHints(headers, now, this.#maxResetWaitMs)
    const current = this.#budget
    const expired = current === null || now >= current.resetAt + this.#marginMs()
    if (status === 429) {
      this.#rateLimited += 1
      const knownReset = current !== null && current.resetAt > now ? current.resetAt : undefined
      const resumeAt = hints.retryAt ?? hints.resetAt ?? knownReset ?? now + this.#fallbackPauseMs
      // Two intervals at least, and never more than the configured minimum: a short pause
      // suits a fast limit (tests, benchmarks), a long one a reset announced slightly early.
      const minPause = Math.min(this.#minPauseMs, 2 * this.#intervalMs())
      const until = Math.max(resumeAt + this.#resetMarginMs, now + minPause)
      this.#pausedUntil = Math.max(this.#pausedUntil, until)
      this.#budget = { remaining: 0, resetAt: resumeAt }
      this.#probing = true
    } else if (hints.remaining !== undefined) {
      const resetAt = hints.resetAt ?? (expired ? undefined : current.resetAt)
      if (resetAt !== undefined) this.#probing = false
      if (resetAt === undefined) {
        // A count without a reset time cannot say when the budget comes back: pacing alone.
      } else if (expired || resetAt >= current.resetAt + 1_000) {
        this.#budget = { remaining: hints.remaining, resetAt }
        this.#learn(hints.remaining, resetAt, now)
      } else if (resetAt > current.resetAt - 1_000) {
        // Same window. Answers overtake each other, but the server's count only goes down
        // within a window, so the lowest is the latest; and a Reset given as whole seconds left
        // overshoots by up to a second, so the earliest is the closest to the truth.
        this.#budget = {
          remaining: Math.min(current.remaining, hints.remaining),
          resetAt: Math.min(current.resetAt, resetAt),
        }
        this.#learn(hints.remaining, resetAt, now)
      }
      // Else a late answer from a window already over: nothing to learn.
    }
    this.#wake()
  }

  #permit(): RateLimitPermit {
    let released = false
    const permit: RateLimitPermit = {
      release: () => {
        if (released) return
        released = true
        this.#inFlight -= 1
        const budget = this.#budget
        if (!this.#observed.delete(permit)) {
          if (budget !== null && budget.remaining > 0)
            this.#budget = { ...budget, remaining: budget.remaining - 1 }
          // Nor is it another consumer's, when `Remaining` shows it.
          this.#share.noteLost()
        }
        this.#wake()
      },
    }
    return permit
  }

  /** The configured pace: the shortest time between two requests. */
  #learn(remaining: number, resetAt: number, now: number): void {
    if (this.#share.learn(remaining, resetAt, now, this.#requestsPerMinute)) this.#wake()
  }

  #intervalMs(): number {
    return 60_000 / this.#requestsPerMinute
  }

  /**
   * The time from one request to the next. Within a window whose budget an answer told, what is
   * left (less the requests awaiting their answer, and the room kept for another consumer) is
   * spread evenly over the time left, so a window never opens with a burst nor ends with the
   * other consumer's share spent; never faster than the configured pace, and, when another
   * consumer seems to want it all, never slower than the floor.
   */
  #paceMs(now: number): number {
    const interval = this.#intervalMs()
    const budget = this.#budget
    if (budget === null || now >= budget.resetAt) return interval
    const left = budget.resetAt - now
    let available = budget.remaining - this.#inFlight
    if (this.#share.sharing) {
      // Its rate until the reset, and the margin: a share of what it uses in a whole window, at
      // least one request.
      const rate = this.#share.otherRatePerMs()
      available -=
        rate * left + Math.max(1, rate * this.#shareMargin * this.#share.windowLengthMs())
    }
    const floor = interval / this.#shareFloor
    // One slot more than the requests left: the last of the window goes out one pace before
    // its reset, never on it.
    const even = available > 0 ? left / (available + 1) : Infinity
    return Math.max(interval, Math.min(even, this.#share.sharing ? floor : Math.max(floor, even)))
  }

  /**
   * Kept under half the pacing interval: with a larger margin, a request paced just after each
   * reset would wait out the margin in every window, and the sending would never use its budget.
   */
  #marginMs(): number {
    return Math.min(this.#resetMarginMs, this.#intervalMs() / 2)
  }

  #earliestStart(now: number): { at: number; reason: 'pace' | 'rate-limit' | 'capacity' } {
    if (this.#pausedUntil > now) return { at: this.#pausedUntil, reason: 'rate-limit' }
    const budget = this.#budget
    if (budget !== null) {
      const expiresAt = budget.resetAt + this.#marginMs()
      // Requests awaiting their answer may not be in the count yet; assume none is.
      if (now < expiresAt && budget.remaining - this.#inFlight <= 0) {
        return { at: expiresAt, reason: 'rate-limit' }
      }
    }
    // Until an answer has told the budget (at the start, and after a 429), requests sent side
    // by side go out blind: an exhausted window would answer each of them 429.
    const capacity = this.#probing ? 1 : this.#maxInFlight
    if (this.#inFlight >= capacity) return { at: Infinity, reason: 'capacity' }
    return { at: Math.max(now, this.#lastSlotAt + this.#paceMs(now)), reason: 'pace' }
  }

  #grant(waiter: Waiter, now: number): void {
    waiter.detach()
    const slot = this.#lastSlotAt + this.#paceMs(now)
    // Timer lag (a busy event loop, a garbage collection) is absorbed by keeping the schedule,
    // so it does not add up over a long sending: up to one interval, or LAG_CATCH_UP_MS at fast
    // paces, where a few milliseconds are several slots. After an idle spell (or a wait for a
    // new window) the schedule restarts from now instead of bursting.
    const tolerance = Math.max(this.#intervalMs(), LAG_CATCH_UP_MS)
    this.#lastSlotAt = now - slot > tolerance ? now : slot
    this.#started += 1
    this.#inFlight += 1
    waiter.resolve(this.#permit())
  }

  async #pump(): Promise<void> {
    this.#pumping = true
    try {
      for (;;) {
        const head = this.#queue[0]
        if (head === undefined) break
        const now = this.#clock.now()
        const next = this.#earliestStart(now)
        if (next.at <= now) {
          this.#queue.shift()
          this.#grant(head, now)
          continue
        }
        if (next.reason === 'rate-limit') this.#announce(next.at)
        await this.#sleep(next.at === Infinity ? CAPACITY_POLL_MS : next.at - now)
      }
    } finally {
      this.#pumping = false
    }
  }

  #announce(until: number): void {
    for (const waiter of this.#queue) {
      if (waiter.onWait === undefined || waiter.announcedUntil === until) continue
      waiter.announcedUntil = until
      try {
        waiter.onWait({ reason: 'rate-limit', until })
      } catch {
        // A listener's failure must not stall the account's queue.
      }
    }
  }

  async #sleep(ms: number): Promise<void> {
    const controller = new AbortController()
    this.#wakeController = controller
    try {
      await this.#clock.sleep(ms, controller.signal)
    } catch {
      // Woken early: the state changed, so the pump recomputes.
    } finally {
      if (this.#wakeController === controller) this.#wakeController = null
    }
  }

  #wake(): void {
    this.#wakeController?.abort()
  }
}

function checkedLimit(requestsPerMinute: number): number {
  if (!Number.isFinite(requestsPerMinute) || requestsPerMinute <= 0) {
    throw new RangeError(
      `The Connectif request limit must be a positive number of requests per minute, not ${requestsPerMinute}.`,
    )
  }
  return requestsPerMinute
}

function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()]
  const first = Array.isArray(value) ? value[0] : value
  return first === undefined || first.trim() === '' ? undefined : first.trim()
}

function headerNumber(headers: ResponseHeaders, name: string): number | undefined {
  const text = headerValue(headers, name)
  if (text === undefined) return undefined
  const value = Number(text)
  return Number.isFinite(value) ? value : undefined
}

/**
 * Reads `X-RateLimit-*` (documented, Reset in epoch seconds), `RateLimit-*` (draft standard, Reset
 * as seconds to wait) and `Retry-After`, into times on our clock.
 */
export function readRateLimitHints(
  headers: ResponseHeaders,
  now: number,
  maxResetWaitMs = 120_000,
): RateLimitHints {
  const serverDate = Date.parse(headerValue(headers, 'date') ?? '')
  const skew =
    Number.isFinite(serverDate) && Math.abs(serverDate - now) > SKEW_TOLERANCE_MS
      ? serverDate - now
      : 0
  const latest = now + maxResetWaitMs
  const clamp = (at: number): number => Math.min(Math.max(at, now), latest)

  const remaining =
    headerNumber(headers, 'x-ratelimit-remaining') ?? headerNumber(headers, 'ratelimit-remaining')
  const reset =
    headerNumber(headers, 'x-ratelimit-reset') ?? headerNumber(headers, 'ratelimit-reset')
  // A value this large can only be a date; small ones are the seconds left.
  const resetAt =
    reset === undefined ? undefined : clamp(reset >= 1e9 ? reset * 1000 - skew : now + reset * 1000)

  let retryAt: number | undefined
  const retryAfter = headerValue(headers, 'retry-after')
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter)
    const date = Date.parse(retryAfter)
    if (Number.isFinite(seconds)) retryAt = clamp(now + seconds * 1000)
    else if (Number.isFinite(date)) retryAt = clamp(date - skew)
  }

  return {
    ...(remaining === undefined ? {} : { remaining: Math.max(0, Math.floor(remaining)) }),
    ...(resetAt === undefined ? {} : { resetAt }),
    ...(retryAt === undefined ? {} : { retryAt }),
  }
}

const limiters = new Map<string, AccountRateLimiter>()

/** Connectif counts per account; the key id is the closest thing to an account we can see. */
export function rateLimitAccountKey(account: ConnectifAccount): string {
  return accountIdentity(account)
}

/**
 * The account's one limiter in this process. The limit given last wins, so a sending that asks
 * for a different limit changes it for every sending to the account; the first caller's clock and
 * options stay.
 */
export function rateLimiterFor(
  account: ConnectifAccount,
  requestsPerMinute: number,
  clock: Clock,
  options?: RateLimiterOptions,
): AccountRateLimiter {
  const key = rateLimitAccountKey(account)
  const existing = limiters.get(key)
  if (existing !== undefined) {
    if (existing.requestsPerMinute !== requestsPerMinute) {
      existing.setRequestsPerMinute(requestsPerMinute)
    }
    return existing
  }
  const limiter = new AccountRateLimiter(requestsPerMinute, clock, options)
  limiters.set(key, limiter)
  return limiter
}

/** Forgets every account's limiter, so each test starts with fresh budgets and its own clock. */
export function resetRateLimiters(): void {
  limiters.clear()
}
