/**
 * Part of the main ⇄ renderer contract (preload/contract.ts): a profile's automatic sending (its
 * schedule) and the app-wide settings. Only zod and the pure schedule model are imported.
 */
import { z } from 'zod'
import {
  DAILY_TIME_PATTERN,
  DEFAULT_SCHEDULE_OPTIONS,
  SCHEDULE_DAYS,
  SCHEDULE_HOURS,
  type ScheduleOutcome,
  type ScheduleRule,
  type ScheduleSettings,
} from '../../main/core/schedule/schedule-types'
import type { AppErrorValue } from './results'
import type { SendingCountsView, SendingStateView } from './sending-views'

export { DAILY_TIME_PATTERN, DEFAULT_SCHEDULE_OPTIONS, SCHEDULE_DAYS, SCHEDULE_HOURS }
export type {
  ScheduleOutcome,
  ScheduleRule as ScheduleRuleView,
  ScheduleSettings as ScheduleSettingsView,
}

const id = z.number().int().positive()

export const scheduleRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('every'),
    hours: z.number().int().min(SCHEDULE_HOURS.min).max(SCHEDULE_HOURS.max),
  }),
  z.strictObject({
    kind: z.literal('daily'),
    time: z.string().regex(DAILY_TIME_PATTERN, { message: 'must be a time as HH:mm' }),
  }),
])

export const scheduleSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  rule: scheduleRuleSchema,
  /** Null: the profile's default statuses at each run. */
  stateIds: z
    .array(id)
    .min(1, { message: 'choose at least one order status' })
    .max(10_000)
    .nullable()
    .default(null),
  /** The window in days, today included. */
  days: z
    .number()
    .int()
    .min(SCHEDULE_DAYS.min)
    .max(SCHEDULE_DAYS.max)
    .default(SCHEDULE_DAYS.default),
  options: z
    .strictObject({
      triggerWorkflows: z.boolean().default(DEFAULT_SCHEDULE_OPTIONS.triggerWorkflows),
      createContacts: z.boolean().default(DEFAULT_SCHEDULE_OPTIONS.createContacts),
      createProducts: z.boolean().default(DEFAULT_SCHEDULE_OPTIONS.createProducts),
    })
    .default(DEFAULT_SCHEDULE_OPTIONS),
})
export type ScheduleSettingsInput = z.input<typeof scheduleSettingsSchema>

export const scheduleSaveSchema = z.strictObject({
  profileId: id,
  schedule: scheduleSettingsSchema,
})

/** How the last run of a schedule went. */
export interface ScheduleLastRunView {
  /** When it ran (ISO). */
  readonly at: string
  readonly outcome: ScheduleOutcome
  /** The sending it started (`started`). */
  readonly sendingId: number | null
  /** That sending's state now; null when none was started (or it is no longer recorded). */
  readonly state: SendingStateView | null
  /** Why it could not start (`failed_to_start`), for the screens to translate. */
  readonly error: AppErrorValue | null
}

/** A profile's schedule as the profiles list shows it. */
export interface ProfileScheduleView {
  readonly enabled: boolean
  readonly rule: ScheduleRule
  /** The shop's zone a daily time is on; null when not read. */
  readonly timeZone: string | null
  /** In English ("Daily at 02:30 (Europe/Madrid)"), for logs; the screens say it from `rule`. */
  readonly summary: string
  readonly lastRun: ScheduleLastRunView | null
  /** When it runs next (ISO): now while a run is due; null when switched off. */
  readonly nextRunAt: string | null
}

/** A profile's schedule with its settings, for the schedule dialog. */
export interface ScheduleView extends ProfileScheduleView {
  readonly profileId: number
  /** False for a profile that never had a schedule: `settings` are then the defaults. */
  readonly saved: boolean
  readonly settings: ScheduleSettings
}

/**
 * A scheduled run ended (the app service tells the desktop shell, which notifies when it went
 * wrong): its sending's final state, or `busy` / `failed_to_start` when no sending ran.
 */
export interface ScheduledRunEvent {
  readonly profileId: number
  readonly profileName: string
  readonly outcome: SendingStateView | Exclude<ScheduleOutcome, 'started'>
  readonly sendingId: number | null
  readonly counts: SendingCountsView | null
  readonly error: AppErrorValue | null
}

// --- App-wide settings ----------------------------------------------------------------------

/**
 * Opening the app when the user logs in (hidden in the tray): only the desktop app on Windows and
 * macOS can; browser mode never does, and Electron cannot register it on Linux.
 */
export type OpenAtLoginView =
  | { readonly available: true; readonly enabled: boolean }
  | { readonly available: false; readonly reason: 'browser' | 'platform' }

export interface AppSettingsView {
  readonly openAtLogin: OpenAtLoginView
}

export const appSettingsSaveSchema = z.strictObject({ openAtLogin: z.boolean() })
