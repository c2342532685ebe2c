import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Table from '@mui/material/Table'
import TableBody from '@mui/material/TableBody'
import TableCell from '@mui/material/TableCell'
import TableHead from '@mui/material/TableHead'
import TableRow from '@mui/material/TableRow'
import Typography from '@mui/material/Typography'
import { useTheme } from '@mui/material/styles'
import { BarChart } from '@mui/x-charts/BarChart'
import type { TFunction } from 'i18next'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SendingTimeline } from '../../../preload/contract'
import { formatDate, formatNumber } from '../format'

/** A bucket's label: its time, with the day when the buckets span several days (or are days). */
export function bucketLabels(
  language: string,
  timeline: SendingTimeline,
): {
  readonly labels: readonly string[]
  readonly long: readonly string[]
  /** When the first bucket starts and the last one ends. */
  readonly from: string
  readonly to: string
} {
  const dates = timeline.buckets.map((bucket) => new Date(bucket.at))
  const days = new Set(dates.map((date) => date.toDateString()))
  const daily = timeline.bucketSeconds >= 86_400
  const format = (options: Intl.DateTimeFormatOptions) => (date: Date) =>
    formatDate(language, date, options)
  const short = daily
    ? format({ day: 'numeric', month: 'short' })
    : days.size > 1
      ? format({ day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })
      : format({
          hour: '2-digit',
          minute: '2-digit',
          ...(timeline.bucketSeconds < 60 ? { second: '2-digit' } : {}),
        })
  const long = format(
    daily ? { dateStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'medium' },
  )
  const first = dates[0]
  const last = dates[dates.length - 1]
  return {
    labels: dates.map(short),
    long: dates.map(long),
    from: first ? long(first) : '',
    to: last ? long(new Date(last.getTime() + timeline.bucketSeconds * 1_000)) : '',
  }
}

/** A bucket's length in words: "1 min", "10 s", "day". */
export function intervalText(t: TFunction, seconds: number): string {
  if (seconds >= 86_400 && seconds % 86_400 === 0)
    return t('sendingPage.intervalDays', { count: seconds / 86_400 })
  if (seconds >= 3_600 && seconds % 3_600 === 0)
    return t('sendingPage.intervalHours', { count: seconds / 3_600 })
  if (seconds >= 60 && seconds % 60 === 0)
    return t('sendingPage.intervalMinutes', { count: seconds / 60 })
  return t('sendingPage.intervalSeconds', { count: seconds })
}

/**
 * A sending's results over time, stacked bars per bucket of `timeline.bucketSeconds` (by when
 * Connectif answered): created, already existing and failed. Said in words beside it, for whoever
 * cannot see the chart (MUI hides its drawing from assistive technologies), and its numbers are a
 * table a button away: the colours are not the only way to tell the results apart.
 */
export function ResultsChart({ timeline }: { timeline: SendingTimeline | null }) {
  const { t, i18n } = useTranslation()
  const theme = useTheme()
  const language = i18n.language
  const number = (value: number) => formatNumber(language, value)
  const [showTable, setShowTable] = useState(false)
  const tableId = useId()

  if (timeline === null) return null
  if (timeline.buckets.length === 0)
    return <Typography color="text.secondary">{t('sendingPage.chartEmpty')}</Typography>

  const { labels, long, from, to } = bucketLabels(language, timeline)
  const sum = (pick: (bucket: SendingTimeline['buckets'][number]) => number) =>
    timeline.buckets.reduce((total, bucket) => total + pick(bucket), 0)
  const summary = t('sendingPage.chartSummary', {
    interval: intervalText(t, timeline.bucketSeconds),
    created: number(sum((bucket) => bucket.created)),
    existed: number(sum((bucket) => bucket.alreadyExisted)),
    failed: number(sum((bucket) => bucket.failed)),
    from,
    to,
  })

  return (
    <Box component="figure" aria-label={t('sendingPage.chartTitle')} sx={{ m: 0 }}>
      <BarChart
        height={260}
        skipAnimation
        xAxis={[
          {
            scaleType: 'band',
            // A few buckets (a short sending) make narrower bars than the band allows.
            categoryGapRatio: timeline.buckets.length < 6 ? 0.6 : 0.2,
            // By position: two buckets may read alike (a day's minutes across midnight).
            data: timeline.buckets.map((_bucket, index) => index),
            valueFormatter: (index: number, context) =>
              (context.location === 'tooltip' ? long[index] : labels[index]) ?? '',
          },
        ]}
        yAxis={[{ tickMinStep: 1, width: 48 }]}
        series={[
          {
            data: timeline.buckets.map((bucket) => bucket.created),
            label: t('counts.created'),
            stack: 'results',
            color: theme.palette.success.main,
          },
          {
            data: timeline.buckets.map((bucket) => bucket.alreadyExisted),
            label: t('counts.alreadyExisted'),
            stack: 'results',
            color: theme.palette.info.main,
          },
          {
            data: timeline.buckets.map((bucket) => bucket.failed),
            label: t('counts.failed'),
            stack: 'results',
            color: theme.palette.error.main,
          },
        ]}
      />
      <Typography component="figcaption" variant="body2" color="text.secondary">
        {summary}
      </Typography>
      <Button
        size="small"
        aria-expanded={showTable}
        aria-controls={tableId}
        onClick={() => setShowTable((shown) => !shown)}
        sx={{ mt: 1 }}
      >
        {showTable ? t('sendingPage.chartHideTable') : t('sendingPage.chartShowTable')}
      </Button>
      {showTable ? (
        // It scrolls: focusable, so a keyboard can scroll it too, and named for that stop.
        <Box
          role="region"
          tabIndex={0}
          aria-label={t('sendingPage.chartTitle')}
          sx={{ overflowX: 'auto', maxHeight: 320 }}
        >
          <Table id={tableId} size="small" stickyHeader aria-label={t('sendingPage.chartTitle')}>
            <TableHead>
              <TableRow>
                <TableCell>{t('sendingPage.chartBucket')}</TableCell>
                <TableCell align="right">{t('counts.created')}</TableCell>
                <TableCell align="right">{t('counts.alreadyExisted')}</TableCell>
                <TableCell align="right">{t('counts.failed')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {timeline.buckets.map((bucket, index) => (
                <TableRow key={bucket.at}>
                  <TableCell component="th" scope="row">
                    {long[index]}
                  </TableCell>
                  <TableCell align="right">{number(bucket.created)}</TableCell>
                  <TableCell align="right">{number(bucket.alreadyExisted)}</TableCell>
                  <TableCell align="right">{number(bucket.failed)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      ) : null}
    </Box>
  )
}
