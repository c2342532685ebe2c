import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Checkbox from '@mui/material/Checkbox'
import CircularProgress from '@mui/material/CircularProgress'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogTitle from '@mui/material/DialogTitle'
import FormControl from '@mui/material/FormControl'
import FormControlLabel from '@mui/material/FormControlLabel'
import FormGroup from '@mui/material/FormGroup'
import FormHelperText from '@mui/material/FormHelperText'
import FormLabel from '@mui/material/FormLabel'
import Radio from '@mui/material/Radio'
import RadioGroup from '@mui/material/RadioGroup'
import Stack from '@mui/material/Stack'
import Switch from '@mui/material/Switch'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useEffect, useMemo, useState } from 'react'
import { Controller, useForm, type Control } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import {
  SCHEDULE_DAYS,
  SCHEDULE_HOURS,
  type AppErrorValue,
  type ProfileView,
  type ScheduleView,
  type StoreLookup,
} from '../../../preload/contract'
import { useApi } from '../../api/api-context'
import { ErrorAlert } from '../ErrorAlert'
import { StateDot } from '../StateChip'
import {
  scheduleFormResolver,
  scheduleFormValues,
  scheduleRequest,
  type ScheduleFormValues,
} from './schedule-form'

/**
 * A profile's automatic sending: on or off, every N hours or daily at a time on the shop's clock,
 * the statuses (the profile's default ones unless chosen), the days covered and the options.
 * The store's statuses and time zone are read when it opens; without them the schedule can still
 * be switched off or keep the profile's default statuses.
 */
export function ScheduleDialog({
  profile,
  onClose,
  onSaved,
}: {
  readonly profile: ProfileView
  readonly onClose: () => void
  readonly onSaved: (schedule: ScheduleView) => void
}) {
  const api = useApi()
  const { t } = useTranslation()
  const [schedule, setSchedule] = useState<ScheduleView | null>(null)
  const [loadError, setLoadError] = useState<AppErrorValue | null>(null)
  const [store, setStore] = useState<StoreLookup | AppErrorValue | null>(null)

  useEffect(() => {
    let live = true
    void api.getSchedule({ profileId: profile.id }).then((result) => {
      if (!live) return
      if (result.ok) setSchedule(result.data)
      else setLoadError(result.error)
    })
    void api.lookupStore({ profileId: profile.id }).then((result) => {
      if (live) setStore(result.ok ? result.data : result.error)
    })
    return () => {
      live = false
    }
  }, [api, profile.id])

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="schedule-title">
      <DialogTitle id="schedule-title">{t('schedule.title', { name: profile.name })}</DialogTitle>
      {schedule ? (
        <ScheduleForm
          profile={profile}
          schedule={schedule}
          store={store}
          onClose={onClose}
          onSaved={onSaved}
        />
      ) : (
        <>
          <DialogContent dividers>
            {loadError ? (
              <ErrorAlert error={loadError} />
            ) : (
              <Box sx={{ display: 'flex', justifyContent: 'center', py: 4 }}>
                <CircularProgress aria-label={t('common.loading')} />
              </Box>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
          </DialogActions>
        </>
      )}
    </Dialog>
  )
}

function isLookup(store: StoreLookup | AppErrorValue | null): store is StoreLookup {
  return store !== null && 'states' in store
}

function ScheduleForm(props: {
  readonly profile: ProfileView
  readonly schedule: ScheduleView
  readonly store: StoreLookup | AppErrorValue | null
  readonly onClose: () => void
  readonly onSaved: (schedule: ScheduleView) => void
}) {
  const { profile, schedule, store } = props
  const api = useApi()
  const { t } = useTranslation()
  const resolver = useMemo(() => scheduleFormResolver(t), [t])
  const [defaultValues] = useState(() => scheduleFormValues(schedule, profile.defaultStateIds))
  const { control, handleSubmit, watch } = useForm<ScheduleFormValues>({
    defaultValues,
    resolver,
    mode: 'onSubmit',
  })
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<AppErrorValue | null>(null)
  const kind = watch('kind')
  const states = watch('states')
  const zone = isLookup(store) ? store.timezone : schedule.timeZone

  const save = async (values: ScheduleFormValues) => {
    setSaving(true)
    setError(null)
    const result = await api.saveSchedule({
      profileId: profile.id,
      schedule: scheduleRequest(values),
    })
    setSaving(false)
    if (result.ok) props.onSaved(result.data)
    else setError(result.error)
  }

  return (
    <>
      <DialogContent dividers>
        <Stack spacing={2}>
          <Typography variant="body2" color="text.secondary">
            {t('schedule.intro')}
          </Typography>
          <Controller
            control={control}
            name="enabled"
            render={({ field }) => (
              <FormControlLabel
                control={
                  <Switch
                    checked={field.value}
                    onChange={(event) => field.onChange(event.target.checked)}
                  />
                }
                label={t('schedule.enabled')}
              />
            )}
          />
          <FormControl>
            <FormLabel id="schedule-when">{t('schedule.when')}</FormLabel>
            <Controller
              control={control}
              name="kind"
              render={({ field }) => (
                <RadioGroup
                  row
                  aria-labelledby="schedule-when"
                  value={field.value}
                  onChange={(event) => field.onChange(event.target.value)}
                >
                  <FormControlLabel value="every" control={<Radio />} label={t('schedule.every')} />
                  <FormControlLabel value="daily" control={<Radio />} label={t('schedule.daily')} />
                </RadioGroup>
              )}
            />
          </FormControl>
          {kind === 'every' ? (
            <NumberField
              control={control}
              name="hours"
              label={t('schedule.hours')}
              help={t('schedule.hoursHelp', SCHEDULE_HOURS)}
            />
          ) : (
            <Controller
              control={control}
              name="time"
              render={({ field, fieldState }) => (
                <TextField
                  label={t('schedule.time')}
                  value={field.value}
                  onChange={field.onChange}
                  onBlur={field.onBlur}
                  inputRef={field.ref}
                  error={Boolean(fieldState.error)}
                  helperText={
                    fieldState.error?.message ??
                    (zone ? t('schedule.timeHelp', { zone }) : t('schedule.timeHelpNoZone'))
                  }
                  placeholder="02:30"
                  slotProps={{ htmlInput: { inputMode: 'numeric' } }}
                  sx={{ maxWidth: 320 }}
                />
              )}
            />
          )}
          <NumberField
            control={control}
            name="days"
            label={t('schedule.days')}
            help={t('schedule.daysHelp', SCHEDULE_DAYS)}
          />
          <StatesField
            control={control}
            profile={profile}
            store={store}
            chosen={states === 'chosen'}
          />
          <FormControl component="fieldset">
            <FormLabel component="legend">{t('schedule.options')}</FormLabel>
            <OptionSwitch
              control={control}
              name="triggerWorkflows"
              label={t('schedule.workflows')}
              help={t('schedule.workflowsHelp')}
            />
            <OptionSwitch
              control={control}
              name="createContacts"
              label={t('wizard.createContacts')}
              help={t('wizard.createContactsHelp')}
            />
            <OptionSwitch
              control={control}
              name="createProducts"
              label={t('wizard.createProducts')}
              help={t('wizard.createProductsHelp')}
            />
          </FormControl>
          <ErrorAlert error={error} />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{t('common.cancel')}</Button>
        <Button
          variant="contained"
          disabled={saving}
          startIcon={saving ? <CircularProgress size={16} /> : null}
          onClick={() => void handleSubmit(save)()}
        >
          {t('schedule.save')}
        </Button>
      </DialogActions>
    </>
  )
}

function NumberField(props: {
  readonly control: Control<ScheduleFormValues>
  readonly name: 'hours' | 'days'
  readonly label: string
  readonly help: string
}) {
  return (
    <Controller
      control={props.control}
      name={props.name}
      render={({ field, fieldState }) => (
        <TextField
          label={props.label}
          value={field.value}
          onChange={field.onChange}
          onBlur={field.onBlur}
          inputRef={field.ref}
          error={Boolean(fieldState.error)}
          helperText={fieldState.error?.message ?? props.help}
          slotProps={{ htmlInput: { inputMode: 'numeric' } }}
          sx={{ maxWidth: 320 }}
        />
      )}
    />
  )
}

/** The profile's default statuses, or the ones ticked among the store's. */
function StatesField(props: {
  readonly control: Control<ScheduleFormValues>
  readonly profile: ProfileView
  readonly store: StoreLookup | AppErrorValue | null
  readonly chosen: boolean
}) {
  const { t } = useTranslation()
  const defaults = props.profile.defaultStateIds.length
  const store = props.store
  return (
    <FormControl component="fieldset">
      <FormLabel component="legend">{t('schedule.statuses')}</FormLabel>
      <Controller
        control={props.control}
        name="states"
        render={({ field }) => (
          <RadioGroup value={field.value} onChange={(event) => field.onChange(event.target.value)}>
            <FormControlLabel
              value="defaults"
              disabled={defaults === 0}
              control={<Radio />}
              label={
                defaults === 0
                  ? t('schedule.defaultStates')
                  : t('schedule.defaultStatesCount', { count: defaults })
              }
            />
            <FormControlLabel
              value="chosen"
              control={<Radio />}
              label={t('schedule.chooseStates')}
            />
          </RadioGroup>
        )}
      />
      {defaults === 0 ? <FormHelperText>{t('schedule.noDefaultStates')}</FormHelperText> : null}
      {props.chosen ? (
        store === null ? (
          <Typography variant="body2" color="text.secondary" sx={{ ml: 4 }}>
            {t('schedule.loadingStates')}
          </Typography>
        ) : isLookup(store) ? (
          <Controller
            control={props.control}
            name="stateIds"
            render={({ field, fieldState }) => (
              <>
                <FormGroup
                  sx={{ ml: 4, display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}
                >
                  {store.states
                    .filter((state) => !state.deleted)
                    .map((state) => (
                      <FormControlLabel
                        key={state.id}
                        control={
                          <Checkbox
                            checked={field.value.includes(state.id)}
                            onChange={(event) =>
                              field.onChange(
                                event.target.checked
                                  ? [...field.value, state.id]
                                  : field.value.filter((id) => id !== state.id),
                              )
                            }
                          />
                        }
                        label={
                          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
                            <StateDot color={state.color} />
                            {state.name}
                          </Box>
                        }
                      />
                    ))}
                </FormGroup>
                {fieldState.error ? (
                  <FormHelperText error>{fieldState.error.message}</FormHelperText>
                ) : null}
              </>
            )}
          />
        ) : (
          <ErrorAlert error={store} />
        )
      ) : null}
    </FormControl>
  )
}

function OptionSwitch(props: {
  readonly control: Control<ScheduleFormValues>
  readonly name: 'triggerWorkflows' | 'createContacts' | 'createProducts'
  readonly label: string
  readonly help: string
}) {
  return (
    <Controller
      control={props.control}
      name={props.name}
      render={({ field }) => (
        <Box>
          <FormControlLabel
            control={
              <Switch
                checked={field.value}
                onChange={(event) => field.onChange(event.target.checked)}
              />
            }
            label={props.label}
          />
          <FormHelperText sx={{ ml: 6, mt: -0.5 }}>{props.help}</FormHelperText>
        </Box>
      )}
    />
  )
}
