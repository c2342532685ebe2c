/**
 * The send page's date presets: the last 12 months, this year, last year, and the store's first
 * and last orders. Each is clipped to what the date rules allow (main's `sending:rules`: at most
 * one year, not starting more than five years ago, not ending after today on the shop's clock)
 * and says what it clipped, so the page can tell the merchant. No React here.
 */
import { DateTime } from 'luxon'
import { earliestStart, latestEnd, MAX_RANGE_YEARS } from '../../../main/core/sending/sending-rules'

export type PresetId =
  'last12Months' | 'thisYear' | 'lastYear' | 'fromFirstOrder' | 'toLastOrder' | 'allOrders'

/**
 * What a preset gave up to keep the rules: its start moved to the earliest allowed day
 * (`start_five_years`) or to one year before its end (`start_one_year`), its end moved back to
 * one year after its start (`end_one_year`) or to today (`end_today`). `day`: where it moved to.
 */
export interface PresetClip {
  readonly code: 'start_five_years' | 'start_one_year' | 'end_one_year' | 'end_today'
  readonly day: string
}

export interface DatePreset {
  readonly id: PresetId
  readonly from: string
  readonly to: string
  readonly clips: readonly PresetClip[]
}

/** What the presets are computed from: the rules' today, and the store's order days if known. */
export interface PresetContext {
  /** Today on the shop's clock, YYYY-MM-DD. */
  readonly today: string
  readonly orderDays: { readonly first: string; readonly last: string } | null
}

const day = (value: string) => DateTime.fromISO(value, { zone: 'utc' })
const iso = (value: DateTime) => value.toISODate() ?? ''

/** The first day of a range of at most one year ending on `to` (the rules' own limit, mirrored). */
function oneYearBefore(to: string): string {
  return iso(day(to).minus({ years: MAX_RANGE_YEARS }).plus({ days: 1 }))
}

/** The presets offered today, each within the rules. */
export function datePresets(context: PresetContext): DatePreset[] {
  const { today } = context
  const year = day(today).year
  const presets: DatePreset[] = [
    { id: 'last12Months', from: oneYearBefore(today), to: today, clips: [] },
    { id: 'thisYear', from: `${year}-01-01`, to: today, clips: [] },
    { id: 'lastYear', from: `${year - 1}-01-01`, to: `${year - 1}-12-31`, clips: [] },
  ]
  const days = context.orderDays
  // No order, or none the rules let a sending reach.
  if (days === null || days.first > today || days.last < earliestStart(today)) return presets
  const fromFirst = fromFirstOrder(days, today)
  const toLast = toLastOrder(days, today)
  // Every order fits in one range the rules allow: one preset says so.
  if (fromFirst.clips.length === 0 && fromFirst.to === toLast.to)
    return [...presets, { ...fromFirst, id: 'allOrders' }]
  return [...presets, fromFirst, toLast]
}

/** From the first order (or the earliest day allowed), for as long as the rules allow. */
function fromFirstOrder(days: { first: string; last: string }, today: string): DatePreset {
  const clips: PresetClip[] = []
  const earliest = earliestStart(today)
  let from = days.first
  if (from < earliest) {
    from = earliest
    clips.push({ code: 'start_five_years', day: earliest })
  }
  const last = days.last < today ? days.last : today
  const end = latestEnd(from, today)
  let to = last
  if (last > end) {
    to = end
    clips.push({ code: end === today ? 'end_today' : 'end_one_year', day: end })
  }
  return { id: 'fromFirstOrder', from, to, clips }
}

/** Up to the last order (or today), from as far back as the rules allow. */
function toLastOrder(days: { first: string; last: string }, today: string): DatePreset {
  const clips: PresetClip[] = []
  let to = days.last
  if (to > today) {
    to = today
    clips.push({ code: 'end_today', day: today })
  }
  const earliest = earliestStart(today)
  const yearBack = oneYearBefore(to)
  const limit = yearBack > earliest ? yearBack : earliest
  let from = days.first
  if (from < limit) {
    from = limit
    clips.push({ code: limit === earliest ? 'start_five_years' : 'start_one_year', day: limit })
  }
  return { id: 'toLastOrder', from, to, clips }
}
