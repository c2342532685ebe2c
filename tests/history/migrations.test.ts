import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HistoryStore } from '../../main/core/history/history-store'
import { HistoryError } from '../../main/core/history/history-types'
import { REASON_SQL } from '../../main/core/history/outcome-reasons'
import {
  LATEST_SCHEMA_VERSION,
  migrate,
  MIGRATIONS,
  schemaVersion,
} from '../../main/core/history/migrations'

let directory: string
let databasePath: string
const opened: Database.Database[] = []

beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'purchase-sender-migrations-'))
  databasePath = path.join(directory, 'history.sqlite3')
})

afterEach(async () => {
  for (const db of opened.splice(0)) if (db.open) db.close()
  await rm(directory, { recursive: true, force: true })
})

function openRaw(): Database.Database {
  const db = new Database(databasePath)
  db.pragma('foreign_keys = ON')
  opened.push(db)
  return db
}

function tables(db: Database.Database): string[] {
  return db
    .prepare<[], { name: string }>(
      `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
    )
    .all()
    .map((row) => row.name)
}

function indexes(db: Database.Database, table: string): Record<string, string[]> {
  const result: Record<string, string[]> = {}
  for (const index of db.pragma(`index_list(${table})`) as { name: string; origin: string }[]) {
    if (index.origin !== 'c') continue
    result[index.name] = (db.pragma(`index_info(${index.name})`) as { name: string }[]).map(
      (column) => column.name,
    )
  }
  return result
}

function columns(db: Database.Database, table: string): string[] {
  return (db.pragma(`table_info(${table})`) as { name: string }[]).map((column) => column.name)
}

const NOW = '2025-03-01T10:00:00.000Z'

/** What an app at schema version 1 wrote: a profile, a sending and two orders. */
function writeVersionOneData(db: Database.Database): void {
  db.prepare(
    `INSERT INTO profiles (id, name, name_key, source_settings, connectif_settings, shop_ids,
       language_iso, default_state_ids, created_at, updated_at)
     VALUES (1, 'Tienda', 'tienda', '{"kind":"webservice"}', '{}', '[]', 'es', '[2]', ?, ?)`,
  ).run(NOW, NOW)
  db.prepare(
    `INSERT INTO sendings (id, profile_id, profile_name, range_from, range_to, state_ids,
       shop_ids, mode, options, state, expected_total, total, created, pending, created_at)
     VALUES (7, 1, 'Tienda', '2025-01-01', '2025-01-31', '[2]', '[]', 'cli', '{}', 'running',
       2, 2, 1, 1, ?)`,
  ).run(NOW)
  const insertOrder = db.prepare(
    `INSERT INTO sending_orders (sending_id, order_id, reference, order_date, customer_email,
       total, shop_id, state_id, result, payload, attempts)
     VALUES (7, ?, ?, '2025-01-02T10:00:00+01:00', 'ana@example.com', '10.00', 1, 2, ?, '{}', ?)`,
  )
  insertOrder.run(11, 'REFA', 'created', 1)
  insertOrder.run(12, 'REFB', 'pending', 0)
}

describe('history migrations', () => {
  it('are numbered 1, 2, 3… with no gap, each with a name', () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual(
      MIGRATIONS.map((_, index) => index + 1),
    )
    for (const migration of MIGRATIONS) expect(migration.name.length).toBeGreaterThan(0)
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length)
  })

  describe('1: profiles, sendings and their orders', () => {
    it('creates the three tables, their indexes and user_version 1', () => {
      const db = openRaw()
      expect(migrate(db, { toVersion: 1 })).toEqual({ from: 0, to: 1 })
      expect(schemaVersion(db)).toBe(1)
      expect(tables(db)).toEqual(['profiles', 'sending_orders', 'sendings'])
      expect(columns(db, 'sendings')).toEqual(
        expect.arrayContaining([
          'profile_id',
          'profile_name',
          'range_from',
          'range_to',
          'state_ids',
          'shop_ids',
          'mode',
          'options',
          'state',
          'expected_total',
          'total',
          'created',
          'already_existed',
          'failed',
          'skipped',
          'pending',
          'read_complete',
          'cursor_placed_at',
          'cursor_order_id',
          'owner_pid',
          'heartbeat_at',
          'fatal_error_code',
          'fatal_error_message',
          'created_at',
          'started_at',
          'finished_at',
        ]),
      )
      expect(columns(db, 'sending_orders')).toEqual([
        'sending_id',
        'order_id',
        'reference',
        'order_date',
        'customer_email',
        'total',
        'shop_id',
        'state_id',
        'result',
        'payload',
        'http_status',
        'error_code',
        'message',
        'response',
        'attempts',
        'sent_at',
      ])
      expect(indexes(db, 'sending_orders')).toEqual({
        sending_orders_by_result: ['sending_id', 'result'],
      })
      expect(indexes(db, 'sendings')).toEqual({
        sendings_by_profile: ['profile_id', 'created_at'],
      })
    })

    it('enforces states, results, counters and foreign keys', () => {
      const db = openRaw()
      migrate(db, { toVersion: 1 })
      writeVersionOneData(db)
      expect(() => db.prepare(`UPDATE sendings SET state = 'paused' WHERE id = 7`).run()).toThrow(
        /CHECK constraint failed/,
      )
      expect(() =>
        db.prepare(`UPDATE sending_orders SET result = 'sent' WHERE order_id = 11`).run(),
      ).toThrow(/CHECK constraint failed/)
      // The counters must add up to the total.
      expect(() => db.prepare(`UPDATE sendings SET created = 2 WHERE id = 7`).run()).toThrow(
        /CHECK constraint failed/,
      )
      expect(() =>
        db.prepare(`UPDATE sending_orders SET payload = NULL WHERE order_id = 12`).run(),
      ).toThrow(/CHECK constraint failed/)
      expect(() =>
        db
          .prepare(
            `INSERT INTO sending_orders (sending_id, order_id, reference, order_date,
               customer_email, total, shop_id, state_id, result)
             VALUES (99, 1, 'X', 'd', 'e', '1', 1, 1, 'skipped')`,
          )
          .run(),
      ).toThrow(/FOREIGN KEY constraint failed/)

      // A deleted profile keeps its sendings, under its name.
      db.prepare(`DELETE FROM profiles WHERE id = 1`).run()
      expect(db.prepare(`SELECT profile_id, profile_name FROM sendings`).get()).toEqual({
        profile_id: null,
        profile_name: 'Tienda',
      })
      db.prepare(`DELETE FROM sendings WHERE id = 7`).run()
      expect(db.prepare(`SELECT count(*) AS n FROM sending_orders`).get()).toEqual({ n: 0 })
    })

    it('refuses two profiles with the same name key', () => {
      const db = openRaw()
      migrate(db, { toVersion: 1 })
      writeVersionOneData(db)
      expect(() =>
        db
          .prepare(
            `INSERT INTO profiles (name, name_key, source_settings, connectif_settings, shop_ids,
               default_state_ids, created_at, updated_at)
             VALUES ('TIENDA', 'tienda', '{}', '{}', '[]', '[]', ?, ?)`,
          )
          .run(NOW, NOW),
      ).toThrow(/UNIQUE constraint failed: profiles.name_key/)
    })
  })

  describe('2: index of pending orders by order id', () => {
    it('replaces the result index with a partial one of pending orders, by order id', () => {
      const db = openRaw()
      migrate(db, { toVersion: 1 })
      expect(migrate(db, { toVersion: 2 })).toEqual({ from: 1, to: 2 })
      expect(indexes(db, 'sending_orders')).toEqual({
        sending_orders_pending: ['sending_id', 'order_id'],
      })
      expect(
        db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'sending_orders_pending'`).get(),
      ).toEqual({ sql: expect.stringContaining(`WHERE result = 'pending'`) })
      const plan = (
        db
          .prepare(
            `EXPLAIN QUERY PLAN SELECT order_id, payload, attempts FROM sending_orders
             WHERE sending_id = 1 AND result = 'pending' AND order_id > 0
             ORDER BY order_id LIMIT 50`,
          )
          .all() as { detail: string }[]
      )
        .map((row) => row.detail)
        .join('\n')
      expect(plan).toContain('sending_orders_pending')
      expect(plan).not.toContain('TEMP B-TREE')
    })

    it('keeps the data written at version 1', () => {
      const db = openRaw()
      migrate(db, { toVersion: 1 })
      writeVersionOneData(db)
      const before = db.prepare(`SELECT * FROM sending_orders ORDER BY order_id`).all()
      migrate(db, { toVersion: 2 })
      expect(db.prepare(`SELECT * FROM sending_orders ORDER BY order_id`).all()).toEqual(before)
      expect(db.prepare(`SELECT id, total, created, pending FROM sendings`).get()).toEqual({
        id: 7,
        total: 2,
        created: 1,
        pending: 1,
      })
      expect(db.prepare(`SELECT name FROM profiles`).get()).toEqual({ name: 'Tienda' })
    })
  })

  describe('3: the Connectif account of each order', () => {
    it('adds a target column, NULL for the orders already recorded', () => {
      const db = openRaw()
      migrate(db, { toVersion: 2 })
      writeVersionOneData(db)
      const before = db.prepare(`SELECT * FROM sending_orders ORDER BY order_id`).all()
      expect(migrate(db, { toVersion: 3 })).toEqual({ from: 2, to: 3 })
      expect(db.prepare(`SELECT * FROM sending_orders ORDER BY order_id`).all()).toEqual(
        before.map((row) => ({ ...(row as object), target: null })),
      )
      db.prepare(
        `UPDATE sending_orders SET target = 'lang=es,currency=EUR' WHERE order_id = (SELECT MIN(order_id) FROM sending_orders)`,
      ).run()
      expect(
        db.prepare(`SELECT COUNT(*) AS routed FROM sending_orders WHERE target IS NOT NULL`).get(),
      ).toEqual({ routed: 1 })
    })
  })

  describe('5: automatic sending per profile', () => {
    const insertSchedule = (db: Database.Database, values: Record<string, unknown> = {}) =>
      db
        .prepare(
          `INSERT INTO schedules (profile_id, enabled, kind, every_hours, daily_time, time_zone,
             state_ids, days, trigger_workflows, create_contacts, create_products, anchor_at,
             last_slot_at, last_run_at, last_outcome, last_sending_id, last_error_code,
             last_error_message, last_error_params, created_at, updated_at)
           VALUES (@profile_id, @enabled, @kind, @every_hours, @daily_time, @time_zone,
             @state_ids, @days, 0, 1, 1, @now, NULL, @last_run_at, @last_outcome,
             @last_sending_id, @last_error_code, @last_error_message, NULL, @now, @now)`,
        )
        .run({
          profile_id: 1,
          enabled: 1,
          kind: 'every',
          every_hours: 6,
          daily_time: null,
          time_zone: null,
          state_ids: '[2]',
          days: 30,
          last_run_at: null,
          last_outcome: null,
          last_sending_id: null,
          last_error_code: null,
          last_error_message: null,
          now: NOW,
          ...values,
        })

    it('adds the schedules table and keeps the data written before', () => {
      const db = openRaw()
      migrate(db, { toVersion: 4 })
      writeVersionOneData(db)
      const before = db.prepare(`SELECT * FROM sendings`).all()
      expect(migrate(db, { toVersion: 5 })).toEqual({ from: 4, to: 5 })
      expect(tables(db)).toContain('schedules')
      expect(columns(db, 'schedules')).toEqual(
        expect.arrayContaining([
          'profile_id',
          'enabled',
          'kind',
          'every_hours',
          'daily_time',
          'time_zone',
          'state_ids',
          'days',
          'trigger_workflows',
          'create_contacts',
          'create_products',
          'anchor_at',
          'last_slot_at',
          'last_run_at',
          'last_outcome',
          'last_sending_id',
          'last_error_code',
          'last_error_message',
          'last_error_params',
        ]),
      )
      expect(db.prepare(`SELECT * FROM sendings`).all()).toEqual(before)
    })

    it('enforces the rule, the zone of a daily time, outcomes and errors', () => {
      const db = openRaw()
      migrate(db, { toVersion: 5 })
      writeVersionOneData(db)
      const fails = (values: Record<string, unknown>) =>
        expect(() => insertSchedule(db, values)).toThrow(/CHECK constraint failed/)
      fails({ every_hours: null })
      fails({ daily_time: '02:30' })
      fails({ kind: 'daily', every_hours: null, daily_time: '2:30', time_zone: 'Europe/Madrid' })
      // An enabled daily time knows its zone; a disabled one need not.
      fails({ kind: 'daily', every_hours: null, daily_time: '02:30' })
      fails({ kind: 'weekly' })
      fails({ state_ids: 'not json' })
      fails({ last_run_at: NOW, last_outcome: 'exploded' })
      fails({ last_run_at: NOW, last_outcome: 'failed_to_start' })
      fails({
        last_run_at: NOW,
        last_outcome: 'busy',
        last_error_code: 'x',
        last_error_message: 'x',
      })
      insertSchedule(db, {
        enabled: 0,
        kind: 'daily',
        every_hours: null,
        daily_time: '02:30',
        last_run_at: NOW,
        last_outcome: 'failed_to_start',
        last_error_code: 'store_host_unreachable',
        last_error_message: 'The store could not be read.',
      })
      expect(db.prepare(`SELECT kind, daily_time, time_zone FROM schedules`).get()).toEqual({
        kind: 'daily',
        daily_time: '02:30',
        time_zone: null,
      })
      // One schedule per profile.
      expect(() => insertSchedule(db)).toThrow(/UNIQUE constraint failed|PRIMARY KEY/)
    })

    it("goes with its profile, and outlives its last sending's row", () => {
      const db = openRaw()
      migrate(db, { toVersion: 5 })
      writeVersionOneData(db)
      insertSchedule(db, { last_run_at: NOW, last_outcome: 'started', last_sending_id: 7 })
      expect(() => insertSchedule(db, { profile_id: 99 })).toThrow(/FOREIGN KEY constraint failed/)
      db.prepare(`DELETE FROM sendings WHERE id = 7`).run()
      expect(db.prepare(`SELECT last_sending_id FROM schedules`).get()).toEqual({
        last_sending_id: null,
      })
      db.prepare(`DELETE FROM profiles WHERE id = 1`).run()
      expect(db.prepare(`SELECT count(*) AS n FROM schedules`).get()).toEqual({ n: 0 })
    })
  })

  describe('4: orders already sent to each Connectif account; scheduled sendings', () => {
    it('adds the account of each order and what a sending left out, keeping the rows written', () => {
      const db = openRaw()
      migrate(db, { toVersion: 3 })
      writeVersionOneData(db)
      const orders = db.prepare(`SELECT * FROM sending_orders ORDER BY order_id`).all()
      const sending = db.prepare(`SELECT * FROM sendings`).get() as object
      expect(migrate(db, { toVersion: 4 })).toEqual({ from: 3, to: 4 })
      expect(db.prepare(`SELECT * FROM sending_orders ORDER BY order_id`).all()).toEqual(
        orders.map((row) => ({ ...(row as object), account: null })),
      )
      expect(db.prepare(`SELECT * FROM sendings`).get()).toEqual({
        ...sending,
        already_sent: 0,
        origin: 'manual',
      })
      expect(() => db.prepare(`UPDATE sendings SET origin = 'cron' WHERE id = 7`).run()).toThrow(
        /CHECK constraint failed/,
      )
      expect(() => db.prepare(`UPDATE sendings SET already_sent = -1 WHERE id = 7`).run()).toThrow(
        /CHECK constraint failed/,
      )
      db.close()

      // The app reads the old sending as a manual one that left nothing out, and its order,
      // recorded without an account, is already sent to none: it is requested again (409).
      const store = HistoryStore.open(databasePath, { isProcessAlive: () => true })
      try {
        expect(store.getSending(7)).toMatchObject({ alreadySent: 0, origin: 'manual' })
        expect(store.counts(7)).toMatchObject({ total: 2, created: 1, pending: 1 })
        expect(store.alreadySent('', [11, 12]).size).toBe(0)
      } finally {
        store.close()
      }
    })

    it('indexes the sent rows by account and order id, which the already-sent lookup uses', () => {
      const db = openRaw()
      migrate(db, { toVersion: 4 })
      expect(indexes(db, 'sending_orders')).toEqual({
        sending_orders_pending: ['sending_id', 'order_id'],
        sending_orders_sent_to_account: ['account', 'order_id', 'sending_id', 'result'],
      })
      expect(
        db
          .prepare(`SELECT sql FROM sqlite_schema WHERE name = 'sending_orders_sent_to_account'`)
          .get(),
      ).toEqual({ sql: expect.stringContaining(`WHERE result IN ('created', 'already_exists')`) })
      // The lookup as order-records.ts makes it, for a page of three order ids.
      const plan = (
        db
          .prepare(
            `EXPLAIN QUERY PLAN SELECT DISTINCT order_id AS orderId FROM sending_orders
             WHERE account = ? AND result IN ('created', 'already_exists') AND sending_id <> ?
               AND order_id IN (?, ?, ?)`,
          )
          .all('account', 7, 1, 2, 3) as { detail: string }[]
      )
        .map((row) => row.detail)
        .join('\n')
      expect(plan).toContain('COVERING INDEX sending_orders_sent_to_account')
      expect(plan).not.toContain('SCAN sending_orders')
      expect(plan).not.toContain('TEMP B-TREE')
    })

    it('finds an order for its account only, whatever sending recorded it', () => {
      const store = HistoryStore.open(databasePath, { isProcessAlive: () => true })
      try {
        const profile = store.profiles.create({
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
          shopIds: [],
          languageIso: null,
          defaultStateIds: [],
        })
        const sending = store.createSending({
          profileId: profile.id,
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
          expectedTotal: 4,
          ownerPid: process.pid,
        })
        const row = (orderId: number, account: string) => ({
          orderId,
          reference: `REF${orderId}`,
          orderDate: '2025-01-02T10:00:00+01:00',
          customerEmail: 'ana@example.com',
          total: '10.00',
          shopId: 1,
          stateId: 2,
          account,
          result: 'pending' as const,
          payload: '{}',
          message: null,
        })
        store.recordOrders(
          sending.id,
          [row(1, 'a'), row(2, 'a'), row(3, 'b'), row(4, 'a')],
          { placedAt: '2025-01-02 10:00:00', orderId: 4 },
          true,
        )
        const result = (orderId: number, outcome: 'created' | 'already_exists' | 'failed') => ({
          orderId,
          result: outcome,
          httpStatus: outcome === 'created' ? 201 : outcome === 'failed' ? 400 : 409,
          errorCode: null,
          message: null,
          response: null,
          attempts: 1,
          sentAt: NOW,
        })
        store.writeResults(sending.id, [
          result(1, 'created'),
          result(2, 'already_exists'),
          result(3, 'created'),
          result(4, 'failed'),
        ])
        expect([...store.alreadySent('a', [1, 2, 3, 4, 5])].sort()).toEqual([1, 2])
        expect([...store.alreadySent('b', [1, 2, 3, 4, 5])]).toEqual([3])
        expect(store.alreadySent('a', [1, 2], sending.id).size).toBe(0)
      } finally {
        store.close()
      }
    })
  })

  describe("6: indexes for a sending's page of orders", () => {
    /** What SQLite plans for `sql` (EXPLAIN QUERY PLAN), one line per step. */
    const plan = (db: Database.Database, sql: string, ...params: unknown[]): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
        .map((row) => row.detail)
        .join('\n')

    it('adds an index per sort and one for the search, keeping the rows written', () => {
      const db = openRaw()
      migrate(db, { toVersion: 5 })
      writeVersionOneData(db)
      const before = db.prepare(`SELECT * FROM sending_orders ORDER BY order_id`).all()
      expect(migrate(db, { toVersion: 6 })).toEqual({ from: 5, to: 6 })
      expect(indexes(db, 'sending_orders')).toEqual({
        sending_orders_pending: ['sending_id', 'order_id'],
        sending_orders_sent_to_account: ['account', 'order_id', 'sending_id', 'result'],
        sending_orders_by_result: ['sending_id', 'result', 'order_id'],
        sending_orders_by_order_date: ['sending_id', 'order_date', 'order_id', 'result'],
        sending_orders_by_sent_at: ['sending_id', 'sent_at', 'order_id', 'result'],
        sending_orders_by_attempts: ['sending_id', 'attempts', 'order_id', 'result'],
        sending_orders_search: ['sending_id', 'customer_email', 'reference'],
      })
      expect(db.prepare(`SELECT * FROM sending_orders ORDER BY order_id`).all()).toEqual(before)
    })

    it('lets every sort, filtered by result or not, walk an index with no sorting', () => {
      const db = openRaw()
      migrate(db, { toVersion: 6 })
      const columns = {
        order_date: 'by_order_date',
        sent_at: 'by_sent_at',
        attempts: 'by_attempts',
      }
      for (const [column, index] of Object.entries(columns))
        for (const direction of ['ASC', 'DESC']) {
          const order = `ORDER BY ${column} ${direction}, order_id ${direction} LIMIT 50 OFFSET 5000`
          const all = plan(db, `SELECT * FROM sending_orders WHERE sending_id = 1 ${order}`)
          expect(all).toContain(`sending_orders_${index}`)
          expect(all).not.toContain('TEMP B-TREE')
          const failed = plan(
            db,
            `SELECT * FROM sending_orders WHERE sending_id = 1 AND result = 'failed' ${order}`,
          )
          expect(failed).not.toContain('TEMP B-TREE')
        }
      const byResult = plan(
        db,
        `SELECT * FROM sending_orders WHERE sending_id = 1 AND result = 'failed'
         ORDER BY order_id DESC LIMIT 50 OFFSET 5000`,
      )
      expect(byResult).toContain('sending_orders_by_result')
      expect(byResult).not.toContain('TEMP B-TREE')
      // The search reads the search index alone, never the rows with their payloads.
      expect(
        plan(
          db,
          `SELECT rowid FROM sending_orders WHERE sending_id = 1
             AND (reference LIKE ? ESCAPE '\\' OR customer_email LIKE ? ESCAPE '\\')`,
          '%ana%',
          '%ana%',
        ),
      ).toContain('COVERING INDEX sending_orders_search')
      // A timeline bucket is a range of the sent_at index, which holds the result too.
      expect(
        plan(
          db,
          `SELECT SUM(result = 'created') FROM sending_orders
           WHERE sending_id = 1 AND sent_at >= ? AND sent_at < ?`,
          '2025-03-01T10:00:00.000Z',
          '2025-03-01T10:01:00.000Z',
        ),
      ).toContain('COVERING INDEX sending_orders_by_sent_at')
    })
  })

  describe("7: Connectif imports of a sending's contacts and products", () => {
    const insertImport = (db: Database.Database, values: Record<string, unknown>): void => {
      const row = {
        sending_id: 7,
        account: 'fingerprint',
        target: 'main',
        type: 'contacts',
        part: 1,
        parts: 1,
        items: 3,
        import_id: 'abc',
        status: 'queued',
        notice_code: null,
        notice_message: null,
        created_at: NOW,
        updated_at: NOW,
        ...values,
      }
      const names = Object.keys(row)
      db.prepare(
        `INSERT INTO sending_imports (${names.join(', ')})
         VALUES (${names.map((name) => `@${name}`).join(', ')})`,
      ).run(row)
    }

    it('adds the imports and the known items, keeping the rows written', () => {
      const db = openRaw()
      migrate(db, { toVersion: 6 })
      writeVersionOneData(db)
      const before = db.prepare(`SELECT * FROM sending_orders ORDER BY order_id`).all()
      expect(migrate(db, { toVersion: 7 })).toEqual({ from: 6, to: 7 })
      expect(tables(db)).toEqual(
        expect.arrayContaining(['sending_imports', 'connectif_items', 'sending_orders']),
      )
      expect(columns(db, 'sending_imports')).toEqual([
        'id',
        'sending_id',
        'account',
        'target',
        'type',
        'part',
        'parts',
        'items',
        'import_id',
        'status',
        'total',
        'success',
        'errors',
        'error_report_url',
        'notice_code',
        'notice_message',
        'notice_params',
        'created_at',
        'updated_at',
        'finished_at',
      ])
      expect(columns(db, 'connectif_items')).toEqual(['account', 'kind', 'item', 'known_at'])
      expect(db.prepare(`SELECT * FROM sending_orders ORDER BY order_id`).all()).toEqual(before)
    })

    it('enforces types, states, one row per part, an id for what Connectif created', () => {
      const db = openRaw()
      migrate(db, { toVersion: 7 })
      writeVersionOneData(db)
      insertImport(db, {})
      // The same part of the same import twice: a resumed sending must find it, not add it.
      expect(() => insertImport(db, {})).toThrow(/UNIQUE/)
      insertImport(db, { type: 'products' })
      expect(() => insertImport(db, { type: 'coupons', part: 2, parts: 2 })).toThrow(/CHECK/)
      expect(() => insertImport(db, { status: 'done', part: 2, parts: 2 })).toThrow(/CHECK/)
      expect(() => insertImport(db, { part: 3, parts: 2 })).toThrow(/CHECK/)
      // Not created by Connectif: no id, and the notice that says why.
      expect(() => insertImport(db, { import_id: null, part: 2, parts: 2 })).toThrow(/CHECK/)
      insertImport(db, {
        import_id: null,
        status: 'not_created',
        part: 2,
        parts: 2,
        notice_code: 'imports_not_allowed',
        notice_message: 'The API key lacks the Imports permission (403).',
      })
      expect(() =>
        insertImport(db, { import_id: 'x', status: 'not_created', part: 1, target: 'es' }),
      ).toThrow(/CHECK/)
      expect(() =>
        insertImport(db, { account: 'other', notice_code: 'import_failed', notice_message: null }),
      ).toThrow(/CHECK/)
      expect(() => insertImport(db, { sending_id: 99, account: 'other' })).toThrow(/FOREIGN KEY/)
      // Gone with their sending.
      db.prepare(`DELETE FROM sendings WHERE id = 7`).run()
      expect(db.prepare(`SELECT COUNT(*) AS n FROM sending_imports`).get()).toEqual({ n: 0 })
    })

    it('knows each item of an account once, and outlives the sendings', () => {
      const db = openRaw()
      migrate(db, { toVersion: 7 })
      const remember = db.prepare(
        `INSERT INTO connectif_items (account, kind, item, known_at) VALUES (?, ?, ?, ?)`,
      )
      remember.run('a', 'contact', 'ana@example.com', NOW)
      remember.run('a', 'product', 'ana@example.com', NOW)
      remember.run('b', 'contact', 'ana@example.com', NOW)
      expect(() => remember.run('a', 'contact', 'ana@example.com', NOW)).toThrow(/UNIQUE|PRIMARY/)
      expect(() => remember.run('a', 'coupon', 'X', NOW)).toThrow(/CHECK/)
    })
  })

  describe('8: app settings, upkeep runs, sendings whose details were removed', () => {
    function insertRun(db: Database.Database, values: Record<string, unknown>): void {
      const row: Record<string, unknown> = {
        kind: 'retention',
        ran_at: NOW,
        days: 30,
        sendings: 1,
        orders: 2,
        bytes_before: 4096,
        bytes_after: 2048,
        vacuumed: 0,
        ...values,
      }
      const names = Object.keys(row)
      db.prepare(
        `INSERT INTO maintenance_runs (${names.join(', ')})
         VALUES (${names.map((name) => `@${name}`).join(', ')})`,
      ).run(row)
    }

    it('adds the settings and the runs, and a column on sendings NULL for those recorded', () => {
      const db = openRaw()
      migrate(db, { toVersion: 7 })
      writeVersionOneData(db)
      const orders = db.prepare(`SELECT * FROM sending_orders ORDER BY order_id`).all()
      expect(migrate(db, { toVersion: 8 })).toEqual({ from: 7, to: 8 })
      expect(tables(db)).toEqual(expect.arrayContaining(['app_settings', 'maintenance_runs']))
      expect(columns(db, 'app_settings')).toEqual(['key', 'value', 'updated_at'])
      expect(columns(db, 'maintenance_runs')).toEqual([
        'id',
        'kind',
        'ran_at',
        'days',
        'sendings',
        'orders',
        'bytes_before',
        'bytes_after',
        'vacuumed',
      ])
      expect(indexes(db, 'maintenance_runs')).toEqual({
        maintenance_runs_by_kind: ['kind', 'id'],
      })
      expect(columns(db, 'sendings')).toContain('details_removed_at')
      expect(db.prepare(`SELECT details_removed_at FROM sendings WHERE id = 7`).get()).toEqual({
        details_removed_at: null,
      })
      expect(db.prepare(`SELECT * FROM sending_orders ORDER BY order_id`).all()).toEqual(orders)
    })

    it('keeps one JSON value per setting, and runs with their kind and sizes', () => {
      const db = openRaw()
      migrate(db, { toVersion: 8 })
      const set = db.prepare(`INSERT INTO app_settings (key, value, updated_at) VALUES (?, ?, ?)`)
      set.run('history.retentionDays', '90', NOW)
      expect(() => set.run('history.retentionDays', '30', NOW)).toThrow(/UNIQUE|PRIMARY/)
      expect(() => set.run('other', 'not json', NOW)).toThrow(/CHECK/)
      insertRun(db, {})
      insertRun(db, { kind: 'forget', days: null, vacuumed: 1 })
      // A retention run knows its days; an erasure has none.
      expect(() => insertRun(db, { days: null })).toThrow(/CHECK/)
      expect(() => insertRun(db, { kind: 'forget' })).toThrow(/CHECK/)
      expect(() => insertRun(db, { kind: 'vacuum', days: null })).toThrow(/CHECK/)
      expect(() => insertRun(db, { days: 0 })).toThrow(/CHECK/)
      expect(() => insertRun(db, { bytes_after: -1 })).toThrow(/CHECK/)
      expect(() => insertRun(db, { vacuumed: 2 })).toThrow(/CHECK/)
      expect(db.prepare(`SELECT count(*) AS n FROM maintenance_runs`).get()).toEqual({ n: 2 })
    })
  })

  describe("9: another integration sharing a sending's Connectif budget", () => {
    it('adds the sharing columns, NULL for the sendings recorded', () => {
      const db = openRaw()
      migrate(db, { toVersion: 8 })
      writeVersionOneData(db)
      expect(migrate(db, { toVersion: 9 })).toEqual({ from: 8, to: 9 })
      expect(columns(db, 'sendings')).toEqual(
        expect.arrayContaining(['shared_since', 'shared_peak_per_minute', 'shared_peak_at']),
      )
      expect(
        db
          .prepare(
            `SELECT shared_since, shared_peak_per_minute, shared_peak_at FROM sendings WHERE id = 7`,
          )
          .get(),
      ).toEqual({ shared_since: null, shared_peak_per_minute: null, shared_peak_at: null })
      expect(() =>
        db.prepare(`UPDATE sendings SET shared_peak_per_minute = 0 WHERE id = 7`).run(),
      ).toThrow(/CHECK constraint failed/)
      db.close()

      // The app reads it as never shared, then keeps the highest rate seen and when.
      let now = Date.parse(NOW)
      const clock = { now: () => now, sleep: () => Promise.resolve() }
      const store = HistoryStore.open(databasePath, { clock, isProcessAlive: () => true })
      try {
        expect(store.getSending(7).sharing).toBeUndefined()
        expect(store.noteSharing(7, 28.4)).toBe(true)
        now += 60_000
        expect(store.noteSharing(7, 31)).toBe(true)
        now += 60_000
        expect(store.noteSharing(7, 30)).toBe(false)
        expect(store.getSending(7).sharing).toEqual({
          since: NOW,
          peakPerMinute: 31,
          peakAt: new Date(Date.parse(NOW) + 60_000).toISOString(),
        })
      } finally {
        store.close()
      }
    })
  })

  describe("10: a sending's status names", () => {
    it('adds the names, NULL for the sendings recorded, and keeps those of a new sending', () => {
      const db = openRaw()
      migrate(db, { toVersion: 9 })
      writeVersionOneData(db)
      expect(migrate(db, { toVersion: 10 })).toEqual({ from: 9, to: 10 })
      expect(columns(db, 'sendings')).toEqual(expect.arrayContaining(['state_names']))
      expect(db.prepare(`SELECT state_names FROM sendings WHERE id = 7`).get()).toEqual({
        state_names: null,
      })
      expect(() =>
        db.prepare(`UPDATE sendings SET state_names = 'not json' WHERE id = 7`).run(),
      ).toThrow(/CHECK constraint failed/)
      db.prepare(`UPDATE sendings SET state = 'completed' WHERE id = 7`).run()
      db.close()

      // The app reads a recorded sending as without names, and keeps a new one's.
      const clock = { now: () => Date.parse(NOW), sleep: () => Promise.resolve() }
      const store = HistoryStore.open(databasePath, { clock, isProcessAlive: () => true })
      try {
        expect(store.getSending(7).stateNames).toEqual([])
        const states = [
          { id: 2, name: 'Pago aceptado', color: '#32CD32' },
          { id: 5, name: 'Entregado', color: '#108510' },
        ]
        const created = store.createSending({
          profileId: 1,
          from: '2025-02-01',
          to: '2025-02-28',
          stateIds: [2, 5],
          stateNames: states,
          shopIds: [],
          mode: 'cli',
          options: {
            triggerWorkflows: false,
            createContacts: false,
            createProducts: false,
            rateLimit: 30,
          },
          expectedTotal: 0,
          ownerPid: process.pid,
        })
        expect(created.stateNames).toEqual(states)
        expect(store.getSending(created.id).stateNames).toEqual(states)
      } finally {
        store.close()
      }
    })
  })

  describe('11: contacts and products a sending created one by one; orders by reason', () => {
    it('adds the counters, 0 for the sendings recorded, and refuses a negative one', () => {
      const db = openRaw()
      migrate(db, { toVersion: 10 })
      writeVersionOneData(db)
      expect(migrate(db, { toVersion: 11 })).toEqual({ from: 10, to: 11 })
      expect(columns(db, 'sendings')).toEqual(
        expect.arrayContaining(['contacts_created', 'products_created']),
      )
      expect(
        db.prepare(`SELECT contacts_created, products_created FROM sendings WHERE id = 7`).get(),
      ).toEqual({ contacts_created: 0, products_created: 0 })
      expect(indexes(db, 'sending_orders')['sending_orders_by_reason']).toEqual([
        'sending_id',
        'result',
        'error_code',
        'http_status',
      ])
      // A sending's orders counted by reason read the index alone.
      const plan = db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT result, ${REASON_SQL} AS code, COUNT(*) FROM sending_orders
           WHERE sending_id = 7 AND result IN ('skipped', 'failed') GROUP BY result, code`,
        )
        .all() as { detail: string }[]
      expect(plan.map((step) => step.detail).join('\n')).toMatch(
        /COVERING INDEX sending_orders_by_reason/,
      )
      expect(() =>
        db.prepare(`UPDATE sendings SET contacts_created = -1 WHERE id = 7`).run(),
      ).toThrow(/CHECK constraint failed/)
      expect(() =>
        db.prepare(`UPDATE sendings SET products_created = NULL WHERE id = 7`).run(),
      ).toThrow(/NOT NULL constraint failed/)
      db.prepare(`UPDATE sendings SET state = 'completed' WHERE id = 7`).run()
      db.close()

      const clock = { now: () => Date.parse(NOW), sleep: () => Promise.resolve() }
      const store = HistoryStore.open(databasePath, { clock, isProcessAlive: () => true })
      try {
        expect(store.getSending(7).createdOneByOne).toEqual({ contacts: 0, products: 0 })
        expect(store.getSending(7).counts).toMatchObject({ total: 2, created: 1, pending: 1 })
      } finally {
        store.close()
      }
    })
  })

  it('does nothing on an up-to-date database', () => {
    const db = openRaw()
    migrate(db)
    expect(migrate(db)).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION })
  })

  it('refuses a database written by a newer app, and leaves it untouched', () => {
    const db = openRaw()
    migrate(db)
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`)
    const error = (() => {
      try {
        migrate(db)
      } catch (caught) {
        return caught
      }
      return null
    })()
    expect(error).toBeInstanceOf(HistoryError)
    expect(error).toMatchObject({ code: 'database_newer_than_app' })
    expect((error as Error).message).toContain(`schema version ${LATEST_SCHEMA_VERSION + 1}`)
    expect((error as Error).message).toContain(databasePath)
    db.close()

    expect(() => HistoryStore.open(databasePath)).toThrow(
      expect.objectContaining({ code: 'database_newer_than_app' }),
    )
    const check = openRaw()
    expect(schemaVersion(check)).toBe(LATEST_SCHEMA_VERSION + 1)
  })
})
