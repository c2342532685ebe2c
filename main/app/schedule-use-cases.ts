/**
 * A profile's automatic sending: reading and saving its schedule, and the views the screens get
 * (the schedule dialog's, and the line of each profile in the list). The runs themselves are the
 * scheduler's (scheduler.ts).
 *
 * `now` is the scheduler's clock, so the anchor of a saved schedule and its next run are on the
 * same clock as the runs.
 */
import type {
  ChannelRequest,
  ProfileScheduleView,
  ScheduleLastRunView,
  ScheduleView,
} from '../../preload/contract'
import type { Profile } from '../core/profiles/profile-types'
import { nextRunAt, timedRule } from '../core/schedule/schedule-times'
import {
  DEFAULT_SCHEDULE_OPTIONS,
  SCHEDULE_DAYS,
  type ScheduleRecord,
  type ScheduleRule,
  type ScheduleSettings,
} from '../core/schedule/schedule-types'
import { withProfileStore, type AppContext } from './app-context'
import { zoneOf } from './store-views'
import { checkSyncRequest } from './sync-use-case'

/** What the dialog offers for a profile that never had a schedule. */
export const DEFAULT_SCHEDULE: ScheduleSettings = {
  enabled: false,
  rule: { kind: 'daily', time: '03:00' },
  stateIds: null,
  days: SCHEDULE_DAYS.default,
  options: DEFAULT_SCHEDULE_OPTIONS,
}

/** The rule in English, for logs and the command line. */
export function scheduleSummary(
  schedule: Pick<ScheduleRecord, 'enabled' | 'rule' | 'timeZone'>,
): string {
  const when = ruleSummary(schedule.rule, schedule.timeZone)
  return schedule.enabled ? when : `Off (${when.charAt(0).toLowerCase()}${when.slice(1)})`
}

function ruleSummary(rule: ScheduleRule, zone: string | null): string {
  if (rule.kind === 'every') return rule.hours === 1 ? 'Every hour' : `Every ${rule.hours} hours`
  return `Daily at ${rule.time}${zone === null ? '' : ` (${zone})`}`
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}

function lastRunView(context: AppContext, record: ScheduleRecord): ScheduleLastRunView | null {
  const run = record.lastRun
  if (run === null) return null
  const sending = run.sendingId === null ? null : context.history.findSending(run.sendingId)
  return {
    at: run.at,
    outcome: run.outcome,
    sendingId: run.sendingId,
    state: sending?.state ?? null,
    error: run.error,
  }
}

/** When the schedule runs next, seen at `now`; null when it is off (or cannot say). */
function nextRunOf(context: AppContext, record: ScheduleRecord, now: number): string | null {
  if (!record.enabled) return null
  try {
    const rule = timedRule(record.rule, record.timeZone)
    const state = {
      anchor: Date.parse(record.anchorAt),
      lastSlot: record.lastSlotAt === null ? null : Date.parse(record.lastSlotAt),
    }
    return iso(nextRunAt(rule, state, now))
  } catch (error) {
    // An unknown zone in a saved schedule is a bug: the list still shows, without a next run.
    context.log(`The next run of the schedule of profile #${record.profileId} is unknown`, error)
    return null
  }
}

export function profileScheduleView(
  context: AppContext,
  record: ScheduleRecord,
  now: number,
): ProfileScheduleView {
  return {
    enabled: record.enabled,
    rule: record.rule,
    timeZone: record.timeZone,
    summary: scheduleSummary(record),
    lastRun: lastRunView(context, record),
    nextRunAt: nextRunOf(context, record, now),
  }
}

/** The profile's schedule for the profiles list; null when it never had one. */
export function scheduleOfProfile(
  context: AppContext,
  profileId: number,
  now: number,
): ProfileScheduleView | null {
  const record = context.history.schedules.get(profileId)
  return record === null ? null : profileScheduleView(context, record, now)
}

/** The profile's schedule with its settings, or the defaults when it never had one. */
export function getSchedule(context: AppContext, profileId: number, now: number): ScheduleView {
  const profile = context.profiles.get(profileId)
  const record = context.history.schedules.get(profile.id)
  if (record === null)
    return {
      profileId: profile.id,
      saved: false,
      settings: DEFAULT_SCHEDULE,
      enabled: false,
      rule: DEFAULT_SCHEDULE.rule,
      timeZone: null,
      summary: scheduleSummary({ ...DEFAULT_SCHEDULE, timeZone: null }),
      lastRun: null,
      nextRunAt: null,
    }
  const { enabled, rule, stateIds, days, options } = record
  return {
    profileId: profile.id,
    saved: true,
    settings: { enabled, rule, stateIds, days, options },
    ...profileScheduleView(context, record, now),
  }
}

/**
 * Saves the profile's schedule. Switched on, it must be able to run: the window's length and
 * statuses (or the profile's default ones) are checked as a sync checks them, and a daily time
 * needs the shop's time zone, read from the store now (so a store that cannot be read is said
 * at once, not at the first run). Switched off, nothing is checked.
 */
export async function saveSchedule(
  context: AppContext,
  request: ChannelRequest<'schedule:save'>,
  now: number,
): Promise<ScheduleView> {
  const profile = context.profiles.get(request.profileId)
  const settings: ScheduleSettings = request.schedule
  const previous = context.history.schedules.get(profile.id)
  let timeZone = previous?.timeZone ?? null
  if (settings.enabled) {
    checkSyncRequest({
      profile,
      days: settings.days,
      ...(settings.stateIds === null ? {} : { stateIds: settings.stateIds }),
    })
    if (settings.rule.kind === 'daily') timeZone = await shopZone(context, profile)
  }
  context.history.schedules.save(profile.id, { settings, timeZone, now: iso(now) })
  return getSchedule(context, profile.id, now)
}

async function shopZone(context: AppContext, profile: Profile): Promise<string> {
  return withProfileStore(context, profile, async (store) => zoneOf(await store.overview()))
}
