/**
 * The profiles' schedules (automatic sending), in the `schedules` table of the history database:
 * every statement on that table lives here; history-store.ts hands this repository its
 * connection, as it does the profiles'.
 *
 * Synchronous like the rest of the history: a transaction is a plain function call (never make
 * its body async, or better-sqlite3 commits at the first `await`).
 */
import type Database from 'better-sqlite3'
import { keepsSlots } from '../schedule/schedule-times'
import type {
  ScheduleRecord,
  ScheduleRule,
  ScheduleRun,
  ScheduleSettings,
} from '../schedule/schedule-types'
import { HistoryError } from './history-types'

interface ScheduleRow {
  profile_id: number
  enabled: 0 | 1
  kind: ScheduleRule['kind']
  every_hours: number | null
  daily_time: string | null
  time_zone: string | null
  state_ids: string | null
  days: number
  trigger_workflows: 0 | 1
  create_contacts: 0 | 1
  create_products: 0 | 1
  anchor_at: string
  last_slot_at: string | null
  last_run_at: string | null
  last_outcome: ScheduleRun['outcome'] | null
  last_sending_id: number | null
  last_error_code: string | null
  last_error_message: string | null
  last_error_params: string | null
  created_at: string
  updated_at: string
}

interface SettingsParams {
  profileId: number
  enabled: 0 | 1
  kind: ScheduleRule['kind']
  everyHours: number | null
  dailyTime: string | null
  timeZone: string | null
  stateIds: string | null
  days: number
  triggerWorkflows: 0 | 1
  createContacts: 0 | 1
  createProducts: 0 | 1
  anchorAt: string
  lastSlotAt: string | null
  now: string
}

interface RunParams {
  profileId: number
  at: string
  outcome: ScheduleRun['outcome']
  sendingId: number | null
  errorCode: string | null
  errorMessage: string | null
  errorParams: string | null
}

function prepareStatements(db: Database.Database) {
  return {
    byProfile: db.prepare<[number], ScheduleRow>(`SELECT * FROM schedules WHERE profile_id = ?`),
    enabled: db.prepare<[], ScheduleRow>(
      `SELECT * FROM schedules WHERE enabled = 1 ORDER BY profile_id`,
    ),
    anyEnabled: db.prepare<[], { found: 1 }>(
      `SELECT 1 AS found FROM schedules WHERE enabled = 1 LIMIT 1`,
    ),
    profileExists: db.prepare<[number], { found: 1 }>(
      `SELECT 1 AS found FROM profiles WHERE id = ?`,
    ),
    upsert: db.prepare<SettingsParams, ScheduleRow>(
      `INSERT INTO schedules (profile_id, enabled, kind, every_hours, daily_time, time_zone,
         state_ids, days, trigger_workflows, create_contacts, create_products, anchor_at,
         last_slot_at, created_at, updated_at)
       VALUES (@profileId, @enabled, @kind, @everyHours, @dailyTime, @timeZone, @stateIds, @days,
         @triggerWorkflows, @createContacts, @createProducts, @anchorAt, @lastSlotAt, @now, @now)
       ON CONFLICT (profile_id) DO UPDATE SET enabled = excluded.enabled, kind = excluded.kind,
         every_hours = excluded.every_hours, daily_time = excluded.daily_time,
         time_zone = excluded.time_zone, state_ids = excluded.state_ids, days = excluded.days,
         trigger_workflows = excluded.trigger_workflows,
         create_contacts = excluded.create_contacts, create_products = excluded.create_products,
         anchor_at = excluded.anchor_at, last_slot_at = excluded.last_slot_at,
         updated_at = excluded.updated_at
       RETURNING *`,
    ),
    // Compare-and-set: only the process that still sees the schedule as it decided takes the slot.
    claim: db.prepare<{ profileId: number; slot: string; expected: string | null; anchor: string }>(
      `UPDATE schedules SET last_slot_at = @slot
       WHERE profile_id = @profileId AND enabled = 1 AND anchor_at = @anchor
         AND last_slot_at IS @expected`,
    ),
    release: db.prepare<{ profileId: number; slot: string; previous: string | null }>(
      `UPDATE schedules SET last_slot_at = @previous
       WHERE profile_id = @profileId AND last_slot_at = @slot`,
    ),
    recordRun: db.prepare<RunParams>(
      `UPDATE schedules SET last_run_at = @at, last_outcome = @outcome,
         last_sending_id = @sendingId, last_error_code = @errorCode,
         last_error_message = @errorMessage, last_error_params = @errorParams
       WHERE profile_id = @profileId`,
    ),
  }
}

export interface SaveScheduleInput {
  readonly settings: ScheduleSettings
  /** The shop's zone (needed for an enabled daily schedule); null when not read. */
  readonly timeZone: string | null
  /** Now (ISO), on the scheduler's clock: the anchor of a schedule that starts afresh. */
  readonly now: string
}

export class ScheduleRepository {
  readonly #db: Database.Database
  readonly #sql: ReturnType<typeof prepareStatements>

  constructor(db: Database.Database) {
    this.#db = db
    this.#sql = prepareStatements(db)
  }

  /** The profile's schedule, or null when it never had one. */
  get(profileId: number): ScheduleRecord | null {
    const row = this.#sql.byProfile.get(profileId)
    return row === undefined ? null : toSchedule(row)
  }

  /** The schedules switched on, by profile id. */
  listEnabled(): ScheduleRecord[] {
    return this.#sql.enabled.all().map(toSchedule)
  }

  hasEnabled(): boolean {
    return this.#sql.anyEnabled.get() !== undefined
  }

  /**
   * Creates or replaces the profile's schedule; its last run is kept. A schedule switched on, or
   * whose slots moved (see keepsSlots), starts afresh from `now`. HistoryError
   * 'profile_not_found' when there is no such profile.
   */
  save(profileId: number, input: SaveScheduleInput): ScheduleRecord {
    return this.#db
      .transaction(() => {
        if (this.#sql.profileExists.get(profileId) === undefined)
          throw new HistoryError('profile_not_found', `There is no profile #${profileId}.`, {
            reason: 'id',
            profileId: String(profileId),
          })
        const previous = this.get(profileId)
        const { settings } = input
        const keeps =
          previous !== null &&
          keepsSlots(
            { enabled: previous.enabled, rule: previous.rule, zone: previous.timeZone },
            { enabled: settings.enabled, rule: settings.rule, zone: input.timeZone },
          )
        const row = this.#sql.upsert.get({
          profileId,
          enabled: settings.enabled ? 1 : 0,
          kind: settings.rule.kind,
          everyHours: settings.rule.kind === 'every' ? settings.rule.hours : null,
          dailyTime: settings.rule.kind === 'daily' ? settings.rule.time : null,
          timeZone: input.timeZone,
          stateIds: settings.stateIds === null ? null : JSON.stringify(settings.stateIds),
          days: settings.days,
          triggerWorkflows: settings.options.triggerWorkflows ? 1 : 0,
          createContacts: settings.options.createContacts ? 1 : 0,
          createProducts: settings.options.createProducts ? 1 : 0,
          anchorAt: keeps ? previous.anchorAt : input.now,
          lastSlotAt: keeps ? previous.lastSlotAt : null,
          now: input.now,
        })
        return toSchedule(row!)
      })
      .immediate()
  }

  /**
   * Takes `slot` (ISO) for a run, when the schedule is still on, unchanged since it was read
   * (`anchorAt`) and its last slot is still `expected`: false when another process took it, or
   * the schedule changed meanwhile. Taken before the run starts, so a slot is served once.
   */
  claimSlot(schedule: ScheduleRecord, slot: string): boolean {
    const result = this.#sql.claim.run({
      profileId: schedule.profileId,
      slot,
      expected: schedule.lastSlotAt,
      anchor: schedule.anchorAt,
    })
    return result.changes === 1
  }

  /** Gives a claimed slot back (the app closed before its run could start), to run at next start. */
  releaseSlot(profileId: number, slot: string, previous: string | null): void {
    this.#sql.release.run({ profileId, slot, previous })
  }

  recordRun(profileId: number, run: ScheduleRun): void {
    this.#sql.recordRun.run({
      profileId,
      at: run.at,
      outcome: run.outcome,
      sendingId: run.sendingId,
      errorCode: run.error?.code ?? null,
      errorMessage: run.error?.message ?? null,
      errorParams: run.error?.params ? JSON.stringify(run.error.params) : null,
    })
  }
}

function toSchedule(row: ScheduleRow): ScheduleRecord {
  const rule: ScheduleRule =
    row.kind === 'every'
      ? { kind: 'every', hours: row.every_hours ?? 24 }
      : { kind: 'daily', time: row.daily_time ?? '00:00' }
  const lastRun: ScheduleRun | null =
    row.last_run_at === null || row.last_outcome === null
      ? null
      : {
          at: row.last_run_at,
          outcome: row.last_outcome,
          sendingId: row.last_sending_id,
          error:
            row.last_error_code === null
              ? null
              : {
                  code: row.last_error_code,
                  message: row.last_error_message ?? '',
                  ...(row.last_error_params === null
                    ? {}
                    : {
                        params: JSON.parse(row.last_error_params) as Readonly<
                          Record<string, string>
                        >,
                      }),
                },
        }
  return {
    profileId: row.profile_id,
    enabled: row.enabled === 1,
    rule,
    timeZone: row.time_zone,
    stateIds: row.state_ids === null ? null : (JSON.parse(row.state_ids) as number[]),
    days: row.days,
    options: {
      triggerWorkflows: row.trigger_workflows === 1,
      createContacts: row.create_contacts === 1,
      createProducts: row.create_products === 1,
    },
    anchorAt: row.anchor_at,
    lastSlotAt: row.last_slot_at,
    lastRun,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}
