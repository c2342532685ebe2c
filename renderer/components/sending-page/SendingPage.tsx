import ArrowBackIcon from '@mui/icons-material/ArrowBack'
import Alert from '@mui/material/Alert'
import AlertTitle from '@mui/material/AlertTitle'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Card from '@mui/material/Card'
import CardContent from '@mui/material/CardContent'
import CircularProgress from '@mui/material/CircularProgress'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppErrorValue, SendingTimeline, SendingView } from '../../../preload/contract'
import { useApi } from '../../api/api-context'
import { countedEvent, preparingStep, useSendingEvents } from '../../api/sending-events'
import { errorText } from '../../i18n/error-text'
import type { SendingFilter } from '../../routing/hash-routes'
import { navigate, routeLink, useHashRoute } from '../../routing/use-hash-route'
import { ErrorAlert } from '../ErrorAlert'
import { saveSendingReport } from '../report-export'
import { withLiveEvent } from '../sending-live'
import { ImportsSection } from './ImportsSection'
import { OrderDetailDialog } from './OrderDetailDialog'
import { OrdersGrid } from './OrdersGrid'
import { OutcomeSection } from './OutcomeSection'
import { ResultsChart } from './ResultsChart'
import { SendingHeader, type SendingAction } from './SendingHeader'
import { useThrottledTick } from './use-throttled-tick'

/** While a sending runs, its page asks main for its orders and timeline at most this often. */
export const LIVE_RELOAD_MS = 2_000

const HISTORY = { page: 'history' } as const

function BackToHistory() {
  const { t } = useTranslation()
  return (
    <Button startIcon={<ArrowBackIcon />} {...routeLink(HISTORY)}>
      {t('sendingPage.back')}
    </Button>
  )
}

/**
 * A sending's own page (`#/sendings/<id>`): its header and actions, its results over time, and
 * every order in a server-side grid with the detail of what was sent and what came back. Follows
 * the sending live: the counts from its events, the rest asked again at most every 2 s.
 */
export function SendingPage({ sendingId }: { sendingId: number }) {
  const api = useApi()
  const { t } = useTranslation()
  const events = useSendingEvents()
  const event = events.latest.get(sendingId)
  const [sending, setSending] = useState<SendingView | null>(null)
  const [loadError, setLoadError] = useState<AppErrorValue | null>(null)
  const [timeline, setTimeline] = useState<SendingTimeline | null>(null)
  const [actionError, setActionError] = useState<AppErrorValue | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [openOrder, setOpenOrder] = useState<number | null>(null)
  const [reloads, setReloads] = useState(0)
  // The orders shown: the address's filter (a link to a reason, or the result picked here).
  const route = useHashRoute()
  const filter =
    route.page === 'sending' && route.sendingId === sendingId ? route.filter : undefined
  const ordersSection = useRef<HTMLElement>(null)
  const setFilter = useCallback(
    (next: SendingFilter | null) =>
      navigate(
        { page: 'sending', sendingId, ...(next ? { filter: next } : {}) },
        { replace: true },
      ),
    [sendingId],
  )

  // Every event of this sending asks for a reload; progress and preparing ones (about ten a
  // second each) at most every LIVE_RELOAD_MS, its start, its end and a notice (an import that
  // fell back, said once) at once.
  const urgent =
    event !== undefined &&
    (event.type === 'started' ||
      event.type === 'finished' ||
      (event.type === 'preparing' && event.notice !== undefined))
  const reloadKey = useThrottledTick(event, urgent, LIVE_RELOAD_MS) + reloads

  useEffect(() => {
    let live = true
    void api.getSending({ sendingId }).then((answer) => {
      if (!live) return
      if (answer.ok) {
        setSending(answer.data)
        setLoadError(null)
      } else setLoadError(answer.error)
    })
    void api.sendingTimeline({ sendingId }).then((answer) => {
      if (live && answer.ok) setTimeline(answer.data)
    })
    return () => {
      live = false
    }
  }, [api, sendingId, reloadKey])

  const openOrderDetail = useCallback((orderId: number) => setOpenOrder(orderId), [])

  const act = async (action: SendingAction) => {
    setBusy(true)
    setActionError(null)
    setNotice(null)
    if (action === 'report') {
      const outcome = await saveSendingReport(api, sendingId)
      if (!outcome.ok) setActionError(outcome.error)
      else if (outcome.path !== null) setNotice(t('history.reportSaved', { path: outcome.path }))
    } else if (action === 'retry') {
      const answer = await api.retryFailed({ sendingId })
      if (answer.ok) setNotice(t('sendingPage.retried', { count: answer.data.retried }))
      else setActionError(answer.error)
      setReloads((value) => value + 1)
    } else {
      const answer = await api.resumeSending({ sendingId })
      if (answer.ok) setNotice(t('sendingPage.resumed'))
      else setActionError(answer.error)
      setReloads((value) => value + 1)
    }
    setBusy(false)
  }

  if (sending === null)
    return (
      <Stack spacing={2} sx={{ alignItems: 'flex-start' }}>
        <BackToHistory />
        {loadError === null ? (
          <Box sx={{ display: 'flex', justifyContent: 'center', py: 8, width: '100%' }}>
            <CircularProgress aria-label={t('common.loading')} />
          </Box>
        ) : loadError.code === 'sending_not_found' ? (
          <Alert severity="warning" variant="outlined" sx={{ width: '100%' }}>
            <AlertTitle>{t('sendingPage.notFoundTitle', { id: sendingId })}</AlertTitle>
            {errorText(t, loadError)} {t('sendingPage.notFoundHelp')}
          </Alert>
        ) : (
          <Box sx={{ width: '100%' }}>
            <ErrorAlert error={loadError} title={t('sendingPage.loadFailed', { id: sendingId })} />
          </Box>
        )}
      </Stack>
    )

  // A preparing event counts no order: the counts stay those of the last event that did.
  const shown = withLiveEvent(sending, countedEvent(events, sendingId))
  const routed = (shown.byTarget?.length ?? 0) > 0

  return (
    <Stack spacing={2}>
      <Box>
        <BackToHistory />
      </Box>
      <SendingHeader
        sending={shown}
        preparing={preparingStep(events, sendingId)}
        busy={busy}
        onAction={(action) => void act(action)}
      />
      <ErrorAlert error={actionError ?? loadError} />
      {notice ? (
        <Alert severity="info" role="status" onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      ) : null}
      <OutcomeSection
        sending={shown}
        onFollow={() => ordersSection.current?.scrollIntoView({ block: 'start' })}
      />
      <ImportsSection sending={shown} />
      <Card component="section" aria-labelledby="sending-chart-title">
        <CardContent sx={{ p: { xs: 2, md: 3 } }}>
          <Typography variant="h6" component="h3" id="sending-chart-title" sx={{ mb: 1 }}>
            {t('sendingPage.chartTitle')}
          </Typography>
          <ResultsChart timeline={timeline} />
        </CardContent>
      </Card>
      <Card component="section" aria-labelledby="sending-orders-title" ref={ordersSection}>
        <CardContent sx={{ p: { xs: 2, md: 3 } }}>
          <Typography variant="h6" component="h3" id="sending-orders-title" sx={{ mb: 2 }}>
            {t('sendingPage.ordersTitle')}
          </Typography>
          <OrdersGrid
            sendingId={sendingId}
            routed={routed}
            reloadKey={reloadKey}
            filter={filter}
            reasons={shown.reasons}
            onFilter={setFilter}
            onOpenOrder={openOrderDetail}
          />
        </CardContent>
      </Card>
      {openOrder !== null ? (
        <OrderDetailDialog
          sendingId={sendingId}
          orderId={openOrder}
          onClose={() => setOpenOrder(null)}
        />
      ) : null}
    </Stack>
  )
}
