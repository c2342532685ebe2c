/**
 * Issue 17, help and diagnostics through the contract's channels, over a real history and a real
 * diagnostic log in a temporary data directory: `diagnostics:get` gives the versions, the
 * history's schema version and its bytes on disk (as the files are), the counts and the log's last
 * problems (what the channels and the connection check logged), and neither it nor its text to
 * copy holds a secret or an e-mail; `diagnostics:open-log-folder` opens the folder in the desktop
 * app, and is refused with a code in browser mode.
 */
import { statSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAppService, type AppServiceOptions } from '../../main/app/app-service'
import { openDiagnosticLogIn } from '../../main/app/diagnostics-use-cases'
import { dispatch } from '../../main/app/ipc-registration'
import { resetRateLimiters } from '../../main/core/connectif/rate-limiter'
import { historyDatabasePath } from '../../main/core/history/data-directory'
import { HistoryStore } from '../../main/core/history/history-store'
import { LATEST_SCHEMA_VERSION } from '../../main/core/history/migrations'
import type { DiagnosticLog } from '../../main/core/logging/diagnostic-log'
import type { ChannelName, ChannelResponse, DiagnosticsView, Result } from '../../preload/contract'
import { MemorySecretStore } from './memory-secret-store'

const DB_PASSWORD = 'db-pass-Zq81x!'
const CONNECTIF_KEY = 'kid-diagnostics:key-secret-5521'
const CUSTOMER_EMAIL = 'marta.gil+77@example.test'

let home: string
let history: HistoryStore
let log: DiagnosticLog
let secrets: MemorySecretStore
let profileId: number

beforeEach(async () => {
  resetRateLimiters()
  home = await mkdtemp(join(tmpdir(), 'purchase-sender-diagnostics-'))
  const opened = openDiagnosticLogIn(home)
  if (!opened) throw new Error('the diagnostic log did not open')
  log = opened
  history = HistoryStore.open(historyDatabasePath(home))
  // Nothing listens on port 1: the store and Connectif both fail at once.
  profileId = history.profiles.create({
    name: 'Diagnostics shop',
    source: {
      kind: 'database',
      host: '127.0.0.1',
      port: 1,
      user: 'reader',
      database: 'shop',
      tablePrefix: 'ps_',
      ssl: false,
      passwordEnv: null,
    },
    connectif: { apiUrl: 'http://127.0.0.1:1', keyEnv: null },
    shopIds: [],
    languageIso: null,
    defaultStateIds: [],
  }).id
  secrets = new MemorySecretStore()
  await secrets.set(profileId, 'dbPassword', DB_PASSWORD)
  await secrets.set(profileId, 'connectifKey', CONNECTIF_KEY)
})

afterEach(async () => {
  history.close()
  log.close()
  await rm(home, { recursive: true, force: true })
})

function service(host: Partial<AppServiceOptions> = {}) {
  return createAppService({
    history,
    secrets,
    diagnosticLog: log,
    log: () => undefined,
    host: { mode: 'electron', dataDirectory: home, version: '9.9.9' },
    ...host,
  })
}

function call<C extends ChannelName>(
  target: ReturnType<typeof service>,
  channel: C,
): Promise<Result<ChannelResponse<C>>> {
  return dispatch(target, channel, {}) as Promise<Result<ChannelResponse<C>>>
}

function data<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.data
}

describe('diagnostics:get', () => {
  it('gives versions, the history schema version and size, counts and the last problems', async () => {
    const app = service({ openPath: () => Promise.resolve('') })
    // Problems for the log: a channel's failure, a connection check that fails, and a bug whose
    // message quotes what the log must not keep.
    expect(await dispatch(app, 'sending:get', { sendingId: 999 })).toMatchObject({
      ok: false,
      error: { code: 'sending_not_found' },
    })
    const test = data(
      (await dispatch(app, 'profiles:test', { id: profileId })) as Result<
        ChannelResponse<'profiles:test'>
      >,
    )
    expect(test.store.ok).toBe(false)
    log.log({
      event: 'failure',
      where: 'sending:start',
      code: 'store_access_denied',
      message: `Access denied (password=${DB_PASSWORD}) for ${CUSTOMER_EMAIL}; Authorization: apiKey ${CONNECTIF_KEY}`,
    })

    const view: DiagnosticsView = data(await call(app, 'diagnostics:get'))
    await app.shutdown()

    expect(view).toMatchObject({
      version: '9.9.9',
      mode: 'electron',
      dataDirectory: home,
      versions: { app: '9.9.9', node: process.versions.node, electron: null },
      os: { platform: process.platform, arch: process.arch },
      counts: { profiles: 1, sendings: 0, orders: 0 },
      canOpenLogFolder: true,
      log: {
        directory: join(home, 'logs'),
        file: join(home, 'logs', 'purchase-sender.log'),
        maxFiles: 5,
        maxFileBytes: 2 * 1024 * 1024,
      },
    })
    expect(view.versions.sqlite).toMatch(/^3\.\d+\.\d+$/)
    expect(view.history.schemaVersion).toBe(LATEST_SCHEMA_VERSION)
    expect(view.history.latestSchemaVersion).toBe(LATEST_SCHEMA_VERSION)
    const file = historyDatabasePath(home)
    const walSize = (() => {
      try {
        return statSync(`${file}-wal`).size
      } catch {
        return 0
      }
    })()
    expect(view.history.databaseBytes).toBe(statSync(file).size)
    expect(view.history.databaseBytes).toBeGreaterThan(0)
    expect(view.history.walBytes).toBe(walSize)
    expect(view.history.totalBytes).toBe(view.history.databaseBytes + view.history.walBytes)

    const codes = view.recentProblems.map((problem) => problem.code)
    expect(codes[0]).toBe('store_access_denied')
    expect(codes).toContain('sending_not_found')
    expect(view.recentProblems.some((problem) => problem.event === 'connection_check')).toBe(true)

    expect(view.text).toContain('Purchase Sender 9.9.9 (desktop app)')
    expect(view.text).toContain(`History: schema version ${LATEST_SCHEMA_VERSION}`)
    expect(view.text).toContain('Profiles: 1 · sendings: 0 · orders: 0')
    expect(view.text).toContain('sending_not_found')

    // Neither the view (its text included) nor the log file holds a secret or an e-mail.
    const logged = await readFile(log.file, 'utf8')
    for (const text of [JSON.stringify(view), logged])
      for (const secret of [DB_PASSWORD, CONNECTIF_KEY, CUSTOMER_EMAIL, 'key-secret'])
        expect(text).not.toContain(secret)
    expect(logged).toContain('"event":"connection_check"')
    expect(logged).toContain('"host":"127.0.0.1:1"')
  })

  it('says so when no log is written', async () => {
    const app = createAppService({
      history,
      secrets,
      host: { mode: 'browser', dataDirectory: home },
    })
    const view = data(await call(app, 'diagnostics:get'))
    await app.shutdown()
    expect(view).toMatchObject({ mode: 'browser', log: null, canOpenLogFolder: false })
    expect(view.recentProblems).toEqual([])
    expect(view.text).toContain('Log: none')
  })
})

describe('diagnostics:open-log-folder', () => {
  it('opens the log folder in the desktop app, and says why not when it cannot', async () => {
    const opened: string[] = []
    let answer = ''
    const app = service({
      openPath: (path) => {
        opened.push(path)
        return Promise.resolve(answer)
      },
    })
    expect(data(await call(app, 'diagnostics:open-log-folder'))).toEqual({
      opened: true,
      path: join(home, 'logs'),
    })
    expect(opened).toEqual([join(home, 'logs')])
    answer = 'No application is associated with the folder'
    expect(await call(app, 'diagnostics:open-log-folder')).toMatchObject({
      ok: false,
      error: {
        code: 'log_folder_open_failed',
        params: { path: join(home, 'logs'), reason: answer },
      },
    })
    await app.shutdown()
  })

  it('is refused with a code in browser mode', async () => {
    const app = service({ host: { mode: 'browser', dataDirectory: home } })
    expect(await call(app, 'diagnostics:open-log-folder')).toMatchObject({
      ok: false,
      error: { code: 'not_available_in_browser', params: { path: join(home, 'logs') } },
    })
    await app.shutdown()
  })
})
