import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
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
import { datePresets, type DatePreset } from './date-presets'
import { toDay } from './send-selectors'
import type { SendDispatch, SendState } from './send-state'

/** The field writes the day as the sentences do (locale-format.ts): "Jan 1", not "Jan 01". */
const FIELD = { shouldRespectLeadingZeros: true } as const

/**
 * The date range: presets (the last 12 months, this year, last year, the store's first and last
 * orders), each clipped to the date rules and saying so, and the two days. A broken rule is said
 * once, under the day it concerns.
 */
export function DateRangeSection({
  state,
  dispatch,
  storeProblemShown,
}: {
  state: SendState
  dispatch: SendDispatch
  /** The store's failure is already said by the profile's check: not again here. */
  storeProblemShown: boolean
}) {
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const { from, to, rules, rulesLoading, rulesError, preset, lookup, rangeChosen } = state
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
  const orderDays = lookup?.orderDays ?? null
  const presets = useMemo(
    () => (today ? datePresets({ today, orderDays }) : []),
    [today, orderDays],
  )

  const violationText = (list: readonly RuleViolationView[]) =>
    list.map((violation) => ruleMessage(t, violation, language)).join(' ')
  const helper = (list: readonly RuleViolationView[], empty: boolean, required: string) =>
    list.length > 0 ? violationText(list) : rangeChosen && empty ? required : ' '
  const apply = (chosen: DatePreset) =>
    dispatch({
      type: 'presetApplied',
      id: chosen.id,
      from: DateTime.fromISO(chosen.from),
      to: DateTime.fromISO(chosen.to),
      clips: chosen.clips,
    })

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
      <Stack
        direction="row"
        role="group"
        aria-label={t('sendPage.presets.label')}
        sx={{ flexWrap: 'wrap', gap: 1 }}
      >
        {presets.map((each) => (
          <Button
            key={each.id}
            size="small"
            variant={preset?.id === each.id ? 'contained' : 'outlined'}
            aria-pressed={preset?.id === each.id}
            onClick={() => apply(each)}
          >
            {t(`sendPage.presets.${each.id}`)}
          </Button>
        ))}
      </Stack>
      {preset && preset.clips.length > 0 ? (
        <Alert severity="info" data-testid="preset-clipped">
          {preset.clips
            .map((clip) =>
              t(`sendPage.clipped.${clip.code}`, { day: formatDay(language, clip.day) }),
            )
            .join(' ')}
        </Alert>
      ) : null}
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
        <DatePicker
          label={t('wizard.from')}
          value={from}
          onChange={(value) => dispatch({ type: 'fromChanged', value })}
          minDate={fromMin}
          maxDate={fromMax}
          slotProps={{
            field: FIELD,
            textField: {
              error: fromViolations.length > 0,
              helperText: helper(fromViolations, !toDay(from), t('wizard.fromRequired')),
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
            field: FIELD,
            textField: {
              error: toViolations.length > 0,
              helperText: helper(toViolations, !toDay(to), t('wizard.toRequired')),
              sx: { width: { xs: '100%', sm: 300 } },
            },
          }}
        />
        {rulesLoading ? (
          <CircularProgress size={24} sx={{ mt: 2 }} aria-label={t('wizard.checkingDates')} />
        ) : null}
      </Stack>
      {storeProblemShown ? null : <ErrorAlert error={rulesError} />}
    </Stack>
  )
}
