import CancelIcon from '@mui/icons-material/Cancel'
import DownloadIcon from '@mui/icons-material/Download'
import EditIcon from '@mui/icons-material/EditOutlined'
import MoreVertIcon from '@mui/icons-material/MoreVert'
import OpenInNewIcon from '@mui/icons-material/OpenInNew'
import PlayArrowIcon from '@mui/icons-material/PlayArrow'
import ReplayIcon from '@mui/icons-material/Replay'
import VisibilityIcon from '@mui/icons-material/VisibilityOutlined'
import IconButton from '@mui/material/IconButton'
import ListItemIcon from '@mui/material/ListItemIcon'
import ListItemText from '@mui/material/ListItemText'
import Menu from '@mui/material/Menu'
import MenuItem from '@mui/material/MenuItem'
import Tooltip from '@mui/material/Tooltip'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SendingView } from '../../preload/contract'
import { routeLink } from '../routing/use-hash-route'
import { showsProgress } from './progress/running-sendings'

export type HistoryAction = 'resume' | 'retry' | 'cancel' | 'report' | 'progress'

/**
 * A history row's actions in one menu button, so they never go off the side of a narrow table:
 * its page, its progress while it runs here, its report, resume, retry its failed orders (or,
 * when they cannot help yet, its profile to mend), cancel it. The button stays enabled
 * (and keeps the focus) while an action works; the menu's items are disabled meanwhile.
 */
export function HistoryRowActions({
  sending,
  busy,
  onAction,
}: {
  sending: SendingView
  busy: boolean
  onAction: (action: HistoryAction) => void
}) {
  const { t } = useTranslation()
  const [anchor, setAnchor] = useState<HTMLElement | null>(null)
  const running = sending.state === 'running' || sending.state === 'queued'
  const menuId = `history-actions-${sending.id}`
  const buttonId = `${menuId}-button`
  const choose = (action: HistoryAction) => {
    setAnchor(null)
    onAction(action)
  }
  const link = routeLink({ page: 'sending', sendingId: sending.id })
  const profileLink = sending.blockedBy
    ? routeLink({ page: 'profile', profileId: sending.blockedBy.profileId })
    : null
  const label = t('history.rowActions', { id: sending.id })

  return (
    <>
      <Tooltip title={label}>
        <IconButton
          id={buttonId}
          size="small"
          aria-label={label}
          aria-haspopup="menu"
          aria-controls={anchor ? menuId : undefined}
          aria-expanded={anchor ? 'true' : undefined}
          data-action={`${sending.id}-actions`}
          onClick={(event) => setAnchor(event.currentTarget)}
        >
          <MoreVertIcon fontSize="small" />
        </IconButton>
      </Tooltip>
      <Menu
        id={menuId}
        anchorEl={anchor}
        open={anchor !== null}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
        slotProps={{ list: { 'aria-labelledby': buttonId } }}
      >
        <MenuItem
          component="a"
          href={link.href}
          onClick={(event) => {
            setAnchor(null)
            link.onClick(event)
          }}
        >
          <ListItemIcon>
            <OpenInNewIcon fontSize="small" />
          </ListItemIcon>
          <ListItemText>{t('history.openItem')}</ListItemText>
        </MenuItem>
        {showsProgress(sending) ? (
          <MenuItem onClick={() => choose('progress')}>
            <ListItemIcon>
              <VisibilityIcon fontSize="small" />
            </ListItemIcon>
            <ListItemText>{t('history.showProgress')}</ListItemText>
          </MenuItem>
        ) : null}
        {sending.hasReport ? (
          <MenuItem disabled={busy} onClick={() => choose('report')}>
            <ListItemIcon>
              <DownloadIcon fontSize="small" />
            </ListItemIcon>
            <ListItemText>{t('history.download', { id: sending.id })}</ListItemText>
          </MenuItem>
        ) : null}
        {sending.canResume ? (
          <MenuItem disabled={busy} onClick={() => choose('resume')}>
            <ListItemIcon>
              <PlayArrowIcon fontSize="small" />
            </ListItemIcon>
            <ListItemText>{t('history.resume')}</ListItemText>
          </MenuItem>
        ) : null}
        {sending.canRetryFailed ? (
          <MenuItem disabled={busy} onClick={() => choose('retry')}>
            <ListItemIcon>
              <ReplayIcon fontSize="small" />
            </ListItemIcon>
            <ListItemText>{t('history.retry')}</ListItemText>
          </MenuItem>
        ) : null}
        {sending.blockedBy ? (
          <MenuItem
            component="a"
            href={profileLink?.href}
            onClick={(event) => {
              setAnchor(null)
              profileLink?.onClick(event)
            }}
          >
            <ListItemIcon>
              <EditIcon fontSize="small" />
            </ListItemIcon>
            <ListItemText>{t('fixFirst.openProfile')}</ListItemText>
          </MenuItem>
        ) : null}
        {sending.runningHere && running ? (
          <MenuItem disabled={busy} onClick={() => choose('cancel')} sx={{ color: 'error.main' }}>
            <ListItemIcon sx={{ color: 'inherit' }}>
              <CancelIcon fontSize="small" />
            </ListItemIcon>
            <ListItemText>{t('progress.cancel')}</ListItemText>
          </MenuItem>
        ) : null}
      </Menu>
    </>
  )
}
