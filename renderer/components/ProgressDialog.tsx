import HourglassTopIcon from '@mui/icons-material/HourglassTop'
import SpeedIcon from '@mui/icons-material/Speed'
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogContentText from '@mui/material/DialogContentText'
import DialogTitle from '@mui/material/DialogTitle'
import LinearProgress from '@mui/material/LinearProgress'
import Typography from '@mui/material/Typography'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type {
  AppErrorValue,
  SendingCountsView,
  SendingStateView,
  TargetCountsView,
} from '../../preload/contract'
import { useApi } from '../api/api-context'
import {
  countedEvent,
  preparingNotices,
  preparingStep,
  useSendingEvents,
} from '../api/sending-events'
import { errorText } from '../i18n/error-text'
import { ErrorAlert } from './ErrorAlert'
import { useFocusBackAfter } from './focus-fallback'
import { formatDuration, formatNumber } from './format'
import {
  mergeNotices,
  noticeOfEvent,
  noticesOfImports,
  type ImportNoticeItem,
} from './progress/import-notices'
import { LiveAnnouncement } from './progress/LiveAnnouncement'
import { FinishedOutcome } from './progress/FinishedOutcome'
import { PreparingStep } from './progress/PreparingStep'
import { addRateSample, NO_SAMPLES } from './progress/rate-samples'
import { RequestRateChart } from './progress/RequestRateChart'
import { AccountCountsTable } from './AccountCountsTable'
import { CountTiles } from './CountTiles'

interface Snapshot {
  expectedTotal: number
  counts: SendingCountsView | null
  perMinute: number | null
  etaSeconds: number | null
  waiting: boolean
  state: SendingStateView
  fatalError: { code: string; message: string } | null
  /** Routed sendings: the counts per Connectif account. */
  byTarget: readonly TargetCountsView[] | null
  /** Skip-sent sendings: orders left out because their account already has them; else null. */
  alreadySent: number | null
  /** Requests a minute each Connectif account allows (the sending's); null until known. */
  rateLimit: number | null
  /** Another integration's requests a minute while it shares the account now; else null. */
  sharedWith: number | null
}

const FINAL: readonly SendingStateView[] = [
  'completed',
  'completed_with_errors',
  'failed',
  'cancelled',
  'interrupted',
]

export function ProgressDialog({
  sendingId,
  onClose,
  onOpenHistory,
}: {
  sendingId: number
  onClose: () => void
  onOpenHistory: () => void
}) {
  const api = useApi()
  const { t, i18n } = useTranslation()
  const events = useSendingEvents()
  const [fromHistory, setFromHistory] = useState<Snapshot | null>(null)
  // The fallbacks the history recorded before this window opened (or heard them).
  const [recorded, setRecorded] = useState<{
    sendingId: number
    notices: readonly ImportNoticeItem[]
  }>({ sendingId, notices: [] })
  const [confirmCancel, setConfirmCancel] = useState(false)
  const [error, setError] = useState<AppErrorValue | null>(null)
  const [cancelling, setCancelling] = useState(false)
  // Disabled while it cancels: the focus comes back to its place (Close, once it stopped).
  const cancelButton = useFocusBackAfter<HTMLButtonElement>(cancelling)
  // The pace heard while this window is open, for the chart against the account's limit.
  const [pace, setPace] = useState({ sendingId, record: NO_SAMPLES })
  // The highest rate of another integration sharing the account: recorded, or heard since.
  const [sharedPeak, setSharedPeak] = useState({ sendingId, perMinute: 0 })

  // Starting point (and a safety net for events sent before this window listened).
  useEffect(() => {
    let live = true
    void api.listHistory({}).then((result) => {
      if (!live || !result.ok) return
      const sending = result.data.find((each) => each.id === sendingId)
      if (sending) {
        const skipping = sending.options.skipSent === true || sending.alreadySent > 0
        setFromHistory({
          // The store's count includes the orders left out as already sent: none of them will come.
          expectedTotal: Math.max(0, sending.expectedTotal - sending.alreadySent),
          counts: sending.counts,
          perMinute: null,
          etaSeconds: null,
          waiting: false,
          state: sending.state,
          fatalError: sending.fatalError,
          byTarget: sending.byTarget ?? null,
          alreadySent: skipping ? sending.alreadySent : null,
          rateLimit: sending.options.rateLimit,
          sharedWith: null,
        })
        const recordedPeak = sending.sharing?.peakPerMinute ?? 0
        setSharedPeak((old) => ({
          sendingId,
          perMinute: Math.max(old.sendingId === sendingId ? old.perMinute : 0, recordedPeak),
        }))
        setRecorded({
          sendingId,
          notices: noticesOfImports(sending.imports, (sending.byTarget?.length ?? 0) > 0),
        })
      }
    })
    return () => {
      live = false
    }
  }, [api, sendingId])

  // While the sending prepares, its counts stay those of its last event that counted orders.
  const event = countedEvent(events, sendingId)
  const step = preparingStep(events, sendingId)
  const notices = mergeNotices(
    recorded.sendingId === sendingId ? recorded.notices : [],
    preparingNotices(events, sendingId).flatMap((heard) => noticeOfEvent(heard) ?? []),
  )
  useEffect(() => {
    if (event?.type !== 'progress') return
    // A window that moves on to another sending starts its record afresh.
    setPace((old) => ({
      sendingId: event.sendingId,
      record: addRateSample(old.sendingId === event.sendingId ? old.record : NO_SAMPLES, {
        at: Date.now(),
        perMinute: event.perMinute,
      }),
    }))
    const shared = event.sharedWith?.requestsPerMinute ?? 0
    setSharedPeak((old) => ({
      sendingId: event.sendingId,
      perMinute: Math.max(old.sendingId === event.sendingId ? old.perMinute : 0, shared),
    }))
  }, [event])
  const rate = pace.sendingId === sendingId ? pace.record.samples : []
  const rateLimit = fromHistory?.rateLimit ?? null
  let snapshot: Snapshot | null = fromHistory
  if (event?.type === 'progress')
    snapshot = {
      expectedTotal: event.expectedTotal,
      counts: event.counts,
      perMinute: event.perMinute,
      etaSeconds: event.etaSeconds,
      waiting: event.waiting !== null,
      state: 'running',
      fatalError: null,
      byTarget: event.byTarget ?? fromHistory?.byTarget ?? null,
      alreadySent: event.alreadySent ?? fromHistory?.alreadySent ?? null,
      rateLimit,
      sharedWith: event.sharedWith?.requestsPerMinute ?? null,
    }
  else if (event?.type === 'finished')
    snapshot = {
      expectedTotal: event.counts.total,
      counts: event.counts,
      perMinute: null,
      etaSeconds: 0,
      waiting: false,
      state: event.state,
      fatalError: event.fatalError,
      byTarget: event.byTarget ?? fromHistory?.byTarget ?? null,
      alreadySent: event.alreadySent ?? fromHistory?.alreadySent ?? null,
      rateLimit,
      sharedWith: null,
    }
  else if (event?.type === 'started')
    snapshot = {
      expectedTotal: event.expectedTotal,
      counts: fromHistory?.counts ?? null,
      perMinute: null,
      etaSeconds: null,
      waiting: false,
      state: 'running',
      fatalError: null,
      byTarget: fromHistory?.byTarget ?? null,
      alreadySent: fromHistory?.alreadySent ?? null,
      rateLimit,
      sharedWith: null,
    }
  if (fromHistory && FINAL.includes(fromHistory.state) && event?.type !== 'finished')
    snapshot = fromHistory

  const state = snapshot?.state ?? 'queued'
  const finished = FINAL.includes(state)
  const counts = snapshot?.counts ?? null
  const total = Math.max(snapshot?.expectedTotal ?? 0, counts?.total ?? 0)
  const done = counts ? counts.created + counts.alreadyExisted + counts.failed + counts.skipped : 0
  const percent = total > 0 ? Math.min(100, (done / total) * 100) : finished ? 100 : 0
  const remaining = counts ? Math.max(0, total - done) : total
  const number = (value: number) => formatNumber(i18n.language, value)
  // For screen readers, every few seconds (LiveAnnouncement): how far it got, what is left. Not
  // while it prepares (its step says itself) nor once finished (the summary says it).
  const sending = !finished && !step
  const announcement = !sending
    ? ''
    : [
        t(snapshot?.etaSeconds != null ? 'progress.announce' : 'progress.announceNoEta', {
          percent: number(Math.floor(percent)),
          done: number(done),
          total: number(total),
          eta: formatDuration(t, snapshot?.etaSeconds ?? null),
        }),
        snapshot?.waiting ? t('progress.waiting') : '',
      ]
        .join(' ')
        .trim()

  const cancel = async () => {
    setConfirmCancel(false)
    setCancelling(true)
    const result = await api.cancelSending({ sendingId })
    setCancelling(false)
    if (!result.ok) setError(result.error)
  }

  const rows: [string, number][] = [
    [t('counts.created'), counts?.created ?? 0],
    [t('counts.alreadyExisted'), counts?.alreadyExisted ?? 0],
    [t('counts.failed'), counts?.failed ?? 0],
    [t('counts.skipped'), counts?.skipped ?? 0],
    [t('counts.remaining'), remaining],
    // Not processed by this sending at all: beside the counts, outside its total.
    ...(snapshot?.alreadySent != null
      ? [[t('counts.alreadySent'), snapshot.alreadySent] as [string, number]]
      : []),
  ]

  return (
    <Dialog
      open
      fullWidth
      maxWidth="sm"
      aria-labelledby="progress-title"
      // Escape does what its buttons do: the sending goes on in the background, or is over.
      onClose={(_event, reason) => {
        if (reason === 'escapeKeyDown') onClose()
      }}
    >
      <DialogTitle id="progress-title">
        {finished
          ? t(`outcome.title.${state}`, { id: sendingId })
          : t('progress.title', { id: sendingId })}
      </DialogTitle>
      <DialogContent>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mb: 1 }}>
          <LinearProgress
            variant="determinate"
            value={percent}
            aria-label={t('progress.bar')}
            sx={{ flexGrow: 1, height: 10, borderRadius: 5 }}
            color={state === 'failed' ? 'error' : finished ? 'success' : 'primary'}
          />
          <Typography variant="body2" sx={{ minWidth: 48, textAlign: 'right' }}>
            {Math.floor(percent)}%
          </Typography>
        </Box>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {t('progress.ofTotal', { done: number(done), total: number(total) })}
        </Typography>
        {/* What happened first, its error said once; then the counts and the reasons. */}
        {finished ? (
          <Alert
            severity={
              state === 'completed'
                ? 'success'
                : state === 'completed_with_errors'
                  ? 'warning'
                  : 'error'
            }
            sx={{ mb: 2 }}
            role="status"
          >
            {t(`progress.summary.${state}`, {
              created: number(counts?.created ?? 0),
              existed: number(counts?.alreadyExisted ?? 0),
              failed: number(counts?.failed ?? 0),
              skipped: number(counts?.skipped ?? 0),
            })}
            {snapshot?.fatalError ? ` ${errorText(t, snapshot.fatalError)}` : ''}
          </Alert>
        ) : null}
        {finished ? (
          <FinishedOutcome
            sendingId={sendingId}
            counts={counts}
            alreadySent={snapshot?.alreadySent ?? null}
            remaining={remaining}
            onFollow={onClose}
          />
        ) : (
          <CountTiles
            label={t('progress.counts')}
            counts={rows.map(([label, value]) => [label, number(value)] as const)}
            columns={`repeat(${rows.length}, 1fr)`}
          />
        )}
        {snapshot?.byTarget && snapshot.byTarget.length > 0 ? (
          <AccountCountsTable byTarget={snapshot.byTarget} />
        ) : null}
        <PreparingStep event={finished ? undefined : step} running={!finished} notices={notices} />
        {/* No pace nor estimate while it prepares: no order is sent yet. */}
        {!finished && !step ? (
          <Typography variant="body2" sx={{ mt: 2 }}>
            {/* Until two answers came in the last minute there is no pace yet, not a pace of 0. */}
            {snapshot?.perMinute
              ? t('progress.rate', {
                  rate: number(Math.round(snapshot.perMinute)),
                  eta: formatDuration(t, snapshot.etaSeconds),
                })
              : t('outcome.measuring')}
          </Typography>
        ) : null}
        {rate.length > 0 ? (
          <RequestRateChart
            samples={rate}
            limit={snapshot?.rateLimit ?? null}
            routed={(snapshot?.byTarget?.length ?? 0) > 0}
          />
        ) : null}
        {!finished && snapshot?.waiting ? (
          // Not an alert read out at once: it comes and goes; the announcement says it.
          <Alert severity="info" icon={<HourglassTopIcon />} sx={{ mt: 2 }} role="note">
            {t('progress.waiting')}
          </Alert>
        ) : null}
        {!finished && snapshot?.sharedWith != null ? (
          <Alert severity="info" icon={<SpeedIcon />} sx={{ mt: 2 }} role="note">
            {t('progress.shared', { rate: number(snapshot.sharedWith) })}
          </Alert>
        ) : finished && sharedPeak.sendingId === sendingId && sharedPeak.perMinute > 0 ? (
          <Alert severity="info" icon={<SpeedIcon />} sx={{ mt: 2 }} role="note">
            {t('progress.sharedPeak', { rate: number(sharedPeak.perMinute) })}
          </Alert>
        ) : null}
        <ErrorAlert error={error} />
        <LiveAnnouncement
          label={t('progress.announcer')}
          text={announcement}
          topic={finished ? 'finished' : step ? 'preparing' : 'sending'}
        />
      </DialogContent>
      <DialogActions>
        {finished ? (
          <>
            <Button onClick={onClose}>{t('common.close')}</Button>
            <Button variant="contained" onClick={onOpenHistory}>
              {t('progress.openReport')}
            </Button>
          </>
        ) : (
          <>
            <Button
              ref={cancelButton}
              color="error"
              disabled={cancelling}
              onClick={() => setConfirmCancel(true)}
            >
              {t('progress.cancel')}
            </Button>
            <Button variant="contained" onClick={onClose}>
              {t('progress.continueInBackground')}
            </Button>
          </>
        )}
      </DialogActions>
      <Dialog
        open={confirmCancel}
        onClose={() => setConfirmCancel(false)}
        aria-labelledby="cancel-title"
      >
        <DialogTitle id="cancel-title">{t('progress.cancelTitle')}</DialogTitle>
        <DialogContent>
          <DialogContentText>{t('progress.cancelText')}</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirmCancel(false)}>{t('progress.keepSending')}</Button>
          <Button color="error" variant="contained" onClick={() => void cancel()}>
            {t('progress.confirmCancel')}
          </Button>
        </DialogActions>
      </Dialog>
    </Dialog>
  )
}
