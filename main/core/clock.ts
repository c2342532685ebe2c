/** Time as the core sees it: injected so tests and benchmarks control it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal, options?: SleepOptions): Promise<void>
}

export interface SleepOptions {
  /**
   * The wait alone must not keep the process alive (an idle timeout: a command line that is done
   * exits rather than waiting for it). Clocks that own no process timer ignore it.
   */
  readonly unref?: boolean
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal, options) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error)
        return
      }
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
        Math.max(0, ms),
      )
      if (options?.unref) timer.unref()
      const onAbort = (): void => {
        clearTimeout(timer)
        reject(signal?.reason as Error)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
    }),
}
