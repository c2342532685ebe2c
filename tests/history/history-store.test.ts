import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Clock } from '../../main/core/clock'
import { historyDatabasePath, resolveDataDirectory } from '../../main/core/history/data-directory'
import {
  DEFAULT_STALE_AFTER_MS,
  HistoryStore,
  isProcessAlive,
  type HistoryStoreOptions,
} from '../../main/core/history/history-store'
import {
  HistoryError,
  type NewOrderRow,
  type NewSending,
  type OrderResultUpdate,
} from '../../main/core/history/history-types'
import type { ProfileInput } from '../../main/core/profiles/profile-types'
import { InvalidProfileError } from '../../main/core/profiles/profile-schema'

// ---------------------------------------------------------------------------------------------
// Fixtures

class FakeClock implements Clock {
  constructor(public time = Date.parse('2025-03-01T10:00:00.000Z')) {}
  now(): number {
    return this.time
  }
  async sleep(ms: number): Promise<void> {
    this.time += ms
  }
}

let directory: string
let databasePath: string
let clock: FakeClock
const stores: HistoryStore[] = []

beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'purchase-sender-history-'))
  databasePath = historyDatabasePath(path.join(directory, 'data'))
  clock = new FakeClock()
})

afterEach(async () => {
  for (const store of stores.splice(0)) store.close()
  await rm(directory, { recursive: true, force: true })
})

/** Every process counts as alive unless a test says otherwise. */
function open(options: HistoryStoreOptions = {}): HistoryStore {
  const store = HistoryStore.open(databasePath, { clock, isProcessAlive: () => true, ...options })
  stores.push(store)
  return store
}

function profileInput(overrides: Partial<ProfileInput> = {}): ProfileInput {
  return {
    name: 'Tienda',
    source: {
      kind: 'database',
      host: '127.0.0.1',
      port: 3306,
      user: 'prestashop',
      database: 'prestashop',
      tablePrefix: 'ps_',
      ssl: false,
      passwordEnv: 'PS_DB_PASSWORD',
    },
    connectif: { apiUrl: 'https://api.connectif.cloud', keyEnv: 'CONNECTIF_API_KEY' },
    shopIds: [1],
    languageIso: 'es',
    defaultStateIds: [2, 3, 4],
    ...overrides,
  }
}

function sendingInput(profileId: number, overrides: Partial<NewSending> = {}): NewSending {
  return {
    profileId,
    from: '2025-01-01',
    to: '2025-01-31',
    stateIds: [2, 4],
    shopIds: [1],
    mode: 'cli',
    options: { triggerWorkflows: false, createContacts: true, createProducts: true, rateLimit: 60 },
    expectedTotal: 10,
    ownerPid: process.pid,
    ...overrides,
  }
}

function order(orderId: number, overrides: Partial<NewOrderRow> = {}): NewOrderRow {
  return {
    orderId,
    reference: `REF${orderId}`,
    orderDate: '2025-01-02T10:00:00+01:00',
    customerEmail: `customer${orderId}@example.com`,
    total: '10.00',
    shopId: 1,
    stateId: 2,
    result: 'pending',
    payload: JSON.stringify({ purchaseId: String(orderId) }),
    message: null,
    ...overrides,
  }
}

function result(
  orderId: number,
  outcome: OrderResultUpdate['result'],
  overrides: Partial<OrderResultUpdate> = {},
): OrderResultUpdate {
  const failed = outcome === 'failed'
  return {
    orderId,
    result: outcome,
    httpStatus: outcome === 'created' ? 201 : outcome === 'already_exists' ? 409 : 400,
    errorCode: failed ? 'invalid_purchase' : null,
    message: failed ? 'The purchase was refused' : null,
    response: failed ? '{"status":400}' : null,
    attempts: 1,
    sentAt: '2025-03-01T10:00:05.000Z',
    ...overrides,
  }
}

function thrown(action: () => unknown): unknown {
  try {
    action()
  } catch (error) {
    return error
  }
  throw new Error('expected an error')
}

/** A pid that surely is not running: a child that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await once(child, 'exit')
  return child.pid!
}

// ---------------------------------------------------------------------------------------------

describe('data directory', () => {
  it('takes --home first, then PURCHASE_SENDER_HOME, then the OS application-data directory', () => {
    const env = { PURCHASE_SENDER_HOME: '/srv/ps', XDG_CONFIG_HOME: '/xdg', APPDATA: 'C:\\AD' }
    expect(resolveDataDirectory({ home: '/data/x', env })).toBe('/data/x')
    expect(resolveDataDirectory({ env })).toBe('/srv/ps')
    expect(resolveDataDirectory({ env: {}, platform: 'linux', homedir: '/home/ana' })).toBe(
      '/home/ana/.config/Purchase Sender',
    )
    expect(resolveDataDirectory({ env: { XDG_CONFIG_HOME: '/xdg' }, platform: 'linux' })).toBe(
      '/xdg/Purchase Sender',
    )
    // A relative XDG_CONFIG_HOME is invalid per the XDG spec.
    expect(
      resolveDataDirectory({ env: { XDG_CONFIG_HOME: 'rel' }, platform: 'linux', homedir: '/h' }),
    ).toBe('/h/.config/Purchase Sender')
    expect(resolveDataDirectory({ env: {}, platform: 'darwin', homedir: '/Users/ana' })).toBe(
      '/Users/ana/Library/Application Support/Purchase Sender',
    )
    expect(
      resolveDataDirectory({
        env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' },
        platform: 'win32',
      }),
    ).toBe('C:\\Users\\ana\\AppData\\Roaming\\Purchase Sender')
    expect(resolveDataDirectory({ home: 'relative', env: {} })).toBe(path.resolve('relative'))
    expect(resolveDataDirectory({ home: '', env: { PURCHASE_SENDER_HOME: '/e' } })).toBe('/e')
    expect(historyDatabasePath('/srv/ps')).toBe(path.join('/srv/ps', 'history.sqlite3'))
  })

  it('is created, private to its owner, when the history opens', async () => {
    open()
    const info = await stat(path.dirname(databasePath))
    expect(info.isDirectory()).toBe(true)
    if (process.platform !== 'win32') expect(info.mode & 0o777).toBe(0o700)
  })
})

describe('HistoryStore: the database', () => {
  it('runs in WAL mode (foreign keys: see the deleted profile test)', () => {
    const store = open()
    store.profiles.create(profileInput())
    const other = new Database(databasePath, { readonly: true })
    try {
      expect(other.pragma('journal_mode', { simple: true })).toBe('wal')
    } finally {
      other.close()
    }
  })

  it('keeps everything across close and reopen', () => {
    const store = open()
    const profile = store.profiles.create(profileInput())
    const sending = store.createSending(sendingInput(profile.id))
    store.recordOrders(sending.id, [order(1), order(2)], { placedAt: 'p', orderId: 2 }, true)
    store.writeResults(sending.id, [result(1, 'created')])
    store.close()

    const reopened = open()
    expect(reopened.profiles.get(profile.id)).toEqual(profile)
    expect(reopened.getSending(sending.id)).toMatchObject({
      readComplete: true,
      cursor: { placedAt: 'p', orderId: 2 },
      counts: { total: 2, created: 1, pending: 1 },
    })
    expect(reopened.pendingOrders(sending.id, 10).map((row) => row.orderId)).toEqual([2])
  })

  it('gives a clear error for a file that is not a database', async () => {
    const { writeFile, mkdir } = await import('node:fs/promises')
    await mkdir(path.dirname(databasePath), { recursive: true })
    await writeFile(databasePath, 'not a database, just text '.repeat(100))
    expect(() => open()).toThrow(/Cannot open the history database .*history\.sqlite3/)
  })
})

describe('HistoryStore: profiles', () => {
  it('creates, reads, lists, updates and deletes', () => {
    const store = open()
    const created = store.profiles.create(profileInput({ shopIds: [3, 1, 3] }))
    expect(created).toMatchObject({ id: expect.any(Number), name: 'Tienda', shopIds: [1, 3] })
    expect(created.createdAt).toBe('2025-03-01T10:00:00.000Z')
    expect(store.profiles.get(created.id)).toEqual(created)
    expect(store.profiles.findByName('tienda')).toEqual(created)
    expect(store.profiles.findByName('nope')).toBeNull()

    const webservice = store.profiles.create(
      profileInput({
        name: 'Otra',
        source: { kind: 'webservice', url: 'https://shop.example/api', keyEnv: 'PS_WS_KEY' },
        connectif: { apiUrl: 'https://api.connectif.cloud', keyEnv: null },
        languageIso: null,
      }),
    )
    expect(store.profiles.list().map((profile) => profile.name)).toEqual(['Otra', 'Tienda'])

    clock.time += 60_000
    const updated = store.profiles.update(created.id, profileInput({ name: 'TIENDA', shopIds: [] }))
    expect(updated).toMatchObject({ id: created.id, name: 'TIENDA', shopIds: [] })
    expect(updated.updatedAt).toBe('2025-03-01T10:01:00.000Z')
    expect(updated.createdAt).toBe(created.createdAt)

    store.profiles.remove(webservice.id)
    expect(store.profiles.list().map((profile) => profile.id)).toEqual([created.id])
    expect(thrown(() => store.profiles.get(webservice.id))).toMatchObject({
      code: 'profile_not_found',
    })
    expect(thrown(() => store.profiles.remove(webservice.id))).toMatchObject({
      code: 'profile_not_found',
    })
  })

  it('refuses a duplicate name, ignoring case and accents in any case', () => {
    const store = open()
    store.profiles.create(profileInput({ name: 'Tienda España' }))
    const error = thrown(() => store.profiles.create(profileInput({ name: '  TIENDA ESPAÑA ' })))
    expect(error).toBeInstanceOf(HistoryError)
    expect(error).toMatchObject({ code: 'profile_exists' })
    expect((error as Error).message).toContain('"Tienda España"')

    const other = store.profiles.create(profileInput({ name: 'Outlet' }))
    expect(
      thrown(() => store.profiles.update(other.id, profileInput({ name: 'tienda españa' }))),
    ).toMatchObject({ code: 'profile_exists' })
  })

  it('refuses anything that looks like a secret', () => {
    const store = open()
    const refuse = (input: unknown, pattern: RegExp): void => {
      const error = thrown(() => store.profiles.create(input as ProfileInput))
      expect(error).toBeInstanceOf(InvalidProfileError)
      expect((error as Error).message).toMatch(pattern)
    }
    const base = profileInput()
    refuse(
      { ...base, source: { ...base.source, password: 'hunter2' } },
      /source.*unknown field "password".*never a password or key/,
    )
    refuse(
      { ...base, connectif: { ...base.connectif, apiKey: 'abc' } },
      /connectif.*unknown field "apiKey"/,
    )
    refuse({ ...base, apiKey: 'abc' }, /profile unknown field "apiKey"/)
    refuse(
      { ...base, connectif: { ...base.connectif, keyEnv: 'my secret key!' } },
      /connectif.keyEnv must be the name of an environment variable/,
    )
    refuse(
      {
        ...base,
        source: {
          kind: 'webservice',
          url: 'https://shop.example/api',
          keyEnv: 'ZQ88PRJX5VWQHCWE4EE7SQ7HPNX00RAJ',
        },
      },
      /source.keyEnv looks like a key/,
    )
    refuse(
      {
        ...base,
        source: {
          kind: 'webservice',
          url: 'https://ZQ88PRJX5VWQHCWE4EE7SQ7HPNX00RAJ@shop.example/api',
          keyEnv: 'PS_WS_KEY',
        },
      },
      /must not contain a user name or password/,
    )
    refuse(
      {
        ...base,
        source: {
          kind: 'webservice',
          url: 'https://shop.example/api?ws_key=ZQ88',
          keyEnv: 'PS_WS_KEY',
        },
      },
      /must not carry a secret in its query \("ws_key"\)/,
    )
    refuse({ ...base, name: '' }, /name must not be empty/)
    refuse({ ...base, shopIds: [0] }, /shopIds/)
    expect(store.profiles.list()).toEqual([])
  })

  it('keeps the sendings of a deleted profile, under its name', () => {
    const store = open()
    const profile = store.profiles.create(profileInput())
    const sending = store.createSending(sendingInput(profile.id))
    expect(thrown(() => store.profiles.remove(profile.id))).toMatchObject({
      code: 'sending_in_progress',
    })
    store.finishSending(sending.id, 'cancelled')
    store.profiles.remove(profile.id)
    expect(store.getSending(sending.id)).toMatchObject({ profileId: null, profileName: 'Tienda' })
  })
})

describe('HistoryStore: sendings', () => {
  it('go from running to finished, newest first in the list', () => {
    const store = open()
    const profile = store.profiles.create(profileInput())
    const other = store.profiles.create(profileInput({ name: 'Otra' }))
    const first = store.createSending(sendingInput(profile.id))
    expect(first).toMatchObject({
      profileId: profile.id,
      profileName: 'Tienda',
      from: '2025-01-01',
      to: '2025-01-31',
      stateIds: [2, 4],
      shopIds: [1],
      mode: 'cli',
      state: 'running',
      expectedTotal: 10,
      readComplete: false,
      cursor: null,
      startedAt: '2025-03-01T10:00:00.000Z',
      finishedAt: null,
      fatalError: null,
      ownerPid: process.pid,
      heartbeatAt: '2025-03-01T10:00:00.000Z',
      counts: { total: 0, created: 0, alreadyExisted: 0, failed: 0, skipped: 0, pending: 0 },
    })
    expect(first.options).toEqual(sendingInput(profile.id).options)

    clock.time += 1_000
    expect(store.heartbeat(first.id)).toBe(true)
    expect(store.getSending(first.id).heartbeatAt).toBe('2025-03-01T10:00:01.000Z')

    store.recordOrders(first.id, [order(1)], { placedAt: 'a', orderId: 1 }, true)
    expect(() => store.finishSending(first.id, 'completed')).toThrow(
      /cannot be completed: 1 orders are still pending/,
    )
    store.writeResults(first.id, [result(1, 'created')])
    clock.time += 1_000
    const finished = store.finishSending(first.id, 'completed')
    expect(finished).toMatchObject({ state: 'completed', finishedAt: '2025-03-01T10:00:02.000Z' })
    expect(store.heartbeat(first.id)).toBe(false)

    const second = store.createSending(sendingInput(profile.id))
    clock.time += 1_000
    const third = store.createSending(sendingInput(other.id))
    store.finishSending(second.id, 'failed', { code: 'store_access_denied', message: 'Denied' })
    expect(store.getSending(second.id).fatalError).toEqual({
      code: 'store_access_denied',
      message: 'Denied',
    })
    expect(store.listSendings().map((sending) => sending.id)).toEqual([
      third.id,
      second.id,
      first.id,
    ])
    expect(store.listSendings({ profileId: profile.id }).map((sending) => sending.id)).toEqual([
      second.id,
      first.id,
    ])
    expect(store.findSending(999)).toBeNull()
    expect(thrown(() => store.getSending(999))).toMatchObject({ code: 'sending_not_found' })
    expect(() => store.finishSending(third.id, 'running' as never)).toThrow(RangeError)
  })

  it('allow one running sending per profile, also from another process', () => {
    const store = open()
    const profile = store.profiles.create(profileInput())
    const other = store.profiles.create(profileInput({ name: 'Otra' }))
    const running = store.createSending(sendingInput(profile.id))

    const error = thrown(() => store.createSending(sendingInput(profile.id)))
    expect(error).toBeInstanceOf(HistoryError)
    expect(error).toMatchObject({ code: 'sending_in_progress' })
    expect((error as Error).message).toContain(`sending #${running.id}`)
    expect((error as Error).message).toContain('since 2025-03-01T10:00:00.000Z')

    // Another connection to the same file, as the desktop app and the CLI would hold.
    const secondProcess = open()
    expect(thrown(() => secondProcess.createSending(sendingInput(profile.id)))).toMatchObject({
      code: 'sending_in_progress',
    })
    expect(secondProcess.createSending(sendingInput(other.id)).state).toBe('running')

    store.finishSending(running.id, 'cancelled')
    expect(secondProcess.createSending(sendingInput(profile.id)).state).toBe('running')
  })

  it('are interrupted when their heartbeat is stale', () => {
    const store = open()
    const profile = store.profiles.create(profileInput())
    const sending = store.createSending(sendingInput(profile.id))
    clock.time += DEFAULT_STALE_AFTER_MS - 1
    expect(store.markInterrupted()).toEqual([])
    clock.time += 1
    expect(store.markInterrupted()).toEqual([sending.id])
    const interrupted = store.getSending(sending.id)
    expect(interrupted).toMatchObject({
      state: 'interrupted',
      // When it was last known alive, not when someone noticed.
      finishedAt: '2025-03-01T10:00:00.000Z',
      fatalError: { code: 'owner_lost' },
    })
    expect(interrupted.fatalError?.message).toMatch(/Resume it/)
    expect(store.heartbeat(sending.id)).toBe(false)
    expect(store.markInterrupted()).toEqual([])
  })

  it('are interrupted when their process is gone, and do not block a new sending', async () => {
    // The real process check, with a real pid that has exited.
    const store = open({ isProcessAlive })
    const profile = store.profiles.create(profileInput())
    const alive = store.createSending(sendingInput(profile.id))
    expect(store.markInterrupted()).toEqual([])
    store.finishSending(alive.id, 'cancelled')

    const pid = await deadPid()
    expect(isProcessAlive(pid)).toBe(false)
    const orphan = store.createSending(sendingInput(profile.id, { ownerPid: pid }))
    const next = store.createSending(sendingInput(profile.id))
    expect(store.getSending(orphan.id).state).toBe('interrupted')
    expect(next.state).toBe('running')
  })

  it('resume only when interrupted, or cancelled or failed with work left', () => {
    const store = open()
    const profile = store.profiles.create(profileInput())
    const sending = store.createSending(sendingInput(profile.id))
    store.recordOrders(sending.id, [order(1), order(2)], { placedAt: 'a', orderId: 2 }, true)

    expect(thrown(() => store.prepareResume(sending.id, 4242))).toMatchObject({
      code: 'sending_in_progress',
    })

    store.finishSending(sending.id, 'interrupted', { code: 'x', message: 'Ctrl-C' })
    clock.time += 5_000
    const resumed = store.prepareResume(sending.id, 4242)
    expect(resumed).toMatchObject({
      state: 'running',
      ownerPid: 4242,
      heartbeatAt: '2025-03-01T10:00:05.000Z',
      startedAt: '2025-03-01T10:00:00.000Z',
      finishedAt: null,
      fatalError: null,
    })

    store.finishSending(sending.id, 'cancelled')
    expect(store.prepareResume(sending.id).state).toBe('running')

    store.writeResults(sending.id, [result(1, 'created'), result(2, 'failed')])
    store.finishSending(sending.id, 'completed_with_errors')
    const error = thrown(() => store.prepareResume(sending.id))
    expect(error).toMatchObject({ code: 'sending_not_resumable' })
    expect((error as Error).message).toMatch(/completed_with_errors.*retry them/)

    const cancelled = store.createSending(sendingInput(profile.id))
    store.recordOrders(cancelled.id, [], null, true)
    store.finishSending(cancelled.id, 'cancelled')
    expect(thrown(() => store.prepareResume(cancelled.id))).toMatchObject({
      code: 'sending_not_resumable',
    })
    expect(thrown(() => store.prepareResume(12345))).toMatchObject({ code: 'sending_not_found' })
  })

  it('resume a crashed running sending, but not while another of the profile runs', () => {
    const store = open()
    const profile = store.profiles.create(profileInput())
    const crashed = store.createSending(sendingInput(profile.id, { ownerPid: 111 }))
    const isAlive = (pid: number): boolean => pid !== 111
    const later = open({ isProcessAlive: isAlive })
    // Still "running" in the database, but its process is gone.
    expect(later.prepareResume(crashed.id, 222).state).toBe('running')

    const second = open({ isProcessAlive: isAlive })
    second.finishSending(crashed.id, 'interrupted')
    const other = second.createSending(sendingInput(profile.id, { ownerPid: 333 }))
    expect(thrown(() => second.prepareResume(crashed.id, 444))).toMatchObject({
      code: 'sending_in_progress',
      message: expect.stringContaining(`sending #${other.id}`),
    })
  })
})

describe('HistoryStore: orders', () => {
  function started(store: HistoryStore): number {
    const profile = store.profiles.create(profileInput())
    return store.createSending(sendingInput(profile.id)).id
  }

  it('are recorded once: re-recording a page changes nothing', () => {
    const store = open()
    const id = started(store)
    const page = [
      order(3),
      order(1),
      order(2, { result: 'skipped', payload: null, message: 'No e-mail' }),
    ]
    expect(
      store.recordOrders(id, page, { placedAt: '2025-01-02 10:00:00', orderId: 3 }, false),
    ).toBe(3)
    store.writeResults(id, [result(1, 'created')])
    const before = store.getSending(id)

    // The same page read again after a restart, even with different data, is ignored.
    const again = page.map((row) => ({ ...row, total: '99.99', result: 'pending' as const }))
    expect(
      store.recordOrders(
        id,
        again.map((row) => ({ ...row, payload: '{}' })),
        { placedAt: '2025-01-02 10:00:00', orderId: 3 },
        false,
      ),
    ).toBe(0)
    expect(store.getSending(id).counts).toEqual(before.counts)
    expect(before.counts).toEqual({
      total: 3,
      created: 1,
      alreadyExisted: 0,
      failed: 0,
      skipped: 1,
      pending: 1,
    })
    const rows = [...store.reportRows(id, { all: true })]
    expect(rows.map((row) => [row.orderId, row.result, row.total])).toEqual([
      [1, 'created', '10.00'],
      [2, 'skipped', '10.00'],
      [3, 'pending', '10.00'],
    ])
    expect(rows[1]?.message).toBe('No e-mail')
  })

  it('move the read cursor forward only, and mark the read complete', () => {
    const store = open()
    const id = started(store)
    store.recordOrders(id, [order(1)], { placedAt: '2025-01-02 10:00:00', orderId: 1 }, false)
    store.recordOrders(id, [order(5)], { placedAt: '2025-01-03 09:00:00', orderId: 5 }, false)
    store.recordOrders(id, [order(1)], { placedAt: '2025-01-02 10:00:00', orderId: 1 }, false)
    expect(store.getSending(id).cursor).toEqual({ placedAt: '2025-01-03 09:00:00', orderId: 5 })
    store.recordOrders(id, [], null, true)
    expect(store.getSending(id)).toMatchObject({
      readComplete: true,
      cursor: { placedAt: '2025-01-03 09:00:00', orderId: 5 },
    })
    // Completion is not undone by a late page.
    store.recordOrders(id, [], null, false)
    expect(store.getSending(id).readComplete).toBe(true)
    expect(thrown(() => store.recordOrders(999, [order(1)], null, true))).toMatchObject({
      code: 'sending_not_found',
    })
    expect(() => store.recordOrders(id, [order(9, { payload: null })], null, false)).toThrow(
      /Order 9 is pending but has no payload/,
    )
  })

  it('are handed out pending, in order id order, page after page', () => {
    const store = open()
    const id = started(store)
    store.recordOrders(
      id,
      [5, 1, 4, 2, 3].map((n) => order(n)),
      null,
      true,
    )
    store.writeResults(id, [result(2, 'created')])
    expect(store.pendingOrders(id, 2)).toEqual([
      { orderId: 1, payload: '{"purchaseId":"1"}', attempts: 0 },
      { orderId: 3, payload: '{"purchaseId":"3"}', attempts: 0 },
    ])
    expect(store.pendingOrders(id, 2, 3).map((row) => row.orderId)).toEqual([4, 5])
    expect(store.pendingOrders(id, 2, 5)).toEqual([])
  })

  it('take a result once: a written result is final', () => {
    const store = open()
    const id = started(store)
    store.recordOrders(id, [order(1), order(2), order(3), order(4)], null, true)
    expect(
      store.writeResults(id, [
        result(1, 'created'),
        result(2, 'already_exists', {
          response: '{"status":409,"title":"Conflict","detail":"Purchase 2 already exists."}',
        }),
        result(3, 'failed', { attempts: 3 }),
      ]),
    ).toBe(3)
    // A late duplicate answer (e.g. a retried batch) changes nothing.
    expect(store.writeResults(id, [result(1, 'failed'), result(3, 'created')])).toBe(0)
    expect(store.counts(id)).toEqual({
      total: 4,
      created: 1,
      alreadyExisted: 1,
      failed: 1,
      skipped: 0,
      pending: 1,
    })
    const rows = [...store.reportRows(id, { all: true })]
    expect(rows[0]).toMatchObject({ result: 'created', httpStatus: 201, attempts: 1 })
    expect(rows[1]?.response).toBe(
      '{"status":409,"title":"Conflict","detail":"Purchase 2 already exists."}',
    )
    expect(rows[2]).toMatchObject({
      result: 'failed',
      httpStatus: 400,
      errorCode: 'invalid_purchase',
      message: 'The purchase was refused',
      attempts: 3,
      sentAt: '2025-03-01T10:00:05.000Z',
    })
    expect(thrown(() => store.counts(999))).toMatchObject({ code: 'sending_not_found' })
  })

  it('that failed can be retried: back to pending, attempts kept, sending reopened', () => {
    const store = open()
    const id = started(store)
    store.recordOrders(id, [order(1), order(2), order(3)], null, true)
    store.writeResults(id, [
      result(1, 'created'),
      result(2, 'failed', { attempts: 2 }),
      result(3, 'failed'),
    ])
    store.finishSending(id, 'completed_with_errors')
    expect(store.resetFailedToPending(id, 777)).toBe(2)
    expect(store.getSending(id)).toMatchObject({
      state: 'running',
      ownerPid: 777,
      finishedAt: null,
      counts: { total: 3, created: 1, failed: 0, pending: 2 },
    })
    const rows = [...store.reportRows(id, { all: false })]
    expect(rows).toEqual([
      expect.objectContaining({
        orderId: 2,
        result: 'pending',
        httpStatus: null,
        errorCode: null,
        message: null,
        response: null,
        sentAt: null,
        attempts: 2,
      }),
      expect.objectContaining({ orderId: 3, result: 'pending', attempts: 1 }),
    ])
    expect(store.pendingOrders(id, 10).map((row) => row.attempts)).toEqual([2, 1])

    // While it runs again, it cannot be reset again.
    expect(thrown(() => store.resetFailedToPending(id))).toMatchObject({
      code: 'sending_in_progress',
    })
    store.writeResults(id, [result(2, 'created', { attempts: 1 }), result(3, 'created')])
    store.finishSending(id, 'completed')
    expect(store.resetFailedToPending(id)).toBe(0)
    expect(store.getSending(id)).toMatchObject({
      state: 'completed',
      counts: { created: 3, failed: 0, pending: 0 },
    })
    expect([...store.reportRows(id, { all: true })].map((row) => row.attempts)).toEqual([1, 3, 2])
  })

  // How fast this goes is `npm run bench:history`'s to print, not a test's to guess.
  it('keep exact counters through a long sending', () => {
    const store = open()
    const id = started(store)
    let orderId = 0
    for (let page = 0; page < 40; page++) {
      const rows = Array.from({ length: 500 }, () => {
        orderId++
        return orderId % 100 === 0
          ? order(orderId, { result: 'skipped', payload: null, message: 'No e-mail' })
          : order(orderId)
      })
      store.recordOrders(id, rows, { placedAt: 'p', orderId }, page === 39)
    }
    let after = 0
    for (;;) {
      const batch = store.pendingOrders(id, 50, after)
      if (batch.length === 0) break
      after = batch[batch.length - 1]!.orderId
      store.writeResults(
        id,
        batch.map((row) =>
          result(
            row.orderId,
            row.orderId % 7 === 0
              ? 'failed'
              : row.orderId % 11 === 0
                ? 'already_exists'
                : 'created',
          ),
        ),
      )
    }

    const ids = Array.from({ length: 20_000 }, (_, index) => index + 1)
    const skipped = ids.filter((n) => n % 100 === 0)
    const sent = ids.filter((n) => n % 100 !== 0)
    const failed = sent.filter((n) => n % 7 === 0).length
    const alreadyExisted = sent.filter((n) => n % 7 !== 0 && n % 11 === 0).length
    expect(store.counts(id)).toEqual({
      total: 20_000,
      created: sent.length - failed - alreadyExisted,
      alreadyExisted,
      failed,
      skipped: skipped.length,
      pending: 0,
    })
    const fromRows = { created: 0, already_exists: 0, failed: 0, skipped: 0, pending: 0 }
    for (const row of store.reportRows(id, { all: true })) fromRows[row.result]++
    expect(fromRows).toEqual({
      created: sent.length - failed - alreadyExisted,
      already_exists: alreadyExisted,
      failed,
      skipped: skipped.length,
      pending: 0,
    })
  })

  it('can be reported while results are being written on the same store', () => {
    const store = open()
    const id = started(store)
    store.recordOrders(
      id,
      Array.from({ length: 1_200 }, (_, index) => order(index + 1)),
      null,
      true,
    )
    const rows = store.reportRows(id, { all: true })
    let seen = 0
    for (const row of rows) {
      seen++
      // A runner writing between two report rows must not find the connection busy.
      if (seen % 300 === 150) store.writeResults(id, [result(row.orderId + 1, 'created')])
    }
    expect(seen).toBe(1_200)
    expect(store.counts(id).created).toBe(4)
  })
})
