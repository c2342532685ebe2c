import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ConnectifApi, ConnectifSharing } from '../../main/core/connectif/connectif-api'
import { createConnectifClient } from '../../main/core/connectif/connectif-client'
import {
  AccountRateLimiter,
  rateLimiterFor,
  resetRateLimiters,
  type RateLimitPermit,
} from '../../main/core/connectif/rate-limiter'
import type { PurchaseCreation } from '../../main/core/purchases/purchase'
import { startConnectifSimulator, type ConnectifSimulator } from '../support/connectif-simulator'
import { startOtherConsumer, type OtherConsumer } from '../support/other-consumer'
import { ManualClock, VirtualClock } from '../support/virtual-clock'

/**
 * Sharing an account's budget with another integration (the live shop's Connectif module, with
 * its own key): a sending against the simulator, beside a steady consumer through a second key of
 * the same account, on a virtual clock the simulator, the client and the consumer share. Time
 * jumps from one deadline to the next whenever every request on its way is held by the
 * simulator's latency, so the figures do not depend on the machine.
 */

/** A whole hour: the simulator's windows (aligned on multiples of their length) start here. */
const WINDOW_START = 1_699_999_200_000
const OUR_KEY = 'sender:secret'
const SHOP_KEY = 'live-shop:secret'

let sim: ConnectifSimulator | undefined
let clock: VirtualClock
let other: OtherConsumer | undefined
const limiters = new Set<AccountRateLimiter>()

function idle(): boolean {
  let inFlight = other?.inFlight() ?? 0
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

/** An account of `limit` requests per `windowMs`, with our key and the live shop's. */
async function start(limit: number, windowMs: number): Promise<ConnectifSimulator> {
  sim = await startConnectifSimulator({
    accounts: [
      {
        name: 'shop',
        keys: [{ key: OUR_KEY }, { key: SHOP_KEY }],
        contacts: ['ana@example.com'],
        products: ['1'],
        rateLimit: limit,
        rateWindowMs: windowMs,
      },
    ],
    faults: { latencyMs: 30 },
    clock,
  })
  return sim
}

function client(requestsPerMinute: number, onSharing?: (s: ConnectifSharing | null) => void) {
  if (sim === undefined) throw new Error('The test has not started the simulator.')
  const account = { apiUrl: sim.url, apiKey: OUR_KEY }
  const api = createConnectifClient({
    account,
    requestsPerMinute,
    clock,
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    random: () => 0.5,
    ...(onSharing === undefined ? {} : { onSharing }),
  })
  limiters.add(rateLimiterFor(account, requestsPerMinute, clock))
  return api
}

/**
 * Four workers send purchases until `until` (virtual time); returns the purchases created per
 * virtual minute since the start, for the pace at each moment.
 */
async function sendUntil(api: ConnectifApi, until: number): Promise<number[]> {
  const started = clock.now()
  const perMinute: number[] = []
  let next = 0
  const worker = async (): Promise<void> => {
    while (clock.now() < until) {
      next += 1
      const result = await api.createPurchase(purchase(`p${next}`), {
        triggerPurchaseEvent: false,
      })
      expect(result.outcome.kind).toBe('created')
      const minute = Math.floor((clock.now() - started) / 60_000)
      perMinute[minute] = (perMinute[minute] ?? 0) + 1
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()])
  return Array.from(perMinute, (count) => count ?? 0)
}

describe('sharing the account with another integration', () => {
  beforeEach(() => {
    resetRateLimiters()
    limiters.clear()
    other = undefined
    // Some way into a window, as a sending starting at any moment would be.
    clock = new VirtualClock({ start: WINDOW_START + 17_300, idle })
  })
  afterEach(async () => {
    await other?.stop()
    clock.stop()
    await sim?.close()
    sim = undefined
  })

  it('leaves a steady consumer at 30 % of the limit its share, and uses what it leaves', async () => {
    const limit = 100
    const s = await start(limit, 60_000)
    other = startOtherConsumer({
      url: s.url,
      apiKey: SHOP_KEY,
      requestsPerMinute: 0.3 * limit,
      clock,
    })
    const heard: (ConnectifSharing | null)[] = []
    const api = client(limit, (sharing) => heard.push(sharing))
    const started = clock.now()
    const durationMs = 20 * 60_000
    await sendUntil(api, started + durationMs)
    await other.stop()
    const elapsedMinutes = (clock.now() - started) / 60_000

    const theirs = other.stats()
    const ours = s.account('shop').stats.purchaseRequests
    const left = limit * elapsedMinutes - (theirs.answered - theirs.rateLimited)
    console.info(
      `shared: ours ${ours} in ${elapsedMinutes.toFixed(2)} min, ${((ours / left) * 100).toFixed(1)} % of what the other left; ` +
        `other ${theirs.answered} answered, ${theirs.rateLimited} × 429 (${((theirs.rateLimited / theirs.answered) * 100).toFixed(2)} %)`,
    )
    expect(theirs.failed).toBe(0)
    expect(theirs.rateLimited / theirs.answered).toBeLessThanOrEqual(0.01)
    expect(ours / left).toBeGreaterThanOrEqual(0.8)
    // Our own requests were never refused either.
    expect(s.account('shop').stats.rateLimited).toBe(theirs.rateLimited)
    // The sending heard about the other integration, at about its rate.
    const last = heard.at(-1)
    expect(last?.requestsPerMinute).toBeGreaterThanOrEqual(25)
    expect(last?.requestsPerMinute).toBeLessThanOrEqual(35)
  })

  it('speeds up again once the other consumer goes quiet', async () => {
    const limit = 100
    const s = await start(limit, 60_000)
    other = startOtherConsumer({
      url: s.url,
      apiKey: SHOP_KEY,
      requestsPerMinute: 0.3 * limit,
      clock,
    })
    const heard: (ConnectifSharing | null)[] = []
    const api = client(limit, (sharing) => heard.push(sharing))
    const started = clock.now()
    const stopOther = clock.sleep(5 * 60_000).then(() => other?.stop())
    const perMinute = await sendUntil(api, started + 12 * 60_000)
    await stopOther
    console.info(`per minute, the other quiet after minute 5: ${perMinute.join(' ')}`)
    expect(heard.at(-1)).toBeNull()
    // Slowed down while shared…
    expect(Math.max(...perMinute.slice(1, 5))).toBeLessThanOrEqual(75)
    // …and back to the whole limit within a few windows of the other stopping.
    expect(Math.min(...perMinute.slice(8, 11))).toBeGreaterThanOrEqual(99)
  })

  it('still uses the whole limit when nobody else uses the account', async () => {
    const limit = 100
    const s = await start(limit, 60_000)
    const heard: (ConnectifSharing | null)[] = []
    const api = client(limit, (sharing) => heard.push(sharing))
    const started = clock.now()
    await sendUntil(api, started + 10 * 60_000)
    const elapsedMinutes = (clock.now() - started) / 60_000
    const stats = s.stats()
    expect(stats.rateLimited).toBe(0)
    expect(stats.requests / (limit * elapsedMinutes)).toBeGreaterThanOrEqual(0.99)
    expect(heard).toEqual([])
  })
})

describe('AccountRateLimiter pacing within a window (manual clock)', () => {
  /** Grants `count` requests one after another, each answered at once with the given headers. */
  async function grants(
    limiter: AccountRateLimiter,
    clock: ManualClock,
    count: number,
    headers: (n: number) => Record<string, string>,
  ): Promise<number[]> {
    const at: number[] = []
    for (let n = 0; n < count; n += 1) {
      let granted: RateLimitPermit | null = null
      void limiter.acquire().then((permit) => {
        granted = permit
        at.push(clock.now())
      })
      while (granted === null) await clock.advance(5)
      const permit: RateLimitPermit = granted
      limiter.observe(headers(n), 200, permit)
      permit.release()
    }
    return at
  }

  it('sends no burst when a new window opens after waiting for its reset', async () => {
    const clock = new ManualClock(WINDOW_START)
    // Configured far above what the account allows: 6,000 a minute against 5 a second.
    const limiter = new AccountRateLimiter(6_000, clock)
    const windowEnd = WINDOW_START + 1_000
    const used = { window: 0, count: 0 }
    const at = await grants(limiter, clock, 10, () => {
      const window = Math.floor((clock.now() - WINDOW_START) / 1_000)
      if (window !== used.window) Object.assign(used, { window, count: 0 })
      used.count += 1
      return {
        'x-ratelimit-remaining': String(5 - used.count),
        'x-ratelimit-reset': String((WINDOW_START + (window + 1) * 1_000) / 1_000),
      }
    })
    const gaps = at.slice(1).map((t, i) => t - (at[i] ?? 0))
    // Spread over each window, never at the configured 10 ms; the second window as the first.
    expect(at.filter((t) => t < windowEnd)).toHaveLength(5)
    expect(Math.min(...gaps.slice(1))).toBeGreaterThanOrEqual(150)
    expect(at.filter((t) => t >= windowEnd && t < windowEnd + 1_000)).toHaveLength(5)
  })

  it('keeps the configured rate as an upper bound while sharing', async () => {
    const clock = new ManualClock(WINDOW_START)
    const limiter = new AccountRateLimiter(30, clock)
    // A generous budget: 1,000 left a minute, falling by 3 per request (2 not ours).
    let remaining = 1_000
    const at = await grants(limiter, clock, 6, () => {
      remaining -= 3
      return {
        'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-reset': String((WINDOW_START + 60_000) / 1_000),
      }
    })
    const gaps = at.slice(1).map((t, i) => t - (at[i] ?? 0))
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(2_000)
    expect(limiter.sharedWith()).not.toBeNull()
  })

  it('takes a request that got no answer for ours, not for another consumer', async () => {
    const clock = new ManualClock(WINDOW_START)
    const limiter = new AccountRateLimiter(600, clock)
    let remaining = 1_000
    for (let n = 0; n < 40; n += 1) {
      let granted: RateLimitPermit | null = null
      void limiter.acquire().then((permit) => (granted = permit))
      while (granted === null) await clock.advance(5)
      const permit: RateLimitPermit = granted
      // Counted by the server every time; every other answer is lost on its way.
      remaining -= 1
      if (n % 2 === 0)
        limiter.observe(
          {
            'x-ratelimit-remaining': String(remaining),
            'x-ratelimit-reset': String((WINDOW_START + 60_000) / 1_000),
          },
          200,
          permit,
        )
      permit.release()
    }
    expect(limiter.sharedWith()).toBeNull()
  })
})
