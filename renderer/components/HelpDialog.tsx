import ContentCopyIcon from '@mui/icons-material/ContentCopy'
import FolderOpenIcon from '@mui/icons-material/FolderOpen'
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import CircularProgress from '@mui/material/CircularProgress'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogTitle from '@mui/material/DialogTitle'
import Stack from '@mui/material/Stack'
import Table from '@mui/material/Table'
import TableBody from '@mui/material/TableBody'
import TableCell from '@mui/material/TableCell'
import TableHead from '@mui/material/TableHead'
import TableRow from '@mui/material/TableRow'
import Typography from '@mui/material/Typography'
import { useEffect, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppErrorValue, DiagnosticsView } from '../../preload/contract'
import { useApi } from '../api/api-context'
import { ErrorAlert } from './ErrorAlert'
import { formatBytes, formatDateTime, formatNumber } from './format'
import { copyText } from './sending-page/copy-text'

const MONOSPACE = 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace'

/** A path as people copy it: monospace, wrapped anywhere, selectable. */
function PathText({ path }: { path: string }) {
  return (
    <Box component="span" sx={{ fontFamily: MONOSPACE, fontSize: 13, overflowWrap: 'anywhere' }}>
      {path}
    </Box>
  )
}

/**
 * Help and diagnostics, from the app bar: the version, where the data and the diagnostic log
 * are, the history's schema version and size, the log's last problems; "Open the log folder" in
 * the desktop app, and "Copy diagnostics" (a text for support, with no secret and no e-mail).
 */
export function HelpDialog({ onClose }: { onClose: () => void }) {
  const api = useApi()
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const [view, setView] = useState<DiagnosticsView | null>(null)
  const [error, setError] = useState<AppErrorValue | null>(null)
  const [openError, setOpenError] = useState<AppErrorValue | null>(null)
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null)

  useEffect(() => {
    let live = true
    void api.diagnostics().then((answer) => {
      if (!live) return
      if (answer.ok) setView(answer.data)
      else setError(answer.error)
    })
    return () => {
      live = false
    }
  }, [api])

  const openFolder = async () => {
    setOpenError(null)
    const answer = await api.openLogFolder()
    if (!answer.ok) setOpenError(answer.error)
  }
  const copy = async () => {
    if (view) setCopied((await copyText(view.text)) ? 'yes' : 'failed')
  }

  const number = (value: number) => formatNumber(language, value)
  const facts: [string, ReactNode][] = view
    ? [
        [t('help.version'), view.version],
        [t('help.mode'), t(`help.modes.${view.mode}`)],
        [
          t('help.components'),
          view.versions.electron
            ? t('help.componentsElectron', {
                electron: view.versions.electron,
                node: view.versions.node,
                sqlite: view.versions.sqlite,
              })
            : t('help.componentsNode', { node: view.versions.node, sqlite: view.versions.sqlite }),
        ],
        [t('help.system'), `${view.os.platform} ${view.os.release} (${view.os.arch})`],
        [
          t('help.dataDirectory'),
          view.dataDirectory ? <PathText path={view.dataDirectory} /> : t('help.unknown'),
        ],
        [
          t('help.schemaVersion'),
          t('help.schemaVersionValue', {
            version: number(view.history.schemaVersion),
            latest: number(view.history.latestSchemaVersion),
          }),
        ],
        [
          t('help.historySize'),
          t('help.historySizeValue', {
            total: formatBytes(language, view.history.totalBytes),
            database: formatBytes(language, view.history.databaseBytes),
            wal: formatBytes(language, view.history.walBytes),
          }),
        ],
        [
          t('help.saved'),
          [
            t('help.profiles', {
              count: view.counts.profiles,
              value: number(view.counts.profiles),
            }),
            t('help.sendings', {
              count: view.counts.sendings,
              value: number(view.counts.sendings),
            }),
            t('help.orders', { count: view.counts.orders, value: number(view.counts.orders) }),
          ].join(' · '),
        ],
      ]
    : []

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md" aria-labelledby="help-dialog-title">
      <DialogTitle id="help-dialog-title">{t('help.title')}</DialogTitle>
      <DialogContent dividers>
        <Typography variant="body2" sx={{ mb: 2 }}>
          {t('help.intro')}
        </Typography>
        <ErrorAlert error={error} />
        {view === null ? (
          error ? null : (
            <Box sx={{ display: 'flex', justifyContent: 'center', py: 4 }}>
              <CircularProgress aria-label={t('common.loading')} />
            </Box>
          )
        ) : (
          <>
            <Typography variant="h6" component="h3" sx={{ mb: 1 }}>
              {t('help.about')}
            </Typography>
            <Box
              component="dl"
              sx={{
                display: 'grid',
                gridTemplateColumns: { xs: '1fr', sm: 'minmax(10rem, max-content) 1fr' },
                columnGap: 2,
                rowGap: 0.75,
                m: 0,
                mb: 3,
                '& dt': { color: 'text.secondary' },
                '& dd': { m: 0, overflowWrap: 'anywhere' },
              }}
            >
              {facts.map(([label, value]) => (
                <Box key={label} sx={{ display: 'contents' }}>
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </Box>
              ))}
            </Box>

            <Typography variant="h6" component="h3" sx={{ mb: 1 }}>
              {t('help.log')}
            </Typography>
            {view.log ? (
              <>
                <Typography variant="body2" sx={{ mb: 1 }}>
                  {t('help.logFile')} <PathText path={view.log.file} />
                </Typography>
                <Typography variant="body2" sx={{ mb: 1 }}>
                  {t('help.logHolds')}{' '}
                  {t('help.logBound', {
                    files: number(view.log.maxFiles),
                    size: formatBytes(language, view.log.maxFileBytes),
                  })}
                </Typography>
                {view.canOpenLogFolder ? (
                  <Button
                    variant="outlined"
                    startIcon={<FolderOpenIcon />}
                    onClick={() => void openFolder()}
                    sx={{ mb: 1 }}
                  >
                    {t('help.openLogFolder')}
                  </Button>
                ) : (
                  <Typography variant="body2" sx={{ mb: 1 }}>
                    {t('help.logFolderBrowser')} <PathText path={view.log.directory} />
                  </Typography>
                )}
                <ErrorAlert error={openError} />
              </>
            ) : (
              <Alert severity="info" sx={{ mb: 2 }}>
                {t('help.noLog')}
              </Alert>
            )}

            <Typography variant="h6" component="h3" sx={{ mt: 2, mb: 1 }}>
              {t('help.problems')}
            </Typography>
            {view.recentProblems.length === 0 ? (
              <Typography variant="body2">{t('help.noProblems')}</Typography>
            ) : (
              <Table size="small" aria-label={t('help.problems')}>
                <TableHead>
                  <TableRow>
                    <TableCell>{t('help.problemColumns.time')}</TableCell>
                    <TableCell>{t('help.problemColumns.level')}</TableCell>
                    <TableCell>{t('help.problemColumns.code')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {view.recentProblems.map((problem, index) => (
                    <TableRow key={`${problem.time}-${index}`}>
                      <TableCell>{formatDateTime(language, problem.time)}</TableCell>
                      <TableCell>{t(`help.problemLevels.${problem.level}`)}</TableCell>
                      <TableCell sx={{ fontFamily: MONOSPACE, fontSize: 13 }}>
                        {problem.code ?? problem.event}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </>
        )}
      </DialogContent>
      <DialogActions sx={{ flexWrap: 'wrap', gap: 1 }}>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexGrow: 1, minWidth: 0 }}>
          <Button
            variant="contained"
            startIcon={<ContentCopyIcon />}
            disabled={view === null}
            onClick={() => void copy()}
          >
            {t('help.copy')}
          </Button>
          <Typography
            variant="body2"
            role="status"
            color={copied === 'failed' ? 'error' : 'success.main'}
          >
            {copied === 'yes' ? t('help.copied') : copied === 'failed' ? t('help.copyFailed') : ''}
          </Typography>
        </Stack>
        <Button onClick={onClose}>{t('common.close')}</Button>
      </DialogActions>
    </Dialog>
  )
}
