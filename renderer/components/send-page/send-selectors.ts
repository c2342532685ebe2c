/**
 * What the send page derives from its state: the picked days, the statuses grouped as PrestaShop
 * sees them with their orders in the range, the orders selected, and why nothing can be sent.
 */
import type { DateTime } from 'luxon'
import {
  MAX_RATE_LIMIT,
  type OrderCountView,
  type OrderStateView,
  type StoreLookup,
} from '../../../preload/contract'
import type { SendState } from './send-state'

/** A picked day as YYYY-MM-DD; null when none is picked or it is not a valid date. */
export function toDay(value: DateTime | null): string | null {
  return value && value.isValid ? value.toISODate() : null
}

export function rateLimitValue(state: Pick<SendState, 'rateLimit'>): number {
  return Number(state.rateLimit)
}

export function isRateLimitValid(state: Pick<SendState, 'rateLimit'>): boolean {
  const value = rateLimitValue(state)
  return /^\d+$/.test(state.rateLimit.trim()) && value >= 1 && value <= MAX_RATE_LIMIT
}

/** Both days picked, checked by main, and no rule broken. */
export function datesReady(state: SendState): boolean {
  return (
    toDay(state.from) !== null &&
    toDay(state.to) !== null &&
    (state.rules?.violations.length ?? 0) === 0 &&
    !state.rulesLoading &&
    state.rules !== null
  )
}

/** The statuses offered: every live one, and a deleted one only when orders of the range have it. */
export function visibleStates(
  lookup: StoreLookup | null,
  counts: OrderCountView | null,
): readonly OrderStateView[] {
  return (lookup?.states ?? []).filter(
    (state) => !state.deleted || (counts?.byState[String(state.id)] ?? 0) > 0,
  )
}

/**
 * The groups PrestaShop's flags make: validated or paid (its `logable` states, which its sales
 * statistics count, and the `paid` ones such as "On backorder (paid)"), not paid yet, and
 * cancelled, refunded or in error (the store's PS_OS_CANCELED, PS_OS_REFUND, PS_OS_ERROR, which
 * win over the flags: a refund is `paid`). Also the i18n key of each under `sendPage.groups`.
 */
export const STATUS_GROUPS = ['validated', 'notPaid', 'cancelled'] as const
export type StatusGroupId = (typeof STATUS_GROUPS)[number]

export function groupOf(
  state: Pick<OrderStateView, 'logable' | 'paid' | 'cancelled'>,
): StatusGroupId {
  if (state.cancelled) return 'cancelled'
  return state.logable || state.paid ? 'validated' : 'notPaid'
}

export interface StatusLine {
  readonly state: OrderStateView
  /** Orders of the range in this status. */
  readonly orders: number
}

export interface StatusGroup {
  readonly id: StatusGroupId
  readonly lines: readonly StatusLine[]
  /** Orders of the range in the group's statuses. */
  readonly orders: number
}

/** The offered statuses in their groups (empty groups left out), in the store's order. */
export function statusGroups(
  lookup: StoreLookup | null,
  counts: OrderCountView | null,
): StatusGroup[] {
  const shown = visibleStates(lookup, counts)
  return STATUS_GROUPS.map((id) => {
    const lines = shown
      .filter((state) => groupOf(state) === id)
      .map((state) => ({ state, orders: counts?.byState[String(state.id)] ?? 0 }))
    return { id, lines, orders: lines.reduce((sum, line) => sum + line.orders, 0) }
  }).filter((group) => group.lines.length > 0)
}

/** Orders of the range in the statuses picked; null while they are not counted. */
export function selectedOrders(state: Pick<SendState, 'counts' | 'stateIds'>): number | null {
  const { counts } = state
  if (counts === null) return null
  return state.stateIds.reduce((sum, id) => sum + (counts.byState[String(id)] ?? 0), 0)
}

/** The picked statuses that are not validated ones (with orders in the range or not). */
export function notValidatedPicked(
  state: Pick<SendState, 'lookup' | 'stateIds'>,
): OrderStateView[] {
  return (state.lookup?.states ?? []).filter(
    (each) => state.stateIds.includes(each.id) && groupOf(each) !== 'validated',
  )
}

/**
 * Why the page cannot send yet, in the order the merchant fixes things; null when it can.
 * `waiting`: something is still being read (no reason to give). The others are i18n keys under
 * `sendPage.blocked`.
 */
export type SendBlocker =
  | 'waiting'
  | 'no_profile'
  | 'store_error'
  | 'summary_error'
  | 'dates'
  | 'no_states'
  | 'no_orders'
  | 'all_sent'
  | 'rate_limit'

export function sendBlocker(state: SendState): SendBlocker | null {
  if (state.profileId === '') return 'no_profile'
  if (state.lookupError ?? state.countsError ?? state.rulesError) return 'store_error'
  if (!datesReady(state)) return state.rulesLoading || state.rules === null ? 'waiting' : 'dates'
  if (!isRateLimitValid(state)) return 'rate_limit'
  if (state.stateIds.length === 0) return 'no_states'
  const orders = selectedOrders(state)
  if (orders === null || state.countsLoading) return 'waiting'
  if (orders === 0) return 'no_orders'
  if (state.summaryError !== null) return 'summary_error'
  if (state.summary === null) return 'waiting'
  if (state.summary.ordersToSend - state.summary.alreadySent <= 0)
    return state.summary.ordersToSend === 0 ? 'no_orders' : 'all_sent'
  return null
}
