// @vitest-environment happy-dom
/**
 * The send page's chart of the range's orders per week, stacked by status in the store's own
 * colours (renderer/components/send-page/WeeklyOrdersChart.tsx), over a fake API: drawn from
 * main's weekly counts, described in a sentence, its numbers a table a button away, and a chart
 * that could not be read said without holding the page up.
 */
import { cleanup, screen, within } from '@testing-library/react'
import type { UserEvent } from '@testing-library/user-event'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { StoreLookup, WeeklyCountsView } from '../../preload/contract'
import { SendPage } from '../../renderer/components/SendPage'
import { SendPageProvider } from '../../renderer/components/send-page/SendPageProvider'
import { weekChartData } from '../../renderer/components/send-page/week-chart'
import { giveChartsRoom } from './chart-room'
import { appInfo, failure, fakeApi, ok, profileView, type FakeAnswers } from './fake-api'
import { renderWithApp, type Language } from './render-with-app'

afterEach(cleanup)
let undoRoom: () => void
beforeAll(() => {
  undoRoom = giveChartsRoom()
})
afterAll(() => undoRoom())

const STATE = {
  paid: true,
  logable: true,
  shipped: false,
  hidden: false,
  deleted: false,
  cancelled: false,
}
const LOOKUP: StoreLookup = {
  version: '8.1.0',
  defaultShopId: 1,
  timezone: 'Europe/Madrid',
  shops: [{ id: 1, name: 'Shop', timezone: 'Europe/Madrid', active: true }],
  languages: [{ id: 1, isoCode: 'en', name: 'English', active: true }],
  currencies: [{ id: 1, isoCode: 'EUR', name: 'Euro', active: true }],
  languageId: 1,
  orderDays: null,
  states: [
    { ...STATE, id: 2, name: 'Payment accepted', color: '#32CD32' },
    { ...STATE, id: 4, name: 'Shipped', color: '#8A2BE2', shipped: true },
    // A 1.6 colour name: drawn in a neutral grey, as the status dots are.
    { ...STATE, id: 6, name: 'Canceled', color: 'Crimson', paid: false, logable: false },
  ],
}

/** 2025-06-02 to 2025-06-22: three weeks, the middle one empty. */
const WEEKS: WeeklyCountsView = {
  from: '2025-06-04',
  to: '2025-06-22',
  weeks: [
    { weekStart: '2025-06-02', stateId: 2, orders: 5 },
    { weekStart: '2025-06-02', stateId: 6, orders: 1 },
    { weekStart: '2025-06-16', stateId: 2, orders: 7 },
    { weekStart: '2025-06-16', stateId: 4, orders: 3 },
  ],
}

function openWizard(answers: FakeAnswers = {}, language: Language = 'en') {
  const api = fakeApi({
    sendingRules: () =>
      Promise.resolve(
        ok({
          timezone: 'Europe/Madrid',
          today: '2025-06-30',
          earliestStart: '2020-06-30',
          latestEnd: '2026-06-03',
          violations: [],
        }),
      ),
    lookupStore: () => Promise.resolve(ok(LOOKUP)),
    countOrders: (request) =>
      Promise.resolve(
        ok({ ...request, total: 16, byState: { '2': 12, '4': 3, '6': 1 }, byShop: { '1': 16 } }),
      ),
    weeklyCounts: () => Promise.resolve(ok(WEEKS)),
    ...answers,
  })
  const profiles = [profileView({ defaultStateIds: [2] })]
  return renderWithApp(
    <SendPageProvider info={appInfo()} profiles={profiles}>
      <SendPage profiles={profiles} onGoToProfiles={() => undefined} onStarted={() => undefined} />
    </SendPageProvider>,
    { api, language },
  )
}

async function enterDate(user: UserEvent, label: string, day: string): Promise<void> {
  const group = screen.getByRole('group', { name: label })
  const month = within(group).queryByRole('spinbutton', { name: /Month|Mes/ })
  if (month) await user.click(month)
  await user.keyboard('{Control>}a{/Control}')
  await user.paste(day)
}

/** The range 2025-06-04 to 2025-06-22 picked, its statuses counted. */
async function goToStatuses(user: UserEvent, labels = { from: 'Start date' }) {
  const english = labels.from === 'Start date'
  // The page offers the last 12 months first: the range is picked once they are there.
  await screen.findByRole('button', { name: english ? 'Last 12 months' : 'Últimos 12 meses' })
  await enterDate(user, labels.from, english ? '6/4/2025' : '4/6/2025')
  await enterDate(user, english ? 'End date' : 'Fecha de fin', english ? '6/22/2025' : '22/6/2025')
  await screen.findByTestId('selected-total')
}

describe("the send page's weekly chart", () => {
  it('stacks the range’s orders per week by status, in the store’s colours, from one request', async () => {
    const { user, api } = openWizard()
    await goToStatuses(user)
    const chart = await screen.findByRole('figure', { name: 'Orders per week, by status' })
    expect(api.requests('weeklyCounts').at(-1)).toEqual({
      profileId: 1,
      from: '2025-06-04',
      to: '2025-06-22',
    })
    // Said in words for whoever cannot see the drawing.
    expect(chart.getAttribute('aria-describedby')).toBeTruthy()
    expect(
      within(chart).getByText(
        '16 orders in 3 weeks; the busiest week, starting 6/16/2025, had 10.',
      ),
    ).toBeTruthy()
    // One bar series per status with orders, in the store's order, in its colour.
    const legend = [...chart.querySelectorAll('.MuiChartsLegend-series')].map((entry) => [
      entry.querySelector('.MuiChartsLegend-label')?.textContent,
      entry.querySelector('.MuiChartsLabelMark-fill')?.getAttribute('fill'),
    ])
    expect(legend).toEqual([
      ['Payment accepted', '#32CD32'],
      ['Shipped', '#8A2BE2'],
      ['Canceled', '#9e9e9e'],
    ])
    const bars = [...chart.querySelectorAll('.MuiBarChart-series')].map((series) =>
      [...series.querySelectorAll('rect')].map((bar) => bar.getAttribute('fill')),
    )
    // Three weeks a status, the empty one included (drawn as nothing).
    expect(bars).toEqual([
      ['#32CD32', '#32CD32', '#32CD32'],
      ['#8A2BE2', '#8A2BE2', '#8A2BE2'],
      ['#9e9e9e', '#9e9e9e', '#9e9e9e'],
    ])
  })

  it('gives the same numbers as a table, a button away', async () => {
    const { user } = openWizard()
    await goToStatuses(user)
    const chart = await screen.findByRole('figure', { name: 'Orders per week, by status' })
    const show = within(chart).getByRole('button', { name: 'Show the numbers' })
    expect(show.getAttribute('aria-expanded')).toBe('false')
    await user.click(show)
    const table = within(chart).getByRole('table', { name: 'Orders per week, by status' })
    const rows = within(table)
      .getAllByRole('row')
      .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent))
    expect(rows).toEqual([
      ['Week starting', 'Payment accepted', 'Shipped', 'Canceled', 'Total'],
      ['6/2/2025', '5', '0', '1', '6'],
      ['6/9/2025', '0', '0', '0', '0'],
      ['6/16/2025', '7', '3', '0', '10'],
    ])
    await user.click(within(chart).getByRole('button', { name: 'Hide the numbers' }))
    expect(within(chart).queryByRole('table')).toBeNull()
  })

  it('says so when the range has no orders, and in Spanish', async () => {
    const { user } = openWizard(
      { weeklyCounts: (request) => Promise.resolve(ok({ ...request, weeks: [] })) },
      'es',
    )
    await goToStatuses(user, { from: 'Fecha de inicio' })
    const chart = await screen.findByRole('figure', { name: 'Pedidos por semana, por estado' })
    expect(within(chart).getByText('No hay pedidos en este rango.')).toBeTruthy()
    expect(chart.querySelector('svg')).toBeNull()
  })

  it('says why the chart could not be read, and the page goes on', async () => {
    const { user } = openWizard({
      weeklyCounts: () =>
        Promise.resolve(failure({ code: 'store_connection_lost', message: 'Connection lost.' })),
    })
    await goToStatuses(user)
    const step = await screen.findByRole('region', { name: 'Order statuses' })
    await within(step).findByTestId('selected-total')
    expect(await within(step).findByRole('alert')).toBeTruthy()
    expect(within(step).queryByRole('figure')).toBeNull()
    expect(
      within(step).getByRole<HTMLInputElement>('checkbox', { name: /^Payment accepted/ }).checked,
    ).toBe(true)
  })
})

describe('the weekly chart data', () => {
  it('covers every week of the range, zeros included, and totals them', () => {
    const data = weekChartData(WEEKS, LOOKUP.states)
    expect(data.weeks).toEqual(['2025-06-02', '2025-06-09', '2025-06-16'])
    expect(data.series.map((each) => [each.stateId, each.color, each.data])).toEqual([
      [2, '#32CD32', [5, 0, 7]],
      [4, '#8A2BE2', [0, 0, 3]],
      [6, '#9e9e9e', [1, 0, 0]],
    ])
    expect(data.totals).toEqual([6, 0, 10])
    expect(data.total).toBe(16)
    // A status the store no longer lists is still drawn, by its id.
    const unknown = weekChartData(
      { ...WEEKS, weeks: [{ weekStart: '2025-06-09', stateId: 99, orders: 2 }] },
      LOOKUP.states,
    )
    expect(unknown.series).toEqual([
      { stateId: 99, name: '#99', color: '#9e9e9e', data: [0, 2, 0] },
    ])
  })
})
