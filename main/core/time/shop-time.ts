import { DateTime, IANAZone } from 'luxon'
import type { DateRange } from '../store/store-source'

const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/

/** A `YYYY-MM-DD` string that names a real calendar day (not 2025-02-30). */
export function isCalendarDay(value: string): boolean {
  return CALENDAR_DAY.test(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid
}

export function isKnownTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone)
}

/**
 * PrestaShop writes `date_add` as the shop's wall-clock time, so an inclusive range of calendar days
 * is a half-open interval of wall-clock strings: [FROM 00:00:00, TO+1 00:00:00). Comparing strings
 * in the shop's own clock keeps the `date_add` index usable and needs no time-zone arithmetic.
 */
export function rangeToLocalBounds(range: DateRange): { start: string; endExclusive: string } {
  if (!isCalendarDay(range.from) || !isCalendarDay(range.to)) {
    throw new RangeError(`Invalid date range ${range.from} – ${range.to}: dates must be YYYY-MM-DD`)
  }
  const dayAfterEnd = DateTime.fromISO(range.to, { zone: 'utc' }).plus({ days: 1 }).toISODate()
  return { start: `${range.from} 00:00:00`, endExclusive: `${dayAfterEnd} 00:00:00` }
}

/**
 * Turns a shop-local `YYYY-MM-DD HH:mm:ss` into ISO 8601 with the offset the shop's zone had at
 * that instant. A time inside a spring-forward gap never existed on the shop's clock; luxon moves
 * it forward by the gap, as PHP does. A repeated autumn hour is read as its first occurrence, as PHP does.
 */
export function shopLocalToIso(local: string, zone: string): string {
  if (SHOP_DATE_TIME.test(local)) {
    const offset = steadyOffsetOfDay(local.slice(0, 10), zone)
    if (offset !== null) return `${local.slice(0, 10)}T${local.slice(11)}${offset}`
  }
  const instant = DateTime.fromSQL(local, { zone })
  if (!instant.isValid) {
    throw new RangeError(
      `Invalid shop date "${local}" in time zone ${zone}: ${instant.invalidExplanation ?? ''}`,
    )
  }
  return firstOccurrence(instant).toISO({ suppressMilliseconds: true, includeOffset: true }) ?? ''
}

const SHOP_DATE_TIME = /^\d{4}-\d{2}-\d{2} (?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d$/
const MAX_CACHED_DAYS = 20_000
/**
 * Asking the zone database for an offset is the costliest step of mapping an order, and a zone
 * keeps one offset all day on all but a couple of days a year. Per zone and day: the offset when
 * it held all day, null on a day the clocks changed (those times take the exact path).
 */
const dayOffsets = new Map<string, string | null>()

function steadyOffsetOfDay(day: string, zone: string): string | null {
  const key = `${zone}|${day}`
  const cached = dayOffsets.get(key)
  if (cached !== undefined) return cached
  const start = DateTime.fromSQL(`${day} 00:00:00`, { zone })
  const end = DateTime.fromSQL(`${day} 23:59:59`, { zone })
  let offset: string | null = null
  if (start.isValid && end.isValid && start.offset === end.offset && start.toISODate() === day) {
    offset = (start.toISO({ suppressMilliseconds: true, includeOffset: true }) ?? '').slice(19)
  } else if (!start.isValid) {
    return null
  }
  if (dayOffsets.size >= MAX_CACHED_DAYS) dayOffsets.clear()
  dayOffsets.set(key, offset)
  return offset
}

/**
 * Luxon resolves a wall-clock time that happened twice to its second occurrence; PHP, which wrote
 * the date, means the first (and so does a schedule: the first time the clock shows it). Only the
 * hours after a backward shift can have one.
 */
export function firstOccurrence(instant: DateTime): DateTime {
  const before = instant.minus({ hours: 3 })
  const shiftMinutes = before.offset - instant.offset
  if (shiftMinutes <= 0) return instant
  const earlier = instant.minus({ minutes: shiftMinutes })
  const sameWallClock =
    earlier.toFormat('yyyy-MM-dd HH:mm:ss') === instant.toFormat('yyyy-MM-dd HH:mm:ss')
  return sameWallClock ? earlier : instant
}
