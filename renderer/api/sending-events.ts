import { createContext, useContext } from 'react'
import type { SendingEvent } from '../../preload/contract'

/** The latest event of every sending seen since the app opened (one subscription for all). */
export interface SendingEventsState {
  readonly latest: ReadonlyMap<number, SendingEvent>
  /** Increases on every event: a dependency for effects that react to any event. */
  readonly version: number
}

export const SendingEventsContext = createContext<SendingEventsState>({
  latest: new Map(),
  version: 0,
})

export function useSendingEvents(): SendingEventsState {
  return useContext(SendingEventsContext)
}
