/**
 * What `countOrdersByWeek` must give for a generated store, worked out from the fixture's own
 * orders with luxon's ISO weeks (Monday first) rather than the readers' arithmetic. Not a test file.
 */
import { DateTime } from 'luxon'
import type { OrderCountFilter, OrderWeekCount } from '../../main/core/store/store-source'
import type { StoreFixture } from '../support/prestashop/store-generator'

export function expectedWeeks(fixture: StoreFixture, filter: OrderCountFilter): OrderWeekCount[] {
  const start = `${filter.range.from} 00:00:00`
  const end = `${filter.range.to} 23:59:59`
  const shops = filter.shopIds ?? []
  const counts = new Map<string, OrderWeekCount>()
  for (const order of fixture.expectedOrders()) {
    if (order.placedAt < start || order.placedAt > end) continue
    if (shops.length > 0 && !shops.includes(order.shopId)) continue
    const weekStart =
      DateTime.fromSQL(order.placedAt, { zone: 'utc' }).startOf('week').toISODate() ?? ''
    const key = `${weekStart}|${String(order.stateId).padStart(6, '0')}`
    const counted = counts.get(key)
    counts.set(key, { weekStart, stateId: order.stateId, orders: (counted?.orders ?? 0) + 1 })
  }
  return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, count]) => count)
}
