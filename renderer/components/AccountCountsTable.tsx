import Table from '@mui/material/Table'
import TableBody from '@mui/material/TableBody'
import TableCell from '@mui/material/TableCell'
import TableHead from '@mui/material/TableHead'
import TableRow from '@mui/material/TableRow'
import { useTranslation } from 'react-i18next'
import type { TargetCountsView } from '../../preload/contract'
import { accountName, formatNumber } from './format'

/** A routed sending's counts per Connectif account: the progress window's and the sending page's. */
export function AccountCountsTable({
  byTarget,
}: {
  readonly byTarget: readonly TargetCountsView[]
}) {
  const { t, i18n } = useTranslation()
  const number = (value: number) => formatNumber(i18n.language, value)
  return (
    <Table size="small" aria-label={t('progress.byAccount')} sx={{ mt: 2 }}>
      <TableHead>
        <TableRow>
          <TableCell>{t('progress.account')}</TableCell>
          <TableCell align="right">{t('counts.created')}</TableCell>
          <TableCell align="right">{t('counts.alreadyExisted')}</TableCell>
          <TableCell align="right">{t('counts.failed')}</TableCell>
          <TableCell align="right">{t('counts.skipped')}</TableCell>
          <TableCell align="right">{t('counts.pending')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {byTarget.map((entry) => (
          <TableRow key={entry.target} aria-label={accountName(t, entry.target)}>
            <TableCell component="th" scope="row">
              {accountName(t, entry.target)}
            </TableCell>
            <TableCell align="right">{number(entry.counts.created)}</TableCell>
            <TableCell align="right">{number(entry.counts.alreadyExisted)}</TableCell>
            <TableCell align="right">{number(entry.counts.failed)}</TableCell>
            <TableCell align="right">{number(entry.counts.skipped)}</TableCell>
            <TableCell align="right">{number(entry.counts.pending)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}
