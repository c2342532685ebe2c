/**
 * What the send page asks main besides the wizard's old reads, against a real store (MariaDB):
 * the store's first and last order days and its cancelled states with the lookup, and the orders
 * a sending would skip, by reason (`sending:expected-skips`), mapped as the engine maps them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mapOrderToPurchase } from '../../main/core/purchases/order-to-purchase'
import { createTestDatabase, type TestDatabase, type TestUser } from '../support/mysql-server'
import type { StoreFixture } from '../support/prestashop/store-generator'
import {
  allStateIds,
  API_KEY,
  expectedOutcome,
  loadStore,
  recentRange,
  shopAccount,
} from '../sending/engine-harness'
import { databaseSource, failure, ok, useAppHarness } from './app-harness'

let db: TestDatabase
let reader: TestUser
let fixture: StoreFixture

beforeAll(async () => {
  db = await createTestDatabase('app_send_page')
  fixture = await loadStore(db, 60)
  reader = await db.createUser({ privileges: ['SELECT'] })
})

afterAll(async () => {
  await db.drop()
})

const app = useAppHarness({
  home: 'send-page',
  accounts: () => [shopAccount('shop', API_KEY, expectedOutcome(fixture))],
  secretValues: () => [reader.password, API_KEY],
})
const { call } = app

async function saveProfile(): Promise<number> {
  const saved = await call('profiles:save', {
    id: null,
    profile: {
      name: 'Shop',
      source: databaseSource(db, reader),
      connectif: { apiUrl: app.simulator.url },
    },
    secrets: { dbPassword: { set: reader.password }, connectifKey: { set: API_KEY } },
  })
  return ok(saved).id
}

describe('store:lookup for the send page', () => {
  it('gives the days of the first and last orders, and the cancelled states', async () => {
    const profileId = await saveProfile()
    const lookup = ok(await call('store:lookup', { profileId }))
    const days = fixture
      .expectedOrders()
      .map((order) => order.placedAt.slice(0, 10))
      .sort()
    expect(lookup.orderDays).toEqual({ first: days[0], last: days[days.length - 1] })
    const keys = fixture.model.stateKeys
    const cancelled = lookup.states.filter((state) => state.cancelled).map((state) => state.id)
    expect(cancelled.sort((a, b) => a - b)).toEqual(
      [keys['PS_OS_CANCELED'], keys['PS_OS_REFUND'], keys['PS_OS_ERROR']].sort((a, b) => a! - b!),
    )
  })
})

describe('sending:expected-skips', () => {
  it('counts the orders the sending would skip, by reason, as the engine maps them', async () => {
    const profileId = await saveProfile()
    const range = recentRange()
    const stateIds = allStateIds(fixture)
    const orders = fixture.expectedOrders({ range, stateIds })
    const byCode = new Map<string, number>()
    for (const order of orders) {
      const mapping = mapOrderToPurchase(order)
      if (mapping.result === 'skipped')
        byCode.set(mapping.reasonCode, (byCode.get(mapping.reasonCode) ?? 0) + 1)
    }
    expect(byCode.size).toBeGreaterThan(0)

    const skips = ok(await call('sending:expected-skips', { profileId, ...range, stateIds }))
    expect(skips.orders).toBe(orders.length)
    expect(skips.skipped).toBe([...byCode.values()].reduce((sum, count) => sum + count, 0))
    expect(Object.fromEntries(skips.byReason.map((entry) => [entry.code, entry.orders]))).toEqual(
      Object.fromEntries(byCode),
    )
    // Most orders first.
    const counts = skips.byReason.map((entry) => entry.orders)
    expect(counts).toEqual([...counts].sort((a, b) => b - a))
  })

  it('refuses a range the date rules refuse, as the summary does', async () => {
    const profileId = await saveProfile()
    const range = recentRange()
    const broken = failure(
      await call('sending:expected-skips', {
        profileId,
        from: range.to,
        to: range.from,
        stateIds: allStateIds(fixture),
      }),
    )
    expect(broken.code).toBe('rules_violated')
    const invalid = failure(
      await call('sending:expected-skips', { profileId, ...range, stateIds: [] }),
    )
    expect(invalid.code).toBe('invalid_request')
  })
})
