import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Card from '@mui/material/Card'
import CardContent from '@mui/material/CardContent'
import Divider from '@mui/material/Divider'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useEffect, useRef, type ReactNode, type RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import type { ProfileView } from '../../preload/contract'
import { useApi } from '../api/api-context'
import { ErrorAlert } from './ErrorAlert'
import { useFocusBackAfter } from './focus-fallback'
import { formatNumber } from './format'
import { AdvancedOptions } from './send-page/AdvancedOptions'
import { ConfirmSendDialog } from './send-page/ConfirmSendDialog'
import { DateRangeSection } from './send-page/DateRangeSection'
import { ProfileSection } from './send-page/ProfileSection'
import { useSendPageStore } from './send-page/send-page-context'
import { rateLimitValue, sendBlocker, toDay } from './send-page/send-selectors'
import type { SendMode } from './send-page/send-state'
import { StatusesSection } from './send-page/StatusesSection'

interface SendPageProps {
  profiles: readonly ProfileView[]
  onGoToProfiles: () => void
  onStarted: (sendingId: number, mode: SendMode) => void
}

/**
 * The page that sends: the profile (checked as it is picked), the date range, the order statuses
 * and, folded away, the options; then one confirmation. Its state lives above the pages
 * (SendPageProvider), so it is as the merchant left it when they come back.
 */
export function SendPage({ profiles, onGoToProfiles, onStarted }: SendPageProps) {
  const api = useApi()
  const { t, i18n } = useTranslation()
  const { state, dispatch } = useSendPageStore()
  const { profileId, summary, check } = state
  const profile = profiles.find((each) => each.id === profileId) ?? null

  // A profile deleted (or none chosen yet) gives way to the first one.
  const first = profiles[0]
  useEffect(() => {
    if (profile === null && first)
      dispatch({
        type: 'profileChosen',
        profileId: first.id,
        defaultStateIds: first.defaultStateIds,
      })
  }, [dispatch, profile, first])

  // The profile's quick check, each time it is picked and each time the page opens.
  useEffect(() => {
    if (profileId === '') return
    let live = true
    dispatch({ type: 'checkStarted', profileId })
    void api.testProfile({ id: profileId }).then((result) => {
      if (live) dispatch({ type: 'checkLoaded', profileId, result })
    })
    return () => {
      live = false
    }
  }, [api, dispatch, profileId])

  // Disabled while the dialog is open: when it closes, the focus goes back to it.
  const review = useFocusBackAfter<HTMLButtonElement>(state.confirming)
  const top = useRef<HTMLElement>(null)

  if (profiles.length === 0)
    return (
      <Card>
        <CardContent>
          <Typography variant="h5" component="h2" gutterBottom>
            {t('wizard.title')}
          </Typography>
          <Alert
            severity="info"
            action={
              <Button color="inherit" onClick={onGoToProfiles}>
                {t('wizard.createProfile')}
              </Button>
            }
          >
            {t('wizard.noProfiles')}
          </Alert>
        </CardContent>
      </Card>
    )

  const checked = check?.profileId === profileId ? check.result : null
  const storeProblemShown = checked?.ok === true && !checked.data.store.ok
  const blocker = sendBlocker(state)
  const toSend = summary ? Math.max(0, summary.ordersToSend - summary.alreadySent) : null

  const send = async (mode: SendMode) => {
    const from = toDay(state.from)
    const to = toDay(state.to)
    if (profileId === '' || !from || !to) return
    dispatch({ type: 'startRequested' })
    const result = await api.startSending({
      profileId,
      from,
      to,
      stateIds: [...state.stateIds],
      mode,
      options: {
        triggerWorkflows: !state.noWorkflows,
        createContacts: state.createContacts,
        createProducts: state.createProducts,
        rateLimit: rateLimitValue(state),
        skipSent: state.skipSent,
      },
    })
    if (!result.ok) return dispatch({ type: 'startFailed', error: result.error })
    const { sendingId } = result.data
    dispatch({ type: 'started', defaultStateIds: profile?.defaultStateIds ?? [] })
    // Once the confirmation has let the focus go, the top of the page (which starts again) takes
    // it, so the progress window opening next gives it back there when it closes.
    window.setTimeout(() => {
      top.current?.focus()
      onStarted(sendingId, mode)
    }, 0)
  }

  return (
    <Card>
      <CardContent sx={{ p: { xs: 2, md: 4 } }}>
        <Typography variant="h5" component="h2" gutterBottom>
          {t('wizard.title')}
        </Typography>
        <Stack spacing={3} divider={<Divider flexItem />}>
          <Section title={t('wizard.profile')} sectionRef={top}>
            <ProfileSection
              profiles={profiles}
              profileId={profileId}
              check={check}
              dispatch={dispatch}
            />
          </Section>
          <Section title={t('wizard.steps.dates')}>
            <DateRangeSection
              state={state}
              dispatch={dispatch}
              storeProblemShown={storeProblemShown}
            />
          </Section>
          <Section title={t('wizard.steps.statuses')}>
            <StatusesSection
              state={state}
              dispatch={dispatch}
              storeProblemShown={storeProblemShown}
            />
          </Section>
          <AdvancedOptions state={state} dispatch={dispatch} />
          {/* What main refused in the choices as a whole (a target the store cannot serve…). */}
          {state.summaryError ? <ErrorAlert error={state.summaryError} /> : null}
          <Box
            sx={{
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'flex-end',
              gap: 2,
              flexWrap: 'wrap',
            }}
          >
            <Typography
              id="send-blocker"
              role="status"
              color={blocker && blocker !== 'waiting' ? 'warning.main' : 'text.secondary'}
              sx={{ flexGrow: 1 }}
              data-testid="send-blocker"
            >
              {blocker === null
                ? t('sendPage.ready', {
                    count: toSend ?? 0,
                    orders: formatNumber(i18n.language, toSend ?? 0),
                  })
                : blocker === 'waiting'
                  ? t('sendPage.blocked.waiting')
                  : t(`sendPage.blocked.${blocker}`)}
            </Typography>
            <Button
              ref={review}
              variant="contained"
              size="large"
              disabled={blocker !== null || state.confirming}
              aria-describedby="send-blocker"
              aria-haspopup="dialog"
              onClick={() => dispatch({ type: 'confirmOpened' })}
            >
              {t('sendPage.review')}
            </Button>
          </Box>
        </Stack>
      </CardContent>
      <ConfirmSendDialog
        state={state}
        dispatch={dispatch}
        profileName={profile?.name}
        onSend={(mode) => void send(mode)}
      />
    </Card>
  )
}

/** One part of the page, under its heading; `sectionRef` for the one that takes the focus. */
function Section(props: {
  title: string
  children: ReactNode
  sectionRef?: RefObject<HTMLElement | null>
}) {
  return (
    <Box
      component="section"
      aria-label={props.title}
      ref={props.sectionRef}
      tabIndex={props.sectionRef ? -1 : undefined}
      sx={{ outline: 'none' }}
    >
      <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 600, mb: 1.5 }}>
        {props.title}
      </Typography>
      {props.children}
    </Box>
  )
}
