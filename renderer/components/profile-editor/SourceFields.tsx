import Alert from '@mui/material/Alert'
import AlertTitle from '@mui/material/AlertTitle'
import Box from '@mui/material/Box'
import FormControl from '@mui/material/FormControl'
import FormControlLabel from '@mui/material/FormControlLabel'
import FormLabel from '@mui/material/FormLabel'
import Radio from '@mui/material/Radio'
import RadioGroup from '@mui/material/RadioGroup'
import Switch from '@mui/material/Switch'
import TextField from '@mui/material/TextField'
import { useRef, useState } from 'react'
import { useController, useFormContext, useWatch } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import type { AppErrorValue, ProfileView } from '../../../preload/contract'
import { fieldErrorText, serverDetailText, serverFieldProblem } from './form-errors'
import { FormTextField } from './FormTextField'
import { SecretFormField } from './SecretFormField'
import {
  emptySource,
  portFromText,
  type ProfileFormValues,
  type SourceForm,
  type SourceKind,
} from './profile-form'

/**
 * Where the store is read from: its database, or its Webservice. Switching keeps what was typed
 * for the other one, should the merchant switch back.
 */
export function SourceFields(props: {
  readonly browserMode: boolean
  readonly secrets: ProfileView['secrets'] | undefined
  /** Webservice resources the key needs View (GET) permission on. */
  readonly webserviceResources: readonly string[]
  /** Main's last refusal, for what it says about the shop address. */
  readonly serverError: AppErrorValue | null
  readonly onKindChange: () => void
}) {
  const { t } = useTranslation()
  const { getValues, setValue } = useFormContext<ProfileFormValues>()
  const kind = useWatch<ProfileFormValues, 'source.kind'>({ name: 'source.kind' })
  const typed = useRef<Partial<Record<SourceKind, SourceForm>>>({})

  const switchTo = (next: SourceKind) => {
    const current = getValues('source')
    if (current.kind === next) return
    typed.current[current.kind] = current
    setValue('source', typed.current[next] ?? emptySource(next))
    props.onKindChange()
  }

  return (
    <>
      <FormControl>
        <FormLabel id="profile-source-kind">{t('profile.sourceKind')}</FormLabel>
        <RadioGroup
          row
          aria-labelledby="profile-source-kind"
          value={kind}
          onChange={(event) => switchTo(event.target.value as SourceKind)}
        >
          <FormControlLabel
            value="database"
            control={<Radio />}
            label={t('profile.sourceDatabase')}
          />
          <FormControlLabel
            value="webservice"
            control={<Radio />}
            label={t('profile.sourceWebservice')}
          />
        </RadioGroup>
      </FormControl>
      {kind === 'database' ? (
        <>
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '2fr 1fr' }, gap: 2 }}>
            <FormTextField name="source.host" label={t('profile.host')} required />
            <PortField />
            <FormTextField name="source.database" label={t('profile.database')} required />
            <FormTextField name="source.tablePrefix" label={t('profile.tablePrefix')} />
            <FormTextField name="source.user" label={t('profile.user')} required />
            <TlsSwitch />
          </Box>
          <SecretFormField
            name="secrets.dbPassword"
            envName="source.passwordEnv"
            browserMode={props.browserMode}
            status={props.secrets?.dbPassword}
            label={t('profile.password')}
            envLabel={t('profile.passwordEnv')}
            envHelp={t('profile.passwordEnvHelp')}
            envRequired={false}
          />
        </>
      ) : (
        <>
          <FormTextField
            name="source.url"
            label={t('profile.shopUrl')}
            help={t('profile.shopUrlHelp')}
            problem={serverFieldProblem(props.serverError, 'source.url', serverDetailText(t))}
            placeholder="https://www.example.com/"
            slotProps={{ htmlInput: { inputMode: 'url', spellCheck: false } }}
            required
          />
          <SecretFormField
            name="secrets.webserviceKey"
            envName="source.keyEnv"
            browserMode={props.browserMode}
            status={props.secrets?.webserviceKey}
            label={t('profile.wsKey')}
            envLabel={t('profile.wsKeyEnv')}
            envHelp={t('profile.wsKeyEnvHelp')}
            envRequired
          />
          <KeyInUrlSwitch />
          <Alert severity="info" role="note" aria-label={t('profile.wsKeyHelpTitle')}>
            <AlertTitle>{t('profile.wsKeyHelpTitle')}</AlertTitle>
            {t('profile.wsKeyHelp')}{' '}
            <Box component="span" sx={{ fontFamily: 'monospace' }}>
              {props.webserviceResources.join(', ')}
            </Box>
            . {t('profile.wsKeyReadOnly')}
          </Alert>
        </>
      )}
    </>
  )
}

/** The port as typed; the form holds its number (0, which the model refuses, for no number). */
function PortField() {
  const { t } = useTranslation()
  const { field, fieldState } = useController<ProfileFormValues, 'source.port'>({
    name: 'source.port',
  })
  const [text, setText] = useState(() => String(field.value))
  const error = fieldErrorText(fieldState.error)
  return (
    <TextField
      label={t('profile.port')}
      name={field.name}
      value={text}
      onChange={(event) => {
        setText(event.target.value)
        field.onChange(portFromText(event.target.value))
      }}
      onBlur={field.onBlur}
      inputRef={field.ref}
      error={Boolean(error)}
      helperText={error ?? ' '}
      slotProps={{ htmlInput: { inputMode: 'numeric' } }}
      required
    />
  )
}

/**
 * The merchant's explicit choice to send the Webservice key in the URL, for shops whose server
 * drops the Authorization header: never done silently, since the key then reaches access logs.
 */
function KeyInUrlSwitch() {
  const { t } = useTranslation()
  const { field } = useController<ProfileFormValues, 'source.keyInUrl'>({
    name: 'source.keyInUrl',
  })
  return (
    <FormControlLabel
      control={
        <Switch
          checked={field.value === true}
          onChange={(event) => field.onChange(event.target.checked)}
        />
      }
      label={
        <>
          {t('profile.wsKeyInUrl')}
          <Box
            component="span"
            sx={{ display: 'block', typography: 'caption', color: 'text.secondary' }}
          >
            {t('profile.wsKeyInUrlHelp')}
          </Box>
        </>
      }
      sx={{ alignSelf: 'start', mt: 1 }}
    />
  )
}

function TlsSwitch() {
  const { t } = useTranslation()
  const { field } = useController<ProfileFormValues, 'source.ssl'>({ name: 'source.ssl' })
  return (
    <FormControlLabel
      control={
        <Switch checked={field.value} onChange={(event) => field.onChange(event.target.checked)} />
      }
      label={t('profile.ssl')}
      sx={{ alignSelf: 'start', mt: 1 }}
    />
  )
}
