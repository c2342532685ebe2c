/**
 * What the send page's presets and status groups read from a store, from its database and through
 * its Webservice alike: the days of the first and last orders (per shop), and which states are
 * cancelled, refunded or in error (the store's PS_OS_CANCELED, PS_OS_REFUND and PS_OS_ERROR, or
 * the state's flags when it sets none).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabaseStore } from '../../main/core/store/database/database-store'
import type { StoreSource } from '../../main/core/store/store-source'
import { openWebserviceStore } from '../../main/core/store/webservice/webservice-store'
import { createTestDatabase, type TestDatabase } from '../support/mysql-server'
import { createPrestaShopSchema } from '../support/prestashop/schema-builder'
import { generateScenario, type StoreFixture } from '../support/prestashop/store-generator'
import {
  startWebserviceSimulator,
  type WebserviceSimulator,
} from '../support/prestashop/webservice-simulator'

const VERSION = '8.2.0'
const PREFIX = 'ps_'

let db: TestDatabase
let fixture: StoreFixture
let simulator: WebserviceSimulator
let sources: { name: string; open: () => Promise<StoreSource> }[]

beforeAll(async () => {
  db = await createTestDatabase(`order_days_${VERSION}`)
  fixture = generateScenario('multistore', { version: VERSION, prefix: PREFIX, seed: 20251205 })
  await createPrestaShopSchema(db.admin, { version: VERSION, prefix: PREFIX })
  await fixture.load(db.admin)
  const database = {
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.database,
  }
  simulator = await startWebserviceSimulator({ database, version: VERSION })
  sources = [
    { name: 'database', open: () => openDatabaseStore({ ...database, tablePrefix: PREFIX }) },
    {
      name: 'Webservice',
      open: () => openWebserviceStore({ url: simulator.url, key: simulator.key, retryDelayMs: 10 }),
    },
  ]
})

afterAll(async () => {
  await simulator?.close()
  await db?.drop()
})

/** The first and last days of the fixture's orders of those shops (all when none). */
function expectedDays(shopIds: readonly number[] = []) {
  const days = fixture
    .expectedOrders()
    .filter((order) => shopIds.length === 0 || shopIds.includes(order.shopId))
    .map((order) => order.placedAt.slice(0, 10))
    .sort()
  return days.length === 0 ? null : { first: days[0], last: days[days.length - 1] }
}

async function withEach(body: (store: StoreSource, name: string) => Promise<void>) {
  for (const source of sources) {
    const store = await source.open()
    try {
      await body(store, source.name)
    } finally {
      await store.close()
    }
  }
}

describe('the days of a store’s first and last orders', () => {
  it('are the shop-local days of its earliest and latest orders, per shop too', async () => {
    const all = expectedDays()
    const second = expectedDays([2])
    expect(all).not.toBeNull()
    expect(second).not.toBeNull()
    await withEach(async (store, name) => {
      expect({ name, days: await store.orderDays() }).toEqual({ name, days: all })
      expect({ name, days: await store.orderDays([2]) }).toEqual({ name, days: second })
    })
  })

  it('are null for shops without orders', async () => {
    await withEach(async (store, name) => {
      expect({ name, days: await store.orderDays([999]) }).toEqual({ name, days: null })
    })
  })
})

describe('the cancelled, refunded and payment error states', () => {
  it('are the ones the store’s PS_OS_CANCELED, PS_OS_REFUND and PS_OS_ERROR name', async () => {
    const keys = fixture.model.stateKeys
    const expected = [keys['PS_OS_CANCELED'], keys['PS_OS_REFUND'], keys['PS_OS_ERROR']]
    expect(expected.every((id) => typeof id === 'number')).toBe(true)
    await withEach(async (store, name) => {
      const states = await store.orderStates()
      const cancelled = states.filter((state) => state.cancelled).map((state) => state.id)
      expect({ name, cancelled }).toEqual({
        name,
        cancelled: [...expected].sort((a, b) => a! - b!),
      })
      // Awaiting a payment is neither logable nor cancelled.
      const bankWire = states.find((state) => state.id === keys['PS_OS_BANKWIRE'])
      expect(bankWire).toMatchObject({ logable: false, cancelled: false })
    })
  })

  it('fall back to the flags of a store that sets none: paid but not logable (refunded)', async () => {
    await db.admin.query(
      `DELETE FROM ${PREFIX}configuration WHERE name IN ('PS_OS_CANCELED', 'PS_OS_REFUND', 'PS_OS_ERROR')`,
    )
    await withEach(async (store, name) => {
      const states = await store.orderStates()
      const cancelled = states.filter((state) => state.cancelled).map((state) => state.id)
      const flagged = states
        .filter((state) => state.paid && !state.logable)
        .map((state) => state.id)
      expect(flagged.length).toBeGreaterThan(0)
      expect({ name, cancelled }).toEqual({ name, cancelled: flagged })
    })
  })
})
