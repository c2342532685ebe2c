import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Card from '@mui/material/Card'
import CardContent from '@mui/material/CardContent'
import CircularProgress from '@mui/material/CircularProgress'
import Step from '@mui/material/Step'
import StepLabel from '@mui/material/StepLabel'
import Stepper from '@mui/material/Stepper'
import Typography from '@mui/material/Typography'
import { useEffect, useReducer, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppInfo, ProfileView } from '../../preload/contract'
import { useApi } from '../api/api-context'
import { useFocusBackAfter } from './focus-fallback'
import { DateRangeStep } from './send-wizard/DateRangeStep'
import { OptionsStep } from './send-wizard/OptionsStep'
import { ProfileStep } from './send-wizard/ProfileStep'
import { StatusesStep } from './send-wizard/StatusesStep'
import { SummaryStep } from './send-wizard/SummaryStep'
import { useWizardData } from './send-wizard/use-wizard-data'
import { datesReady, rateLimitValue, toDay } from './send-wizard/wizard-selectors'
import { initialWizardState, wizardReducer, type SendMode } from './send-wizard/wizard-state'
import {
  DATES_STEP,
  OPTIONS_STEP,
  PROFILE_STEP,
  STATUSES_STEP,
  SUMMARY_STEP,
  WIZARD_STEPS,
} from './send-wizard/wizard-steps'

interface WizardProps {
  info: AppInfo
  profiles: readonly ProfileView[]
  onGoToProfiles: () => void
  onStarted: (sendingId: number, mode: SendMode) => void
}

/** The send wizard: profile, date range, statuses, options, then the summary and the sending. */
export function SendWizard({ info, profiles, onGoToProfiles, onStarted }: WizardProps) {
  const api = useApi()
  const { t } = useTranslation()
  const [state, dispatch] = useReducer(
    wizardReducer,
    { profileId: profiles[0]?.id ?? '', defaultRateLimit: info.defaultRateLimit },
    initialWizardState,
  )
  useWizardData(state, dispatch)
  const { step, profileId, mode, summary, starting } = state
  // Each new step takes the focus, named by its region: the next Tab goes to its first field, and
  // a screen reader says which step it is (and the progress window gives it back, once sent).
  const section = useRef<HTMLElement>(null)
  const shownStep = useRef(step)
  useEffect(() => {
    if (shownStep.current === step) return
    shownStep.current = step
    section.current?.focus()
  }, [step])
  // Disabled while the sending starts: if it does not, the focus goes back to it.
  const confirm = useFocusBackAfter<HTMLButtonElement>(starting)

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

  const profile = profiles.find((each) => each.id === profileId) ?? null

  const start = async () => {
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
    onStarted(result.data.sendingId, mode)
    dispatch({ type: 'started' })
  }

  return (
    <Card>
      <CardContent sx={{ p: { xs: 2, md: 4 } }}>
        <Typography variant="h5" component="h2" gutterBottom>
          {t('wizard.title')}
        </Typography>
        <Stepper activeStep={step} alternativeLabel sx={{ my: 3 }}>
          {WIZARD_STEPS.map((name) => (
            <Step key={name}>
              <StepLabel>{t(`wizard.steps.${name}`)}</StepLabel>
            </Step>
          ))}
        </Stepper>

        <Box
          component="section"
          ref={section}
          tabIndex={-1}
          aria-label={t(`wizard.steps.${WIZARD_STEPS[step] ?? 'profile'}`)}
          sx={{ minHeight: 220, outline: 'none' }}
        >
          {step === PROFILE_STEP ? (
            <ProfileStep profiles={profiles} profileId={profileId} dispatch={dispatch} />
          ) : null}
          {step === DATES_STEP ? <DateRangeStep state={state} dispatch={dispatch} /> : null}
          {step === STATUSES_STEP ? <StatusesStep state={state} dispatch={dispatch} /> : null}
          {step === OPTIONS_STEP ? <OptionsStep state={state} dispatch={dispatch} /> : null}
          {step === SUMMARY_STEP ? <SummaryStep state={state} profileName={profile?.name} /> : null}
        </Box>

        <Box sx={{ display: 'flex', justifyContent: 'space-between', mt: 3 }}>
          <Button disabled={step === PROFILE_STEP} onClick={() => dispatch({ type: 'back' })}>
            {t('common.back')}
          </Button>
          {step < WIZARD_STEPS.length - 1 ? (
            <Button
              variant="contained"
              onClick={() => dispatch({ type: 'next', profile })}
              disabled={step === DATES_STEP && !datesReady(state)}
            >
              {t('common.next')}
            </Button>
          ) : (
            <Button
              ref={confirm}
              variant="contained"
              onClick={() => void start()}
              disabled={
                starting || summary === null || summary.ordersToSend - summary.alreadySent <= 0
              }
              startIcon={starting ? <CircularProgress size={16} color="inherit" /> : null}
            >
              {mode === 'progress' ? t('wizard.startProgress') : t('wizard.startBackground')}
            </Button>
          )}
        </Box>
      </CardContent>
    </Card>
  )
}
