/**
 * Conformance of the database reader with PrestaShop's REAL install schemas.
 *
 * The schema builder (tests/support/prestashop/schema-builder.ts) is our own reading of the
 * schemas; this suite checks the reader against the `db_structure.sql` files PrestaShop itself
 * ships, which live outside the repository in `../shared/prestashop/db_structure` (beside the
 * clone, as in CI). Nothing from those files is copied here: the suite reads them at run time and
 * is skipped as a whole when the folder is absent, so `npm test` passes without it.
 *
 * For each version: the file's placeholders are substituted as the installer does, the CREATE
 * TABLE statements of the tables the reader needs are run with `sql_mode=''` (as PrestaShop runs
 * them), the tables the file does not hold (1.7 and 8 create lang, lang_shop, shop and shop_group
 * from Doctrine entities) come from our builder, and a small hand-written store is inserted with
 * plain INSERTs naming real columns. Every expected value below is written out by hand.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PoolConnection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mapOrderToPurchase } from '../../main/core/purchases/order-to-purchase'
import { openDatabaseStore } from '../../main/core/store/database/database-store'
import type { DatabaseStore } from '../../main/core/store/database/database-store'
import { OPTIONAL_TABLES, REQUIRED_TABLES } from '../../main/core/store/database/schema-discovery'
import type { StoreTable } from '../../main/core/store/database/schema-discovery'
import type {
  OrderFilter,
  OrderStateInfo,
  PrestaShopFamily,
  StoreOrder,
  StoreOverview,
} from '../../main/core/store/store-source'
import { createTestDatabase } from '../support/mysql-server'
import type { TestDatabase } from '../support/mysql-server'
import { prestaShopDdl } from '../support/prestashop/schema-builder'
import type { PrestaShopVersion } from '../support/prestashop/schema-builder'

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SHARED_PRESTASHOP = resolve(REPO_ROOT, '../shared/prestashop')
const DB_STRUCTURE_DIR = join(SHARED_PRESTASHOP, 'db_structure')
const PREFIX = 'rs_'

interface RealSchemaCase {
  /** As in the file name, and what the store records as PS_VERSION_DB. */
  readonly version: string
  readonly family: PrestaShopFamily
  /** Our builder's closest version, for the tables the real file does not create. */
  readonly builderVersion: PrestaShopVersion
  /** The tables the reader needs that the real file lacks (docs/prestashop.md §1.1, §1.3). */
  readonly doctrineTables: readonly StoreTable[]
}

const DOCTRINE_TABLES: readonly StoreTable[] = ['lang', 'lang_shop', 'shop', 'shop_group']

const CASES: readonly RealSchemaCase[] = [
  { version: '1.6.1.24', family: '1.6', builderVersion: '1.6.1.24', doctrineTables: [] },
  {
    version: '1.7.8.7',
    family: '1.7',
    builderVersion: '1.7.8.7',
    doctrineTables: DOCTRINE_TABLES,
  },
  {
    version: '8.0.0-beta.1',
    family: '8',
    builderVersion: '8.2.0',
    doctrineTables: DOCTRINE_TABLES,
  },
  { version: '8.2.0', family: '8', builderVersion: '8.2.0', doctrineTables: DOCTRINE_TABLES },
  { version: '9.0.0', family: '9', builderVersion: '9.1.0', doctrineTables: [] },
  { version: '9.1.0', family: '9', builderVersion: '9.1.0', doctrineTables: [] },
]

const READER_TABLES: readonly StoreTable[] = [...REQUIRED_TABLES, ...OPTIONAL_TABLES]

// ---------------------------------------------------------------------------------------------
// Reading db_structure.sql

/**
 * Splits a SQL script into statements on `;` outside quotes, backticks and comments, dropping
 * the comments (`/* *\/`, `-- ` and `#`). Good enough for PrestaShop's install scripts.
 */
function splitSqlStatements(script: string): string[] {
  const statements: string[] = []
  let current = ''
  let i = 0
  while (i < script.length) {
    const char = script[i] as string
    const next = script[i + 1] ?? ''
    if (char === '/' && next === '*') {
      const end = script.indexOf('*/', i + 2)
      i = end === -1 ? script.length : end + 2
      current += ' '
      continue
    }
    if ((char === '-' && next === '-' && /\s/.test(script[i + 2] ?? ' ')) || char === '#') {
      const end = script.indexOf('\n', i)
      i = end === -1 ? script.length : end
      continue
    }
    if (char === "'" || char === '"' || char === '`') {
      let j = i + 1
      while (j < script.length) {
        const inner = script[j]
        if (inner === '\\' && char !== '`') j += 2
        else if (inner === char && script[j + 1] === char) j += 2
        else if (inner === char) break
        else j++
      }
      current += script.slice(i, j + 1)
      i = j + 1
      continue
    }
    if (char === ';') {
      if (current.trim() !== '') statements.push(current.trim())
      current = ''
      i++
      continue
    }
    current += char
    i++
  }
  if (current.trim() !== '') statements.push(current.trim())
  return statements
}

/** What the installer does to the file: prefix, engine, and a collation clause it allows. */
function substitutePlaceholders(script: string, family: PrestaShopFamily): string {
  // 1.6 allows utf8 collations only; our test database is utf8mb4, so 1.6 leaves COLLATION empty.
  const collation = family === '1.6' ? '' : 'COLLATE utf8mb4_general_ci'
  return script
    .replaceAll('PREFIX_', PREFIX)
    .replaceAll('ENGINE_TYPE', 'InnoDB')
    .replaceAll('COLLATION', collation)
}

const CREATE_TABLE = /^CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?`?([A-Za-z0-9_]+)`?/i

/** The CREATE TABLE statements of `tables`, by unprefixed name. */
function createStatements(
  statements: readonly string[],
  tables: readonly string[],
): Map<string, string> {
  const found = new Map<string, string>()
  for (const statement of statements) {
    const name = CREATE_TABLE.exec(statement)?.[1]
    if (!name?.startsWith(PREFIX)) continue
    const table = name.slice(PREFIX.length)
    if (tables.includes(table)) found.set(table, statement)
  }
  return found
}

interface BuiltSchema {
  /** Tables created from our builder because the real file lacks them. */
  readonly fromBuilder: readonly string[]
  readonly columns: ReadonlyMap<string, ReadonlySet<string>>
}

async function buildRealSchema(
  connection: PoolConnection,
  testCase: RealSchemaCase,
): Promise<BuiltSchema> {
  const script = await readFile(
    join(DB_STRUCTURE_DIR, `db_structure-${testCase.version}.sql`),
    'utf8',
  )
  const real = createStatements(
    splitSqlStatements(substitutePlaceholders(script, testCase.family)),
    READER_TABLES,
  )
  const missing = READER_TABLES.filter((table) => !real.has(table))
  const builder = createStatements(
    prestaShopDdl({ version: testCase.builderVersion, prefix: PREFIX }),
    missing,
  )
  await connection.query("SET SESSION sql_mode = ''")
  for (const statement of real.values()) await connection.query(statement)
  for (const statement of builder.values()) await connection.query(statement)

  const [rows] = await connection.query(
    'SELECT TABLE_NAME AS tableName, COLUMN_NAME AS columnName FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()',
  )
  const columns = new Map<string, Set<string>>()
  for (const row of rows as { tableName: string; columnName: string }[]) {
    const table = row.tableName.slice(PREFIX.length)
    const set = columns.get(table) ?? new Set<string>()
    set.add(row.columnName)
    columns.set(table, set)
  }
  return { fromBuilder: [...builder.keys()].sort(), columns }
}

// ---------------------------------------------------------------------------------------------
// The hand-written store

type Row = Record<string, string | number | null>

async function insert(connection: PoolConnection, table: string, rows: readonly Row[]) {
  const first = rows[0]
  if (!first) return
  const names = Object.keys(first)
  const columnList = names.map((name) => connection.escapeId(name)).join(', ')
  await connection.query(
    `INSERT INTO ${connection.escapeId(PREFIX + table)} (${columnList}) VALUES ?`,
    [rows.map((row) => names.map((name) => row[name] ?? null))],
  )
}

const CREATED = '2024-11-05 09:00:00'
const EAN13 = '8412345678905'
const ZERO_DATE = '0000-00-00 00:00:00'

async function insertStore(
  connection: PoolConnection,
  testCase: RealSchemaCase,
  columns: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<void> {
  const has = (table: string, column: string): boolean => columns.get(table)?.has(column) ?? false
  /** The value when this version has the column, else nothing. */
  const when = (table: string, column: string, value: string | number | null): Row =>
    has(table, column) ? { [column]: value } : {}
  const dates = { date_add: CREATED, date_upd: CREATED }

  // Strict, so a NOT NULL column without a default that we forgot fails here instead of
  // silently getting '' or 0 (zero dates stay allowed, as PrestaShop stores them).
  await connection.query("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'")

  await insert(connection, 'shop_group', [
    {
      id_shop_group: 1,
      name: 'Default',
      share_customer: 0,
      share_order: 0,
      share_stock: 0,
      active: 1,
      deleted: 0,
      ...when('shop_group', 'color', ''),
    },
  ])
  await insert(connection, 'shop', [
    {
      id_shop: 1,
      id_shop_group: 1,
      name: 'Real Schema Shop',
      id_category: 2,
      active: 1,
      deleted: 0,
      ...when('shop', 'id_theme', 1),
      ...when('shop', 'theme_name', 'classic'),
      ...when('shop', 'color', ''),
    },
  ])
  await insert(connection, 'shop_url', [
    {
      id_shop_url: 1,
      id_shop: 1,
      domain: 'shop.test',
      domain_ssl: 'secure.shop.test',
      physical_uri: '/',
      virtual_uri: '',
      main: 1,
      active: 1,
    },
  ])
  const language = (id: number, name: string, iso: string, code: string, locale: string): Row => ({
    id_lang: id,
    name,
    active: 1,
    iso_code: iso,
    language_code: code,
    date_format_lite: 'Y-m-d',
    date_format_full: 'Y-m-d H:i:s',
    is_rtl: 0,
    ...when('lang', 'locale', locale),
  })
  await insert(connection, 'lang', [
    language(1, 'English (English)', 'en', 'en-us', 'en-US'),
    language(2, 'Español (Spanish)', 'es', 'es-es', 'es-ES'),
  ])
  await insert(connection, 'lang_shop', [
    { id_lang: 1, id_shop: 1 },
    { id_lang: 2, id_shop: 1 },
  ])

  const currency = (id: number, iso: string, numeric: string, sign: string, rate: string): Row => ({
    id_currency: id,
    name: iso === 'EUR' ? 'Euro' : 'US Dollar',
    iso_code: iso,
    conversion_rate: rate,
    active: 1,
    deleted: 0,
    // 1.6: `sign`, `iso_code_num` and the `decimals` switch (default 1: two places).
    ...when('currency', 'sign', sign),
    ...when('currency', 'iso_code_num', numeric),
    // 1.7.6+: the installer takes the precision from CLDR (2 for both), not the column default.
    ...when('currency', 'numeric_iso_code', numeric),
    ...when('currency', 'precision', 2),
  })
  await insert(connection, 'currency', [
    currency(1, 'EUR', '978', '€', '1.000000'),
    currency(2, 'USD', '840', '$', '1.080000'),
  ])
  if (columns.has('currency_lang')) {
    await insert(connection, 'currency_lang', [
      { id_currency: 1, id_lang: 1, name: 'Euro', symbol: '€' },
      { id_currency: 1, id_lang: 2, name: 'euro', symbol: '€' },
      { id_currency: 2, id_lang: 1, name: 'US Dollar', symbol: '$' },
      { id_currency: 2, id_lang: 2, name: 'dólar estadounidense', symbol: 'US$' },
    ])
  }

  const setting = (name: string, value: string): Row => ({
    name,
    value,
    id_shop: null,
    id_shop_group: null,
    ...dates,
  })
  await insert(connection, 'configuration', [
    setting('PS_VERSION_DB', testCase.version),
    setting('PS_LANG_DEFAULT', '1'),
    setting('PS_CURRENCY_DEFAULT', '1'),
    setting('PS_SHOP_DEFAULT', '1'),
    setting('PS_TIMEZONE', 'Europe/Madrid'),
    setting('PS_REWRITING_SETTINGS', '1'),
    setting('PS_SSL_ENABLED', '1'),
    setting('PS_SSL_ENABLED_EVERYWHERE', '1'),
    setting('PS_TAX', '1'),
    setting('PS_COUNTRY_DEFAULT', '6'),
    setting('PS_STOCK_MANAGEMENT', '1'),
  ])

  await insert(connection, 'order_state', [
    {
      id_order_state: 2,
      invoice: 1,
      send_email: 1,
      module_name: '',
      color: '#32CD32',
      unremovable: 1,
      hidden: 0,
      logable: 1,
      delivery: 0,
      shipped: 0,
      paid: 1,
      pdf_invoice: 1,
      pdf_delivery: 0,
      deleted: 0,
    },
    {
      id_order_state: 6,
      invoice: 0,
      send_email: 1,
      module_name: '',
      color: '#DC143C',
      unremovable: 1,
      hidden: 0,
      logable: 0,
      delivery: 0,
      shipped: 0,
      paid: 0,
      pdf_invoice: 0,
      pdf_delivery: 0,
      deleted: 0,
    },
  ])
  await insert(connection, 'order_state_lang', [
    { id_order_state: 2, id_lang: 1, name: 'Payment accepted', template: 'payment' },
    { id_order_state: 2, id_lang: 2, name: 'Pago aceptado', template: 'payment' },
    { id_order_state: 6, id_lang: 1, name: 'Canceled', template: 'order_canceled' },
    { id_order_state: 6, id_lang: 2, name: 'Cancelado', template: 'order_canceled' },
  ])

  const category = (id: number, parent: number, depth: number, left: number, right: number) => ({
    id_category: id,
    id_parent: parent,
    id_shop_default: 1,
    level_depth: depth,
    nleft: left,
    nright: right,
    active: 1,
    position: 0,
    is_root_category: id === 2 ? 1 : 0,
    ...dates,
  })
  await insert(connection, 'category', [
    category(1, 0, 0, 1, 8),
    category(2, 1, 1, 2, 7),
    category(3, 2, 2, 3, 6),
    category(4, 3, 3, 4, 5),
  ])
  const categoryText = (id: number, lang: number, name: string, rewrite: string): Row => ({
    id_category: id,
    id_shop: 1,
    id_lang: lang,
    name,
    link_rewrite: rewrite,
  })
  await insert(connection, 'category_lang', [
    categoryText(1, 1, 'Root', 'root'),
    categoryText(1, 2, 'Raíz', 'raiz'),
    categoryText(2, 1, 'Home', 'home'),
    categoryText(2, 2, 'Inicio', 'inicio'),
    categoryText(3, 1, 'Clothes', 'clothes'),
    categoryText(3, 2, 'Ropa', 'ropa'),
    categoryText(4, 1, 'Men', 'men'),
    categoryText(4, 2, 'Hombre', 'hombre'),
  ])

  await insert(connection, 'manufacturer', [
    { id_manufacturer: 1, name: 'Studio Design', active: 1, ...dates },
  ])
  await insert(connection, 'product', [
    {
      id_product: 1,
      id_manufacturer: 1,
      id_category_default: 4,
      id_shop_default: 1,
      id_tax_rules_group: 1,
      ean13: EAN13,
      reference: 'demo_1',
      price: '20.000000',
      active: 1,
      ...dates,
    },
  ])
  await insert(connection, 'product_shop', [
    {
      id_product: 1,
      id_shop: 1,
      id_category_default: 4,
      id_tax_rules_group: 1,
      price: '20.000000',
      active: 1,
      ...dates,
    },
  ])
  await insert(connection, 'product_lang', [
    {
      id_product: 1,
      id_shop: 1,
      id_lang: 1,
      name: 'Hummingbird printed t-shirt',
      link_rewrite: 'hummingbird-printed-t-shirt',
    },
    {
      id_product: 1,
      id_shop: 1,
      id_lang: 2,
      name: 'Camiseta estampada colibrí',
      link_rewrite: 'camiseta-estampada-colibri',
    },
  ])
  // Image ids unlike the product id, so a swapped id shows in the URL.
  await insert(connection, 'image', [
    { id_image: 21, id_product: 1, position: 1, cover: 1 },
    { id_image: 22, id_product: 1, position: 2, cover: null },
  ])
  await insert(connection, 'image_shop', [
    { id_product: 1, id_image: 21, id_shop: 1, cover: 1 },
    { id_product: 1, id_image: 22, id_shop: 1, cover: null },
  ])
  const large = testCase.family === '1.6' ? 458 : 800
  await insert(connection, 'image_type', [
    { id_image_type: 1, name: 'cart_default', width: 125, height: 125, products: 1 },
    { id_image_type: 2, name: 'category_default', width: 141, height: 180, products: 0 },
    { id_image_type: 3, name: 'home_default', width: 250, height: 250, products: 1 },
    { id_image_type: 4, name: 'large_default', width: large, height: large, products: 1 },
  ])
  await insert(connection, 'product_attribute_image', [{ id_product_attribute: 7, id_image: 22 }])
  // Spain's 21 %, and a rule of another country the reader must not apply.
  await insert(connection, 'tax', [
    { id_tax: 1, rate: '21.000', active: 1, deleted: 0 },
    { id_tax: 2, rate: '20.000', active: 1, deleted: 0 },
  ])
  await insert(connection, 'tax_rules_group', [
    { id_tax_rules_group: 1, name: 'ES Standard rate (21%)', active: 1, deleted: 0, ...dates },
  ])
  await insert(connection, 'tax_rule', [
    {
      id_tax_rules_group: 1,
      id_country: 6,
      id_state: 0,
      zipcode_from: '0',
      zipcode_to: '0',
      id_tax: 1,
      behavior: 0,
      description: '',
    },
    {
      id_tax_rules_group: 1,
      id_country: 8,
      id_state: 0,
      zipcode_from: '0',
      zipcode_to: '0',
      id_tax: 2,
      behavior: 0,
      description: '',
    },
  ])
  await insert(connection, 'stock_available', [
    { id_product: 1, id_product_attribute: 0, id_shop: 1, id_shop_group: 0, quantity: 5 },
    { id_product: 1, id_product_attribute: 7, id_shop: 1, id_shop_group: 0, quantity: 5 },
  ])

  await insert(connection, 'customer', [
    {
      id_customer: 1,
      id_gender: 1,
      id_lang: 1,
      firstname: 'John',
      lastname: 'DOE',
      email: 'pub@prestashop.com',
      passwd: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      active: 1,
      is_guest: 0,
      deleted: 0,
      ...dates,
    },
  ])

  const order = (values: {
    id: number
    reference: string
    cart: number
    lang: number
    currency: number
    state: number
    payment: string
    module: string
    rate: string
    totalIncl: string
    totalExcl: string
    products: string
    productsWt: string
    shipping: string
    date: string
  }): Row => ({
    id_order: values.id,
    reference: values.reference,
    id_shop_group: 1,
    id_shop: 1,
    id_carrier: 2,
    id_lang: values.lang,
    id_customer: 1,
    id_cart: values.cart,
    id_currency: values.currency,
    id_address_delivery: 5,
    id_address_invoice: 5,
    current_state: values.state,
    payment: values.payment,
    module: values.module,
    conversion_rate: values.rate,
    total_paid: values.totalIncl,
    total_paid_tax_incl: values.totalIncl,
    total_paid_tax_excl: values.totalExcl,
    total_paid_real: values.state === 2 ? values.totalIncl : '0.000000',
    total_products: values.products,
    total_products_wt: values.productsWt,
    total_shipping: values.shipping,
    total_shipping_tax_incl: values.shipping,
    valid: values.state === 2 ? 1 : 0,
    invoice_date: values.state === 2 ? values.date : ZERO_DATE,
    delivery_date: ZERO_DATE,
    date_add: values.date,
    date_upd: values.date,
  })
  await insert(connection, 'orders', [
    order({
      id: 1,
      reference: 'XKBKNABJK',
      cart: 11,
      lang: 1,
      currency: 1,
      state: 2,
      payment: 'Payments by check',
      module: 'ps_checkpayment',
      rate: '1.000000',
      totalIncl: '55.000000',
      totalExcl: '45.833333',
      products: '40.000000',
      productsWt: '48.000000',
      shipping: '7.000000',
      date: '2025-03-15 10:30:00',
    }),
    order({
      id: 2,
      reference: 'OHSATSERP',
      cart: 12,
      lang: 2,
      currency: 2,
      state: 2,
      payment: 'Transferencia bancaria',
      module: 'ps_wirepayment',
      rate: '1.080000',
      totalIncl: '32.400000',
      totalExcl: '27.000000',
      products: '21.600000',
      productsWt: '25.920000',
      shipping: '6.480000',
      date: '2025-07-20 18:45:00',
    }),
    order({
      id: 3,
      reference: 'FFATNOMMJ',
      cart: 13,
      lang: 1,
      currency: 1,
      state: 6,
      payment: 'Payments by check',
      module: 'ps_checkpayment',
      rate: '1.000000',
      totalIncl: '24.000000',
      totalExcl: '20.000000',
      products: '20.000000',
      productsWt: '24.000000',
      shipping: '0.000000',
      date: '2025-07-21 09:00:00',
    }),
  ])
  const line = (
    id: number,
    orderId: number,
    attribute: number,
    name: string,
    quantity: number,
    unitIncl: string,
    unitExcl: string,
    totalIncl: string,
    totalExcl: string,
  ): Row => ({
    id_order_detail: id,
    id_order: orderId,
    id_shop: 1,
    product_id: 1,
    product_attribute_id: attribute,
    product_name: name,
    product_quantity: quantity,
    product_price: unitExcl,
    product_ean13: EAN13,
    product_reference: 'demo_1',
    product_weight: '0.000000',
    tax_name: 'TVA FR 20%',
    tax_rate: '20.000',
    unit_price_tax_incl: unitIncl,
    unit_price_tax_excl: unitExcl,
    total_price_tax_incl: totalIncl,
    total_price_tax_excl: totalExcl,
  })
  await insert(connection, 'order_detail', [
    line(
      1,
      1,
      0,
      'Hummingbird printed t-shirt',
      2,
      '24.000000',
      '20.000000',
      '48.000000',
      '40.000000',
    ),
    line(
      2,
      2,
      7,
      'Camiseta estampada colibrí - Talla : M',
      1,
      '25.920000',
      '21.600000',
      '25.920000',
      '21.600000',
    ),
    line(
      3,
      3,
      0,
      'Hummingbird printed t-shirt',
      1,
      '24.000000',
      '20.000000',
      '24.000000',
      '20.000000',
    ),
  ])
}

// ---------------------------------------------------------------------------------------------
// What the reader must return, written out by hand

function expectedOverview(testCase: RealSchemaCase): StoreOverview {
  return {
    version: { raw: testCase.version, family: testCase.family },
    shops: [
      {
        id: 1,
        groupId: 1,
        name: 'Real Schema Shop',
        active: true,
        baseUrl: 'https://secure.shop.test/',
        timezone: 'Europe/Madrid',
        defaultLanguageId: 1,
        defaultCurrencyId: 1,
        multilingual: true,
      },
    ],
    languages: [
      { id: 1, isoCode: 'en', name: 'English (English)', active: true, shopIds: [1] },
      { id: 2, isoCode: 'es', name: 'Español (Spanish)', active: true, shopIds: [1] },
    ],
    currencies: [
      { id: 1, isoCode: 'EUR', precision: 2, name: 'Euro', active: true, deleted: false },
      { id: 2, isoCode: 'USD', precision: 2, name: 'US Dollar', active: true, deleted: false },
    ],
    defaultShopId: 1,
    defaultLanguageId: 1,
    defaultCurrencyId: 1,
    multilingual: true,
    multistore: false,
  }
}

function expectedStates(language: 'en' | 'es'): OrderStateInfo[] {
  // The fixture sets no PS_OS_CANCELED…: only a paid, not logable state would count as cancelled.
  const flags = { shipped: false, delivery: false, hidden: false, deleted: false, cancelled: false }
  return [
    {
      id: 2,
      name: language === 'en' ? 'Payment accepted' : 'Pago aceptado',
      color: '#32CD32',
      paid: true,
      logable: true,
      ...flags,
    },
    {
      id: 6,
      name: language === 'en' ? 'Canceled' : 'Cancelado',
      color: '#DC143C',
      paid: false,
      logable: false,
      ...flags,
    },
  ]
}

const EUR = { id: 1, isoCode: 'EUR', precision: 2 }
const USD = { id: 2, isoCode: 'USD', precision: 2 }
const CUSTOMER = {
  id: 1,
  email: 'pub@prestashop.com',
  firstname: 'John',
  lastname: 'DOE',
  isGuest: false,
  deleted: false,
}

const ENGLISH_PRODUCT = {
  name: 'Hummingbird printed t-shirt',
  productDetailUrl:
    'https://secure.shop.test/en/men/1-hummingbird-printed-t-shirt-8412345678905.html',
  productBaseUrl:
    'https://secure.shop.test/en/men/1-hummingbird-printed-t-shirt-8412345678905.html',
  imageUrl: 'https://secure.shop.test/21-large_default/hummingbird-printed-t-shirt.jpg',
  categoryPath: ['Clothes', 'Men'],
  brand: 'Studio Design',
  reference: 'demo_1',
  coverImageUrl: 'https://secure.shop.test/21-large_default/hummingbird-printed-t-shirt.jpg',
  active: true,
  priceTaxExcl: '20.000000',
  priceTaxIncl: '24.200000',
  quantity: 5,
  inStock: true,
}

function expectedPaidOrders(family: PrestaShopFamily): StoreOrder[] {
  return [
    {
      id: 1,
      reference: 'XKBKNABJK',
      cartId: 11,
      shopId: 1,
      languageId: 1,
      stateId: 2,
      placedAt: '2025-03-15 10:30:00',
      timezone: 'Europe/Madrid',
      shopUrl: 'https://secure.shop.test/',
      paymentMethod: 'Payments by check',
      totalPaidTaxIncl: '55.000000',
      currency: EUR,
      defaultCurrency: EUR,
      conversionRate: '1.000000',
      customer: CUSTOMER,
      lines: [
        {
          id: 1,
          productId: 1,
          productAttributeId: 0,
          name: 'Hummingbird printed t-shirt',
          quantity: 2,
          unitPriceTaxIncl: '24.000000',
          unitPriceTaxExcl: '20.000000',
          totalPriceTaxIncl: '48.000000',
          totalPriceTaxExcl: '40.000000',
          product: ENGLISH_PRODUCT,
        },
      ],
    },
    {
      id: 2,
      reference: 'OHSATSERP',
      cartId: 12,
      shopId: 1,
      languageId: 2,
      stateId: 2,
      placedAt: '2025-07-20 18:45:00',
      timezone: 'Europe/Madrid',
      shopUrl: 'https://secure.shop.test/',
      paymentMethod: 'Transferencia bancaria',
      totalPaidTaxIncl: '32.400000',
      currency: USD,
      defaultCurrency: EUR,
      conversionRate: '1.080000',
      customer: CUSTOMER,
      lines: [
        {
          id: 2,
          productId: 1,
          productAttributeId: 7,
          name: 'Camiseta estampada colibrí - Talla : M',
          quantity: 1,
          unitPriceTaxIncl: '25.920000',
          unitPriceTaxExcl: '21.600000',
          totalPriceTaxIncl: '25.920000',
          totalPriceTaxExcl: '21.600000',
          product: {
            name: 'Camiseta estampada colibrí',
            // 1.6 routes have no combination keyword; 1.7 and later put it after the id.
            productDetailUrl:
              family === '1.6'
                ? 'https://secure.shop.test/es/hombre/1-camiseta-estampada-colibri-8412345678905.html'
                : 'https://secure.shop.test/es/hombre/1-7-camiseta-estampada-colibri-8412345678905.html',
            productBaseUrl:
              'https://secure.shop.test/es/hombre/1-camiseta-estampada-colibri-8412345678905.html',
            // The combination's own image, not the cover.
            imageUrl: 'https://secure.shop.test/22-large_default/camiseta-estampada-colibri.jpg',
            categoryPath: ['Ropa', 'Hombre'],
            brand: 'Studio Design',
            reference: 'demo_1',
            coverImageUrl:
              'https://secure.shop.test/21-large_default/camiseta-estampada-colibri.jpg',
            active: true,
            priceTaxExcl: '20.000000',
            priceTaxIncl: '24.200000',
            quantity: 5,
            inStock: true,
          },
        },
      ],
    },
  ]
}

async function readAll(store: DatabaseStore, filter: OrderFilter, pageSize?: number) {
  const orders: StoreOrder[] = []
  for await (const page of store.readOrders(filter, pageSize ? { pageSize } : {}))
    orders.push(...page)
  return orders
}

const YEAR = { from: '2025-01-01', to: '2025-12-31' }

// ---------------------------------------------------------------------------------------------

describe.skipIf(!existsSync(DB_STRUCTURE_DIR))(
  "the reader on PrestaShop's real install schemas",
  () => {
    it('splits install scripts into statements, whatever their comments and quotes', () => {
      expect(
        splitSqlStatements(
          "SET\n  SESSION sql_mode='';\n/* a; b */\nCREATE TABLE `x;y` (\n  `a` varchar(3) DEFAULT 'p;q', -- c;\n  `b` int /* d; */\n) ENGINE=InnoDB;\n# e;\n",
        ),
      ).toEqual([
        "SET\n  SESSION sql_mode=''",
        "CREATE TABLE `x;y` (\n  `a` varchar(3) DEFAULT 'p;q', \n  `b` int  \n) ENGINE=InnoDB",
      ])
    })

    describe.each(CASES)('db_structure.sql of PrestaShop $version', (testCase) => {
      let db: TestDatabase
      let schema: BuiltSchema
      let store: DatabaseStore

      beforeAll(async () => {
        db = await createTestDatabase(`real_${testCase.version}`)
        const connection = await db.admin.getConnection()
        try {
          schema = await buildRealSchema(connection, testCase)
          await insertStore(connection, testCase, schema.columns)
        } finally {
          // The pool hands this connection out again: back to the server's default mode.
          await connection.query('SET SESSION sql_mode = DEFAULT')
          connection.release()
        }
        store = await openDatabaseStore({
          host: db.host,
          port: db.port,
          user: db.user,
          password: db.password,
          database: db.database,
          tablePrefix: PREFIX,
        })
      })
      afterAll(async () => {
        await store?.close()
        await db?.drop()
      })

      it('takes every table it can from the real file', () => {
        expect(schema.fromBuilder).toEqual([...testCase.doctrineTables].sort())
        for (const table of REQUIRED_TABLES) expect(schema.columns.has(table)).toBe(true)
      })

      it('describes the store', async () => {
        expect(await store.overview()).toEqual(expectedOverview(testCase))
      })

      it('names the order states in each language, with their colours', async () => {
        expect(await store.orderStates(1)).toEqual(expectedStates('en'))
        expect(await store.orderStates(2)).toEqual(expectedStates('es'))
        expect(await store.orderStates()).toEqual(expectedStates('en'))
      })

      it('counts the orders per state and per shop', async () => {
        const year = await store.countOrders({ range: YEAR })
        expect(year).toMatchObject({ total: 3, byState: { 2: 2, 6: 1 }, byShop: { 1: 3 } })
        // Per language and currency too, for routing to Connectif accounts.
        expect(year.groups.reduce((sum, group) => sum + group.orders, 0)).toBe(3)
        expect(year.groups.every((group) => group.languageId > 0 && group.currencyId > 0)).toBe(
          true,
        )
        expect(
          await store.countOrders({ range: { from: '2025-07-20', to: '2025-07-20' } }),
        ).toMatchObject({ total: 1, byState: { 2: 1 }, byShop: { 1: 1 } })
      })

      it('reads the orders exactly', async () => {
        expect(await readAll(store, { range: YEAR, stateIds: [2] })).toEqual(
          expectedPaidOrders(testCase.family),
        )
        const all = await readAll(store, { range: YEAR, stateIds: [2, 6], shopIds: [1] }, 1)
        expect(all.map((order) => [order.id, order.stateId])).toEqual([
          [1, 2],
          [2, 2],
          [3, 6],
        ])
      })

      it('maps the orders to purchases in the default currency with the shop offset', async () => {
        const [english, spanish] = await readAll(store, { range: YEAR, stateIds: [2] })
        expect(english && mapOrderToPurchase(english)).toEqual({
          result: 'ready',
          order: {
            orderId: 1,
            reference: 'XKBKNABJK',
            orderDate: '2025-03-15T10:30:00+01:00',
            customerEmail: 'pub@prestashop.com',
            total: '55.00',
            shopId: 1,
            stateId: 2,
          },
          purchase: {
            purchaseId: '1',
            cartId: '11',
            contactEmail: 'pub@prestashop.com',
            purchaseDate: '2025-03-15T10:30:00+01:00',
            paymentMethod: 'Payments by check',
            totalPrice: 55,
            totalQuantity: 2,
            products: [
              {
                productId: '1',
                name: 'Hummingbird printed t-shirt',
                unitPrice: 24,
                quantity: 2,
                price: 48,
                unitPriceWithoutVAT: 20,
                productDetailUrl:
                  'https://secure.shop.test/en/men/1-hummingbird-printed-t-shirt-8412345678905.html',
                imageUrl:
                  'https://secure.shop.test/21-large_default/hummingbird-printed-t-shirt.jpg',
                categories: ['/Clothes/Men'],
                brand: 'Studio Design',
              },
            ],
          },
          // The catalogue now: 20.00 without tax, 24.20 with Spain's 21 %, in stock.
          catalogue: [
            {
              productId: '1',
              name: 'Hummingbird printed t-shirt',
              unitPrice: 24.2,
              unitPriceWithoutVAT: 20,
              productDetailUrl:
                'https://secure.shop.test/en/men/1-hummingbird-printed-t-shirt-8412345678905.html',
              imageUrl: 'https://secure.shop.test/21-large_default/hummingbird-printed-t-shirt.jpg',
              categories: ['/Clothes/Men'],
              brand: 'Studio Design',
              availability: 'instock',
              isBlacklisted: false,
            },
          ],
        })
        // 32.40 USD at 1.08 USD per EUR: 30.00 EUR; summer time, so +02:00.
        expect(spanish && mapOrderToPurchase(spanish)).toEqual({
          result: 'ready',
          order: {
            orderId: 2,
            reference: 'OHSATSERP',
            orderDate: '2025-07-20T18:45:00+02:00',
            customerEmail: 'pub@prestashop.com',
            total: '30.00',
            shopId: 1,
            stateId: 2,
          },
          purchase: {
            purchaseId: '2',
            cartId: '12',
            contactEmail: 'pub@prestashop.com',
            purchaseDate: '2025-07-20T18:45:00+02:00',
            paymentMethod: 'Transferencia bancaria',
            totalPrice: 30,
            totalQuantity: 1,
            products: [
              {
                productId: '1',
                name: 'Camiseta estampada colibrí - Talla : M',
                unitPrice: 24,
                quantity: 1,
                price: 24,
                unitPriceWithoutVAT: 20,
                productDetailUrl:
                  testCase.family === '1.6'
                    ? 'https://secure.shop.test/es/hombre/1-camiseta-estampada-colibri-8412345678905.html'
                    : 'https://secure.shop.test/es/hombre/1-7-camiseta-estampada-colibri-8412345678905.html',
                imageUrl:
                  'https://secure.shop.test/22-large_default/camiseta-estampada-colibri.jpg',
                categories: ['/Ropa/Hombre'],
                brand: 'Studio Design',
              },
            ],
          },
          // The product without its combination: its page and cover, its price in EUR.
          catalogue: [
            {
              productId: '1',
              name: 'Camiseta estampada colibrí',
              unitPrice: 24.2,
              unitPriceWithoutVAT: 20,
              productDetailUrl:
                'https://secure.shop.test/es/hombre/1-camiseta-estampada-colibri-8412345678905.html',
              imageUrl: 'https://secure.shop.test/21-large_default/camiseta-estampada-colibri.jpg',
              categories: ['/Ropa/Hombre'],
              brand: 'Studio Design',
              availability: 'instock',
              isBlacklisted: false,
            },
          ],
        })
      })
    })
  },
)
