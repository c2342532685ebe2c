import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppErrorValue, SendingView } from '../../preload/contract'
import { useApi } from '../api/api-context'
import { navigate } from '../routing/use-hash-route'
import { ErrorAlert } from './ErrorAlert'
import { FixFirstNote } from './FixFirstNote'

/**
 * The sendings found interrupted when the app started: Resume for those it can help, and for
 * those that must be mended first (a secret gone missing meanwhile) what to mend, as the history
 * says it (main decides: SendingView.canResume, blockedBy).
 */
export function InterruptedAlert({
  ids,
  onDone,
}: {
  ids: readonly number[]
  /** Every one resumed, or "Later": the alert goes. */
  onDone: () => void
}) {
  const api = useApi()
  const { t } = useTranslation()
  const [views, setViews] = useState<readonly SendingView[] | null>(null)
  const [error, setError] = useState<AppErrorValue | null>(null)
  const [busy, setBusy] = useState(false)
  /** Read again after a resume failed: those that did resume are no longer offered. */
  const [round, setRound] = useState(0)

  useEffect(() => {
    let live = true
    void Promise.all(ids.map((sendingId) => api.getSending({ sendingId }))).then((results) => {
      if (!live) return
      // One that cannot be read is offered as before: resuming it says what is wrong.
      setViews(
        results.flatMap((result) =>
          result.ok && result.data.state === 'interrupted' ? [result.data] : [],
        ),
      )
      const failed = results.find((result) => !result.ok)
      if (failed && !failed.ok) setError(failed.error)
    })
    return () => {
      live = false
    }
  }, [api, ids, round])

  if (views === null || ids.length === 0) return null
  const resumable = views.filter((view) => view.canResume).map((view) => view.id)
  const blocked = views.filter((view) => view.blockedBy !== null)
  if (resumable.length === 0 && blocked.length === 0) return <ErrorAlert error={error} />

  const resume = async () => {
    setBusy(true)
    setError(null)
    let failed = false
    for (const sendingId of resumable) {
      const result = await api.resumeSending({ sendingId })
      if (!result.ok) {
        failed = true
        setError(result.error)
      }
    }
    setBusy(false)
    if (!failed) {
      onDone()
      navigate({ page: 'history' })
    } else setRound((previous) => previous + 1)
  }

  return (
    <>
      <Alert
        severity="warning"
        sx={{ mb: 2 }}
        action={
          <Box sx={{ display: 'flex', gap: 1 }}>
            {resumable.length > 0 ? (
              <Button color="inherit" size="small" disabled={busy} onClick={() => void resume()}>
                {t('interrupted.resume')}
              </Button>
            ) : null}
            <Button color="inherit" size="small" onClick={onDone}>
              {t('interrupted.dismiss')}
            </Button>
          </Box>
        }
      >
        {resumable.length > 0
          ? t('interrupted.message', { count: resumable.length, ids: resumable.join(', #') })
          : null}
        {blocked.map((view) =>
          view.blockedBy ? (
            <Box key={view.id} sx={{ mt: resumable.length > 0 ? 1 : 0 }}>
              {t('interrupted.blocked', { id: view.id })}
              <FixFirstNote block={view.blockedBy} sendingId={view.id} dense />
            </Box>
          ) : null,
        )}
      </Alert>
      <ErrorAlert error={error} />
    </>
  )
}
