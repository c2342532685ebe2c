/**
 * Hostile data in a real PrestaShop 9 database (MariaDB), read by the real reader and mapped by
 * the real mapping: a module, a faulty import or a hand edit can leave a negative total, a total
 * in a column widened to text, a line of quantity 0 or below, a 100,000-character line label
 * (`order_detail.product_name` is MEDIUMTEXT from 8.2) and addresses PrestaShop accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mapOrderToPurchase } from '../../main/core/purchases/order-to-purchase'
import type { OrderMapping } from '../../main/core/purchases/purchase'
import { openDatabaseStore } from '../../main/core/store/database/database-store'
import type { OrderFilter, StoreOrder } from '../../main/core/store/store-source'
import { createTestDatabase } from '../support/mysql-server'
import type { TestDatabase } from '../support/mysql-server'
import { createPrestaShopSchema } from '../support/prestashop/schema-builder'
import { generateStore } from '../support/prestashop/store-generator'

const VERSION = '9.1.0'
const EMAILS = ['=1+1@formula.example', "o'brien@example.com", 'muñoz@example.es'] as const
const LONG_NAME = `Mug ${'x'.repeat(99_996)}`

let db: TestDatabase
/** What the store holds now, read back after the edits, by order id. */
let mapped: Map<number, OrderMapping>
/** The orders picked for each edit. */
const picked: Record<string, number> = {}

beforeAll(async () => {
  db = await createTestDatabase('hostile')
  const fixture = generateStore({
    version: VERSION,
    seed: 7,
    orderCount: 40,
    edgeCases: false,
    dateWindow: { from: '2025-01-01', to: '2025-12-31' },
  })
  await createPrestaShopSchema(db.admin, { version: VERSION, prefix: 'ps_' })
  await fixture.load(db.admin)
  const filter: OrderFilter = {
    range: { from: '2025-01-01', to: '2025-12-31' },
    stateIds: fixture.model.states.map((state) => state.id),
  }

  // Orders that are sendable as generated, each with a customer of its own among those picked.
  const customers = new Set<number>()
  const candidates = fixture.expectedOrders(filter).filter((order) => {
    const customerId = order.customer?.id
    if (customerId === undefined || customers.has(customerId)) return false
    if (mapOrderToPurchase(order).result !== 'ready') return false
    customers.add(customerId)
    return true
  })
  const take = (label: string, accept: (order: StoreOrder) => boolean = () => true): StoreOrder => {
    const index = candidates.findIndex(accept)
    if (index < 0) throw new Error(`no generated order fits "${label}"`)
    const [order] = candidates.splice(index, 1) as [StoreOrder]
    picked[label] = order.id
    return order
  }
  const firstLine = (order: StoreOrder): number => (order.lines[0] as { id: number }).id
  // A line whose product is the only one of its kind in the order keeps its own label.
  const singleProduct = (order: StoreOrder): boolean =>
    order.lines.filter((line) => line.productId === order.lines[0]?.productId).length === 1

  const sql = db.admin
  // A column widened by a module: PrestaShop's decimal(20,6) could not hold 400 digits.
  await sql.query('ALTER TABLE ps_orders MODIFY total_paid_tax_incl TEXT NOT NULL')
  await sql.query('ALTER TABLE ps_order_detail MODIFY product_quantity INT NOT NULL')
  const setTotal = (id: number, total: string) =>
    sql.query('UPDATE ps_orders SET total_paid_tax_incl = ? WHERE id_order = ?', [total, id])
  const setLine = (id: number, column: string, value: string | number) =>
    sql.query(`UPDATE ps_order_detail SET ${column} = ? WHERE id_order_detail = ?`, [value, id])

  await setTotal(take('negativeTotal').id, '-12.500000')
  await setTotal(take('hugeTotal').id, `${'9'.repeat(400)}.000000`)
  await setLine(firstLine(take('zeroQuantity')), 'product_quantity', 0)
  await setLine(firstLine(take('negativeQuantity')), 'product_quantity', -2)
  await setLine(firstLine(take('negativePrice')), 'unit_price_tax_incl', '-5.000000')
  await setLine(firstLine(take('longName', singleProduct)), 'product_name', LONG_NAME)
  for (const [index, email] of EMAILS.entries()) {
    const order = take(`email${index}`)
    await sql.query('UPDATE ps_customer SET email = ? WHERE id_customer = ?', [
      email,
      order.customer?.id,
    ])
  }

  const store = await openDatabaseStore({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.database,
    tablePrefix: 'ps_',
  })
  mapped = new Map()
  try {
    for await (const page of store.readOrders(filter)) {
      for (const order of page) mapped.set(order.id, mapOrderToPurchase(order))
    }
  } finally {
    await store.close()
  }
})

afterAll(async () => {
  await db?.drop()
})

function mappingOf(label: string): OrderMapping {
  const mapping = mapped.get(picked[label] ?? -1)
  if (!mapping) throw new Error(`order "${label}" was not read`)
  return mapping
}

function reasonOf(label: string): string {
  const mapping = mappingOf(label)
  if (mapping.result !== 'skipped') throw new Error(`order "${label}" was mapped as ready`)
  return mapping.reason
}

describe('hostile data in a PrestaShop database', () => {
  it('skips a negative total with its reason', () => {
    expect(reasonOf('negativeTotal')).toBe('The order total is negative (-12.500000).')
  })

  it('skips a 400-digit total before it becomes Infinity, and keeps little of it', () => {
    const mapping = mappingOf('hugeTotal')
    expect(reasonOf('hugeTotal')).toBe(
      'The order total is too large to be a real amount: "9999999999999999999…" (407 characters).',
    )
    expect(mapping.order.total).toBe(`${'9'.repeat(63)}…`)
  })

  it('skips lines of quantity 0 or below, and negative unit prices', () => {
    expect(reasonOf('zeroQuantity')).toMatch(
      /^Line \d+ \(product \d+\): the quantity is 0 \(it must be a whole number of at least 1\)\.$/,
    )
    expect(reasonOf('negativeQuantity')).toMatch(/the quantity is -2 \(/)
    expect(reasonOf('negativePrice')).toMatch(/: the unit price is negative \(-5\.000000\)\.$/)
  })

  it('caps a 100,000-character line label at 1,000 characters', () => {
    const mapping = mappingOf('longName')
    if (mapping.result !== 'ready') throw new Error(mapping.reason)
    const names = mapping.purchase.products.map((product) => product.name)
    expect(names).toContain(`${LONG_NAME.slice(0, 999)}…`)
    expect(Math.max(...names.map((name) => name.length))).toBe(1_000)
  })

  it('maps the addresses PrestaShop accepted as ready, exactly as stored', () => {
    EMAILS.forEach((email, index) => {
      const mapping = mappingOf(`email${index}`)
      if (mapping.result !== 'ready') throw new Error(mapping.reason)
      expect(mapping.purchase.contactEmail).toBe(email)
    })
  })

  it('sends no purchase with a number JSON cannot hold', () => {
    const ready = [...mapped.values()].filter((mapping) => mapping.result === 'ready')
    expect(ready.length).toBeGreaterThan(10)
    for (const mapping of ready) expect(JSON.stringify(mapping.purchase)).not.toContain('null')
  })
})
