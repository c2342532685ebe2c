/**
 * When a schedule runs: pure functions of its rule, its anchor, its last slot and "now" (all in
 * milliseconds since the epoch), so a test decides what time it is.
 *
 * A schedule's **slots** are the instants it is meant to run at, strictly after its anchor (the
 * moment it was switched on or its rule changed, so a new schedule waits for its first slot):
 * - every N hours: anchor + k·N hours (k ≥ 1), elapsed time, so clock changes do not move them;
 * - daily at HH:mm in a zone: that wall-clock time on each calendar day of the zone. On the day
 *   the clocks go forward past it, the time does not exist and the slot is shifted forward by the
 *   gap (02:30 → 03:30), once; on the day they go back it exists twice and the slot is the first,
 *   once.
 *
 * A run **serves** the latest slot at or before now. Whatever number of slots went by while the
 * computer was off or asleep, one run serves them all: it is due when the latest slot is newer
 * than the last one served, and then the next is the first slot after it.
 */
import { DateTime } from 'luxon'
import { firstOccurrence } from '../time/shop-time'
import type { ScheduleRule } from './schedule-types'

const HOUR_MS = 3_600_000

/** A rule with the zone its daily time is on. */
export type TimedRule =
  | { readonly kind: 'every'; readonly hours: number }
  | { readonly kind: 'daily'; readonly time: string; readonly zone: string }

/** The rule on its clock; a daily rule needs the shop's zone. */
export function timedRule(rule: ScheduleRule, zone: string | null): TimedRule {
  if (rule.kind === 'every') return rule
  if (zone === null) throw new RangeError('A daily schedule needs the time zone of its shop.')
  return { kind: 'daily', time: rule.time, zone }
}

export interface SlotState {
  /** Slots are strictly after it. */
  readonly anchor: number
  /** The slot the last run served; null before the first run. */
  readonly lastSlot: number | null
}

export type RunDecision =
  | {
      readonly due: true
      /** The slot this run serves: the latest one at or before now. */
      readonly slot: number
    }
  | { readonly due: false; readonly nextAt: number }

/** Whether a run is due now (one, however many slots were missed), else when the next is. */
export function decideRun(rule: TimedRule, state: SlotState, now: number): RunDecision {
  const latest = latestSlotAtOrBefore(rule, state.anchor, now)
  if (latest !== null && (state.lastSlot === null || latest > state.lastSlot))
    return { due: true, slot: latest }
  // A last slot later than now means the clock was set back: it is not served again.
  const after = state.lastSlot === null ? now : Math.max(now, state.lastSlot)
  return { due: false, nextAt: nextSlotAfter(rule, state.anchor, after) }
}

/** When the schedule runs next as seen at `now`: now when a run is due, else the next slot. */
export function nextRunAt(rule: TimedRule, state: SlotState, now: number): number {
  const decision = decideRun(rule, state, now)
  return decision.due ? now : decision.nextAt
}

/** The first slot strictly after `after` (and after the anchor). */
export function nextSlotAfter(rule: TimedRule, anchor: number, after: number): number {
  const threshold = Math.max(after, anchor)
  if (rule.kind === 'every') {
    const period = rule.hours * HOUR_MS
    return anchor + (Math.floor((threshold - anchor) / period) + 1) * period
  }
  // The slot of a day is on that day or, shifted by a gap at midnight, early the next one, and a
  // day's slot comes after the previous day's: the first candidate past the threshold is it.
  const day = localDay(threshold, rule.zone)
  for (let offset = -1; offset <= 2; offset++) {
    const slot = dailySlot(day.plus({ days: offset }), rule)
    if (slot > threshold) return slot
  }
  throw new Error(`No daily slot after ${new Date(threshold).toISOString()} in ${rule.zone}.`)
}

/** The latest slot at or before `at`, or null when none is after the anchor yet. */
export function latestSlotAtOrBefore(rule: TimedRule, anchor: number, at: number): number | null {
  if (rule.kind === 'every') {
    const period = rule.hours * HOUR_MS
    const k = Math.floor((at - anchor) / period)
    return k >= 1 ? anchor + k * period : null
  }
  const day = localDay(at, rule.zone)
  for (let offset = 1; offset >= -2; offset--) {
    const slot = dailySlot(day.plus({ days: offset }), rule)
    if (slot <= at) return slot > anchor ? slot : null
  }
  return null
}

/** The calendar day `at` falls on in `zone`, at its start. */
function localDay(at: number, zone: string): DateTime {
  const local = DateTime.fromMillis(at, { zone })
  if (!local.isValid) throw new RangeError(`Unknown time zone "${zone}".`)
  return local.startOf('day')
}

/**
 * The daily time on `day`: luxon moves a time inside a spring-forward gap forward by the gap, and
 * a time that happened twice is taken at its first occurrence.
 */
function dailySlot(day: DateTime, rule: Extract<TimedRule, { kind: 'daily' }>): number {
  const [hour, minute] = rule.time.split(':').map(Number)
  const local = DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour, minute },
    { zone: rule.zone },
  )
  return firstOccurrence(local).toMillis()
}

/**
 * Whether saving `next` over `previous` keeps the slots where they were, so the anchor and the
 * last slot served still hold. Switching a schedule on, or changing when it runs (or the shop's
 * zone), starts it afresh: its first run is then the first slot after the save, never at once
 * for slots of a rule it did not have.
 */
export function keepsSlots(
  previous: {
    readonly enabled: boolean
    readonly rule: ScheduleRule
    readonly zone: string | null
  },
  next: { readonly enabled: boolean; readonly rule: ScheduleRule; readonly zone: string | null },
): boolean {
  if (!previous.enabled || !next.enabled) return false
  if (previous.rule.kind === 'every')
    return next.rule.kind === 'every' && next.rule.hours === previous.rule.hours
  return (
    next.rule.kind === 'daily' &&
    next.rule.time === previous.rule.time &&
    next.zone === previous.zone
  )
}
