/** What the send wizard derives from its state: the picked days, whether a step may be left. */
import type { DateTime } from 'luxon'
import {
  MAX_RATE_LIMIT,
  type OrderCountView,
  type OrderStateView,
  type StoreLookup,
} from '../../../preload/contract'
import type { WizardState } from './wizard-state'
import { DATES_STEP, OPTIONS_STEP, PROFILE_STEP, STATUSES_STEP } from './wizard-steps'

/** A picked day as YYYY-MM-DD; null when none is picked or it is not a valid date. */
export function toDay(value: DateTime | null): string | null {
  return value && value.isValid ? value.toISODate() : null
}

export function rateLimitValue(state: WizardState): number {
  return Number(state.rateLimit)
}

export function isRateLimitValid(state: WizardState): boolean {
  const value = rateLimitValue(state)
  return /^\d+$/.test(state.rateLimit.trim()) && value >= 1 && value <= MAX_RATE_LIMIT
}

/** Both days picked, checked by main, and no rule broken. */
export function datesReady(state: WizardState): boolean {
  return (
    toDay(state.from) !== null &&
    toDay(state.to) !== null &&
    (state.rules?.violations.length ?? 0) === 0 &&
    !state.rulesLoading &&
    state.rules !== null
  )
}

/** Whether Next may leave the current step; `hasProfile`: the chosen profile exists. */
export function canAdvance(state: WizardState, hasProfile: boolean): boolean {
  switch (state.step) {
    case PROFILE_STEP:
      return hasProfile
    case DATES_STEP:
      return datesReady(state)
    case STATUSES_STEP:
      return state.stateIds.length > 0
    case OPTIONS_STEP:
      return isRateLimitValid(state)
    default:
      return false
  }
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
