/**
 * The local history database: the one class the rest of the app uses for it. It opens the
 * database (history-database.ts) and composes the modules that hold its statements: the life of
 * a sending (sending-lifecycle.ts), its order rows and counters (order-records.ts), its report
 * rows (report-rows.ts), the reading of its orders for its page (order-queries.ts), and the saved profiles as its `profiles` repository
 * (profile-repository.ts) and their schedules as its `schedules` (schedule-repository.ts), and its
 * upkeep: settings, erasing a customer, retention (history-maintenance.ts).
 * Every SQL statement of the history lives in this folder.
 *
 * better-sqlite3 is synchronous, and so is every method here: a transaction is a plain function
 * call that cannot be interleaved with other work on this connection, which is what keeps the
 * counters on the `sendings` row equal to the rows they count. Never make a transaction body
 * async: better-sqlite3 would commit at the first `await`, with the rest running outside it.
 * The transactions are all taken here; the modules' bodies run inside them.
 */
import type Database from 'better-sqlite3'
import { systemClock, type Clock } from '../clock'
import { openHistoryDatabase } from './history-database'
import { historyFacts, type HistoryFacts } from './history-facts'
import { toSending } from './history-rows'
import {
  HistoryError,
  type NewOrderRow,
  type NewSending,
  type OrderResultUpdate,
  type PendingOrder,
  type ReportRow,
  type RunningSending,
  type SendingCounts,
  type SendingRecord,
} from './history-types'
import {
  OrderQueries,
  type OrderDetailRow,
  type OrderPage,
  type OrderPageQuery,
  type OutcomeReason,
  type ResultTimeline,
} from './order-queries'
import {
  ImportRecords,
  type ImportRecord,
  type ImportRecordUpdate,
  type KnownItemKind,
  type NewImportRecord,
} from './import-records'
import {
  HistoryMaintenance,
  type ForgetOutcome,
  type HistoryBytes,
  type MaintenanceKind,
  type MaintenanceRun,
} from './history-maintenance'
import { assertRecordableOrders, OrderRecords } from './order-records'
import { ProfileRepository } from './profile-repository'
import { ReportRows } from './report-rows'
import { ScheduleRepository } from './schedule-repository'
import {
  assertFinalState,
  assertNewSending,
  SendingLifecycle,
  type FinalSendingState,
} from './sending-lifecycle'

export type { FinalSendingState } from './sending-lifecycle'
export type { HistoryFacts } from './history-facts'
export type {
  ForgetOutcome,
  HistoryBytes,
  MaintenanceKind,
  MaintenanceRun,
} from './history-maintenance'
export type {
  ImportNotice,
  ImportNoticeCode,
  ImportRecord,
  ImportRecordStatus,
  ImportRecordType,
  ImportRecordUpdate,
  KnownItemKind,
  NewImportRecord,
} from './import-records'
export type {
  OrderDetailRow,
  OrderListRow,
  OrderPage,
  OrderPageQuery,
  OrderSortField,
  ResultTimeline,
} from './order-queries'

/** A running sending whose heartbeat is older than this is taken for a crashed one. */
export const DEFAULT_STALE_AFTER_MS = 120_000
/** How often a runner should call `heartbeat`: well inside the staleness limit. */
export const HEARTBEAT_INTERVAL_MS = 15_000

export interface HistoryStoreOptions {
  readonly clock?: Clock
  /** Whether a process with this id exists on this machine. */
  readonly isProcessAlive?: (pid: number) => boolean
  readonly staleAfterMs?: number
}

/** Signal 0 checks a process exists without touching it; EPERM means it exists as another user. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export class HistoryStore {
  readonly #db: Database.Database
  readonly #clock: Clock
  readonly #sendings: SendingLifecycle
  readonly #orders: OrderRecords
  readonly #reports: ReportRows
  readonly #queries: OrderQueries
  readonly #imports: ImportRecords
  readonly #maintenance: HistoryMaintenance
  /** The saved store profiles, in the same database. */
  readonly profiles: ProfileRepository
  /** The profiles' schedules (automatic sending), in the same database. */
  readonly schedules: ScheduleRepository

  /**
   * Opens (creating when missing) the history database at `path` and brings its schema up to
   * date. Throws HistoryError 'database_newer_than_app' for a database of a newer app.
   */
  static open(databasePath: string, options: HistoryStoreOptions = {}): HistoryStore {
    return openHistoryDatabase(databasePath, (db) => new HistoryStore(db, options))
  }

  private constructor(db: Database.Database, options: HistoryStoreOptions) {
    this.#db = db
    this.#clock = options.clock ?? systemClock
    const now = (): string => this.#now()
    this.#sendings = new SendingLifecycle(db, {
      clock: this.#clock,
      now,
      isProcessAlive: options.isProcessAlive ?? isProcessAlive,
      staleAfterMs: options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
    })
    this.#orders = new OrderRecords(db, { now })
    this.#reports = new ReportRows(db)
    this.#queries = new OrderQueries(db)
    this.#imports = new ImportRecords(db, { now })
    this.profiles = new ProfileRepository(db, {
      now,
      runningSendingOf: (profileId) => this.#sendings.runningSendingOf(profileId),
    })
    this.schedules = new ScheduleRepository(db)
    this.#maintenance = new HistoryMaintenance(db, {
      now,
      nowMs: () => this.#clock.now(),
      immediate: (body) => this.#immediate(body),
      anyRunning: () => this.#sendings.anyRunning(),
    })
  }

  close(): void {
    if (this.#db.open) this.#db.close()
  }

  // --- Sendings --------------------------------------------------------------------------------

  /**
   * Starts a sending (state `running`). Refused with HistoryError 'sending_in_progress' while
   * another sending of the same profile runs in any process: the check and the insert share one
   * IMMEDIATE transaction, so two processes cannot both pass it.
   */
  createSending(input: NewSending): SendingRecord {
    assertNewSending(input)
    return this.#immediate(() => {
      const profile = this.profiles.get(input.profileId)
      return this.#sendings.create(profile, input)
    })
  }

  /** HistoryError 'sending_not_found' when there is none. */
  getSending(id: number): SendingRecord {
    return toSending(this.#sendings.require(id))
  }

  findSending(id: number): SendingRecord | null {
    return this.#sendings.find(id)
  }

  /** Newest first. Call markInterrupted() first so crashed sendings do not show as running. */
  listSendings(filter: { readonly profileId?: number } = {}): SendingRecord[] {
    return this.#sendings.list(filter.profileId)
  }

  /**
   * Says the owner is still at work. Returns false when the sending is no longer queued or
   * running (or, given `ownerPid`, is no longer owned by it): the runner should then stop, as
   * another process has declared it interrupted or taken it over.
   */
  heartbeat(id: number, ownerPid?: number): boolean {
    return this.#sendings.heartbeat(id, ownerPid ?? null)
  }

  setOwner(id: number, ownerPid: number): void {
    this.#sendings.setOwner(id, ownerPid)
  }

  /**
   * Another integration uses the sending's Connectif account at `perMinute` requests a minute
   * (the engine slows down for it): kept when it is the highest seen in the sending, with when,
   * and when one was first seen. Returns whether it was kept.
   */
  noteSharing(id: number, perMinute: number): boolean {
    return this.#sendings.noteSharing(id, perMinute)
  }

  /**
   * Ends a sending. `completed` and `completed_with_errors` require every order of the range to
   * have been read and answered; anything else is a bug in the runner and throws.
   */
  finishSending(
    id: number,
    state: FinalSendingState,
    fatalError?: { readonly code: string; readonly message: string } | null,
  ): SendingRecord {
    assertFinalState(state)
    return this.#immediate(() => this.#sendings.finish(id, state, fatalError))
  }

  /** The profile's sending running now in any process (a dead one is marked interrupted), or null. */
  runningSendingOf(profileId: number): RunningSending | null {
    return this.#immediate(() => this.#sendings.runningSendingOf(profileId))
  }

  /**
   * Marks as `interrupted` every queued or running sending whose process has gone or has stopped
   * its heartbeat, and returns their ids. Call at start-up and before listing the history.
   */
  markInterrupted(): number[] {
    return this.#immediate(() => this.#sendings.markInterrupted())
  }

  /**
   * Takes an interrupted sending (or a cancelled or failed one with orders left) back to
   * `running` under `ownerPid`. HistoryError 'sending_not_resumable' for any other, and
   * 'sending_in_progress' when it, or another sending of its profile, is still running.
   */
  prepareResume(id: number, ownerPid: number = process.pid): SendingRecord {
    return this.#immediate(() => this.#sendings.prepareResume(id, ownerPid))
  }

  // --- Orders ----------------------------------------------------------------------------------

  /**
   * Records a page of orders read from the store, with the read position after it, and how many
   * orders of the page were left out as already sent. An order already recorded is left
   * untouched, so re-reading a page after a restart is harmless. Returns how many rows were new.
   */
  recordOrders(
    sendingId: number,
    rows: readonly NewOrderRow[],
    cursor: { readonly placedAt: string; readonly orderId: number } | null,
    readComplete: boolean,
    alreadySent = 0,
  ): number {
    assertRecordableOrders(rows)
    return this.#immediate(() => {
      this.#sendings.require(sendingId)
      return this.#orders.record(sendingId, rows, cursor, readComplete, alreadySent)
    })
  }

  /**
   * The orders among `orderIds` already sent to a Connectif account: recorded by any sending as
   * created or already existing there, other than `exceptSendingId` (0: none). `account` is the
   * account's fingerprint (see main/core/connectif/account-key.ts).
   */
  alreadySent(account: string, orderIds: readonly number[], exceptSendingId = 0): Set<number> {
    return this.#orders.alreadySent(account, orderIds, exceptSendingId)
  }

  /** Pending orders in order id order, after `afterOrderId` (keyset paging). */
  pendingOrders(sendingId: number, limit: number, afterOrderId = 0): PendingOrder[] {
    return this.#orders.pending(sendingId, limit, afterOrderId)
  }

  /**
   * Writes Connectif's answers. Only rows still pending change (a result is final); returns how
   * many did. Counters move in the same transaction.
   */
  writeResults(sendingId: number, updates: readonly OrderResultUpdate[]): number {
    return this.#immediate(() => this.#orders.writeResults(sendingId, updates))
  }

  /** Counts per Connectif account of a routed sending (`main`, a target's label, or '' for none). */
  countsByTarget(sendingId: number): { target: string; counts: SendingCounts }[] {
    return this.#orders.countsByTarget(sendingId)
  }

  counts(sendingId: number): SendingCounts {
    return this.#orders.counts(sendingId)
  }

  /**
   * "Retry failed orders": moves the failed orders back to pending (their attempts are kept, the
   * last error is cleared) and reopens the sending as running under `ownerPid`. Returns how many
   * orders moved; with none, the sending is left as it was.
   */
  resetFailedToPending(sendingId: number, ownerPid: number = process.pid): number {
    return this.#immediate(() => {
      this.#sendings.assertRetryable(sendingId)
      const moved = this.#orders.resetFailed(sendingId)
      if (moved === 0) return 0
      this.#sendings.reopen(sendingId, ownerPid)
      return moved
    })
  }

  // --- Reports ---------------------------------------------------------------------------------

  /**
   * The report's rows in order id order: all of them, or (by default) those not `created`.
   *
   * Read in pages rather than with one open `iterate()`: better-sqlite3 refuses every write on a
   * connection while an iterator is open, and a report is consumed across awaits (stream
   * back-pressure) while a sending may be writing results through this same store.
   */
  reportRows(sendingId: number, options: { readonly all: boolean }): IterableIterator<ReportRow> {
    this.#sendings.require(sendingId)
    return this.#reports.rows(sendingId, options.all)
  }

  // --- A sending's page ------------------------------------------------------------------------

  /**
   * A page of the sending's orders (filtered by result, searched, sorted) and how many match in
   * all. HistoryError 'sending_not_found' when there is no such sending.
   */
  orderPage(sendingId: number, query: OrderPageQuery): OrderPage {
    return this.#queries.page(sendingId, query)
  }

  /** One order of the sending, with its payload and answer; null when the sending has none such. */
  orderDetail(sendingId: number, orderId: number): OrderDetailRow | null {
    this.#sendings.require(sendingId)
    return this.#queries.detail(sendingId, orderId)
  }

  /** The sending's skipped and failed orders counted by reason, most first. */
  outcomeReasons(sendingId: number): OutcomeReason[] {
    return this.#queries.reasons(sendingId)
  }

  /** The sending's answers over time, in at most ~120 buckets of a minute or more. */
  resultTimeline(sendingId: number): ResultTimeline {
    this.#sendings.require(sendingId)
    return this.#queries.timeline(sendingId)
  }

  // --- Imports of contacts and products (bulk-import.ts) ---------------------------------------

  /** Records an import of the sending: created by Connectif (with its id), or not created. */
  recordImport(sendingId: number, input: NewImportRecord): ImportRecord {
    return this.#immediate(() => {
      this.#sendings.require(sendingId)
      return this.#imports.record(sendingId, input)
    })
  }

  /** Writes what Connectif says of an import now (status, counts, a notice). */
  updateImport(importRecordId: number, change: ImportRecordUpdate): ImportRecord {
    const updated = this.#immediate(() => this.#imports.update(importRecordId, change))
    if (updated === undefined) throw new RangeError(`There is no import record ${importRecordId}.`)
    return updated
  }

  /** The sending's imports, in the order they were made; [] for a sending that made none. */
  importsOf(sendingId: number): ImportRecord[] {
    return this.#imports.ofSending(sendingId)
  }

  /** Which of `items` (lower-cased e-mails, or product ids) our imports brought into `account`. */
  knownItems(account: string, kind: KnownItemKind, items: readonly string[]): Set<string> {
    return this.#imports.known(account, kind, items)
  }

  /** `items` are in `account` now: later sendings do not import them again. */
  rememberItems(account: string, kind: KnownItemKind, items: readonly string[]): void {
    this.#immediate(() => this.#imports.remember(account, kind, items))
  }

  // --- Upkeep: settings, erasing a customer, retention (history-maintenance.ts) ----------------

  /** A setting kept in the history (its JSON value parsed); undefined when never set. */
  setting(key: string): unknown {
    return this.#maintenance.setting(key)
  }

  /** Saves a setting (any JSON value); `undefined` removes it. */
  saveSetting(key: string, value: unknown): void {
    this.#immediate(() => this.#maintenance.setSetting(key, value))
  }

  /** The bytes of the database file and of its write-ahead log now. */
  historyBytes(): HistoryBytes {
    return this.#maintenance.bytes()
  }

  /** The last retention run or erasure, or null when there was none. */
  lastMaintenanceRun(kind: MaintenanceKind): MaintenanceRun | null {
    return this.#maintenance.lastRun(kind)
  }

  /**
   * Erases a customer at their request: every order row with that e-mail (any case) keeps its
   * order id, result and counts but loses the e-mail, the payload and Connectif's answer; one
   * waiting to be sent becomes `skipped`; the contacts our imports brought in under that address
   * are forgotten. Then the file is rebuilt (VACUUM) and its WAL emptied, so the erased bytes do
   * not survive on disk. HistoryError 'sending_in_progress' (reason `forget`) while any sending
   * runs.
   */
  forgetCustomer(email: string): ForgetOutcome {
    return this.#maintenance.forgetCustomer(
      email,
      (running) =>
        new HistoryError(
          'sending_in_progress',
          `A customer cannot be erased while ${running.description}: it may be sending their orders. Wait for it to finish (or cancel it), then erase the customer again.`,
          { reason: 'forget', ...running.params },
        ),
    )
  }

  /**
   * Retention: removes the payloads and answers of the orders of sendings finished more than
   * `days` days ago (pending rows keep theirs; results, messages and counts stay), then reclaims
   * the room when no sending runs; the run is recorded with the bytes before and after.
   */
  applyRetention(days: number): MaintenanceRun {
    return this.#maintenance.applyRetention(days)
  }

  // --- Diagnostics (history-facts.ts) ----------------------------------------------------------

  /** Schema version, SQLite's version and how many profiles, sendings and orders it holds. */
  facts(): HistoryFacts {
    return historyFacts(this.#db)
  }

  // --- Internals -------------------------------------------------------------------------------

  /**
   * IMMEDIATE takes the write lock up front: a deferred transaction that reads, then writes, can
   * fail with SQLITE_BUSY at the write without waiting, when another process wrote meanwhile.
   */
  #immediate<T>(body: () => T): T {
    return this.#db.transaction(body).immediate()
  }

  #now(): string {
    return new Date(this.#clock.now()).toISOString()
  }
}
