import type { OrderWeekCount } from './store-source'

/**
 * Orders per week and state, the same for every reader: the database groups them in SQL, the
 * Webservice (which has no aggregates) adds up the orders it lists. Weeks run Monday to Sunday on
 * the shop's clock, the one PrestaShop writes `date_add` in, so a week is plain calendar
 * arithmetic on the stored day: no time zone is involved.
 */

const DAY = /^(\d{4})-(\d{2})-(\d{2})/

/** The Monday of the week a shop-local day (`YYYY-MM-DD`, or a `date_add`) falls in. */
export function weekStartOf(day: string): string {
  const match = DAY.exec(day)
  if (!match) throw new RangeError(`"${day}" is not a day as YYYY-MM-DD.`)
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
  // getUTCDay: 0 is Sunday; Monday starts the week (ISO 8601, as PrestaShop's stats do).
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7))
  return date.toISOString().slice(0, 10)
}

/** Adds up (week, state) groups: non-empty ones only, by week then state. */
export function tallyWeeks(groups: Iterable<OrderWeekCount>): OrderWeekCount[] {
  const merged = new Map<string, OrderWeekCount>()
  for (const group of groups) {
    if (group.orders <= 0) continue
    const key = `${group.weekStart}|${group.stateId}`
    const existing = merged.get(key)
    merged.set(key, existing ? { ...existing, orders: existing.orders + group.orders } : group)
  }
  return [...merged.values()].sort(
    (a, b) =>
      (a.weekStart < b.weekStart ? -1 : a.weekStart > b.weekStart ? 1 : 0) || a.stateId - b.stateId,
  )
}

/** Counts orders one at a time; a range has few distinct days, so each day's week is computed once. */
export class WeekTally {
  readonly #weekOfDay = new Map<string, string>()
  readonly #counts = new Map<string, { weekStart: string; stateId: number; orders: number }>()

  add(placedAt: string, stateId: number): void {
    const day = placedAt.slice(0, 10)
    let weekStart = this.#weekOfDay.get(day)
    if (weekStart === undefined) {
      weekStart = weekStartOf(day)
      this.#weekOfDay.set(day, weekStart)
    }
    const key = `${weekStart}|${stateId}`
    const entry = this.#counts.get(key)
    if (entry) entry.orders += 1
    else this.#counts.set(key, { weekStart, stateId, orders: 1 })
  }

  result(): OrderWeekCount[] {
    return tallyWeeks(this.#counts.values())
  }
}
