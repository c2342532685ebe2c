/**
 * Another integration of a Connectif account, as the live shop's Connectif module is: it has its
 * own API key and sends its requests at a steady rate, whatever anyone else does, and draws from
 * the same budget as the sendings under test. Real HTTP requests to the simulator, timed on the
 * injected clock, so a test (or `npm run bench:rate -- --other 0.3`) sees how much of the budget
 * a sending leaves it and how many of its requests Connectif refused.
 *
 * Free of vitest imports, like the simulator.
 */
import type { Clock } from '../../main/core/clock'

export interface OtherConsumerOptions {
  /** The simulator's URL. */
  readonly url: string
  /** `KeyId:KeySecret` of a key of the same account as the sending's. */
  readonly apiKey: string
  readonly requestsPerMinute: number
  readonly clock: Clock
}

export interface OtherConsumerStats {
  /** Requests that got an answer. */
  readonly answered: number
  /** Of those, answered 429: refused for the account's rate limit. */
  readonly rateLimited: number
  /** Requests that failed without an answer. */
  readonly failed: number
}

export interface OtherConsumer {
  stats(): OtherConsumerStats
  /** Requests sent and not answered yet (a virtual clock's `idle` must count them). */
  inFlight(): number
  /** Sends no more, and waits for the answers of those on their way. */
  stop(): Promise<void>
}

/**
 * Starts sending at once: one request every 60,000 ÷ `requestsPerMinute` ms, on a schedule that
 * does not drift, none of them waiting for another's answer. Each asks for a purchase that does
 * not exist (404): a request counted against the budget that changes nothing.
 */
export function startOtherConsumer(options: OtherConsumerOptions): OtherConsumer {
  const { clock } = options
  const intervalMs = 60_000 / options.requestsPerMinute
  const stopped = new AbortController()
  const pending = new Set<Promise<void>>()
  let answered = 0
  let rateLimited = 0
  let failed = 0
  let sent = 0

  const request = async (n: number): Promise<void> => {
    try {
      const response = await fetch(`${options.url}/purchases/purchase-id/live-shop-${n}`, {
        headers: { authorization: `apiKey ${options.apiKey}`, accept: 'application/json' },
      })
      await response.arrayBuffer()
      answered += 1
      if (response.status === 429) rateLimited += 1
    } catch {
      failed += 1
    }
  }

  const loop = async (): Promise<void> => {
    const start = clock.now()
    for (;;) {
      const due = start + sent * intervalMs
      try {
        await clock.sleep(Math.max(0, due - clock.now()), stopped.signal)
      } catch {
        return
      }
      sent += 1
      const one = request(sent)
      pending.add(one)
      void one.finally(() => pending.delete(one))
    }
  }
  const running = loop()

  return {
    stats: () => ({ answered, rateLimited, failed }),
    inFlight: () => pending.size,
    stop: async () => {
      stopped.abort(new Error('The other consumer stopped.'))
      await running
      await Promise.all([...pending])
    },
  }
}
