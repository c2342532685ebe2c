/**
 * The send page's state: what the merchant chose (profile, range, statuses, options) and what
 * main answered (date rules, the store's statuses and order days, counts, the profile's check,
 * the summary and the expected skips), the actions that change it, and a pure reducer. No React
 * here, so vitest runs it on plain Node. What is derived from it is in send-selectors.ts.
 *
 * It lives above the pages (send-page-store.tsx), so a trip to the history keeps it; it starts
 * again, on the same profile, once a sending has started.
 */
import { DateTime } from 'luxon'
import type {
  AppErrorValue,
  ConnectionTest,
  ExpectedSkipsView,
  OrderCountView,
  Result,
  SendingRulesView,
  SendingSummary,
  StoreLookup,
  WeeklyCountsView,
} from '../../../preload/contract'
import { datePresets, type PresetClip, type PresetId } from './date-presets'

export type SendMode = 'progress' | 'background'

/** The switches of the Advanced section. */
export type SendOption = 'noWorkflows' | 'createContacts' | 'createProducts' | 'skipSent'

/** A profile's quick check (its store and every Connectif key), as the page last ran it. */
export interface ProfileCheck {
  readonly profileId: number
  readonly running: boolean
  readonly result: Result<ConnectionTest> | null
}

export interface SendState {
  readonly profileId: number | ''
  readonly from: DateTime | null
  readonly to: DateTime | null
  /**
   * The merchant picked a day or a preset: until then, the page offers the last 12 months as
   * soon as it knows the shop's today.
   */
  readonly rangeChosen: boolean
  /** The preset the dates come from, while they still do, with what it clipped. */
  readonly preset: { readonly id: PresetId; readonly clips: readonly PresetClip[] } | null
  /** The date rules for the profile and the days picked (today and limits in the shop's zone). */
  readonly rules: SendingRulesView | null
  readonly rulesLoading: boolean
  readonly rulesError: AppErrorValue | null
  /** The store's statuses (with their groups) and its first and last order days. */
  readonly lookup: StoreLookup | null
  readonly lookupError: AppErrorValue | null
  /**
   * Orders per status in the range. While another range is counted, the previous counts stay
   * shown (the statuses do not blink away at each change of date) and `countsLoading` is set.
   */
  readonly counts: OrderCountView | null
  readonly countsLoading: boolean
  readonly countsError: AppErrorValue | null
  /** The range's orders per week and status, for the chart (its failure leaves the page usable). */
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
  /** What the sending would do, kept up to date as the choices change. */
  readonly summary: SendingSummary | null
  readonly summaryError: AppErrorValue | null
  readonly check: ProfileCheck | null
  /** The confirmation dialog is open. */
  readonly confirming: boolean
  /** The orders the sending would skip, by reason: read when the confirmation opens. */
  readonly skips: ExpectedSkipsView | null
  readonly skipsError: AppErrorValue | null
  /** The merchant confirmed sending statuses that are not validated (paid) ones. */
  readonly notValidatedAccepted: boolean
  readonly starting: boolean
  readonly startError: AppErrorValue | null
}

type Loaded<T> = Result<T>

export type SendAction =
  /** `defaultStateIds`: the profile's default statuses, which the page starts from. */
  | {
      readonly type: 'profileChosen'
      readonly profileId: number
      readonly defaultStateIds: readonly number[]
    }
  | { readonly type: 'fromChanged'; readonly value: DateTime | null }
  | { readonly type: 'toChanged'; readonly value: DateTime | null }
  | {
      readonly type: 'presetApplied'
      readonly id: PresetId
      readonly from: DateTime
      readonly to: DateTime
      readonly clips: readonly PresetClip[]
    }
  | { readonly type: 'rulesRequested' }
  /** `profileId`: the profile asked about; an answer for another one is dropped (so below). */
  | {
      readonly type: 'rulesLoaded'
      readonly profileId: number
      readonly result: Loaded<SendingRulesView>
    }
  | {
      readonly type: 'lookupLoaded'
      readonly profileId: number
      readonly result: Loaded<StoreLookup>
    }
  | { readonly type: 'countsRequested' }
  | {
      readonly type: 'countsLoaded'
      readonly profileId: number
      readonly result: Loaded<OrderCountView>
    }
  | {
      readonly type: 'weeksLoaded'
      readonly profileId: number
      readonly result: Loaded<WeeklyCountsView>
    }
  | { readonly type: 'statesChosen'; readonly stateIds: readonly number[] }
  | { readonly type: 'stateToggled'; readonly stateId: number; readonly checked: boolean }
  | { readonly type: 'optionChanged'; readonly option: SendOption; readonly value: boolean }
  | { readonly type: 'rateLimitChanged'; readonly value: string }
  | { readonly type: 'summaryRequested' }
  | {
      readonly type: 'summaryLoaded'
      readonly profileId: number
      readonly result: Loaded<SendingSummary>
    }
  | { readonly type: 'checkStarted'; readonly profileId: number }
  | {
      readonly type: 'checkLoaded'
      readonly profileId: number
      readonly result: Loaded<ConnectionTest>
    }
  | { readonly type: 'confirmOpened' }
  | { readonly type: 'confirmClosed' }
  | { readonly type: 'skipsLoaded'; readonly result: Loaded<ExpectedSkipsView> }
  | { readonly type: 'notValidatedAccepted'; readonly value: boolean }
  | { readonly type: 'startRequested' }
  | { readonly type: 'startFailed'; readonly error: AppErrorValue }
  /** `defaultStateIds`: the profile's, which the page starts again from. */
  | { readonly type: 'started'; readonly defaultStateIds: readonly number[] }

export type SendDispatch = (action: SendAction) => void

/** What is read from the store: nothing at first, and dropped when the profile changes. */
const STORE_READS = {
  rules: null,
  rulesLoading: false,
  rulesError: null,
  lookup: null,
  lookupError: null,
  counts: null,
  countsLoading: false,
  countsError: null,
  weeks: null,
  weeksError: null,
  summary: null,
  summaryError: null,
  check: null,
} as const satisfies Partial<SendState>

export function initialSendState(init: {
  readonly profileId: number | ''
  readonly defaultStateIds: readonly number[]
  readonly defaultRateLimit: number
}): SendState {
  return {
    profileId: init.profileId,
    from: null,
    to: null,
    rangeChosen: false,
    preset: null,
    ...STORE_READS,
    stateIds: init.defaultStateIds,
    noWorkflows: true,
    createContacts: true,
    createProducts: true,
    skipSent: true,
    rateLimit: String(init.defaultRateLimit),
    confirming: false,
    skips: null,
    skipsError: null,
    notValidatedAccepted: false,
    starting: false,
    startError: null,
  }
}

/**
 * A choice changed: a failed start no longer applies. The summary is not dropped here: the data
 * hook asks it again (and drops it) exactly when one of its inputs changed.
 */
const CHOICE_CHANGED = { startError: null } as const

export function sendReducer(state: SendState, action: SendAction): SendState {
  switch (action.type) {
    case 'profileChosen':
      if (action.profileId === state.profileId) return state
      return {
        ...state,
        ...STORE_READS,
        ...CHOICE_CHANGED,
        profileId: action.profileId,
        stateIds: action.defaultStateIds,
      }
    case 'fromChanged':
      return { ...state, ...CHOICE_CHANGED, from: action.value, preset: null, rangeChosen: true }
    case 'toChanged':
      return { ...state, ...CHOICE_CHANGED, to: action.value, preset: null, rangeChosen: true }
    case 'presetApplied':
      return {
        ...state,
        ...CHOICE_CHANGED,
        rangeChosen: true,
        from: action.from,
        to: action.to,
        preset: { id: action.id, clips: action.clips },
      }
    case 'rulesRequested':
      return { ...state, rulesLoading: true }
    case 'rulesLoaded':
      if (action.profileId !== state.profileId) return state
      if (!action.result.ok)
        return { ...state, rulesLoading: false, rulesError: action.result.error }
      return withDefaultRange({
        ...state,
        rulesLoading: false,
        rules: action.result.data,
        rulesError: null,
      })
    case 'lookupLoaded':
      if (action.profileId !== state.profileId) return state
      return action.result.ok
        ? { ...state, lookup: action.result.data, lookupError: null }
        : { ...state, lookup: null, lookupError: action.result.error }
    case 'countsRequested':
      return { ...state, countsLoading: true, countsError: null, weeksError: null }
    case 'countsLoaded':
      if (action.profileId !== state.profileId) return state
      return action.result.ok
        ? { ...state, counts: action.result.data, countsLoading: false, countsError: null }
        : { ...state, counts: null, countsLoading: false, countsError: action.result.error }
    case 'weeksLoaded':
      if (action.profileId !== state.profileId) return state
      return action.result.ok
        ? { ...state, weeks: action.result.data, weeksError: null }
        : { ...state, weeks: null, weeksError: action.result.error }
    case 'statesChosen':
      return { ...state, ...CHOICE_CHANGED, stateIds: action.stateIds }
    case 'stateToggled': {
      const { stateId, checked } = action
      if (checked === state.stateIds.includes(stateId)) return state
      const stateIds = checked
        ? [...state.stateIds, stateId]
        : state.stateIds.filter((id) => id !== stateId)
      return { ...state, ...CHOICE_CHANGED, stateIds }
    }
    case 'optionChanged':
      return { ...state, ...CHOICE_CHANGED, [action.option]: action.value }
    case 'rateLimitChanged':
      return { ...state, ...CHOICE_CHANGED, rateLimit: action.value }
    case 'summaryRequested':
      return { ...state, summary: null, summaryError: null }
    case 'summaryLoaded':
      if (action.profileId !== state.profileId) return state
      return action.result.ok
        ? { ...state, summary: action.result.data, summaryError: null }
        : { ...state, summary: null, summaryError: action.result.error }
    case 'checkStarted':
      return {
        ...state,
        check: {
          profileId: action.profileId,
          running: true,
          // The last answer for this profile stays shown while it is checked again.
          result: state.check?.profileId === action.profileId ? state.check.result : null,
        },
      }
    case 'checkLoaded':
      if (action.profileId !== state.profileId) return state
      return {
        ...state,
        check: { profileId: action.profileId, running: false, result: action.result },
      }
    case 'confirmOpened':
      return {
        ...state,
        confirming: true,
        skips: null,
        skipsError: null,
        notValidatedAccepted: false,
        startError: null,
      }
    case 'confirmClosed':
      return state.starting ? state : { ...state, confirming: false }
    case 'skipsLoaded':
      if (!state.confirming) return state
      return action.result.ok
        ? { ...state, skips: action.result.data, skipsError: null }
        : { ...state, skips: null, skipsError: action.result.error }
    case 'notValidatedAccepted':
      return { ...state, notValidatedAccepted: action.value }
    case 'startRequested':
      return { ...state, starting: true, startError: null }
    case 'startFailed':
      return { ...state, starting: false, startError: action.error }
    case 'started': {
      // A new sending starts from a clean page on the same profile and store.
      const fresh = initialSendState({
        profileId: state.profileId,
        defaultStateIds: action.defaultStateIds,
        defaultRateLimit: Number(state.rateLimit) || 1,
      })
      return withDefaultRange({
        ...fresh,
        rateLimit: state.rateLimit,
        rules: state.rules,
        lookup: state.lookup,
        check: state.check,
      })
    }
  }
}

/** The last 12 months up to the shop's today, until the merchant picks a range of their own. */
function withDefaultRange(state: SendState): SendState {
  if (state.rangeChosen || state.from !== null || state.to !== null || state.rules === null)
    return state
  const preset = datePresets({ today: state.rules.today, orderDays: null })[0]
  if (!preset) return state
  return {
    ...state,
    from: DateTime.fromISO(preset.from),
    to: DateTime.fromISO(preset.to),
    preset: { id: preset.id, clips: preset.clips },
  }
}
