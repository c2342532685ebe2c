import { DateTime } from 'luxon'
import { isCalendarDay } from '../time/shop-time'

/**
 * The rules every sending obeys, whatever starts it (the wizard, the command line, a resumed
 * sending): the same function, so the app and scripts can never disagree about what is allowed.
 * Connectif's own module has the same two date limits (docs/connectif-api.md §10).
 */

import type { TargetStoreProblem } from './connectif-routing'

export interface SendingRequestDraft {
  readonly from?: string | null
  readonly to?: string | null
  readonly stateIds?: readonly number[] | null
}

export type RuleViolationCode =
  | 'from_missing'
  | 'from_invalid'
  | 'to_missing'
  | 'to_invalid'
  | 'to_before_from'
  | 'range_over_one_year'
  | 'from_over_five_years_ago'
  | 'to_in_future'
  | 'no_states'
  | 'unknown_states'
  | TargetStoreProblem['code']

export interface RuleViolation {
  readonly field: 'from' | 'to' | 'stateIds' | 'targets'
  readonly code: RuleViolationCode
  /** English sentence for the command line; the app translates from `code` and `params`. */
  readonly message: string
  readonly params: Readonly<Record<string, string>>
}

export interface RuleContext {
  /** Today in the shop's time zone, `YYYY-MM-DD`. */
  readonly today: string
  /** Order states the store has. */
  readonly knownStateIds: readonly number[]
}

export const MAX_RANGE_YEARS = 1
export const MAX_YEARS_BACK = 5

/** Today on the shop's clock: a day begins at midnight in the shop's zone, not the computer's. */
export function todayInZone(now: number, zone: string): string {
  return (
    DateTime.fromMillis(now, { zone }).toISODate() ?? DateTime.fromMillis(now).toISODate() ?? ''
  )
}

function day(value: string): DateTime {
  return DateTime.fromISO(value, { zone: 'utc' })
}

function iso(value: DateTime): string {
  return value.toISODate() ?? ''
}

/** Days a sync window may cover, and its default: from `today − (days − 1)` to today. */
export const SYNC_DAYS = { min: 1, max: 365, default: 30 } as const

/** The days a sync of `days` days covers today (both ends included). */
export function syncWindow(today: string, days: number): { from: string; to: string } {
  return { from: iso(day(today).minus({ days: days - 1 })), to: today }
}

/** The earliest start date allowed today. */
export function earliestStart(today: string): string {
  return iso(day(today).minus({ years: MAX_YEARS_BACK }))
}

/** The last end date a range starting on `from` may have (one year, both ends included). */
export function latestEnd(from: string, today: string): string {
  const yearEnd = iso(day(from).plus({ years: MAX_RANGE_YEARS }).minus({ days: 1 }))
  return yearEnd < today ? yearEnd : today
}

/** Every rule the draft breaks; empty when it may be sent. */
export function checkSendingRules(
  draft: SendingRequestDraft,
  context: RuleContext,
): RuleViolation[] {
  const violations: RuleViolation[] = []
  const add = (
    field: RuleViolation['field'],
    code: RuleViolationCode,
    message: string,
    params: Record<string, string> = {},
  ): void => {
    violations.push({ field, code, message, params })
  }
  const from = draft.from?.trim() ?? ''
  const to = draft.to?.trim() ?? ''
  const fromValid = from !== '' && isCalendarDay(from)
  const toValid = to !== '' && isCalendarDay(to)

  if (from === '')
    add('from', 'from_missing', 'Choose the first day of the range (--from YYYY-MM-DD).')
  else if (!fromValid) {
    add(
      'from',
      'from_invalid',
      `The start date "${from}" is not a real day in the form YYYY-MM-DD.`,
      { from },
    )
  }
  if (to === '') add('to', 'to_missing', 'Choose the last day of the range (--to YYYY-MM-DD).')
  else if (!toValid) {
    add('to', 'to_invalid', `The end date "${to}" is not a real day in the form YYYY-MM-DD.`, {
      to,
    })
  }

  if (fromValid) {
    const earliest = earliestStart(context.today)
    if (from < earliest) {
      add(
        'from',
        'from_over_five_years_ago',
        `The start date ${from} is more than ${MAX_YEARS_BACK} years ago: it cannot be before ${earliest}.`,
        { from, earliest },
      )
    }
  }
  if (toValid && to > context.today) {
    add(
      'to',
      'to_in_future',
      `The end date ${to} is in the future: it cannot be after today, ${context.today}.`,
      {
        to,
        today: context.today,
      },
    )
  }
  if (fromValid && toValid) {
    if (to < from) {
      add('to', 'to_before_from', `The end date ${to} is before the start date ${from}.`, {
        from,
        to,
      })
    } else {
      const limit = iso(day(from).plus({ years: MAX_RANGE_YEARS }).minus({ days: 1 }))
      if (to > limit) {
        add(
          'to',
          'range_over_one_year',
          `The range covers more than one year: starting on ${from}, it must end by ${limit}.`,
          { from, to, limit },
        )
      }
    }
  }

  const stateIds = draft.stateIds ?? []
  if (stateIds.length === 0) {
    add('stateIds', 'no_states', 'Choose at least one order status to send.')
  } else {
    const known = new Set(context.knownStateIds)
    const unknown = [...new Set(stateIds)].filter((id) => !known.has(id))
    if (unknown.length > 0) {
      add(
        'stateIds',
        'unknown_states',
        `The store has no order status with the id ${unknown.join(', ')}. Its statuses are ${[...known].sort((a, b) => a - b).join(', ')}.`,
        { unknown: unknown.join(',') },
      )
    }
  }
  return violations
}
