/**
 * The history's upkeep: its settings (`app_settings`), erasing one customer at their request, and
 * removing the payloads and answers of sendings older than the days kept (retention), with a
 * record of each run (`maintenance_runs`) and the bytes SQLite keeps on disk for the history (the
 * database file and its write-ahead log) before and after.
 *
 * Erasing must leave no copy of what was erased in the files: SQLite keeps old page images in the
 * WAL until a checkpoint, leaves deleted cells in the free space of pages and in free pages, and
 * keeps stale copies of moved cells in pages' unused space. So an erasure runs with
 * `secure_delete` on (freed space is zeroed), then VACUUM rebuilds the file from the live rows
 * only, and a TRUNCATE checkpoint copies the WAL into the file and empties it.
 *
 * HistoryStore decides the transactions; the bodies here that say so run inside one.
 */
import { statSync } from 'node:fs'
import type Database from 'better-sqlite3'
import type { RunningSending } from './history-types'

/** Where an erasure leaves its mark on an order that was waiting to be sent. */
export const ERASED_MESSAGE =
  "Erased at the customer's request: its e-mail, payload and answer are gone."

export type MaintenanceKind = 'retention' | 'forget'

export interface MaintenanceRun {
  readonly kind: MaintenanceKind
  /** When it ran (ISO). */
  readonly ranAt: string
  /** Retention: the days kept; null for an erasure. */
  readonly days: number | null
  /** The sendings whose rows changed. */
  readonly sendings: number
  /** The order rows that lost their details. */
  readonly orders: number
  /** The database file and its WAL, in bytes, before the run and after it. */
  readonly bytesBefore: number
  readonly bytesAfter: number
  /** Whether the file was rebuilt (VACUUM), which gives its free pages back to the disk. */
  readonly vacuumed: boolean
}

export interface ForgetOutcome {
  /** The order rows of the customer, in every sending. */
  readonly orders: number
  /** Those that were waiting to be sent, now `skipped`. */
  readonly pendingSkipped: number
  readonly sendings: number
  /** The contacts our imports had brought into Connectif accounts, forgotten with them. */
  readonly knownContacts: number
  /** False when a reader of another process kept the WAL from being emptied (rare). */
  readonly walEmptied: boolean
  readonly run: MaintenanceRun
}

export interface HistoryBytes {
  readonly database: number
  readonly wal: number
}

interface MaintenanceRunRow {
  kind: MaintenanceKind
  ran_at: string
  days: number | null
  sendings: number
  orders: number
  bytes_before: number
  bytes_after: number
  vacuumed: 0 | 1
}

/** Rows updated per transaction when removing old details: the write lock is never held long. */
const RETENTION_CHUNK = 5_000
/** Runs kept per kind: enough to see a trend, never a growing table. */
const RUNS_KEPT = 50
/**
 * A file whose free pages and freed room add up to this share of it is rebuilt after a retention
 * run. Removing a row's details frees room inside its page, which SQLite never merges nor reuses
 * for rows added later (they go at the end): only rebuilding gives it back.
 */
const VACUUM_FREE_SHARE = 0.25
/** The room freed inside pages by the retention runs since the file was last rebuilt. */
const RECLAIMABLE_SETTING = 'history.reclaimableBytes'

/** How e-mails compare: Unicode case folding (SQLite's lower() folds ASCII only). */
export function foldEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase()
}

function prepareStatements(db: Database.Database) {
  // Deterministic, so SQLite may use it freely; defined on this connection only.
  db.function('purchase_sender_fold', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? foldEmail(value) : null,
  )
  return {
    getSetting: db
      .prepare<[string], string>(`SELECT value FROM app_settings WHERE key = ?`)
      .pluck(),
    setSetting: db.prepare<{ key: string; value: string; now: string }>(
      `INSERT INTO app_settings (key, value, updated_at) VALUES (@key, @value, @now)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ),
    removeSetting: db.prepare<[string]>(`DELETE FROM app_settings WHERE key = ?`),
    // The search index (schema step 6) holds every e-mail with the row's id: scanning it reads
    // far less than the rows with their payloads.
    customerRows: db.prepare<[string], { id: number }>(
      `SELECT rowid AS id FROM sending_orders INDEXED BY sending_orders_search
       WHERE purchase_sender_fold(customer_email) = ?`,
    ),
    orderRow: db.prepare<
      [number],
      { sending_id: number; result: string; message: string | null; customer_email: string }
    >(`SELECT sending_id, result, message, customer_email FROM sending_orders WHERE rowid = ?`),
    eraseOrder: db.prepare<{ id: number; result: string; message: string | null }>(
      `UPDATE sending_orders SET customer_email = '', payload = NULL, response = NULL,
         result = @result, message = @message
       WHERE rowid = @id`,
    ),
    pendingToSkipped: db.prepare<{ id: number; count: number }>(
      `UPDATE sendings SET pending = pending - @count, skipped = skipped + @count WHERE id = @id`,
    ),
    forgetContacts: db.prepare<[string]>(
      `DELETE FROM connectif_items WHERE kind = 'contact' AND purchase_sender_fold(item) = ?`,
    ),
    oldSendings: db.prepare<[string], { id: number }>(
      `SELECT id FROM sendings
       WHERE state NOT IN ('queued', 'running') AND finished_at IS NOT NULL AND finished_at < ?
         AND (details_removed_at IS NULL OR details_removed_at < finished_at)
       ORDER BY id`,
    ),
    stillOld: db.prepare<[number, string], { id: number }>(
      `SELECT id FROM sendings
       WHERE id = ? AND state NOT IN ('queued', 'running') AND finished_at < ?`,
    ),
    chunkBytes: db
      .prepare<{ id: number; after: number; upTo: number }, number | null>(
        `SELECT sum(coalesce(length(CAST(payload AS BLOB)), 0)
           + coalesce(length(CAST(response AS BLOB)), 0))
         FROM sending_orders
         WHERE sending_id = @id AND order_id > @after AND order_id <= @upTo
           AND result <> 'pending' AND (payload IS NOT NULL OR response IS NOT NULL)`,
      )
      .pluck(),
    chunkEnd: db
      .prepare<[number, number, number], number>(
        `SELECT order_id FROM sending_orders WHERE sending_id = ? AND order_id > ?
         ORDER BY order_id LIMIT 1 OFFSET ?`,
      )
      .pluck(),
    // Pending rows keep theirs: they are sent from it (and the schema insists).
    removeDetails: db.prepare<{ id: number; after: number; upTo: number }>(
      `UPDATE sending_orders SET payload = NULL, response = NULL
       WHERE sending_id = @id AND order_id > @after AND order_id <= @upTo
         AND result <> 'pending' AND (payload IS NOT NULL OR response IS NOT NULL)`,
    ),
    markRemoved: db.prepare<{ id: number; now: string }>(
      `UPDATE sendings SET details_removed_at = @now WHERE id = @id`,
    ),
    insertRun: db.prepare<{
      kind: string
      ranAt: string
      days: number | null
      sendings: number
      orders: number
      bytesBefore: number
      bytesAfter: number
      vacuumed: 0 | 1
    }>(
      `INSERT INTO maintenance_runs (kind, ran_at, days, sendings, orders, bytes_before,
         bytes_after, vacuumed)
       VALUES (@kind, @ranAt, @days, @sendings, @orders, @bytesBefore, @bytesAfter, @vacuumed)`,
    ),
    pruneRuns: db.prepare<{ kind: string; kept: number }>(
      `DELETE FROM maintenance_runs WHERE kind = @kind AND id NOT IN
         (SELECT id FROM maintenance_runs WHERE kind = @kind ORDER BY id DESC LIMIT @kept)`,
    ),
    lastRun: db.prepare<[string], MaintenanceRunRow>(
      `SELECT * FROM maintenance_runs WHERE kind = ? ORDER BY id DESC LIMIT 1`,
    ),
  }
}

export interface HistoryMaintenanceOptions {
  /** The current time as an ISO string. */
  readonly now: () => string
  /** The current time in milliseconds. */
  readonly nowMs: () => number
  /** Runs `body` in an IMMEDIATE transaction. */
  readonly immediate: <T>(body: () => T) => T
  /** Inside a write transaction: a sending running now in any process, or null. */
  readonly anyRunning: () => RunningSending | null
}

export class HistoryMaintenance {
  readonly #db: Database.Database
  readonly #sql: ReturnType<typeof prepareStatements>
  readonly #options: HistoryMaintenanceOptions

  constructor(db: Database.Database, options: HistoryMaintenanceOptions) {
    this.#db = db
    this.#sql = prepareStatements(db)
    this.#options = options
  }

  // --- Settings --------------------------------------------------------------------------------

  /** The setting's JSON value, parsed; undefined when it was never set. */
  setting(key: string): unknown {
    const value = this.#sql.getSetting.get(key)
    return value === undefined ? undefined : (JSON.parse(value) as unknown)
  }

  /** `undefined` removes it. */
  setSetting(key: string, value: unknown): void {
    if (value === undefined) this.#sql.removeSetting.run(key)
    else this.#sql.setSetting.run({ key, value: JSON.stringify(value), now: this.#options.now() })
  }

  // --- Sizes -----------------------------------------------------------------------------------

  /** The database file and its WAL on disk (0 and 0 for a database in memory). */
  bytes(): HistoryBytes {
    if (this.#db.memory) return { database: 0, wal: 0 }
    return { database: fileSize(this.#db.name), wal: fileSize(`${this.#db.name}-wal`) }
  }

  lastRun(kind: MaintenanceKind): MaintenanceRun | null {
    const row = this.#sql.lastRun.get(kind)
    return row === undefined ? null : toRun(row)
  }

  // --- Erasing a customer ----------------------------------------------------------------------

  /**
   * Erases the customer with this e-mail (any case) from every sending: their order rows keep
   * their order id, result and counts but lose the e-mail, the payload, Connectif's answer and a
   * message that named the address; a row still waiting to be sent becomes `skipped` (it cannot
   * be sent without its payload), its sending's counters moved with it. The contacts our imports
   * brought into Connectif accounts under that address are forgotten too. Refused with
   * HistoryError 'sending_in_progress' (reason `forget`) while any sending runs: it may be
   * sending this customer's orders from memory. Then the file is rebuilt and the WAL emptied.
   */
  forget(
    email: string,
    refuse: (running: RunningSending) => Error,
  ): Omit<ForgetOutcome, 'run' | 'walEmptied'> {
    const folded = foldEmail(email)
    if (folded === '') throw new RangeError('An e-mail address is needed to erase a customer.')
    const previous = this.#db.pragma('secure_delete', { simple: true }) as number
    // Freed cells and pages are zeroed from here on, before VACUUM rebuilds the file anyway.
    this.#db.pragma('secure_delete = ON')
    try {
      return this.#options.immediate(() => {
        const running = this.#options.anyRunning()
        if (running !== null) throw refuse(running)
        // Read first, written after: a statement being read blocks writes on its connection.
        const ids = this.#sql.customerRows.all(folded).map((row) => row.id)
        const skippedBySending = new Map<number, number>()
        const sendings = new Set<number>()
        let pendingSkipped = 0
        for (const id of ids) {
          const row = this.#sql.orderRow.get(id)
          if (row === undefined) continue
          sendings.add(row.sending_id)
          const pending = row.result === 'pending'
          const address = row.customer_email.trim()
          const named =
            row.message !== null &&
            (foldEmail(row.message).includes(folded) ||
              (address !== '' && row.message.includes(address)))
          this.#sql.eraseOrder.run({
            id,
            result: pending ? 'skipped' : row.result,
            message: pending || named ? ERASED_MESSAGE : row.message,
          })
          if (pending) {
            pendingSkipped++
            skippedBySending.set(row.sending_id, (skippedBySending.get(row.sending_id) ?? 0) + 1)
          }
        }
        for (const [id, count] of skippedBySending) this.#sql.pendingToSkipped.run({ id, count })
        const knownContacts = this.#sql.forgetContacts.run(folded).changes
        return { orders: ids.length, pendingSkipped, sendings: sendings.size, knownContacts }
      })
    } finally {
      this.#db.pragma(`secure_delete = ${previous === 1 ? 'ON' : 'OFF'}`)
    }
  }

  // --- Retention -------------------------------------------------------------------------------

  /**
   * Removes the payloads and Connectif's answers of the orders of sendings finished more than
   * `days` days ago; pending rows keep theirs, and results, messages and counts stay. A chunk of
   * rows per transaction, so a sending running meanwhile is never held up for long. Returns the
   * sendings and orders changed.
   */
  removeOldDetails(days: number): { sendings: number; orders: number; bytes: number } {
    if (!Number.isInteger(days) || days < 1)
      throw new RangeError(`Details are kept for a whole number of days, not ${days}.`)
    const cutoff = new Date(this.#options.nowMs() - days * 86_400_000).toISOString()
    let sendings = 0
    let orders = 0
    let bytes = 0
    for (const { id } of this.#sql.oldSendings.all(cutoff)) {
      let changed = 0
      let after = 0
      let done = false
      while (!done) {
        done = this.#options.immediate(() => {
          // Resumed meanwhile: its rows are being sent again; a later run sees it.
          if (this.#sql.stillOld.get(id, cutoff) === undefined) return true
          const end = this.#sql.chunkEnd.get(id, after, RETENTION_CHUNK - 1)
          const upTo = end ?? Number.MAX_SAFE_INTEGER
          bytes += this.#sql.chunkBytes.get({ id, after, upTo }) ?? 0
          changed += this.#sql.removeDetails.run({ id, after, upTo }).changes
          after = upTo
          if (end !== undefined) return false
          this.#sql.markRemoved.run({ id, now: this.#options.now() })
          return true
        })
      }
      if (changed > 0) sendings++
      orders += changed
    }
    return { sendings, orders, bytes }
  }

  /**
   * Counts `freed` bytes more as freed inside pages since the last rebuild, and says whether
   * rebuilding the file is worth it now: its free pages and that room are a quarter of it or more.
   */
  reclaim(freed: number): boolean {
    const reclaimable = this.#options.immediate(() => {
      const before = this.setting(RECLAIMABLE_SETTING)
      const total = (typeof before === 'number' ? before : 0) + freed
      this.setSetting(RECLAIMABLE_SETTING, total)
      return total
    })
    const pageSize = this.#db.pragma('page_size', { simple: true }) as number
    const pages = this.#db.pragma('page_count', { simple: true }) as number
    const free = this.#db.pragma('freelist_count', { simple: true }) as number
    return pages > 0 && free * pageSize + reclaimable >= VACUUM_FREE_SHARE * pages * pageSize
  }

  /**
   * Outside any transaction: rebuilds the file from its live rows only (no free pages, no room
   * freed in pages, no stale bytes in them), which gives its free space back to the disk.
   */
  vacuum(): void {
    this.#db.exec('VACUUM')
    this.#options.immediate(() => this.setSetting(RECLAIMABLE_SETTING, undefined))
  }

  /**
   * Outside any transaction: copies the WAL into the file and truncates it to nothing. False
   * when a reader in another process kept part of it (it is emptied at a later checkpoint).
   */
  emptyWal(): boolean {
    if (this.#db.memory) return true
    const [result] = this.#db.pragma('wal_checkpoint(TRUNCATE)') as {
      busy: number
      log: number
      checkpointed: number
    }[]
    return result !== undefined && result.busy === 0
  }

  /** Records a run, keeping the last few of its kind. */
  recordRun(run: MaintenanceRun): void {
    this.#options.immediate(() => {
      this.#sql.insertRun.run({
        kind: run.kind,
        ranAt: run.ranAt,
        days: run.days,
        sendings: run.sendings,
        orders: run.orders,
        bytesBefore: run.bytesBefore,
        bytesAfter: run.bytesAfter,
        vacuumed: run.vacuumed ? 1 : 0,
      })
      this.#sql.pruneRuns.run({ kind: run.kind, kept: RUNS_KEPT })
    })
  }

  // --- Erasing and retention, whole: measured, rebuilt when needed, recorded -----------------

  /**
   * Erases a customer (`forget`), then rebuilds the file and empties its WAL so the erased bytes
   * do not survive on disk, and records the run. `refuse` makes the error for a running sending.
   */
  forgetCustomer(email: string, refuse: (running: RunningSending) => Error): ForgetOutcome {
    const ranAt = this.#options.now()
    const before = totalBytes(this.bytes())
    const erased = this.forget(email, refuse)
    this.vacuum()
    const walEmptied = this.emptyWal()
    const run: MaintenanceRun = {
      kind: 'forget',
      ranAt,
      days: null,
      sendings: erased.sendings,
      orders: erased.orders,
      bytesBefore: before,
      bytesAfter: totalBytes(this.bytes()),
      vacuumed: true,
    }
    this.recordRun(run)
    // The record itself went to the WAL just emptied: it goes too.
    this.emptyWal()
    return { ...erased, walEmptied, run }
  }

  /**
   * Retention: removes the payloads and answers of the orders of sendings finished more than
   * `days` days ago (pending rows keep theirs; results, messages and counts stay). When rows
   * changed and no sending runs, the WAL is emptied, and the file rebuilt when a quarter of it or
   * more is free room (freed by this run and the earlier ones since the last rebuild). The run is
   * recorded, with the bytes before and after.
   */
  applyRetention(days: number): MaintenanceRun {
    const ranAt = this.#options.now()
    const before = totalBytes(this.bytes())
    const { sendings, orders, bytes } = this.removeOldDetails(days)
    let vacuumed = false
    let emptied = false
    if (orders > 0) {
      const worthIt = this.reclaim(bytes)
      // Rebuilding holds the write lock for a while: never under a sending.
      if (this.#options.immediate(() => this.#options.anyRunning()) === null) {
        if (worthIt) {
          this.vacuum()
          vacuumed = true
        }
        emptied = this.emptyWal()
      }
    }
    const run: MaintenanceRun = {
      kind: 'retention',
      ranAt,
      days,
      sendings,
      orders,
      bytesBefore: before,
      bytesAfter: totalBytes(this.bytes()),
      vacuumed,
    }
    this.recordRun(run)
    // The record itself went to the WAL just emptied: it goes too.
    if (emptied) this.emptyWal()
    return run
  }
}

export function totalBytes(bytes: HistoryBytes): number {
  return bytes.database + bytes.wal
}

function fileSize(file: string): number {
  try {
    return statSync(file).size
  } catch {
    // No WAL (yet, or after a close): nothing on disk.
    return 0
  }
}

function toRun(row: MaintenanceRunRow): MaintenanceRun {
  return {
    kind: row.kind,
    ranAt: row.ran_at,
    days: row.days,
    sendings: row.sendings,
    orders: row.orders,
    bytesBefore: row.bytes_before,
    bytesAfter: row.bytes_after,
    vacuumed: row.vacuumed === 1,
  }
}
