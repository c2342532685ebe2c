import type { ReactNode } from 'react'
import { SendingEventsContext, type SendingEventsState } from '../../api/sending-events'
import { ShowProgressContext } from './progress-context'

/** What AppShell gives every screen of the sendings running: their events, and their progress window. */
export function LiveSendingsProvider({
  events,
  showProgress,
  children,
}: {
  events: SendingEventsState
  showProgress: (sendingId: number) => void
  children: ReactNode
}) {
  return (
    <SendingEventsContext.Provider value={events}>
      <ShowProgressContext.Provider value={showProgress}>{children}</ShowProgressContext.Provider>
    </SendingEventsContext.Provider>
  )
}
