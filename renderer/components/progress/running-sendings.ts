import type { SendingView } from '../../../preload/contract'
import type { SendingEventsState } from '../../api/sending-events'

/**
 * The sendings running in this app now, oldest first: those running when the app opened
 * (AppInfo.activeSendings) and those heard starting since, less those heard finishing.
 */
export function runningSendings(
  atStart: readonly number[],
  events: Pick<SendingEventsState, 'latest'>,
): number[] {
  const running = new Set<number>()
  for (const id of atStart) if (events.latest.get(id)?.type !== 'finished') running.add(id)
  for (const [id, event] of events.latest) if (event.type !== 'finished') running.add(id)
  return [...running].sort((a, b) => a - b)
}

/** Whether the sending runs now in this app, so its progress window can show it. */
export function showsProgress(sending: Pick<SendingView, 'state' | 'runningHere'>): boolean {
  return sending.runningHere && (sending.state === 'running' || sending.state === 'queued')
}

/**
 * Seconds a sending has run (up to `now` while it runs), from when it started; null before.
 * A running one is counted here, on the screen's clock, so it keeps going between reloads.
 */
export function runSeconds(
  sending: Pick<SendingView, 'state' | 'startedAt' | 'durationSeconds'>,
  now: number,
): number | null {
  const running = sending.state === 'running' || sending.state === 'queued'
  if (!running || sending.startedAt === null) return sending.durationSeconds
  return Math.max(0, Math.floor((now - Date.parse(sending.startedAt)) / 1000))
}
