import type {
  OrderCountFilter,
  OrderCountGroup,
  OrderCounts,
  OrderCursor,
  OrderFilter,
  OrderKey,
  OrderPageOptions,
  OrderStateInfo,
  StoreNotice,
  StoreOrder,
  StoreOverview,
  StoreSource,
  StoreVersion,
} from '../store-source'
import { StoreError } from '../store-errors'
import { CatalogLookup } from '../catalog-lookup'
import type { StoreSettings } from '../store-settings'
import {
  assembleOrders,
  localBounds,
  pagesReadAhead,
  tallyCounts,
  validateShops,
  validateStates,
} from '../order-assembly'
import type { OrderPage, OrderRecord } from '../order-assembly'
import { WebserviceClient } from './webservice-client'
import type { QueryParameters, WebserviceConnectionOptions } from './webservice-client'
import { WebserviceCatalogReader } from './webservice-catalog-reader'
import { list, listByIds, type ListResource } from './webservice-listing'
import {
  CUSTOMER_FIELDS,
  customerRecord,
  dateInterval,
  LINE_FIELDS,
  lineRecord,
  ORDER_FIELDS,
  ORDER_KEY_FIELDS,
  orderRecord,
} from './webservice-order-records'
import { loadSettings } from './webservice-settings'
import { entitiesOf, flag, integer, text, translations } from './webservice-values'
import type { WebserviceEntity } from './webservice-values'

/**
 * A PrestaShop store read through its Webservice: the same normalised orders as the database
 * reader, in a handful of requests per page (orders, their lines, their customers, and catalogue
 * data the page has not met yet), with everything static cached for the sending. The settings,
 * the order rows and the catalogue are read by the modules beside it.
 */

export interface WebserviceStoreOptions extends WebserviceConnectionOptions {
  /** Orders per page; PrestaShop builds one object per row, so pages stay small. */
  readonly pageSize?: number
}

const DEFAULT_PAGE_SIZE = 100
const MAX_PAGE_SIZE = 500
/** Rows per page when only counting. */
const COUNT_PAGE_SIZE = 5_000
/** Order keys per page: six small fields a row, so pages as large as when counting. */
const KEY_PAGE_SIZE = 5_000

/** Connects, checks the key and reads the store's settings. */
export async function openWebserviceStore(
  options: WebserviceStoreOptions,
): Promise<WebserviceStore> {
  const client = await WebserviceClient.connect(options)
  const settings = await loadSettings(client)
  return new WebserviceStore(client, settings, options)
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
    const signal = options.signal
    const fetchPage = async (cursor: OrderCursor | null): Promise<OrderPage> => {
      const { rows, last } = await this.#orderRowsAfter(
        ORDER_FIELDS,
        filter,
        shopIds,
        cursor,
        pageSize,
        signal,
      )
      const records = rows.map(orderRecord)
      const orders = records.length === 0 ? [] : await this.#assemble(records, catalog, signal)
      return { orders, last }
    }
    return pagesReadAhead(fetchPage, options)
  }

  orderKeys(
    filter: OrderFilter,
    options: OrderPageOptions = {},
  ): AsyncIterable<readonly OrderKey[]> {
    localBounds(filter)
    validateStates(filter.stateIds)
    const shopIds = validateShops(filter.shopIds)
    const pageSize = Math.max(1, Math.min(options.pageSize ?? KEY_PAGE_SIZE, KEY_PAGE_SIZE))
    const fetchPage = async (cursor: OrderCursor | null): Promise<OrderPage<OrderKey>> => {
      const { rows, last } = await this.#orderRowsAfter(
        ORDER_KEY_FIELDS,
        filter,
        shopIds,
        cursor,
        pageSize,
        options.signal,
      )
      const orders = rows.map((row): OrderKey => ({
        id: integer(row, 'id'),
        placedAt: text(row, 'date_add'),
        shopId: integer(row, 'id_shop'),
        languageId: integer(row, 'id_lang'),
        stateId: integer(row, 'current_state'),
        currency: this.#settings.currencyRef(integer(row, 'id_currency')),
      }))
      return { orders, last }
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

  /**
   * The `orders` rows (with `fields`) of a filter after `cursor`, one page of them. Keyset on
   * (date_add, id) through the date filter: each page starts at the last order's second, skipping
   * the orders of that second already read, so new orders placed meanwhile never shift the pages.
   */
  async #orderRowsAfter(
    fields: readonly string[],
    filter: OrderFilter,
    shopIds: readonly number[],
    cursor: OrderCursor | null,
    pageSize: number,
    signal: AbortSignal | undefined,
  ): Promise<{ rows: WebserviceEntity[]; last: boolean }> {
    const start = `${filter.range.from} 00:00:00`
    const end = `${filter.range.to} 23:59:59`
    const from = cursor && cursor.placedAt > start ? cursor.placedAt : start
    const isAfterCursor = (row: WebserviceEntity): boolean => {
      if (cursor === null) return true
      const placedAt = text(row, 'date_add')
      return (
        placedAt > cursor.placedAt ||
        (placedAt === cursor.placedAt && integer(row, 'id') > cursor.id)
      )
    }
    for (let offset = 0; ; offset += pageSize) {
      const rows = await this.#list(
        'orders',
        {
          display: list(fields),
          date: '1',
          'filter[date_add]': dateInterval(from, end),
          'filter[current_state]': list(filter.stateIds, '|'),
          ...(shopIds.length > 0 ? { 'filter[id_shop]': list(shopIds, '|') } : {}),
          sort: '[date_add_ASC,id_ASC]',
          limit: `${offset},${pageSize}`,
        },
        signal,
      )
      const after = rows.filter(isAfterCursor)
      const last = rows.length < pageSize
      if (after.length > 0 || last) return { rows: after, last }
      // A whole page of orders of the cursor's very second, all read already: look further.
    }
  }

  #listOf(signal: AbortSignal | undefined): ListResource {
    return (resource, parameters) => this.#list(resource, parameters, signal)
  }

  async #list(
    resource: string,
    parameters: QueryParameters,
    signal?: AbortSignal,
  ): Promise<WebserviceEntity[]> {
    if (this.#closed) {
      throw new StoreError('connection_lost', 'The store connection is closed.', {
        params: { reason: 'closed' },
      })
    }
    return entitiesOf(await this.#client.get(resource, parameters, signal), resource)
  }
}
