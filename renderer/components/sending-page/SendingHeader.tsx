import DownloadIcon from '@mui/icons-material/Download'
import PlayArrowIcon from '@mui/icons-material/PlayArrow'
import ReplayIcon from '@mui/icons-material/Replay'
import ScheduleIcon from '@mui/icons-material/Schedule'
import VisibilityIcon from '@mui/icons-material/VisibilityOutlined'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Card from '@mui/material/Card'
import CardContent from '@mui/material/CardContent'
import Chip from '@mui/material/Chip'
import LinearProgress from '@mui/material/LinearProgress'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { SendingView } from '../../../preload/contract'
import type { PreparingEventView } from '../../api/sending-events'
import { errorText } from '../../i18n/error-text'
import { formatDateTime, formatDayRange, formatDuration, formatNumber } from '../format'
import { sendingProgress, STATE_COLORS } from '../sending-live'
import { AccountCountsTable } from '../AccountCountsTable'
import { CountTiles } from '../CountTiles'
import { FixFirstNote } from '../FixFirstNote'
import { useFocusWhenLost } from '../focus-fallback'
import { LiveAnnouncement } from '../progress/LiveAnnouncement'
import { PreparingStep } from '../progress/PreparingStep'
import { useShowProgress } from '../progress/progress-context'
import { showsProgress } from '../progress/running-sendings'
import { StateChip } from '../StateChip'
import { stateOf } from '../state-names'

export type SendingAction = 'retry' | 'resume' | 'report'

/**
 * A sending's header: what was sent (profile, range, who started it, when), how it went (its
 * state, the counts, those left out as already sent, per Connectif account when routed) and what
 * can be done with it (retry its failed orders, resume it, save its report).
 */
export function SendingHeader({
  sending,
  preparing,
  busy,
  onAction,
}: {
  sending: SendingView
  /** The step a running sending prepares now, if it does. */
  preparing?: PreparingEventView
  busy: boolean
  onAction: (action: SendingAction) => void
}) {
  const { t, i18n } = useTranslation()
  const showProgress = useShowProgress()
  const language = i18n.language
  const number = (value: number) => formatNumber(language, value)
  const counts = sending.counts
  const running = sending.state === 'running' || sending.state === 'queued'
  // An action's button is disabled while it works, and may go once it is done (retry, resume):
  // the focus goes back to it, else to the header.
  const section = useRef<HTMLElement>(null)
  const pressed = useRef<SendingAction | null>(null)
  const act = (action: SendingAction) => {
    pressed.current = action
    onAction(action)
  }
  useFocusWhenLost(busy, () =>
    busy
      ? null
      : (section.current?.querySelector<HTMLElement>(`[data-action="${pressed.current}"]`) ??
        section.current),
  )
  const { done, total } = sendingProgress(sending)
  // For screen readers, every few seconds: how far a running sending got (its preparing step
  // says itself), then at once that it ended, and how.
  const announcement = !running
    ? t('sendingPage.endedAnnouncement', {
        id: sending.id,
        state: t(`states.${sending.state}`),
      })
    : preparing
      ? ''
      : t('progress.announceNoEta', {
          percent: number(total > 0 ? Math.floor(Math.min(100, (done / total) * 100)) : 0),
          done: number(done),
          total: number(total),
        })

  const details: [string, string][] = [
    [t('sendingPage.profile'), sending.profileName],
    [t('sendingPage.range'), formatDayRange(language, sending.from, sending.to)],
    [t('sendingPage.origin'), t(`sendingPage.origins.${sending.origin}`)],
    [t('sendingPage.mode'), t(`history.modes.${sending.mode}`)],
    [t('sendingPage.started'), formatDateTime(language, sending.startedAt ?? sending.createdAt)],
    [t('sendingPage.finished'), formatDateTime(language, sending.finishedAt)],
    [t('sendingPage.duration'), formatDuration(t, sending.durationSeconds)],
    [t('sendingPage.expected'), number(sending.expectedTotal)],
  ]
  const countRows: [string, number][] = [
    [t('counts.created'), counts.created],
    [t('counts.alreadyExisted'), counts.alreadyExisted],
    [t('counts.failed'), counts.failed],
    [t('counts.skipped'), counts.skipped],
    [t('counts.remaining'), Math.max(0, total - done)],
    [t('counts.alreadySent'), sending.alreadySent],
  ]

  return (
    <Card component="section" aria-labelledby="sending-title" ref={section} tabIndex={-1}>
      <CardContent sx={{ p: { xs: 2, md: 3 } }}>
        <Stack
          direction={{ xs: 'column', md: 'row' }}
          spacing={2}
          sx={{ alignItems: { md: 'center' }, mb: 2 }}
        >
          <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', flexGrow: 1 }}>
            <Typography variant="h5" component="h2" id="sending-title">
              {t('sendingPage.title', { id: sending.id })}
            </Typography>
            <Chip color={STATE_COLORS[sending.state]} label={t(`states.${sending.state}`)} />
            {sending.origin === 'scheduled' ? (
              <Chip
                size="small"
                variant="outlined"
                color="secondary"
                icon={<ScheduleIcon />}
                label={t('history.scheduled')}
              />
            ) : null}
          </Stack>
          <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap' }}>
            {showProgress && showsProgress(sending) ? (
              <Button
                variant="contained"
                startIcon={<VisibilityIcon />}
                data-action="progress"
                onClick={() => showProgress(sending.id)}
              >
                {t('history.showProgress')}
              </Button>
            ) : null}
            {sending.canResume ? (
              <Button
                variant="contained"
                startIcon={<PlayArrowIcon />}
                disabled={busy}
                data-action="resume"
                onClick={() => act('resume')}
              >
                {t('history.resume')}
              </Button>
            ) : null}
            {sending.canRetryFailed ? (
              <Button
                variant="contained"
                startIcon={<ReplayIcon />}
                disabled={busy}
                data-action="retry"
                onClick={() => act('retry')}
              >
                {t('history.retry')}
              </Button>
            ) : null}
            {sending.hasReport ? (
              <Button
                variant="outlined"
                startIcon={<DownloadIcon />}
                disabled={busy}
                data-action="report"
                onClick={() => act('report')}
              >
                {t('sendingPage.saveReport')}
              </Button>
            ) : null}
          </Stack>
        </Stack>

        <Box
          component="dl"
          aria-label={t('sendingPage.details')}
          sx={{
            display: 'grid',
            gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(4, 1fr)' },
            columnGap: 3,
            rowGap: 1.5,
            m: 0,
            mb: 2,
            '& dt': { fontSize: 12, color: 'text.secondary' },
            '& dd': { m: 0 },
          }}
        >
          {details.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
          <Box sx={{ gridColumn: { xs: '1 / -1', md: 'span 4' } }}>
            <dt>{t('history.statuses')}</dt>
            <Box component="dd" sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5, mt: 0.5 }}>
              {sending.stateIds.map((id) => {
                // As recorded with the sending; older sendings only have what this session saw.
                const state =
                  sending.states.find((known) => known.id === id) ?? stateOf(sending.profileId, id)
                return state ? (
                  <StateChip key={id} name={state.name} color={state.color} />
                ) : (
                  <Chip key={id} size="small" variant="outlined" label={`#${id}`} />
                )
              })}
            </Box>
          </Box>
        </Box>

        {running ? (
          <Box sx={{ mb: 2 }}>
            <LinearProgress
              variant="determinate"
              value={total > 0 ? Math.min(100, (done / total) * 100) : 0}
              aria-label={t('history.progress', { id: sending.id })}
              sx={{ height: 8, borderRadius: 4 }}
            />
            <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
              {t('progress.ofTotal', { done: number(done), total: number(total) })}
            </Typography>
            {/* Its notices show with the imports, below: the history has them all. */}
            <PreparingStep event={preparing} running />
          </Box>
        ) : null}

        <CountTiles
          label={t('progress.counts')}
          counts={countRows.map(([label, value]) => [label, number(value)] as const)}
          columns={{ xs: 'repeat(3, 1fr)', md: `repeat(${countRows.length}, 1fr)` }}
        />

        {sending.byTarget && sending.byTarget.length > 0 ? (
          <AccountCountsTable byTarget={sending.byTarget} />
        ) : null}

        {sending.sharing ? (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }} role="note">
            {t('progress.sharedPeak', { rate: number(sending.sharing.peakPerMinute) })}
          </Typography>
        ) : null}
        {sending.fatalError ? (
          <Typography color="error" variant="body2" sx={{ mt: 2 }} role="note">
            {errorText(t, sending.fatalError)}
          </Typography>
        ) : null}
        {/* Instead of Resume and Retry, while they cannot help: what to mend, and where. */}
        {sending.blockedBy ? (
          <FixFirstNote block={sending.blockedBy} sendingId={sending.id} />
        ) : null}
        <LiveAnnouncement
          label={t('progress.announcer')}
          text={announcement}
          topic={!running ? 'ended' : preparing ? 'preparing' : 'sending'}
        />
      </CardContent>
    </Card>
  )
}
