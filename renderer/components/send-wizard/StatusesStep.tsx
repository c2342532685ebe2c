import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Checkbox from '@mui/material/Checkbox'
import Chip from '@mui/material/Chip'
import CircularProgress from '@mui/material/CircularProgress'
import FormControl from '@mui/material/FormControl'
import FormControlLabel from '@mui/material/FormControlLabel'
import FormGroup from '@mui/material/FormGroup'
import FormHelperText from '@mui/material/FormHelperText'
import FormLabel from '@mui/material/FormLabel'
import Typography from '@mui/material/Typography'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorAlert } from '../ErrorAlert'
import { formatDay, formatNumber } from '../format'
import { StateDot } from '../StateChip'
import { visibleStates } from './wizard-selectors'
import type { WizardDispatch, WizardState } from './wizard-state'
import { WeeklyOrdersChart } from './WeeklyOrdersChart'

/**
 * Step 3: the store's statuses, in its names and colours, each with its orders in the range, and
 * the range's orders per week by status.
 */
export function StatusesStep({
  state,
  dispatch,
}: {
  state: WizardState
  dispatch: WizardDispatch
}) {
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const { lookup, counts, statusError, stateIds, showErrors, weeks, weeksError } = state
  const shown = useMemo(() => visibleStates(lookup, counts), [lookup, counts])

  return (
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
        <FormControl component="fieldset" error={showErrors && stateIds.length === 0} fullWidth>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1, flexWrap: 'wrap' }}>
            <FormLabel component="legend" sx={{ flexGrow: 1 }}>
              {t('wizard.statusesLabel', {
                total: formatNumber(language, counts.total),
                from: formatDay(language, counts.from),
                to: formatDay(language, counts.to),
              })}
            </FormLabel>
            <Button
              size="small"
              onClick={() =>
                dispatch({ type: 'statesChosen', stateIds: shown.map((each) => each.id) })
              }
            >
              {t('wizard.selectAll')}
            </Button>
            <Button size="small" onClick={() => dispatch({ type: 'statesChosen', stateIds: [] })}>
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
            {shown.map((each) => {
              const count = counts.byState[String(each.id)] ?? 0
              return (
                <FormControlLabel
                  key={each.id}
                  sx={{ mr: 0, borderRadius: 1, '&:hover': { bgcolor: 'action.hover' } }}
                  control={
                    <Checkbox
                      checked={stateIds.includes(each.id)}
                      onChange={(event) =>
                        dispatch({
                          type: 'stateToggled',
                          stateId: each.id,
                          checked: event.target.checked,
                        })
                      }
                    />
                  }
                  label={
                    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
                      <StateDot color={each.color} />
                      <span>{each.name}</span>
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
      {lookup && weeks ? <WeeklyOrdersChart view={weeks} states={lookup.states} /> : null}
      {/* The chart is a help, not a step: its failure is said and the step goes on. */}
      {lookup && weeksError ? <ErrorAlert error={weeksError} /> : null}
    </Box>
  )
}
