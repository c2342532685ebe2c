/** What the send page's weekly chart draws, derived from main's weekly counts: no React here. */
import { DateTime } from 'luxon'
import type { OrderStateView, WeeklyCountsView } from '../../../preload/contract'

export interface WeekSeries {
  readonly stateId: number
  readonly name: string
  /** The status's PrestaShop colour; a neutral grey when it is not a hex colour (as StateDot). */
  readonly color: string
  /** Orders per week, one for each of `weeks`. */
  readonly data: readonly number[]
}

export interface WeekChartData {
  /** Every week the range touches (its Monday, YYYY-MM-DD), empty ones included. */
  readonly weeks: readonly string[]
  /** One per status with orders in the range, in the store's order of statuses. */
  readonly series: readonly WeekSeries[]
  /** Orders per week, all statuses. */
  readonly totals: readonly number[]
  readonly total: number
}

const NEUTRAL = '#9e9e9e'

export function statusColor(color: string): string {
  return /^#[0-9a-f]{3,8}$/i.test(color.trim()) ? color.trim() : NEUTRAL
}

/** The Mondays from the week of `from` to the week of `to` (luxon's weeks are ISO: Monday first). */
export function weeksOfRange(from: string, to: string): string[] {
  const last = DateTime.fromISO(to, { zone: 'utc' }).startOf('week')
  const weeks: string[] = []
  for (
    let week = DateTime.fromISO(from, { zone: 'utc' }).startOf('week');
    week <= last && weeks.length < 600;
    week = week.plus({ weeks: 1 })
  )
    weeks.push(week.toISODate() ?? '')
  return weeks
}

export function weekChartData(
  view: WeeklyCountsView,
  states: readonly OrderStateView[],
): WeekChartData {
  const weeks = weeksOfRange(view.from, view.to)
  const position = new Map(weeks.map((week, index) => [week, index]))
  const byState = new Map<number, number[]>()
  for (const entry of view.weeks) {
    const index = position.get(entry.weekStart)
    if (index === undefined) continue
    const data = byState.get(entry.stateId) ?? weeks.map(() => 0)
    data[index] = (data[index] ?? 0) + entry.orders
    byState.set(entry.stateId, data)
  }
  const known = new Map(states.map((state, index) => [state.id, { state, index }]))
  const stateIds = [...byState.keys()].sort(
    (a, b) =>
      (known.get(a)?.index ?? Number.MAX_SAFE_INTEGER) -
        (known.get(b)?.index ?? Number.MAX_SAFE_INTEGER) || a - b,
  )
  const series = stateIds.map((stateId): WeekSeries => {
    const state = known.get(stateId)?.state
    return {
      stateId,
      name: state?.name ?? `#${stateId}`,
      color: statusColor(state?.color ?? ''),
      data: byState.get(stateId) ?? [],
    }
  })
  const totals = weeks.map((_week, index) =>
    series.reduce((sum, each) => sum + (each.data[index] ?? 0), 0),
  )
  return { weeks, series, totals, total: totals.reduce((sum, value) => sum + value, 0) }
}
