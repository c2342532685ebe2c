/**
 * Moving profiles and the history's privacy through the application service, as the app's
 * channels call it (the contract's validation included): export to a file and import it into
 * another history (the desktop app's dialogs and browser mode's download and upload), which
 * secrets an imported profile still needs, refusals that import nothing; retention saved and
 * applied at start-up; a customer erased.
 */
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAppService, type AppService } from '../../main/app/app-service'
import { dispatch } from '../../main/app/ipc-registration'
import { EnvironmentSecretStore } from '../../main/app/secret-store'
import { HistoryStore } from '../../main/core/history/history-store'
import type {
  ChannelName,
  ChannelRequestInput,
  ChannelResponse,
  ProfileDraft,
  Result,
} from '../../preload/contract'
import { ManualClock } from '../support/virtual-clock'
import { MemorySecretStore } from './memory-secret-store'

const DB_PASSWORD = 'db-pass-never-exported-91b2'
const CONNECTIF_KEY = 'kid-x:connectif-secret-never-exported-77c1'
const TARGET_KEY = 'kid-es:target-secret-never-exported-4d0e'

let home: string
let histories: HistoryStore[]
let services: AppService[]
let logged: unknown[]
let clock: ManualClock
/** The files the desktop dialogs answer with (null: the user cancels). */
let exportTarget: string | null
let importSource: string | null

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'purchase-sender-transfer-'))
  histories = []
  services = []
  logged = []
  clock = new ManualClock(Date.parse('2025-06-30T10:00:00.000Z'))
  exportTarget = join(home, 'profiles.json')
  importSource = join(home, 'profiles.json')
})

afterEach(async () => {
  for (const service of services) await service.shutdown()
  for (const history of histories) history.close()
  await rm(home, { recursive: true, force: true })
})

function openHistory(name: string): HistoryStore {
  const history = HistoryStore.open(join(home, name, 'history.sqlite3'), { clock })
  histories.push(history)
  return history
}

/** The desktop app over a history of its own, with its own stored secrets. */
function desktop(history: HistoryStore, secrets = new MemorySecretStore()): AppService {
  const service = createAppService({
    history,
    secrets,
    clock,
    host: { mode: 'electron' },
    log: (message, error) => logged.push([message, error]),
    profileFileDialog: {
      chooseExportPath: () => Promise.resolve(exportTarget),
      chooseImportPath: () => Promise.resolve(importSource),
    },
  })
  services.push(service)
  return service
}

function browser(history: HistoryStore, env: Record<string, string> = {}): AppService {
  const service = createAppService({
    history,
    secrets: new EnvironmentSecretStore({
      env,
      profile: (id) => history.profiles.list().find((profile) => profile.id === id) ?? null,
    }),
    clock,
    host: { mode: 'browser' },
    log: (message, error) => logged.push([message, error]),
  })
  services.push(service)
  return service
}

function call<C extends ChannelName>(
  service: AppService,
  channel: C,
  request: ChannelRequestInput<C>,
): Promise<Result<ChannelResponse<C>>> {
  return dispatch(service, channel, request) as Promise<Result<ChannelResponse<C>>>
}

async function data<T>(result: Promise<Result<T>>): Promise<T> {
  const settled = await result
  if (!settled.ok) throw new Error(`expected success, got ${JSON.stringify(settled.error)}`)
  return settled.data
}

async function refusal<T>(result: Promise<Result<T>>) {
  const settled = await result
  if (settled.ok) throw new Error(`expected a refusal, got ${JSON.stringify(settled.data)}`)
  return settled.error
}

const DATABASE_DRAFT: ProfileDraft = {
  id: null,
  profile: {
    name: 'Tienda España',
    source: {
      kind: 'database',
      host: 'db.example.com',
      port: 3307,
      user: 'reader',
      database: 'prestashop',
      tablePrefix: 'ps_',
      ssl: true,
      passwordEnv: null,
    },
    connectif: {
      apiUrl: 'https://api.connectif.cloud',
      keyEnv: null,
      mainAccount: true,
      targets: [
        {
          id: 'es-eur',
          apiUrl: 'https://api.connectif.cloud',
          keyEnv: null,
          languages: ['es'],
          currencies: ['EUR'],
          shopIds: [],
        },
      ],
    },
    shopIds: [1, 2],
    languageIso: 'es',
    defaultStateIds: [2, 3],
  },
  secrets: {
    dbPassword: { set: DB_PASSWORD },
    connectifKey: { set: CONNECTIF_KEY },
    targetKeys: { 'es-eur': { set: TARGET_KEY } },
  },
}

const WEBSERVICE_DRAFT: ProfileDraft = {
  id: null,
  profile: {
    name: 'Other shop',
    source: {
      kind: 'webservice',
      url: 'https://shop.example.com/',
      keyEnv: 'PURCHASE_SENDER_WS_KEY',
      keyInUrl: false,
    },
    connectif: {
      apiUrl: 'https://api.connectif.cloud',
      keyEnv: 'PURCHASE_SENDER_CONNECTIF_KEY',
    },
    shopIds: [],
    languageIso: null,
    defaultStateIds: [],
  },
  secrets: {},
}

describe('moving profiles', () => {
  it('round-trips through the desktop dialogs: settings travel, stored secrets are asked for again', async () => {
    const source = desktop(openHistory('source'))
    const saved = await data(call(source, 'profiles:save', DATABASE_DRAFT))
    await data(call(source, 'profiles:save', WEBSERVICE_DRAFT))

    const exported = await data(call(source, 'profiles:export-save', {}))
    expect(exported).toEqual({
      saved: true,
      path: exportTarget,
      profiles: ['Other shop', 'Tienda España'],
    })
    const text = await readFile(exportTarget!, 'utf8')
    for (const secret of [DB_PASSWORD, CONNECTIF_KEY, TARGET_KEY])
      expect(text).not.toContain(secret)
    const file = JSON.parse(text) as {
      format: string
      version: number
      profiles: { name: string; secretsLeftOut: string[] }[]
    }
    expect(file).toMatchObject({ format: 'purchase-sender-profiles', version: 1 })
    expect(file.profiles.map((profile) => [profile.name, profile.secretsLeftOut])).toEqual([
      ['Other shop', []],
      ['Tienda España', ['dbPassword', 'connectifKey', 'connectifTarget:es-eur']],
    ])

    const target = desktop(openHistory('target'))
    const opened = await data(call(target, 'profiles:import-open', {}))
    if (!opened.opened) throw new Error('the dialog chose a file')
    expect(opened.path).toBe(importSource)
    expect(opened.imported.map((entry) => [entry.profile.name, entry.secretsToEnter])).toEqual([
      // The desktop app keeps its own secrets: a variable named elsewhere does not count here.
      ['Other shop', ['webserviceKey', 'connectifKey']],
      ['Tienda España', ['dbPassword', 'connectifKey', 'connectifTarget:es-eur']],
    ])
    const imported = opened.imported.find((entry) => entry.profile.name === 'Tienda España')!
    const { id: _id, createdAt: _c, updatedAt: _u, secrets: _s, ...settings } = imported.profile
    const { id: _id2, createdAt: _c2, updatedAt: _u2, secrets: _s2, ...original } = saved
    expect(settings).toEqual(original)
    expect(imported.profile.secrets).toEqual({
      dbPassword: 'missing',
      webserviceKey: 'not-needed',
      connectifKey: 'missing',
      targetKeys: { 'es-eur': 'missing' },
    })
    expect(await data(call(target, 'profiles:list', {}))).toHaveLength(2)
  })

  it('says nothing was saved or opened when a dialog is cancelled', async () => {
    const service = desktop(openHistory('one'))
    await data(call(service, 'profiles:save', WEBSERVICE_DRAFT))
    exportTarget = null
    importSource = null
    expect(await data(call(service, 'profiles:export-save', {}))).toEqual({ saved: false })
    expect(await data(call(service, 'profiles:import-open', {}))).toEqual({ opened: false })
  })

  it('round-trips in browser mode: a download, then the text of the picked file', async () => {
    const env = { PURCHASE_SENDER_WS_KEY: 'ws', PURCHASE_SENDER_CONNECTIF_KEY: 'ck' }
    const source = browser(openHistory('source'), env)
    const saved = await data(call(source, 'profiles:save', WEBSERVICE_DRAFT))
    const exported = await data(call(source, 'profiles:export', { ids: [saved.id] }))
    expect(exported.fileName).toBe('purchase-sender-profiles_other-shop_2025-06-30.json')
    expect(exported.profiles).toEqual(['Other shop'])

    // The same variables are set where it is imported: nothing to enter.
    const target = browser(openHistory('target'), { PURCHASE_SENDER_WS_KEY: 'ws' })
    const imported = await data(
      call(target, 'profiles:import', { content: exported.content, fileName: exported.fileName }),
    )
    expect(imported.imported.map((entry) => [entry.profile.name, entry.secretsToEnter])).toEqual([
      ['Other shop', ['connectifKey']],
    ])
    expect(imported.imported[0]?.profile.source).toEqual(WEBSERVICE_DRAFT.profile.source)
    // Browser mode has no dialogs.
    expect(await refusal(call(target, 'profiles:export-save', {}))).toMatchObject({
      code: 'profiles_file_dialog_unavailable',
    })
  })

  it('refuses a name that exists (ignoring case), and imports nothing of the file', async () => {
    const source = desktop(openHistory('source'))
    await data(call(source, 'profiles:save', DATABASE_DRAFT))
    await data(call(source, 'profiles:save', WEBSERVICE_DRAFT))
    const { content } = await data(call(source, 'profiles:export', {}))

    const target = desktop(openHistory('target'))
    await data(
      call(target, 'profiles:save', {
        ...WEBSERVICE_DRAFT,
        profile: { ...WEBSERVICE_DRAFT.profile, name: 'TIENDA ESPAÑA' },
      }),
    )
    const error = await refusal(call(target, 'profiles:import', { content, fileName: 'p.json' }))
    expect(error).toMatchObject({
      code: 'profiles_import_exists',
      params: { profiles: '"TIENDA ESPAÑA"', count: '1' },
    })
    expect((await data(call(target, 'profiles:list', {}))).map((p) => p.name)).toEqual([
      'TIENDA ESPAÑA',
    ])
  })

  it('says which profile and which field of a malformed file is wrong', async () => {
    const service = desktop(openHistory('one'))
    const file = (profiles: unknown[], extra: Record<string, unknown> = {}) =>
      JSON.stringify({ format: 'purchase-sender-profiles', version: 1, profiles, ...extra })
    const good = { ...WEBSERVICE_DRAFT.profile, secretsLeftOut: [] }

    expect(await refusal(call(service, 'profiles:import', { content: '{ nope' }))).toMatchObject({
      code: 'profiles_file_invalid',
      params: { reason: 'json' },
    })
    expect(
      await refusal(call(service, 'profiles:import', { content: JSON.stringify({ a: 1 }) })),
    ).toMatchObject({ code: 'profiles_file_invalid', params: { reason: 'format' } })
    expect(
      await refusal(call(service, 'profiles:import', { content: file([good], { version: 2 }) })),
    ).toMatchObject({
      code: 'profiles_file_invalid',
      params: { reason: 'version', version: '2', supported: '1' },
    })

    const shape = await refusal(
      call(service, 'profiles:import', {
        content: file([
          good,
          {
            ...good,
            name: 'Broken',
            source: { ...WEBSERVICE_DRAFT.profile.source, apiKey: 'oops' },
            shopIds: ['one'],
          },
        ]),
        fileName: 'shops.json',
      }),
    )
    expect(shape).toMatchObject({
      code: 'profiles_file_invalid',
      params: { reason: 'profile', position: '2', profile: 'Broken' },
    })
    expect(shape.message).toMatch(
      /^The profiles file shops\.json cannot be imported: its profile 2 \("Broken"\)/,
    )
    expect(shape.details?.map((detail) => detail.field)).toEqual(['source', 'shopIds.0'])
    expect(shape.details?.[0]?.message).toContain('unknown field "apiKey"')

    const rules = await refusal(
      call(service, 'profiles:import', {
        content: file([{ ...good, name: 'Rules', connectif: { apiUrl: 'ftp://x', keyEnv: 'K' } }]),
      }),
    )
    expect(rules).toMatchObject({
      code: 'profiles_file_invalid',
      params: { reason: 'profile', position: '1', profile: 'Rules' },
    })
    expect(rules.details?.[0]?.field).toBe('connectif.apiUrl')

    expect(
      await refusal(
        call(service, 'profiles:import', {
          content: file([good, { ...good, name: 'other SHOP' }]),
        }),
      ),
    ).toMatchObject({
      code: 'profiles_file_invalid',
      params: { reason: 'duplicate', positions: '1, 2' },
    })
    expect(await data(call(service, 'profiles:list', {}))).toEqual([])
  })
})

describe('the history and privacy', () => {
  /** A finished sending of two orders, one of them Ana's, recorded `ageDays` ago. */
  async function sendingOf(history: HistoryStore, profileId: number): Promise<number> {
    const id = history.createSending({
      profileId,
      from: '2025-01-01',
      to: '2025-01-31',
      stateIds: [2],
      shopIds: [],
      mode: 'cli',
      options: {
        triggerWorkflows: false,
        createContacts: true,
        createProducts: true,
        rateLimit: 60,
      },
      expectedTotal: 2,
      ownerPid: process.pid,
    }).id
    const row = (orderId: number, email: string) => ({
      orderId,
      reference: `R${orderId}`,
      orderDate: '2025-01-02T10:00:00+01:00',
      customerEmail: email,
      total: '1.00',
      shopId: 1,
      stateId: 2,
      result: 'pending' as const,
      payload: JSON.stringify({ contact: { email } }),
      message: null,
    })
    history.recordOrders(id, [row(1, 'Ana@Example.com'), row(2, 'bob@example.com')], null, true)
    history.writeResults(
      id,
      [1, 2].map((orderId) => ({
        orderId,
        result: 'created' as const,
        httpStatus: 201,
        errorCode: null,
        message: null,
        response: `{"purchaseId":"${orderId}"}`,
        attempts: 1,
        sentAt: new Date(clock.now()).toISOString(),
      })),
    )
    history.finishSending(id, 'completed')
    await clock.advance(0)
    return id
  }

  it('keeps payloads for ever by default, then removes them past the days kept, at once and at start-up', async () => {
    const history = openHistory('one')
    const service = desktop(history)
    const profile = await data(call(service, 'profiles:save', WEBSERVICE_DRAFT))
    const old = await sendingOf(history, profile.id)
    expect(await data(call(service, 'retention:get', {}))).toMatchObject({
      days: null,
      lastRun: null,
    })

    await clock.advance(10 * 86_400_000)
    const recent = await sendingOf(history, profile.id)
    const saved = await data(call(service, 'retention:save', { days: 7 }))
    expect(saved.days).toBe(7)
    expect(saved.lastRun).toMatchObject({ days: 7, sendings: 1, orders: 2 })
    expect(saved.lastRun!.bytesBefore).toBeGreaterThan(0)
    expect(saved.historyBytes).toBeGreaterThan(0)
    expect(history.orderDetail(old, 1)).toMatchObject({ payload: null, response: null })
    expect(history.orderDetail(recent, 1)?.payload).not.toBeNull()
    expect(history.getSending(old).counts).toMatchObject({ total: 2, created: 2 })

    // At the next start, what has grown older goes too.
    await clock.advance(8 * 86_400_000)
    desktop(history)
    expect(history.orderDetail(recent, 1)).toMatchObject({ payload: null, response: null })
    expect(history.lastMaintenanceRun('retention')).toMatchObject({ orders: 2 })

    expect(await refusal(call(service, 'retention:save', { days: 0 }))).toMatchObject({
      code: 'invalid_request',
    })
    expect(await refusal(call(service, 'retention:save', { days: 3651 }))).toMatchObject({
      code: 'invalid_request',
    })
    expect(await data(call(service, 'retention:save', { days: null }))).toMatchObject({
      days: null,
    })
  })

  it('erases a customer, and says an address that is not one', async () => {
    const history = openHistory('one')
    const service = desktop(history)
    const profile = await data(call(service, 'profiles:save', WEBSERVICE_DRAFT))
    const id = await sendingOf(history, profile.id)

    expect(await refusal(call(service, 'customer:forget', { email: 'ana' }))).toMatchObject({
      code: 'forget_email_invalid',
      params: { email: 'ana' },
    })
    const forgotten = await data(call(service, 'customer:forget', { email: ' ana@example.COM ' }))
    expect(forgotten).toMatchObject({ email: 'ana@example.COM', orders: 1, pendingSkipped: 0 })
    expect(forgotten.run).toMatchObject({ days: null, orders: 1, vacuumed: true })
    expect(history.orderDetail(id, 1)).toMatchObject({
      customerEmail: '',
      payload: null,
      response: null,
      result: 'created',
    })
    const file = join(home, 'one', 'history.sqlite3')
    const bytes = [file, `${file}-wal`]
      .filter((name) => existsSync(name))
      .map((name) => readFileSync(name).toString('latin1').toLowerCase())
      .join('')
    expect(bytes).not.toContain('ana@example.com')
    expect(bytes).toContain('bob@example.com')
  })
})

// Keeps the file helpers used (writeFile: a file picked by hand in browser mode is just text).
it('imports a file written by hand', async () => {
  const service = browser(openHistory('one'), {})
  const path = join(home, 'hand.json')
  await writeFile(
    path,
    JSON.stringify({
      format: 'purchase-sender-profiles',
      version: 1,
      profiles: [
        {
          name: 'By hand',
          source: { kind: 'webservice', url: 'shop.example.com', keyEnv: 'PURCHASE_SENDER_K' },
          connectif: { keyEnv: 'PURCHASE_SENDER_C' },
        },
      ],
    }),
  )
  const imported = await data(
    call(service, 'profiles:import', { content: await readFile(path, 'utf8') }),
  )
  expect(imported.imported[0]?.profile).toMatchObject({
    name: 'By hand',
    source: { url: 'https://shop.example.com/', keyInUrl: false },
  })
  expect(imported.imported[0]?.secretsToEnter).toEqual(['webserviceKey', 'connectifKey'])
})
