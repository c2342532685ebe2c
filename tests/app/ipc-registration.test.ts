import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAppService, type AppService } from '../../main/app/app-service'
import { CHANNEL_NAMES, registerHandlers, type IpcMainLike } from '../../main/app/ipc-registration'
import { EnvironmentSecretStore } from '../../main/app/secret-store'
import { HistoryStore } from '../../main/core/history/history-store'
import type { Result } from '../../preload/contract'

interface FakeEvent {
  readonly senderId: number
}

/** Electron's ipcMain as far as registration uses it: one handler per channel. */
class FakeIpcMain implements IpcMainLike<FakeEvent> {
  readonly handlers = new Map<string, (event: FakeEvent, ...args: unknown[]) => unknown>()
  handle(channel: string, listener: (event: FakeEvent, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
    this.handlers.set(channel, listener)
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }
  invoke(channel: string, event: FakeEvent, ...args: unknown[]): Promise<Result<unknown>> {
    const handler = this.handlers.get(channel)
    if (!handler) throw new Error(`no handler for ${channel}`)
    return Promise.resolve(handler(event, ...args)) as Promise<Result<unknown>>
  }
}

const TRUSTED: FakeEvent = { senderId: 1 }
const STRANGER: FakeEvent = { senderId: 2 }

let home: string
let history: HistoryStore
let service: AppService
let ipc: FakeIpcMain
let unregister: () => void
const logged: string[] = []

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'purchase-sender-ipc-'))
  history = HistoryStore.open(join(home, 'history.sqlite3'))
  service = createAppService({
    history,
    secrets: new EnvironmentSecretStore({ env: {}, profile: () => null }),
    host: { mode: 'electron' },
    log: (message) => logged.push(message),
  })
  ipc = new FakeIpcMain()
  logged.length = 0
  unregister = registerHandlers(ipc, service, {
    isTrustedSender: (event) => event.senderId === TRUSTED.senderId,
    log: (message) => logged.push(message),
  })
})

afterEach(async () => {
  await service.shutdown()
  history.close()
  await rm(home, { recursive: true, force: true })
})

describe('registerHandlers', () => {
  it('registers exactly the contract channels', () => {
    expect(CHANNEL_NAMES).toMatchInlineSnapshot(`
      [
        "app:info",
        "profiles:list",
        "profiles:save",
        "profiles:duplicate",
        "profiles:delete",
        "profiles:test",
        "store:lookup",
        "store:count",
        "store:weekly-counts",
        "sending:rules",
        "sending:summary",
        "sending:expected-skips",
        "sending:start",
        "sending:cancel",
        "sending:resume",
        "sending:retry-failed",
        "history:list",
        "sending:get",
        "sending:orders",
        "sending:order-detail",
        "sending:timeline",
        "report:save",
        "schedule:get",
        "schedule:save",
        "settings:get",
        "settings:save",
        "profiles:export",
        "profiles:import",
        "profiles:export-save",
        "profiles:import-open",
        "retention:get",
        "retention:save",
        "customer:forget",
        "diagnostics:get",
        "diagnostics:open-log-folder",
      ]
    `)
    expect([...ipc.handlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort())
    unregister()
    expect(ipc.handlers.size).toBe(0)
  })

  it('refuses an untrusted sender without calling the service', async () => {
    const result = await ipc.invoke('profiles:delete', STRANGER, { id: 1 })
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'forbidden_sender',
        message: 'The request profiles:delete did not come from the Purchase Sender window.',
      },
    })
  })

  it('treats a sender check that throws as untrusted', async () => {
    unregister()
    registerHandlers(ipc, service, {
      isTrustedSender: () => {
        throw new Error('destroyed WebContents')
      },
      log: (message) => logged.push(message),
    })
    const result = await ipc.invoke('profiles:list', TRUSTED, {})
    expect(!result.ok && result.error.code).toBe('forbidden_sender')
  })

  it('refuses an invalid payload with a summary of the problems', async () => {
    const result = await ipc.invoke('sending:start', TRUSTED, {
      profileId: -1,
      from: 'yesterday',
      to: '2024-01-31',
      stateIds: [],
      mode: 'fast',
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('invalid_request')
    expect(result.error.message).toMatch(/^Invalid request for sending:start: /)
    expect(result.error.message).toMatch(/profileId: /)
    expect(result.error.message).toMatch(/from: must be a day as YYYY-MM-DD/)
    expect(result.error.message).toMatch(/stateIds: choose at least one order status/)
    const extra = await ipc.invoke('profiles:list', TRUSTED, { password: 'x' })
    expect(!extra.ok && extra.error.code).toBe('invalid_request')
    const notObject = await ipc.invoke('profiles:delete', TRUSTED, 'DROP TABLE')
    expect(!notObject.ok && notObject.error.code).toBe('invalid_request')
  })

  it('lets a valid call reach the service, and returns errors as values', async () => {
    const list = await ipc.invoke('profiles:list', TRUSTED, {})
    expect(list).toEqual({ ok: true, data: [] })
    const info = await ipc.invoke('app:info', TRUSTED)
    expect(info.ok && (info.data as { mode: string }).mode).toBe('electron')
    const missing = await ipc.invoke('profiles:delete', TRUSTED, { id: 42 })
    expect(missing).toMatchObject({ ok: false, error: { code: 'profile_not_found' } })
    const cancel = await ipc.invoke('sending:cancel', TRUSTED, { sendingId: 7 })
    expect(cancel).toMatchObject({ ok: false, error: { code: 'sending_not_found' } })
  })

  it('never throws across IPC, even when the service breaks', async () => {
    history.close() // every later database call throws an unexpected error
    const result = await ipc.invoke('profiles:list', TRUSTED, {})
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(JSON.stringify(result)).not.toMatch(/database|sqlite/i)
    history = HistoryStore.open(join(home, 'history.sqlite3'))
  })
})
