import { describe, expect, it } from 'vitest'
import { API_METHODS, SENDING_EVENT_CHANNEL, type SendingEvent } from '../../preload/contract'
import { createBridgeApi, type IpcRendererLike } from '../../preload/bridge'

type Listener = (event: unknown, ...args: unknown[]) => void

function fakeIpcRenderer(answer: (channel: string, payload: unknown) => Promise<unknown>) {
  const calls: { channel: string; args: unknown[] }[] = []
  const listeners = new Map<string, Set<Listener>>()
  const ipc: IpcRendererLike = {
    invoke(channel, ...args) {
      calls.push({ channel, args })
      return answer(channel, args[0])
    },
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set())
      listeners.get(channel)!.add(listener)
      return ipc
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener)
      return ipc
    },
  }
  const emit = (channel: string, payload: unknown) => {
    for (const listener of listeners.get(channel) ?? [])
      listener({ sender: 'IpcRendererEvent with secrets' }, payload)
  }
  return { ipc, calls, emit, listeners }
}

describe('preload bridge', () => {
  it('maps every API method to its channel and passes the payload through', async () => {
    const { ipc, calls } = fakeIpcRenderer((channel) =>
      Promise.resolve({ ok: true, data: channel }),
    )
    const api = createBridgeApi(ipc)
    expect(Object.isFrozen(api)).toBe(true)
    expect(Object.keys(api).sort()).toEqual([...Object.keys(API_METHODS), 'onSendingEvent'].sort())
    expect(await api.appInfo()).toEqual({ ok: true, data: 'app:info' })
    await api.deleteProfile({ id: 3 })
    expect(calls).toEqual([
      { channel: 'app:info', args: [{}] },
      { channel: 'profiles:delete', args: [{ id: 3 }] },
    ])
  })

  it('turns a broken IPC into an error value instead of a rejection', async () => {
    const { ipc } = fakeIpcRenderer(() =>
      Promise.reject(new Error("No handler registered for 'app:info'")),
    )
    const result = await createBridgeApi(ipc).appInfo()
    expect(result).toMatchObject({ ok: false, error: { code: 'ipc_failed' } })
  })

  it('forwards push events without the IpcRendererEvent and unsubscribes', () => {
    const { ipc, emit, listeners } = fakeIpcRenderer(() => Promise.resolve({ ok: true }))
    const api = createBridgeApi(ipc)
    const received: unknown[][] = []
    const stop = api.onSendingEvent((...args: unknown[]) => received.push(args))
    const event: SendingEvent = { type: 'started', sendingId: 1, expectedTotal: 5 }
    emit(SENDING_EVENT_CHANNEL, event)
    expect(received).toEqual([[event]])
    stop()
    emit(SENDING_EVENT_CHANNEL, event)
    expect(received).toHaveLength(1)
    expect(listeners.get(SENDING_EVENT_CHANNEL)?.size).toBe(0)
  })
})
