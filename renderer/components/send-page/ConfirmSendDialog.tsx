import Alert from '@mui/material/Alert'
import AlertTitle from '@mui/material/AlertTitle'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Checkbox from '@mui/material/Checkbox'
import CircularProgress from '@mui/material/CircularProgress'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogTitle from '@mui/material/DialogTitle'
import FormControlLabel from '@mui/material/FormControlLabel'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useApi } from '../../api/api-context'
import { outcomeReasonText } from '../../i18n/outcome-reason'
import { ErrorAlert } from '../ErrorAlert'
import { accountName, formatDay, formatDuration, formatNumber } from '../format'
import { notValidatedPicked, toDay } from './send-selectors'
import type { SendDispatch, SendMode, SendState } from './send-state'

/**
 * The one confirmation before a sending: what it will do (orders to send, those already sent left
 * out, the split across Connectif accounts, the estimated duration), the orders it will skip
 * grouped by reason (every order mapped as the engine will, read as it opens), a warning to
 * accept when statuses that are not validated are picked, and how to follow it.
 */
export function ConfirmSendDialog(props: {
  state: SendState
  dispatch: SendDispatch
  profileName: string | undefined
  onSend: (mode: SendMode) => void
}) {
  const { state, dispatch, profileName, onSend } = props
  const { t, i18n } = useTranslation()
  const api = useApi()
  const language = i18n.language
  const { summary, skips, skipsError, starting, startError, confirming, lookup } = state
  const { profileId, stateIds } = state
  const fromDay = toDay(state.from)
  const toDayValue = toDay(state.to)

  // Mapping every order takes a moment on a large range: the rest of the dialog does not wait.
  useEffect(() => {
    if (!confirming || profileId === '' || !fromDay || !toDayValue || stateIds.length === 0) return
    let live = true
    void api
      .expectedSkips({ profileId, from: fromDay, to: toDayValue, stateIds: [...stateIds] })
      .then((result) => {
        if (live) dispatch({ type: 'skipsLoaded', result })
      })
    return () => {
      live = false
    }
  }, [api, dispatch, confirming, profileId, fromDay, toDayValue, stateIds])

  const risky = notValidatedPicked(state)
  const blocked = starting || (risky.length > 0 && !state.notValidatedAccepted)
  const alreadySent = summary?.alreadySent ?? 0
  const toSend = Math.max(0, (summary?.ordersToSend ?? 0) - alreadySent)
  const unserved = summary?.byTarget?.find((entry) => entry.target === '')?.orders ?? 0
  const close = () => dispatch({ type: 'confirmClosed' })

  return (
    <Dialog
      open={confirming}
      // Closed without sending, the focus goes back to "Review and send" (SendPage); once sent,
      // to the top of the page.
      disableRestoreFocus
      onClose={close}
      maxWidth="md"
      fullWidth
      aria-labelledby="confirm-send-title"
    >
      <DialogTitle id="confirm-send-title">{t('sendPage.confirm.title')}</DialogTitle>
      <DialogContent>
        {summary ? (
          <Stack spacing={2}>
            <Box
              component="dl"
              aria-label={t('sendPage.confirm.summary')}
              sx={{
                display: 'grid',
                gridTemplateColumns: 'max-content 1fr',
                columnGap: 3,
                rowGap: 1,
                m: 0,
                '& dt': { color: 'text.secondary' },
                '& dd': { m: 0, fontWeight: 500 },
              }}
            >
              <dt>{t('wizard.profile')}</dt>
              <dd>{profileName}</dd>
              <dt>{t('wizard.range')}</dt>
              <dd>
                {formatDay(language, summary.from)} – {formatDay(language, summary.to)}
              </dd>
              <dt>{t('wizard.steps.statuses')}</dt>
              <dd>
                {summary.stateIds
                  .map((id) => lookup?.states.find((each) => each.id === id)?.name ?? `#${id}`)
                  .join(', ')}
              </dd>
              <dt>{t('wizard.ordersToSend')}</dt>
              <dd data-testid="orders-to-send">{formatNumber(language, toSend)}</dd>
              {alreadySent > 0 ? (
                <>
                  <dt>{t('wizard.alreadySentLabel')}</dt>
                  <dd data-testid="orders-already-sent">{formatNumber(language, alreadySent)}</dd>
                </>
              ) : null}
              {summary.byTarget ? (
                <>
                  <dt>{t('wizard.byAccount')}</dt>
                  <dd data-testid="orders-by-account">
                    {summary.byTarget
                      .map((entry) =>
                        t('wizard.accountOrders', {
                          account: accountName(t, entry.target),
                          count: entry.orders,
                          orders: formatNumber(language, entry.orders),
                        }),
                      )
                      .join(' · ')}
                  </dd>
                </>
              ) : null}
              <dt>{t('wizard.estimatedDuration')}</dt>
              <dd>
                {t('wizard.estimate', {
                  duration: formatDuration(t, summary.estimatedMinutes * 60),
                  rate: formatNumber(language, summary.rateLimit),
                })}
              </dd>
              <dt>{t('wizard.workflows')}</dt>
              <dd>{state.noWorkflows ? t('wizard.workflowsOff') : t('wizard.workflowsOn')}</dd>
              <dt>{t('wizard.skipSentSummary')}</dt>
              <dd>{state.skipSent ? t('wizard.skipSentOn') : t('wizard.skipSentOff')}</dd>
            </Box>
            {alreadySent > 0 ? (
              <Alert severity="info">
                {t('wizard.alreadySent', {
                  count: alreadySent,
                  orders: formatNumber(language, alreadySent),
                })}
              </Alert>
            ) : null}
            {unserved > 0 ? (
              <Alert severity="warning">{t('wizard.unserved', { count: unserved })}</Alert>
            ) : null}
            <ExpectedSkips skips={skips} error={skipsError} />
            {risky.length > 0 ? (
              <Alert severity="warning" data-testid="not-validated-warning">
                <AlertTitle>{t('sendPage.confirm.notValidatedTitle')}</AlertTitle>
                {t('sendPage.confirm.notValidated', {
                  count: risky.length,
                  statuses: risky.map((each) => each.name).join(', '),
                })}
                <Box>
                  <FormControlLabel
                    control={
                      <Checkbox
                        checked={state.notValidatedAccepted}
                        onChange={(event) =>
                          dispatch({ type: 'notValidatedAccepted', value: event.target.checked })
                        }
                      />
                    }
                    label={t('sendPage.confirm.notValidatedAccept')}
                  />
                </Box>
              </Alert>
            ) : null}
            <ErrorAlert error={startError} />
          </Stack>
        ) : null}
      </DialogContent>
      <DialogActions sx={{ flexWrap: 'wrap', gap: 1 }}>
        <Button onClick={close} disabled={starting}>
          {t('common.cancel')}
        </Button>
        <Button variant="outlined" disabled={blocked} onClick={() => onSend('background')}>
          {t('wizard.modeBackground')}
        </Button>
        <Button
          variant="contained"
          disabled={blocked}
          onClick={() => onSend('progress')}
          startIcon={starting ? <CircularProgress size={16} color="inherit" /> : null}
        >
          {t('wizard.modeProgress')}
        </Button>
      </DialogActions>
    </Dialog>
  )
}

/** The orders the sending will skip, by reason ("20 orders of deleted customers"). */
function ExpectedSkips(props: { skips: SendState['skips']; error: SendState['skipsError'] }) {
  const { skips, error } = props
  const { t } = useTranslation()
  if (error) return <ErrorAlert error={error} title={t('sendPage.confirm.skipsFailed')} />
  return (
    <Box role="region" aria-labelledby="expected-skips-title" data-testid="expected-skips">
      <Typography id="expected-skips-title" component="h3" variant="subtitle1">
        {t('sendPage.confirm.skipsTitle')}
      </Typography>
      {skips === null ? (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
          <CircularProgress size={16} aria-hidden />
          <Typography variant="body2" color="text.secondary">
            {t('sendPage.confirm.skipsChecking')}
          </Typography>
        </Box>
      ) : skips.skipped === 0 ? (
        <Typography variant="body2">{t('sendPage.confirm.skipsNone')}</Typography>
      ) : (
        <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
          {skips.byReason.map((entry) => (
            <li key={entry.code}>{outcomeReasonText(t, 'skipped', entry.code, entry.orders)}</li>
          ))}
        </Box>
      )}
    </Box>
  )
}
