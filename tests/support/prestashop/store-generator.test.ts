import mysql, { type RowDataPacket } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../mysql-server'
import {
  createPrestaShopSchema,
  createUnrelatedSchema,
  PRESTASHOP_VERSIONS,
  tablesFor,
  type PrestaShopVersion,
} from './schema-builder'
import {
  EDGE_DAY,
  FALL_BACK_DAY,
  generateScenario,
  generateStore,
  SPRING_FORWARD_DAY,
} from './store-generator'

type Rows = RowDataPacket[]

async function columnsOf(db: TestDatabase, table: string): Promise<string[]> {
  const [rows] = await db.admin.query<Rows>(
    'SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [db.database, table],
  )
  return rows.map((row) => String(row['name']))
}

async function count(db: TestDatabase, table: string): Promise<number> {
  const [rows] = await db.admin.query<Rows>(`SELECT COUNT(*) AS n FROM ${mysql.escapeId(table)}`)
  return Number(rows[0]?.['n'])
}

describe.each(PRESTASHOP_VERSIONS)('PrestaShop %s', (version: PrestaShopVersion) => {
  let db: TestDatabase
  const fixture = generateStore({
    version,
    prefix: 'ps_',
    seed: 7,
    shops: 3,
    languages: ['en', 'es', 'fr'],
    multistore: true,
  })

  beforeAll(async () => {
    db = await createTestDatabase(`schema_${version}`)
    await createPrestaShopSchema(db.admin, { version, prefix: 'ps_' })
    await fixture.load(db.admin)
  })
  afterAll(async () => {
    await db?.drop()
  })

  it('creates every table with the version-specific columns', async () => {
    const [tables] = await db.admin.query<Rows>(
      'SELECT TABLE_NAME AS name, TABLE_COLLATION AS collation FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
      [db.database],
    )
    expect(tables.map((t) => String(t['name'])).sort()).toEqual(
      tablesFor(version)
        .map((t) => `ps_${t}`)
        .sort(),
    )
    const mb4 = version !== '1.6.1.24' && version !== '1.7.6.9'
    for (const table of tables) {
      expect(String(table['collation'])).toMatch(mb4 ? /^utf8mb4_/ : /^utf8(mb3)?_/)
    }

    const orders = await columnsOf(db, 'ps_orders')
    expect(orders.includes('note')).toBe(version >= '1.7.8')
    expect(orders.includes('shipping_number')).toBe(version.startsWith('1.'))
    const productLang = await columnsOf(db, 'ps_product_lang')
    expect(productLang.includes('meta_keywords')).toBe(!version.startsWith('9'))
    const currency = await columnsOf(db, 'ps_currency')
    expect(currency.includes('decimals')).toBe(version === '1.6.1.24')
    expect(currency.includes('precision')).toBe(version !== '1.6.1.24')
    const lang = await columnsOf(db, 'ps_lang')
    expect(lang.includes('locale')).toBe(version !== '1.6.1.24')
    const shop = await columnsOf(db, 'ps_shop')
    expect(shop.includes('theme_name')).toBe(version !== '1.6.1.24')
    const detail = await columnsOf(db, 'ps_order_detail')
    expect(detail.includes('product_mpn')).toBe(version >= '1.7.7' || !version.startsWith('1.'))
    expect(detail.includes('id_customization')).toBe(version !== '1.6.1.24')
  })

  it('loads the rows the fixture announces', async () => {
    const expected = fixture.expectedRowCounts()
    for (const [table, rows] of Object.entries(expected)) {
      expect(await count(db, `ps_${table}`), table).toBe(rows)
    }
    expect(await count(db, 'ps_shop')).toBe(3)
    expect(await count(db, 'ps_lang')).toBe(3)
    expect(await count(db, 'ps_order_state')).toBe(fixture.model.states.length)
    const [version_] = await db.admin.query<Rows>(
      "SELECT value FROM ps_configuration WHERE name = 'PS_VERSION_DB'",
    )
    expect(version_[0]?.['value']).toBe(version)
    const defaults = version === '1.6.1.24' ? 14 : 13
    expect(fixture.model.stateKeys['PS_OS_COD_VALIDATION']).toBe(defaults)
  })

  it('holds the same order headers the oracle expects, as MariaDB returns them', async () => {
    const expected = fixture.expectedOrders()
    const [rows] = await db.admin.query<Rows>(
      `SELECT id_order, reference, id_cart, id_shop, id_lang, current_state, date_add, payment,
              total_paid_tax_incl, conversion_rate, id_currency
         FROM ps_orders ORDER BY date_add, id_order`,
    )
    expect(rows.map((r) => Number(r['id_order']))).toEqual(expected.map((o) => o.id))
    for (const [index, row] of rows.entries()) {
      const order = expected[index]
      expect(order).toBeDefined()
      if (order === undefined) continue
      expect(row['reference']).toBe(order.reference)
      expect(Number(row['id_cart'])).toBe(order.cartId)
      expect(Number(row['id_shop'])).toBe(order.shopId)
      expect(Number(row['id_lang'])).toBe(order.languageId)
      expect(Number(row['current_state'])).toBe(order.stateId)
      expect(row['date_add']).toBe(order.placedAt)
      expect(row['payment']).toBe(order.paymentMethod)
      expect(row['total_paid_tax_incl']).toBe(order.totalPaidTaxIncl)
      expect(row['conversion_rate']).toBe(order.conversionRate)
      expect(Number(row['id_currency'])).toBe(order.currency.id)
    }
  })

  it('holds the same lines and customers the oracle expects', async () => {
    const expected = fixture.expectedOrders()
    const [lines] = await db.admin.query<Rows>(
      `SELECT id_order_detail, id_order, product_id, product_attribute_id, product_name, product_quantity,
              unit_price_tax_incl, unit_price_tax_excl, total_price_tax_incl, total_price_tax_excl
         FROM ps_order_detail ORDER BY id_order_detail`,
    )
    const expectedLines = expected
      .flatMap((order) => order.lines.map((line) => ({ order: order.id, line })))
      .sort((a, b) => a.line.id - b.line.id)
    expect(lines).toHaveLength(expectedLines.length)
    for (const [index, row] of lines.entries()) {
      const item = expectedLines[index]
      if (item === undefined) continue
      expect(Number(row['id_order_detail'])).toBe(item.line.id)
      expect(Number(row['id_order'])).toBe(item.order)
      expect(Number(row['product_attribute_id'] ?? 0)).toBe(item.line.productAttributeId)
      expect(row['product_name']).toBe(item.line.name)
      expect(row['unit_price_tax_incl']).toBe(item.line.unitPriceTaxIncl)
      expect(row['unit_price_tax_excl']).toBe(item.line.unitPriceTaxExcl)
      expect(row['total_price_tax_incl']).toBe(item.line.totalPriceTaxIncl)
      expect(row['total_price_tax_excl']).toBe(item.line.totalPriceTaxExcl)
    }
    const [customers] = await db.admin.query<Rows>(
      'SELECT id_customer, email, firstname, lastname, is_guest, deleted FROM ps_customer',
    )
    const byId = new Map(customers.map((row) => [Number(row['id_customer']), row]))
    for (const order of expected) {
      const row = byId.get(order.customer?.id ?? -1)
      if (order.customer === null) {
        expect(byId.has(fixture.model.missingCustomerIds[0] ?? 0)).toBe(false)
        continue
      }
      expect(row?.['email']).toBe(order.customer.email)
      expect(row?.['firstname']).toBe(order.customer.firstname)
      expect(row?.['lastname']).toBe(order.customer.lastname)
      expect(Number(row?.['is_guest'])).toBe(order.customer.isGuest ? 1 : 0)
      expect(Number(row?.['deleted'])).toBe(order.customer.deleted ? 1 : 0)
    }
  })

  it('stores product names byte for byte (emoji only where utf8mb4 allows)', async () => {
    const [rows] = await db.admin.query<Rows>(
      'SELECT name FROM ps_product_lang WHERE id_product = 11 AND id_shop = 1 AND id_lang = 1',
    )
    const name = String(rows[0]?.['name'])
    if (fixture.model.utf8mb4) {
      expect(name).toBe('Rocket 🚀 tee')
    } else {
      expect(name).toBe('Rocket tee — édition spéciale')
    }
    const [customers] = await db.admin.query<Rows>(
      'SELECT firstname FROM ps_customer WHERE id_customer = 7',
    )
    expect(customers[0]?.['firstname']).toBe(fixture.model.utf8mb4 ? 'Zoë 🌸' : 'Zoë')
  })
})

describe('utf8mb4 emoji round trip', () => {
  it.each(['1.7.8.7', '8.2.0', '9.1.0'] as const)('%s keeps 4-byte characters', async (version) => {
    const db = await createTestDatabase(`emoji_${version}`)
    try {
      await createPrestaShopSchema(db.admin, { version, prefix: 'ps_' })
      const text = 'Tee 🚀 «=SUM(A1)» 😀'
      await db.admin.query(
        "INSERT INTO ps_manufacturer (id_manufacturer, name, date_add, date_upd, active) VALUES (50, ?, '2025-01-01 00:00:00', '2025-01-01 00:00:00', 1)",
        [text],
      )
      const [rows] = await db.admin.query<Rows>(
        'SELECT name, HEX(name) AS hex FROM ps_manufacturer WHERE id_manufacturer = 50',
      )
      expect(rows[0]?.['name']).toBe(text)
      expect(String(rows[0]?.['hex'])).toContain('F09F9A80')
    } finally {
      await db.drop()
    }
  })
})

describe('determinism', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase('determinism')
  })
  afterAll(async () => {
    await db?.drop()
  })

  it('gives the same data for the same seed and different data for another seed', async () => {
    const options = {
      version: '8.2.0',
      seed: 42,
      orderCount: 120,
      shops: 2,
      languages: ['en', 'fr'],
    } as const
    const first = generateStore({ ...options, prefix: 'a_' })
    const second = generateStore({ ...options, prefix: 'b_' })
    const other = generateStore({ ...options, prefix: 'c_', seed: 43 })
    expect(second.expectedOrders()).toEqual(first.expectedOrders())
    expect(other.expectedOrders()).not.toEqual(first.expectedOrders())

    for (const fixture of [first, second, other]) {
      await createPrestaShopSchema(db.admin, { version: '8.2.0', prefix: fixture.model.prefix })
      await fixture.load(db.admin)
    }
    const checksum = async (table: string): Promise<string> => {
      const [rows] = await db.admin.query<Rows>(`CHECKSUM TABLE ${mysql.escapeId(table)}`)
      return String(rows[0]?.['Checksum'])
    }
    for (const table of ['orders', 'order_detail', 'customer', 'product_lang', 'configuration']) {
      expect(await checksum(`b_${table}`), table).toBe(await checksum(`a_${table}`))
    }
    expect(await checksum('c_orders')).not.toBe(await checksum('a_orders'))
  })
})

describe('edge cases in the oracle', () => {
  const fixture = generateStore({
    version: '1.7.8.7',
    seed: 3,
    orderCount: 80,
    languages: ['en', 'es', 'fr'],
    inactiveLanguage: 'fr',
  })
  const special = fixture.model.specialOrders
  const all = fixture.expectedOrders()
  const byId = new Map(all.map((order) => [order.id, order]))

  it('places every edge case', () => {
    for (const key of [
      'dayStart',
      'dayEnd',
      'nextDayStart',
      'autumnRepeatFirst',
      'autumnRepeatSecond',
      'noLines',
      'deletedProducts',
      'combinations',
      'freeOrder',
      'jpy',
      'missingCustomer',
      'inactiveLanguage',
    ] as const) {
      expect(special[key], key).toBeTypeOf('number')
    }
  })

  it('honours range edges and DST wall-clock times', () => {
    const day = fixture.expectedOrders({
      range: { from: EDGE_DAY, to: EDGE_DAY },
      stateIds: fixture.model.states.map((s) => s.id),
    })
    const ids = day.map((o) => o.id)
    expect(ids).toContain(special.dayStart)
    expect(ids).toContain(special.dayEnd)
    expect(ids).not.toContain(special.nextDayStart)
    expect(ids).not.toContain(special.previousDayEnd)
    expect(byId.get(special.beforeSpringGap ?? 0)?.placedAt).toBe(`${SPRING_FORWARD_DAY} 01:59:59`)
    expect(byId.get(special.afterSpringGap ?? 0)?.placedAt).toBe(`${SPRING_FORWARD_DAY} 03:00:00`)
    expect(byId.get(special.autumnRepeatFirst ?? 0)?.placedAt).toBe(`${FALL_BACK_DAY} 02:30:00`)
    expect(byId.get(special.autumnRepeatSecond ?? 0)?.placedAt).toBe(`${FALL_BACK_DAY} 02:30:00`)
    for (const order of all) {
      expect(order.placedAt.startsWith(`${SPRING_FORWARD_DAY} 02:`), `order ${order.id}`).toBe(
        false,
      )
    }
    const sorted = [...all].sort((a, b) =>
      a.placedAt === b.placedAt ? a.id - b.id : a.placedAt < b.placedAt ? -1 : 1,
    )
    expect(all.map((o) => o.id)).toEqual(sorted.map((o) => o.id))
  })

  it('models customers, products, currencies and states as documented', () => {
    expect(byId.get(special.missingCustomer ?? 0)?.customer).toBeNull()
    expect(byId.get(special.noLines ?? 0)?.lines).toEqual([])
    const deleted = byId.get(special.deletedProducts ?? 0)
    expect(deleted?.lines.map((l) => l.product === null)).toEqual([true, true, false, false])
    expect(deleted?.lines[1]?.productAttributeId).toBe(0)
    // Disabled since, then out of stock; both still priced from the catalogue (21 % for Spain).
    expect(deleted?.lines[2]?.product).toMatchObject({
      active: false,
      inStock: true,
      priceTaxExcl: '49.990000',
      priceTaxIncl: '60.487900',
    })
    expect(deleted?.lines[3]?.product).toMatchObject({ active: true, quantity: 0, inStock: false })
    const jpy = byId.get(special.jpy ?? 0)
    expect(jpy?.currency).toEqual({ id: 3, isoCode: 'JPY', precision: 0 })
    expect(jpy?.conversionRate).toBe('162.450000')
    expect(jpy?.totalPaidTaxIncl).toMatch(/^\d+\.000000$/)
    const free = byId.get(special.freeOrder ?? 0)
    expect(free?.totalPaidTaxIncl).toBe('0.000000')
    expect(free?.timezone).toBe('Europe/Madrid')

    const combos = byId.get(special.combinations ?? 0)
    const [small, medium, large] = combos?.lines ?? []
    expect(small?.product?.productDetailUrl).toBe(
      'https://secure.shop.example.test/en/men/1-1-hummingbird-printed-t-shirt-3700000000017.html',
    )
    expect(small?.product?.productBaseUrl).toBe(
      'https://secure.shop.example.test/en/men/1-hummingbird-printed-t-shirt-3700000000017.html',
    )
    // Combination images: lowest position wins; a combination without images uses the cover.
    expect(small?.product?.imageUrl).toBe(
      'https://secure.shop.example.test/2-large_default/hummingbird-printed-t-shirt.jpg',
    )
    expect(medium?.product?.imageUrl).toBe(
      'https://secure.shop.example.test/4-large_default/hummingbird-printed-t-shirt.jpg',
    )
    expect(large?.product?.imageUrl).toBe(
      'https://secure.shop.example.test/1-large_default/hummingbird-printed-t-shirt.jpg',
    )
    expect(small?.product?.categoryPath).toEqual(['Clothes', 'Men'])
    expect(small?.product?.brand).toBe('Studio Design')

    const home = byId.get(special.homeOnlyProducts ?? 0)
    expect(home?.lines[0]?.product?.categoryPath).toEqual([])
    expect(home?.lines[0]?.product?.brand).toBeNull()
    expect(home?.lines[2]?.product?.imageUrl).toBeNull()

    const states = fixture.expectedStates(2)
    expect(states.find((s) => s.id === 2)?.name).toBe('Pago aceptado')
    expect(states.find((s) => s.id === fixture.model.customStateIds['klarna_paid'])?.name).toBe(
      'Paid with Klarna',
    )
    expect(
      states.find((s) => s.id === fixture.model.customStateIds['legacy_deleted']),
    ).toMatchObject({ deleted: true, color: '' })
    const overview = fixture.expectedOverview()
    expect(overview.multilingual).toBe(true)
    expect(overview.languages.find((l) => l.isoCode === 'fr')?.active).toBe(false)
  })

  it('builds non-friendly and 1.6 URLs', () => {
    const off = generateScenario('friendlyOff', { version: '1.7.8.7', seed: 3, orderCount: 80 })
    const order = off.expectedOrders().find((o) => o.id === off.model.specialOrders.combinations)
    expect(order?.lines[0]?.product?.productDetailUrl).toBe(
      `https://secure.shop.example.test/index.php?id_product=1&id_product_attribute=1&rewrite=${
        order?.languageId === 1 ? 'hummingbird-printed-t-shirt' : 'camiseta-estampada-colibri'
      }&controller=product&id_lang=${order?.languageId}`,
    )
    expect(order?.lines[0]?.product?.imageUrl).toBe(
      'https://secure.shop.example.test/img/p/2/2-large_default.jpg',
    )
    const v16 = generateStore({ version: '1.6.1.24', seed: 3, orderCount: 80, ssl: 'partial' })
    const order16 = v16.expectedOrders().find((o) => o.id === v16.model.specialOrders.combinations)
    expect(order16?.lines[0]?.product?.productDetailUrl).toBe(
      'http://shop.example.test/men/1-hummingbird-printed-t-shirt-3700000000017.html',
    )
    expect(order16?.lines[0]?.product?.imageUrl).toBe(
      'http://shop.example.test/2-large_default/hummingbird-printed-t-shirt.jpg',
    )
  })
})

describe('test databases', () => {
  it('creates users with limited grants and a non-PrestaShop schema', async () => {
    const db = await createTestDatabase('grants')
    try {
      await createUnrelatedSchema(db.admin)
      const reader = await db.createUser({ privileges: ['SELECT'] })
      const nobody = await db.createUser()
      const connection = await mysql.createConnection(reader.url)
      const [rows] = await connection.query<Rows>('SELECT option_name FROM wp_options ORDER BY 1')
      expect(rows.map((r) => r['option_name'])).toEqual(['blogname', 'siteurl'])
      await expect(connection.query('DELETE FROM wp_options')).rejects.toMatchObject({
        code: 'ER_TABLEACCESS_DENIED_ERROR',
      })
      await connection.end()
      await expect(mysql.createConnection(nobody.url)).rejects.toMatchObject({
        code: 'ER_DBACCESS_DENIED_ERROR',
      })
    } finally {
      await db.drop()
    }
  })
})
