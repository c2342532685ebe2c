import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Card from '@mui/material/Card'
import CardContent from '@mui/material/CardContent'
import Checkbox from '@mui/material/Checkbox'
import Chip from '@mui/material/Chip'
import CircularProgress from '@mui/material/CircularProgress'
import FormControl from '@mui/material/FormControl'
import FormControlLabel from '@mui/material/FormControlLabel'
import FormGroup from '@mui/material/FormGroup'
import FormHelperText from '@mui/material/FormHelperText'
import FormLabel from '@mui/material/FormLabel'
import InputLabel from '@mui/material/InputLabel'
import MenuItem from '@mui/material/MenuItem'
import Radio from '@mui/material/Radio'
import RadioGroup from '@mui/material/RadioGroup'
import Select from '@mui/material/Select'
import Stack from '@mui/material/Stack'
import Step from '@mui/material/Step'
import StepLabel from '@mui/material/StepLabel'
import Stepper from '@mui/material/Stepper'
import Switch from '@mui/material/Switch'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { DatePicker } from '@mui/x-date-pickers/DatePicker'
import { DateTime } from 'luxon'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type {
  AppErrorValue,
  AppInfo,
  OrderCountView,
  ProfileView,
  RuleViolationView,
  SendingRulesView,
  SendingSummary,
  StoreLookup,
} from '../../preload/contract'
import { MAX_RATE_LIMIT } from '../../preload/contract'
import { useApi } from '../api/api-context'
import { ErrorAlert } from './ErrorAlert'
import { accountName, formatDay, formatDuration, formatNumber, ruleMessage } from './format'
import { StateDot } from './StateChip'
import { rememberStates } from './state-names'

type Mode = 'progress' | 'background'

interface WizardProps {
  info: AppInfo
  profiles: readonly ProfileView[]
  onGoToProfiles: () => void
  onStarted: (sendingId: number, mode: Mode) => void
}

const STEPS = ['profile', 'dates', 'statuses', 'options', 'summary'] as const

function toDay(value: DateTime | null): string | null {
  return value && value.isValid ? value.toISODate() : null
}

export function SendWizard({ info, profiles, onGoToProfiles, onStarted }: WizardProps) {
  const api = useApi()
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const [step, setStep] = useState(0)
  const [profileId, setProfileId] = useState<number | ''>(profiles[0]?.id ?? '')
  const [from, setFrom] = useState<DateTime | null>(null)
  const [to, setTo] = useState<DateTime | null>(null)
  const [rules, setRules] = useState<SendingRulesView | null>(null)
  const [rulesLoading, setRulesLoading] = useState(false)
  const [rulesError, setRulesError] = useState<AppErrorValue | null>(null)
  const [lookup, setLookup] = useState<StoreLookup | null>(null)
  const [counts, setCounts] = useState<OrderCountView | null>(null)
  const [statusError, setStatusError] = useState<AppErrorValue | null>(null)
  const [stateIds, setStateIds] = useState<readonly number[]>([])
  const [noWorkflows, setNoWorkflows] = useState(true)
  const [createContacts, setCreateContacts] = useState(true)
  const [createProducts, setCreateProducts] = useState(true)
  const [rateLimit, setRateLimit] = useState(String(info.defaultRateLimit))
  const [mode, setMode] = useState<Mode>('progress')
  const [summary, setSummary] = useState<SendingSummary | null>(null)
  const [summaryError, setSummaryError] = useState<AppErrorValue | null>(null)
  const [starting, setStarting] = useState(false)
  const [startError, setStartError] = useState<AppErrorValue | null>(null)
  const [showErrors, setShowErrors] = useState(false)
  const rulesRequest = useRef(0)

  const profile = profiles.find((each) => each.id === profileId) ?? null
  const fromDay = toDay(from)
  const toDayValue = toDay(to)

  // The date rules, asked as the user picks (today and the limits come from the shop's zone).
  useEffect(() => {
    if (profileId === '' || step !== 1) return
    const request = ++rulesRequest.current
    setRulesLoading(true)
    const payload = {
      profileId,
      ...(from !== null ? { from: fromDay ?? 'invalid' } : {}),
      ...(to !== null ? { to: toDayValue ?? 'invalid' } : {}),
    }
    void api.sendingRules(payload).then((result) => {
      if (request !== rulesRequest.current) return
      setRulesLoading(false)
      if (result.ok) {
        setRules(result.data)
        setRulesError(null)
      } else setRulesError(result.error)
    })
  }, [api, profileId, step, from, to, fromDay, toDayValue])

  // The store's statuses (in the profile's language) and how many orders each has in the range.
  useEffect(() => {
    if (profileId === '' || step !== 2 || !fromDay || !toDayValue) return
    let live = true
    setStatusError(null)
    setLookup(null)
    setCounts(null)
    void Promise.all([
      api.lookupStore({ profileId }),
      api.countOrders({ profileId, from: fromDay, to: toDayValue }),
    ]).then(([lookupResult, countResult]) => {
      if (!live) return
      if (!lookupResult.ok) return setStatusError(lookupResult.error)
      if (!countResult.ok) return setStatusError(countResult.error)
      rememberStates(profileId, lookupResult.data.states)
      setLookup(lookupResult.data)
      setCounts(countResult.data)
    })
    return () => {
      live = false
    }
  }, [api, profileId, step, fromDay, toDayValue])

  const rateLimitValue = Number(rateLimit)
  const rateLimitValid =
    /^\d+$/.test(rateLimit.trim()) && rateLimitValue >= 1 && rateLimitValue <= MAX_RATE_LIMIT

  useEffect(() => {
    if (step !== 4 || profileId === '' || !fromDay || !toDayValue) return
    let live = true
    setSummary(null)
    setSummaryError(null)
    void api
      .sendingSummary({
        profileId,
        from: fromDay,
        to: toDayValue,
        stateIds: [...stateIds],
        rateLimit: rateLimitValue,
      })
      .then((result) => {
        if (!live) return
        if (result.ok) setSummary(result.data)
        else setSummaryError(result.error)
      })
    return () => {
      live = false
    }
  }, [api, step, profileId, fromDay, toDayValue, stateIds, rateLimitValue])

  const visibleStates = useMemo(
    () =>
      (lookup?.states ?? []).filter(
        (state) => !state.deleted || (counts?.byState[String(state.id)] ?? 0) > 0,
      ),
    [lookup, counts],
  )

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

  const violations = rules?.violations ?? []
  const fromViolations = violations.filter((violation) => violation.field === 'from')
  const toViolations = violations.filter((violation) => violation.field === 'to')
  const datesReady =
    fromDay !== null &&
    toDayValue !== null &&
    violations.length === 0 &&
    !rulesLoading &&
    rules !== null

  const canNext = (): boolean => {
    switch (step) {
      case 0:
        return profile !== null
      case 1:
        return datesReady
      case 2:
        return stateIds.length > 0
      case 3:
        return rateLimitValid
      default:
        return false
    }
  }

  const next = () => {
    if (!canNext()) {
      setShowErrors(true)
      return
    }
    setShowErrors(false)
    if (step === 0 && profile) setStateIds(profile.defaultStateIds)
    setStep(step + 1)
  }

  const start = async () => {
    if (profileId === '' || !fromDay || !toDayValue) return
    setStarting(true)
    setStartError(null)
    const result = await api.startSending({
      profileId,
      from: fromDay,
      to: toDayValue,
      stateIds: [...stateIds],
      mode,
      options: {
        triggerWorkflows: !noWorkflows,
        createContacts,
        createProducts,
        rateLimit: rateLimitValue,
      },
    })
    setStarting(false)
    if (!result.ok) return setStartError(result.error)
    onStarted(result.data.sendingId, mode)
    setStep(0)
    setSummary(null)
  }

  // Orders of the range no Connectif account serves: recorded as skipped, with the reason.
  const unserved = summary?.byTarget?.find((entry) => entry.target === '')?.orders ?? 0

  const violationText = (list: readonly RuleViolationView[]) =>
    list.map((violation) => ruleMessage(t, violation)).join(' ')

  return (
    <Card>
      <CardContent sx={{ p: { xs: 2, md: 4 } }}>
        <Typography variant="h5" component="h2" gutterBottom>
          {t('wizard.title')}
        </Typography>
        <Stepper activeStep={step} alternativeLabel sx={{ my: 3 }}>
          {STEPS.map((name) => (
            <Step key={name}>
              <StepLabel>{t(`wizard.steps.${name}`)}</StepLabel>
            </Step>
          ))}
        </Stepper>

        <Box
          component="section"
          aria-label={t(`wizard.steps.${STEPS[step] ?? 'profile'}`)}
          sx={{ minHeight: 220 }}
        >
          {step === 0 ? (
            <FormControl fullWidth sx={{ maxWidth: 480 }}>
              <InputLabel id="wizard-profile-label">{t('wizard.profile')}</InputLabel>
              <Select
                labelId="wizard-profile-label"
                label={t('wizard.profile')}
                value={profileId}
                onChange={(event) => setProfileId(Number(event.target.value))}
              >
                {profiles.map((each) => (
                  <MenuItem key={each.id} value={each.id}>
                    {each.name}
                  </MenuItem>
                ))}
              </Select>
              <FormHelperText>{t('wizard.profileHelp')}</FormHelperText>
            </FormControl>
          ) : null}

          {step === 1 ? (
            <Stack spacing={2}>
              <Typography variant="body2" color="text.secondary">
                {rules
                  ? t('wizard.datesHelp', {
                      earliest: formatDay(language, rules.earliestStart),
                      today: formatDay(language, rules.today),
                      timezone: rules.timezone,
                    })
                  : t('wizard.datesHelpShort')}
              </Typography>
              <Stack
                direction={{ xs: 'column', sm: 'row' }}
                spacing={2}
                sx={{ alignItems: 'flex-start' }}
              >
                <DatePicker
                  label={t('wizard.from')}
                  value={from}
                  onChange={(value) => setFrom(value)}
                  minDate={rules ? DateTime.fromISO(rules.earliestStart) : undefined}
                  maxDate={rules ? DateTime.fromISO(rules.today) : undefined}
                  slotProps={{
                    textField: {
                      error: fromViolations.length > 0,
                      helperText:
                        fromViolations.length > 0
                          ? violationText(fromViolations)
                          : showErrors && !fromDay
                            ? t('wizard.fromRequired')
                            : ' ',
                      sx: { width: { xs: '100%', sm: 300 } },
                    },
                  }}
                />
                <DatePicker
                  label={t('wizard.to')}
                  value={to}
                  onChange={(value) => setTo(value)}
                  minDate={from && from.isValid ? from : undefined}
                  maxDate={rules ? DateTime.fromISO(rules.latestEnd ?? rules.today) : undefined}
                  slotProps={{
                    textField: {
                      error: toViolations.length > 0,
                      helperText:
                        toViolations.length > 0
                          ? violationText(toViolations)
                          : showErrors && !toDayValue
                            ? t('wizard.toRequired')
                            : ' ',
                      sx: { width: { xs: '100%', sm: 300 } },
                    },
                  }}
                />
                {rulesLoading ? (
                  <CircularProgress
                    size={24}
                    sx={{ mt: 2 }}
                    aria-label={t('wizard.checkingDates')}
                  />
                ) : null}
              </Stack>
              {violations.length > 0 ? (
                <Alert severity="warning" role="alert">
                  {violationText(violations)}
                </Alert>
              ) : null}
              <ErrorAlert error={rulesError} />
            </Stack>
          ) : null}

          {step === 2 ? (
            <Box>
              <ErrorAlert error={statusError} />
              {!lookup || !counts ? (
                statusError ? null : (
                  <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, py: 4 }}>
                    <CircularProgress size={28} aria-label={t('wizard.loadingStatuses')} />
                    <Typography color="text.secondary">{t('wizard.loadingStatuses')}</Typography>
                  </Box>
                )
              ) : (
                <FormControl
                  component="fieldset"
                  error={showErrors && stateIds.length === 0}
                  fullWidth
                >
                  <Box
                    sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1, flexWrap: 'wrap' }}
                  >
                    <FormLabel component="legend" sx={{ flexGrow: 1 }}>
                      {t('wizard.statusesLabel', {
                        total: formatNumber(language, counts.total),
                        from: formatDay(language, counts.from),
                        to: formatDay(language, counts.to),
                      })}
                    </FormLabel>
                    <Button
                      size="small"
                      onClick={() => setStateIds(visibleStates.map((state) => state.id))}
                    >
                      {t('wizard.selectAll')}
                    </Button>
                    <Button size="small" onClick={() => setStateIds([])}>
                      {t('wizard.selectNone')}
                    </Button>
                  </Box>
                  <FormGroup
                    sx={{
                      display: 'grid',
                      gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' },
                      columnGap: 2,
                    }}
                  >
                    {visibleStates.map((state) => {
                      const count = counts.byState[String(state.id)] ?? 0
                      const checked = stateIds.includes(state.id)
                      return (
                        <FormControlLabel
                          key={state.id}
                          sx={{ mr: 0, borderRadius: 1, '&:hover': { bgcolor: 'action.hover' } }}
                          control={
                            <Checkbox
                              checked={checked}
                              onChange={(event) =>
                                setStateIds(
                                  event.target.checked
                                    ? [...stateIds, state.id]
                                    : stateIds.filter((id) => id !== state.id),
                                )
                              }
                            />
                          }
                          label={
                            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
                              <StateDot color={state.color} />
                              <span>{state.name}</span>
                              <Chip
                                size="small"
                                label={t('wizard.orderCount', { count })}
                                color={count > 0 ? 'primary' : 'default'}
                                variant={count > 0 ? 'filled' : 'outlined'}
                              />
                            </Box>
                          }
                        />
                      )
                    })}
                  </FormGroup>
                  <FormHelperText>
                    {showErrors && stateIds.length === 0
                      ? t('rules.no_states')
                      : t('wizard.selectedCount', { count: stateIds.length })}
                  </FormHelperText>
                </FormControl>
              )}
            </Box>
          ) : null}

          {step === 3 ? (
            <Stack spacing={2} sx={{ maxWidth: 720 }}>
              <OptionSwitch
                checked={noWorkflows}
                onChange={setNoWorkflows}
                label={t('wizard.noWorkflows')}
                help={t('wizard.noWorkflowsHelp')}
              />
              <OptionSwitch
                checked={createContacts}
                onChange={setCreateContacts}
                label={t('wizard.createContacts')}
                help={t('wizard.createContactsHelp')}
              />
              <OptionSwitch
                checked={createProducts}
                onChange={setCreateProducts}
                label={t('wizard.createProducts')}
                help={t('wizard.createProductsHelp')}
              />
              <TextField
                label={t('wizard.rateLimit')}
                value={rateLimit}
                onChange={(event) => setRateLimit(event.target.value)}
                error={!rateLimitValid}
                helperText={
                  rateLimitValid
                    ? t('wizard.rateLimitHelp')
                    : t('wizard.rateLimitInvalid', { max: MAX_RATE_LIMIT })
                }
                slotProps={{ htmlInput: { inputMode: 'numeric' } }}
                sx={{ maxWidth: 320 }}
              />
              <FormControl>
                <FormLabel id="wizard-mode-label">{t('wizard.mode')}</FormLabel>
                <RadioGroup
                  aria-labelledby="wizard-mode-label"
                  value={mode}
                  onChange={(event) => setMode(event.target.value as Mode)}
                >
                  <FormControlLabel
                    value="progress"
                    control={<Radio />}
                    label={t('wizard.modeProgress')}
                  />
                  <FormHelperText sx={{ ml: 4, mt: -1, mb: 1 }}>
                    {t('wizard.modeProgressHelp')}
                  </FormHelperText>
                  <FormControlLabel
                    value="background"
                    control={<Radio />}
                    label={t('wizard.modeBackground')}
                  />
                  <FormHelperText sx={{ ml: 4, mt: -1 }}>
                    {t('wizard.modeBackgroundHelp')}
                  </FormHelperText>
                </RadioGroup>
              </FormControl>
            </Stack>
          ) : null}

          {step === 4 ? (
            <Box>
              <ErrorAlert error={summaryError} />
              {summary === null ? (
                summaryError ? null : (
                  <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, py: 4 }}>
                    <CircularProgress size={28} aria-label={t('wizard.loadingSummary')} />
                    <Typography color="text.secondary">{t('wizard.loadingSummary')}</Typography>
                  </Box>
                )
              ) : (
                <Stack spacing={2}>
                  <Box
                    component="dl"
                    aria-label={t('wizard.steps.summary')}
                    sx={{
                      display: 'grid',
                      gridTemplateColumns: 'max-content 1fr',
                      columnGap: 3,
                      rowGap: 1,
                      m: 0,
                      '& dt': { color: 'text.secondary' },
                      '& dd': { m: 0, fontWeight: 500 },
                    }}
                  >
                    <dt>{t('wizard.profile')}</dt>
                    <dd>{profile?.name}</dd>
                    <dt>{t('wizard.range')}</dt>
                    <dd>
                      {formatDay(language, summary.from)} – {formatDay(language, summary.to)}
                    </dd>
                    <dt>{t('wizard.steps.statuses')}</dt>
                    <dd>
                      {summary.stateIds
                        .map(
                          (id) => lookup?.states.find((state) => state.id === id)?.name ?? `#${id}`,
                        )
                        .join(', ')}
                    </dd>
                    <dt>{t('wizard.ordersToSend')}</dt>
                    <dd data-testid="orders-to-send">
                      {formatNumber(language, summary.ordersToSend)}
                    </dd>
                    {summary.byTarget ? (
                      <>
                        <dt>{t('wizard.byAccount')}</dt>
                        <dd data-testid="orders-by-account">
                          {summary.byTarget
                            .map((entry) =>
                              t('wizard.accountOrders', {
                                account: accountName(t, entry.target),
                                count: entry.orders,
                                orders: formatNumber(language, entry.orders),
                              }),
                            )
                            .join(' · ')}
                        </dd>
                      </>
                    ) : null}
                    <dt>{t('wizard.estimatedDuration')}</dt>
                    <dd>
                      {t('wizard.estimate', {
                        duration: formatDuration(t, summary.estimatedMinutes * 60),
                        rate: formatNumber(language, summary.rateLimit),
                      })}
                    </dd>
                    <dt>{t('wizard.mode')}</dt>
                    <dd>
                      {mode === 'progress' ? t('wizard.modeProgress') : t('wizard.modeBackground')}
                    </dd>
                    <dt>{t('wizard.workflows')}</dt>
                    <dd>{noWorkflows ? t('wizard.workflowsOff') : t('wizard.workflowsOn')}</dd>
                  </Box>
                  {unserved > 0 ? (
                    <Alert severity="warning">{t('wizard.unserved', { count: unserved })}</Alert>
                  ) : null}
                  {summary.ordersToSend === 0 ? (
                    <Alert severity="info">{t('wizard.nothingToSend')}</Alert>
                  ) : (
                    <Alert severity="info">
                      {t('wizard.confirmText', { count: summary.ordersToSend })}
                    </Alert>
                  )}
                  <ErrorAlert error={startError} />
                </Stack>
              )}
            </Box>
          ) : null}
        </Box>

        <Box sx={{ display: 'flex', justifyContent: 'space-between', mt: 3 }}>
          <Button disabled={step === 0} onClick={() => setStep(step - 1)}>
            {t('common.back')}
          </Button>
          {step < STEPS.length - 1 ? (
            <Button variant="contained" onClick={next} disabled={step === 1 && !datesReady}>
              {t('common.next')}
            </Button>
          ) : (
            <Button
              variant="contained"
              onClick={() => void start()}
              disabled={starting || summary === null || summary.ordersToSend === 0}
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

/** One sending option: a switch with its explanation underneath. */
function OptionSwitch(props: {
  checked: boolean
  onChange: (checked: boolean) => void
  label: string
  help: string
}) {
  return (
    <Box>
      <FormControlLabel
        control={
          <Switch
            checked={props.checked}
            onChange={(event) => props.onChange(event.target.checked)}
          />
        }
        label={props.label}
      />
      <FormHelperText sx={{ ml: 6, mt: -0.5 }}>{props.help}</FormHelperText>
    </Box>
  )
}
