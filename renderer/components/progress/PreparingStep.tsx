import CloudUploadIcon from '@mui/icons-material/CloudUpload'
import ManageSearchIcon from '@mui/icons-material/ManageSearch'
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useTranslation } from 'react-i18next'
import type { PreparingEventView } from '../../api/sending-events'
import { visuallyHidden } from '../visually-hidden'
import { noticeText, preparingText, type ImportNoticeItem } from './import-notices'
import { useAnnouncement } from './use-announcement'

/**
 * The preparing step of a sending that creates missing contacts and products, as the progress
 * window and the sending's page show it: a line saying what it does now (reading the range,
 * importing into an account) and a warning for each import that fell back to creating them one
 * by one. The line is also said in a polite live region that stays while the sending runs, so that
 * each new step is read out without stealing the focus: at once for a new step, its counts (how
 * far the range is read) at most every few seconds (use-announcement.ts). The warnings stay once
 * heard.
 */
export function PreparingStep({
  event,
  running,
  notices = [],
}: {
  /** The step under way; undefined when the sending is not preparing (or not heard yet). */
  event: PreparingEventView | undefined
  /** Keeps the live region while the sending runs, empty between steps. */
  running: boolean
  notices?: readonly ImportNoticeItem[]
}) {
  const { t, i18n } = useTranslation()
  const text = event ? preparingText(t, i18n.language, event) : ''
  // A step is news; its counts moving on are not, every time.
  const topic = event
    ? [event.step, event.what, event.account, event.status].map((part) => part ?? '').join('|')
    : ''
  const said = useAnnouncement(text, topic)
  if (!running && notices.length === 0) return null
  const Icon = event?.step === 'reading' ? ManageSearchIcon : CloudUploadIcon
  return (
    <Box sx={{ mt: event || notices.length > 0 ? 2 : 0 }}>
      {running ? (
        <>
          {/* Shown as it moves; read out by the region below (not twice). */}
          {event ? (
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }} aria-hidden>
              <Icon fontSize="small" color="primary" />
              <Typography variant="body2">{text}</Typography>
            </Stack>
          ) : null}
          <Box
            role="status"
            aria-live="polite"
            aria-atomic="true"
            aria-label={t('preparing.label')}
            sx={visuallyHidden}
          >
            {said}
          </Box>
        </>
      ) : null}
      {notices.length > 0 ? (
        <Stack spacing={1} sx={{ mt: running && event ? 1 : 0 }}>
          {notices.map((notice) => (
            <Alert key={notice.key} severity="warning">
              {noticeText(t, notice)}
            </Alert>
          ))}
        </Stack>
      ) : null}
    </Box>
  )
}
