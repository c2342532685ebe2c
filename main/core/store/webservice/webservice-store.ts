import type {
  OrderCountFilter,
  OrderCountGroup,
  OrderCounts,
  OrderCursor,
  OrderDays,
  OrderFilter,
  OrderKey,
  OrderPageOptions,
  OrderStateInfo,
  OrderWeekCount,
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
import { WeekTally } from '../week-counts'
import { WebserviceClient } from './webservice-client'
import type { QueryParameters, WebserviceConnectionOptions } from './webservice-client'
import { WebserviceCatalogReader } from './webservice-catalog-reader'
import {
  list,
  listByIds,
  MAX_REQUESTS_IN_FLIGHT,
  RequestGate,
  type ListResource,
} from './webservice-listing'
import { listOrderRange, pageAfter, type RangeListing } from './webservice-range-listing'
import {
  CUSTOMER_FIELDS,
  customerRecord,
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
  /** Rows per page when counting (COUNT_PAGE_SIZE); tests lower it so a small store spans pages. */
  readonly countPageSize?: number
}

const DEFAULT_PAGE_SIZE = 100
const MAX_PAGE_SIZE = 500
/** Rows per page when only counting. */
const COUNT_PAGE_SIZE = 5_000
/** Order keys per page: six small fields a row, so pages as large as when counting. */
const KEY_PAGE_SIZE = 5_000

/** A range's orders added up per (state, shop, language, currency) and per (week, state). */
interface RangeTally {
  readonly counts: OrderCounts
  readonly weeks: readonly OrderWeekCount[]
}

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
  readonly #countPageSize: number
  /** The catalogue cached across sendings of this connection: it changes rarely and costs requests. */
  readonly #catalogReader: WebserviceCatalogReader
  /** Every request of this store waits for one of a few places (webservice-listing.ts). */
  readonly #gate = new RequestGate(MAX_REQUESTS_IN_FLIGHT)
  /**
   * Tallies being listed, by range and shops: the wizard asks a range's counts and its weeks at
   * once, and both come from one listing. Dropped once settled, so nothing read is ever reused.
   */
  readonly #tallies = new Map<string, Promise<RangeTally>>()
  #closed = false

  constructor(client: WebserviceClient, settings: StoreSettings, options: WebserviceStoreOptions) {
    this.#client = client
    this.#settings = settings
    this.#pageSize = Math.max(1, Math.min(options.pageSize ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE))
    this.#countPageSize = Math.max(
      1,
      Math.min(options.countPageSize ?? COUNT_PAGE_SIZE, COUNT_PAGE_SIZE),
    )
    this.#catalogReader = new WebserviceCatalogReader((resource, parameters) =>
      this.#list(resource, parameters),
    )
  }

  get notices(): readonly StoreNotice[] {
    return this.#client.notices
  }

  async catalogueNotices(): Promise<readonly StoreNotice[]> {
    const readable = async (resource: string): Promise<boolean> => {
      try {
        await this.#list(resource, { display: '[id]', limit: '1' })
        return true
      } catch (error) {
        if (error instanceof StoreError && error.code === 'missing_permission') return false
        throw error
      }
    }
    const [stock, taxes] = await Promise.all([
      readable('stock_availables'),
      Promise.all(['tax_rule_groups', 'tax_rules', 'taxes'].map(readable)),
    ])
    const notices: StoreNotice[] = []
    if (!stock)
      notices.push({
        code: 'no_stock_permission',
        message:
          'The Webservice key may not read stock_availables: products Connectif creates will be marked in stock. In Advanced Parameters > Webservice, tick "View (GET)" for stock_availables.',
      })
    if (taxes.includes(false))
      notices.push({
        code: 'no_tax_permission',
        message:
          'The Webservice key may not read the tax rules: products Connectif creates will carry the prices of the orders instead of the current catalogue prices. In Advanced Parameters > Webservice, tick "View (GET)" for tax_rule_groups, tax_rules and taxes.',
      })
    return notices
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
    return (await this.#rangeTally(filter)).counts
  }

  async countOrdersByWeek(filter: OrderCountFilter): Promise<readonly OrderWeekCount[]> {
    return (await this.#rangeTally(filter)).weeks
  }

  /** Two one-row listings, sorted each way by `date_add` (the shop's wall-clock time). */
  async orderDays(shopIds: readonly number[] = []): Promise<OrderDays | null> {
    const shops = validateShops(shopIds)
    const edge = async (direction: 'ASC' | 'DESC'): Promise<string | null> => {
      const rows = await this.#list('orders', {
        display: list(['id', 'date_add']),
        // PrestaShop sorts (and filters) by a date field only when asked with `date=1`.
        date: '1',
        ...(shops.length > 0 ? { 'filter[id_shop]': list(shops, '|') } : {}),
        sort: `[date_add_${direction},id_${direction}]`,
        limit: '1',
      })
      const row = rows[0]
      return row ? text(row, 'date_add').slice(0, 10) : null
    }
    const [first, last] = await Promise.all([edge('ASC'), edge('DESC')])
    return first === null || last === null ? null : { first, last }
  }

  /**
   * The Webservice has no aggregates: the range's order keys are listed in large pages, slices
   * of the range side by side (webservice-range-listing.ts), and added up here.
   */
  #rangeTally(filter: OrderCountFilter): Promise<RangeTally> {
    localBounds(filter)
    const shopIds = validateShops(filter.shopIds)
    const key = `${filter.range.from}|${filter.range.to}|${shopIds.join(',')}`
    const pending = this.#tallies.get(key)
    if (pending) return pending
    const tally = (async (): Promise<RangeTally> => {
      const groups = new Map<string, { -readonly [K in keyof OrderCountGroup]: number }>()
      const weeks = new WeekTally()
      const pages = listOrderRange(this.#listWithSignal, {
        fields: ORDER_KEY_FIELDS,
        range: filter.range,
        stateIds: null,
        shopIds,
        pageSize: this.#countPageSize,
      })
      for await (const rows of pages) {
        for (const row of rows) {
          const stateId = integer(row, 'current_state')
          const group = {
            stateId,
            shopId: integer(row, 'id_shop'),
            languageId: integer(row, 'id_lang'),
            currencyId: integer(row, 'id_currency'),
          }
          const groupKey = `${group.stateId}:${group.shopId}:${group.languageId}:${group.currencyId}`
          const counted = groups.get(groupKey)
          if (counted) counted.orders += 1
          else groups.set(groupKey, { ...group, orders: 1 })
          weeks.add(text(row, 'date_add'), stateId)
        }
      }
      return { counts: tallyCounts(groups.values()), weeks: weeks.result() }
    })()
    this.#tallies.set(key, tally)
    const forget = (): void => {
      if (this.#tallies.get(key) === tally) this.#tallies.delete(key)
    }
    tally.then(forget, forget)
    return tally
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
    return this.#keyPages({
      fields: ORDER_KEY_FIELDS,
      range: filter.range,
      stateIds: filter.stateIds,
      shopIds,
      pageSize,
      after: options.after ?? null,
      ...(options.signal ? { signal: options.signal } : {}),
    })
  }

  async *#keyPages(listing: RangeListing): AsyncGenerator<readonly OrderKey[]> {
    for await (const rows of listOrderRange(this.#listWithSignal, listing)) {
      yield rows.map((row): OrderKey => ({
        id: integer(row, 'id'),
        placedAt: text(row, 'date_add'),
        shopId: integer(row, 'id_shop'),
        languageId: integer(row, 'id_lang'),
        stateId: integer(row, 'current_state'),
        currency: this.#settings.currencyRef(integer(row, 'id_currency')),
      }))
    }
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
   * The `orders` rows (with `fields`) of a filter after `cursor`, one page of them: a sending's
   * pages follow each other, one read ahead (order-assembly.ts), so memory stays flat.
   */
  #orderRowsAfter(
    fields: readonly string[],
    filter: OrderFilter,
    shopIds: readonly number[],
    cursor: OrderCursor | null,
    pageSize: number,
    signal: AbortSignal | undefined,
  ): Promise<{ rows: WebserviceEntity[]; last: boolean }> {
    return pageAfter(
      this.#listWithSignal,
      { fields, range: filter.range, stateIds: filter.stateIds, shopIds, pageSize },
      { from: `${filter.range.from} 00:00:00`, to: `${filter.range.to} 23:59:59` },
      cursor,
      signal,
    )
  }

  readonly #listWithSignal = (
    resource: string,
    parameters: QueryParameters,
    signal?: AbortSignal,
  ): Promise<WebserviceEntity[]> => this.#list(resource, parameters, signal)

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
    const answer = await this.#gate.run(
      () => this.#client.get(resource, parameters, signal),
      signal,
    )
    return entitiesOf(answer, resource)
  }
}
