import Box from '@mui/material/Box'
import Typography from '@mui/material/Typography'
import { useTranslation } from 'react-i18next'
import type { ProfileScheduleView } from '../../../preload/contract'
import { lastRunText, lastRunWentWrong, nextRunText, scheduleSummaryText } from './schedule-text'

/** A profile card's lines about its automatic sending: when, next run, last run. */
export function ScheduleStatus({
  schedule,
  now,
}: {
  readonly schedule: ProfileScheduleView | null
  /** When "now" is, so the page decides how often these lines are read again. */
  readonly now: number
}) {
  const { t, i18n } = useTranslation()
  const next = nextRunText(t, i18n.language, schedule, now)
  const last = schedule?.lastRun ?? null
  return (
    <Box aria-label={t('schedule.button')} role="group" sx={{ mt: 1 }}>
      <Typography variant="body2">{scheduleSummaryText(t, schedule)}</Typography>
      {next ? (
        <Typography variant="body2" color="text.secondary">
          {next}
        </Typography>
      ) : null}
      {schedule?.enabled || last ? (
        <Typography
          variant="body2"
          color={last && lastRunWentWrong(last) ? 'error' : 'text.secondary'}
        >
          {last ? lastRunText(t, i18n.language, last) : t('schedule.notRunYet')}
        </Typography>
      ) : null}
    </Box>
  )
}
