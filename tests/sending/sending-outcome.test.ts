import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createAppContext } from '../../main/app/app-context'
import { sendingView } from '../../main/app/history-use-cases'
import { resetRateLimiters } from '../../main/core/connectif/rate-limiter'
import { startSending } from '../../main/core/sending/sending-engine'
import { startConnectifSimulator, type ConnectifSimulator } from '../support/connectif-simulator'
import { createTestDatabase, type TestDatabase } from '../support/mysql-server'
import type { StoreFixture } from '../support/prestashop/store-generator'
import { VirtualClock } from '../support/virtual-clock'
import { MemorySecretStore } from '../app/memory-secret-store'
import {
  allStateIds,
  API_KEY,
  expectedOutcome,
  loadStore,
  openHarness,
  recentRange,
  sendingOptions,
  type Harness,
} from './engine-harness'

/**
 * What a sending's end says: what it created in Connectif, as its view says it (`created`): the
 * contacts and products it created one by one, each counted once by the order whose request
 * created it, plus what its imports brought in; and a refused key, said once. A real store, the
 * Connectif simulator and a real history.
 */

let db: TestDatabase
let fixture: StoreFixture
let expected: ReturnType<typeof expectedOutcome>
let simulator: ConnectifSimulator
let harness: Harness
let clock: VirtualClock

beforeAll(async () => {
  db = await createTestDatabase('outcome')
  fixture = await loadStore(db, 60)
  expected = expectedOutcome(fixture)
})

afterAll(async () => {
  await db.drop()
})

beforeEach(async () => {
  resetRateLimiters()
  clock = new VirtualClock({ start: Math.floor(Date.now() / 1000) * 1000 })
  // An account without the shop's contacts and products.
  simulator = await startConnectifSimulator({
    accounts: [
      {
        name: 'shop',
        keys: [{ key: API_KEY }],
        authorisedDomains: ['example.test'],
        contacts: [],
        products: [],
        rateLimit: 100_000,
      },
    ],
    clock,
    imports: { queuedMs: 1_000, rowsPerSecond: 1_000 },
  })
  harness = await openHarness(db, simulator)
})

afterEach(async () => {
  clock.stop()
  await harness.close()
  await simulator.close()
})

function request() {
  return {
    profile: harness.profile,
    ...recentRange(),
    stateIds: allStateIds(fixture),
    mode: 'cli' as const,
    options: sendingOptions({ rateLimit: 6_000 }),
  }
}

function viewOf(sendingId: number) {
  const context = createAppContext({
    history: harness.history,
    secrets: new MemorySecretStore(),
    clock,
  })
  return sendingView(context, harness.history.getSending(sendingId), false, null)
}

describe('contacts and products a sending created', () => {
  it('counts each one created one by one once, however many orders needed it', async () => {
    const sending = await startSending(
      harness.deps({ rateLimit: 6_000, clock, bulkImports: false, concurrency: 4 }),
      request(),
    )
    expect(sending.state).toBe('completed')
    const stats = simulator.account('shop').stats
    // Several orders share customers and products: each was requested once, and counted once.
    expect(expected.ready.size).toBeGreaterThan(expected.emails.length)
    expect(stats.contactRequests).toBe(expected.emails.length)
    expect(stats.productRequests).toBe(expected.productIds.length)
    expect(harness.history.getSending(sending.id).createdOneByOne).toEqual({
      contacts: expected.emails.length,
      products: expected.productIds.length,
    })
    expect(viewOf(sending.id).created).toEqual({
      contacts: expected.emails.length,
      products: expected.productIds.length,
    })
  })

  it('adds what its imports brought in', async () => {
    const sending = await startSending(harness.deps({ rateLimit: 6_000, clock }), request())
    expect(sending.state).toBe('completed')
    expect(simulator.account('shop').stats.contactRequests).toBe(0)
    expect(harness.history.getSending(sending.id).createdOneByOne).toEqual({
      contacts: 0,
      products: 0,
    })
    const imports = harness.history.importsOf(sending.id)
    const imported = (type: 'contacts' | 'products') =>
      imports.find((record) => record.type === type)?.success
    expect(imported('contacts')).toBe(expected.emails.length)
    expect(viewOf(sending.id).created).toEqual({
      contacts: expected.emails.length,
      products: imported('products'),
    })
    expect(simulator.account('shop').products.size).toBe(imported('products'))
  })
})

describe('a key Connectif refuses', () => {
  it('fails the sending with the status said once', async () => {
    const sending = await startSending(
      harness.deps({ rateLimit: 6_000, clock, apiKey: 'refused:key' }),
      request(),
    )
    expect(sending.state).toBe('failed')
    expect(sending.fatalError).toEqual({
      code: 'connectif_unauthorized',
      message:
        'Connectif refused the API key (401). Check the key in the profile; nothing more was sent.',
    })
  })
})
