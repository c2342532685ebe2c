import HelpOutlineIcon from '@mui/icons-material/HelpOutlineOutlined'
import HistoryIcon from '@mui/icons-material/History'
import SendIcon from '@mui/icons-material/Send'
import StorefrontIcon from '@mui/icons-material/Storefront'
import AppBar from '@mui/material/AppBar'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import CircularProgress from '@mui/material/CircularProgress'
import Container from '@mui/material/Container'
import IconButton from '@mui/material/IconButton'
import Snackbar from '@mui/material/Snackbar'
import Tab from '@mui/material/Tab'
import Tabs from '@mui/material/Tabs'
import ToggleButton from '@mui/material/ToggleButton'
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup'
import Toolbar from '@mui/material/Toolbar'
import Tooltip from '@mui/material/Tooltip'
import Typography from '@mui/material/Typography'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppErrorValue, AppInfo, ProfileView, SendingEvent } from '../../preload/contract'
import { useApi } from '../api/api-context'
import { addSendingEvent, NO_SENDING_EVENTS, type SendingEventsState } from '../api/sending-events'
import { setLanguage, type Language } from '../i18n/i18n'
import type { Page } from '../routing/hash-routes'
import { ThemeModeSwitch } from '../theme/ThemeModeSwitch'
import { navigate, useHashRoute } from '../routing/use-hash-route'
import { ErrorAlert } from './ErrorAlert'
import { HelpDialog } from './HelpDialog'
import { useFocusWhenLost } from './focus-fallback'
import { visuallyHidden } from './visually-hidden'
import { HistoryPage } from './HistoryPage'
import { InterruptedAlert } from './InterruptedAlert'
import { LiveSendingsProvider } from './progress/LiveSendingsProvider'
import { RunningSendingsButton } from './progress/RunningSendingsButton'
import { ProfileEditorPage } from './profile-editor/ProfileEditorPage'
import { ProfilesPage } from './ProfilesPage'
import { ProgressDialog } from './ProgressDialog'
import { SendingPage } from './sending-page/SendingPage'
import { SendPage } from './SendPage'
import { SendPageProvider } from './send-page/SendPageProvider'

const setPage = (page: Page) => navigate({ page })

export function AppShell() {
  const api = useApi()
  const { t, i18n } = useTranslation()
  // The address says which page shows (#/send, #/history, #/profiles, #/sendings/<id>).
  const route = useHashRoute()
  // A page that replaces the one the focus was on (a link, a dialog's button) takes it over.
  const mainRef = useRef<HTMLElement>(null)
  useFocusWhenLost(
    route.page === 'sending'
      ? `sending/${route.sendingId}`
      : route.page === 'profile'
        ? `profile/${route.profileId}`
        : route.page,
    () => mainRef.current,
  )
  const page = route.page
  const [info, setInfo] = useState<AppInfo | null>(null)
  const [fatal, setFatal] = useState<AppErrorValue | null>(null)
  const [profiles, setProfiles] = useState<readonly ProfileView[] | null>(null)
  const [profilesError, setProfilesError] = useState<AppErrorValue | null>(null)
  const [events, setEvents] = useState<SendingEventsState>(NO_SENDING_EVENTS)
  const [progressId, setProgressId] = useState<number | null>(null)
  const [helpOpen, setHelpOpen] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)
  const [interrupted, setInterrupted] = useState<readonly number[]>([])

  const loadProfiles = useCallback(async () => {
    const result = await api.listProfiles()
    if (result.ok) {
      setProfiles(result.data)
      setProfilesError(null)
    } else setProfilesError(result.error)
  }, [api])

  useEffect(() => {
    let live = true
    void api.appInfo().then((result) => {
      if (!live) return
      if (result.ok) {
        setInfo(result.data)
        setInterrupted(result.data.interruptedAtStart)
      } else setFatal(result.error)
    })
    void loadProfiles()
    const stop = api.onSendingEvent((event: SendingEvent) => {
      setEvents((previous) => addSendingEvent(previous, event))
    })
    return () => {
      live = false
      stop()
    }
  }, [api, loadProfiles])

  if (fatal)
    return (
      <Container component="main" maxWidth="sm" sx={{ py: 8 }}>
        {/* Without the app bar, the page still has its h1. */}
        <Typography variant="h5" component="h1" gutterBottom>
          {t('app.title')}
        </Typography>
        <ErrorAlert error={fatal} title={t('app.unavailable')} />
      </Container>
    )

  return (
    <LiveSendingsProvider events={events} showProgress={setProgressId}>
      <AppBar position="sticky" elevation={1}>
        <Toolbar sx={{ gap: 2 }}>
          <Typography variant="h6" component="h1" sx={{ whiteSpace: 'nowrap' }}>
            {t('app.title')}
          </Typography>
          <Tabs
            // A sending's page belongs to the history, a profile's editor to the profiles;
            // clicking that tab there goes back to the list.
            value={page === 'sending' ? 'history' : page === 'profile' ? 'profiles' : page}
            onChange={(_event, value: Page) => setPage(value)}
            textColor="inherit"
            indicatorColor="secondary"
            aria-label={t('app.navigation')}
            component="nav"
            sx={{
              flexGrow: 1,
              minHeight: 64,
              // MUI dims the inactive tabs to 60% of the bar's text: too faint on the blue bar.
              // 85% still tells them from the active one and keeps 4.5:1 (WCAG AA).
              '& .MuiTab-root': { minHeight: 64, opacity: 0.85 },
              '& .MuiTab-root.Mui-selected': { opacity: 1 },
            }}
          >
            <Tab value="send" icon={<SendIcon />} iconPosition="start" label={t('nav.send')} />
            <Tab
              value="history"
              icon={<HistoryIcon />}
              iconPosition="start"
              label={t('nav.history')}
              onClick={() => setPage('history')}
            />
            <Tab
              value="profiles"
              icon={<StorefrontIcon />}
              iconPosition="start"
              label={t('nav.profiles')}
              onClick={() => setPage('profiles')}
            />
          </Tabs>
          <ToggleButtonGroup
            size="small"
            exclusive
            value={i18n.language}
            onChange={(_event, value: Language | null) => {
              if (value) setLanguage(value)
            }}
            aria-label={t('app.language')}
            sx={{
              bgcolor: 'rgba(255,255,255,0.12)',
              '& .MuiToggleButton-root': { color: 'inherit', px: 1.5 },
              '& .Mui-selected': { bgcolor: 'rgba(255,255,255,0.3) !important' },
            }}
          >
            {/* Named by what they show, then the language's full name for screen readers: a
                speech-control user says "click ES" (WCAG 2.5.3, label in name). */}
            <ToggleButton value="en" lang="en">
              EN
              <Box component="span" sx={visuallyHidden}>
                {' (English)'}
              </Box>
            </ToggleButton>
            <ToggleButton value="es" lang="es">
              ES
              <Box component="span" sx={visuallyHidden}>
                {' (Español)'}
              </Box>
            </ToggleButton>
          </ToggleButtonGroup>
          {info ? <RunningSendingsButton atStart={info.activeSendings} /> : null}
          <ThemeModeSwitch />
          <Tooltip title={t('help.open')}>
            <IconButton
              color="inherit"
              aria-label={t('help.open')}
              aria-haspopup="dialog"
              onClick={() => setHelpOpen(true)}
            >
              <HelpOutlineIcon />
            </IconButton>
          </Tooltip>
          {info ? (
            <Typography variant="body2" data-testid="app-version" sx={{ opacity: 0.8 }}>
              v{info.version}
            </Typography>
          ) : null}
        </Toolbar>
      </AppBar>
      <Container
        component="main"
        ref={mainRef}
        tabIndex={-1}
        maxWidth={page === 'history' || page === 'sending' ? 'xl' : 'lg'}
        sx={{ py: 3, outline: 'none' }}
      >
        {interrupted.length > 0 ? (
          <InterruptedAlert ids={interrupted} onDone={() => setInterrupted([])} />
        ) : null}
        <ErrorAlert error={profilesError} />
        {info === null || profiles === null ? (
          profilesError ? null : (
            <Box sx={{ display: 'flex', justifyContent: 'center', py: 8 }}>
              <CircularProgress aria-label={t('common.loading')} />
            </Box>
          )
        ) : (
          // The send page's entries live here, above the pages: another tab does not lose them.
          <SendPageProvider info={info} profiles={profiles}>
            {page === 'send' ? (
              <SendPage
                profiles={profiles}
                onGoToProfiles={() => setPage('profiles')}
                onStarted={(sendingId, mode) => {
                  if (mode === 'progress') setProgressId(sendingId)
                  else setNotice(t('wizard.startedInBackground', { id: sendingId }))
                }}
              />
            ) : null}
            {page === 'history' ? <HistoryPage profiles={profiles} /> : null}
            {route.page === 'sending' ? (
              <SendingPage key={route.sendingId} sendingId={route.sendingId} />
            ) : null}
            {page === 'profiles' ? (
              <ProfilesPage info={info} profiles={profiles} onChanged={loadProfiles} />
            ) : null}
            {route.page === 'profile' ? (
              <ProfileEditorPage
                key={route.profileId}
                info={info}
                profileId={route.profileId}
                profiles={profiles}
                onChanged={loadProfiles}
              />
            ) : null}
          </SendPageProvider>
        )}
      </Container>
      {helpOpen ? <HelpDialog onClose={() => setHelpOpen(false)} /> : null}
      {progressId !== null ? (
        <ProgressDialog
          sendingId={progressId}
          onClose={() => setProgressId(null)}
          onOpenHistory={() => {
            setProgressId(null)
            setPage('history')
          }}
        />
      ) : null}
      <Snackbar
        open={notice !== null}
        autoHideDuration={8000}
        onClose={() => setNotice(null)}
        message={notice}
        action={
          <Button
            color="secondary"
            size="small"
            onClick={() => {
              setNotice(null)
              setPage('history')
            }}
          >
            {t('wizard.viewHistory')}
          </Button>
        }
      />
    </LiveSendingsProvider>
  )
}
