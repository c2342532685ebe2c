/**
 * The Webservice reader lists a long range a few requests at a time (slices of days side by side,
 * every request of a store through one gate of four places) and puts the results back in order:
 * the same keys, counts, weeks and orders as the database reader, never more than four requests
 * in flight, and nothing left reading once the caller stops.
 *
 * The simulator answers each request only when the test moves its manual clock on, so what is in
 * flight at once is seen, not guessed from timings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabaseStore } from '../../main/core/store/database/database-store'
import type {
  OrderFilter,
  OrderKey,
  OrderPageOptions,
  StoreOrder,
  StoreSource,
} from '../../main/core/store/store-source'
import {
  openWebserviceStore,
  type WebserviceStore,
  type WebserviceStoreOptions,
} from '../../main/core/store/webservice/webservice-store'
import { createTestDatabase, type TestDatabase } from '../support/mysql-server'
import { createPrestaShopSchema } from '../support/prestashop/schema-builder'
import { generateScenario, type StoreFixture } from '../support/prestashop/store-generator'
import {
  startWebserviceSimulator,
  type WebserviceSimulator,
} from '../support/prestashop/webservice-simulator'
import { ManualClock, settle } from '../support/virtual-clock'

const DELAY_MS = 50
const YEAR = { from: '2025-01-01', to: '2025-12-31' }

let db: TestDatabase
let fixture: StoreFixture
let clock: ManualClock
let simulator: WebserviceSimulator
let database: StoreSource

beforeAll(async () => {
  db = await createTestDatabase('ws_concurrency')
  fixture = generateScenario('multistore', {
    version: '8.2.0',
    prefix: 'ps_',
    seed: 20251127,
    orderCount: 400,
  })
  await createPrestaShopSchema(db.admin, { version: '8.2.0', prefix: 'ps_' })
  await fixture.load(db.admin)
  const address = {
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.database,
  }
  clock = new ManualClock()
  simulator = await startWebserviceSimulator({ database: address, version: '8.2.0', clock })
  database = await openDatabaseStore({ ...address, tablePrefix: 'ps_' })
})

afterAll(async () => {
  await database?.close()
  await simulator?.close()
  await db?.drop()
})

/** A store opened at once (no delay), whose requests then wait for the test's clock. */
async function openDelayed(
  options: Partial<WebserviceStoreOptions> = {},
): Promise<WebserviceStore> {
  simulator.setQuirks({ delayMs: 0 })
  const store = await openWebserviceStore({
    url: simulator.url,
    key: simulator.key,
    retryDelayMs: 10,
    ...options,
  })
  simulator.setQuirks({ delayMs: DELAY_MS })
  simulator.resetRequests()
  return store
}

/** Moves the clock on whenever a request waits for it, until `work` is done. */
async function drive<T>(work: Promise<T>): Promise<T> {
  let done = false
  const finished = work.then(
    () => (done = true),
    () => (done = true),
  )
  while (!done) {
    await Promise.race([clock.whenSleeping(1), finished])
    if (!done) await clock.advance(DELAY_MS)
  }
  return work
}

async function keysOf(
  store: StoreSource,
  filter: OrderFilter,
  options: OrderPageOptions = {},
): Promise<OrderKey[]> {
  const keys: OrderKey[] = []
  for await (const page of store.orderKeys(filter, options)) keys.push(...page)
  return keys
}

async function ordersOf(
  store: StoreSource,
  filter: OrderFilter,
  options: OrderPageOptions,
): Promise<StoreOrder[]> {
  const orders: StoreOrder[] = []
  for await (const page of store.readOrders(filter, options)) orders.push(...page)
  return orders
}

function everyState(): OrderFilter {
  return { range: YEAR, stateIds: fixture.model.states.map((state) => state.id) }
}

describe('the Webservice reader, a few requests at a time', () => {
  it('reads the keys of a long range four slices at once, in order, as the database does', async () => {
    const store = await openDelayed()
    const filter = everyState()
    const reading = keysOf(store, filter, { pageSize: 10 })
    // The first page covers the whole range alone...
    await clock.whenSleeping(1)
    await settle()
    expect(simulator.inFlight).toBe(1)
    await clock.advance(DELAY_MS)
    // ...then what is left is read in slices of days, four at once.
    await clock.whenSleeping(4)
    await settle()
    expect(simulator.inFlight).toBe(4)
    const keys = await drive(reading)
    expect(keys).toEqual(await keysOf(database, filter))
    expect(simulator.maxInFlight).toBe(4)
    // Each slice ends with a short page: at most twice the pages, never one request per order.
    expect(simulator.requests.length).toBeLessThanOrEqual(Math.ceil(keys.length / 10) * 2)
    await store.close()
  })

  it('counts a range and its weeks from one listing, asked together, like the database', async () => {
    const store = await openDelayed({ countPageSize: 10 })
    const filter = { range: YEAR, shopIds: [1] }
    const [counts, weeks] = await drive(
      Promise.all([store.countOrders(filter), store.countOrdersByWeek(filter)]),
    )
    expect(counts).toEqual(await database.countOrders(filter))
    expect(weeks).toEqual(await database.countOrdersByWeek(filter))
    expect(simulator.maxInFlight).toBeLessThanOrEqual(4)
    const together = simulator.requests.length
    simulator.resetRequests()
    expect(await drive(store.countOrdersByWeek(filter))).toEqual(weeks)
    // The weeks alone cost as many requests as both did: they shared the listing.
    expect(simulator.requests.length).toBe(together)
    await store.close()
  })

  it('keeps a page of orders, its lines, customers and catalogue within four requests at once', async () => {
    const store = await openDelayed()
    const filter = everyState()
    const orders = await drive(ordersOf(store, filter, { pageSize: 500 }))
    expect(orders).toEqual(await ordersOf(database, filter, { pageSize: 500 }))
    // More than 200 ids a page: lines and customers take several batches, side by side.
    const lines = simulator.requests.filter((request) => request.resource === 'order_details')
    expect(lines.length).toBeGreaterThan(1)
    expect(simulator.maxInFlight).toBeLessThanOrEqual(4)
    await store.close()
  })

  it('stops every slice still being read when the caller cancels', async () => {
    const store = await openDelayed()
    const controller = new AbortController()
    const pages = store
      .orderKeys(everyState(), { pageSize: 10, signal: controller.signal })
      [Symbol.asyncIterator]()
    const first = pages.next()
    await clock.whenSleeping(1)
    await clock.advance(DELAY_MS)
    expect((await first).done).toBe(false)
    const second = pages.next()
    await clock.whenSleeping(4)
    controller.abort(new Error('stopped by the test'))
    await expect(second).rejects.toThrow('stopped by the test')
    // The four requests already sent get their answers (nobody listens); no other is sent.
    await clock.advance(DELAY_MS)
    await expect.poll(() => simulator.inFlight).toBe(0)
    for (let round = 0; round < 3; round++) {
      await clock.advance(DELAY_MS)
      await settle()
    }
    expect(simulator.inFlight).toBe(0)
    expect(simulator.requests).toHaveLength(5)
    await store.close()
  })
})
