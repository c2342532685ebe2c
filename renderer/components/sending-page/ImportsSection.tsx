import Card from '@mui/material/Card'
import CardContent from '@mui/material/CardContent'
import Table from '@mui/material/Table'
import TableBody from '@mui/material/TableBody'
import TableCell from '@mui/material/TableCell'
import TableContainer from '@mui/material/TableContainer'
import TableHead from '@mui/material/TableHead'
import TableRow from '@mui/material/TableRow'
import Typography from '@mui/material/Typography'
import { useTranslation } from 'react-i18next'
import type { SendingView } from '../../../preload/contract'
import { accountName, formatNumber } from '../format'
import { noticeOfImport, noticeText } from '../progress/import-notices'

/**
 * The imports of a sending's preparing step (one per type and account, more past Connectif's
 * file size limit), as the history recorded them: how many contacts or products each carried,
 * how it ended, what Connectif counted, and why it fell back to creating them one by one when it
 * did. Nothing when the sending imported nothing.
 */
export function ImportsSection({ sending }: { sending: SendingView }) {
  const { t, i18n } = useTranslation()
  const imports = sending.imports
  if (imports.length === 0) return null
  const number = (value: number | null) =>
    value === null ? '—' : formatNumber(i18n.language, value)
  const routed = (sending.byTarget?.length ?? 0) > 0

  return (
    <Card component="section" aria-labelledby="sending-imports-title">
      <CardContent sx={{ p: { xs: 2, md: 3 } }}>
        <Typography variant="h6" component="h3" id="sending-imports-title" sx={{ mb: 1 }}>
          {t('sendingPage.imports.title')}
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {t('sendingPage.imports.intro')}
        </Typography>
        <TableContainer>
          <Table size="small" aria-labelledby="sending-imports-title">
            <TableHead>
              <TableRow>
                {routed ? <TableCell>{t('progress.account')}</TableCell> : null}
                <TableCell>{t('sendingPage.imports.type')}</TableCell>
                <TableCell align="right">{t('sendingPage.imports.items')}</TableCell>
                <TableCell>{t('sendingPage.imports.status')}</TableCell>
                <TableCell align="right">{t('sendingPage.imports.success')}</TableCell>
                <TableCell align="right">{t('sendingPage.imports.errors')}</TableCell>
                <TableCell>{t('sendingPage.imports.notice')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {imports.map((record) => {
                const notice = noticeOfImport(record, routed)
                return (
                  <TableRow
                    key={`${record.target}|${record.type}|${record.part}|${record.createdAt}`}
                  >
                    {routed ? <TableCell>{accountName(t, record.target)}</TableCell> : null}
                    <TableCell>
                      {record.parts > 1
                        ? t('sendingPage.imports.typePart', {
                            type: t(`sendingPage.imports.types.${record.type}`),
                            part: number(record.part),
                            parts: number(record.parts),
                          })
                        : t(`sendingPage.imports.types.${record.type}`)}
                    </TableCell>
                    <TableCell align="right">{number(record.items)}</TableCell>
                    <TableCell>{t(`sendingPage.imports.statuses.${record.status}`)}</TableCell>
                    <TableCell align="right">{number(record.success)}</TableCell>
                    <TableCell align="right">{number(record.errors)}</TableCell>
                    {/* The account has its own column: the notice goes without it. */}
                    <TableCell sx={{ minWidth: 240 }}>
                      {notice ? noticeText(t, notice, false) : '—'}
                    </TableCell>
                  </TableRow>
                )
              })}
            </TableBody>
          </Table>
        </TableContainer>
      </CardContent>
    </Card>
  )
}
