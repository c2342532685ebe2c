import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import CircularProgress from '@mui/material/CircularProgress'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useTranslation } from 'react-i18next'
import { ErrorAlert } from '../ErrorAlert'
import { accountName, formatDay, formatDuration, formatNumber } from '../format'
import type { WizardState } from './wizard-state'

/**
 * Step 5: what the sending will do (orders, those already sent and left out, the split across
 * Connectif accounts for a routed profile, the estimated duration) before the merchant confirms.
 */
export function SummaryStep({
  state,
  profileName,
}: {
  state: WizardState
  profileName: string | undefined
}) {
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const { summary, summaryError, startError, lookup, mode, noWorkflows, skipSent } = state
  // Orders of the range no Connectif account serves: recorded as skipped, with the reason.
  const unserved = summary?.byTarget?.find((entry) => entry.target === '')?.orders ?? 0
  // Orders their account already has are left out before any request (skip-sent sendings).
  const alreadySent = summary?.alreadySent ?? 0
  const toSend = Math.max(0, (summary?.ordersToSend ?? 0) - alreadySent)

  return (
    <Box>
      <ErrorAlert error={summaryError} />
      {summary === null ? (
        summaryError ? null : (
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, py: 4 }}>
            <CircularProgress size={28} aria-label={t('wizard.loadingSummary')} />
            <Typography color="text.secondary">{t('wizard.loadingSummary')}</Typography>
          </Box>
        )
      ) : (
        <Stack spacing={2}>
          <Box
            component="dl"
            aria-label={t('wizard.steps.summary')}
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
            <dt>{t('wizard.mode')}</dt>
            <dd>{mode === 'progress' ? t('wizard.modeProgress') : t('wizard.modeBackground')}</dd>
            <dt>{t('wizard.workflows')}</dt>
            <dd>{noWorkflows ? t('wizard.workflowsOff') : t('wizard.workflowsOn')}</dd>
            <dt>{t('wizard.skipSentSummary')}</dt>
            <dd>{skipSent ? t('wizard.skipSentOn') : t('wizard.skipSentOff')}</dd>
          </Box>
          {unserved > 0 ? (
            <Alert severity="warning">{t('wizard.unserved', { count: unserved })}</Alert>
          ) : null}
          {alreadySent > 0 ? (
            <Alert severity="info">
              {t('wizard.alreadySent', {
                count: alreadySent,
                orders: formatNumber(language, alreadySent),
              })}
            </Alert>
          ) : null}
          {summary.ordersToSend === 0 ? (
            <Alert severity="info">{t('wizard.nothingToSend')}</Alert>
          ) : toSend === 0 ? (
            <Alert severity="info">{t('wizard.nothingNewToSend')}</Alert>
          ) : (
            <Alert severity="info">{t('wizard.confirmText', { count: toSend })}</Alert>
          )}
          <ErrorAlert error={startError} />
        </Stack>
      )}
    </Box>
  )
}
