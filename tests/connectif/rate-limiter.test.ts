import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ConnectifApi, ConnectifWait } from '../../main/core/connectif/connectif-api'
import { createConnectifClient } from '../../main/core/connectif/connectif-client'
import {
  AccountRateLimiter,
  rateLimiterFor,
  readRateLimitHints,
  resetRateLimiters,
  type RateLimitPermit,
} from '../../main/core/connectif/rate-limiter'
import type { PurchaseCreation } from '../../main/core/purchases/purchase'
import {
  startConnectifSimulator,
  type ConnectifSimulator,
  type SimulatorAccountSpec,
  type SimulatorOptions,
} from '../support/connectif-simulator'
import { ManualClock, VirtualClock } from '../support/virtual-clock'

/**
 * Acquires in the background and records when the permit came. The request it stands for is
 * answered at once (the permit released) unless `hold` keeps it in flight.
 */
function track(
  limiter: AccountRateLimiter,
  clock: ManualClock,
  options: { signal?: AbortSignal; onWait?: (wait: ConnectifWait) => void; hold?: boolean } = {},
): { at: number | null; permit: RateLimitPermit | null; error: unknown } {
  const state = {
    at: null as number | null,
    permit: null as RateLimitPermit | null,
    error: null as unknown,
  }
  limiter.acquire(options.signal, options.onWait).then(
    (permit) => {
      state.at = clock.now()
      state.permit = permit
      if (options.hold !== true) permit.release()
    },
    (error: unknown) => {
      state.error = error
    },
  )
  return state
}

const epochSeconds = (ms: number): string => String(Math.ceil(ms / 1000))

describe('AccountRateLimiter (manual clock)', () => {
  it('paces requests evenly at the configured rate', async () => {
    const clock = new ManualClock()
    const limiter = new AccountRateLimiter(120, clock)
    const start = clock.now()
    const grants = [0, 1, 2, 3].map(() => track(limiter, clock))
    await clock.advance(2_000)
    expect(grants.map((g) => (g.at ?? NaN) - start)).toEqual([0, 500, 1_000, 1_500])
  })

  it('does not start a request the announced budget cannot take, until the reset', async () => {
    const clock = new ManualClock()
    const limiter = new AccountRateLimiter(600, clock)
    const resetAt = clock.now() + 10_000
    const first = track(limiter, clock)
    await clock.advance(0)
    limiter.observe(
      { 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': epochSeconds(resetAt) },
      200,
      first.permit ?? undefined,
    )
    first.permit?.release()
    const waits: ConnectifWait[] = []
    const second = track(limiter, clock, { onWait: (w) => waits.push(w) })
    const third = track(limiter, clock, { onWait: (w) => waits.push(w) })
    await clock.advance(6_000)
    // The second takes the last unit of budget (spread over the window: halfway to its reset);
    // the third would be one too many.
    expect(second.at).toBe(resetAt - 5_000)
    expect(third.at).toBeNull()
    expect(waits).toEqual([{ reason: 'rate-limit', until: Math.ceil(resetAt / 1000) * 1000 + 50 }])
    await clock.advance(4_100)
    expect(third.at).toBe(Math.ceil(resetAt / 1000) * 1000 + 50)
  })

  it('pauses every waiter after a 429 until the reset, then resumes in order', async () => {
    const clock = new ManualClock()
    const limiter = new AccountRateLimiter(6_000, clock)
    const first = track(limiter, clock)
    await clock.advance(0)
    const waiting = [track(limiter, clock), track(limiter, clock)]
    limiter.observe({ 'retry-after': '5' }, 429, first.permit ?? undefined)
    first.permit?.release()
    await clock.advance(5_000)
    expect(waiting.map((w) => w.at)).toEqual([null, null])
    await clock.advance(300)
    expect(waiting.every((w) => w.at !== null)).toBe(true)
    expect(limiter.stats().rateLimited).toBe(1)
  })

  it('reads RateLimit-* with Reset as seconds left', async () => {
    const clock = new ManualClock()
    const limiter = new AccountRateLimiter(6_000, clock)
    const first = track(limiter, clock)
    await clock.advance(0)
    limiter.observe(
      { 'ratelimit-remaining': '0', 'ratelimit-reset': '3' },
      200,
      first.permit ?? undefined,
    )
    const next = track(limiter, clock)
    await clock.advance(2_900)
    expect(next.at).toBeNull()
    await clock.advance(200)
    expect(next.at).not.toBeNull()
  })

  it('keeps at most maxInFlight requests waiting for their answer', async () => {
    const clock = new ManualClock()
    const limiter = new AccountRateLimiter(60_000, clock, { maxInFlight: 2 })
    const reset = epochSeconds(clock.now() + 60_000)
    // A budget the configured pace cannot spend before the reset: the pace alone holds.
    limiter.observe({ 'x-ratelimit-remaining': '100000', 'x-ratelimit-reset': reset }, 200)
    const hold = { hold: true }
    const grants = [
      track(limiter, clock, hold),
      track(limiter, clock, hold),
      track(limiter, clock, hold),
    ]
    await clock.advance(100)
    expect(grants.map((g) => g.at !== null)).toEqual([true, true, false])
    grants[0]?.permit?.release()
    await clock.advance(1)
    expect(grants[2]?.at).not.toBeNull()
  })

  it('sends one request at a time until an answer tells the budget', async () => {
    const clock = new ManualClock()
    const limiter = new AccountRateLimiter(60_000, clock)
    const first = track(limiter, clock, { hold: true })
    const second = track(limiter, clock)
    await clock.advance(100)
    expect(second.at).toBeNull()
    const reset = epochSeconds(clock.now() + 60_000)
    limiter.observe(
      { 'x-ratelimit-remaining': '100000', 'x-ratelimit-reset': reset },
      201,
      first.permit ?? undefined,
    )
    first.permit?.release()
    const third = track(limiter, clock)
    await clock.advance(10)
    expect(second.at).not.toBeNull()
    expect(third.at).not.toBeNull()
  })

  it('lets an aborted waiter go without holding up the others', async () => {
    const clock = new ManualClock()
    const limiter = new AccountRateLimiter(60, clock)
    track(limiter, clock)
    const controller = new AbortController()
    const cancelled = track(limiter, clock, { signal: controller.signal })
    const next = track(limiter, clock)
    await clock.advance(10)
    controller.abort(new Error('stopped by the user'))
    await clock.advance(1_000)
    expect(cancelled.error).toEqual(new Error('stopped by the user'))
    expect(cancelled.at).toBeNull()
    expect(next.at).toBe(clock.now() - 10)
  })

  it('keeps the lowest count of a window, whatever order the answers come in', async () => {
    const clock = new ManualClock()
    const limiter = new AccountRateLimiter(60_000, clock)
    const reset = epochSeconds(clock.now() + 30_000)
    const a = track(limiter, clock)
    const b = track(limiter, clock)
    await clock.advance(5)
    limiter.observe(
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
      200,
      b.permit ?? undefined,
    )
    limiter.observe(
      { 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': reset },
      200,
      a.permit ?? undefined,
    )
    const c = track(limiter, clock)
    await clock.advance(1_000)
    expect(c.at).toBeNull()
  })
})

describe('readRateLimitHints', () => {
  const now = 1_700_000_000_000

  it('reads epoch seconds and seconds left apart by their size', () => {
    expect(readRateLimitHints({ 'x-ratelimit-reset': '1700000030' }, now).resetAt).toBe(
      now + 30_000,
    )
    expect(readRateLimitHints({ 'ratelimit-reset': '30' }, now).resetAt).toBe(now + 30_000)
    expect(readRateLimitHints({ 'x-ratelimit-remaining': '7' }, now).remaining).toBe(7)
  })

  it('reads Retry-After as seconds or as a date', () => {
    expect(readRateLimitHints({ 'retry-after': '4' }, now).retryAt).toBe(now + 4_000)
    const date = new Date(now + 8_000).toUTCString()
    expect(readRateLimitHints({ 'retry-after': date }, now).retryAt).toBe(now + 8_000)
  })

  it('corrects for a server clock far from ours, and caps absurd resets', () => {
    const serverNow = now + 3_600_000
    const hints = readRateLimitHints(
      {
        date: new Date(serverNow).toUTCString(),
        'x-ratelimit-reset': String(serverNow / 1000 + 20),
      },
      now,
    )
    expect(hints.resetAt).toBe(now + 20_000)
    expect(readRateLimitHints({ 'x-ratelimit-reset': '99999' }, now).resetAt).toBe(now + 120_000)
  })
})

describe('rateLimiterFor', () => {
  beforeEach(() => resetRateLimiters())

  it('keeps one limiter per account: API URL and key id', () => {
    const clock = new ManualClock()
    const a = rateLimiterFor({ apiUrl: 'https://api.connectif.cloud', apiKey: 'k1:s1' }, 100, clock)
    const sameAccount = rateLimiterFor(
      { apiUrl: 'https://API.connectif.cloud/', apiKey: 'k1:other-secret' },
      100,
      clock,
    )
    const otherKey = rateLimiterFor(
      { apiUrl: 'https://api.connectif.cloud', apiKey: 'k2:s' },
      100,
      clock,
    )
    const otherUrl = rateLimiterFor({ apiUrl: 'http://127.0.0.1:9', apiKey: 'k1:s1' }, 100, clock)
    expect(sameAccount).toBe(a)
    expect(otherKey).not.toBe(a)
    expect(otherUrl).not.toBe(a)
  })

  it('takes the limit given last', () => {
    const clock = new ManualClock()
    const account = { apiUrl: 'https://api.connectif.cloud', apiKey: 'k1:s1' }
    rateLimiterFor(account, 100, clock)
    expect(rateLimiterFor(account, 80, clock).requestsPerMinute).toBe(80)
  })
})

// Against the simulator over HTTP, with short windows, on a virtual clock the simulator and the
// clients share: time jumps from one deadline to the next whenever every request in flight is
// held by the simulator's latency (or none is in flight), so the outcomes do not depend on the
// machine's speed.

let sim: ConnectifSimulator | undefined
let clock: VirtualClock
const limiters = new Set<AccountRateLimiter>()

/** A whole hour: every test's windows (1 s, 60 s, 1 h) start here. */
const WINDOW_START = 1_699_999_200_000

function account(
  name: string,
  overrides: Partial<SimulatorAccountSpec> = {},
): SimulatorAccountSpec {
  return {
    name,
    keys: [{ key: `${name}-key:secret` }],
    contacts: ['ana@example.com'],
    products: ['1'],
    ...overrides,
  }
}

async function start(options: SimulatorOptions): Promise<ConnectifSimulator> {
  sim = await startConnectifSimulator({ ...options, clock })
  return sim
}

function simulator(): ConnectifSimulator {
  if (sim === undefined) throw new Error('The test has not started the simulator.')
  return sim
}

/** Every request in flight is waiting out the simulator's latency, or none is in flight. */
function idle(): boolean {
  let inFlight = 0
  for (const limiter of limiters) inFlight += limiter.stats().inFlight
  return inFlight === (sim?.heldAnswers() ?? 0)
}

function purchase(purchaseId: string): PurchaseCreation {
  return {
    purchaseId,
    cartId: purchaseId,
    contactEmail: 'ana@example.com',
    purchaseDate: '2024-05-01T10:00:00+02:00',
    totalPrice: 10,
    totalQuantity: 1,
    products: [
      {
        productId: '1',
        name: 'Mug',
        unitPrice: 10,
        quantity: 1,
        price: 10,
        unitPriceWithoutVAT: 8,
        productDetailUrl: 'https://shop.example/mug',
      },
    ],
  }
}

function clientFor(
  name: string,
  requestsPerMinute: number,
  onWait?: (wait: ConnectifWait) => void,
): ConnectifApi {
  const connectifAccount = { apiUrl: simulator().url, apiKey: `${name}-key:secret` }
  const api = createConnectifClient({
    account: connectifAccount,
    requestsPerMinute,
    clock,
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    random: () => 0.5,
    ...(onWait === undefined ? {} : { onWait }),
  })
  // The same limit again: the account's limiter as the client has it, for `idle` to watch.
  limiters.add(rateLimiterFor(connectifAccount, requestsPerMinute, clock))
  return api
}

async function sendAll(api: ConnectifApi, ids: string[]): Promise<string[]> {
  const results = await Promise.all(
    ids.map((id) => api.createPurchase(purchase(id), { triggerPurchaseEvent: false })),
  )
  return results.map((r) => r.outcome.kind)
}

describe('rate limiting against the simulator', () => {
  beforeEach(() => {
    resetRateLimiters()
    limiters.clear()
    // 10 ms into the window, as a sending starting at some point of it would.
    clock = new VirtualClock({ start: WINDOW_START + 10, idle })
  })
  afterEach(async () => {
    clock.stop()
    await sim?.close()
    sim = undefined
  })

  it('pauses the whole account on a 429, shared by a second sending, then recovers', async () => {
    const s = await start({ accounts: [account('a', { rateLimit: 4, rateWindowMs: 1_000 })] })
    // Someone else spent this window's budget; our limiter, set far above the real limit,
    // cannot know before its first answer.
    s.account('a').consumeBudget(4)
    const waitsOne: ConnectifWait[] = []
    const waitsTwo: ConnectifWait[] = []
    const one = clientFor('a', 6_000, (w) => waitsOne.push(w))
    const two = clientFor('a', 6_000, (w) => waitsTwo.push(w))
    const firstSending = one.createPurchase(purchase('1'), { triggerPurchaseEvent: false })
    const [first, rest] = await Promise.all([firstSending, sendAll(two, ['2', '3', '4', '5', '6'])])
    expect(first).toMatchObject({ outcome: { kind: 'created' }, attempts: 2 })
    expect(rest).toEqual(['created', 'created', 'created', 'created', 'created'])
    expect(s.stats().rateLimited).toBe(1)
    expect(waitsOne.some((w) => w.reason === 'rate-limit')).toBe(true)
    expect(waitsTwo.some((w) => w.reason === 'rate-limit')).toBe(true)
    // Nothing went out again before the window that refused it was over.
    expect(clock.now()).toBeGreaterThanOrEqual(WINDOW_START + 1_000)
  })

  it('copes with no rate-limit headers but Retry-After on 429s', async () => {
    const s = await start({
      accounts: [account('a', { rateLimit: 4, rateWindowMs: 1_000 })],
      rateLimitHeaders: 'none',
      faults: { retryAfterOn429: true },
    })
    const ids = Array.from({ length: 10 }, (_, i) => String(i))
    expect(await sendAll(clientFor('a', 6_000), ids)).toEqual(ids.map(() => 'created'))
    // At most the in-flight requests of each window get a 429 before the pause.
    expect(s.stats().rateLimited).toBeLessThanOrEqual(8 * 3)
    expect(s.account('a').purchases.size).toBe(10)
  })

  it('does not pause an account for another account’s 429', async () => {
    const s = await start({
      accounts: [
        account('a', { rateLimit: 2, rateWindowMs: 3_600_000 }),
        // A budget 6,000 a minute cannot spend in its window: paced at 6,000, not spread.
        account('b', { rateLimit: 100_000, rateWindowMs: 60_000 }),
      ],
    })
    s.account('a').consumeBudget(2)
    const controller = new AbortController()
    let pausedUntil = (_until: number): void => {}
    const paused = new Promise<number>((resolve) => (pausedUntil = resolve))
    const stuck = clientFor('a', 6_000, (w) => {
      if (w.reason === 'rate-limit') pausedUntil(w.until)
    })
      .createPurchase(purchase('a1'), { triggerPurchaseEvent: false, signal: controller.signal })
      .catch((error: unknown) => error)
    // Account a's limiter now waits out its 429 until `until`. Account b goes next, in the same
    // turn, so the clock sees b's request under way before it could jump to a's deadline.
    const until = await paused
    expect(s.stats().rateLimited).toBe(1)
    const started = clock.now()
    const waitsB: ConnectifWait[] = []
    const sentB = await sendAll(
      clientFor('b', 6_000, (w) => waitsB.push(w)),
      ['b1', 'b2'],
    )
    expect(sentB).toEqual(['created', 'created'])
    expect(waitsB).toEqual([])
    // Account b only paced its second request (6,000 a minute: 10 ms), all within a's pause.
    expect(clock.now() - started).toBeLessThanOrEqual(10)
    expect(clock.now()).toBeLessThan(until)
    controller.abort(new Error('test over'))
    expect(await stuck).toEqual(new Error('test over'))
    expect(s.account('a').purchases.size).toBe(0)
  })

  it('respects X-RateLimit-Remaining when another consumer spends the budget', async () => {
    const s = await start({ accounts: [account('a', { rateLimit: 10, rateWindowMs: 1_000 })] })
    s.account('a').consumeBudget(8)
    const waits: ConnectifWait[] = []
    const ids = Array.from({ length: 6 }, (_, i) => String(i))
    expect(
      await sendAll(
        clientFor('a', 600, (w) => waits.push(w)),
        ids,
      ),
    ).toEqual(ids.map(() => 'created'))
    expect(s.stats().rateLimited).toBe(0)
  })

  it('respects RateLimit-* headers with Reset in seconds left', async () => {
    const s = await start({
      accounts: [account('a', { rateLimit: 5, rateWindowMs: 1_000 })],
      rateLimitHeaders: 'draft',
    })
    s.account('a').consumeBudget(4)
    const ids = Array.from({ length: 8 }, (_, i) => String(i))
    expect(await sendAll(clientFor('a', 6_000), ids)).toEqual(ids.map(() => 'created'))
    // Only the very first request can meet an exhausted window unannounced.
    expect(s.stats().rateLimited).toBeLessThanOrEqual(1)
  })

  // Its real-time counterpart, which prints the figures, is `npm run bench:rate`.
  it('uses nearly all the budget over a long run, with hardly any 429', async () => {
    const limitPerSecond = 10
    const s = await start({
      accounts: [account('a', { rateLimit: limitPerSecond, rateWindowMs: 1_000 })],
      faults: { latencyMs: 30 },
    })
    const api = clientFor('a', limitPerSecond * 60)
    const durationMs = 30_000
    const started = clock.now()
    let next = 0
    const worker = async (): Promise<void> => {
      while (clock.now() - started < durationMs) {
        next += 1
        const result = await api.createPurchase(purchase(`u${next}`), {
          triggerPurchaseEvent: false,
        })
        expect(result.outcome.kind).toBe('created')
      }
    }
    await Promise.all([worker(), worker(), worker(), worker()])
    const elapsedS = (clock.now() - started) / 1000
    const stats = s.stats()
    const accepted = stats.requests - stats.rateLimited
    expect(accepted / (elapsedS * limitPerSecond)).toBeGreaterThanOrEqual(0.99)
    expect(stats.rateLimited / stats.requests).toBeLessThanOrEqual(0.01)
  })
})
