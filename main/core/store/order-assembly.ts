import type {
  OrderCountFilter,
  OrderCountGroup,
  OrderCounts,
  OrderCursor,
  OrderPageOptions,
  StoreCustomer,
  StoreOrder,
  StoreOrderLine,
} from './store-source'
import { StoreError } from './store-errors'
import type { CatalogLookup } from './catalog-lookup'
import type { StoreSettings } from './store-settings'
import { rangeToLocalBounds } from '../time/shop-time'

/**
 * The steps every reader shares between "rows of a page of orders" and `StoreOrder`s: checking the
 * filter, turning rows into orders with their catalogue data, counting, and paging with one page
 * read ahead. Readers only differ in how they fetch the rows.
 */

/** An `orders` row, normalised. Amounts stay decimal strings. */
export interface OrderRecord {
  readonly id: number
  readonly reference: string
  readonly cartId: number
  readonly shopId: number
  readonly languageId: number
  readonly customerId: number
  readonly currencyId: number
  readonly stateId: number
  readonly placedAt: string
  readonly payment: string
  readonly totalPaid: string
  readonly conversionRate: string
}

/** An `order_detail` row, normalised: the line without its catalogue data, and its order. */
export interface OrderLineRecord extends Omit<StoreOrderLine, 'product'> {
  readonly orderId: number
}

export function validateStates(stateIds: readonly number[]): void {
  if (stateIds.length === 0) {
    throw new StoreError('invalid_request', 'Choose at least one order status.', {
      params: { reason: 'no_states' },
    })
  }
  for (const id of stateIds) {
    if (!Number.isInteger(id) || id <= 0) {
      throw new StoreError('invalid_request', `"${id}" is not an order status id.`, {
        params: { reason: 'state_id', id: String(id) },
      })
    }
  }
}

export function validateShops(shopIds: readonly number[] | undefined): readonly number[] {
  for (const id of shopIds ?? []) {
    if (!Number.isInteger(id) || id <= 0) {
      throw new StoreError('invalid_request', `"${id}" is not a shop id.`, {
        params: { reason: 'shop_id', id: String(id) },
      })
    }
  }
  return shopIds ?? []
}

/** The filter's days as shop-local wall-clock bounds, [start, endExclusive). */
export function localBounds(filter: OrderCountFilter): { start: string; endExclusive: string } {
  const { from, to } = filter.range
  let bounds: { start: string; endExclusive: string }
  try {
    bounds = rangeToLocalBounds(filter.range)
  } catch (error) {
    throw new StoreError('invalid_request', (error as Error).message, {
      params: { reason: 'invalid_dates', from: String(from), to: String(to) },
    })
  }
  if (from > to) {
    throw new StoreError(
      'invalid_request',
      `The end date ${to} is before the start date ${from}.`,
      {
        params: { reason: 'end_before_start', from, to },
      },
    )
  }
  return bounds
}

/** Adds up (state, shop, language, currency) groups into the counts the wizard shows. */
export function tallyCounts(groups: Iterable<OrderCountGroup>): OrderCounts {
  const merged = new Map<string, OrderCountGroup>()
  for (const group of groups) {
    const key = `${group.stateId}:${group.shopId}:${group.languageId}:${group.currencyId}`
    const existing = merged.get(key)
    merged.set(key, existing ? { ...existing, orders: existing.orders + group.orders } : group)
  }
  const sorted = [...merged.values()].sort(
    (a, b) =>
      a.stateId - b.stateId ||
      a.shopId - b.shopId ||
      a.languageId - b.languageId ||
      a.currencyId - b.currencyId,
  )
  const byState: Record<number, number> = {}
  const byShop: Record<number, number> = {}
  let total = 0
  for (const { stateId, shopId, orders } of sorted) {
    byState[stateId] = (byState[stateId] ?? 0) + orders
    byShop[shopId] = (byShop[shopId] ?? 0) + orders
    total += orders
  }
  return { total, byState, byShop, groups: sorted }
}

/** Builds the `StoreOrder`s of one page, in the order of `orders`. */
export async function assembleOrders(
  settings: StoreSettings,
  catalog: CatalogLookup,
  orders: readonly OrderRecord[],
  lines: readonly OrderLineRecord[],
  customers: ReadonlyMap<number, StoreCustomer>,
): Promise<StoreOrder[]> {
  const contextOfOrder = new Map(
    orders.map((order) => [order.id, settings.lineContext(order.shopId, order.languageId)]),
  )
  const known = lines.flatMap((line) => {
    const context = contextOfOrder.get(line.orderId)
    return context ? [{ line, context }] : []
  })
  await catalog.prepare(
    known.map(({ line, context }) => ({
      context,
      productId: line.productId,
      productAttributeId: line.productAttributeId,
    })),
  )

  const linesByOrder = new Map<number, StoreOrderLine[]>()
  for (const { line, context } of known) {
    const list = linesByOrder.get(line.orderId) ?? []
    const { orderId: _orderId, ...fields } = line
    list.push({
      ...fields,
      product: catalog.product(context, line.productId, line.productAttributeId),
    })
    linesByOrder.set(line.orderId, list)
  }
  for (const list of linesByOrder.values()) list.sort((a, b) => a.id - b.id)

  return orders.map((order) => {
    const shop = settings.shop(order.shopId)
    return {
      id: order.id,
      reference: order.reference,
      cartId: order.cartId,
      shopId: order.shopId,
      languageId: order.languageId,
      stateId: order.stateId,
      placedAt: order.placedAt,
      timezone: shop.info.timezone,
      shopUrl: shop.linkBase,
      paymentMethod: order.payment,
      totalPaidTaxIncl: order.totalPaid,
      currency: settings.currencyRef(order.currencyId),
      defaultCurrency: settings.currencyRef(shop.info.defaultCurrencyId),
      conversionRate: order.conversionRate,
      customer: customers.get(order.customerId) ?? null,
      lines: linesByOrder.get(order.id) ?? [],
    }
  })
}

/** A page of orders (or of order keys), each with its place in the (placedAt, id) order. */
export interface OrderPage<T extends OrderCursor = StoreOrder> {
  readonly orders: readonly T[]
  /** No page follows this one. */
  readonly last: boolean
}

/**
 * Yields pages fetched one ahead: the store works on the next page while the caller handles this
 * one. `fetchPage` gets the position after the last order yielded.
 */
export async function* pagesReadAhead<T extends OrderCursor = StoreOrder>(
  fetchPage: (after: OrderCursor | null) => Promise<OrderPage<T>>,
  options: OrderPageOptions,
): AsyncIterable<readonly T[]> {
  let next: Promise<OrderPage<T>> | null = fetchPage(options.after ?? null)
  try {
    while (next) {
      options.signal?.throwIfAborted()
      const page: OrderPage<T> = await next
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
