import ErrorOutlineIcon from '@mui/icons-material/ErrorOutlined'
import Box from '@mui/material/Box'
import Link from '@mui/material/Link'
import Typography from '@mui/material/Typography'
import { useTranslation } from 'react-i18next'
import type { SendingBlockView } from '../../preload/contract'
import { routeLink } from '../routing/use-hash-route'
import { fixFirstText } from './fix-first'

/**
 * Shown instead of Resume and "Retry failed orders" when they cannot help yet: what to mend, and
 * a link to the profile's editor where it is mended. Always in sight, never behind a hover.
 */
export function FixFirstNote({
  block,
  sendingId,
  dense = false,
}: {
  block: SendingBlockView
  sendingId: number
  /** A history row's cell: smaller text, within the cell's width. */
  dense?: boolean
}) {
  const { t } = useTranslation()
  return (
    <Box
      role="note"
      aria-label={t('fixFirst.label', { id: sendingId })}
      data-fix-first={sendingId}
      sx={{ display: 'flex', gap: 0.5, alignItems: 'flex-start', mt: dense ? 0.5 : 2 }}
    >
      <ErrorOutlineIcon color="error" fontSize="small" sx={{ mt: dense ? 0 : 0.25 }} aria-hidden />
      <Typography
        variant={dense ? 'caption' : 'body2'}
        color="error"
        sx={{ maxWidth: dense ? 240 : undefined, overflowWrap: 'anywhere' }}
      >
        {fixFirstText(t, block)}{' '}
        <Link
          {...routeLink({ page: 'profile', profileId: block.profileId })}
          color="inherit"
          sx={{ fontWeight: 500 }}
        >
          {t('fixFirst.openProfile')}
        </Link>
      </Typography>
    </Box>
  )
}
