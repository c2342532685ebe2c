import ExpandMoreIcon from '@mui/icons-material/ExpandMore'
import Accordion from '@mui/material/Accordion'
import AccordionDetails from '@mui/material/AccordionDetails'
import AccordionSummary from '@mui/material/AccordionSummary'
import Box from '@mui/material/Box'
import FormControlLabel from '@mui/material/FormControlLabel'
import FormHelperText from '@mui/material/FormHelperText'
import Stack from '@mui/material/Stack'
import Switch from '@mui/material/Switch'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { MAX_RATE_LIMIT } from '../../../preload/contract'
import { isRateLimitValid } from './send-selectors'
import type { SendDispatch, SendOption, SendState } from './send-state'

/**
 * The options most sendings keep as they are, folded away: workflows, missing contacts and
 * products, orders already sent, the rate limit. The fold says what is not the default, and an
 * invalid rate limit opens it.
 */
export function AdvancedOptions({ state, dispatch }: { state: SendState; dispatch: SendDispatch }) {
  const { t } = useTranslation()
  const rateLimitValid = isRateLimitValid(state)
  const [open, setOpen] = useState(false)
  const changed = [
    !state.noWorkflows ? t('sendPage.advanced.workflowsOn') : null,
    !state.createContacts ? t('sendPage.advanced.noContacts') : null,
    !state.createProducts ? t('sendPage.advanced.noProducts') : null,
    !state.skipSent ? t('sendPage.advanced.sendAgain') : null,
  ].filter((each): each is string => each !== null)
  const option = (name: SendOption, label: string, help: string) => (
    <OptionSwitch
      checked={state[name]}
      onChange={(value) => dispatch({ type: 'optionChanged', option: name, value })}
      label={label}
      help={help}
    />
  )

  return (
    <Accordion
      disableGutters
      variant="outlined"
      // Closed at first; an invalid rate limit keeps it open, as the page says why it waits.
      expanded={open || !rateLimitValid}
      onChange={(_event, expanded) => setOpen(expanded)}
    >
      {/* MUI puts the summary in an h3: the section's heading. */}
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-controls="send-advanced"
        id="send-advanced-summary"
      >
        <Box>
          <Typography component="span" variant="subtitle1" sx={{ display: 'block' }}>
            {t('sendPage.advanced.title')}
          </Typography>
          <Typography
            component="span"
            variant="body2"
            color="text.secondary"
            sx={{ display: 'block' }}
          >
            {changed.length > 0 ? changed.join(' · ') : t('sendPage.advanced.defaults')}
          </Typography>
        </Box>
      </AccordionSummary>
      <AccordionDetails id="send-advanced">
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
        </Stack>
      </AccordionDetails>
    </Accordion>
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
