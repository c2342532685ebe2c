import Card from '@mui/material/Card'
import CardContent from '@mui/material/CardContent'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useTranslation } from 'react-i18next'
import type { SendingView } from '../../../preload/contract'
import { CreatedTiles, saysCreated } from '../outcome/CreatedTiles'
import { ReasonLinks } from '../outcome/ReasonLinks'

/**
 * Why a sending's orders were skipped or failed, grouped by reason, each group a link that shows
 * only its orders in the grid below (`onFollow`), and the contacts and products it created in
 * Connectif: the page explains its orders without the CSV report. Nothing when no order was
 * skipped or failed and it could not create contacts or products.
 */
export function OutcomeSection({
  sending,
  onFollow,
}: {
  sending: SendingView
  onFollow: () => void
}) {
  const { t } = useTranslation()
  const created = saysCreated(sending)
  if (sending.reasons.length === 0 && !created) return null
  return (
    <Card component="section" aria-labelledby="sending-outcome-title">
      <CardContent sx={{ p: { xs: 2, md: 3 } }}>
        <Typography variant="h6" component="h3" id="sending-outcome-title" sx={{ mb: 2 }}>
          {sending.reasons.length > 0 ? t('outcome.reasonsTitle') : t('outcome.createdTitle')}
        </Typography>
        <Stack spacing={2}>
          <ReasonLinks
            sendingId={sending.id}
            reasons={sending.reasons}
            headingComponent="h4"
            onFollow={onFollow}
          />
          {created ? <CreatedTiles created={sending.created} /> : null}
        </Stack>
      </CardContent>
    </Card>
  )
}
