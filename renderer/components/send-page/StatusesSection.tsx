import Box from '@mui/material/Box'
import Checkbox from '@mui/material/Checkbox'
import Chip from '@mui/material/Chip'
import CircularProgress from '@mui/material/CircularProgress'
import FormControlLabel from '@mui/material/FormControlLabel'
import FormGroup from '@mui/material/FormGroup'
import Paper from '@mui/material/Paper'
import Typography from '@mui/material/Typography'
import { useId, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorAlert } from '../ErrorAlert'
import { formatDay, formatNumber } from '../format'
import { StateDot } from '../StateChip'
import { selectedOrders, statusGroups, type StatusGroup } from './send-selectors'
import type { SendDispatch, SendState } from './send-state'
import { WeeklyOrdersChart } from './WeeklyOrdersChart'

/**
 * The store's statuses grouped as PrestaShop sees them (validated, not paid yet, cancelled,
 * refunded or in error), each in its colour with its orders in the range, each group with its
 * subtotal and a box that picks it whole, then the orders picked in all, and the range's orders
 * per week by status.
 */
export function StatusesSection(props: {
  state: SendState
  dispatch: SendDispatch
  /** The store's failure is already said by the profile's check: not again here. */
  storeProblemShown: boolean
}) {
  const { state, dispatch, storeProblemShown } = props
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const { lookup, counts, countsLoading, lookupError, countsError, stateIds, weeks, weeksError } =
    state
  const groups = useMemo(() => statusGroups(lookup, counts), [lookup, counts])
  const picked = selectedOrders(state)
  const storeError = lookupError ?? countsError

  if (storeError) return storeProblemShown ? null : <ErrorAlert error={storeError} />
  if (!lookup || !counts)
    return (
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, py: 2 }}>
        <CircularProgress size={24} aria-hidden />
        <Typography color="text.secondary">{t('wizard.loadingStatuses')}</Typography>
      </Box>
    )

  return (
    <Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }}>
        <Typography variant="body2" color="text.secondary">
          {t('sendPage.rangeTotal', {
            count: counts.total,
            total: formatNumber(language, counts.total),
            from: formatDay(language, counts.from),
            to: formatDay(language, counts.to),
          })}
        </Typography>
        {/* The previous range's counts stay while the new one is counted. */}
        {countsLoading ? <CircularProgress size={16} aria-label={t('sendPage.counting')} /> : null}
      </Box>
      <Box
        sx={{
          display: 'grid',
          gridTemplateColumns: { xs: '1fr', md: 'repeat(3, 1fr)' },
          gap: 2,
          alignItems: 'start',
        }}
      >
        {groups.map((group) => (
          <GroupBox key={group.id} group={group} stateIds={stateIds} dispatch={dispatch} />
        ))}
      </Box>
      <Typography sx={{ mt: 2, fontWeight: 500 }} role="status" data-testid="selected-total">
        {t('sendPage.selectedTotal', {
          count: picked ?? 0,
          orders: formatNumber(language, picked ?? 0),
          statuses: stateIds.length,
        })}
      </Typography>
      {weeks ? <WeeklyOrdersChart view={weeks} states={lookup.states} /> : null}
      {/* The chart is a help: its failure is said and the page goes on. */}
      {weeksError ? <ErrorAlert error={weeksError} /> : null}
    </Box>
  )
}

/** One group: a box picking all its statuses (mixed when some are), its subtotal, its statuses. */
function GroupBox(props: {
  group: StatusGroup
  stateIds: readonly number[]
  dispatch: SendDispatch
}) {
  const { group, stateIds, dispatch } = props
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const headingId = useId()
  const ids = group.lines.map((line) => line.state.id)
  const pickedCount = ids.filter((id) => stateIds.includes(id)).length
  const all = pickedCount === ids.length
  const setGroup = (checked: boolean) =>
    dispatch({
      type: 'statesChosen',
      stateIds: checked
        ? [...stateIds, ...ids.filter((id) => !stateIds.includes(id))]
        : stateIds.filter((id) => !ids.includes(id)),
    })

  return (
    <Paper
      variant="outlined"
      component="fieldset"
      aria-labelledby={headingId}
      data-testid={`status-group-${group.id}`}
      sx={{ m: 0, p: 1.5, minWidth: 0 }}
    >
      <Typography id={headingId} component="legend" variant="subtitle2" sx={{ px: 0.5 }}>
        {t(`sendPage.groups.${group.id}`)}
      </Typography>
      <FormControlLabel
        control={
          <Checkbox
            checked={all}
            indeterminate={pickedCount > 0 && !all}
            onChange={(event) => setGroup(event.target.checked)}
          />
        }
        label={t(`sendPage.selectGroup.${group.id}`, {
          count: group.orders,
          orders: formatNumber(language, group.orders),
        })}
        sx={{ '& .MuiFormControlLabel-label': { fontWeight: 500 } }}
      />
      <FormGroup sx={{ pl: 2 }}>
        {group.lines.map(({ state, orders }) => (
          <FormControlLabel
            key={state.id}
            sx={{ mr: 0 }}
            control={
              <Checkbox
                size="small"
                checked={stateIds.includes(state.id)}
                onChange={(event) =>
                  dispatch({
                    type: 'stateToggled',
                    stateId: state.id,
                    checked: event.target.checked,
                  })
                }
              />
            }
            label={
              <Box
                component="span"
                sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}
              >
                <StateDot color={state.color} />
                <span>{state.name || t('sendPage.unnamedStatus', { id: state.id })}</span>
                {orders > 0 ? (
                  <Chip
                    size="small"
                    color="primary"
                    label={t('wizard.orderCount', { count: orders })}
                  />
                ) : (
                  <Chip size="small" variant="outlined" label={t('sendPage.noOrders')} />
                )}
              </Box>
            }
          />
        ))}
      </FormGroup>
    </Paper>
  )
}
