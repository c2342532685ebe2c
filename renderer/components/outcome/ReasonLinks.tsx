import Box from '@mui/material/Box'
import Link from '@mui/material/Link'
import Typography from '@mui/material/Typography'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutcomeReasonView } from '../../../preload/contract'
import { outcomeReasonText, type OutcomeResult } from '../../i18n/outcome-reason'
import { routeLink } from '../../routing/use-hash-route'

const RESULTS: readonly OutcomeResult[] = ['skipped', 'failed']

/**
 * A sending's skipped and failed orders grouped by reason ("3 orders of deleted customers"), most
 * first, each group a link to the sending's page showing only those orders. Nothing when none
 * was skipped or failed. `onFollow` runs after a link is followed in place (a dialog closes).
 */
export function ReasonLinks({
  sendingId,
  reasons,
  headingComponent,
  onFollow,
}: {
  sendingId: number
  reasons: readonly OutcomeReasonView[]
  /** The level of each group's heading under the surrounding one. */
  headingComponent: 'h3' | 'h4'
  onFollow?: () => void
}) {
  const { t } = useTranslation()
  const id = useId()
  const groups = RESULTS.map((result) => ({
    result,
    items: reasons.filter((reason) => reason.result === result),
  })).filter((group) => group.items.length > 0)
  if (groups.length === 0) return null
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}>
      {groups.map(({ result, items }) => (
        <Box key={result} component="section" aria-labelledby={`${id}-${result}`}>
          <Typography variant="subtitle2" component={headingComponent} id={`${id}-${result}`}>
            {t(`outcome.${result}Heading`)}
          </Typography>
          <Box component="ul" sx={{ m: 0, mt: 0.5, pl: 3 }}>
            {items.map((item) => {
              const link = routeLink({
                page: 'sending',
                sendingId,
                filter: { result, reason: item.code },
              })
              return (
                <li key={item.code}>
                  <Link
                    href={link.href}
                    color={result === 'failed' ? 'error' : 'primary'}
                    onClick={(event) => {
                      link.onClick(event)
                      if (event.defaultPrevented) onFollow?.()
                    }}
                  >
                    {outcomeReasonText(t, result, item.code, item.orders)}
                  </Link>
                </li>
              )
            })}
          </Box>
        </Box>
      ))}
    </Box>
  )
}
