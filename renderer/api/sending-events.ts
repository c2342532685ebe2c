import { createContext, useContext } from 'react'
import type { SendingEvent } from '../../preload/contract'

/** A sending's preparing step: reading its range, or importing contacts and products. */
export type PreparingEventView = Extract<SendingEvent, { readonly type: 'preparing' }>

/**
 * The latest event of every sending seen since the app opened (one subscription for all), and
 * what a `preparing` event must not make the screens forget. The three maps are kept by
 * `addSendingEvent`; a screen given `latest` alone (a test's provider) reads it through the
 * helpers below, which fall back to the latest event.
 */
export interface SendingEventsState {
  readonly latest: ReadonlyMap<number, SendingEvent>
  /** The latest event other than `preparing`: the counts to keep showing while a sending prepares. */
  readonly counted?: ReadonlyMap<number, SendingEvent>
  /** The step a sending prepares now (notices aside); gone once it sends or ends. */
  readonly preparing?: ReadonlyMap<number, PreparingEventView>
  /**
   * Every notice (fallback) of a sending's preparing step, in order. Each is sent once and may be
   * followed at once by the next step, within one render: kept here, where every event passes.
   */
  readonly notices?: ReadonlyMap<number, readonly PreparingEventView[]>
  /** Increases on every event: a dependency for effects that react to any event. */
  readonly version: number
}

export const NO_SENDING_EVENTS: SendingEventsState = {
  latest: new Map(),
  counted: new Map(),
  preparing: new Map(),
  notices: new Map(),
  version: 0,
}

export const SendingEventsContext = createContext<SendingEventsState>(NO_SENDING_EVENTS)

export function useSendingEvents(): SendingEventsState {
  return useContext(SendingEventsContext)
}

/** `state` with `event` heard: what AppShell keeps of main's push channel. */
export function addSendingEvent(
  state: SendingEventsState,
  event: SendingEvent,
): SendingEventsState {
  const id = event.sendingId
  const latest = new Map(state.latest).set(id, event)
  let counted = state.counted ?? new Map<number, SendingEvent>()
  let preparing = state.preparing ?? new Map<number, PreparingEventView>()
  let notices = state.notices ?? new Map<number, readonly PreparingEventView[]>()
  if (event.type !== 'preparing') {
    counted = new Map(counted).set(id, event)
    if (preparing.has(id)) {
      const rest = new Map(preparing)
      rest.delete(id)
      preparing = rest
    }
  } else if (event.notice) notices = new Map(notices).set(id, [...(notices.get(id) ?? []), event])
  else preparing = new Map(preparing).set(id, event)
  return { latest, counted, preparing, notices, version: state.version + 1 }
}

/** The sending's latest event that counts its orders (not `preparing`), if any. */
export function countedEvent(
  state: SendingEventsState,
  sendingId: number,
): SendingEvent | undefined {
  if (state.counted) return state.counted.get(sendingId)
  const event = state.latest.get(sendingId)
  return event?.type === 'preparing' ? undefined : event
}

/** The step the sending prepares now, if it does. */
export function preparingStep(
  state: SendingEventsState,
  sendingId: number,
): PreparingEventView | undefined {
  if (state.preparing) return state.preparing.get(sendingId)
  const event = state.latest.get(sendingId)
  return event?.type === 'preparing' && !event.notice ? event : undefined
}

/** The notices of the sending's preparing step heard so far. */
export function preparingNotices(
  state: SendingEventsState,
  sendingId: number,
): readonly PreparingEventView[] {
  if (state.notices) return state.notices.get(sendingId) ?? []
  const event = state.latest.get(sendingId)
  return event?.type === 'preparing' && event.notice ? [event] : []
}
