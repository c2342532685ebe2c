import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabaseStore } from '../../main/core/store/database/database-store'
import type { DatabaseStore } from '../../main/core/store/database/database-store'
import type {
  OrderFilter,
  OrderKey,
  OrderPageOptions,
  StoreOrder,
} from '../../main/core/store/store-source'
import { mapOrderToPurchase } from '../../main/core/purchases/order-to-purchase'
import { createTestDatabase } from '../support/mysql-server'
import type { TestDatabase } from '../support/mysql-server'
import { createPrestaShopSchema, PRESTASHOP_VERSIONS } from '../support/prestashop/schema-builder'
import type { PrestaShopVersion } from '../support/prestashop/schema-builder'
import {
  EDGE_DAY,
  FALL_BACK_DAY,
  generateScenario,
  SCENARIOS,
  SPRING_FORWARD_DAY,
} from '../support/prestashop/store-generator'
import type { ScenarioName, StoreFixture } from '../support/prestashop/store-generator'
import { expectedWeeks } from './expected-weeks'

async function readAll(
  store: DatabaseStore,
  filter: OrderFilter,
  pageSize?: number,
): Promise<StoreOrder[]> {
  const orders: StoreOrder[] = []
  for await (const page of store.readOrders(filter, pageSize ? { pageSize } : {}))
    orders.push(...page)
  return orders
}

async function keysOf(
  store: DatabaseStore,
  filter: OrderFilter,
  options: OrderPageOptions = {},
): Promise<OrderKey[]> {
  const keys: OrderKey[] = []
  for await (const page of store.orderKeys(filter, options)) keys.push(...page)
  return keys
}

/** An order's key as `orderKeys` gives it: what routing needs, and the keyset position. */
function keyOf(order: StoreOrder): OrderKey {
  return {
    id: order.id,
    placedAt: order.placedAt,
    shopId: order.shopId,
    languageId: order.languageId,
    stateId: order.stateId,
    currency: order.currency,
  }
}

interface OpenedStore {
  readonly fixture: StoreFixture
  readonly store: DatabaseStore
  readonly db: TestDatabase
}

async function openScenario(
  version: PrestaShopVersion,
  scenario: ScenarioName,
  prefix: string,
): Promise<OpenedStore> {
  const db = await createTestDatabase(`${scenario}_${version}`)
  const fixture = generateScenario(scenario, { version, prefix, seed: 20251127 })
  await createPrestaShopSchema(db.admin, { version, prefix })
  await fixture.load(db.admin)
  const store = await openDatabaseStore({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.database,
    tablePrefix: prefix,
  })
  return { fixture, store, db }
}

function wholeYear(fixture: StoreFixture): OrderFilter {
  return {
    range: { from: '2025-01-01', to: '2025-12-31' },
    stateIds: fixture.model.states.map((state) => state.id),
  }
}

// Every scenario on the two most common versions; the URL-shaping ones on every version.
const matrix: [PrestaShopVersion, ScenarioName][] = []
for (const version of PRESTASHOP_VERSIONS) {
  const scenarios: ScenarioName[] =
    version === '1.7.8.7' || version === '8.2.0'
      ? (Object.keys(SCENARIOS) as ScenarioName[])
      : ['basic', 'multilingual', 'friendlyOff', 'multistore', 'sslPartial']
  for (const scenario of scenarios) matrix.push([version, scenario])
}

describe.each(matrix)('reading a PrestaShop %s store (%s)', (version, scenario) => {
  let opened: OpenedStore
  beforeAll(async () => {
    // A custom prefix on every other version: nothing may assume `ps_`.
    opened = await openScenario(version, scenario, version.startsWith('1.7') ? 'shop2024_' : 'ps_')
  })
  afterAll(async () => {
    await opened.store.close()
    await opened.db.drop()
  })

  it('describes the store: version, shops, languages, currencies', async () => {
    expect(await opened.store.overview()).toEqual(opened.fixture.expectedOverview())
  })

  it('lists the order states with their names and colours in each language', async () => {
    for (const language of opened.fixture.model.languages) {
      expect(await opened.store.orderStates(language.id)).toEqual(
        opened.fixture.expectedStates(language.id),
      )
    }
    expect(await opened.store.orderStates()).toEqual(opened.fixture.expectedStates())
  })

  it('reads every order of a range exactly as the store holds it', async () => {
    const filter = wholeYear(opened.fixture)
    expect(await readAll(opened.store, filter)).toEqual(opened.fixture.expectedOrders(filter))
  })

  it('gives the keys of the same orders, with what routing them needs', async () => {
    const filter = wholeYear(opened.fixture)
    const keys = await keysOf(opened.store, filter)
    expect(keys.length).toBeGreaterThan(0)
    expect(keys).toEqual(opened.fixture.expectedOrders(filter).map(keyOf))
  })

  it('counts orders per state and per shop', async () => {
    const range = { from: '2025-01-01', to: '2025-12-31' }
    expect(await opened.store.countOrders({ range })).toEqual(
      opened.fixture.expectedCounts({ range }),
    )
    const day = { from: EDGE_DAY, to: EDGE_DAY }
    expect(await opened.store.countOrders({ range: day, shopIds: [1] })).toEqual(
      opened.fixture.expectedCounts({ range: day, shopIds: [1] }),
    )
  })

  it('counts orders per week (Monday first, on the shop clock) and state in one query', async () => {
    const year = { range: { from: '2025-01-01', to: '2025-12-31' } }
    const weeks = await opened.store.countOrdersByWeek(year)
    expect(weeks.length).toBeGreaterThan(0)
    expect(weeks).toEqual(expectedWeeks(opened.fixture, year))
    // The orders of every week add up to the range's count.
    const total = weeks.reduce((sum, week) => sum + week.orders, 0)
    expect(total).toBe((await opened.store.countOrders(year)).total)
    const day = { range: { from: EDGE_DAY, to: EDGE_DAY }, shopIds: [1] }
    expect(await opened.store.countOrdersByWeek(day)).toEqual(expectedWeeks(opened.fixture, day))
  })
})

describe('order ranges, pages and filters', () => {
  let opened: OpenedStore
  beforeAll(async () => {
    opened = await openScenario('8.2.0', 'multistore', 'ps_')
  })
  afterAll(async () => {
    await opened.store.close()
    await opened.db.drop()
  })

  it('includes both ends of a range of days and nothing outside it', async () => {
    const filter: OrderFilter = {
      ...wholeYear(opened.fixture),
      range: { from: EDGE_DAY, to: EDGE_DAY },
    }
    const orders = await readAll(opened.store, filter)
    const special = opened.fixture.model.specialOrders
    const ids = orders.map((order) => order.id)
    expect(ids).toContain(special.dayStart)
    expect(ids).toContain(special.dayEnd)
    expect(ids).not.toContain(special.nextDayStart)
    expect(ids).not.toContain(special.previousDayEnd)
    expect(orders.every((order) => order.placedAt.startsWith(EDGE_DAY))).toBe(true)
    expect(orders).toEqual(opened.fixture.expectedOrders(filter))
  })

  it('gives the same orders whatever the page size, even when dates tie', async () => {
    const filter = wholeYear(opened.fixture)
    const expected = opened.fixture.expectedOrders(filter)
    expect(await readAll(opened.store, filter, 1)).toEqual(expected)
    expect(await readAll(opened.store, filter, 7)).toEqual(expected)
  })

  it('continues after a given order, as a resumed sending does', async () => {
    const filter = wholeYear(opened.fixture)
    const expected = opened.fixture.expectedOrders(filter)
    const cut = expected[Math.floor(expected.length / 2)]
    if (!cut) throw new Error('the fixture has no orders')
    const rest: StoreOrder[] = []
    for await (const page of opened.store.readOrders(filter, {
      pageSize: 4,
      after: { placedAt: cut.placedAt, id: cut.id },
    })) {
      rest.push(...page)
    }
    expect(rest).toEqual(expected.slice(expected.indexOf(cut) + 1))
  })

  it('filters by state and by shop', async () => {
    const states = opened.fixture.model.states.slice(0, 3).map((state) => state.id)
    const filter: OrderFilter = {
      range: { from: '2025-01-01', to: '2025-12-31' },
      stateIds: states,
      shopIds: [2, 3],
    }
    const orders = await readAll(opened.store, filter)
    expect(orders.length).toBeGreaterThan(0)
    expect(
      orders.every((order) => states.includes(order.stateId) && [2, 3].includes(order.shopId)),
    ).toBe(true)
    expect(orders).toEqual(opened.fixture.expectedOrders(filter))
  })

  it('gives order keys by the same range, filters and pages as the orders', async () => {
    const states = opened.fixture.model.states.slice(0, 3).map((state) => state.id)
    const filtered: OrderFilter = {
      range: { from: '2025-01-01', to: '2025-12-31' },
      stateIds: states,
      shopIds: [2, 3],
    }
    const expected = opened.fixture.expectedOrders(filtered).map(keyOf)
    expect(expected.length).toBeGreaterThan(0)
    expect(await keysOf(opened.store, filtered)).toEqual(expected)

    const day: OrderFilter = {
      ...wholeYear(opened.fixture),
      range: { from: EDGE_DAY, to: EDGE_DAY },
    }
    expect(await keysOf(opened.store, day)).toEqual(opened.fixture.expectedOrders(day).map(keyOf))

    // Dates tie across pages of one key; a cursor continues after its order.
    const year = wholeYear(opened.fixture)
    const all = opened.fixture.expectedOrders(year).map(keyOf)
    expect(await keysOf(opened.store, year, { pageSize: 1 })).toEqual(all)
    const cut = all[Math.floor(all.length / 2)] as OrderKey
    expect(
      await keysOf(opened.store, year, {
        pageSize: 3,
        after: { placedAt: cut.placedAt, id: cut.id },
      }),
    ).toEqual(all.slice(all.indexOf(cut) + 1))

    // A malformed filter is refused as readOrders refuses it.
    await expect(
      keysOf(opened.store, { range: { from: '2025-01-01', to: '2025-01-31' }, stateIds: [] }),
    ).rejects.toMatchObject({ code: 'invalid_request' })
  })

  it('turns daylight-saving dates into the right instants', async () => {
    const special = opened.fixture.model.specialOrders
    const filter: OrderFilter = {
      ...wholeYear(opened.fixture),
      range: { from: SPRING_FORWARD_DAY, to: FALL_BACK_DAY },
      shopIds: [1],
    }
    const purchases = new Map(
      (await readAll(opened.store, filter)).map(
        (order) => [order.id, mapOrderToPurchase(order)] as const,
      ),
    )
    const dateOf = (id: number | undefined): string | undefined =>
      purchases.get(id ?? -1)?.order.orderDate
    expect(dateOf(special.beforeSpringGap)).toBe('2025-03-30T01:59:59+01:00')
    expect(dateOf(special.afterSpringGap)).toBe('2025-03-30T03:00:00+02:00')
    expect(dateOf(special.autumnRepeatFirst)).toBe('2025-10-26T02:30:00+02:00')
  })

  it('stops between pages when asked to', async () => {
    const controller = new AbortController()
    const pages = opened.store.readOrders(wholeYear(opened.fixture), {
      pageSize: 5,
      signal: controller.signal,
    })
    let read = 0
    await expect(
      (async () => {
        for await (const page of pages) {
          read += page.length
          controller.abort()
        }
      })(),
    ).rejects.toThrow()
    expect(read).toBe(5)
  })

  it('refuses a malformed filter with a clear message', async () => {
    const range = { from: '2025-03-01', to: '2025-02-01' }
    await expect(opened.store.countOrders({ range })).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/before the start date/),
    })
    await expect(
      readAll(opened.store, { range: { from: '2025-01-01', to: '2025-01-31' }, stateIds: [] }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
    })
  })
})

describe('store orders as Connectif purchases', () => {
  let opened: OpenedStore
  beforeAll(async () => {
    opened = await openScenario('1.7.8.7', 'multilingual', 'ps_')
  })
  afterAll(async () => {
    await opened.store.close()
    await opened.db.drop()
  })

  it('maps every readable order and skips the unsendable ones with a reason', async () => {
    const orders = await readAll(opened.store, wholeYear(opened.fixture))
    const special = opened.fixture.model.specialOrders
    const skipped = new Map<number, string>()
    for (const order of orders) {
      const mapping = mapOrderToPurchase(order)
      if (mapping.result === 'skipped') {
        skipped.set(order.id, mapping.reason)
        continue
      }
      const { purchase } = mapping
      // Checked against the order's own numbers, not the mapper's.
      expect(purchase.purchaseId).toBe(String(order.id))
      expect(purchase.cartId).toBe(String(order.cartId))
      expect(purchase.contactEmail).toBe(order.customer?.email.trim())
      expect(purchase.totalQuantity).toBe(order.lines.reduce((sum, line) => sum + line.quantity, 0))
      expect(purchase.products.reduce((sum, product) => sum + product.quantity, 0)).toBe(
        purchase.totalQuantity,
      )
      expect(new Set(purchase.products.map((product) => product.productId)).size).toBe(
        purchase.products.length,
      )
      const rate = order.currency.id === order.defaultCurrency.id ? 1 : Number(order.conversionRate)
      const factor = 10 ** order.defaultCurrency.precision
      expect(purchase.totalPrice).toBe(
        Math.round((Number(order.totalPaidTaxIncl) / rate) * factor) / factor,
      )
      for (const product of purchase.products) {
        const line = order.lines.find(
          (candidate) => String(candidate.productId) === product.productId,
        )
        // Product pages carry the language; a product deleted since links to the plain product URL.
        expect(product.productDetailUrl).toMatch(
          line?.product
            ? /^https:\/\/secure\.shop\.example\.test\/(en|es|fr)\//
            : /^https:\/\/secure\.shop\.example\.test\/index\.php\?id_product=\d+&controller=product$/,
        )
      }
    }
    expect(skipped.get(special.missingCustomer ?? -1)).toMatch(/no longer exists/)
    expect(skipped.get(special.deletedCustomer ?? -1)).toMatch(/deleted/)
    expect(skipped.get(special.emptyEmail ?? -1)).toMatch(/no customer e-mail/)
    expect(skipped.get(special.invalidEmail ?? -1)).toMatch(/not a valid e-mail/)
    expect(skipped.get(special.noLines ?? -1)).toMatch(/no product lines/)
    expect(skipped.has(special.guestCustomer ?? -1)).toBe(false)
    // A free order is a purchase too; it may only be skipped for its customer, like any order.
    expect(skipped.get(special.freeOrder ?? -1) ?? '').not.toMatch(/amount|conversion|lines|date/)
    expect([...skipped.values()].every((reason) => reason.length > 0)).toBe(true)
  })

  it('converts orders paid in another currency with their own stored rate', async () => {
    const orders = await readAll(opened.store, wholeYear(opened.fixture))
    const foreign = orders.filter((order) => order.currency.id !== order.defaultCurrency.id)
    expect(foreign.map((order) => order.currency.isoCode)).toContain('USD')
    let converted = 0
    for (const order of foreign) {
      const mapping = mapOrderToPurchase(order)
      if (mapping.result !== 'ready') continue
      const factor = 10 ** order.defaultCurrency.precision
      const expected =
        Math.round((Number(order.totalPaidTaxIncl) / Number(order.conversionRate)) * factor) /
        factor
      expect(mapping.purchase.totalPrice).toBe(expected)
      converted++
    }
    expect(converted).toBeGreaterThan(0)
  })
})
