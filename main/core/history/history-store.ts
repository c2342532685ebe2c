/**
 * The local history database: profiles, sendings and one row per order of a sending. Every SQL
 * statement of the history lives in this file.
 *
 * better-sqlite3 is synchronous, and so is every method here: a transaction is a plain function
 * call that cannot be interleaved with other work on this connection, which is what keeps the
 * counters on the `sendings` row equal to the rows they count. Never make a transaction body
 * async: better-sqlite3 would commit at the first `await`, with the rest running outside it.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { z } from 'zod'
import { systemClock, type Clock } from '../clock'
import { ensureDataDirectory } from './data-directory'
import {
  HistoryError,
  type NewOrderRow,
  type NewSending,
  type OrderResultUpdate,
  type PendingOrder,
  type Profile,
  type ProfileInput,
  type ReportRow,
  type SendingCounts,
  type SendingRecord,
  type SendingState,
} from './history-types'
import { migrate } from './migrations'
import { findTargetProblems } from '../sending/connectif-routing'

/** A running sending whose heartbeat is older than this is taken for a crashed one. */
export const DEFAULT_STALE_AFTER_MS = 120_000
/** How often a runner should call `heartbeat`: well inside the staleness limit. */
export const HEARTBEAT_INTERVAL_MS = 15_000

export type FinalSendingState = Exclude<SendingState, 'queued' | 'running'>

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

// ---------------------------------------------------------------------------------------------
// Profiles: validation. A profile never holds a secret, only the names of environment variables
// that hold them (the desktop app keeps its secrets with safeStorage, outside this database).

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/

const environmentVariableName = z
  .string()
  .trim()
  .regex(ENV_NAME, {
    message:
      'must be the name of an environment variable (letters, digits and "_", not starting ' +
      'with a digit); profiles never store the secret itself',
  })
  .refine((name) => !looksLikeSecret(name), {
    message:
      'looks like a key rather than the name of an environment variable; put the key in an ' +
      'environment variable and give its name here',
  })

/** A PrestaShop Webservice key is 32 characters of A-Z and 0-9; long digit-laden names likewise. */
function looksLikeSecret(name: string): boolean {
  return (
    /^[A-Z0-9]{32}$/.test(name) ||
    (name.length >= 24 && !name.includes('_') && /[0-9]/.test(name) && /[A-Za-z]/.test(name))
  )
}

const httpUrl = (what: string) =>
  z
    .string()
    .trim()
    .superRefine((text, context) => {
      let url: URL
      try {
        url = new URL(text)
      } catch {
        context.addIssue({ code: 'custom', message: `${what} is not a valid URL: "${text}"` })
        return
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        context.addIssue({ code: 'custom', message: `${what} must start with https:// or http://` })
      // A Webservice key is accepted as the URL's user name or as ?ws_key=: both would store it.
      if (url.username !== '' || url.password !== '')
        context.addIssue({
          code: 'custom',
          message: `${what} must not contain a user name or password; name an environment variable for the key instead`,
        })
      for (const parameter of url.searchParams.keys())
        if (/key|token|secret|pass/i.test(parameter))
          context.addIssue({
            code: 'custom',
            message: `${what} must not carry a secret in its query ("${parameter}"); name an environment variable for it instead`,
          })
    })

const positiveIds = z
  .array(z.number().int().positive())
  .max(10_000)
  .transform((ids) => [...new Set(ids)].sort((a, b) => a - b))

const strict = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}: ` +
          'a profile holds settings and names of environment variables only, never a password or key'
        : undefined,
  })

export const profileInputSchema = strict({
  name: z
    .string()
    .trim()
    .min(1, { message: 'must not be empty' })
    .max(100, { message: 'must be at most 100 characters' })
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u001f\u007f]*$/, { message: 'must not contain control characters' }),
  source: z.discriminatedUnion('kind', [
    strict({
      kind: z.literal('database'),
      host: z.string().trim().min(1, { message: 'must not be empty' }).max(255),
      port: z.number().int().min(1).max(65_535),
      user: z.string().min(1, { message: 'must not be empty' }).max(255),
      database: z.string().min(1, { message: 'must not be empty' }).max(255),
      tablePrefix: z
        .string()
        .regex(/^[A-Za-z0-9_]{0,64}$/, { message: 'may hold only letters, digits and "_"' }),
      ssl: z.boolean(),
      passwordEnv: environmentVariableName.nullable(),
    }),
    strict({
      kind: z.literal('webservice'),
      url: httpUrl('The Webservice URL'),
      keyEnv: environmentVariableName.nullable(),
    }),
  ]),
  connectif: strict({
    apiUrl: httpUrl('The Connectif API URL'),
    keyEnv: environmentVariableName.nullable(),
    mainAccount: z.boolean().default(true),
    targets: z
      .array(
        strict({
          id: z
            .string()
            .trim()
            .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, {
              message: 'must be lower-case letters, digits and "-"',
            }),
          apiUrl: httpUrl('The Connectif API URL of a target'),
          keyEnv: environmentVariableName.nullable(),
          languages: z
            .array(z.string().trim().toLowerCase())
            .max(100)
            .transform((codes) => [...new Set(codes)].sort()),
          currencies: z
            .array(z.string().trim().toUpperCase())
            .max(100)
            .transform((codes) => [...new Set(codes)].sort()),
          shopIds: positiveIds,
        }),
      )
      .max(50)
      .default([]),
  }).superRefine((connectif, context) => {
    for (const problem of findTargetProblems(connectif.targets, connectif.mainAccount))
      context.addIssue({
        code: 'custom',
        path: ['targets'],
        message: problem.message,
        params: { targets: problem.targets },
      })
    if (!connectif.mainAccount && connectif.targets.length === 0)
      context.addIssue({
        code: 'custom',
        path: ['mainAccount'],
        message:
          'is needed when the profile has no targets: without it no order would have an account to go to',
      })
  }),
  shopIds: positiveIds,
  languageIso: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}([-_][A-Za-z0-9]{2,8})?$/, {
      message: 'must be a language ISO code such as "es" or "es-ES"',
    })
    .nullable(),
  defaultStateIds: positiveIds,
})

/** Why a profile was refused, one line per field, for people. */
export class InvalidProfileError extends Error {
  override readonly name = 'InvalidProfileError'
  readonly code = 'invalid_profile'
  constructor(
    readonly issues: readonly string[],
    /** The same problems with the field they are on and, for targets, the targets (from 0) concerned. */
    readonly details: readonly ProfileIssue[] = [],
  ) {
    super(`Invalid profile: ${issues.join('; ')}.`)
  }
}

export interface ProfileIssue {
  /** Dotted path of the field, e.g. `connectif.targets.1.languages`; '' for the whole profile. */
  readonly path: string
  readonly message: string
  /** Positions of the routing targets the problem is about, when it is about targets. */
  readonly targets?: readonly number[]
}

/** Validates and normalises a profile (trimmed strings, sorted unique ids). */
export function parseProfileInput(input: unknown): ProfileInput {
  const parsed = profileInputSchema.safeParse(input)
  if (parsed.success) return parsed.data
  const details = parsed.error.issues.map((issue): ProfileIssue => {
    const path = issue.path.join('.')
    const targetIndex =
      issue.path[0] === 'connectif' &&
      issue.path[1] === 'targets' &&
      typeof issue.path[2] === 'number'
        ? [issue.path[2]]
        : undefined
    const listed =
      issue.code === 'custom' ? (issue.params?.targets as number[] | undefined) : undefined
    const targets = listed ?? targetIndex
    return { path, message: issue.message, ...(targets ? { targets } : {}) }
  })
  throw new InvalidProfileError(
    details.map((detail) => `${detail.path === '' ? 'profile' : detail.path} ${detail.message}`),
    details,
  )
}

function nameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase()
}

// ---------------------------------------------------------------------------------------------
// Rows as SQLite returns them.

interface ProfileRow {
  id: number
  name: string
  source_settings: string
  connectif_settings: string
  shop_ids: string
  language_iso: string | null
  default_state_ids: string
  created_at: string
  updated_at: string
}

interface SendingRow {
  id: number
  profile_id: number | null
  profile_name: string
  range_from: string
  range_to: string
  state_ids: string
  shop_ids: string
  mode: SendingRecord['mode']
  options: string
  state: SendingState
  expected_total: number
  total: number
  created: number
  already_existed: number
  failed: number
  skipped: number
  pending: number
  read_complete: 0 | 1
  cursor_placed_at: string | null
  cursor_order_id: number | null
  owner_pid: number | null
  heartbeat_at: string | null
  fatal_error_code: string | null
  fatal_error_message: string | null
  created_at: string
  started_at: string | null
  finished_at: string | null
}

interface CountsRow {
  total: number
  created: number
  already_existed: number
  failed: number
  skipped: number
  pending: number
}

interface ReportDbRow {
  order_id: number
  reference: string
  order_date: string
  customer_email: string
  total: string
  result: ReportRow['result']
  http_status: number | null
  error_code: string | null
  message: string | null
  response: string | null
  attempts: number
  sent_at: string | null
  target: string | null
}

/** Orders recorded before routing existed all went to the profile's one account. */
const MAIN_TARGET = 'main'
const LIVE_STATES = `('queued', 'running')`
const REPORT_COLUMNS_SQL = `order_id, reference, order_date, customer_email, total, result,
  http_status, error_code, message, response, attempts, sent_at, target`
/** Rows per report query: a report never holds the connection between rows (see reportRows). */
const REPORT_PAGE_SIZE = 500
const FINAL_STATES: ReadonlySet<string> = new Set<FinalSendingState>([
  'completed',
  'completed_with_errors',
  'failed',
  'cancelled',
  'interrupted',
])

function prepareStatements(db: Database.Database) {
  return {
    // Profiles
    insertProfile: db.prepare<
      {
        name: string
        nameKey: string
        source: string
        connectif: string
        shopIds: string
        languageIso: string | null
        defaultStateIds: string
        now: string
      },
      ProfileRow
    >(
      `INSERT INTO profiles (name, name_key, source_settings, connectif_settings, shop_ids,
         language_iso, default_state_ids, created_at, updated_at)
       VALUES (@name, @nameKey, @source, @connectif, @shopIds, @languageIso, @defaultStateIds,
         @now, @now)
       RETURNING *`,
    ),
    updateProfile: db.prepare<
      {
        id: number
        name: string
        nameKey: string
        source: string
        connectif: string
        shopIds: string
        languageIso: string | null
        defaultStateIds: string
        now: string
      },
      ProfileRow
    >(
      `UPDATE profiles SET name = @name, name_key = @nameKey, source_settings = @source,
         connectif_settings = @connectif, shop_ids = @shopIds, language_iso = @languageIso,
         default_state_ids = @defaultStateIds, updated_at = @now
       WHERE id = @id
       RETURNING *`,
    ),
    profileById: db.prepare<[number], ProfileRow>(`SELECT * FROM profiles WHERE id = ?`),
    profileByKey: db.prepare<[string], ProfileRow>(`SELECT * FROM profiles WHERE name_key = ?`),
    listProfiles: db.prepare<[], ProfileRow>(`SELECT * FROM profiles ORDER BY name_key, id`),
    deleteProfile: db.prepare<[number]>(`DELETE FROM profiles WHERE id = ?`),

    // Sendings
    liveSendings: db.prepare<[], SendingRow>(
      `SELECT * FROM sendings WHERE state IN ${LIVE_STATES} ORDER BY id`,
    ),
    liveSendingsOfProfile: db.prepare<[number], SendingRow>(
      `SELECT * FROM sendings WHERE profile_id = ? AND state IN ${LIVE_STATES} ORDER BY id`,
    ),
    interrupt: db.prepare<{ id: number; finishedAt: string; code: string; message: string }>(
      `UPDATE sendings SET state = 'interrupted', finished_at = @finishedAt,
         fatal_error_code = @code, fatal_error_message = @message
       WHERE id = @id AND state IN ${LIVE_STATES}`,
    ),
    insertSending: db.prepare<
      {
        profileId: number
        profileName: string
        from: string
        to: string
        stateIds: string
        shopIds: string
        mode: string
        options: string
        expectedTotal: number
        ownerPid: number
        now: string
      },
      SendingRow
    >(
      `INSERT INTO sendings (profile_id, profile_name, range_from, range_to, state_ids, shop_ids,
         mode, options, state, expected_total, owner_pid, heartbeat_at, created_at, started_at)
       VALUES (@profileId, @profileName, @from, @to, @stateIds, @shopIds, @mode, @options,
         'running', @expectedTotal, @ownerPid, @now, @now, @now)
       RETURNING *`,
    ),
    sendingById: db.prepare<[number], SendingRow>(`SELECT * FROM sendings WHERE id = ?`),
    listSendings: db.prepare<[], SendingRow>(
      `SELECT * FROM sendings ORDER BY created_at DESC, id DESC`,
    ),
    listSendingsOfProfile: db.prepare<[number], SendingRow>(
      `SELECT * FROM sendings WHERE profile_id = ? ORDER BY created_at DESC, id DESC`,
    ),
    heartbeat: db.prepare<{ id: number; now: string; ownerPid: number | null }>(
      `UPDATE sendings SET heartbeat_at = @now
       WHERE id = @id AND state IN ${LIVE_STATES} AND (@ownerPid IS NULL OR owner_pid = @ownerPid)`,
    ),
    setOwner: db.prepare<{ id: number; ownerPid: number; now: string }>(
      `UPDATE sendings SET owner_pid = @ownerPid, heartbeat_at = @now WHERE id = @id`,
    ),
    finish: db.prepare<{
      id: number
      state: string
      now: string
      code: string | null
      message: string | null
    }>(
      `UPDATE sendings SET state = @state, finished_at = @now, fatal_error_code = @code,
         fatal_error_message = @message
       WHERE id = @id`,
    ),
    reopen: db.prepare<{ id: number; ownerPid: number; now: string }>(
      `UPDATE sendings SET state = 'running', owner_pid = @ownerPid, heartbeat_at = @now,
         started_at = coalesce(started_at, @now), finished_at = NULL, fatal_error_code = NULL,
         fatal_error_message = NULL
       WHERE id = @id`,
    ),

    // Orders
    // Positional parameters on the two per-order statements: binding an object per row costs
    // more than the insert itself at tens of thousands of rows.
    countsByTarget: db.prepare<[number], { target: string | null; result: string; orders: number }>(
      `SELECT target, result, COUNT(*) AS orders FROM sending_orders
       WHERE sending_id = ? GROUP BY target, result`,
    ),
    insertOrder: db.prepare<
      [
        sendingId: number,
        orderId: number,
        reference: string,
        orderDate: string,
        customerEmail: string,
        total: string,
        shopId: number,
        stateId: number,
        result: string,
        payload: string | null,
        message: string | null,
        target: string | null,
      ]
    >(
      // Not INSERT OR IGNORE: that would also swallow CHECK and NOT NULL violations silently.
      `INSERT INTO sending_orders (sending_id, order_id, reference, order_date, customer_email,
         total, shop_id, state_id, result, payload, message, target)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (sending_id, order_id) DO NOTHING`,
    ),
    advanceRead: db.prepare<{
      id: number
      added: number
      pending: number
      skipped: number
      placedAt: string | null
      orderId: number | null
      readComplete: 0 | 1
      now: string
    }>(
      // The cursor only moves forward, so re-recording an earlier page cannot rewind the read.
      `UPDATE sendings SET
         total = total + @added, pending = pending + @pending, skipped = skipped + @skipped,
         cursor_placed_at = CASE WHEN @orderId IS NOT NULL AND (cursor_order_id IS NULL
           OR (@placedAt, @orderId) > (cursor_placed_at, cursor_order_id))
           THEN @placedAt ELSE cursor_placed_at END,
         cursor_order_id = CASE WHEN @orderId IS NOT NULL AND (cursor_order_id IS NULL
           OR (@placedAt, @orderId) > (cursor_placed_at, cursor_order_id))
           THEN @orderId ELSE cursor_order_id END,
         read_complete = max(read_complete, @readComplete),
         heartbeat_at = @now
       WHERE id = @id`,
    ),
    pendingOrders: db.prepare<[number, number, number], PendingOrder>(
      `SELECT order_id AS orderId, payload, attempts FROM sending_orders
       WHERE sending_id = ? AND result = 'pending' AND order_id > ?
       ORDER BY order_id LIMIT ?`,
    ),
    writeResult: db.prepare<
      [
        result: string,
        httpStatus: number | null,
        errorCode: string | null,
        message: string | null,
        response: string | null,
        attempts: number,
        sentAt: string,
        sendingId: number,
        orderId: number,
      ]
    >(
      // Only a pending row changes: a result, once written, is final.
      `UPDATE sending_orders SET result = ?, http_status = ?, error_code = ?, message = ?,
         response = ?, attempts = attempts + ?, sent_at = ?
       WHERE sending_id = ? AND order_id = ? AND result = 'pending'`,
    ),
    addResults: db.prepare<{
      id: number
      created: number
      alreadyExisted: number
      failed: number
      now: string
    }>(
      `UPDATE sendings SET created = created + @created,
         already_existed = already_existed + @alreadyExisted, failed = failed + @failed,
         pending = pending - (@created + @alreadyExisted + @failed), heartbeat_at = @now
       WHERE id = @id`,
    ),
    counts: db.prepare<[number], CountsRow>(
      `SELECT total, created, already_existed, failed, skipped, pending
       FROM sendings WHERE id = ?`,
    ),
    resetFailed: db.prepare<[number]>(
      `UPDATE sending_orders SET result = 'pending', http_status = NULL, error_code = NULL,
         message = NULL, response = NULL, sent_at = NULL
       WHERE sending_id = ? AND result = 'failed'`,
    ),
    moveFailedToPending: db.prepare<{ id: number; count: number }>(
      `UPDATE sendings SET failed = failed - @count, pending = pending + @count WHERE id = @id`,
    ),

    // Reports
    reportPageAll: db.prepare<[number, number, number], ReportDbRow>(
      `SELECT ${REPORT_COLUMNS_SQL} FROM sending_orders
       WHERE sending_id = ? AND order_id > ? ORDER BY order_id LIMIT ?`,
    ),
    reportPageNotCreated: db.prepare<[number, number, number], ReportDbRow>(
      `SELECT ${REPORT_COLUMNS_SQL} FROM sending_orders
       WHERE sending_id = ? AND order_id > ? AND result <> 'created' ORDER BY order_id LIMIT ?`,
    ),
  }
}

type Statements = ReturnType<typeof prepareStatements>

export class HistoryStore {
  readonly #db: Database.Database
  readonly #sql: Statements
  readonly #clock: Clock
  readonly #isProcessAlive: (pid: number) => boolean
  readonly #staleAfterMs: number

  /**
   * Opens (creating when missing) the history database at `path` and brings its schema up to
   * date. Throws HistoryError 'database_newer_than_app' for a database of a newer app.
   */
  static open(databasePath: string, options: HistoryStoreOptions = {}): HistoryStore {
    const inMemory = databasePath === ':memory:'
    if (!inMemory) ensureDataDirectory(path.dirname(databasePath))
    let db: Database.Database
    try {
      db = new Database(databasePath)
    } catch (error) {
      throw openError(databasePath, error)
    }
    try {
      // First, so that the pragmas and migrations below wait for another process's lock.
      db.pragma('busy_timeout = 5000')
      const journalMode = db.pragma('journal_mode = WAL', { simple: true })
      if (!inMemory && journalMode !== 'wal')
        throw new Error(`SQLite kept the journal mode "${String(journalMode)}" instead of WAL`)
      // With WAL, NORMAL loses at most the last commits on a power cut, never consistency; a
      // lost result is re-sent on resume and Connectif answers 409, which counts as done.
      db.pragma('synchronous = NORMAL')
      db.pragma('foreign_keys = ON')
      migrate(db)
      return new HistoryStore(db, options)
    } catch (error) {
      db.close()
      throw error instanceof HistoryError ? error : openError(databasePath, error)
    }
  }

  private constructor(db: Database.Database, options: HistoryStoreOptions) {
    this.#db = db
    this.#sql = prepareStatements(db)
    this.#clock = options.clock ?? systemClock
    this.#isProcessAlive = options.isProcessAlive ?? isProcessAlive
    this.#staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS
  }

  close(): void {
    if (this.#db.open) this.#db.close()
  }

  // --- Profiles --------------------------------------------------------------------------------

  /** Throws InvalidProfileError, or HistoryError 'profile_exists' (names compare ignoring case). */
  createProfile(input: ProfileInput): Profile {
    const profile = parseProfileInput(input)
    return this.#immediate(() => {
      this.#refuseTakenName(profile.name, null)
      return toProfile(this.#sql.insertProfile.get(this.#profileParams(profile))!)
    })
  }

  /** Replaces every setting of the profile; its sendings keep the name they were made under. */
  updateProfile(id: number, input: ProfileInput): Profile {
    const profile = parseProfileInput(input)
    return this.#immediate(() => {
      this.#requireProfile(id)
      this.#refuseTakenName(profile.name, id)
      return toProfile(this.#sql.updateProfile.get({ id, ...this.#profileParams(profile) })!)
    })
  }

  /** HistoryError 'profile_not_found' when there is none. */
  getProfile(id: number): Profile {
    return toProfile(this.#requireProfile(id))
  }

  /** Case-insensitive, as names are unique. */
  findProfileByName(name: string): Profile | null {
    const row = this.#sql.profileByKey.get(nameKey(name))
    return row === undefined ? null : toProfile(row)
  }

  listProfiles(): Profile[] {
    return this.#sql.listProfiles.all().map(toProfile)
  }

  /** Its sendings stay in the history under the profile's name. Refused while one runs. */
  deleteProfile(id: number): void {
    this.#immediate(() => {
      const profile = this.#requireProfile(id)
      const running = this.#liveAfterSweep(this.#sql.liveSendingsOfProfile.all(id))[0]
      if (running !== undefined)
        throw new HistoryError(
          'sending_in_progress',
          `Profile "${profile.name}" cannot be removed while ${describeRunning(running)}.`,
        )
      this.#sql.deleteProfile.run(id)
    })
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
      const profile = this.#requireProfile(input.profileId)
      const running = this.#liveAfterSweep(this.#sql.liveSendingsOfProfile.all(profile.id))[0]
      if (running !== undefined)
        throw new HistoryError(
          'sending_in_progress',
          `Profile "${profile.name}" already has ${describeRunning(running)}. Wait for it to ` +
            `finish or cancel it before starting another.`,
        )
      const row = this.#sql.insertSending.get({
        profileId: profile.id,
        profileName: profile.name,
        from: input.from,
        to: input.to,
        stateIds: JSON.stringify(input.stateIds),
        shopIds: JSON.stringify(input.shopIds),
        mode: input.mode,
        options: JSON.stringify(input.options),
        expectedTotal: input.expectedTotal,
        ownerPid: input.ownerPid,
        now: this.#now(),
      })!
      return toSending(row)
    })
  }

  /** HistoryError 'sending_not_found' when there is none. */
  getSending(id: number): SendingRecord {
    return toSending(this.#requireSending(id))
  }

  findSending(id: number): SendingRecord | null {
    const row = this.#sql.sendingById.get(id)
    return row === undefined ? null : toSending(row)
  }

  /** Newest first. Call markInterrupted() first so crashed sendings do not show as running. */
  listSendings(filter: { readonly profileId?: number } = {}): SendingRecord[] {
    const rows =
      filter.profileId === undefined
        ? this.#sql.listSendings.all()
        : this.#sql.listSendingsOfProfile.all(filter.profileId)
    return rows.map(toSending)
  }

  /**
   * Says the owner is still at work. Returns false when the sending is no longer queued or
   * running (or, given `ownerPid`, is no longer owned by it): the runner should then stop, as
   * another process has declared it interrupted or taken it over.
   */
  heartbeat(id: number, ownerPid?: number): boolean {
    return (
      this.#sql.heartbeat.run({ id, now: this.#now(), ownerPid: ownerPid ?? null }).changes === 1
    )
  }

  setOwner(id: number, ownerPid: number): void {
    if (this.#sql.setOwner.run({ id, ownerPid, now: this.#now() }).changes === 0) throw notFound(id)
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
    if (!FINAL_STATES.has(state))
      throw new RangeError(`"${state}" is not a state a sending can finish in.`)
    return this.#immediate(() => {
      const row = this.#requireSending(id)
      if (
        (state === 'completed' || state === 'completed_with_errors') &&
        (row.pending > 0 || row.read_complete === 0)
      )
        throw new Error(
          `Sending #${id} cannot be ${state}: ${
            row.read_complete === 0
              ? 'the store was not read to the end'
              : `${row.pending} orders are still pending`
          }.`,
        )
      this.#sql.finish.run({
        id,
        state,
        now: this.#now(),
        code: fatalError?.code ?? null,
        message: fatalError?.message ?? null,
      })
      return toSending(this.#sql.sendingById.get(id)!)
    })
  }

  /**
   * Marks as `interrupted` every queued or running sending whose process has gone or has stopped
   * its heartbeat, and returns their ids. Call at start-up and before listing the history.
   */
  markInterrupted(): number[] {
    return this.#immediate(() => {
      const before = this.#sql.liveSendings.all()
      const alive = new Set(this.#liveAfterSweep(before).map((row) => row.id))
      return before.filter((row) => !alive.has(row.id)).map((row) => row.id)
    })
  }

  /**
   * Takes an interrupted sending (or a cancelled or failed one with orders left) back to
   * `running` under `ownerPid`. HistoryError 'sending_not_resumable' for any other, and
   * 'sending_in_progress' when it, or another sending of its profile, is still running.
   */
  prepareResume(id: number, ownerPid: number = process.pid): SendingRecord {
    return this.#immediate(() => {
      let row = this.#requireSending(id)
      const stillRunning = this.#liveAfterSweep([row])[0]
      if (stillRunning !== undefined)
        throw new HistoryError(
          'sending_in_progress',
          `Sending #${id} cannot be resumed: it is still running (process ${stillRunning.owner_pid}, last heartbeat ${stillRunning.heartbeat_at}).`,
        )
      row = this.#sql.sendingById.get(id)!
      const workLeft = row.pending > 0 || row.read_complete === 0
      const resumable =
        row.state === 'interrupted' ||
        ((row.state === 'cancelled' || row.state === 'failed') && workLeft)
      if (!resumable)
        throw new HistoryError(
          'sending_not_resumable',
          `Sending #${id} is ${row.state}${workLeft ? '' : ' with no orders left to send'}; only an ` +
            `interrupted sending, or a cancelled or failed one with orders left, can be resumed.` +
            (row.failed > 0 ? ' To send its failed orders again, retry them instead.' : ''),
        )
      this.#refuseOtherRunning(row)
      this.#sql.reopen.run({ id, ownerPid, now: this.#now() })
      return toSending(this.#sql.sendingById.get(id)!)
    })
  }

  // --- Orders ----------------------------------------------------------------------------------

  /**
   * Records a page of orders read from the store, with the read position after it. An order
   * already recorded is left untouched, so re-reading a page after a restart is harmless.
   * Returns how many rows were new.
   */
  recordOrders(
    sendingId: number,
    rows: readonly NewOrderRow[],
    cursor: { readonly placedAt: string; readonly orderId: number } | null,
    readComplete: boolean,
  ): number {
    for (const row of rows)
      if (row.result === 'pending' && row.payload === null)
        throw new RangeError(`Order ${row.orderId} is pending but has no payload to send.`)
    return this.#immediate(() => {
      this.#requireSending(sendingId)
      let pending = 0
      let skipped = 0
      for (const row of rows) {
        const inserted = this.#sql.insertOrder.run(
          sendingId,
          row.orderId,
          row.reference,
          row.orderDate,
          row.customerEmail,
          row.total,
          row.shopId,
          row.stateId,
          row.result,
          row.payload,
          row.message,
          row.target ?? null,
        ).changes
        if (inserted === 0) continue
        if (row.result === 'pending') pending++
        else skipped++
      }
      const updated = this.#sql.advanceRead.run({
        id: sendingId,
        added: pending + skipped,
        pending,
        skipped,
        placedAt: cursor?.placedAt ?? null,
        orderId: cursor?.orderId ?? null,
        readComplete: readComplete ? 1 : 0,
        now: this.#now(),
      })
      if (updated.changes === 0) throw notFound(sendingId)
      return pending + skipped
    })
  }

  /** Pending orders in order id order, after `afterOrderId` (keyset paging). */
  pendingOrders(sendingId: number, limit: number, afterOrderId = 0): PendingOrder[] {
    return this.#sql.pendingOrders.all(sendingId, afterOrderId, limit)
  }

  /**
   * Writes Connectif's answers. Only rows still pending change (a result is final); returns how
   * many did. Counters move in the same transaction.
   */
  writeResults(sendingId: number, updates: readonly OrderResultUpdate[]): number {
    return this.#immediate(() => {
      let created = 0
      let alreadyExisted = 0
      let failed = 0
      for (const update of updates) {
        const changed = this.#sql.writeResult.run(
          update.result,
          update.httpStatus,
          update.errorCode,
          update.message,
          update.response,
          update.attempts,
          update.sentAt,
          sendingId,
          update.orderId,
        ).changes
        if (changed === 0) continue
        if (update.result === 'created') created++
        else if (update.result === 'already_exists') alreadyExisted++
        else failed++
      }
      const updated = this.#sql.addResults.run({
        id: sendingId,
        created,
        alreadyExisted,
        failed,
        now: this.#now(),
      })
      if (updated.changes === 0) throw notFound(sendingId)
      return created + alreadyExisted + failed
    })
  }

  /** Counts per Connectif account of a routed sending (`main`, a target's label, or '' for none). */
  countsByTarget(sendingId: number): { target: string; counts: SendingCounts }[] {
    const rows = this.#sql.countsByTarget.all(sendingId)
    const byTarget = new Map<string, { -readonly [K in keyof SendingCounts]: number }>()
    for (const row of rows) {
      const target = row.target ?? MAIN_TARGET
      const counts = byTarget.get(target) ?? {
        total: 0,
        created: 0,
        alreadyExisted: 0,
        failed: 0,
        skipped: 0,
        pending: 0,
      }
      counts.total += row.orders
      if (row.result === 'created') counts.created += row.orders
      else if (row.result === 'already_exists') counts.alreadyExisted += row.orders
      else if (row.result === 'failed') counts.failed += row.orders
      else if (row.result === 'skipped') counts.skipped += row.orders
      else counts.pending += row.orders
      byTarget.set(target, counts)
    }
    return [...byTarget.entries()]
      .sort(([a], [b]) => (a === MAIN_TARGET ? -1 : b === MAIN_TARGET ? 1 : a.localeCompare(b)))
      .map(([target, counts]) => ({ target, counts }))
  }

  counts(sendingId: number): SendingCounts {
    const row = this.#sql.counts.get(sendingId)
    if (row === undefined) throw notFound(sendingId)
    return toCounts(row)
  }

  /**
   * "Retry failed orders": moves the failed orders back to pending (their attempts are kept, the
   * last error is cleared) and reopens the sending as running under `ownerPid`. Returns how many
   * orders moved; with none, the sending is left as it was.
   */
  resetFailedToPending(sendingId: number, ownerPid: number = process.pid): number {
    return this.#immediate(() => {
      const row = this.#requireSending(sendingId)
      const running = this.#liveAfterSweep([row])[0]
      if (running !== undefined)
        throw new HistoryError(
          'sending_in_progress',
          `The failed orders of sending #${sendingId} cannot be retried while it runs (process ${running.owner_pid}).`,
        )
      this.#refuseOtherRunning(row)
      const moved = this.#sql.resetFailed.run(sendingId).changes
      if (moved === 0) return 0
      this.#sql.moveFailedToPending.run({ id: sendingId, count: moved })
      this.#sql.reopen.run({ id: sendingId, ownerPid, now: this.#now() })
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
    this.#requireSending(sendingId)
    return this.#reportPages(sendingId, options.all)
  }

  *#reportPages(sendingId: number, all: boolean): Generator<ReportRow, void, undefined> {
    const statement = all ? this.#sql.reportPageAll : this.#sql.reportPageNotCreated
    let after = 0
    for (;;) {
      const page = statement.all(sendingId, after, REPORT_PAGE_SIZE)
      for (const row of page) yield toReportRow(row)
      const last = page[page.length - 1]
      if (last === undefined || page.length < REPORT_PAGE_SIZE) return
      after = last.order_id
    }
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

  #profileParams(profile: ProfileInput) {
    return {
      name: profile.name,
      nameKey: nameKey(profile.name),
      source: JSON.stringify(profile.source),
      connectif: JSON.stringify(profile.connectif),
      shopIds: JSON.stringify(profile.shopIds),
      languageIso: profile.languageIso,
      defaultStateIds: JSON.stringify(profile.defaultStateIds),
      now: this.#now(),
    }
  }

  #refuseTakenName(name: string, exceptId: number | null): void {
    const existing = this.#sql.profileByKey.get(nameKey(name))
    if (existing !== undefined && existing.id !== exceptId)
      throw new HistoryError(
        'profile_exists',
        `A profile named "${existing.name}" already exists (names ignore case); choose another name.`,
      )
  }

  #requireProfile(id: number): ProfileRow {
    const row = this.#sql.profileById.get(id)
    if (row === undefined)
      throw new HistoryError('profile_not_found', `There is no profile #${id}.`)
    return row
  }

  #requireSending(id: number): SendingRow {
    const row = this.#sql.sendingById.get(id)
    if (row === undefined) throw notFound(id)
    return row
  }

  #refuseOtherRunning(row: SendingRow): void {
    if (row.profile_id === null) return
    const other = this.#liveAfterSweep(this.#sql.liveSendingsOfProfile.all(row.profile_id)).find(
      (live) => live.id !== row.id,
    )
    if (other !== undefined)
      throw new HistoryError(
        'sending_in_progress',
        `Profile "${row.profile_name}" already has ${describeRunning(other)}; wait for it to ` +
          `finish before reopening sending #${row.id}.`,
      )
  }

  /**
   * Of these queued or running sendings, marks those whose owner is gone or silent as
   * interrupted, and returns the others. Must run inside a write transaction.
   */
  #liveAfterSweep(rows: readonly SendingRow[]): SendingRow[] {
    const now = this.#clock.now()
    const alive: SendingRow[] = []
    for (const row of rows) {
      if (row.state !== 'queued' && row.state !== 'running') continue
      const heartbeat = row.heartbeat_at === null ? Number.NaN : Date.parse(row.heartbeat_at)
      const fresh = now - heartbeat < this.#staleAfterMs
      if (row.owner_pid !== null && fresh && this.#isProcessAlive(row.owner_pid)) {
        alive.push(row)
        continue
      }
      const lastSeen = row.heartbeat_at ?? row.started_at ?? row.created_at
      this.#sql.interrupt.run({
        id: row.id,
        finishedAt: lastSeen,
        code: 'owner_lost',
        message:
          `The process running this sending${row.owner_pid === null ? '' : ` (${row.owner_pid})`} ` +
          `stopped or stopped answering; last seen ${lastSeen}. Resume it to send the orders left.`,
      })
    }
    return alive
  }
}

// ---------------------------------------------------------------------------------------------

function assertNewSending(input: NewSending): void {
  const day = /^\d{4}-\d{2}-\d{2}$/
  if (!day.test(input.from) || !day.test(input.to))
    throw new RangeError(
      `A sending's range must be two YYYY-MM-DD days, not ${input.from}..${input.to}.`,
    )
  if (input.to < input.from)
    throw new RangeError(`A sending's range ends (${input.to}) before it starts (${input.from}).`)
  if (input.stateIds.length === 0) throw new RangeError('A sending needs at least one order state.')
  if (!Number.isInteger(input.ownerPid) || input.ownerPid <= 0)
    throw new RangeError(`Invalid owner process id ${input.ownerPid}.`)
}

function describeRunning(row: SendingRow): string {
  return (
    `sending #${row.id} ${row.state} since ${row.started_at ?? row.created_at}` +
    (row.owner_pid === null ? '' : ` (process ${row.owner_pid})`)
  )
}

function notFound(id: number): HistoryError {
  return new HistoryError('sending_not_found', `There is no sending #${id}.`)
}

function openError(databasePath: string, error: unknown): Error {
  return new Error(
    `Cannot open the history database ${databasePath}: ${(error as Error).message}`,
    { cause: error },
  )
}

/** Profiles saved before routing existed have neither field: one main account. */
function withRoutingDefaults(connectif: Profile['connectif']): Profile['connectif'] {
  return {
    ...connectif,
    mainAccount: connectif.mainAccount ?? true,
    targets: connectif.targets ?? [],
  }
}

function toProfile(row: ProfileRow): Profile {
  return {
    id: row.id,
    name: row.name,
    source: JSON.parse(row.source_settings) as Profile['source'],
    connectif: withRoutingDefaults(JSON.parse(row.connectif_settings) as Profile['connectif']),
    shopIds: JSON.parse(row.shop_ids) as number[],
    languageIso: row.language_iso,
    defaultStateIds: JSON.parse(row.default_state_ids) as number[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function toCounts(row: CountsRow): SendingCounts {
  return {
    total: row.total,
    created: row.created,
    alreadyExisted: row.already_existed,
    failed: row.failed,
    skipped: row.skipped,
    pending: row.pending,
  }
}

function toSending(row: SendingRow): SendingRecord {
  return {
    id: row.id,
    profileId: row.profile_id,
    profileName: row.profile_name,
    from: row.range_from,
    to: row.range_to,
    stateIds: JSON.parse(row.state_ids) as number[],
    shopIds: JSON.parse(row.shop_ids) as number[],
    mode: row.mode,
    options: JSON.parse(row.options) as SendingRecord['options'],
    state: row.state,
    expectedTotal: row.expected_total,
    counts: toCounts(row),
    readComplete: row.read_complete === 1,
    cursor:
      row.cursor_placed_at === null || row.cursor_order_id === null
        ? null
        : { placedAt: row.cursor_placed_at, orderId: row.cursor_order_id },
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    fatalError:
      row.fatal_error_code === null || row.fatal_error_message === null
        ? null
        : { code: row.fatal_error_code, message: row.fatal_error_message },
    ownerPid: row.owner_pid,
    heartbeatAt: row.heartbeat_at,
  }
}

function toReportRow(row: ReportDbRow): ReportRow {
  return {
    orderId: row.order_id,
    orderReference: row.reference,
    orderDate: row.order_date,
    customerEmail: row.customer_email,
    total: row.total,
    result: row.result,
    httpStatus: row.http_status,
    errorCode: row.error_code,
    message: row.message,
    response: row.response,
    attempts: row.attempts,
    sentAt: row.sent_at,
    target: row.target ?? '',
  }
}
