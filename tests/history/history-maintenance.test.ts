/**
 * The history's upkeep (main/core/history/history-maintenance.ts through HistoryStore): erasing a
 * customer, with the bytes of the database file and its WAL searched for the address afterwards;
 * retention on a manual clock; the settings kept in the history.
 */
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ERASED_MESSAGE } from '../../main/core/history/history-maintenance'
import { HistoryStore } from '../../main/core/history/history-store'
import {
  HistoryError,
  type NewOrderRow,
  type NewSending,
  type OrderResultUpdate,
} from '../../main/core/history/history-types'
import { ManualClock } from '../support/virtual-clock'

const DAY = 86_400_000

let directory: string
let databasePath: string
let clock: ManualClock
let store: HistoryStore

beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'purchase-sender-upkeep-'))
  databasePath = path.join(directory, 'history.sqlite3')
  clock = new ManualClock(Date.parse('2025-03-01T10:00:00.000Z'))
  store = HistoryStore.open(databasePath, { clock, isProcessAlive: () => true })
})

afterEach(async () => {
  store.close()
  await rm(directory, { recursive: true, force: true })
})

function profileId(name = 'Tienda'): number {
  return store.profiles.create({
    name,
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
    shopIds: [],
    languageIso: null,
    defaultStateIds: [2],
  }).id
}

function sending(profile: number, overrides: Partial<NewSending> = {}): number {
  return store.createSending({
    profileId: profile,
    from: '2025-01-01',
    to: '2025-01-31',
    stateIds: [2],
    shopIds: [],
    mode: 'cli',
    options: { triggerWorkflows: false, createContacts: true, createProducts: true, rateLimit: 60 },
    expectedTotal: 0,
    ownerPid: process.pid,
    ...overrides,
  }).id
}

/** A payload of a real size, naming the customer as real ones do (the contact's e-mail). */
function order(orderId: number, email: string): NewOrderRow {
  return {
    orderId,
    reference: `REF${orderId}`,
    orderDate: '2025-01-02T10:00:00+01:00',
    customerEmail: email,
    total: '10.00',
    shopId: 1,
    stateId: 2,
    result: 'pending',
    payload: JSON.stringify({
      purchase: { purchaseId: String(orderId), products: [{ productId: '7', price: 10 }] },
      contact: { email: email.toLowerCase(), name: 'Ana', padding: 'x'.repeat(400) },
    }),
    message: null,
  }
}

function answer(
  orderId: number,
  result: OrderResultUpdate['result'],
  response: string,
  message: string | null = null,
): OrderResultUpdate {
  return {
    orderId,
    result,
    httpStatus: result === 'created' ? 201 : result === 'already_exists' ? 409 : 400,
    errorCode: result === 'failed' ? 'contact_not_found' : null,
    message,
    response,
    attempts: 1,
    sentAt: new Date(clock.now()).toISOString(),
  }
}

/** Every byte SQLite keeps for the history on disk, lower-cased (latin1: one char a byte). */
function fileBytes(): string {
  return ['', '-wal']
    .map((suffix) => `${databasePath}${suffix}`)
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file).toString('latin1'))
    .join('')
}

/** The counters on each sending equal the rows they count. */
function expectCountersMatchRows(): void {
  const db = new Database(databasePath, { readonly: true })
  try {
    const rows = db
      .prepare(
        `SELECT s.id, s.total, s.created, s.already_existed, s.failed, s.skipped, s.pending,
           (SELECT count(*) FROM sending_orders o WHERE o.sending_id = s.id) AS rows_total,
           (SELECT count(*) FROM sending_orders o WHERE o.sending_id = s.id AND o.result = 'created') AS rows_created,
           (SELECT count(*) FROM sending_orders o WHERE o.sending_id = s.id AND o.result = 'already_exists') AS rows_existed,
           (SELECT count(*) FROM sending_orders o WHERE o.sending_id = s.id AND o.result = 'failed') AS rows_failed,
           (SELECT count(*) FROM sending_orders o WHERE o.sending_id = s.id AND o.result = 'skipped') AS rows_skipped,
           (SELECT count(*) FROM sending_orders o WHERE o.sending_id = s.id AND o.result = 'pending') AS rows_pending
         FROM sendings s`,
      )
      .all() as Record<string, number>[]
    for (const row of rows)
      expect(row, `sending #${row['id']}`).toMatchObject({
        total: row['rows_total'],
        created: row['rows_created'],
        already_existed: row['rows_existed'],
        failed: row['rows_failed'],
        skipped: row['rows_skipped'],
        pending: row['rows_pending'],
      })
  } finally {
    db.close()
  }
}

describe('forgetting a customer', () => {
  const ANA = 'Ana.Garcia@Example.COM'

  /** Two sendings with Ana's orders among many others': one finished, one interrupted. */
  function historyWithAna(): { finished: number; interrupted: number } {
    const profile = profileId()
    const finished = sending(profile)
    const rows: NewOrderRow[] = []
    for (let id = 1; id <= 600; id++)
      rows.push(order(id, id % 100 === 5 ? ANA : `customer${id}@example.com`))
    store.recordOrders(finished, rows, null, true)
    const answers = rows.map((row) =>
      row.orderId === 105
        ? answer(
            row.orderId,
            'failed',
            `{"title":"contact ${row.customerEmail} not found"}`,
            `The contact ${row.customerEmail.toLowerCase()} does not exist in Connectif.`,
          )
        : answer(
            row.orderId,
            row.orderId % 11 === 0 ? 'already_exists' : 'created',
            `{"purchaseId":"${row.orderId}","email":"${row.customerEmail}"}`,
          ),
    )
    for (let start = 0; start < answers.length; start += 50)
      store.writeResults(finished, answers.slice(start, start + 50))
    store.finishSending(finished, 'completed_with_errors')

    const interrupted = sending(profile)
    // Ana in upper case this time, still to be sent.
    store.recordOrders(
      interrupted,
      [order(700, 'bob@example.com'), order(705, ANA.toUpperCase()), order(706, 'eve@example.com')],
      null,
      false,
    )
    store.writeResults(interrupted, [answer(700, 'created', '{"purchaseId":"700"}')])
    store.finishSending(interrupted, 'interrupted')
    store.rememberItems('account-a', 'contact', [ANA.toLowerCase(), 'bob@example.com'])
    store.rememberItems('account-b', 'contact', [ANA.toLowerCase()])
    return { finished, interrupted }
  }

  it('erases the e-mail, payloads and answers everywhere, keeping results and counts, and no byte of it on disk', () => {
    const { finished, interrupted } = historyWithAna()
    const countsBefore = store.counts(finished)
    expect(fileBytes().toLowerCase()).toContain(ANA.toLowerCase())

    const outcome = store.forgetCustomer(` ${ANA.toLowerCase()} `)

    expect(outcome).toMatchObject({ orders: 7, pendingSkipped: 1, sendings: 2, knownContacts: 2 })
    expect(outcome.walEmptied).toBe(true)
    expect(outcome.run).toMatchObject({ kind: 'forget', orders: 7, vacuumed: true, days: null })
    // Results and counts of the finished sending are those it had.
    expect(store.counts(finished)).toEqual(countsBefore)
    // The order waiting to be sent cannot be without its payload: skipped, saying why.
    expect(store.counts(interrupted)).toMatchObject({
      total: 3,
      created: 1,
      skipped: 1,
      pending: 1,
    })
    expectCountersMatchRows()

    const erased = store.orderDetail(finished, 105)!
    expect(erased).toMatchObject({
      orderId: 105,
      reference: 'REF105',
      customerEmail: '',
      result: 'failed',
      payload: null,
      response: null,
      message: ERASED_MESSAGE,
      httpStatus: 400,
    })
    expect(store.orderDetail(finished, 205)).toMatchObject({
      customerEmail: '',
      result: 'created',
      payload: null,
      response: null,
      message: null,
    })
    expect(store.orderDetail(interrupted, 705)).toMatchObject({
      result: 'skipped',
      customerEmail: '',
      payload: null,
      message: ERASED_MESSAGE,
    })
    // The other customers keep everything.
    expect(store.orderDetail(finished, 106)).toMatchObject({
      customerEmail: 'customer106@example.com',
      payload: expect.stringContaining('customer106@example.com') as string,
      response: expect.stringContaining('customer106@example.com') as string,
    })
    expect(store.pendingOrders(interrupted, 10).map((row) => row.orderId)).toEqual([706])
    expect(
      store.knownItems('account-a', 'contact', [ANA.toLowerCase(), 'bob@example.com']),
    ).toEqual(new Set(['bob@example.com']))
    expect(store.knownItems('account-b', 'contact', [ANA.toLowerCase()]).size).toBe(0)
    // Its failed order cannot be retried without its payload.
    expect(store.resetFailedToPending(finished)).toBe(0)

    const bytes = fileBytes()
    expect(bytes.length).toBeGreaterThan(0)
    expect(bytes.toLowerCase()).not.toContain(ANA.toLowerCase())
    expect(bytes).not.toContain(ANA)
    expect(bytes.toLowerCase()).toContain('customer106@example.com')
  })

  it('leaves no byte of the address on disk after closing either', () => {
    historyWithAna()
    store.forgetCustomer(ANA)
    store.close()
    expect(fileBytes().toLowerCase()).not.toContain(ANA.toLowerCase())
    store = HistoryStore.open(databasePath, { clock, isProcessAlive: () => true })
  })

  it('is refused while a sending runs, and changes nothing', () => {
    const { finished } = historyWithAna()
    const running = sending(profileId('Otra'))
    expect(() => store.forgetCustomer(ANA)).toThrow(HistoryError)
    try {
      store.forgetCustomer(ANA)
    } catch (error) {
      expect(error).toMatchObject({
        code: 'sending_in_progress',
        params: { reason: 'forget', running: String(running) },
      })
    }
    expect(store.orderDetail(finished, 105)?.customerEmail).toBe(ANA)
    expect(store.lastMaintenanceRun('forget')).toBeNull()
  })

  it('erases nothing else for an address the history does not have', () => {
    const { finished } = historyWithAna()
    const outcome = store.forgetCustomer('nobody@example.com')
    expect(outcome).toMatchObject({ orders: 0, pendingSkipped: 0, sendings: 0, knownContacts: 0 })
    expect(store.orderDetail(finished, 105)?.customerEmail).toBe(ANA)
    expect(store.lastMaintenanceRun('forget')).toMatchObject({ orders: 0 })
  })
})

describe('retention', () => {
  /** A finished sending of `count` orders answered now, with its id. */
  function finishedSending(profile: number, first: number, count: number): number {
    const id = sending(profile)
    const rows = Array.from({ length: count }, (_, index) =>
      order(first + index, `c${first + index}@example.com`),
    )
    store.recordOrders(id, rows, null, true)
    store.writeResults(
      id,
      rows.map((row) =>
        answer(row.orderId, row.orderId % 5 === 0 ? 'failed' : 'created', '{"ok":true}'),
      ),
    )
    store.finishSending(id, 'completed_with_errors')
    return id
  }

  it('removes the payloads and answers of sendings finished before the days kept, never of pending rows', async () => {
    const profile = profileId()
    const old = finishedSending(profile, 1, 40)
    // An old interrupted sending: its answered rows lose their details, its pending ones keep theirs.
    const unfinished = sending(profileId('Otra'))
    store.recordOrders(
      unfinished,
      [order(901, 'p@example.com'), order(902, 'q@example.com')],
      null,
      true,
    )
    store.writeResults(unfinished, [answer(901, 'created', '{"ok":true}')])
    store.finishSending(unfinished, 'interrupted')
    await clock.advance(40 * DAY)
    const recent = finishedSending(profile, 100, 10)
    const countsBefore = [old, unfinished, recent].map((id) => store.counts(id))

    const run = store.applyRetention(30)

    expect(run).toMatchObject({ kind: 'retention', days: 30, sendings: 2, orders: 41 })
    expect(run.ranAt).toBe(new Date(clock.now()).toISOString())
    expect(run.bytesBefore).toBeGreaterThan(0)
    expect(run.bytesAfter).toBeGreaterThan(0)
    expect([old, unfinished, recent].map((id) => store.counts(id))).toEqual(countsBefore)
    expectCountersMatchRows()
    expect(store.orderDetail(old, 7)).toMatchObject({
      result: 'created',
      payload: null,
      response: null,
      customerEmail: 'c7@example.com',
      httpStatus: 201,
    })
    expect(store.orderDetail(old, 5)).toMatchObject({ result: 'failed', payload: null })
    expect(store.orderDetail(unfinished, 901)).toMatchObject({ payload: null, response: null })
    expect(store.orderDetail(unfinished, 902)?.payload).toContain('q@example.com')
    expect(store.orderDetail(recent, 100)?.payload).toContain('c100@example.com')
    expect(store.orderDetail(recent, 101)?.response).toBe('{"ok":true}')
    expect(store.lastMaintenanceRun('retention')).toEqual(run)

    // Done once: the next run finds nothing to do.
    expect(store.applyRetention(30)).toMatchObject({ sendings: 0, orders: 0 })
    // The interrupted one, resumed and finished later, is looked at again then.
    await clock.advance(60_000)
    store.prepareResume(unfinished, process.pid)
    store.writeResults(unfinished, [answer(902, 'created', '{"ok":true}')])
    store.finishSending(unfinished, 'completed')
    await clock.advance(31 * DAY)
    expect(store.applyRetention(30)).toMatchObject({ orders: 1 + 10 })
    expect(store.orderDetail(unfinished, 902)).toMatchObject({ payload: null, response: null })
  })

  it('shrinks the file once most of it was payloads', async () => {
    const profile = profileId()
    for (let index = 0; index < 5; index++) finishedSending(profile, 1 + index * 1000, 400)
    await clock.advance(10 * DAY)
    const run = store.applyRetention(1)
    expect(run.orders).toBe(2000)
    expect(run.vacuumed).toBe(true)
    expect(run.bytesAfter).toBeLessThan(run.bytesBefore / 2)
    expect(store.historyBytes().wal).toBe(0)
  })
})

describe('settings kept in the history', () => {
  it('saves, reads and removes a JSON value', () => {
    expect(store.setting('history.retentionDays')).toBeUndefined()
    store.saveSetting('history.retentionDays', 90)
    expect(store.setting('history.retentionDays')).toBe(90)
    store.saveSetting('history.retentionDays', null)
    expect(store.setting('history.retentionDays')).toBeNull()
    store.saveSetting('history.retentionDays', undefined)
    expect(store.setting('history.retentionDays')).toBeUndefined()
  })
})
