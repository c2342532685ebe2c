/**
 * The send wizard's state: what the merchant chose on each step and what the store answered, the
 * actions that change it, and a pure reducer. No React here, so vitest runs it on plain Node. What
 * is derived from it (the picked days, whether Next may leave a step) is in wizard-selectors.ts.
 */
import type { DateTime } from 'luxon'
import type {
  AppErrorValue,
  OrderCountView,
  Result,
  SendingRulesView,
  SendingSummary,
  StoreLookup,
  WeeklyCountsView,
} from '../../../preload/contract'
import { canAdvance } from './wizard-selectors'
import { PROFILE_STEP } from './wizard-steps'

export type SendMode = 'progress' | 'background'

/** The switches of the options step. */
export type SendOption = 'noWorkflows' | 'createContacts' | 'createProducts' | 'skipSent'

export interface WizardState {
  readonly step: number
  readonly profileId: number | ''
  readonly from: DateTime | null
  readonly to: DateTime | null
  /** The date rules for the profile and the days picked (today and limits in the shop's zone). */
  readonly rules: SendingRulesView | null
  readonly rulesLoading: boolean
  readonly rulesError: AppErrorValue | null
  /** The store's statuses and how many orders each has in the range. */
  readonly lookup: StoreLookup | null
  readonly counts: OrderCountView | null
  readonly statusError: AppErrorValue | null
  /** The range's orders per week and status, for the chart (its failure leaves the step usable). */
  readonly weeks: WeeklyCountsView | null
  readonly weeksError: AppErrorValue | null
  readonly stateIds: readonly number[]
  readonly noWorkflows: boolean
  readonly createContacts: boolean
  readonly createProducts: boolean
  /** Leave out the orders already sent to their Connectif account (on unless unticked). */
  readonly skipSent: boolean
  /** As typed: validated by `isRateLimitValid`. */
  readonly rateLimit: string
  readonly mode: SendMode
  readonly summary: SendingSummary | null
  readonly summaryError: AppErrorValue | null
  readonly starting: boolean
  readonly startError: AppErrorValue | null
  /** Set when Next was refused: the step then says what is missing. */
  readonly showErrors: boolean
}

export type WizardAction =
  | { readonly type: 'profileChosen'; readonly profileId: number }
  | { readonly type: 'fromChanged'; readonly value: DateTime | null }
  | { readonly type: 'toChanged'; readonly value: DateTime | null }
  | { readonly type: 'rulesRequested' }
  /** `profileId`: the profile asked about; an answer for another one is dropped. */
  | {
      readonly type: 'rulesLoaded'
      readonly profileId: number
      readonly result: Result<SendingRulesView>
    }
  | { readonly type: 'statusesRequested' }
  | {
      readonly type: 'statusesLoaded'
      readonly lookup: StoreLookup
      readonly counts: OrderCountView
    }
  | { readonly type: 'statusesFailed'; readonly error: AppErrorValue }
  | { readonly type: 'weeksLoaded'; readonly result: Result<WeeklyCountsView> }
  | { readonly type: 'statesChosen'; readonly stateIds: readonly number[] }
  | { readonly type: 'stateToggled'; readonly stateId: number; readonly checked: boolean }
  | { readonly type: 'optionChanged'; readonly option: SendOption; readonly value: boolean }
  | { readonly type: 'rateLimitChanged'; readonly value: string }
  | { readonly type: 'modeChanged'; readonly mode: SendMode }
  | { readonly type: 'summaryRequested' }
  | { readonly type: 'summaryLoaded'; readonly result: Result<SendingSummary> }
  /** `profile`: the chosen profile (null when none is), whose default statuses step 0 loads. */
  | {
      readonly type: 'next'
      readonly profile: { readonly defaultStateIds: readonly number[] } | null
    }
  | { readonly type: 'back' }
  | { readonly type: 'startRequested' }
  | { readonly type: 'startFailed'; readonly error: AppErrorValue }
  | { readonly type: 'started' }

export type WizardDispatch = (action: WizardAction) => void

export function initialWizardState(init: {
  readonly profileId: number | ''
  readonly defaultRateLimit: number
}): WizardState {
  return {
    step: PROFILE_STEP,
    profileId: init.profileId,
    from: null,
    to: null,
    rules: null,
    rulesLoading: false,
    rulesError: null,
    lookup: null,
    counts: null,
    statusError: null,
    weeks: null,
    weeksError: null,
    stateIds: [],
    noWorkflows: true,
    createContacts: true,
    createProducts: true,
    skipSent: true,
    rateLimit: String(init.defaultRateLimit),
    mode: 'progress',
    summary: null,
    summaryError: null,
    starting: false,
    startError: null,
    showErrors: false,
  }
}

export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
  switch (action.type) {
    case 'profileChosen':
      if (action.profileId === state.profileId) return state
      // What was read for the previous profile no longer applies (each step reads it again).
      return {
        ...state,
        profileId: action.profileId,
        rules: null,
        rulesLoading: false,
        rulesError: null,
        lookup: null,
        counts: null,
        statusError: null,
        weeks: null,
        weeksError: null,
        summary: null,
        summaryError: null,
      }
    case 'fromChanged':
      return { ...state, from: action.value }
    case 'toChanged':
      return { ...state, to: action.value }
    case 'rulesRequested':
      return { ...state, rulesLoading: true }
    case 'rulesLoaded':
      if (action.profileId !== state.profileId) return state
      return action.result.ok
        ? { ...state, rulesLoading: false, rules: action.result.data, rulesError: null }
        : { ...state, rulesLoading: false, rulesError: action.result.error }
    case 'statusesRequested':
      return {
        ...state,
        statusError: null,
        lookup: null,
        counts: null,
        weeks: null,
        weeksError: null,
      }
    case 'statusesLoaded':
      return { ...state, lookup: action.lookup, counts: action.counts }
    case 'statusesFailed':
      return { ...state, statusError: action.error }
    case 'weeksLoaded':
      return action.result.ok
        ? { ...state, weeks: action.result.data, weeksError: null }
        : { ...state, weeks: null, weeksError: action.result.error }
    case 'statesChosen':
      return { ...state, stateIds: action.stateIds }
    case 'stateToggled': {
      const { stateId, checked } = action
      if (checked === state.stateIds.includes(stateId)) return state
      const stateIds = checked
        ? [...state.stateIds, stateId]
        : state.stateIds.filter((id) => id !== stateId)
      return { ...state, stateIds }
    }
    case 'optionChanged':
      return { ...state, [action.option]: action.value }
    case 'rateLimitChanged':
      return { ...state, rateLimit: action.value }
    case 'modeChanged':
      return { ...state, mode: action.mode }
    case 'summaryRequested':
      return { ...state, summary: null, summaryError: null }
    case 'summaryLoaded':
      return action.result.ok
        ? { ...state, summary: action.result.data }
        : { ...state, summaryError: action.result.error }
    case 'next': {
      if (!canAdvance(state, action.profile !== null)) return { ...state, showErrors: true }
      // Leaving the profile step starts the statuses from the profile's defaults.
      const stateIds =
        state.step === PROFILE_STEP && action.profile
          ? action.profile.defaultStateIds
          : state.stateIds
      return { ...state, showErrors: false, stateIds, step: state.step + 1 }
    }
    case 'back':
      return state.step > PROFILE_STEP ? { ...state, step: state.step - 1 } : state
    case 'startRequested':
      return { ...state, starting: true, startError: null }
    case 'startFailed':
      return { ...state, starting: false, startError: action.error }
    case 'started':
      return { ...state, starting: false, step: PROFILE_STEP, summary: null }
  }
}
