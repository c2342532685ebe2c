import DeleteForeverIcon from '@mui/icons-material/DeleteForever'
import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Card from '@mui/material/Card'
import CardContent from '@mui/material/CardContent'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogContentText from '@mui/material/DialogContentText'
import DialogTitle from '@mui/material/DialogTitle'
import FormControl from '@mui/material/FormControl'
import FormControlLabel from '@mui/material/FormControlLabel'
import FormLabel from '@mui/material/FormLabel'
import Radio from '@mui/material/Radio'
import RadioGroup from '@mui/material/RadioGroup'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useEffect, useMemo, useState } from 'react'
import { Controller, useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import {
  RETENTION_DAYS,
  type AppErrorValue,
  type CustomerForgotten,
  type RetentionView,
} from '../../../preload/contract'
import { useApi } from '../../api/api-context'
import { ErrorAlert } from '../ErrorAlert'
import { formatBytes, formatDateTime } from '../format'
import {
  forgetFormResolver,
  retentionFormResolver,
  retentionFormValues,
  retentionRequest,
  type ForgetFormValues,
  type RetentionFormValues,
} from './privacy-form'

/**
 * History and privacy: how long the payloads and answers of finished sendings are kept (Off by
 * default; results and counts always stay), the history's size and the last cleanup, and
 * "Forget a customer", which erases one customer's e-mail, payloads and answers at their request.
 */
export function PrivacySettings() {
  const api = useApi()
  const { t, i18n } = useTranslation()
  const [view, setView] = useState<RetentionView | null>(null)
  const [error, setError] = useState<AppErrorValue | null>(null)
  const [saved, setSaved] = useState(false)
  const [forgetting, setForgetting] = useState(false)
  const [forgotten, setForgotten] = useState<CustomerForgotten | null>(null)
  const resolver = useMemo(() => retentionFormResolver(t), [t])
  const { control, handleSubmit, reset, watch, formState } = useForm<RetentionFormValues>({
    defaultValues: retentionFormValues(null),
    resolver,
  })

  useEffect(() => {
    let live = true
    void api.getRetention().then((result) => {
      if (!live) return
      if (result.ok) {
        setView(result.data)
        reset(retentionFormValues(result.data.days))
      } else setError(result.error)
    })
    return () => {
      live = false
    }
  }, [api, reset])

  const save = async (values: RetentionFormValues) => {
    setError(null)
    setSaved(false)
    const result = await api.saveRetention(retentionRequest(values))
    if (!result.ok) {
      setError(result.error)
      return
    }
    setView(result.data)
    reset(retentionFormValues(result.data.days))
    setSaved(true)
  }

  const language = i18n.language
  const last = view?.lastRun ?? null
  const mode = watch('mode')
  return (
    <Card variant="outlined" component="section" aria-labelledby="privacy-title">
      <CardContent>
        <Typography id="privacy-title" variant="subtitle1" component="h3">
          {t('privacy.title')}
        </Typography>
        <form noValidate onSubmit={(event) => void handleSubmit(save)(event)}>
          <FormControl component="fieldset" sx={{ mt: 1 }}>
            <FormLabel component="legend">{t('privacy.retention')}</FormLabel>
            <Controller
              control={control}
              name="mode"
              render={({ field }) => (
                <RadioGroup
                  value={field.value}
                  onChange={(event) => {
                    field.onChange(event.target.value)
                    setSaved(false)
                  }}
                >
                  <FormControlLabel
                    value="off"
                    control={<Radio />}
                    label={t('privacy.keepAlways')}
                  />
                  <FormControlLabel
                    value="days"
                    control={<Radio />}
                    label={t('privacy.keepDays')}
                  />
                </RadioGroup>
              )}
            />
          </FormControl>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'flex-start', mt: 1 }}>
            {/* Only asked for when it counts: a disabled field's grey help would be unreadable. */}
            {mode === 'days' ? (
              <Controller
                control={control}
                name="days"
                render={({ field, fieldState }) => (
                  <TextField
                    {...field}
                    onChange={(event) => {
                      field.onChange(event)
                      setSaved(false)
                    }}
                    size="small"
                    label={t('privacy.days')}
                    slotProps={{ htmlInput: { inputMode: 'numeric' } }}
                    error={fieldState.error !== undefined}
                    helperText={fieldState.error?.message ?? t('privacy.daysHelp', RETENTION_DAYS)}
                    sx={{ maxWidth: 360 }}
                  />
                )}
              />
            ) : null}
            <Button type="submit" variant="outlined" disabled={formState.isSubmitting}>
              {t('privacy.save')}
            </Button>
          </Stack>
        </form>
        {saved ? (
          <Alert severity="success" role="status" sx={{ mt: 1 }}>
            {t('privacy.saved')}
          </Alert>
        ) : null}
        {view !== null ? (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
            {t('privacy.size', { size: formatBytes(language, view.historyBytes) })}{' '}
            {last === null
              ? null
              : last.orders > 0
                ? t('privacy.lastRun', {
                    count: last.orders,
                    date: formatDateTime(language, last.at),
                    orders: last.orders.toLocaleString(language),
                    before: formatBytes(language, last.bytesBefore),
                    after: formatBytes(language, last.bytesAfter),
                  })
                : t('privacy.lastRunNothing', { date: formatDateTime(language, last.at) })}
          </Typography>
        ) : null}
        <ErrorAlert error={error} />
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mt: 2 }}>
          <Button
            color="error"
            variant="outlined"
            startIcon={<DeleteForeverIcon />}
            onClick={() => {
              setForgotten(null)
              setForgetting(true)
            }}
          >
            {t('privacy.forgetButton')}
          </Button>
          <Typography variant="body2" color="text.secondary">
            {t('privacy.forgetHelp')}
          </Typography>
        </Stack>
        {forgotten !== null ? (
          <Alert severity="success" role="status" sx={{ mt: 1 }}>
            {forgotten.orders === 0
              ? t('privacy.forgottenNone', { email: forgotten.email })
              : t('privacy.forgotten', { email: forgotten.email, count: forgotten.orders })}
          </Alert>
        ) : null}
        {forgetting ? (
          <ForgetCustomerDialog
            onClose={() => setForgetting(false)}
            onForgotten={(result) => {
              setForgetting(false)
              setForgotten(result)
              setView((old) =>
                old === null ? old : { ...old, historyBytes: result.run.bytesAfter },
              )
            }}
          />
        ) : null}
      </CardContent>
    </Card>
  )
}

/** Asks for the address and says what is erased, for good, before anything is. */
function ForgetCustomerDialog({
  onClose,
  onForgotten,
}: {
  onClose: () => void
  onForgotten: (result: CustomerForgotten) => void
}) {
  const api = useApi()
  const { t } = useTranslation()
  const [error, setError] = useState<AppErrorValue | null>(null)
  const resolver = useMemo(() => forgetFormResolver(t), [t])
  const { control, handleSubmit, formState } = useForm<ForgetFormValues>({
    defaultValues: { email: '' },
    resolver,
  })

  const forget = async (values: ForgetFormValues) => {
    setError(null)
    const result = await api.forgetCustomer({ email: values.email.trim() })
    if (!result.ok) {
      setError(result.error)
      return
    }
    onForgotten(result.data)
  }

  return (
    <Dialog open onClose={onClose} aria-labelledby="forget-title" aria-describedby="forget-text">
      <form noValidate onSubmit={(event) => void handleSubmit(forget)(event)}>
        <DialogTitle id="forget-title">{t('privacy.forgetTitle')}</DialogTitle>
        <DialogContent>
          <DialogContentText id="forget-text" sx={{ mb: 2 }}>
            {t('privacy.forgetText')}
          </DialogContentText>
          <Controller
            control={control}
            name="email"
            render={({ field, fieldState }) => (
              <TextField
                {...field}
                autoFocus
                fullWidth
                type="email"
                label={t('privacy.email')}
                error={fieldState.error !== undefined}
                helperText={fieldState.error?.message ?? ' '}
              />
            )}
          />
          <ErrorAlert error={error} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" color="error" variant="contained" disabled={formState.isSubmitting}>
            {t('privacy.forgetConfirm')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
