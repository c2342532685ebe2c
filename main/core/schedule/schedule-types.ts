/**
 * A profile's automatic sending (its schedule) as the core sees it: when it runs, what it sends,
 * and what its last run came to. Pure on purpose (no luxon, no SQL): the contract's schemas take
 * their bounds from here, and the preload bundles the contract.
 */

/** "Every N hours": past a day, "daily at" says it better. */
export const SCHEDULE_HOURS = { min: 1, max: 24 } as const

/**
 * The window a scheduled sync covers, in days ending today: the same bounds as the command line's
 * `sync` (SYNC_DAYS in ../sending/sending-rules.ts, which a test keeps equal to these). Repeated
 * here because sending-rules.ts loads luxon, which the preload must not bundle for a constant.
 */
export const SCHEDULE_DAYS = { min: 1, max: 365, default: 30 } as const

/** `HH:mm`, 00:00 to 23:59. */
export const DAILY_TIME_PATTERN = /^(?:[01]\d|2[0-3]):[0-5]\d$/

export type ScheduleRule =
  | { readonly kind: 'every'; readonly hours: number }
  | {
      readonly kind: 'daily'
      /** `HH:mm` on the shop's clock. */
      readonly time: string
    }

/** What a scheduled sending does, as the wizard's options say it. */
export interface ScheduleOptions {
  readonly triggerWorkflows: boolean
  readonly createContacts: boolean
  readonly createProducts: boolean
}

export const DEFAULT_SCHEDULE_OPTIONS: ScheduleOptions = {
  triggerWorkflows: false,
  createContacts: true,
  createProducts: true,
}

/** A schedule's settings, as the merchant sets them. */
export interface ScheduleSettings {
  readonly enabled: boolean
  readonly rule: ScheduleRule
  /** Order states to send; null: the profile's default statuses at each run. */
  readonly stateIds: readonly number[] | null
  /** The window in days, today included. */
  readonly days: number
  readonly options: ScheduleOptions
}

/**
 * How the last run went, as far as the schedule knows: a sending was started (its own state is in
 * the history), the profile was busy with another sending (nothing was sent), or the sending
 * could not start (the error says why).
 */
export type ScheduleOutcome = 'started' | 'busy' | 'failed_to_start'

export interface ScheduleRunError {
  readonly code: string
  readonly message: string
  readonly params?: Readonly<Record<string, string>>
}

export interface ScheduleRun {
  /** When it ran (ISO). */
  readonly at: string
  readonly outcome: ScheduleOutcome
  readonly sendingId: number | null
  readonly error: ScheduleRunError | null
}

/** A saved schedule. */
export interface ScheduleRecord extends ScheduleSettings {
  readonly profileId: number
  /**
   * The shop's time zone when the schedule was saved (a daily time is on the shop's clock);
   * null when never read (an "every N hours" schedule does not need it).
   */
  readonly timeZone: string | null
  /** Slots after this instant count (ISO): set when the schedule is switched on or its rule changes. */
  readonly anchorAt: string
  /** The slot the last run served (ISO), or null before the first. */
  readonly lastSlotAt: string | null
  readonly lastRun: ScheduleRun | null
  readonly createdAt: string
  readonly updatedAt: string
}
