/**
 * What a profile's card says about its automatic sending, in the UI's language: when it runs,
 * when it runs next, and how its last run went. Pure, so Node tests can use it.
 */
import type { TFunction } from 'i18next'
import type { ProfileScheduleView, ScheduleLastRunView } from '../../../preload/contract'
import { errorText } from '../../i18n/error-text'
import { formatDateTime } from '../format'

export function scheduleSummaryText(t: TFunction, schedule: ProfileScheduleView | null): string {
  if (schedule === null || !schedule.enabled) return t('schedule.summaryOff')
  const { rule } = schedule
  if (rule.kind === 'every') return t('schedule.summaryEvery', { count: rule.hours })
  return schedule.timeZone === null
    ? t('schedule.summaryDaily', { time: rule.time })
    : t('schedule.summaryDailyZone', { time: rule.time, zone: schedule.timeZone })
}

/** Null when it is off. */
export function nextRunText(
  t: TFunction,
  language: string,
  schedule: ProfileScheduleView | null,
  now: number,
): string | null {
  if (schedule === null || !schedule.enabled || schedule.nextRunAt === null) return null
  return Date.parse(schedule.nextRunAt) <= now
    ? t('schedule.nextRunNow')
    : t('schedule.nextRun', { time: formatDateTime(language, schedule.nextRunAt) })
}

export function lastRunText(t: TFunction, language: string, run: ScheduleLastRunView): string {
  const result =
    run.outcome === 'busy'
      ? t('schedule.resultBusy')
      : run.outcome === 'failed_to_start'
        ? t('schedule.resultFailed', {
            error: run.error ? errorText(t, run.error) : '—',
          })
        : t('schedule.resultSending', {
            id: run.sendingId ?? '—',
            state: run.state ? t(`states.${run.state}`) : '—',
          })
  return t('schedule.lastRun', { time: formatDateTime(language, run.at), result })
}

/** Whether the last run deserves attention (shown as an error). */
export function lastRunWentWrong(run: ScheduleLastRunView): boolean {
  return (
    run.outcome === 'failed_to_start' ||
    run.state === 'failed' ||
    run.state === 'completed_with_errors'
  )
}
