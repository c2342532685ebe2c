import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Clock } from '../../main/core/clock'
import { HistoryStore } from '../../main/core/history/history-store'
import type { SendingRecord } from '../../main/core/history/history-types'

class StepClock implements Clock {
  constructor(public time = Date.parse('2025-03-01T10:00:00.000Z')) {}
  now(): number {
    return this.time
  }
  async sleep(ms: number): Promise<void> {
    this.time += ms
  }
}

let directory: string
let clock: StepClock
let history: HistoryStore
let sending: SendingRecord

beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'purchase-sender-imports-'))
  clock = new StepClock()
  history = HistoryStore.open(path.join(directory, 'history.sqlite3'), {
    clock,
    isProcessAlive: () => true,
  })
  const profile = history.profiles.create({
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
    defaultStateIds: [2],
  })
  sending = history.createSending({
    profileId: profile.id,
    from: '2025-01-01',
    to: '2025-01-31',
    stateIds: [2],
    shopIds: [1],
    mode: 'cli',
    options: {
      triggerWorkflows: false,
      createContacts: true,
      createProducts: true,
      rateLimit: 100,
    },
    expectedTotal: 10,
    ownerPid: process.pid,
  })
})

afterEach(async () => {
  history.close()
  await rm(directory, { recursive: true, force: true })
})

describe("a sending's imports", () => {
  it('are recorded as Connectif answers, and read back in the order they were made', () => {
    expect(history.importsOf(sending.id)).toEqual([])
    const contacts = history.recordImport(sending.id, {
      account: 'acc',
      target: 'main',
      type: 'contacts',
      part: 1,
      parts: 1,
      items: 120,
      importId: '65f0c0ffee',
      status: 'queued',
      total: 120,
      success: 0,
      errors: 0,
    })
    expect(contacts).toMatchObject({
      sendingId: sending.id,
      importId: '65f0c0ffee',
      status: 'queued',
      notice: null,
      finishedAt: null,
      createdAt: '2025-03-01T10:00:00.000Z',
    })
    clock.time += 5_000
    history.updateImport(contacts.id, { status: 'inProgress', success: 60, errors: 0 })
    clock.time += 5_000
    const finished = history.updateImport(contacts.id, {
      status: 'finished',
      total: 120,
      success: 118,
      errors: 2,
      errorReportUrl: 'https://files.example/errors.csv',
    })
    expect(finished).toMatchObject({
      status: 'finished',
      success: 118,
      errors: 2,
      errorReportUrl: 'https://files.example/errors.csv',
      updatedAt: '2025-03-01T10:00:10.000Z',
      finishedAt: '2025-03-01T10:00:10.000Z',
    })
    const refused = history.recordImport(sending.id, {
      account: 'acc',
      target: 'main',
      type: 'products',
      part: 1,
      parts: 1,
      items: 40,
      importId: null,
      status: 'not_created',
      notice: {
        code: 'imports_not_allowed',
        message: 'The API key lacks the Imports permission (403).',
        params: { account: 'main', type: 'products', httpStatus: '403' },
      },
    })
    expect(refused.finishedAt).toBe('2025-03-01T10:00:10.000Z')
    expect(history.importsOf(sending.id).map((record) => [record.type, record.status])).toEqual([
      ['contacts', 'finished'],
      ['products', 'not_created'],
    ])
    expect(history.importsOf(sending.id)[1]?.notice).toEqual({
      code: 'imports_not_allowed',
      message: 'The API key lacks the Imports permission (403).',
      params: { account: 'main', type: 'products', httpStatus: '403' },
    })
  })

  it('keep the notice that made them fall back, and refuse a second record of a part', () => {
    const record = history.recordImport(sending.id, {
      account: 'acc',
      target: 'main',
      type: 'contacts',
      part: 1,
      parts: 1,
      items: 3,
      importId: 'x',
      status: 'queued',
    })
    history.updateImport(record.id, {
      status: 'error',
      notice: { code: 'import_failed', message: 'It ended as error.', params: {} },
    })
    expect(history.updateImport(record.id, { status: 'error' }).notice?.code).toBe('import_failed')
    expect(() =>
      history.recordImport(sending.id, {
        account: 'acc',
        target: 'main',
        type: 'contacts',
        part: 1,
        parts: 1,
        items: 3,
        importId: 'y',
        status: 'queued',
      }),
    ).toThrow(/UNIQUE/)
    expect(() => history.updateImport(9_999, { status: 'finished' })).toThrow(RangeError)
  })
})

describe('the items our imports brought into an account', () => {
  it('are known per account and kind, whatever the number asked at once', () => {
    const emails = Array.from({ length: 12_000 }, (_, index) => `c${index}@example.com`)
    history.rememberItems('acc', 'contact', emails.slice(0, 7_000))
    history.rememberItems('acc', 'contact', emails.slice(6_000, 8_000))
    history.rememberItems('other', 'contact', emails.slice(8_000))
    history.rememberItems('acc', 'product', ['c8000@example.com'])
    const known = history.knownItems('acc', 'contact', emails)
    expect(known.size).toBe(8_000)
    expect(known.has('c7999@example.com')).toBe(true)
    expect(known.has('c8000@example.com')).toBe(false)
    expect(history.knownItems('acc', 'product', ['c8000@example.com', '7']).size).toBe(1)
    expect(history.knownItems('nobody', 'contact', emails).size).toBe(0)
  })
})
