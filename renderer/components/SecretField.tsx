import CheckCircleIcon from '@mui/icons-material/CheckCircle'
import Box from '@mui/material/Box'
import Checkbox from '@mui/material/Checkbox'
import FormControlLabel from '@mui/material/FormControlLabel'
import InputAdornment from '@mui/material/InputAdornment'
import TextField from '@mui/material/TextField'
import type { Ref } from 'react'
import { useTranslation } from 'react-i18next'
import type { SecretStatus } from '../../preload/contract'

/**
 * A secret of a profile: the database password, the Webservice key, a Connectif API key. In the
 * desktop app it is typed in a password field, which may be left empty to keep a saved secret or
 * ticked to remove it. In browser mode main reads secrets from environment variables, so the field
 * names the variable instead.
 */
export interface SecretFieldProps {
  readonly browserMode: boolean
  /** What main keeps for this secret (undefined: a new profile or target). */
  readonly status: SecretStatus | 'not-needed' | undefined
  /** The secret as typed (desktop app). */
  readonly label: string
  readonly value: string
  readonly onChange: (value: string) => void
  /** Remove the saved secret. */
  readonly clear: boolean
  readonly onClearChange: (clear: boolean) => void
  /** The name of the environment variable that holds the secret (browser mode). */
  readonly envLabel: string
  readonly envValue: string
  readonly onEnvChange: (value: string) => void
  /** The variable's input, for a form to focus it when it has a problem. */
  readonly envInputRef?: Ref<HTMLInputElement>
  /** What the variable's field says while it has no problem and no secret is saved. */
  readonly envHelp: string
  /** The variable's name was changed in the form: `status` is about the one saved before. */
  readonly envChanged?: boolean
  readonly envError?: string | undefined
  readonly envRequired?: boolean
}

export function SecretField(props: SecretFieldProps) {
  const { t } = useTranslation()
  const { status } = props
  if (props.browserMode) {
    // Nothing is saved in browser mode: the secret is read from the variable, set or not.
    const variable = props.envValue.trim()
    const known = variable !== '' && props.envChanged !== true
    const help =
      known && status === 'saved'
        ? t('profile.envSetNamed', { variable })
        : known && status === 'missing'
          ? t('profile.envUnsetNamed', { variable })
          : props.envHelp
    return (
      <TextField
        label={props.envLabel}
        value={props.envValue}
        onChange={(event) => props.onEnvChange(event.target.value)}
        inputRef={props.envInputRef}
        error={Boolean(props.envError)}
        helperText={props.envError ?? help}
        required={props.envRequired}
      />
    )
  }
  const saved = status === 'saved' && !props.clear
  return (
    <Box>
      <TextField
        fullWidth
        type="password"
        autoComplete="new-password"
        label={props.label}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        placeholder={saved ? '••••••••' : ''}
        helperText={saved ? t('profile.secretSaved') : t('profile.secretMissing')}
        slotProps={{
          input: {
            endAdornment: saved ? (
              <InputAdornment position="end">
                <CheckCircleIcon color="success" fontSize="small" aria-label={t('profile.saved')} />
              </InputAdornment>
            ) : undefined,
          },
          inputLabel: saved ? { shrink: true } : {},
        }}
      />
      {status === 'saved' ? (
        <FormControlLabel
          control={
            <Checkbox
              size="small"
              checked={props.clear}
              onChange={(event) => props.onClearChange(event.target.checked)}
            />
          }
          label={t('profile.removeSecret')}
        />
      ) : null}
    </Box>
  )
}
