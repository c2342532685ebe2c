import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { systemClock, type Clock } from '../../main/core/clock'
import { HistoryError } from '../../main/core/history/history-types'
import {
  prepareSending,
  resumeSending,
  runSending,
  SendingRequestError,
  SendingStop,
  startSending,
} from '../../main/core/sending/sending-engine'
import type { SendingEvent } from '../../main/core/sending/sending-events'
import { startConnectifSimulator } from '../support/connectif-simulator'
import type { ConnectifSimulator } from '../support/connectif-simulator'
import { createTestDatabase } from '../support/mysql-server'
import type { TestDatabase } from '../support/mysql-server'
import type { StoreFixture } from '../support/prestashop/store-generator'
import {
  allStateIds,
  API_KEY,
  expectedOutcome,
  loadStore,
  openHarness,
  recentRange,
  sendingOptions,
} from './engine-harness'
import type { Harness } from './engine-harness'

let db: TestDatabase
let fixture: StoreFixture
let expected: ReturnType<typeof expectedOutcome>
let simulator: ConnectifSimulator
let harness: Harness

beforeAll(async () => {
  db = await createTestDatabase('engine')
  fixture = await loadStore(db, 90)
  expected = expectedOutcome(fixture)
})

afterAll(async () => {
  await db.drop()
})

beforeEach(async () => {
  simulator = await startConnectifSimulator({
    accounts: [
      {
        name: 'shop',
        keys: [{ key: API_KEY }, { key: 'read-only:secret', scopes: ['read:purchases'] }],
        authorisedDomains: ['example.test'],
        contacts: expected.emails,
        products: expected.productIds,
        rateLimit: 100_000,
      },
    ],
  })
  harness = await openHarness(db, simulator)
})

afterEach(async () => {
  await harness.close()
  await simulator.close()
})

function request(overrides: { options?: Parameters<typeof sendingOptions>[0] } = {}) {
  return {
    profile: harness.profile,
    ...recentRange(),
    stateIds: allStateIds(fixture),
    mode: 'cli' as const,
    options: sendingOptions(overrides.options),
  }
}

function storedOnce(): void {
  const account = simulator.account('shop')
  expect([...account.purchases.keys()].sort()).toEqual([...expected.ready.keys()].sort())
  expect([...account.creations.values()].every((count) => count === 1)).toBe(true)
}

describe('a sending', () => {
  it('sends every sendable order once, skips the others, and records each result', async () => {
    const events: SendingEvent[] = []
    // The engine's time is the injected clock's: stopped here, every result carries this instant.
    const instant = Date.now()
    const clock: Clock = { ...systemClock, now: () => instant }
    const sending = await startSending({ ...harness.deps(), clock }, request(), {
      onEvent: (event) => events.push(event),
    })

    expect(sending.state).toBe('completed')
    expect(sending.counts).toEqual({
      total: expected.ready.size + expected.skipped.length,
      created: expected.ready.size,
      alreadyExisted: 0,
      failed: 0,
      skipped: expected.skipped.length,
      pending: 0,
    })
    expect(sending.readComplete).toBe(true)
    // Its statuses' names and colours are kept with it: the history names them without the store.
    const kept = harness.history.getSending(sending.id).stateNames
    expect(kept.map((state) => state.id)).toEqual([...allStateIds(fixture)].sort((a, b) => a - b))
    expect(kept.every((state) => state.name.trim() !== '')).toBe(true)
    storedOnce()
    const account = simulator.account('shop')
    // Past orders must not fire "thank you" workflows.
    expect(
      [...account.purchases.values()].every((purchase) => !purchase.triggerPurchaseEvent),
    ).toBe(true)
    // Contacts and products exist: the first purchase is created, so nothing is imported and
    // each purchase costs one request.
    expect(account.stats.purchaseRequests).toBe(expected.ready.size)
    expect(account.stats.importRequests).toBe(0)
    expect(account.stats.counted).toBe(expected.ready.size)

    const rows = [...harness.history.reportRows(sending.id, { all: true })]
    expect(
      rows
        .filter((row) => row.result === 'skipped')
        .map((row) => row.orderId)
        .sort((a, b) => a - b),
    ).toEqual([...expected.skipped].sort((a, b) => a - b))
    expect(
      rows.filter((row) => row.result === 'skipped').every((row) => (row.message ?? '').length > 0),
    ).toBe(true)
    expect(rows.filter((row) => row.result === 'created').map((row) => row.sentAt)).toEqual(
      Array.from({ length: expected.ready.size }, () => new Date(instant).toISOString()),
    )

    expect(events[0]).toMatchObject({ type: 'started', sendingId: sending.id })
    expect(events.at(-1)).toMatchObject({ type: 'finished', state: 'completed' })
    // How often progress is published is the throttle's, tested on a clock of its own in
    // progress-reporter.test.ts; here it is enough that the sending reports some.
    expect(events.some((event) => event.type === 'progress')).toBe(true)
  })

  it('reports every order of a range sent again as already existing, with the 409 body', async () => {
    await startSending(harness.deps(), request())
    const again = await startSending(harness.deps(), request())
    expect(again.state).toBe('completed')
    expect(again.counts.alreadyExisted).toBe(expected.ready.size)
    expect(again.counts.created).toBe(0)
    const rows = [...harness.history.reportRows(again.id, { all: false })]
    const duplicate = rows.find((row) => row.result === 'already_exists')
    expect(duplicate?.httpStatus).toBe(409)
    expect(duplicate?.response).toBe(
      JSON.stringify({
        status: 409,
        title: 'Conflict',
        detail: `Purchase ${duplicate?.orderId} already exists.`,
      }),
    )
    storedOnce()
  })

  it('says and records when another integration shares the account, and at what rate', async () => {
    // The client tells of another consumer (its detection is rate-limiter-sharing.test.ts's):
    // here as soon as it is made, then a higher rate.
    const deps = harness.deps()
    const progress: (number | null)[] = []
    const sending = await startSending(
      {
        ...deps,
        connectif: (ref, hooks) => {
          hooks.onSharing?.({ requestsPerMinute: 30 })
          hooks.onSharing?.({ requestsPerMinute: 34 })
          return deps.connectif(ref, hooks)
        },
      },
      request(),
      {
        onEvent: (event) => {
          if (event.type === 'progress') progress.push(event.sharedWith?.requestsPerMinute ?? null)
        },
      },
    )
    expect(sending.state).toBe('completed')
    // The record keeps the highest rate; the progress said it (how often is the throttle's).
    expect(harness.history.getSending(sending.id).sharing).toMatchObject({ peakPerMinute: 34 })
    expect(progress.some((rate) => rate !== null)).toBe(true)
  })

  it('rides out a storm of 429s by pausing the account until the window resets', async () => {
    // Without rate-limit headers the client cannot see the budget coming to an end: only 429s tell.
    simulator.setRateLimitHeaders('none')
    simulator.setFaults({ retryAfterOn429: true })
    simulator.account('shop').setRateLimit(25, 1_000)
    const waits: number[] = []
    const sending = await startSending(harness.deps({ rateLimit: 60_000 }), request(), {
      onEvent: (event) => {
        if (event.type === 'progress' && event.waiting) waits.push(event.waiting.until)
      },
    })
    expect(sending.state).toBe('completed')
    expect(sending.counts.created).toBe(expected.ready.size)
    storedOnce()
    expect(simulator.stats().rateLimited).toBeGreaterThan(0)
    expect(waits.length).toBeGreaterThan(0)
  })

  it('retries through 10% of requests failing with 5xx and dropped connections', async () => {
    simulator.setFaults({ errorRate: 0.1, dropRate: 0.03, storedThen500Rate: 0.05 })
    // With 18% of requests failing, five tries leave about one sending in a hundred with an
    // order that failed every time (which faults hit depends on request timing); ten make it
    // vanishingly rare while still retrying plenty.
    const sending = await startSending(harness.deps({ attempts: 10 }), request())
    expect(sending.state).toBe('completed')
    expect(sending.counts.created + sending.counts.alreadyExisted).toBe(expected.ready.size)
    storedOnce()
    const rows = [...harness.history.reportRows(sending.id, { all: true })]
    expect(rows.some((row) => row.attempts > 1)).toBe(true)
  })
})

describe('missing contacts, products and domains', () => {
  it('creates a missing contact once, then sends the purchase', async () => {
    const [email] = expected.emails
    if (!email) throw new Error('no email in the fixture')
    simulator.account('shop').removeContact(email)
    const sending = await startSending(harness.deps(), request())
    expect(sending.state).toBe('completed')
    expect(simulator.account('shop').contacts.has(email)).toBe(true)
    storedOnce()
  })

  it('fails the orders of a missing contact when creating contacts is off, and says how to fix it', async () => {
    const [email] = expected.emails
    if (!email) throw new Error('no email in the fixture')
    simulator.account('shop').removeContact(email)
    const sending = await startSending(
      harness.deps(),
      request({ options: { createContacts: false } }),
    )
    expect(sending.state).toBe('completed_with_errors')
    const failed = [...harness.history.reportRows(sending.id, { all: false })].filter(
      (row) => row.result === 'failed',
    )
    expect(failed.length).toBe(
      [...expected.ready.values()].filter((value) => value === email).length,
    )
    expect(failed[0]?.errorCode).toBe('E0101')
    expect(failed[0]?.message).toMatch(/create missing contacts/)
    expect(simulator.account('shop').contacts.has(email)).toBe(false)
  })

  it('creates missing products from the order, then sends the purchase', async () => {
    for (const productId of expected.productIds.slice(0, 3))
      simulator.account('shop').removeProduct(productId)
    const sending = await startSending(harness.deps(), request())
    expect(sending.state).toBe('completed')
    for (const productId of expected.productIds.slice(0, 3)) {
      expect(simulator.account('shop').products.has(productId)).toBe(true)
    }
    storedOnce()
  })

  it('fails orders whose product URLs are on a domain Connectif does not accept, naming the setting', async () => {
    simulator.account('shop').setAuthorisedDomains(['elsewhere.test'])
    const sending = await startSending(harness.deps(), request())
    expect(sending.state).toBe('completed_with_errors')
    const failed = [...harness.history.reportRows(sending.id, { all: false })].filter(
      (row) => row.result === 'failed',
    )
    expect(failed.length).toBeGreaterThan(0)
    expect(failed[0]?.errorCode).toBe('E0103')
    expect(failed[0]?.message).toMatch(/Authorized domains/)
  })
})

describe('stopping and resuming', () => {
  it('stops at once on a rejected key, keeps the rest pending, and finishes on resume', async () => {
    const sending = await startSending(harness.deps({ apiKey: 'wrong:key' }), request())
    expect(sending.state).toBe('failed')
    expect(sending.fatalError?.code).toBe('connectif_unauthorized')
    expect(sending.counts.pending).toBeGreaterThan(0)
    expect(sending.counts.created).toBe(0)
    expect(simulator.account('shop').purchases.size).toBe(0)

    const resumed = await resumeSending(harness.deps(), sending.id)
    expect(resumed.state).toBe('completed')
    expect(resumed.counts.created).toBe(expected.ready.size)
    storedOnce()
  })

  it('says which permission a key lacks', async () => {
    const sending = await startSending(harness.deps({ apiKey: 'read-only:secret' }), request())
    expect(sending.state).toBe('failed')
    expect(sending.fatalError?.code).toBe('connectif_forbidden')
    expect(sending.fatalError?.message).toMatch(/Write Purchases/)
  })

  it('cancels promptly into a consistent state that can be finished later', async () => {
    simulator.setFaults({ latencyMs: 20 })
    const controller = new AbortController()
    const sending = await startSending(harness.deps({ concurrency: 2 }), request(), {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'progress' && event.counts.created >= 10)
          controller.abort(new SendingStop('cancelled'))
      },
    })
    expect(sending.state).toBe('cancelled')
    const { counts } = sending
    expect(counts.created).toBeLessThan(expected.ready.size)
    expect(
      counts.created + counts.alreadyExisted + counts.failed + counts.skipped + counts.pending,
    ).toBe(counts.total)
    // Whatever Connectif has is recorded as created: nothing was sent behind the history's back.
    expect(simulator.account('shop').purchases.size).toBe(counts.created)

    simulator.setFaults({ latencyMs: 0 })
    const finished = await resumeSending(harness.deps(), sending.id)
    expect(finished.state).toBe('completed')
    storedOnce()
  })

  it('refuses a second sending of the same profile while one runs', async () => {
    simulator.setFaults({ latencyMs: 20 })
    const prepared = await prepareSending(harness.deps(), request())
    const running = runSending(harness.deps(), prepared.sending.id, {}, prepared.store)
    await expect(prepareSending(harness.deps(), request())).rejects.toSatisfy(
      (error) => error instanceof HistoryError && error.code === 'sending_in_progress',
    )
    simulator.setFaults({ latencyMs: 0 })
    expect((await running).state).toBe('completed')
  })

  it('refuses a request that breaks the sending rules and records nothing', async () => {
    const before = harness.history.listSendings({}).length
    await expect(
      prepareSending(harness.deps(), {
        ...request(),
        from: '2001-01-01',
        to: '2001-12-31',
        stateIds: [9999],
      }),
    ).rejects.toSatisfy(
      (error) =>
        error instanceof SendingRequestError &&
        error.violations.map((violation) => violation.code).join() ===
          'from_over_five_years_ago,unknown_states',
    )
    expect(harness.history.listSendings({}).length).toBe(before)
  })
})
