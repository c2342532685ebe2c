/**
 * Builds the preload's API from the contract over an `ipcRenderer`-like object. Kept apart from
 * preload/index.ts (which touches `electron`) so tests can drive it with a fake.
 */
import {
  createApi,
  SENDING_EVENT_CHANNEL,
  type ChannelName,
  type PurchaseSenderApi,
  type Result,
  type SendingEvent,
} from './contract'

/** The part of Electron's `ipcRenderer` the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
}

/**
 * One method per channel (never a raw `invoke`), and `onSendingEvent` for the push channel. The
 * `IpcRendererEvent` is stripped: it carries `sender`, which must not reach the page.
 */
export function createBridgeApi(ipcRenderer: IpcRendererLike): PurchaseSenderApi {
  const invoke = async (channel: ChannelName, request: unknown): Promise<Result<unknown>> => {
    try {
      // Main answers every channel with a Result; it never throws across IPC.
      return (await ipcRenderer.invoke(channel, request)) as Result<unknown>
    } catch (error) {
      // Only reached when main has no handler (yet) or the IPC itself broke.
      return {
        ok: false,
        error: {
          code: 'ipc_failed',
          message: `Purchase Sender could not reach its main process (${channel}): ${
            error instanceof Error ? error.message : String(error)
          }`,
        },
      }
    }
  }
  const subscribe = (listener: (event: SendingEvent) => void): (() => void) => {
    const forward = (_event: unknown, payload: unknown): void => listener(payload as SendingEvent)
    ipcRenderer.on(SENDING_EVENT_CHANNEL, forward)
    return () => {
      ipcRenderer.removeListener(SENDING_EVENT_CHANNEL, forward)
    }
  }
  return Object.freeze(createApi(invoke, subscribe))
}
