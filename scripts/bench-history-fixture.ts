/**
 * The sending `bench:history` and `bench:report` measure: a profile and one sending of N orders,
 * one in a hundred skipped (no e-mail), the rest answered created, already existing (one in
 * eleven) or failed (one in seven), as the test of exact counters has them.
 */
import type { HistoryStore } from '../main/core/history/history-store'
import type { NewOrderRow, OrderResultUpdate } from '../main/core/history/history-types'
import { createTestSending } from '../tests/support/history-fixture'

export function benchOrder(orderId: number): NewOrderRow {
  const skipped = orderId % 100 === 0
  return {
    orderId,
    reference: `REF${String(orderId).padStart(9, '0')}`,
    // A minute apart, so that sorting by date has work to do.
    orderDate: new Date(Date.UTC(2025, 0, 2, 9) + orderId * 60_000)
      .toISOString()
      .replace('.000Z', '+00:00'),
    customerEmail: `customer.${orderId}@example.com`,
    total: `${(orderId % 500) + 10}.95`,
    shopId: 1,
    stateId: 2,
    result: skipped ? 'skipped' : 'pending',
    payload: skipped ? null : JSON.stringify({ purchaseId: String(orderId) }),
    message: skipped ? 'The customer has no e-mail address.' : null,
  }
}

export function benchAnswer(orderId: number): OrderResultUpdate {
  const outcome = orderId % 7 === 0 ? 'failed' : orderId % 11 === 0 ? 'already_exists' : 'created'
  const failed = outcome === 'failed'
  return {
    orderId,
    result: outcome,
    httpStatus: outcome === 'created' ? 201 : outcome === 'already_exists' ? 409 : 400,
    errorCode: failed ? 'invalid_purchase' : null,
    message: failed ? 'Connectif refused the purchase: a product has no price.' : null,
    response: failed
      ? '{"status":400,"title":"Bad Request","detail":"products[0].price is required"}'
      : null,
    // Some orders took retries, and answers come back out of order id order (concurrent workers,
    // retried failures): sorting by either is not the order id order again.
    attempts: orderId % 13 === 0 ? 3 : 1,
    sentAt: new Date(Date.UTC(2025, 2, 1, 10) + ((orderId * 7919) % 100_003) * 250).toISOString(),
  }
}

/** A profile and a new sending of `orders` orders (none recorded yet): its id. */
export function createBenchSending(store: HistoryStore, orders: number): number {
  return createTestSending(store, { name: 'Bench shop', to: '2025-12-31', expectedTotal: orders })
}
