import type { OrderStateView } from '../../../preload/contract'

/**
 * The statuses a profile starts with: those PrestaShop itself counts as valid, paid orders
 * (`logable` and `paid`, as its sales statistics do: payment accepted, processing in progress,
 * shipped, delivered, remote payment accepted…), never a deleted one. A hidden status is only
 * hidden from the customer's order history; its orders are sales all the same, so it counts.
 */
export function validOrderStateIds(states: readonly OrderStateView[]): number[] {
  return states
    .filter((state) => state.logable && state.paid && !state.deleted)
    .map((state) => state.id)
}
