import ContentCopyIcon from '@mui/icons-material/ContentCopy'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Chip from '@mui/material/Chip'
import CircularProgress from '@mui/material/CircularProgress'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogTitle from '@mui/material/DialogTitle'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppErrorValue, SendingOrderDetail } from '../../../preload/contract'
import { useApi } from '../../api/api-context'
import { ErrorAlert } from '../ErrorAlert'
import { accountName, formatDateTime, formatNumber } from '../format'
import { copyText } from './copy-text'
import { RESULT_COLORS } from './OrdersGrid'

/** JSON as people read it: two-space indents; a raw answer that is JSON is indented the same. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? String(value)
}

export function prettyAnswer(raw: string): string {
  try {
    return prettyJson(JSON.parse(raw))
  } catch {
    return raw
  }
}

/** A block of code with its caption and a button that copies it. */
function CodeBlock({
  caption,
  copyLabel,
  code,
}: {
  caption: string
  copyLabel: string
  code: string
}) {
  const { t } = useTranslation()
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null)
  const copy = async () => setCopied((await copyText(code)) ? 'yes' : 'failed')
  return (
    <Box component="figure" aria-label={caption} sx={{ m: 0, mb: 2 }}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 0.5 }}>
        <Typography component="figcaption" variant="subtitle2" sx={{ flexGrow: 1 }}>
          {caption}
        </Typography>
        <Typography
          variant="caption"
          color={copied === 'failed' ? 'error' : 'success.main'}
          role="status"
        >
          {copied === 'yes'
            ? t('sendingPage.copied')
            : copied === 'failed'
              ? t('sendingPage.copyFailed')
              : ''}
        </Typography>
        <Button
          size="small"
          startIcon={<ContentCopyIcon />}
          aria-label={copyLabel}
          onClick={() => void copy()}
        >
          {t('sendingPage.copy')}
        </Button>
      </Stack>
      <Box
        component="pre"
        tabIndex={0}
        sx={{
          m: 0,
          p: 1.5,
          maxHeight: 320,
          overflow: 'auto',
          // A light grey in the light theme, a lighter shade of the dark one's surface there.
          bgcolor: 'action.hover',
          border: 1,
          borderColor: 'divider',
          borderRadius: 1,
          fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
          fontSize: 13,
          lineHeight: 1.45,
          whiteSpace: 'pre',
        }}
      >
        {code}
      </Box>
    </Box>
  )
}

/**
 * One order of a sending: how it went, the exact JSON that was (or will be) sent to Connectif —
 * the purchase, and the contact when one goes with it — and Connectif's raw answer.
 */
export function OrderDetailDialog({
  sendingId,
  orderId,
  onClose,
}: {
  sendingId: number
  orderId: number
  onClose: () => void
}) {
  const api = useApi()
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const [order, setOrder] = useState<SendingOrderDetail | null>(null)
  const [error, setError] = useState<AppErrorValue | null>(null)

  useEffect(() => {
    let live = true
    void api.getSendingOrder({ sendingId, orderId }).then((answer) => {
      if (!live) return
      if (answer.ok) setOrder(answer.data)
      else setError(answer.error)
    })
    return () => {
      live = false
    }
  }, [api, sendingId, orderId])

  const facts: [string, string][] = order
    ? [
        [t('sendingPage.columns.orderDate'), formatDateTime(language, order.orderDate)],
        [t('sendingPage.columns.customerEmail'), order.customerEmail],
        [t('sendingPage.columns.total'), order.total],
        ...(order.target !== ''
          ? [[t('sendingPage.columns.target'), accountName(t, order.target)] as [string, string]]
          : []),
        [
          t('sendingPage.columns.httpStatus'),
          order.httpStatus === null ? '—' : String(order.httpStatus),
        ],
        [t('sendingPage.columns.errorCode'), order.errorCode ?? '—'],
        [t('sendingPage.columns.attempts'), formatNumber(language, order.attempts)],
        [t('sendingPage.columns.sentAt'), formatDateTime(language, order.sentAt)],
      ]
    : []

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md" aria-labelledby="order-detail-title">
      <DialogTitle id="order-detail-title">
        {order
          ? t('sendingPage.detailTitle', { id: orderId, reference: order.reference })
          : t('sendingPage.detailTitleShort', { id: orderId })}
      </DialogTitle>
      <DialogContent dividers>
        <ErrorAlert error={error} />
        {order === null ? (
          error ? null : (
            <Box sx={{ display: 'flex', justifyContent: 'center', py: 4 }}>
              <CircularProgress aria-label={t('common.loading')} />
            </Box>
          )
        ) : (
          <>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 2 }}>
              <Chip
                color={RESULT_COLORS[order.result]}
                variant={order.result === 'pending' ? 'outlined' : 'filled'}
                label={t(`sendingPage.results.${order.result}`)}
              />
              {order.message ? <Typography variant="body2">{order.message}</Typography> : null}
            </Stack>
            <Box
              component="dl"
              aria-label={t('sendingPage.orderFacts')}
              sx={{
                display: 'grid',
                gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(4, 1fr)' },
                columnGap: 2,
                rowGap: 1,
                m: 0,
                mb: 2,
                '& dt': { fontSize: 12, color: 'text.secondary' },
                '& dd': { m: 0, overflowWrap: 'anywhere' },
              }}
            >
              {facts.map(([label, value]) => (
                <div key={label}>
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </Box>
            <Typography variant="h6" component="h3" sx={{ mb: 1 }}>
              {order.result === 'pending'
                ? t('sendingPage.pendingRequest')
                : t('sendingPage.sentRequest')}
            </Typography>
            {order.request ? (
              <>
                <CodeBlock
                  caption={t('sendingPage.purchase')}
                  copyLabel={t('sendingPage.copyPurchase')}
                  code={prettyJson(order.request.purchase)}
                />
                {order.request.contact !== null ? (
                  <CodeBlock
                    caption={t('sendingPage.contact')}
                    copyLabel={t('sendingPage.copyContact')}
                    code={prettyJson(order.request.contact)}
                  />
                ) : null}
              </>
            ) : (
              <Typography color="text.secondary" sx={{ mb: 2 }}>
                {t('sendingPage.noRequest')}
              </Typography>
            )}
            <Typography variant="h6" component="h3" sx={{ mb: 1 }}>
              {t('sendingPage.response')}
            </Typography>
            {order.response !== null ? (
              <CodeBlock
                caption={t('sendingPage.rawResponse')}
                copyLabel={t('sendingPage.copyResponse')}
                code={prettyAnswer(order.response)}
              />
            ) : (
              <Typography color="text.secondary">{t('sendingPage.noResponse')}</Typography>
            )}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('common.close')}</Button>
      </DialogActions>
    </Dialog>
  )
}
