import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import CircularProgress from '@mui/material/CircularProgress'
import { useTranslation } from 'react-i18next'
import { useSendingEvents } from '../../api/sending-events'
import { navigate } from '../../routing/use-hash-route'
import { visuallyHidden } from '../visually-hidden'
import { useShowProgress } from './progress-context'
import { runningSendings } from './running-sendings'

/**
 * The app bar's sign that sendings run here (nothing when none does): how many, and a press away
 * the progress of the one running, or the history when several do.
 */
export function RunningSendingsButton({ atStart }: { atStart: readonly number[] }) {
  const { t } = useTranslation()
  const events = useSendingEvents()
  const showProgress = useShowProgress()
  const running = runningSendings(atStart, events)
  const count = running.length
  if (count === 0) return null
  const only = count === 1 ? running[0] : undefined
  return (
    <Button
      color="inherit"
      variant="outlined"
      size="small"
      data-testid="running-sendings"
      startIcon={
        <Box component="span" aria-hidden sx={{ display: 'flex' }}>
          <CircularProgress size={14} color="inherit" aria-hidden />
        </Box>
      }
      onClick={() => {
        if (only !== undefined && showProgress) showProgress(only)
        else navigate({ page: 'history' })
      }}
      sx={{ whiteSpace: 'nowrap', flexShrink: 0, borderColor: 'rgba(255,255,255,0.6)' }}
    >
      {t('running.count', { count })}
      {/* The visible words start the name (WCAG 2.5.3); what a press does completes it. */}
      <Box component="span" sx={visuallyHidden}>
        {` — ${only !== undefined ? t('running.showProgress') : t('running.showHistory')}`}
      </Box>
    </Button>
  )
}
