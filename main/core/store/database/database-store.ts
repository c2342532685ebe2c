import type { RowDataPacket } from 'mysql2/promise'
import type {
  OrderCountFilter,
  OrderCounts,
  OrderCursor,
  OrderDays,
  OrderFilter,
  OrderKey,
  OrderPageOptions,
  OrderStateInfo,
  OrderWeekCount,
  StoreCustomer,
  StoreOrder,
  StoreOverview,
  StoreNotice,
  StoreSource,
  StoreVersion,
} from '../store-source'
import { StoreError } from '../store-errors'
import { CatalogLookup } from '../catalog-lookup'
import type { StoreSettings } from '../store-settings'
import { loadStoreSettings } from './database-settings'
import {
  assembleOrders,
  localBounds,
  pagesReadAhead,
  tallyCounts,
  validateShops,
  validateStates,
} from '../order-assembly'
import type { OrderPage } from '../order-assembly'
import { classifyDatabaseError, openPool } from './database-connection'
import type { DatabaseConnectionOptions, ReadOnlyPool } from './database-connection'
import { discoverSchema, quoteIdentifier } from './schema-discovery'
import type { DiscoveredSchema, StoreTable } from './schema-discovery'
import { DatabaseCatalogReader } from './database-catalog-reader'
import { tallyWeeks } from '../week-counts'

const DEFAULT_PAGE_SIZE = 500
/** Keys are a few numbers each: large pages, few round trips. */
const KEY_PAGE_SIZE = 5_000
const MAX_KEY_PAGE_SIZE = 20_000

/** Opens a read-only connection to a PrestaShop database and checks it is one we can read. */
export async function openDatabaseStore(
  options: DatabaseConnectionOptions,
): Promise<DatabaseStore> {
  const pool = openPool(options)
  try {
    const schema = await discoverSchema(pool, options)
    const settings = await loadStoreSettings(pool, schema)
    return new DatabaseStore(pool, options, schema, settings)
  } catch (error) {
    await pool.end().catch(() => undefined)
    throw classifyDatabaseError(error, options)
  }
}

/** A PrestaShop store read straight from its MySQL/MariaDB database, read-only. */
export class DatabaseStore implements StoreSource {
  readonly #pool: ReadOnlyPool
  readonly #options: DatabaseConnectionOptions
  readonly #schema: DiscoveredSchema
  readonly #settings: StoreSettings
  #closed = false
  readonly notices: readonly StoreNotice[] = []

  constructor(
    pool: ReadOnlyPool,
    options: DatabaseConnectionOptions,
    schema: DiscoveredSchema,
    settings: StoreSettings,
  ) {
    this.#pool = pool
    this.#options = options
    this.#schema = schema
    this.#settings = settings
  }

  get version(): StoreVersion {
    return this.#settings.version
  }

  overview(): Promise<StoreOverview> {
    return Promise.resolve(this.#settings.overview())
  }

  async orderStates(languageId?: number): Promise<readonly OrderStateInfo[]> {
    const flag = (column: string): string =>
      this.#has('order_state', column) ? `os.${column}` : '0'
    const rows = await this.#select(
      `SELECT os.id_order_state, os.color, ${flag('paid')} AS paid, ${flag('logable')} AS logable,
              ${flag('shipped')} AS shipped, ${flag('delivery')} AS delivery, ${flag('hidden')} AS hidden,
              ${flag('deleted')} AS deleted, osl.id_lang, osl.name
         FROM ${this.#t('order_state')} os
         LEFT JOIN ${this.#t('order_state_lang')} osl ON osl.id_order_state = os.id_order_state
        ORDER BY os.id_order_state, osl.id_lang`,
    )
    const states = new Map<number, { row: RowDataPacket; names: Map<number, string> }>()
    for (const row of rows) {
      const id = Number(row.id_order_state)
      const entry = states.get(id) ?? { row, names: new Map<number, string>() }
      if (row.id_lang !== null && row.name !== null)
        entry.names.set(Number(row.id_lang), String(row.name))
      states.set(id, entry)
    }
    return this.#settings.orderStates(
      [...states.entries()].map(([id, { row, names }]) => ({
        id,
        color: String(row.color ?? ''),
        paid: Number(row.paid) === 1,
        logable: Number(row.logable) === 1,
        shipped: Number(row.shipped) === 1,
        delivery: Number(row.delivery) === 1,
        hidden: Number(row.hidden) === 1,
        deleted: Number(row.deleted) === 1,
        names,
      })),
      languageId,
    )
  }

  async countOrders(filter: OrderCountFilter): Promise<OrderCounts> {
    const { start, endExclusive } = localBounds(filter)
    const shopIds = validateShops(filter.shopIds)
    const rows = await this.#select(
      `SELECT current_state, id_shop, id_lang, id_currency, COUNT(*) AS orders FROM ${this.#t('orders')}
        WHERE date_add >= ? AND date_add < ?${shopIds.length > 0 ? ' AND id_shop IN (?)' : ''}
        GROUP BY current_state, id_shop, id_lang, id_currency`,
      shopIds.length > 0 ? [start, endExclusive, shopIds] : [start, endExclusive],
    )
    return tallyCounts(
      rows.map((row) => ({
        stateId: Number(row.current_state),
        shopId: Number(row.id_shop),
        languageId: Number(row.id_lang),
        currencyId: Number(row.id_currency),
        orders: Number(row.orders),
      })),
    )
  }

  /** MIN and MAX over the `date_add` index; the stored wall-clock time is the shop's. */
  async orderDays(shopIds: readonly number[] = []): Promise<OrderDays | null> {
    const shops = validateShops(shopIds)
    const rows = await this.#select(
      `SELECT DATE_FORMAT(MIN(date_add), '%Y-%m-%d') AS first, DATE_FORMAT(MAX(date_add), '%Y-%m-%d') AS last
         FROM ${this.#t('orders')}${shops.length > 0 ? ' WHERE id_shop IN (?)' : ''}`,
      shops.length > 0 ? [shops] : [],
    )
    const row = rows[0]
    if (!row || row.first === null || row.last === null) return null
    return { first: String(row.first), last: String(row.last) }
  }

  /**
   * One GROUP BY over the range's `date_add` index: the week's Monday is taken from the stored
   * shop-local day (WEEKDAY: 0 is Monday), so the weeks are the shop's whatever the server's zone.
   */
  async countOrdersByWeek(filter: OrderCountFilter): Promise<readonly OrderWeekCount[]> {
    const { start, endExclusive } = localBounds(filter)
    const shopIds = validateShops(filter.shopIds)
    const rows = await this.#select(
      `SELECT DATE_SUB(DATE(date_add), INTERVAL WEEKDAY(date_add) DAY) AS week_start, current_state,
              COUNT(*) AS orders
         FROM ${this.#t('orders')}
        WHERE date_add >= ? AND date_add < ?${shopIds.length > 0 ? ' AND id_shop IN (?)' : ''}
        GROUP BY week_start, current_state`,
      shopIds.length > 0 ? [start, endExclusive, shopIds] : [start, endExclusive],
    )
    return tallyWeeks(
      rows.map((row) => ({
        weekStart: String(row.week_start),
        stateId: Number(row.current_state),
        orders: Number(row.orders),
      })),
    )
  }

  readOrders(
    filter: OrderFilter,
    options: OrderPageOptions = {},
  ): AsyncIterable<readonly StoreOrder[]> {
    const { start, endExclusive } = localBounds(filter)
    validateStates(filter.stateIds)
    const shopIds = validateShops(filter.shopIds)
    const pageSize = Math.max(1, Math.min(options.pageSize ?? DEFAULT_PAGE_SIZE, 5_000))
    const catalog = new CatalogLookup(
      new DatabaseCatalogReader((sql, params) => this.#select(sql, params), {
        product: this.#t('product'),
        productShop: this.#t('product_shop'),
        productLang: this.#t('product_lang'),
        manufacturer: this.#t('manufacturer'),
        image: this.#t('image'),
        imageShop: this.#t('image_shop'),
        imageShopHasProduct: this.#has('image_shop', 'id_product'),
        productAttributeImage: this.#t('product_attribute_image'),
        category: this.#t('category'),
        categoryLang: this.#t('category_lang'),
        stockAvailable: this.#t('stock_available'),
        tax: this.#t('tax'),
        taxRule: this.#t('tax_rule'),
        taxRulesGroup: this.#t('tax_rules_group'),
      }),
    )
    const totalPaid = this.#has('orders', 'total_paid_tax_incl')
      ? 'o.total_paid_tax_incl'
      : 'o.total_paid'
    const fetchPage = async (cursor: OrderCursor | null): Promise<OrderPage> => {
      const orderRows = await this.#selectOrderPage(
        `o.id_order, o.reference, o.id_cart, o.id_shop, o.id_lang, o.id_customer, o.id_currency,
         o.current_state, o.date_add, o.payment, ${totalPaid} AS total_paid, o.conversion_rate`,
        { start, endExclusive, stateIds: filter.stateIds, shopIds },
        cursor,
        pageSize,
      )
      const orders = orderRows.length === 0 ? [] : await this.#assemble(orderRows, catalog)
      return { orders, last: orderRows.length < pageSize }
    }
    return pagesReadAhead(fetchPage, options)
  }

  orderKeys(
    filter: OrderFilter,
    options: OrderPageOptions = {},
  ): AsyncIterable<readonly OrderKey[]> {
    const { start, endExclusive } = localBounds(filter)
    validateStates(filter.stateIds)
    const shopIds = validateShops(filter.shopIds)
    const pageSize = Math.max(1, Math.min(options.pageSize ?? KEY_PAGE_SIZE, MAX_KEY_PAGE_SIZE))
    const fetchPage = async (cursor: OrderCursor | null): Promise<OrderPage<OrderKey>> => {
      const rows = await this.#selectOrderPage(
        'o.id_order, o.id_shop, o.id_lang, o.id_currency, o.current_state, o.date_add',
        { start, endExclusive, stateIds: filter.stateIds, shopIds },
        cursor,
        pageSize,
      )
      const orders = rows.map((row): OrderKey => ({
        id: Number(row.id_order),
        placedAt: String(row.date_add),
        shopId: Number(row.id_shop),
        languageId: Number(row.id_lang),
        stateId: Number(row.current_state),
        currency: this.#settings.currencyRef(Number(row.id_currency)),
      }))
      return { orders, last: rows.length < pageSize }
    }
    return pagesReadAhead(fetchPage, options)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#pool.end()
  }

  async #assemble(
    orderRows: readonly RowDataPacket[],
    catalog: CatalogLookup,
  ): Promise<StoreOrder[]> {
    const orderIds = orderRows.map((row) => Number(row.id_order))
    const customerIds = [...new Set(orderRows.map((row) => Number(row.id_customer)))]
    // Two connections: lines and customers come back together.
    const [lineRows, customerRows] = await Promise.all([
      this.#select(
        `SELECT id_order_detail, id_order, product_id, product_attribute_id, product_name, product_quantity,
              unit_price_tax_incl, unit_price_tax_excl, total_price_tax_incl, total_price_tax_excl
         FROM ${this.#t('order_detail')} WHERE id_order IN (?) ORDER BY id_order, id_order_detail`,
        [orderIds],
      ),
      this.#select(
        `SELECT id_customer, email, firstname, lastname, is_guest, deleted FROM ${this.#t('customer')} WHERE id_customer IN (?)`,
        [customerIds],
      ),
    ])
    const customers = new Map<number, StoreCustomer>()
    for (const row of customerRows) {
      customers.set(Number(row.id_customer), {
        id: Number(row.id_customer),
        email: String(row.email ?? ''),
        firstname: String(row.firstname ?? ''),
        lastname: String(row.lastname ?? ''),
        isGuest: Number(row.is_guest) === 1,
        deleted: Number(row.deleted) === 1,
      })
    }
    return assembleOrders(
      this.#settings,
      catalog,
      orderRows.map((row) => ({
        id: Number(row.id_order),
        reference: String(row.reference ?? ''),
        cartId: Number(row.id_cart),
        shopId: Number(row.id_shop),
        languageId: Number(row.id_lang),
        customerId: Number(row.id_customer),
        currencyId: Number(row.id_currency),
        stateId: Number(row.current_state),
        placedAt: String(row.date_add),
        payment: String(row.payment ?? ''),
        totalPaid: String(row.total_paid),
        conversionRate: String(row.conversion_rate),
      })),
      lineRows.map((row) => ({
        id: Number(row.id_order_detail),
        orderId: Number(row.id_order),
        productId: Number(row.product_id),
        productAttributeId: Number(row.product_attribute_id ?? 0),
        name: String(row.product_name ?? ''),
        quantity: Number(row.product_quantity),
        unitPriceTaxIncl: String(row.unit_price_tax_incl),
        unitPriceTaxExcl: String(row.unit_price_tax_excl),
        totalPriceTaxIncl: String(row.total_price_tax_incl),
        totalPriceTaxExcl: String(row.total_price_tax_excl),
      })),
      customers,
    )
  }

  /**
   * One page of `orders` rows of a filter after `cursor`. Keyset pagination on (date_add,
   * id_order): each page is an index range scan, whatever the offset.
   */
  #selectOrderPage(
    columns: string,
    where: {
      readonly start: string
      readonly endExclusive: string
      readonly stateIds: readonly number[]
      readonly shopIds: readonly number[]
    },
    cursor: OrderCursor | null,
    pageSize: number,
  ): Promise<RowDataPacket[]> {
    const params: unknown[] = [where.start, where.endExclusive, where.stateIds]
    if (where.shopIds.length > 0) params.push(where.shopIds)
    if (cursor) params.push(cursor.placedAt, cursor.placedAt, cursor.id)
    params.push(pageSize)
    return this.#select(
      `SELECT ${columns}
         FROM ${this.#t('orders')} o
        WHERE o.date_add >= ? AND o.date_add < ? AND o.current_state IN (?)
              ${where.shopIds.length > 0 ? 'AND o.id_shop IN (?)' : ''}
              ${cursor ? 'AND (o.date_add > ? OR (o.date_add = ? AND o.id_order > ?))' : ''}
        ORDER BY o.date_add, o.id_order
        LIMIT ?`,
      params,
    )
  }

  #t(table: StoreTable): string {
    return quoteIdentifier(`${this.#schema.prefix}${table}`)
  }

  #has(table: StoreTable, column: string): boolean {
    return this.#schema.columns.get(table)?.has(column) ?? false
  }

  async #select(sql: string, params: unknown[] = []): Promise<RowDataPacket[]> {
    if (this.#closed) {
      throw new StoreError('connection_lost', 'The store connection is closed.', {
        params: { reason: 'closed' },
      })
    }
    try {
      return await this.#pool.select(sql, params)
    } catch (error) {
      throw classifyDatabaseError(error, this.#options)
    }
  }
}
