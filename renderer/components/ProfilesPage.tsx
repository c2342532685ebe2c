import AddIcon from '@mui/icons-material/Add'
import ContentCopyIcon from '@mui/icons-material/ContentCopy'
import DeleteIcon from '@mui/icons-material/Delete'
import EditIcon from '@mui/icons-material/Edit'
import NetworkCheckIcon from '@mui/icons-material/NetworkCheck'
import ScheduleIcon from '@mui/icons-material/Schedule'
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Card from '@mui/material/Card'
import CardContent from '@mui/material/CardContent'
import CircularProgress from '@mui/material/CircularProgress'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogContentText from '@mui/material/DialogContentText'
import DialogTitle from '@mui/material/DialogTitle'
import IconButton from '@mui/material/IconButton'
import Stack from '@mui/material/Stack'
import Tooltip from '@mui/material/Tooltip'
import Typography from '@mui/material/Typography'
import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppErrorValue, AppInfo, ConnectionTest, ProfileView } from '../../preload/contract'
import { useApi } from '../api/api-context'
import { useSendingEvents } from '../api/sending-events'
import { ErrorAlert } from './ErrorAlert'
import { useFocusWhenLost } from './focus-fallback'
import { ConnectionTestResult } from './profile-editor/ConnectionTestResult'
import { hasDraft } from './profile-editor/profile-drafts'
import { PrivacySettings } from './privacy/PrivacySettings'
import { useProfileFile } from './profiles/profile-file'
import {
  clearEditorReturn,
  editorReturnedFrom,
  openProfileEditor,
} from './profiles/profile-navigation'
import { ProfileSecretChips } from './profiles/ProfileSecretChips'
import { ProfileStoreSummary } from './profiles/ProfileStoreSummary'
import { secretsFromVariables } from './profiles/secret-text'
import { OpenAtLoginSetting } from './schedule/OpenAtLoginSetting'
import { ScheduleDialog } from './schedule/ScheduleDialog'
import { ScheduleStatus } from './schedule/ScheduleStatus'

/** How often the page reads the profiles again, for their schedules' last and next runs. */
const SCHEDULE_REFRESH_MS = 30_000

export function ProfilesPage({
  info,
  profiles,
  onChanged,
}: {
  info: AppInfo
  profiles: readonly ProfileView[]
  onChanged: () => Promise<void>
}) {
  const api = useApi()
  const { t } = useTranslation()
  const [deleting, setDeleting] = useState<ProfileView | null>(null)
  const [error, setError] = useState<AppErrorValue | null>(null)
  const [tests, setTests] = useState<Record<number, ConnectionTest | 'running'>>({})
  const [scheduling, setScheduling] = useState<ProfileView | null>(null)
  const [now, setNow] = useState(() => Date.now())
  const events = useSendingEvents()
  // Import… and Export… (profiles files, without secrets).
  const file = useProfileFile({ info, profiles, onImported: onChanged })
  // A deleted profile's card takes its buttons with it: the focus goes to New profile.
  const create = useRef<HTMLButtonElement>(null)
  useFocusWhenLost(profiles, () => create.current)
  // A card's test button is disabled while it tests: the focus goes back to it.
  const tested = useRef<number | null>(null)
  const page = useRef<HTMLDivElement>(null)
  useFocusWhenLost(tests, () =>
    page.current?.querySelector<HTMLElement>(`[data-action="test-${tested.current ?? ''}"]`),
  )
  // Back from a profile's editor: the focus on the button that opened it (before the app gives
  // the new page's focus to its main area).
  useLayoutEffect(() => {
    const from = editorReturnedFrom()
    if (from === null) return
    clearEditorReturn()
    const opener =
      from === 'new'
        ? create.current
        : page.current?.querySelector<HTMLElement>(`[data-action="edit-${from}"]`)
    ;(opener ?? create.current)?.focus()
  }, [])
  const fromVariables = secretsFromVariables(info)
  // An editor left for this page hands its unsaved changes over as it goes, after this page's
  // first render: read them again then.
  const [, setDraftsRead] = useState(false)
  useEffect(() => setDraftsRead(true), [])

  // Scheduled runs happen while the page is open: their results and next runs are read again
  // now and then, and whenever a sending starts or ends.
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now())
      void onChanged()
    }, SCHEDULE_REFRESH_MS)
    return () => clearInterval(timer)
  }, [onChanged])
  // Changes when a sending starts or ends, not on its progress.
  const milestones = [...events.latest.values()]
    .map((event) => `${event.sendingId}:${event.type === 'finished' ? 'ended' : 'running'}`)
    .join(',')
  useEffect(() => {
    if (milestones === '') return
    setNow(Date.now())
    void onChanged()
  }, [milestones, onChanged])

  // The copy opens in its editor, its name selected: the merchant sees it is the copy.
  const duplicate = async (profile: ProfileView) => {
    setError(null)
    const result = await api.duplicateProfile({ id: profile.id })
    await onChanged()
    if (!result.ok) return setError(result.error)
    openProfileEditor(result.data.id, profile.name)
  }

  const remove = async () => {
    if (!deleting) return
    const id = deleting.id
    setDeleting(null)
    setError(null)
    const result = await api.deleteProfile({ id })
    if (!result.ok) setError(result.error)
    await onChanged()
  }

  const test = async (profile: ProfileView) => {
    tested.current = profile.id
    setTests((old) => ({ ...old, [profile.id]: 'running' }))
    const result = await api.testProfile({ id: profile.id })
    if (!result.ok) {
      setError(result.error)
      setTests((old) => {
        const copy = { ...old }
        delete copy[profile.id]
        return copy
      })
      return
    }
    setTests((old) => ({ ...old, [profile.id]: result.data }))
  }

  return (
    <Stack spacing={2} ref={page}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Typography variant="h5" component="h2" sx={{ flexGrow: 1 }}>
          {t('profiles.title')}
        </Typography>
        {file.buttons}
        <Button
          ref={create}
          variant="contained"
          startIcon={<AddIcon />}
          onClick={() => openProfileEditor('new')}
        >
          {t('profiles.new')}
        </Button>
      </Box>
      <ErrorAlert error={error} />
      {hasDraft('new', null) ? (
        <Alert
          severity="info"
          action={
            <Button color="inherit" size="small" onClick={() => openProfileEditor('new')}>
              {t('profiles.continueNew')}
            </Button>
          }
        >
          {t('profiles.newDraft')}
        </Alert>
      ) : null}
      {file.messages}
      {profiles.length === 0 ? (
        <Alert severity="info">{t('profiles.empty')}</Alert>
      ) : (
        profiles.map((profile) => {
          const result = tests[profile.id]
          return (
            <Card key={profile.id} component="article" aria-label={profile.name} variant="outlined">
              <CardContent>
                <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 2 }}>
                  <Box sx={{ flexGrow: 1, minWidth: 0 }}>
                    <Typography variant="h6" component="h3" noWrap>
                      {profile.name}
                    </Typography>
                    <ProfileStoreSummary profile={profile} />
                    <ProfileSecretChips
                      profile={profile}
                      fromVariables={fromVariables}
                      unsaved={hasDraft(profile.id, profile.updatedAt)}
                    />
                    <ScheduleStatus schedule={profile.schedule} now={now} />
                    {file.notice(profile)}
                  </Box>
                  <Stack direction="row" spacing={0.5} sx={{ flexShrink: 0 }}>
                    <Button
                      size="small"
                      startIcon={
                        result === 'running' ? <CircularProgress size={16} /> : <NetworkCheckIcon />
                      }
                      disabled={result === 'running'}
                      data-action={`test-${profile.id}`}
                      onClick={() => void test(profile)}
                      aria-label={t('profiles.testNamed', { name: profile.name })}
                    >
                      {t('profile.test')}
                    </Button>
                    <Tooltip title={t('schedule.button')}>
                      <IconButton
                        aria-label={t('schedule.buttonNamed', { name: profile.name })}
                        onClick={() => setScheduling(profile)}
                      >
                        <ScheduleIcon />
                      </IconButton>
                    </Tooltip>
                    <Tooltip title={t('profiles.edit')}>
                      <IconButton
                        aria-label={t('profiles.editNamed', { name: profile.name })}
                        data-action={`edit-${profile.id}`}
                        onClick={() => openProfileEditor(profile.id)}
                      >
                        <EditIcon />
                      </IconButton>
                    </Tooltip>
                    <Tooltip title={t('profiles.duplicate')}>
                      <IconButton
                        aria-label={t('profiles.duplicateNamed', { name: profile.name })}
                        onClick={() => void duplicate(profile)}
                      >
                        <ContentCopyIcon />
                      </IconButton>
                    </Tooltip>
                    <Tooltip title={t('profiles.delete')}>
                      <IconButton
                        aria-label={t('profiles.deleteNamed', { name: profile.name })}
                        onClick={() => setDeleting(profile)}
                      >
                        <DeleteIcon />
                      </IconButton>
                    </Tooltip>
                  </Stack>
                </Box>
                {result && result !== 'running' ? (
                  <ConnectionTestResult test={result} layout="card" />
                ) : null}
              </CardContent>
            </Card>
          )
        })
      )}
      <OpenAtLoginSetting />
      <PrivacySettings />
      {file.dialogs}
      {scheduling !== null ? (
        <ScheduleDialog
          profile={scheduling}
          onClose={() => setScheduling(null)}
          onSaved={() => {
            setScheduling(null)
            setNow(Date.now())
            void onChanged()
          }}
        />
      ) : null}
      <Dialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        aria-labelledby="delete-title"
      >
        <DialogTitle id="delete-title">{t('profiles.deleteTitle')}</DialogTitle>
        <DialogContent>
          <DialogContentText>
            {t('profiles.deleteText', { name: deleting?.name ?? '' })}
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDeleting(null)}>{t('common.cancel')}</Button>
          <Button color="error" variant="contained" onClick={() => void remove()}>
            {t('profiles.delete')}
          </Button>
        </DialogActions>
      </Dialog>
    </Stack>
  )
}
