import type {
  CurrencyInfo,
  LanguageInfo,
  OrderCountFilter,
  OrderCountGroup,
  OrderCounts,
  OrderCursor,
  OrderFilter,
  OrderPageOptions,
  OrderStateInfo,
  StoreCustomer,
  StoreNotice,
  StoreOrder,
  StoreOverview,
  StoreSource,
  StoreVersion,
} from '../store-source'
import { StoreError } from '../store-errors'
import { CatalogLookup } from '../catalog-lookup'
import type { CatalogReader, CategoryNode, CategoryText, ProductRecord } from '../catalog-lookup'
import { CONFIGURATION_KEYS, normaliseScopeId, StoreConfiguration } from '../store-configuration'
import { parseVersion, StoreSettings } from '../store-settings'
import {
  assembleOrders,
  localBounds,
  pagesReadAhead,
  tallyCounts,
  validateShops,
  validateStates,
} from '../order-assembly'
import type { OrderLineRecord, OrderPage, OrderRecord } from '../order-assembly'
import { WebserviceClient } from './webservice-client'
import type { QueryParameters, WebserviceConnectionOptions } from './webservice-client'
import {
  associationIds,
  decimal,
  entitiesOf,
  flag,
  integer,
  text,
  translation,
  translations,
} from './webservice-values'
import type { WebserviceEntity } from './webservice-values'

/**
 * A PrestaShop store read through its Webservice: the same normalised orders as the database
 * reader, in a handful of requests per page (orders, their lines, their customers, and catalogue
 * data the page has not met yet), with everything static cached for the sending.
 */

export interface WebserviceStoreOptions extends WebserviceConnectionOptions {
  /** Orders per page; PrestaShop builds one object per row, so pages stay small. */
  readonly pageSize?: number
}

const DEFAULT_PAGE_SIZE = 100
const MAX_PAGE_SIZE = 500
/** Ids per `filter[id]=[a|b|…]`: keeps URLs well under the 8 KB servers accept. */
const IDS_PER_REQUEST = 200
/** Rows per page when only counting. */
const COUNT_PAGE_SIZE = 5_000

const ORDER_FIELDS = [
  'id',
  'reference',
  'id_cart',
  'id_shop',
  'id_lang',
  'id_customer',
  'id_currency',
  'current_state',
  'date_add',
  'payment',
  'total_paid_tax_incl',
  'conversion_rate',
]
const LINE_FIELDS = [
  'id',
  'id_order',
  'product_id',
  'product_attribute_id',
  'product_name',
  'product_quantity',
  'unit_price_tax_incl',
  'unit_price_tax_excl',
  'total_price_tax_incl',
  'total_price_tax_excl',
]
// Named fields only: a customer's full record holds a password hash we have no business reading.
const CUSTOMER_FIELDS = ['id', 'email', 'firstname', 'lastname', 'is_guest', 'deleted']
const PRODUCT_FIELDS = [
  'id',
  'name',
  'link_rewrite',
  'ean13',
  'reference',
  'id_category_default',
  'id_manufacturer',
  'manufacturer_name',
  'id_default_image',
]

/** `display=[a,b]` and `filter[x]=[a|b]` values. */
function list(values: readonly (string | number)[], separator = ','): string {
  return `[${values.join(separator)}]`
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = []
  for (let index = 0; index < items.length; index += size)
    result.push(items.slice(index, index + size))
  return result
}

/** Connects, checks the key and reads the store's settings. */
export async function openWebserviceStore(
  options: WebserviceStoreOptions,
): Promise<WebserviceStore> {
  const client = await WebserviceClient.connect(options)
  const settings = await loadSettings(client)
  return new WebserviceStore(client, settings, options)
}

async function loadSettings(client: WebserviceClient): Promise<StoreSettings> {
  const all = async (resource: string, parameters: QueryParameters): Promise<WebserviceEntity[]> =>
    entitiesOf(await client.get(resource, parameters), resource)

  const [configurationRows, languageRows, shopRows, urlRows, imageTypeRows] = await Promise.all([
    all('configurations', {
      display: list(['id', 'name', 'value', 'id_shop', 'id_shop_group']),
      [`filter[name]`]: list(CONFIGURATION_KEYS, '|'),
    }),
    all('languages', { display: list(['id', 'name', 'iso_code', 'active']) }),
    all('shops', { display: 'full' }),
    all('shop_urls', { display: 'full' }),
    all('image_types', {
      display: list(['id', 'name', 'width', 'height']),
      'filter[products]': '[1]',
    }),
  ])
  const configuration = new StoreConfiguration(
    configurationRows.map((row) => ({
      name: text(row, 'name'),
      value: row.value === null || row.value === undefined ? null : text(row, 'value'),
      shopId: normaliseScopeId(row.id_shop),
      shopGroupId: normaliseScopeId(row.id_shop_group),
    })),
  )
  const version = parseVersion(
    configuration.get('PS_VERSION_DB') ??
      configuration.get('PS_INSTALL_VERSION') ??
      client.shopVersion,
  )

  const shops = shopRows.map((row) => ({
    id: integer(row, 'id'),
    groupId: integer(row, 'id_shop_group'),
    name: text(row, 'name'),
    active: flag(row, 'active'),
    deleted: flag(row, 'deleted'),
  }))
  // `languages` is shop-associated: the list in a shop's context is that shop's languages.
  const languagesOfShop = new Map<number, Set<number>>()
  await Promise.all(
    shops.map(async (shop) => {
      const rows = await all('languages', { display: '[id]', id_shop: String(shop.id) })
      languagesOfShop.set(shop.id, new Set(rows.map((row) => integer(row, 'id'))))
    }),
  )
  const languages: LanguageInfo[] = languageRows
    .map((row) => {
      const id = integer(row, 'id')
      return {
        id,
        name: text(row, 'name'),
        isoCode: text(row, 'iso_code'),
        active: flag(row, 'active'),
        shopIds: shops.filter((shop) => languagesOfShop.get(shop.id)?.has(id)).map((s) => s.id),
      }
    })
    .sort((a, b) => a.id - b.id)

  const defaultLanguageId = configuration.integer('PS_LANG_DEFAULT') ?? languages[0]?.id ?? 1
  const currencyRows = await all('currencies', { display: 'full' })
  const onlyLanguage = languages.length === 1 ? (languages[0]?.id ?? null) : null
  const currencies: CurrencyInfo[] = currencyRows
    .map((row) => {
      const names = translations(row, 'name', onlyLanguage ?? defaultLanguageId)
      return {
        id: integer(row, 'id'),
        isoCode: text(row, 'iso_code'),
        // 1.7.6+ has `precision`; 1.6 a `decimals` switch (2 places or none); 1.7.0–1.7.5 neither.
        precision:
          'precision' in row || version.family === '8' || version.family === '9'
            ? integer(row, 'precision')
            : 'decimals' in row
              ? flag(row, 'decimals')
                ? 2
                : 0
              : 2,
        name: names.get(defaultLanguageId) ?? [...names.values()][0] ?? '',
        active: flag(row, 'active'),
        deleted: flag(row, 'deleted'),
      }
    })
    .sort((a, b) => a.id - b.id)

  const shopUrls = [...urlRows]
    .sort(
      (a, b) =>
        Number(flag(b, 'main')) - Number(flag(a, 'main')) ||
        Number(flag(b, 'active')) - Number(flag(a, 'active')) ||
        integer(a, 'id') - integer(b, 'id'),
    )
    .map((row) => ({
      shopId: integer(row, 'id_shop'),
      domain: text(row, 'domain'),
      domainSsl: text(row, 'domain_ssl'),
      physicalUri: text(row, 'physical_uri') || '/',
      virtualUri: text(row, 'virtual_uri'),
    }))

  return new StoreSettings({
    version,
    configuration,
    languages,
    currencies,
    shops: shops.sort((a, b) => a.id - b.id),
    shopUrls,
    imageTypes: imageTypeRows.map((row) => ({
      name: text(row, 'name'),
      width: integer(row, 'width'),
      height: integer(row, 'height'),
    })),
  })
}

/** The Webservice's date filters: inclusive at both ends, wall-clock time of the shop. */
function dateInterval(from: string, toInclusive: string): string {
  return `[${from},${toInclusive}]`
}

function orderRecord(row: WebserviceEntity): OrderRecord {
  return {
    id: integer(row, 'id'),
    reference: text(row, 'reference'),
    cartId: integer(row, 'id_cart'),
    shopId: integer(row, 'id_shop'),
    languageId: integer(row, 'id_lang'),
    customerId: integer(row, 'id_customer'),
    currencyId: integer(row, 'id_currency'),
    stateId: integer(row, 'current_state'),
    placedAt: text(row, 'date_add'),
    payment: text(row, 'payment'),
    totalPaid: decimal(row, 'total_paid_tax_incl'),
    conversionRate: decimal(row, 'conversion_rate'),
  }
}

function lineRecord(row: WebserviceEntity): OrderLineRecord {
  return {
    id: integer(row, 'id'),
    orderId: integer(row, 'id_order'),
    productId: integer(row, 'product_id'),
    productAttributeId: integer(row, 'product_attribute_id'),
    name: text(row, 'product_name'),
    quantity: integer(row, 'product_quantity'),
    unitPriceTaxIncl: decimal(row, 'unit_price_tax_incl'),
    unitPriceTaxExcl: decimal(row, 'unit_price_tax_excl'),
    totalPriceTaxIncl: decimal(row, 'total_price_tax_incl'),
    totalPriceTaxExcl: decimal(row, 'total_price_tax_excl'),
  }
}

function customerRecord(row: WebserviceEntity): StoreCustomer {
  return {
    id: integer(row, 'id'),
    email: text(row, 'email'),
    firstname: text(row, 'firstname'),
    lastname: text(row, 'lastname'),
    isGuest: flag(row, 'is_guest'),
    deleted: flag(row, 'deleted'),
  }
}

/** A PrestaShop store read through its Webservice, read-only. */
export class WebserviceStore implements StoreSource {
  readonly #client: WebserviceClient
  readonly #settings: StoreSettings
  readonly #pageSize: number
  /** The catalogue cached across sendings of this connection: it changes rarely and costs requests. */
  readonly #catalogReader: WebserviceCatalogReader
  #closed = false

  constructor(client: WebserviceClient, settings: StoreSettings, options: WebserviceStoreOptions) {
    this.#client = client
    this.#settings = settings
    this.#pageSize = Math.max(1, Math.min(options.pageSize ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE))
    this.#catalogReader = new WebserviceCatalogReader((resource, parameters) =>
      this.#list(resource, parameters),
    )
  }

  get notices(): readonly StoreNotice[] {
    return this.#client.notices
  }

  get version(): StoreVersion {
    return this.#settings.version
  }

  /** Requests sent so far (benchmarks and request-budget tests). */
  get requestCount(): number {
    return this.#client.requestCount
  }

  overview(): Promise<StoreOverview> {
    return Promise.resolve(this.#settings.overview())
  }

  async orderStates(languageId?: number): Promise<readonly OrderStateInfo[]> {
    const rows = await this.#list('order_states', { display: 'full' })
    const onlyLanguage =
      this.#settings.languages.size === 1
        ? ([...this.#settings.languages.keys()][0] ?? null)
        : (this.#settings.defaultLanguageId ?? null)
    return this.#settings.orderStates(
      rows
        .map((row) => ({
          id: integer(row, 'id'),
          color: text(row, 'color'),
          paid: flag(row, 'paid'),
          logable: flag(row, 'logable'),
          shipped: flag(row, 'shipped'),
          delivery: flag(row, 'delivery'),
          hidden: flag(row, 'hidden'),
          deleted: flag(row, 'deleted'),
          // A language with no name row comes back as "": fall back as the database reader does.
          names: new Map(
            [...translations(row, 'name', onlyLanguage)].filter(([, name]) => name !== ''),
          ),
        }))
        .sort((a, b) => a.id - b.id),
      languageId,
    )
  }

  async countOrders(filter: OrderCountFilter): Promise<OrderCounts> {
    localBounds(filter)
    const shopIds = validateShops(filter.shopIds)
    // The Webservice has no aggregates: list just the three fields needed, in large pages.
    const groups: OrderCountGroup[] = []
    for (let offset = 0; ; offset += COUNT_PAGE_SIZE) {
      const rows = await this.#list('orders', {
        display: list(['id', 'current_state', 'id_shop', 'id_lang', 'id_currency']),
        date: '1',
        'filter[date_add]': dateInterval(
          `${filter.range.from} 00:00:00`,
          `${filter.range.to} 23:59:59`,
        ),
        ...(shopIds.length > 0 ? { 'filter[id_shop]': list(shopIds, '|') } : {}),
        sort: '[id_ASC]',
        limit: `${offset},${COUNT_PAGE_SIZE}`,
      })
      for (const row of rows) {
        groups.push({
          stateId: integer(row, 'current_state'),
          shopId: integer(row, 'id_shop'),
          languageId: integer(row, 'id_lang'),
          currencyId: integer(row, 'id_currency'),
          orders: 1,
        })
      }
      if (rows.length < COUNT_PAGE_SIZE) break
    }
    return tallyCounts(groups)
  }

  readOrders(
    filter: OrderFilter,
    options: OrderPageOptions = {},
  ): AsyncIterable<readonly StoreOrder[]> {
    localBounds(filter)
    validateStates(filter.stateIds)
    const shopIds = validateShops(filter.shopIds)
    const pageSize = Math.max(1, Math.min(options.pageSize ?? this.#pageSize, MAX_PAGE_SIZE))
    const catalog = new CatalogLookup(this.#catalogReader)
    const end = `${filter.range.to} 23:59:59`
    const start = `${filter.range.from} 00:00:00`
    const signal = options.signal

    const fetchPage = async (cursor: OrderCursor | null): Promise<OrderPage> => {
      // Keyset on (date_add, id) through the date filter: each page starts at the last order's
      // second, skipping the orders of that second already read, so new orders placed meanwhile
      // never shift the pages.
      const from = cursor && cursor.placedAt > start ? cursor.placedAt : start
      const isAfterCursor = (order: OrderRecord): boolean =>
        cursor === null ||
        order.placedAt > cursor.placedAt ||
        (order.placedAt === cursor.placedAt && order.id > cursor.id)
      for (let offset = 0; ; offset += pageSize) {
        const rows = await this.#list(
          'orders',
          {
            display: list(ORDER_FIELDS),
            date: '1',
            'filter[date_add]': dateInterval(from, end),
            'filter[current_state]': list(filter.stateIds, '|'),
            ...(shopIds.length > 0 ? { 'filter[id_shop]': list(shopIds, '|') } : {}),
            sort: '[date_add_ASC,id_ASC]',
            limit: `${offset},${pageSize}`,
          },
          signal,
        )
        const records = rows.map(orderRecord).filter(isAfterCursor)
        const last = rows.length < pageSize
        if (records.length > 0 || last) {
          const orders = records.length === 0 ? [] : await this.#assemble(records, catalog, signal)
          return { orders, last }
        }
        // A whole page of orders of the cursor's very second, all read already: look further.
      }
    }
    return pagesReadAhead(fetchPage, options)
  }

  close(): Promise<void> {
    this.#closed = true
    return Promise.resolve()
  }

  async #assemble(
    orders: readonly OrderRecord[],
    catalog: CatalogLookup,
    signal: AbortSignal | undefined,
  ): Promise<StoreOrder[]> {
    const orderIds = orders.map((order) => order.id)
    const customerIds = [...new Set(orders.map((order) => order.customerId))].filter((id) => id > 0)
    const [lineRows, customerRows] = await Promise.all([
      listByIds(this.#listOf(signal), 'order_details', 'id_order', orderIds, {
        display: list(LINE_FIELDS),
      }),
      listByIds(this.#listOf(signal), 'customers', 'id', customerIds, {
        display: list(CUSTOMER_FIELDS),
      }),
    ])
    const customers = new Map(
      customerRows.map((row) => customerRecord(row)).map((customer) => [customer.id, customer]),
    )
    return assembleOrders(
      this.#settings,
      catalog,
      orders,
      lineRows.map(lineRecord).sort((a, b) => a.orderId - b.orderId || a.id - b.id),
      customers,
    )
  }

  #listOf(signal: AbortSignal | undefined): ListResource {
    return (resource, parameters) => this.#list(resource, parameters, signal)
  }

  async #list(
    resource: string,
    parameters: QueryParameters,
    signal?: AbortSignal,
  ): Promise<WebserviceEntity[]> {
    if (this.#closed) throw new StoreError('connection_lost', 'The store connection is closed.')
    return entitiesOf(await this.#client.get(resource, parameters, signal), resource)
  }
}

type ListResource = (resource: string, parameters: QueryParameters) => Promise<WebserviceEntity[]>

/** `filter[field]=[a|b|…]` in batches short enough for any server's URL limit, in parallel. */
async function listByIds(
  listResource: ListResource,
  resource: string,
  field: string,
  ids: readonly number[],
  parameters: QueryParameters,
): Promise<WebserviceEntity[]> {
  const pages = await Promise.all(
    chunks(ids, IDS_PER_REQUEST).map((batch) =>
      listResource(resource, { ...parameters, [`filter[${field}]`]: list(batch, '|') }),
    ),
  )
  return pages.flat()
}

/** The catalogue through `products`, `combinations`, `categories` and `manufacturers`. */
class WebserviceCatalogReader implements CatalogReader {
  readonly #list: ListResource
  /** Names products carry (`manufacturer_name`) save a `manufacturers` request. */
  readonly #manufacturerNames = new Map<number, string>()

  constructor(list: ListResource) {
    this.#list = list
  }

  async products(
    shopId: number,
    languageId: number,
    ids: readonly number[],
  ): Promise<ReadonlyMap<number, ProductRecord>> {
    const rows = await listByIds(this.#list, 'products', 'id', ids, {
      display: list(PRODUCT_FIELDS),
      language: String(languageId),
      id_shop: String(shopId),
    })
    const products = new Map<number, ProductRecord>()
    for (const row of rows) {
      const manufacturerId = integer(row, 'id_manufacturer')
      const manufacturer = text(row, 'manufacturer_name')
      if (manufacturerId > 0 && manufacturer !== '')
        this.#manufacturerNames.set(manufacturerId, manufacturer)
      const cover = integer(row, 'id_default_image')
      products.set(integer(row, 'id'), {
        name: translation(row, 'name', languageId),
        rewrite: translation(row, 'link_rewrite', languageId),
        ean13: text(row, 'ean13').trim(),
        reference: text(row, 'reference'),
        categoryId: integer(row, 'id_category_default'),
        manufacturerId,
        coverImageId: cover > 0 ? cover : null,
      })
    }
    return products
  }

  async combinationImages(ids: readonly number[]): Promise<ReadonlyMap<number, number>> {
    const rows = await listByIds(this.#list, 'combinations', 'id', ids, { display: 'full' })
    const images = new Map<number, number>()
    for (const row of rows) {
      const first = associationIds(row, 'images').find((id) => id > 0)
      if (first !== undefined) images.set(integer(row, 'id'), first)
    }
    return images
  }

  async manufacturerNames(ids: readonly number[]): Promise<ReadonlyMap<number, string>> {
    const unknown = ids.filter((id) => !this.#manufacturerNames.has(id))
    if (unknown.length > 0) {
      const rows = await listByIds(this.#list, 'manufacturers', 'id', unknown, {
        display: '[id,name]',
      })
      for (const row of rows) this.#manufacturerNames.set(integer(row, 'id'), text(row, 'name'))
    }
    const names = new Map<number, string>()
    for (const id of ids) {
      const name = this.#manufacturerNames.get(id)
      if (name !== undefined) names.set(id, name)
    }
    return names
  }

  async categoryTree(): Promise<ReadonlyMap<number, CategoryNode>> {
    const rows = await this.#list('categories', { display: '[id,id_parent,is_root_category]' })
    return new Map(
      rows.map((row) => [
        integer(row, 'id'),
        { parentId: integer(row, 'id_parent'), isHome: flag(row, 'is_root_category') },
      ]),
    )
  }

  async categoryTexts(
    shopId: number,
    languageId: number,
    ids: readonly number[],
  ): Promise<ReadonlyMap<number, CategoryText>> {
    const rows = await listByIds(this.#list, 'categories', 'id', ids, {
      display: '[id,name,link_rewrite]',
      language: String(languageId),
      id_shop: String(shopId),
    })
    return new Map(
      rows.map((row) => [
        integer(row, 'id'),
        {
          name: translation(row, 'name', languageId),
          rewrite: translation(row, 'link_rewrite', languageId),
        },
      ]),
    )
  }
}
