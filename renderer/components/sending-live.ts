/**
 * A sending as the history recorded it, brought up to date by the latest event main pushed for it
 * (the history and a sending's page show the same live counts), and the colour of each state.
 */
import type { SendingEvent, SendingStateView, SendingView } from '../../preload/contract'

export const STATE_COLORS: Record<
  SendingStateView,
  'default' | 'info' | 'success' | 'warning' | 'error'
> = {
  queued: 'default',
  running: 'info',
  completed: 'success',
  completed_with_errors: 'warning',
  failed: 'error',
  cancelled: 'default',
  interrupted: 'warning',
}

/** `sending` with the counts of its latest progress event while it runs; else as recorded. */
export function withLiveEvent(sending: SendingView, event: SendingEvent | undefined): SendingView {
  if (event?.type === 'progress' && (sending.state === 'running' || sending.state === 'queued'))
    return {
      ...sending,
      counts: event.counts,
      // The event's total already leaves out the orders skipped as already sent.
      expectedTotal: event.expectedTotal + (event.alreadySent ?? 0),
      state: 'running',
      ...(event.byTarget ? { byTarget: event.byTarget } : {}),
      ...(event.alreadySent !== undefined ? { alreadySent: event.alreadySent } : {}),
    }
  return sending
}

/** Orders processed so far, and of how many (those left out as already sent are not among them). */
export function sendingProgress(sending: SendingView): { done: number; total: number } {
  const counts = sending.counts
  const done = counts.created + counts.alreadyExisted + counts.failed + counts.skipped
  const total = Math.max(sending.expectedTotal - sending.alreadySent, counts.total)
  return { done, total }
}
