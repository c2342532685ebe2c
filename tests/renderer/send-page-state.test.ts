/**
 * The send page's state, its selectors and its date presets (renderer/components/send-page/),
 * on plain Node: the range offered at first and the presets clipped to the date rules, the
 * statuses grouped as PrestaShop sees them with their subtotals, why nothing can be sent, the
 * confirmation's acceptance of statuses that are not validated, and the reset once a sending starts.
 */
import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import type {
  OrderCountView,
  OrderStateView,
  Result,
  RuleViolationView,
  SendingRulesView,
  SendingSummary,
  StoreLookup,
} from '../../preload/contract'
import { datePresets } from '../../renderer/components/send-page/date-presets'
import {
  datesReady,
  isRateLimitValid,
  notValidatedPicked,
  selectedOrders,
  sendBlocker,
  statusGroups,
  toDay,
} from '../../renderer/components/send-page/send-selectors'
import {
  initialSendState,
  sendReducer,
  type SendAction,
  type SendState,
} from '../../renderer/components/send-page/send-state'

const RULES: SendingRulesView = {
  timezone: 'Europe/Madrid',
  today: '2025-06-30',
  earliestStart: '2020-06-30',
  latestEnd: '2025-06-30',
  violations: [],
}

const FLAGS = { paid: false, logable: false, shipped: false, hidden: false, deleted: false }
const state = (id: number, name: string, flags: Partial<OrderStateView> = {}): OrderStateView => ({
  id,
  name,
  color: '#32CD32',
  cancelled: false,
  ...FLAGS,
  ...flags,
})

const LOOKUP = {
  orderDays: { first: '2019-03-01', last: '2025-06-28' },
  states: [
    state(1, 'Awaiting check payment'),
    state(2, 'Payment accepted', { paid: true, logable: true }),
    state(4, 'Shipped', { paid: true, logable: true, shipped: true }),
    // Paid, yet not counted by PrestaShop's sales statistics: still a validated sale.
    state(5, 'On backorder (paid)', { paid: true }),
    state(6, 'Canceled', { cancelled: true }),
    state(7, 'Refunded', { paid: true, cancelled: true }),
    state(9, 'Old paid', { paid: true, logable: true, deleted: true }),
    state(10, 'Gone', { deleted: true }),
  ],
} as unknown as StoreLookup

const COUNTS: OrderCountView = {
  from: '2024-07-01',
  to: '2025-06-30',
  total: 20,
  byState: { '1': 3, '2': 10, '6': 5, '9': 2 },
  byShop: { '1': 20 },
}

const ERROR = { code: 'store_unreachable', message: 'The store cannot be reached.' }
const summary = (ordersToSend: number, alreadySent = 0) =>
  ({ ordersToSend, alreadySent }) as SendingSummary

const initial = () =>
  initialSendState({ profileId: 1, defaultStateIds: [2, 4], defaultRateLimit: 100 })

function run(from: SendState, ...actions: SendAction[]): SendState {
  return actions.reduce(sendReducer, from)
}

const rulesLoaded = (result: Result<SendingRulesView>, profileId = 1): SendAction => ({
  type: 'rulesLoaded',
  profileId,
  result,
})

/** Rules read, the last 12 months offered, the store's statuses and the range's counts read. */
function counted(): SendState {
  return run(
    initial(),
    { type: 'rulesRequested' },
    rulesLoaded({ ok: true, data: RULES }),
    { type: 'lookupLoaded', profileId: 1, result: { ok: true, data: LOOKUP } },
    { type: 'countsLoaded', profileId: 1, result: { ok: true, data: COUNTS } },
  )
}

describe('the send page state', () => {
  it('starts on the profile with its default statuses and the default options', () => {
    expect(initial()).toMatchObject({
      profileId: 1,
      from: null,
      to: null,
      stateIds: [2, 4],
      noWorkflows: true,
      createContacts: true,
      createProducts: true,
      skipSent: true,
      rateLimit: '100',
      confirming: false,
    })
  })

  it('offers the last 12 months once it knows the shop’s today, until a range is picked', () => {
    const offered = counted()
    expect(toDay(offered.from)).toBe('2024-07-01')
    expect(toDay(offered.to)).toBe('2025-06-30')
    expect(offered.preset).toEqual({ id: 'last12Months', clips: [] })
    expect(datesReady(offered)).toBe(true)

    // A day picked by hand is the merchant's: the rules arriving again do not change it.
    const picked = run(
      offered,
      { type: 'fromChanged', value: null },
      { type: 'toChanged', value: null },
      rulesLoaded({ ok: true, data: RULES }),
    )
    expect(picked).toMatchObject({ from: null, to: null, preset: null, rangeChosen: true })
  })

  it('choosing another profile drops what was read for the previous one', () => {
    const loaded = run(counted(), {
      type: 'summaryLoaded',
      profileId: 1,
      result: { ok: true, data: summary(12) },
    })
    const other = sendReducer(loaded, { type: 'profileChosen', profileId: 2, defaultStateIds: [4] })
    expect(other).toMatchObject({
      profileId: 2,
      stateIds: [4],
      rules: null,
      lookup: null,
      counts: null,
      summary: null,
      check: null,
    })
    expect(toDay(other.from)).toBe('2024-07-01')
    // Answers about the previous profile are dropped.
    expect(sendReducer(other, rulesLoaded({ ok: false, error: ERROR }, 1))).toBe(other)
    expect(
      sendReducer(other, {
        type: 'checkLoaded',
        profileId: 1,
        result: { ok: false, error: ERROR },
      }),
    ).toBe(other)
  })

  it('keeps the check of a profile shown while it runs again', () => {
    const test = { ok: true as const, data: { store: { ok: true }, accounts: [] } as never }
    const checked = run(
      initial(),
      { type: 'checkStarted', profileId: 1 },
      { type: 'checkLoaded', profileId: 1, result: test },
    )
    expect(checked.check).toEqual({ profileId: 1, running: false, result: test })
    expect(sendReducer(checked, { type: 'checkStarted', profileId: 1 }).check).toEqual({
      profileId: 1,
      running: true,
      result: test,
    })
  })

  it('the dates are ready only once both are picked, checked, and break no rule', () => {
    const violation: RuleViolationView = {
      field: 'to',
      code: 'range_over_one_year',
      message: '',
      params: {},
    }
    const broken = run(
      counted(),
      { type: 'toChanged', value: DateTime.fromISO('2025-08-01') },
      { type: 'rulesRequested' },
    )
    expect(datesReady(broken)).toBe(false)
    expect(sendBlocker(broken)).toBe('waiting')
    const refused = sendReducer(
      broken,
      rulesLoaded({ ok: true, data: { ...RULES, violations: [violation] } }),
    )
    expect(datesReady(refused)).toBe(false)
    expect(sendBlocker(refused)).toBe('dates')
  })

  it('an invalid day is no day, and an invalid rate limit is said', () => {
    const invalid = sendReducer(initial(), {
      type: 'fromChanged',
      value: DateTime.fromISO('2025-02-30'),
    })
    expect(toDay(invalid.from)).toBeNull()
    const rate = (value: string) => sendReducer(counted(), { type: 'rateLimitChanged', value })
    for (const bad of ['', '0', '1.5', 'abc', '100001', '-3'])
      expect(isRateLimitValid(rate(bad))).toBe(false)
    for (const good of ['1', '600', ' 1200 ', '100000'])
      expect(isRateLimitValid(rate(good))).toBe(true)
    expect(sendBlocker(rate('0'))).toBe('rate_limit')
  })
})

describe('the statuses, grouped as PrestaShop sees them', () => {
  it('puts the logable ones, the ones not paid yet and the cancelled ones apart, with subtotals', () => {
    const groups = statusGroups(LOOKUP, COUNTS)
    expect(
      groups.map((group) => ({
        id: group.id,
        states: group.lines.map((line) => [line.state.id, line.orders]),
        orders: group.orders,
      })),
    ).toEqual([
      // A deleted status shows only when orders of the range have it (9, not 10).
      {
        id: 'validated',
        states: [
          [2, 10],
          [4, 0],
          [5, 0],
          [9, 2],
        ],
        orders: 12,
      },
      { id: 'notPaid', states: [[1, 3]], orders: 3 },
      {
        id: 'cancelled',
        states: [
          [6, 5],
          [7, 0],
        ],
        orders: 5,
      },
    ])
  })

  it('adds up the orders of the statuses picked, and tells which are not validated', () => {
    const picked = run(counted(), { type: 'stateToggled', stateId: 6, checked: true })
    expect(picked.stateIds).toEqual([2, 4, 6])
    expect(selectedOrders(picked)).toBe(15)
    expect(notValidatedPicked(picked).map((each) => each.id)).toEqual([6])
    expect(selectedOrders({ counts: null, stateIds: [2] })).toBeNull()
    // Toggling a status to what it is changes nothing.
    expect(sendReducer(picked, { type: 'stateToggled', stateId: 6, checked: true })).toBe(picked)
  })
})

describe('why nothing can be sent', () => {
  it('no status, statuses without orders, every order already sent', () => {
    const none = run(counted(), { type: 'statesChosen', stateIds: [] })
    expect(sendBlocker(none)).toBe('no_states')
    const empty = run(counted(), { type: 'statesChosen', stateIds: [4, 7] })
    expect(selectedOrders(empty)).toBe(0)
    expect(sendBlocker(empty)).toBe('no_orders')
    const waiting = counted()
    expect(sendBlocker(waiting)).toBe('waiting')
    const sent = sendReducer(waiting, {
      type: 'summaryLoaded',
      profileId: 1,
      result: { ok: true, data: summary(10, 10) },
    })
    expect(sendBlocker(sent)).toBe('all_sent')
    const ready = sendReducer(waiting, {
      type: 'summaryLoaded',
      profileId: 1,
      result: { ok: true, data: summary(10, 4) },
    })
    expect(sendBlocker(ready)).toBeNull()
  })

  it('a store that cannot be read, or a sending main refuses, is said as such', () => {
    const unread = sendReducer(counted(), {
      type: 'countsLoaded',
      profileId: 1,
      result: { ok: false, error: ERROR },
    })
    expect(sendBlocker(unread)).toBe('store_error')
    const refused = sendReducer(counted(), {
      type: 'summaryLoaded',
      profileId: 1,
      result: { ok: false, error: ERROR },
    })
    expect(sendBlocker(refused)).toBe('summary_error')
    expect(sendBlocker({ ...initial(), profileId: '' })).toBe('no_profile')
  })
})

describe('the confirmation and the sending', () => {
  it('opens afresh, drops a late answer once closed, and asks again about risky statuses', () => {
    const open = run(
      counted(),
      { type: 'notValidatedAccepted', value: true },
      { type: 'confirmOpened' },
    )
    expect(open).toMatchObject({ confirming: true, skips: null, notValidatedAccepted: false })
    const skips = { orders: 20, skipped: 2, byReason: [{ code: 'customer_deleted', orders: 2 }] }
    const read = sendReducer(open, { type: 'skipsLoaded', result: { ok: true, data: skips } })
    expect(read.skips).toBe(skips)
    const closed = sendReducer(read, { type: 'confirmClosed' })
    expect(closed.confirming).toBe(false)
    expect(sendReducer(closed, { type: 'skipsLoaded', result: { ok: true, data: skips } })).toBe(
      closed,
    )
    // While a sending starts, the dialog stays.
    const starting = sendReducer(read, { type: 'startRequested' })
    expect(sendReducer(starting, { type: 'confirmClosed' })).toBe(starting)
  })

  it('starts again from the profile’s defaults and the last 12 months once a sending starts', () => {
    const chosen = run(
      counted(),
      { type: 'statesChosen', stateIds: [1, 2, 6] },
      { type: 'optionChanged', option: 'skipSent', value: false },
      { type: 'fromChanged', value: DateTime.fromISO('2025-01-01') },
      { type: 'confirmOpened' },
      { type: 'startRequested' },
    )
    const failed = sendReducer(chosen, { type: 'startFailed', error: ERROR })
    expect(failed).toMatchObject({ starting: false, startError: ERROR, confirming: true })
    const started = sendReducer(chosen, { type: 'started', defaultStateIds: [2, 4] })
    expect(started).toMatchObject({
      profileId: 1,
      stateIds: [2, 4],
      skipSent: true,
      confirming: false,
      starting: false,
      preset: { id: 'last12Months', clips: [] },
      lookup: LOOKUP,
    })
    expect(toDay(started.from)).toBe('2024-07-01')
  })
})

describe('the date presets', () => {
  const presets = (today: string, orderDays: { first: string; last: string } | null) =>
    Object.fromEntries(
      datePresets({ today, orderDays }).map((each) => [
        each.id,
        { from: each.from, to: each.to, clips: each.clips },
      ]),
    )

  it('the last 12 months, this year and last year, within the rules', () => {
    expect(presets('2025-06-30', null)).toEqual({
      last12Months: { from: '2024-07-01', to: '2025-06-30', clips: [] },
      thisYear: { from: '2025-01-01', to: '2025-06-30', clips: [] },
      lastYear: { from: '2024-01-01', to: '2024-12-31', clips: [] },
    })
    // A leap day: one year back from 28 February is 29 February… plus one day.
    expect(presets('2025-02-28', null)['last12Months']).toMatchObject({ from: '2024-02-29' })
  })

  it('all orders in one preset when they fit in one range the rules allow', () => {
    expect(presets('2025-06-30', { first: '2025-01-10', last: '2025-06-28' })['allOrders']).toEqual(
      { from: '2025-01-10', to: '2025-06-28', clips: [] },
    )
  })

  it('from the first order and to the last, each clipped to the rules, saying how', () => {
    const clipped = presets('2025-06-30', { first: '2019-03-01', last: '2025-06-28' })
    expect(clipped['allOrders']).toBeUndefined()
    expect(clipped['fromFirstOrder']).toEqual({
      from: '2020-06-30',
      to: '2021-06-29',
      clips: [
        { code: 'start_five_years', day: '2020-06-30' },
        { code: 'end_one_year', day: '2021-06-29' },
      ],
    })
    expect(clipped['toLastOrder']).toEqual({
      from: '2024-06-29',
      to: '2025-06-28',
      clips: [{ code: 'start_one_year', day: '2024-06-29' }],
    })
    // An order dated after today (a clock set wrong) ends the range today.
    const ahead = presets('2025-06-30', { first: '2025-06-01', last: '2025-07-02' })
    expect(ahead['allOrders']).toEqual({ from: '2025-06-01', to: '2025-06-30', clips: [] })
  })

  it('no order preset without orders the rules can reach', () => {
    expect(Object.keys(presets('2025-06-30', { first: '2010-01-01', last: '2012-01-01' }))).toEqual(
      ['last12Months', 'thisYear', 'lastYear'],
    )
  })
})
