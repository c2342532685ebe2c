import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import type {
  OrderCountView,
  Result,
  RuleViolationView,
  SendingRulesView,
  SendingSummary,
  StoreLookup,
} from '../../preload/contract'
import {
  canAdvance,
  datesReady,
  isRateLimitValid,
  toDay,
  visibleStates,
} from '../../renderer/components/send-wizard/wizard-selectors'
import {
  initialWizardState,
  wizardReducer,
  type WizardAction,
  type WizardState,
} from '../../renderer/components/send-wizard/wizard-state'

const RULES: SendingRulesView = {
  timezone: 'Europe/Madrid',
  today: '2025-06-30',
  earliestStart: '2020-07-01',
  latestEnd: '2025-06-30',
  violations: [],
}

const LOOKUP = {
  states: [
    { id: 2, name: 'Paid', color: '#32CD32', deleted: false },
    { id: 6, name: 'Cancelled', color: '#DC143C', deleted: false },
    { id: 9, name: 'Old', color: '#999999', deleted: true },
    { id: 10, name: 'Gone', color: '#999999', deleted: true },
  ],
} as unknown as StoreLookup

const COUNTS: OrderCountView = {
  from: '2025-01-01',
  to: '2025-06-29',
  total: 12,
  byState: { '2': 10, '9': 2 },
  byShop: { '1': 12 },
}

const SUMMARY = { ordersToSend: 12 } as SendingSummary
const PROFILE = { defaultStateIds: [2, 6] }
const ERROR = { code: 'store_unreachable', message: 'The store cannot be reached.' }

const NEXT: WizardAction = { type: 'next', profile: PROFILE }
const BACK: WizardAction = { type: 'back' }
const initial = () => initialWizardState({ profileId: 1, defaultRateLimit: 100 })
const day = (iso: string) => DateTime.fromISO(iso)
const rulesLoaded = (profileId: number, result: Result<SendingRulesView>): WizardAction => ({
  type: 'rulesLoaded',
  profileId,
  result,
})

function run(state: WizardState, ...actions: WizardAction[]): WizardState {
  return actions.reduce(wizardReducer, state)
}

/** A wizard with its range picked and checked, on the dates step. */
function onDatesReady(): WizardState {
  return run(
    initial(),
    NEXT,
    { type: 'fromChanged', value: day('2025-01-01') },
    { type: 'toChanged', value: day('2025-06-29') },
    { type: 'rulesRequested' },
    rulesLoaded(1, { ok: true, data: RULES }),
  )
}

describe('the send wizard state', () => {
  it('starts on the profile step with the first profile and the default options', () => {
    expect(initial()).toMatchObject({
      step: 0,
      profileId: 1,
      from: null,
      to: null,
      stateIds: [],
      showErrors: false,
      noWorkflows: true,
      createContacts: true,
      createProducts: true,
      rateLimit: '100',
      mode: 'progress',
    })
    expect(initialWizardState({ profileId: '', defaultRateLimit: 60 }).rateLimit).toBe('60')
  })

  it('choosing another profile drops what was read for the previous one', () => {
    const loaded = run(
      onDatesReady(),
      { type: 'statusesLoaded', lookup: LOOKUP, counts: COUNTS },
      { type: 'summaryLoaded', result: { ok: false, error: ERROR } },
      BACK,
    )
    const state = wizardReducer(loaded, { type: 'profileChosen', profileId: 2 })
    expect(state).toMatchObject({
      profileId: 2,
      rules: null,
      rulesLoading: false,
      lookup: null,
      counts: null,
      summary: null,
      summaryError: null,
    })
    // The range stays picked; choosing the same profile again changes nothing.
    expect(toDay(state.from)).toBe('2025-01-01')
    expect(wizardReducer(state, { type: 'profileChosen', profileId: 2 })).toBe(state)
  })

  it('leaving the profile step loads the profile default statuses', () => {
    const state = run(initial(), { type: 'statesChosen', stateIds: [5] }, NEXT)
    expect(state).toMatchObject({ step: 1, stateIds: [2, 6] })
  })

  it('refuses to leave the profile step without a profile, and says so', () => {
    const state = wizardReducer(initial(), { type: 'next', profile: null })
    expect(state).toMatchObject({ step: 0, showErrors: true })
  })

  it('the dates are ready only once both are picked, checked, and break no rule', () => {
    let state = run(initial(), NEXT, { type: 'fromChanged', value: day('2025-01-01') })
    expect(toDay(state.from)).toBe('2025-01-01')
    expect(datesReady(state)).toBe(false)
    state = run(state, { type: 'toChanged', value: day('2025-06-29') }, { type: 'rulesRequested' })
    expect(state.rulesLoading).toBe(true)
    expect(datesReady(state)).toBe(false)
    const violation: RuleViolationView = {
      field: 'to',
      code: 'range_over_one_year',
      message: '',
      params: {},
    }
    const broken: SendingRulesView = { ...RULES, violations: [violation] }
    state = wizardReducer(state, rulesLoaded(1, { ok: true, data: broken }))
    expect(state.rulesLoading).toBe(false)
    expect(datesReady(state)).toBe(false)
    expect(wizardReducer(state, NEXT)).toMatchObject({ step: 1, showErrors: true })
    expect(datesReady(onDatesReady())).toBe(true)
  })

  it('an invalid day is no day', () => {
    const state = wizardReducer(initial(), { type: 'fromChanged', value: day('2025-02-30') })
    expect(state.from).not.toBeNull()
    expect(toDay(state.from)).toBeNull()
  })

  it('keeps the rules on a failed check, and drops an answer about another profile', () => {
    const ready = onDatesReady()
    const failed = run(
      ready,
      { type: 'rulesRequested' },
      rulesLoaded(1, { ok: false, error: ERROR }),
    )
    expect(failed).toMatchObject({ rules: RULES, rulesError: ERROR, rulesLoading: false })
    expect(wizardReducer(ready, rulesLoaded(2, { ok: false, error: ERROR }))).toBe(ready)
  })

  it('toggles statuses, selects all or none, and needs one to go on', () => {
    let state = run(onDatesReady(), NEXT, { type: 'statusesRequested' })
    expect(state.step).toBe(2)
    state = wizardReducer(state, { type: 'statusesLoaded', lookup: LOOKUP, counts: COUNTS })
    expect(state.lookup).toBe(LOOKUP)
    state = wizardReducer(state, { type: 'stateToggled', stateId: 9, checked: true })
    expect(state.stateIds).toEqual([2, 6, 9])
    state = wizardReducer(state, { type: 'stateToggled', stateId: 2, checked: false })
    expect(state.stateIds).toEqual([6, 9])
    expect(wizardReducer(state, { type: 'stateToggled', stateId: 6, checked: true })).toBe(state)
    const refused = run(state, { type: 'statesChosen', stateIds: [] }, NEXT)
    expect(refused).toMatchObject({ step: 2, showErrors: true })
    // Every live status, and a deleted one only when orders of the range have it.
    const all = visibleStates(state.lookup, state.counts).map((each) => each.id)
    expect(all).toEqual([2, 6, 9])
    const next = run(refused, { type: 'statesChosen', stateIds: all }, NEXT)
    expect(next).toMatchObject({ step: 3, showErrors: false, stateIds: [2, 6, 9] })
  })

  it('a failed status read clears the statuses and says why', () => {
    const state = run(
      onDatesReady(),
      { type: 'statusesLoaded', lookup: LOOKUP, counts: COUNTS },
      { type: 'statusesRequested' },
      { type: 'statusesFailed', error: ERROR },
    )
    expect(state).toMatchObject({ lookup: null, counts: null, statusError: ERROR })
  })

  it('sets the options and checks the rate limit', () => {
    let state = run(
      initial(),
      { type: 'optionChanged', option: 'noWorkflows', value: false },
      { type: 'optionChanged', option: 'createProducts', value: false },
      { type: 'modeChanged', mode: 'background' },
    )
    expect(state).toMatchObject({ noWorkflows: false, createContacts: true, createProducts: false })
    expect(state.mode).toBe('background')
    const rate = (value: string) => wizardReducer(state, { type: 'rateLimitChanged', value })
    for (const bad of ['', '0', '1.5', 'abc', '100001', '-3'])
      expect(isRateLimitValid(rate(bad))).toBe(false)
    for (const good of ['1', '600', ' 1200 ', '100000'])
      expect(isRateLimitValid(rate(good))).toBe(true)
    state = { ...state, step: 3 }
    expect(canAdvance(rate('0'), true)).toBe(false)
    expect(wizardReducer(state, NEXT).step).toBe(4)
  })

  it('goes back one step at a time, never before the first, keeping the choices', () => {
    const state = run(onDatesReady(), NEXT, BACK)
    expect(state).toMatchObject({ step: 1, stateIds: [2, 6] })
    const first = run(state, BACK)
    expect(first.step).toBe(0)
    expect(wizardReducer(first, BACK)).toBe(first)
  })

  it('never goes past the summary', () => {
    const summary = { ...onDatesReady(), step: 4 }
    expect(canAdvance(summary, true)).toBe(false)
    expect(wizardReducer(summary, NEXT).step).toBe(4)
  })

  it('loads the summary, then starts the sending and returns to the first step', () => {
    let state = run({ ...onDatesReady(), step: 4 }, { type: 'summaryRequested' })
    expect(state.summary).toBeNull()
    state = wizardReducer(state, { type: 'summaryLoaded', result: { ok: true, data: SUMMARY } })
    expect(state.summary).toBe(SUMMARY)
    state = wizardReducer(state, { type: 'startRequested' })
    expect(state).toMatchObject({ starting: true, startError: null })
    const failed = wizardReducer(state, { type: 'startFailed', error: ERROR })
    expect(failed).toMatchObject({ starting: false, startError: ERROR, step: 4 })
    const started = wizardReducer(state, { type: 'started' })
    expect(started).toMatchObject({ starting: false, step: 0, summary: null })
    expect(toDay(started.to)).toBe('2025-06-29')
  })
})
