/**
 * The sending engine: reads a store's orders into the history, sends them to Connectif and
 * records every result. A plain module with injected dependencies, so the desktop app, the
 * command line and the tests run exactly the same code.
 *
 * Crash safety comes from the order of writes: an order is recorded (with the exact body to send)
 * before it is sent, and its result right after; a sending that died is finished by sending what
 * is still pending and reading on from the recorded cursor. An order whose answer was lost in a
 * crash is sent again and Connectif answers 409, so no purchase is ever created twice.
 *
 * This is the engine's public entry; its parts live beside it: `sending-request` (checking and
 * recording a new sending), `sending-run` (the run loop), `order-delivery` (one order to
 * Connectif) and `progress-reporter` (throttled progress events).
 */
import type { SendingRecord } from '../history/history-types'
import { prepareSending } from './sending-request'
import type { NewSendingRequest } from './sending-request'
import { runSending } from './sending-run'
import type { RunHooks } from './sending-run'
import type { EngineDependencies } from './sending-types'

export type { OrderPayload } from './order-delivery'
export {
  checkRequestAgainstStore,
  prepareSending,
  routingOfSending,
  SendingRequestError,
} from './sending-request'
export type { NewSendingRequest, PreparedSending } from './sending-request'
export { runSending, SendingStop } from './sending-run'
export type { RunHooks } from './sending-run'
export type { EngineDependencies } from './sending-types'

/** Prepares and runs a new sending to its end (or until stopped). */
export async function startSending(
  deps: EngineDependencies,
  request: NewSendingRequest,
  hooks: RunHooks = {},
): Promise<SendingRecord> {
  const prepared = await prepareSending(deps, request)
  return runSending(deps, prepared.sending.id, hooks, prepared.store)
}

/** Finishes an interrupted, cancelled or failed sending without sending any order twice. */
export async function resumeSending(
  deps: EngineDependencies,
  sendingId: number,
  hooks: RunHooks = {},
): Promise<SendingRecord> {
  deps.history.markInterrupted()
  deps.history.prepareResume(sendingId, deps.pid)
  return runSending(deps, sendingId, hooks)
}
