import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SendingView } from '../../preload/contract'
import { formatDuration } from './format'
import { runSeconds } from './progress/running-sendings'

/**
 * How long a sending took, or, while it runs, how long it has been running, counted every second
 * on the screen's clock (the history's figure would stand still between two reloads).
 */
export function RunDuration({
  sending,
}: {
  sending: Pick<SendingView, 'state' | 'startedAt' | 'durationSeconds'>
}) {
  const { t } = useTranslation()
  const running = sending.state === 'running' || sending.state === 'queued'
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!running) return
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), 1_000)
    return () => clearInterval(timer)
  }, [running])
  const duration = formatDuration(t, runSeconds(sending, now))
  return <>{t(running ? 'history.runningFor' : 'history.durationValue', { duration })}</>
}
