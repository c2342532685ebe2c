import Box from '@mui/material/Box'
import { visuallyHidden } from '../visually-hidden'
import { useAnnouncement } from './use-announcement'

/**
 * A polite live region, not shown, that reads out `text` at most every few seconds (at once when
 * `topic` changes): how a sending goes, for screen readers, without the counts that change ten
 * times a second (use-announcement.ts). It stays in the page while its owner shows, empty or not,
 * so that its changes are heard.
 */
export function LiveAnnouncement({
  label,
  text,
  topic,
}: {
  /** The region's name ("Sending progress updates"). */
  label: string
  text: string
  topic: string
}) {
  const said = useAnnouncement(text, topic)
  return (
    <Box role="status" aria-live="polite" aria-atomic="true" aria-label={label} sx={visuallyHidden}>
      {said}
    </Box>
  )
}
