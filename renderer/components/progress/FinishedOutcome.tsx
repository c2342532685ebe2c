import Box from '@mui/material/Box'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SendingCountsView, SendingView } from '../../../preload/contract'
import { useApi } from '../../api/api-context'
import { CountTiles } from '../CountTiles'
import { formatNumber } from '../format'
import { CreatedTiles, saysCreated } from '../outcome/CreatedTiles'
import { ReasonLinks } from '../outcome/ReasonLinks'

/**
 * What a finished sending did, in its progress window: its orders created, already in Connectif,
 * skipped and failed (and left, when it stopped early), the contacts and products it created, and
 * its skipped and failed orders by reason, each a link to its page showing them. The reasons and
 * what it created are asked of the history once it is over.
 */
export function FinishedOutcome({
  sendingId,
  counts,
  alreadySent,
  remaining,
  onFollow,
}: {
  sendingId: number
  counts: SendingCountsView | null
  /** Skip-sent sendings: orders left out as already sent; else null. */
  alreadySent: number | null
  remaining: number
  /** A reason's link was followed: the window closes. */
  onFollow: () => void
}) {
  const api = useApi()
  const { t, i18n } = useTranslation()
  const [sending, setSending] = useState<SendingView | null>(null)
  const failed = counts?.failed ?? 0
  const skipped = counts?.skipped ?? 0

  // Asked again should the counts move (a finished event after the history's answer).
  useEffect(() => {
    let live = true
    void api.getSending({ sendingId }).then((answer) => {
      if (live && answer.ok) setSending(answer.data)
    })
    return () => {
      live = false
    }
  }, [api, sendingId, failed, skipped])

  const number = (value: number) => formatNumber(i18n.language, value)
  const rows: (readonly [string, string])[] = [
    [t('outcome.counts.created'), number(counts?.created ?? 0)],
    [t('outcome.counts.alreadyInConnectif'), number(counts?.alreadyExisted ?? 0)],
    [t('outcome.counts.skipped'), number(skipped)],
    [t('outcome.counts.failed'), number(failed)],
    ...(remaining > 0 ? [[t('counts.remaining'), number(remaining)] as const] : []),
    ...(alreadySent !== null ? [[t('counts.alreadySent'), number(alreadySent)] as const] : []),
  ]
  const shown = sending?.id === sendingId ? sending : null
  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      <CountTiles
        label={t('progress.counts')}
        counts={rows}
        columns={{ xs: 'repeat(2, 1fr)', md: `repeat(${rows.length}, 1fr)` }}
      />
      {shown && saysCreated(shown) ? <CreatedTiles created={shown.created} /> : null}
      {shown ? (
        <ReasonLinks
          sendingId={sendingId}
          reasons={shown.reasons}
          headingComponent="h3"
          onFollow={onFollow}
        />
      ) : null}
    </Box>
  )
}
