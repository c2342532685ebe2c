import RefreshIcon from '@mui/icons-material/Refresh'
import ScheduleIcon from '@mui/icons-material/Schedule'
import VisibilityIcon from '@mui/icons-material/VisibilityOutlined'
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Card from '@mui/material/Card'
import CardContent from '@mui/material/CardContent'
import Chip from '@mui/material/Chip'
import CircularProgress from '@mui/material/CircularProgress'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogContentText from '@mui/material/DialogContentText'
import DialogTitle from '@mui/material/DialogTitle'
import FormControl from '@mui/material/FormControl'
import InputLabel from '@mui/material/InputLabel'
import LinearProgress from '@mui/material/LinearProgress'
import Link from '@mui/material/Link'
import MenuItem from '@mui/material/MenuItem'
import Select from '@mui/material/Select'
import Stack from '@mui/material/Stack'
import Table from '@mui/material/Table'
import TableBody from '@mui/material/TableBody'
import TableCell from '@mui/material/TableCell'
import TableContainer from '@mui/material/TableContainer'
import TableHead from '@mui/material/TableHead'
import TableRow from '@mui/material/TableRow'
import Tooltip from '@mui/material/Tooltip'
import Typography from '@mui/material/Typography'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppErrorValue, ProfileView, SendingView } from '../../preload/contract'
import { useApi } from '../api/api-context'
import { countedEvent, useSendingEvents } from '../api/sending-events'
import { errorText } from '../i18n/error-text'
import { routeLink } from '../routing/use-hash-route'
import { ErrorAlert } from './ErrorAlert'
import { useFocusWhenLost } from './focus-fallback'
import { FixFirstNote } from './FixFirstNote'
import { accountName, formatDateTime, formatDayRange, formatNumber } from './format'
import { HistoryRowActions, type HistoryAction } from './HistoryRowActions'
import { useShowProgress } from './progress/progress-context'
import { showsProgress } from './progress/running-sendings'
import { saveSendingReport } from './report-export'
import { RunDuration } from './RunDuration'
import { sendingProgress, STATE_COLORS, withLiveEvent } from './sending-live'
import { StateDot } from './StateChip'
import { stateOf } from './state-names'

export function HistoryPage({ profiles }: { profiles: readonly ProfileView[] }) {
  const api = useApi()
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const events = useSendingEvents()
  const showProgress = useShowProgress()
  const { latest, version } = events
  const [profileId, setProfileId] = useState<number | 'all'>('all')
  const [sendings, setSendings] = useState<readonly SendingView[] | null>(null)
  const [error, setError] = useState<AppErrorValue | null>(null)
  const [loading, setLoading] = useState(false)
  const [busy, setBusy] = useState<number | null>(null)
  /** Where the desktop app last saved a report (browser downloads show in the browser). */
  const [savedTo, setSavedTo] = useState<string | null>(null)
  /** The sendings whose fatal error shows (a keyboard opens it as well as a mouse). */
  const [errorsShown, setErrorsShown] = useState<ReadonlySet<number>>(new Set())
  /** The sending whose cancelling waits for a yes. */
  const [cancelling, setCancelling] = useState<number | null>(null)
  // A row's button is disabled while its action works, and may go once it is done (resume,
  // retry): the focus goes back to it, or to its row's link.
  const card = useRef<HTMLDivElement>(null)
  const acted = useRef<{ sendingId: number; action: string } | null>(null)
  const rowLink = () =>
    card.current?.querySelector<HTMLElement>(
      `[data-sending-link="${acted.current?.sendingId ?? ''}"]`,
    )

  const load = useCallback(async () => {
    setLoading(true)
    const result = await api.listHistory({ profileId: profileId === 'all' ? null : profileId })
    setLoading(false)
    if (result.ok) {
      setSendings([...result.data].sort((a, b) => b.id - a.id))
      setError(null)
    } else setError(result.error)
  }, [api, profileId])

  useEffect(() => {
    void load()
  }, [load])
  useFocusWhenLost(sendings, rowLink)
  useFocusWhenLost(busy, () =>
    busy !== null || acted.current === null
      ? null
      : (card.current?.querySelector<HTMLElement>(
          `[data-action="${acted.current.sendingId}-${acted.current.action}"]`,
        ) ?? rowLink()),
  )

  // Reload when a sending starts or ends; progress in between is merged from the events.
  const lastLifecycle = [...latest.values()].filter((event) => event.type !== 'progress').length
  useEffect(() => {
    if (lastLifecycle > 0) void load()
  }, [lastLifecycle, load])
  void version

  const act = async (sendingId: number, action: HistoryAction) => {
    // The row's actions button has the focus back after (its menu's items are gone).
    acted.current = { sendingId, action: 'actions' }
    setBusy(sendingId)
    setError(null)
    if (action === 'report') {
      setSavedTo(null)
      const outcome = await saveSendingReport(api, sendingId)
      if (!outcome.ok) setError(outcome.error)
      else setSavedTo(outcome.path)
    } else {
      const result =
        action === 'resume'
          ? await api.resumeSending({ sendingId })
          : action === 'retry'
            ? await api.retryFailed({ sendingId })
            : await api.cancelSending({ sendingId })
      if (!result.ok) setError(result.error)
      await load()
    }
    setBusy(null)
  }

  // A preparing event counts no order: the counts stay those of the last event that did.
  const live = (sending: SendingView): SendingView =>
    withLiveEvent(sending, countedEvent(events, sending.id))

  // A status as the sending recorded it; older sendings only have what this session saw.
  const stateName = (sending: SendingView, id: number) =>
    sending.states.find((state) => state.id === id) ?? stateOf(sending.profileId, id)

  const closeCancel = (confirmed: boolean) => {
    const sendingId = cancelling
    setCancelling(null)
    if (sendingId === null) return
    if (confirmed) void act(sendingId, 'cancel')
    // The dialog gives the focus back to the row's actions button, not to its menu (gone).
    setTimeout(() =>
      card.current?.querySelector<HTMLElement>(`[data-action="${sendingId}-actions"]`)?.focus(),
    )
  }

  return (
    <Card ref={card}>
      <CardContent sx={{ p: { xs: 2, md: 3 } }}>
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 2 }}>
          <Typography variant="h5" component="h2" sx={{ flexGrow: 1 }}>
            {t('history.title')}
          </Typography>
          <FormControl size="small" sx={{ minWidth: 220 }}>
            <InputLabel id="history-profile-label">{t('history.filter')}</InputLabel>
            <Select
              labelId="history-profile-label"
              label={t('history.filter')}
              value={profileId}
              onChange={(event) =>
                setProfileId(event.target.value === 'all' ? 'all' : Number(event.target.value))
              }
            >
              <MenuItem value="all">{t('history.allProfiles')}</MenuItem>
              {profiles.map((profile) => (
                <MenuItem key={profile.id} value={profile.id}>
                  {profile.name}
                </MenuItem>
              ))}
            </Select>
          </FormControl>
          <Button
            startIcon={loading ? <CircularProgress size={16} /> : <RefreshIcon />}
            onClick={() => void load()}
            disabled={loading}
          >
            {t('history.refresh')}
          </Button>
        </Stack>
        <ErrorAlert error={error} />
        {savedTo !== null ? (
          <Alert severity="success" onClose={() => setSavedTo(null)} sx={{ mb: 2 }}>
            {t('history.reportSaved', { path: savedTo })}
          </Alert>
        ) : null}
        {sendings === null ? (
          error ? null : (
            <Box sx={{ display: 'flex', justifyContent: 'center', py: 6 }}>
              <CircularProgress aria-label={t('common.loading')} />
            </Box>
          )
        ) : sendings.length === 0 ? (
          <Typography color="text.secondary" sx={{ py: 4, textAlign: 'center' }}>
            {t('history.empty')}
          </Typography>
        ) : (
          <TableContainer sx={{ overflowX: 'auto' }}>
            {/* Narrower cells than MUI's, so the eleven columns fit a 1280 px window. */}
            <Table
              size="small"
              aria-label={t('history.title')}
              sx={{ '& .MuiTableCell-root': { px: 1 } }}
            >
              <TableHead>
                <TableRow>
                  <TableCell>#</TableCell>
                  <TableCell>{t('history.profile')}</TableCell>
                  <TableCell>{t('history.range')}</TableCell>
                  <TableCell>{t('history.statuses')}</TableCell>
                  <TableCell>{t('history.startedModeDuration')}</TableCell>
                  <TableCell>{t('history.state')}</TableCell>
                  <TableCell align="right">{t('counts.created')}</TableCell>
                  <TableCell align="right">{t('counts.alreadyExisted')}</TableCell>
                  <TableCell align="right">{t('counts.failed')}</TableCell>
                  <TableCell align="right">{t('counts.skipped')}</TableCell>
                  <TableCell align="center" sx={stickyEnd}>
                    {t('history.actions')}
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {sendings.map((original) => {
                  const sending = live(original)
                  const counts = sending.counts
                  // Orders left out as already sent are in the store's count but never processed.
                  const { done, total } = sendingProgress(sending)
                  const running = sending.state === 'running' || sending.state === 'queued'
                  return (
                    <TableRow
                      key={sending.id}
                      hover
                      aria-label={t('history.row', { id: sending.id })}
                    >
                      <TableCell>
                        {/* The sending's own page: its orders, what was sent, what came back. */}
                        <Link
                          {...routeLink({ page: 'sending', sendingId: sending.id })}
                          aria-label={t('history.open', { id: sending.id })}
                          data-sending-link={sending.id}
                          underline="hover"
                          sx={{ fontWeight: 500 }}
                        >
                          {sending.id}
                        </Link>
                      </TableCell>
                      <TableCell sx={{ maxWidth: 180, overflowWrap: 'anywhere' }}>
                        {sending.profileName}
                        {sending.origin === 'scheduled' ? (
                          <Tooltip title={t('history.scheduledHelp')}>
                            <Chip
                              size="small"
                              variant="outlined"
                              color="secondary"
                              icon={<ScheduleIcon />}
                              label={t('history.scheduled')}
                              sx={{ display: 'flex', width: 'fit-content', mt: 0.5 }}
                            />
                          </Tooltip>
                        ) : null}
                      </TableCell>
                      <TableCell sx={{ whiteSpace: 'nowrap' }}>
                        {formatDayRange(language, sending.from, sending.to)}
                      </TableCell>
                      <TableCell>
                        <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5, maxWidth: 200 }}>
                          {sending.stateIds.slice(0, 1).map((id) => {
                            const state = stateName(sending, id)
                            return (
                              <Chip
                                key={id}
                                size="small"
                                variant="outlined"
                                icon={state ? <StateDot color={state.color} /> : undefined}
                                label={state?.name ?? `#${id}`}
                                title={state?.name}
                                sx={{ maxWidth: 200, '& .MuiChip-icon': { ml: 0.75 } }}
                              />
                            )
                          })}
                          {sending.stateIds.length > 1 ? (
                            <Tooltip
                              title={sending.stateIds
                                .slice(1)
                                .map((id) => stateName(sending, id)?.name ?? `#${id}`)
                                .join(', ')}
                            >
                              <Chip
                                size="small"
                                // Focusable, so a keyboard shows the names too.
                                tabIndex={0}
                                label={t('history.moreStatuses', {
                                  count: sending.stateIds.length - 1,
                                })}
                              />
                            </Tooltip>
                          ) : null}
                        </Box>
                      </TableCell>
                      <TableCell sx={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(language, sending.startedAt ?? sending.createdAt)}
                        <Typography
                          variant="caption"
                          color="text.secondary"
                          sx={{ display: 'block' }}
                        >
                          {t(`history.modes.${sending.mode}`)} · <RunDuration sending={sending} />
                        </Typography>
                      </TableCell>
                      <TableCell sx={{ minWidth: 120 }}>
                        <Chip
                          size="small"
                          color={STATE_COLORS[sending.state]}
                          label={t(`states.${sending.state}`)}
                        />
                        {running ? (
                          <Box sx={{ mt: 0.5 }}>
                            <LinearProgress
                              variant="determinate"
                              value={total > 0 ? Math.min(100, (done / total) * 100) : 0}
                              aria-label={t('history.progress', { id: sending.id })}
                            />
                            <Typography variant="caption" color="text.secondary">
                              {formatNumber(language, done)} / {formatNumber(language, total)}
                            </Typography>
                            {showProgress && showsProgress(sending) ? (
                              <Button
                                size="small"
                                startIcon={<VisibilityIcon />}
                                data-action={`${sending.id}-progress`}
                                aria-label={t('history.showProgressOf', { id: sending.id })}
                                onClick={() => showProgress(sending.id)}
                                sx={{ display: 'flex', mt: 0.25, px: 0.5, minWidth: 0 }}
                              >
                                {t('history.showProgress')}
                              </Button>
                            ) : null}
                          </Box>
                        ) : null}
                        {sending.byTarget && sending.byTarget.length > 0 ? (
                          <Tooltip
                            title={
                              <Box component="ul" sx={{ m: 0, pl: 2 }}>
                                {sending.byTarget.map((entry) => (
                                  <li key={entry.target}>
                                    {t('history.accountCounts', {
                                      account: accountName(t, entry.target),
                                      created: formatNumber(language, entry.counts.created),
                                      existed: formatNumber(language, entry.counts.alreadyExisted),
                                      failed: formatNumber(language, entry.counts.failed),
                                      skipped: formatNumber(language, entry.counts.skipped),
                                    })}
                                  </li>
                                ))}
                              </Box>
                            }
                          >
                            <Typography
                              variant="caption"
                              color="text.secondary"
                              sx={{ display: 'block', cursor: 'help' }}
                              tabIndex={0}
                            >
                              {t('history.accounts', { count: sending.byTarget.length })}
                            </Typography>
                          </Tooltip>
                        ) : null}
                        {sending.blockedBy ? (
                          <FixFirstNote block={sending.blockedBy} sendingId={sending.id} dense />
                        ) : null}
                        {sending.fatalError && sending.blockedBy ? (
                          // What to mend is in sight; Connectif's or the store's own words are a
                          // press away (a keyboard's too), never behind a hover.
                          <>
                            <Button
                              size="small"
                              color="error"
                              aria-expanded={errorsShown.has(sending.id)}
                              aria-controls={`history-error-${sending.id}`}
                              onClick={() =>
                                setErrorsShown((shown) => {
                                  const next = new Set(shown)
                                  if (!next.delete(sending.id)) next.add(sending.id)
                                  return next
                                })
                              }
                              sx={{ display: 'flex', px: 0.5, minWidth: 0, textAlign: 'left' }}
                            >
                              {errorsShown.has(sending.id)
                                ? t('history.hideError')
                                : t('history.seeError')}
                            </Button>
                            <Typography
                              id={`history-error-${sending.id}`}
                              variant="caption"
                              color="error"
                              hidden={!errorsShown.has(sending.id)}
                              sx={{ '&:not([hidden])': { display: 'block' }, maxWidth: 240 }}
                            >
                              {errorText(t, sending.fatalError)}
                            </Typography>
                          </>
                        ) : sending.fatalError ? (
                          <Typography
                            variant="caption"
                            color="error"
                            data-fatal-error={sending.id}
                            sx={{ display: 'block', maxWidth: 240, overflowWrap: 'anywhere' }}
                          >
                            {errorText(t, sending.fatalError)}
                          </Typography>
                        ) : null}
                      </TableCell>
                      <TableCell align="right">{formatNumber(language, counts.created)}</TableCell>
                      <TableCell align="right">
                        {formatNumber(language, counts.alreadyExisted)}
                      </TableCell>
                      <TableCell align="right">{formatNumber(language, counts.failed)}</TableCell>
                      <TableCell align="right">
                        {formatNumber(language, counts.skipped)}
                        {/* Most sendings skip what was sent (the wizard's default): say it when
                            it left some out, not on every row. */}
                        {sending.alreadySent > 0 ? (
                          <Typography
                            variant="caption"
                            color="text.secondary"
                            sx={{ display: 'block', whiteSpace: 'nowrap' }}
                          >
                            {t('history.alreadySent', {
                              count: sending.alreadySent,
                              orders: formatNumber(language, sending.alreadySent),
                            })}
                          </Typography>
                        ) : null}
                      </TableCell>
                      <TableCell align="center" sx={stickyEnd}>
                        <HistoryRowActions
                          sending={sending}
                          busy={busy === sending.id}
                          onAction={(action) => {
                            if (action === 'cancel') setCancelling(sending.id)
                            else if (action === 'progress') showProgress?.(sending.id)
                            else void act(sending.id, action)
                          }}
                        />
                      </TableCell>
                    </TableRow>
                  )
                })}
              </TableBody>
            </Table>
          </TableContainer>
        )}
      </CardContent>
      <Dialog
        open={cancelling !== null}
        onClose={() => closeCancel(false)}
        aria-labelledby="history-cancel-title"
        disableRestoreFocus
      >
        <DialogTitle id="history-cancel-title">{t('progress.cancelTitle')}</DialogTitle>
        <DialogContent>
          <DialogContentText>{t('progress.cancelText')}</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => closeCancel(false)}>{t('progress.keepSending')}</Button>
          <Button color="error" variant="contained" onClick={() => closeCancel(true)}>
            {t('progress.confirmCancel')}
          </Button>
        </DialogActions>
      </Dialog>
    </Card>
  )
}

/** The actions column stays in sight when the table scrolls sideways. */
const stickyEnd = {
  position: 'sticky',
  right: 0,
  bgcolor: 'background.paper',
  // Above the row's hover tint, with a hint of the columns scrolling under it.
  zIndex: 1,
  boxShadow: (theme: { palette: { divider: string } }) => `inset 1px 0 0 ${theme.palette.divider}`,
} as const
