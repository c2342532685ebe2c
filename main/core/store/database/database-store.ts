import type { Pool, RowDataPacket } from 'mysql2/promise'
import type {
  CurrencyInfo,
  CurrencyRef,
  LanguageInfo,
  OrderCountFilter,
  OrderCounts,
  OrderFilter,
  OrderCursor,
  OrderPageOptions,
  OrderStateInfo,
  PrestaShopFamily,
  ShopInfo,
  StoreCustomer,
  StoreOrder,
  StoreOrderLine,
  StoreOverview,
  StoreSource,
  StoreVersion,
} from '../store-source'
import { StoreError } from '../store-errors'
import { chooseProductImageType, shopBaseUrl } from '../shop-links'
import { isKnownTimeZone, rangeToLocalBounds } from '../../time/shop-time'
import { classifyDatabaseError, openPool, selectRows } from './database-connection'
import type { DatabaseConnectionOptions } from './database-connection'
import { discoverSchema, quoteIdentifier } from './schema-discovery'
import type { DiscoveredSchema, StoreTable } from './schema-discovery'
import { CONFIGURATION_KEYS, normaliseScopeId, StoreConfiguration } from './store-configuration'
import { CatalogLookup } from './catalog-lookup'
import type { LineShopContext } from './catalog-lookup'

const DEFAULT_PAGE_SIZE = 500
/** PrestaShop's installer default, used when a store never set `PS_TIMEZONE`. */
const FALLBACK_TIME_ZONE = 'Europe/Paris'

interface ShopRuntime {
  readonly info: ShopInfo
  readonly linkBase: string
  readonly imageBase: string
  readonly friendlyUrls: boolean
  readonly customRoute: string | null
}

interface StoreState {
  readonly version: StoreVersion
  readonly shops: ReadonlyMap<number, ShopRuntime>
  readonly languages: ReadonlyMap<number, LanguageInfo>
  readonly currencies: ReadonlyMap<number, CurrencyInfo>
  readonly defaultShopId: number
  readonly multistore: boolean
  readonly imageType: string
}

/** Opens a read-only connection to a PrestaShop database and checks it is one we can read. */
export async function openDatabaseStore(
  options: DatabaseConnectionOptions,
): Promise<DatabaseStore> {
  const pool = openPool(options)
  try {
    const schema = await discoverSchema(pool, options)
    const state = await loadStoreState(pool, schema, options)
    return new DatabaseStore(pool, options, schema, state)
  } catch (error) {
    await pool.end().catch(() => undefined)
    throw classifyDatabaseError(error, options)
  }
}

export function parseVersion(raw: string | null): StoreVersion {
  const value = (raw ?? '').trim()
  const match = /^(\d+)\.(\d+)/.exec(value)
  if (!match) {
    throw new StoreError(
      'invalid_store_configuration',
      'The store does not record its PrestaShop version (PS_VERSION_DB is missing), so its schema cannot be trusted.',
    )
  }
  const major = Number(match[1])
  const minor = Number(match[2])
  let family: PrestaShopFamily | null = null
  if (major === 1 && minor === 6) family = '1.6'
  else if (major === 1 && minor === 7) family = '1.7'
  else if (major === 8) family = '8'
  else if (major === 9) family = '9'
  if (family === null) {
    throw new StoreError(
      'unsupported_version',
      `This store runs PrestaShop ${value}. Purchase Sender reads PrestaShop 1.6, 1.7, 8 and 9.`,
    )
  }
  return { raw: value, family }
}

async function loadStoreState(
  pool: Pool,
  schema: DiscoveredSchema,
  options: DatabaseConnectionOptions,
): Promise<StoreState> {
  const t = (table: StoreTable): string => quoteIdentifier(`${schema.prefix}${table}`)
  const has = (table: StoreTable, column: string): boolean =>
    schema.columns.get(table)?.has(column) ?? false
  const select = (sql: string, params: unknown[] = []): Promise<RowDataPacket[]> =>
    selectRows(pool, options, sql, params)

  const configurationRows = await select(
    `SELECT name, value, id_shop, id_shop_group FROM ${t('configuration')} WHERE name IN (?)`,
    [CONFIGURATION_KEYS],
  )
  const configuration = new StoreConfiguration(
    configurationRows.map((row) => ({
      name: String(row.name),
      value: row.value === null ? null : String(row.value),
      shopId: normaliseScopeId(row.id_shop),
      shopGroupId: normaliseScopeId(row.id_shop_group),
    })),
  )
  const version = parseVersion(
    configuration.get('PS_VERSION_DB') ?? configuration.get('PS_INSTALL_VERSION'),
  )

  const languageRows = await select(
    `SELECT id_lang, name, active, iso_code FROM ${t('lang')} ORDER BY id_lang`,
  )
  const languageShopRows = await select(`SELECT id_lang, id_shop FROM ${t('lang_shop')}`)
  const languages = new Map<number, LanguageInfo>()
  for (const row of languageRows) {
    const id = Number(row.id_lang)
    languages.set(id, {
      id,
      name: String(row.name),
      isoCode: String(row.iso_code),
      active: Number(row.active) === 1,
      shopIds: languageShopRows
        .filter((link) => Number(link.id_lang) === id)
        .map((link) => Number(link.id_shop)),
    })
  }

  const currencies = await loadCurrencies(
    select,
    t,
    has,
    configuration.integer('PS_LANG_DEFAULT') ?? 1,
  )

  const shopRows = await select(
    `SELECT id_shop, id_shop_group, name, active${has('shop', 'deleted') ? ', deleted' : ', 0 AS deleted'} FROM ${t('shop')} ORDER BY id_shop`,
  )
  const urlRows = await select(
    `SELECT id_shop, domain, domain_ssl, physical_uri, virtual_uri, main, active FROM ${t('shop_url')} ORDER BY main DESC, active DESC, id_shop_url`,
  )
  const shops = new Map<number, ShopRuntime>()
  for (const row of shopRows) {
    if (Number(row.deleted) === 1) continue
    const shop = { id: Number(row.id_shop), groupId: Number(row.id_shop_group) }
    const url = urlRows.find((candidate) => Number(candidate.id_shop) === shop.id)
    const sslEverywhere =
      configuration.flag('PS_SSL_ENABLED', shop) &&
      configuration.flag('PS_SSL_ENABLED_EVERYWHERE', shop)
    const urlRow = {
      domain: String(url?.domain ?? configuration.get('PS_SHOP_DOMAIN', shop) ?? ''),
      domainSsl: String(url?.domain_ssl ?? configuration.get('PS_SHOP_DOMAIN_SSL', shop) ?? ''),
      physicalUri: String(url?.physical_uri ?? '/'),
      virtualUri: String(url?.virtual_uri ?? ''),
    }
    const linkBase = shopBaseUrl(urlRow, sslEverywhere)
    const mediaServer = configuration.flag('PS_MEDIA_SERVERS', shop)
      ? (configuration.get('PS_MEDIA_SERVER_1', shop) ?? '').trim()
      : ''
    const imageBase = mediaServer
      ? shopBaseUrl({ ...urlRow, domain: mediaServer, domainSsl: mediaServer }, sslEverywhere)
      : linkBase
    const timezone = (configuration.get('PS_TIMEZONE', shop) ?? '').trim() || FALLBACK_TIME_ZONE
    if (!isKnownTimeZone(timezone)) {
      throw new StoreError(
        'invalid_store_configuration',
        `The shop "${String(row.name)}" has the time zone "${timezone}", which is not a known IANA time zone. Fix it in the back office (International > Localization).`,
      )
    }
    const activeLanguages = [...languages.values()].filter(
      (language) => language.active && language.shopIds.includes(shop.id),
    )
    shops.set(shop.id, {
      info: {
        id: shop.id,
        groupId: shop.groupId,
        name: String(row.name),
        active: Number(row.active) === 1,
        baseUrl: linkBase,
        timezone,
        defaultLanguageId:
          configuration.integer('PS_LANG_DEFAULT', shop) ?? activeLanguages[0]?.id ?? 1,
        defaultCurrencyId: configuration.integer('PS_CURRENCY_DEFAULT', shop) ?? 1,
        multilingual: activeLanguages.length > 1,
      },
      linkBase,
      imageBase,
      friendlyUrls: configuration.flag('PS_REWRITING_SETTINGS', shop),
      customRoute: configuration.get('PS_ROUTE_product_rule', shop),
    })
  }
  if (shops.size === 0) {
    throw new StoreError(
      'invalid_store_configuration',
      'The store has no shop (the shop table is empty).',
    )
  }

  const imageTypes = await select(
    `SELECT name, width, height FROM ${t('image_type')} WHERE products = 1`,
  )
  const defaultShopId = configuration.integer('PS_SHOP_DEFAULT') ?? [...shops.keys()][0] ?? 1
  return {
    version,
    shops,
    languages,
    currencies,
    defaultShopId: shops.has(defaultShopId) ? defaultShopId : ([...shops.keys()][0] ?? 1),
    multistore: configuration.flag('PS_MULTISHOP_FEATURE_ACTIVE') && shops.size > 1,
    imageType: chooseProductImageType(
      imageTypes.map((row) => ({
        name: String(row.name),
        width: Number(row.width),
        height: Number(row.height),
      })),
    ),
  }
}

type Select = (sql: string, params?: unknown[]) => Promise<RowDataPacket[]>

async function loadCurrencies(
  select: Select,
  t: (table: StoreTable) => string,
  has: (table: StoreTable, column: string) => boolean,
  defaultLanguageId: number,
): Promise<Map<number, CurrencyInfo>> {
  // 1.7.6+ has `precision`; 1.6 a `decimals` switch (2 places or none); 1.7.0–1.7.5 neither, so 2.
  const precision = has('currency', 'precision')
    ? 'c.`precision`'
    : has('currency', 'decimals')
      ? 'IF(c.decimals = 1, 2, 0)'
      : '2'
  const name = has('currency', 'name') ? 'c.name' : "''"
  const rows = await select(
    `SELECT c.id_currency, c.iso_code, ${precision} AS currency_precision, ${name} AS name, c.active, c.deleted FROM ${t('currency')} c ORDER BY c.id_currency`,
  )
  const localNames = new Map<number, string>()
  if (has('currency_lang', 'name')) {
    const nameRows = await select(
      `SELECT id_currency, name FROM ${t('currency_lang')} ORDER BY (id_lang = ?) DESC, id_lang`,
      [defaultLanguageId],
    )
    for (const row of nameRows) {
      if (!localNames.has(Number(row.id_currency)))
        localNames.set(Number(row.id_currency), String(row.name))
    }
  }
  const currencies = new Map<number, CurrencyInfo>()
  for (const row of rows) {
    const id = Number(row.id_currency)
    currencies.set(id, {
      id,
      isoCode: String(row.iso_code),
      precision: Number(row.currency_precision),
      name: localNames.get(id) ?? String(row.name),
      active: Number(row.active) === 1,
      deleted: Number(row.deleted) === 1,
    })
  }
  return currencies
}

function validateStates(stateIds: readonly number[]): void {
  if (stateIds.length === 0)
    throw new StoreError('invalid_request', 'Choose at least one order status.')
  for (const id of stateIds) {
    if (!Number.isInteger(id) || id <= 0)
      throw new StoreError('invalid_request', `"${id}" is not an order status id.`)
  }
}

function validateShops(shopIds: readonly number[] | undefined): readonly number[] {
  for (const id of shopIds ?? []) {
    if (!Number.isInteger(id) || id <= 0)
      throw new StoreError('invalid_request', `"${id}" is not a shop id.`)
  }
  return shopIds ?? []
}

function localBounds(filter: OrderCountFilter): { start: string; endExclusive: string } {
  try {
    const bounds = rangeToLocalBounds(filter.range)
    if (filter.range.from > filter.range.to) {
      throw new RangeError(
        `The end date ${filter.range.to} is before the start date ${filter.range.from}.`,
      )
    }
    return bounds
  } catch (error) {
    throw new StoreError('invalid_request', (error as Error).message)
  }
}

/** A PrestaShop store read straight from its MySQL/MariaDB database, read-only. */
export class DatabaseStore implements StoreSource {
  readonly #pool: Pool
  readonly #options: DatabaseConnectionOptions
  readonly #schema: DiscoveredSchema
  readonly #state: StoreState
  #closed = false

  constructor(
    pool: Pool,
    options: DatabaseConnectionOptions,
    schema: DiscoveredSchema,
    state: StoreState,
  ) {
    this.#pool = pool
    this.#options = options
    this.#schema = schema
    this.#state = state
  }

  get version(): StoreVersion {
    return this.#state.version
  }

  overview(): Promise<StoreOverview> {
    const state = this.#state
    const shops = [...state.shops.values()].map((shop) => shop.info)
    const defaultShop = state.shops.get(state.defaultShopId)?.info ?? shops[0]
    return Promise.resolve({
      version: state.version,
      shops,
      languages: [...state.languages.values()],
      currencies: [...state.currencies.values()],
      defaultShopId: state.defaultShopId,
      defaultLanguageId: defaultShop?.defaultLanguageId ?? 1,
      defaultCurrencyId: defaultShop?.defaultCurrencyId ?? 1,
      multilingual: shops.some((shop) => shop.active && shop.multilingual),
      multistore: state.multistore,
    })
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
    const defaultLanguageId = this.#state.shops.get(this.#state.defaultShopId)?.info
      .defaultLanguageId
    const wanted = languageId ?? defaultLanguageId
    const states = new Map<number, { row: RowDataPacket; names: Map<number, string> }>()
    for (const row of rows) {
      const id = Number(row.id_order_state)
      const entry = states.get(id) ?? { row, names: new Map<number, string>() }
      if (row.id_lang !== null && row.name !== null)
        entry.names.set(Number(row.id_lang), String(row.name))
      states.set(id, entry)
    }
    return [...states.entries()].map(([id, { row, names }]) => ({
      id,
      name:
        (wanted !== undefined ? names.get(wanted) : undefined) ??
        (defaultLanguageId !== undefined ? names.get(defaultLanguageId) : undefined) ??
        [...names.values()][0] ??
        // A state with no name in any language: the UI shows its own "Status N" label.
        '',
      color: String(row.color ?? ''),
      paid: Number(row.paid) === 1,
      logable: Number(row.logable) === 1,
      shipped: Number(row.shipped) === 1,
      delivery: Number(row.delivery) === 1,
      hidden: Number(row.hidden) === 1,
      deleted: Number(row.deleted) === 1,
    }))
  }

  async countOrders(filter: OrderCountFilter): Promise<OrderCounts> {
    const { start, endExclusive } = localBounds(filter)
    const shopIds = validateShops(filter.shopIds)
    const rows = await this.#select(
      `SELECT current_state, id_shop, COUNT(*) AS orders FROM ${this.#t('orders')}
        WHERE date_add >= ? AND date_add < ?${shopIds.length > 0 ? ' AND id_shop IN (?)' : ''}
        GROUP BY current_state, id_shop`,
      shopIds.length > 0 ? [start, endExclusive, shopIds] : [start, endExclusive],
    )
    const byState: Record<number, number> = {}
    const byShop: Record<number, number> = {}
    let total = 0
    for (const row of rows) {
      const count = Number(row.orders)
      const state = Number(row.current_state)
      const shop = Number(row.id_shop)
      byState[state] = (byState[state] ?? 0) + count
      byShop[shop] = (byShop[shop] ?? 0) + count
      total += count
    }
    return { total, byState, byShop }
  }

  async *readOrders(
    filter: OrderFilter,
    options: OrderPageOptions = {},
  ): AsyncIterable<readonly StoreOrder[]> {
    const { start, endExclusive } = localBounds(filter)
    validateStates(filter.stateIds)
    const shopIds = validateShops(filter.shopIds)
    const pageSize = Math.max(1, Math.min(options.pageSize ?? DEFAULT_PAGE_SIZE, 5_000))
    const catalog = this.#catalog()
    const totalPaid = this.#has('orders', 'total_paid_tax_incl')
      ? 'o.total_paid_tax_incl'
      : 'o.total_paid'
    const fetchPage = async (
      cursor: OrderCursor | null,
    ): Promise<{ orders: StoreOrder[]; last: boolean }> => {
      const params: unknown[] = [start, endExclusive, filter.stateIds]
      if (shopIds.length > 0) params.push(shopIds)
      if (cursor) params.push(cursor.placedAt, cursor.placedAt, cursor.id)
      params.push(pageSize)
      // Keyset pagination on (date_add, id_order): each page is an index range scan, whatever the offset.
      const orderRows = await this.#select(
        `SELECT o.id_order, o.reference, o.id_cart, o.id_shop, o.id_lang, o.id_customer, o.id_currency,
                o.current_state, o.date_add, o.payment, ${totalPaid} AS total_paid, o.conversion_rate
           FROM ${this.#t('orders')} o
          WHERE o.date_add >= ? AND o.date_add < ? AND o.current_state IN (?)
                ${shopIds.length > 0 ? 'AND o.id_shop IN (?)' : ''}
                ${cursor ? 'AND (o.date_add > ? OR (o.date_add = ? AND o.id_order > ?))' : ''}
          ORDER BY o.date_add, o.id_order
          LIMIT ?`,
        params,
      )
      const orders = orderRows.length === 0 ? [] : await this.#assemble(orderRows, catalog)
      return { orders, last: orderRows.length < pageSize }
    }

    // One page read ahead: the store works on the next page while the caller handles this one.
    let next: Promise<{ orders: StoreOrder[]; last: boolean }> | null = fetchPage(
      options.after ?? null,
    )
    try {
      while (next) {
        options.signal?.throwIfAborted()
        const page: { orders: StoreOrder[]; last: boolean } = await next
        const lastOrder = page.orders[page.orders.length - 1]
        next =
          page.last || !lastOrder
            ? null
            : fetchPage({ placedAt: lastOrder.placedAt, id: lastOrder.id })
        options.signal?.throwIfAborted()
        if (page.orders.length > 0) yield page.orders
      }
    } finally {
      // A caller that stops early must not leave a failing read-ahead unobserved.
      next?.catch(() => undefined)
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#pool.end()
  }

  #catalog(): CatalogLookup {
    return new CatalogLookup((sql, params) => this.#select(sql, params), {
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
    })
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

    const contexts = new Map<number, LineShopContext>()
    const orderContexts = orderRows.map((row) =>
      this.#lineContext(Number(row.id_shop), Number(row.id_lang), contexts),
    )
    const contextOfOrder = new Map(
      orderIds.map((id, index) => [id, orderContexts[index] as LineShopContext]),
    )
    await catalog.prepare(
      lineRows.map((row) => ({
        context: contextOfOrder.get(Number(row.id_order)) as LineShopContext,
        productId: Number(row.product_id),
        productAttributeId: Number(row.product_attribute_id ?? 0),
      })),
    )

    const linesByOrder = new Map<number, StoreOrderLine[]>()
    for (const row of lineRows) {
      const orderId = Number(row.id_order)
      const context = contextOfOrder.get(orderId) as LineShopContext
      const productId = Number(row.product_id)
      const productAttributeId = Number(row.product_attribute_id ?? 0)
      const lines = linesByOrder.get(orderId) ?? []
      lines.push({
        id: Number(row.id_order_detail),
        productId,
        productAttributeId,
        name: String(row.product_name ?? ''),
        quantity: Number(row.product_quantity),
        unitPriceTaxIncl: String(row.unit_price_tax_incl),
        unitPriceTaxExcl: String(row.unit_price_tax_excl),
        totalPriceTaxIncl: String(row.total_price_tax_incl),
        totalPriceTaxExcl: String(row.total_price_tax_excl),
        product: catalog.product(context, productId, productAttributeId),
      })
      linesByOrder.set(orderId, lines)
    }

    return orderRows.map((row) => {
      const id = Number(row.id_order)
      const shop = this.#shop(Number(row.id_shop))
      return {
        id,
        reference: String(row.reference ?? ''),
        cartId: Number(row.id_cart),
        shopId: Number(row.id_shop),
        languageId: Number(row.id_lang),
        stateId: Number(row.current_state),
        placedAt: String(row.date_add),
        timezone: shop.info.timezone,
        shopUrl: shop.linkBase,
        paymentMethod: String(row.payment ?? ''),
        totalPaidTaxIncl: String(row.total_paid),
        currency: this.#currencyRef(Number(row.id_currency)),
        defaultCurrency: this.#currencyRef(shop.info.defaultCurrencyId),
        conversionRate: String(row.conversion_rate),
        customer: customers.get(Number(row.id_customer)) ?? null,
        lines: linesByOrder.get(id) ?? [],
      }
    })
  }

  /** Orders of a shop deleted since keep their rows; read them with the default shop's settings. */
  #shop(shopId: number): ShopRuntime {
    const shop = this.#state.shops.get(shopId) ?? this.#state.shops.get(this.#state.defaultShopId)
    if (!shop) throw new StoreError('invalid_store_configuration', 'The store has no shop.')
    return shop
  }

  #lineContext(
    shopId: number,
    languageId: number,
    cache: Map<number, LineShopContext>,
  ): LineShopContext {
    const key = shopId * 100_000 + languageId
    const cached = cache.get(key)
    if (cached) return cached
    const shop = this.#shop(shopId)
    const context: LineShopContext = {
      shopId,
      languageId,
      link: {
        family: this.#state.version.family,
        baseUrl: shop.linkBase,
        friendlyUrls: shop.friendlyUrls,
        multilingual: shop.info.multilingual,
        languageId,
        languageIso: this.#state.languages.get(languageId)?.isoCode ?? '',
        customRoute: shop.customRoute,
      },
      image: {
        baseUrl: shop.imageBase,
        friendlyUrls: shop.friendlyUrls,
        imageType: this.#state.imageType,
      },
    }
    cache.set(key, context)
    return context
  }

  #currencyRef(currencyId: number): CurrencyRef {
    const currency = this.#state.currencies.get(currencyId)
    return { id: currencyId, isoCode: currency?.isoCode ?? '', precision: currency?.precision ?? 2 }
  }

  #t(table: StoreTable): string {
    return quoteIdentifier(`${this.#schema.prefix}${table}`)
  }

  #has(table: StoreTable, column: string): boolean {
    return this.#schema.columns.get(table)?.has(column) ?? false
  }

  async #select(sql: string, params: unknown[] = []): Promise<RowDataPacket[]> {
    if (this.#closed) throw new StoreError('connection_lost', 'The store connection is closed.')
    try {
      return await selectRows(this.#pool, this.#options, sql, params)
    } catch (error) {
      throw classifyDatabaseError(error, this.#options)
    }
  }
}
