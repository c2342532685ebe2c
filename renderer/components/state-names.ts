import type { OrderStateView } from '../../preload/contract'

/** Status names seen in this session, per profile, so the history can name statuses. */
const known = new Map<number, ReadonlyMap<number, OrderStateView>>()

export function rememberStates(profileId: number, states: readonly OrderStateView[]): void {
  known.set(profileId, new Map(states.map((state) => [state.id, state])))
}

export function stateOf(profileId: number | null, stateId: number): OrderStateView | null {
  if (profileId === null) return null
  return known.get(profileId)?.get(stateId) ?? null
}
