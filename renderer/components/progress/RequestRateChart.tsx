import Box from '@mui/material/Box'
import Typography from '@mui/material/Typography'
import { ChartsReferenceLine } from '@mui/x-charts/ChartsReferenceLine'
import { LineChart } from '@mui/x-charts/LineChart'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { formatNumber } from '../format'
import type { RateSample } from './rate-samples'

/** Minutes and seconds since the first sample: "2:05". */
function elapsed(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds))
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`
}

/**
 * Requests a minute over the sending, against the Connectif account's limit (a dashed line): how
 * close the sending runs to what the account allows. The drawing is hidden from assistive
 * technologies; the sentence under the title says the same.
 */
export function RequestRateChart({
  samples,
  limit,
  routed,
}: {
  samples: readonly RateSample[]
  /** The sending's rate limit (per account); null until the history said it. */
  limit: number | null
  /** Several accounts: the limit applies to each, the line to all of them together. */
  routed: boolean
}) {
  const { t, i18n } = useTranslation()
  const titleId = useId()
  const descriptionId = useId()
  const number = (value: number) => formatNumber(i18n.language, Math.round(value))
  const first = samples[0]?.at ?? 0
  const x = samples.map((sample) => (sample.at - first) / 1000)
  const y = samples.map((sample) => sample.perMinute)
  const now = y[y.length - 1] ?? 0
  const top = Math.max(limit ?? 0, ...y, 1) * 1.15
  const limitText =
    limit === null
      ? ''
      : t(routed ? 'progress.rateLimitEach' : 'progress.rateLimitLine', { limit: number(limit) })

  return (
    <Box
      component="figure"
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      sx={{ m: 0, mt: 2 }}
    >
      <Typography id={titleId} component="figcaption" variant="subtitle2">
        {t('progress.rateTitle')}
      </Typography>
      <Typography id={descriptionId} variant="body2" color="text.secondary">
        {limit === null
          ? t('progress.rateNow', { rate: number(now) })
          : t(routed ? 'progress.rateAgainstEachLimit' : 'progress.rateAgainstLimit', {
              rate: number(now),
              limit: number(limit),
            })}
      </Typography>
      <LineChart
        height={180}
        skipAnimation
        hideLegend
        xAxis={[
          {
            data: x,
            scaleType: 'linear',
            min: 0,
            max: Math.max(60, x[x.length - 1] ?? 0),
            valueFormatter: (seconds: number) => elapsed(seconds),
          },
        ]}
        yAxis={[{ min: 0, max: top, width: 48 }]}
        series={[
          {
            id: 'per-minute',
            data: y,
            label: t('progress.rateSeries'),
            showMark: false,
            curve: 'linear',
          },
        ]}
        margin={{ left: 0, right: 16, top: 8, bottom: 0 }}
      >
        {limit !== null ? (
          <ChartsReferenceLine
            y={limit}
            label={limitText}
            labelAlign="start"
            lineStyle={{ strokeDasharray: '6 4' }}
          />
        ) : null}
      </LineChart>
    </Box>
  )
}
