import Alert from '@mui/material/Alert'
import CircularProgress from '@mui/material/CircularProgress'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { DatePicker } from '@mui/x-date-pickers/DatePicker'
import { DateTime } from 'luxon'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { RuleViolationView } from '../../../preload/contract'
import { ErrorAlert } from '../ErrorAlert'
import { formatDay, ruleMessage } from '../format'
import { toDay } from './wizard-selectors'
import type { WizardDispatch, WizardState } from './wizard-state'

/** Step 2: the date range, with the one-year and five-year rules shown while picking. */
export function DateRangeStep({
  state,
  dispatch,
}: {
  state: WizardState
  dispatch: WizardDispatch
}) {
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const { from, to, rules, rulesLoading, rulesError, showErrors } = state
  const violations = rules?.violations ?? []
  const fromViolations = violations.filter((violation) => violation.field === 'from')
  const toViolations = violations.filter((violation) => violation.field === 'to')

  // Stable objects: a new minDate or maxDate on every render makes the date field re-read its
  // value and drop the sections being typed.
  const earliest = rules?.earliestStart
  const today = rules?.today
  const latest = rules?.latestEnd ?? rules?.today
  const fromMin = useMemo(() => (earliest ? DateTime.fromISO(earliest) : undefined), [earliest])
  const fromMax = useMemo(() => (today ? DateTime.fromISO(today) : undefined), [today])
  const toMax = useMemo(() => (latest ? DateTime.fromISO(latest) : undefined), [latest])
  const toMin = from && from.isValid ? from : undefined

  const violationText = (list: readonly RuleViolationView[]) =>
    list.map((violation) => ruleMessage(t, violation, language)).join(' ')

  return (
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
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
        <DatePicker
          label={t('wizard.from')}
          value={from}
          onChange={(value) => dispatch({ type: 'fromChanged', value })}
          minDate={fromMin}
          maxDate={fromMax}
          slotProps={{
            textField: {
              error: fromViolations.length > 0,
              helperText:
                fromViolations.length > 0
                  ? violationText(fromViolations)
                  : showErrors && !toDay(from)
                    ? t('wizard.fromRequired')
                    : ' ',
              sx: { width: { xs: '100%', sm: 300 } },
            },
          }}
        />
        <DatePicker
          label={t('wizard.to')}
          value={to}
          onChange={(value) => dispatch({ type: 'toChanged', value })}
          minDate={toMin}
          maxDate={toMax}
          slotProps={{
            textField: {
              error: toViolations.length > 0,
              helperText:
                toViolations.length > 0
                  ? violationText(toViolations)
                  : showErrors && !toDay(to)
                    ? t('wizard.toRequired')
                    : ' ',
              sx: { width: { xs: '100%', sm: 300 } },
            },
          }}
        />
        {rulesLoading ? (
          <CircularProgress size={24} sx={{ mt: 2 }} aria-label={t('wizard.checkingDates')} />
        ) : null}
      </Stack>
      {violations.length > 0 ? (
        <Alert severity="warning" role="alert">
          {violationText(violations)}
        </Alert>
      ) : null}
      <ErrorAlert error={rulesError} />
    </Stack>
  )
}
