import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Table from '@mui/material/Table'
import TableBody from '@mui/material/TableBody'
import TableCell from '@mui/material/TableCell'
import TableHead from '@mui/material/TableHead'
import TableRow from '@mui/material/TableRow'
import Typography from '@mui/material/Typography'
import { BarChart } from '@mui/x-charts/BarChart'
import { useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OrderStateView, WeeklyCountsView } from '../../../preload/contract'
import { useReducedMotion } from '../../theme/reduced-motion'
import { formatDay, formatNumber, formatShortDay } from '../format'
import { weekChartData } from './week-chart'

/**
 * The range's orders per week, stacked by status in the store's own colours. The drawing is
 * hidden from assistive technologies (MUI's SVG says nothing useful); a sentence describes it
 * and the same numbers are a table a button away.
 */
export function WeeklyOrdersChart({
  view,
  states,
}: {
  view: WeeklyCountsView
  states: readonly OrderStateView[]
}) {
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const [showTable, setShowTable] = useState(false)
  const titleId = useId()
  const descriptionId = useId()
  const tableId = useId()
  const data = useMemo(() => weekChartData(view, states), [view, states])
  const number = (value: number) => formatNumber(language, value)
  const reducedMotion = useReducedMotion()

  const busiest = data.totals.reduce(
    (best, value, index) => (value > (data.totals[best] ?? 0) ? index : best),
    0,
  )
  const description =
    data.total === 0
      ? t('wizard.weeklyEmpty')
      : t('wizard.weeklySummary', {
          count: data.total,
          total: number(data.total),
          weeks: number(data.weeks.length),
          week: formatDay(language, data.weeks[busiest] ?? view.from),
          busiest: number(data.totals[busiest] ?? 0),
        })

  return (
    <Box
      component="figure"
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      sx={{ m: 0, mt: 2 }}
    >
      <Typography id={titleId} component="figcaption" variant="subtitle2">
        {t('wizard.weeklyTitle')}
      </Typography>
      <Typography id={descriptionId} variant="body2" color="text.secondary">
        {description}
      </Typography>
      {data.total > 0 ? (
        <>
          <BarChart
            height={240}
            skipAnimation={reducedMotion}
            xAxis={[
              {
                scaleType: 'band',
                data: [...data.weeks],
                valueFormatter: (week: string, context) =>
                  context.location === 'tick'
                    ? formatShortDay(language, week)
                    : t('wizard.weekOf', { day: formatDay(language, week) }),
              },
            ]}
            yAxis={[{ width: 48 }]}
            series={data.series.map((each) => ({
              id: `state-${each.stateId}`,
              label: each.name,
              color: each.color,
              data: [...each.data],
              stack: 'orders',
            }))}
            margin={{ left: 0, right: 8, top: 8, bottom: 0 }}
          />
          <Button
            size="small"
            aria-expanded={showTable}
            aria-controls={tableId}
            onClick={() => setShowTable((shown) => !shown)}
          >
            {showTable ? t('wizard.weeklyHideTable') : t('wizard.weeklyShowTable')}
          </Button>
          {showTable ? (
            // It scrolls: focusable, so a keyboard can scroll it too, and named for that stop.
            <Box
              role="region"
              tabIndex={0}
              aria-label={t('wizard.weeklyTitle')}
              sx={{ overflowX: 'auto', maxHeight: 320 }}
            >
              <Table id={tableId} size="small" stickyHeader aria-label={t('wizard.weeklyTitle')}>
                <TableHead>
                  <TableRow>
                    <TableCell>{t('wizard.week')}</TableCell>
                    {data.series.map((each) => (
                      <TableCell key={each.stateId} align="right">
                        {each.name}
                      </TableCell>
                    ))}
                    <TableCell align="right">{t('wizard.weekTotal')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {data.weeks.map((week, index) => (
                    <TableRow key={week}>
                      <TableCell component="th" scope="row">
                        {formatDay(language, week)}
                      </TableCell>
                      {data.series.map((each) => (
                        <TableCell key={each.stateId} align="right">
                          {number(each.data[index] ?? 0)}
                        </TableCell>
                      ))}
                      <TableCell align="right">{number(data.totals[index] ?? 0)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          ) : null}
        </>
      ) : null}
    </Box>
  )
}
