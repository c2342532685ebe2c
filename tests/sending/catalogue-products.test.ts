import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { mapOrderToPurchase } from '../../main/core/purchases/order-to-purchase'
import type { CatalogueProduct } from '../../main/core/purchases/purchase'
import { startSending } from '../../main/core/sending/sending-engine'
import { startConnectifSimulator, type ConnectifSimulator } from '../support/connectif-simulator'
import { createTestDatabase, type TestDatabase } from '../support/mysql-server'
import type { StoreFixture } from '../support/prestashop/store-generator'
import {
  allStateIds,
  API_KEY,
  expectedOutcome,
  loadStore,
  openHarness,
  recentRange,
  sendingOptions,
  shopAccount,
  type Harness,
} from './engine-harness'

/**
 * Products a sending creates one by one take the store's catalogue as it is now, not the order's
 * lines: against a real store (MariaDB) whose catalogue has since deleted product 900, disabled
 * product 3 and sold out product 12 (the generator's `deletedProducts` order has all three), and
 * the simulator, which records every product body it accepts.
 */

const DELETED = '900'
const DISABLED = '3'
const SOLD_OUT = '12'

let db: TestDatabase
let fixture: StoreFixture
let expected: ReturnType<typeof expectedOutcome>
let simulator: ConnectifSimulator
let harness: Harness

beforeAll(async () => {
  db = await createTestDatabase('catalogue')
  fixture = await loadStore(db, 90)
  expected = expectedOutcome(fixture)
})

afterAll(async () => {
  await db.drop()
})

afterEach(async () => {
  await harness.close()
  await simulator.close()
})

/** An account with the shop's contacts and products, but those named. */
async function start(missing: readonly string[], authorisedDomains?: readonly string[]) {
  const account = shopAccount('shop', API_KEY, {
    emails: expected.emails,
    productIds: expected.productIds.filter((id) => !missing.includes(id)),
  })
  simulator = await startConnectifSimulator({
    accounts: [{ ...account, ...(authorisedDomains ? { authorisedDomains } : {}) }],
  })
  harness = await openHarness(db, simulator)
}

function send() {
  return startSending(harness.deps({ bulkImports: false }), {
    profile: harness.profile,
    ...recentRange(),
    stateIds: allStateIds(fixture),
    mode: 'cli' as const,
    options: sendingOptions(),
  })
}

/** The order that bought the three products, as the mapping makes it. */
function edgeOrder() {
  const id = fixture.model.specialOrders.deletedProducts
  const order = fixture.expectedOrders().find((candidate) => candidate.id === id)
  if (order === undefined) throw new Error('the store has no deletedProducts order')
  const mapping = mapOrderToPurchase(order)
  if (mapping.result !== 'ready') throw new Error(mapping.reason)
  return mapping
}

/** Its catalogue entries, by product id, without the id (a PATCH has it in its path). */
function catalogueOfEdgeOrder(): Map<string, Omit<CatalogueProduct, 'productId'>> {
  return new Map(edgeOrder().catalogue.map(({ productId, ...entry }) => [productId, entry]))
}

describe('products created one by one', () => {
  it('are the catalogue now: a deleted or disabled one blacklisted and out of stock, a sold-out one out of stock', async () => {
    await start([DELETED, DISABLED, SOLD_OUT])
    const sending = await send()
    expect(sending.state).toBe('completed')
    const account = simulator.account('shop')
    const bodies = new Map(account.productBodies.map((sent) => [sent.productId, sent.body]))
    // Only the missing products: a product Connectif has is never sent, so never overwritten.
    expect([...bodies.keys()].sort()).toEqual([DISABLED, SOLD_OUT, DELETED].sort())

    const catalogue = catalogueOfEdgeOrder()
    // Disabled since it was sold: today's name and price (49.99 + 21 %), never recommended.
    expect(bodies.get(DISABLED)).toEqual(catalogue.get(DISABLED))
    expect(bodies.get(DISABLED)).toMatchObject({
      name: 'Summer dress',
      unitPrice: 60.49,
      unitPriceWithoutVAT: 49.99,
      productDetailUrl: 'https://secure.shop.example.test/summer-dresses/3-summer-dress.html',
      availability: 'outofstock',
      isBlacklisted: true,
    })
    // Enabled but with no stock: still recommendable once it is back.
    expect(bodies.get(SOLD_OUT)).toEqual(catalogue.get(SOLD_OUT))
    expect(bodies.get(SOLD_OUT)).toMatchObject({
      name: 'Framed poster',
      unitPrice: 35.09,
      unitPriceWithoutVAT: 29,
      availability: 'outofstock',
      isBlacklisted: false,
    })
    // Gone from the store: what an order says of it, and PrestaShop's plain link to it.
    expect(bodies.get(DELETED)).toMatchObject({
      name: 'Discontinued scarf',
      productDetailUrl:
        'https://secure.shop.example.test/index.php?id_product=900&controller=product',
      availability: 'outofstock',
      isBlacklisted: true,
    })
    expect(bodies.get(DELETED)).not.toHaveProperty('imageUrl')
    // Purchases keep what was paid: the order's lines, not today's prices.
    const { purchase } = edgeOrder()
    const stored = account.purchases.get(purchase.purchaseId)
    expect(stored?.body['products']).toEqual(purchase.products)
    expect(purchase.products.find((line) => line.productId === DISABLED)?.unitPrice).not.toBe(60.49)
  })
})

describe('a product whose page is on a domain Connectif does not accept (E0201)', () => {
  it('fails its orders with the domain and where to authorise it', async () => {
    await start([SOLD_OUT], ['elsewhere.test'])
    const sending = await send()
    expect(sending.state).toBe('completed_with_errors')
    const rows = [...harness.history.reportRows(sending.id, { all: false })]
    const refused = rows.filter((row) => row.errorCode === 'E0201')
    expect(refused.length).toBeGreaterThan(0)
    expect(refused[0]?.message).toContain(
      `Connectif refused to create the product ${SOLD_OUT}: its page https://secure.shop.example.test/`,
    )
    expect(refused[0]?.message).toContain('is on secure.shop.example.test (E0201)')
    expect(refused[0]?.message).toContain(
      'Store settings > Integrations > Web > Authorized domains',
    )
    expect(simulator.account('shop').products.has(SOLD_OUT)).toBe(false)
  })
})
