import Box from '@mui/material/Box'
import FormControl from '@mui/material/FormControl'
import FormControlLabel from '@mui/material/FormControlLabel'
import FormHelperText from '@mui/material/FormHelperText'
import FormLabel from '@mui/material/FormLabel'
import Radio from '@mui/material/Radio'
import RadioGroup from '@mui/material/RadioGroup'
import Stack from '@mui/material/Stack'
import Switch from '@mui/material/Switch'
import TextField from '@mui/material/TextField'
import { useTranslation } from 'react-i18next'
import { MAX_RATE_LIMIT } from '../../../preload/contract'
import { isRateLimitValid } from './wizard-selectors'
import type { SendMode, SendOption, WizardDispatch, WizardState } from './wizard-state'

/**
 * Step 4: workflows, missing contacts and products, orders already sent, the rate limit, and how
 * to follow it.
 */
export function OptionsStep({ state, dispatch }: { state: WizardState; dispatch: WizardDispatch }) {
  const { t } = useTranslation()
  const rateLimitValid = isRateLimitValid(state)
  const option = (name: SendOption, label: string, help: string) => (
    <OptionSwitch
      checked={state[name]}
      onChange={(value) => dispatch({ type: 'optionChanged', option: name, value })}
      label={label}
      help={help}
    />
  )

  return (
    <Stack spacing={2} sx={{ maxWidth: 720 }}>
      {option('noWorkflows', t('wizard.noWorkflows'), t('wizard.noWorkflowsHelp'))}
      {option('createContacts', t('wizard.createContacts'), t('wizard.createContactsHelp'))}
      {option('createProducts', t('wizard.createProducts'), t('wizard.createProductsHelp'))}
      {option('skipSent', t('wizard.skipSent'), t('wizard.skipSentHelp'))}
      <TextField
        label={t('wizard.rateLimit')}
        value={state.rateLimit}
        onChange={(event) => dispatch({ type: 'rateLimitChanged', value: event.target.value })}
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
          value={state.mode}
          onChange={(event) =>
            dispatch({ type: 'modeChanged', mode: event.target.value as SendMode })
          }
        >
          <FormControlLabel value="progress" control={<Radio />} label={t('wizard.modeProgress')} />
          <FormHelperText sx={{ ml: 4, mt: -1, mb: 1 }}>
            {t('wizard.modeProgressHelp')}
          </FormHelperText>
          <FormControlLabel
            value="background"
            control={<Radio />}
            label={t('wizard.modeBackground')}
          />
          <FormHelperText sx={{ ml: 4, mt: -1 }}>{t('wizard.modeBackgroundHelp')}</FormHelperText>
        </RadioGroup>
      </FormControl>
    </Stack>
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
