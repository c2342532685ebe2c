/**
 * Clocks for tests, so that no test depends on how fast the machine runs: time that moves only
 * when the test says (ManualClock), and time that jumps straight to the next sleeper's deadline
 * once nothing else is under way (VirtualClock). Both are the core's Clock, so the rate limiter,
 * the Connectif client and the simulators can share one.
 *
 * Free of vitest imports, like the simulators.
 */
import type { Clock } from '../../main/core/clock'

/** 2023-11-14T22:13:20Z, a whole second: the default start of both clocks. */
export const CLOCK_START = 1_700_000_000_000

interface Sleeper {
  readonly at: number
  readonly wake: () => void
}

/** Sleepers on a time that moves only when a subclass moves it. */
abstract class SleeperClock implements Clock {
  protected time: number
  // Sorted by deadline; among equal deadlines, in the order they fell asleep.
  #sleepers: Sleeper[] = []
  #watchers: { readonly count: number; readonly resolve: () => void }[] = []

  constructor(start: number) {
    this.time = start
  }

  now(): number {
    return this.time
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error)
        return
      }
      const sleeper: Sleeper = {
        at: this.time + Math.max(0, ms),
        wake: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
      }
      const onAbort = (): void => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper)
        reject(signal?.reason as Error)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      const later = this.#sleepers.findIndex((s) => s.at > sleeper.at)
      if (later === -1) this.#sleepers.push(sleeper)
      else this.#sleepers.splice(later, 0, sleeper)
      this.#watchers = this.#watchers.filter((watcher) => {
        if (this.#sleepers.length < watcher.count) return true
        watcher.resolve()
        return false
      })
      this.sleeperAdded()
    })
  }

  /** How many sleepers wait now. */
  get sleeping(): number {
    return this.#sleepers.length
  }

  /**
   * Resolves once at least `count` sleepers wait: "the code under test got as far as waiting",
   * as an event rather than a guess at how long that takes.
   */
  whenSleeping(count = 1): Promise<void> {
    if (this.#sleepers.length >= count) return Promise.resolve()
    return new Promise((resolve) => this.#watchers.push({ count, resolve }))
  }

  /** Wakes the earliest sleeper due by `limit`, moving time to its deadline; false if none is. */
  protected wakeNext(limit: number): boolean {
    const next = this.#sleepers[0]
    if (next === undefined || next.at > limit) return false
    this.#sleepers.shift()
    this.time = Math.max(this.time, next.at)
    next.wake()
    return true
  }

  protected sleeperAdded(): void {}
}

/** Time that moves only when the test says. */
export class ManualClock extends SleeperClock {
  constructor(start = CLOCK_START) {
    super(start)
  }

  /** Moves time `ms` on, waking the sleepers due on the way in deadline order. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms
    await settle()
    while (this.wakeNext(target)) await settle()
    this.time = Math.max(this.time, target)
    await settle()
  }
}

export interface VirtualClockOptions {
  readonly start?: number
  /**
   * Whether every piece of work under way is asleep on this clock, so that time may pass. Without
   * it time jumps as soon as anyone sleeps; give it when other work, such as an HTTP request on
   * its way, must finish first, or that work would take an arbitrary amount of virtual time.
   */
  readonly idle?: () => boolean
}

/**
 * Time that passes instantly: whenever someone sleeps and the system is idle, it jumps to the
 * earliest deadline and wakes that sleeper, then looks again. Concurrent sleepers wake in the
 * order of their deadlines, as on a real clock, however long the machine takes.
 */
export class VirtualClock extends SleeperClock {
  readonly #idle: () => boolean
  #ticking = false
  #stopped = false

  constructor(options: VirtualClockOptions = {}) {
    super(options.start ?? CLOCK_START)
    this.#idle = options.idle ?? (() => true)
  }

  /** Stops moving time on its own: for a test's cleanup, so no leftover sleeper keeps it going. */
  stop(): void {
    this.#stopped = true
  }

  protected override sleeperAdded(): void {
    if (this.#ticking || this.#stopped) return
    this.#ticking = true
    setImmediate(() => this.#tick())
  }

  #tick(): void {
    if (this.sleeping === 0 || this.#stopped) {
      this.#ticking = false
      return
    }
    // An immediate runs after every pending promise callback, so whatever the last wake-up set
    // going has either gone to sleep again or started work that `idle` sees.
    if (this.#idle()) {
      this.wakeNext(Infinity)
      setImmediate(() => this.#tick())
    } else {
      // Work under way waits for I/O: look again later rather than spin a core meanwhile.
      setTimeout(() => this.#tick(), 0)
    }
  }
}

/** Lets promise callbacks and pending I/O callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve))
}
