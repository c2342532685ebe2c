/**
 * The life of a `sendings` row: created running, kept alive by its owner's heartbeat, swept to
 * `interrupted` when its owner is gone or silent, reopened for a resume or a retry, and finished.
 * Its statements and the checks around them live here; HistoryStore decides the transactions.
 *
 * The methods documented as running inside a write transaction may write (the sweep does): call
 * them only from a synchronous IMMEDIATE transaction body.
 */
import type Database from 'better-sqlite3'
import type { Clock } from '../clock'
import type { Profile } from '../profiles/profile-types'
import { toSending, type SendingRow } from './history-rows'
import {
  HistoryError,
  type NewSending,
  type RunningSending,
  type SendingRecord,
  type SendingState,
} from './history-types'

export type FinalSendingState = Exclude<SendingState, 'queued' | 'running'>

const LIVE_STATES = `('queued', 'running')`
const FINAL_STATES: ReadonlySet<string> = new Set<FinalSendingState>([
  'completed',
  'completed_with_errors',
  'failed',
  'cancelled',
  'interrupted',
])

function prepareStatements(db: Database.Database) {
  return {
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
        stateNames: string | null
        shopIds: string
        mode: string
        options: string
        expectedTotal: number
        ownerPid: number
        origin: string
        now: string
      },
      SendingRow
    >(
      `INSERT INTO sendings (profile_id, profile_name, range_from, range_to, state_ids,
         state_names, shop_ids, mode, options, state, expected_total, owner_pid, origin,
         heartbeat_at, created_at, started_at)
       VALUES (@profileId, @profileName, @from, @to, @stateIds, @stateNames, @shopIds, @mode,
         @options, 'running', @expectedTotal, @ownerPid, @origin, @now, @now, @now)
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
    noteSharing: db.prepare<{ id: number; perMinute: number; now: string }>(
      `UPDATE sendings SET shared_since = coalesce(shared_since, @now),
         shared_peak_per_minute = @perMinute, shared_peak_at = @now
       WHERE id = @id AND (shared_peak_per_minute IS NULL OR shared_peak_per_minute < @perMinute)`,
    ),
    reopen: db.prepare<{ id: number; ownerPid: number; now: string }>(
      `UPDATE sendings SET state = 'running', owner_pid = @ownerPid, heartbeat_at = @now,
         started_at = coalesce(started_at, @now), finished_at = NULL, fatal_error_code = NULL,
         fatal_error_message = NULL
       WHERE id = @id`,
    ),
  }
}

export interface SendingLifecycleOptions {
  readonly clock: Clock
  /** The current time as an ISO string. */
  readonly now: () => string
  /** Whether a process with this id exists on this machine. */
  readonly isProcessAlive: (pid: number) => boolean
  /** A running sending whose heartbeat is older than this is taken for a crashed one. */
  readonly staleAfterMs: number
}

export class SendingLifecycle {
  readonly #sql: ReturnType<typeof prepareStatements>
  readonly #options: SendingLifecycleOptions

  constructor(db: Database.Database, options: SendingLifecycleOptions) {
    this.#sql = prepareStatements(db)
    this.#options = options
  }

  /**
   * Inside a write transaction: inserts the sending as `running`, refused with HistoryError
   * 'sending_in_progress' while another sending of the profile runs in any process.
   */
  create(profile: Pick<Profile, 'id' | 'name'>, input: NewSending): SendingRecord {
    const running = this.#liveAfterSweep(this.#sql.liveSendingsOfProfile.all(profile.id))[0]
    if (running !== undefined)
      throw new HistoryError(
        'sending_in_progress',
        `Profile "${profile.name}" already has ${describeRunning(running)}. Wait for it to ` +
          `finish or cancel it before starting another.`,
        { reason: 'start', profile: profile.name, ...runningParams(running) },
      )
    const row = this.#sql.insertSending.get({
      profileId: profile.id,
      profileName: profile.name,
      from: input.from,
      to: input.to,
      stateIds: JSON.stringify(input.stateIds),
      stateNames:
        input.stateNames === undefined || input.stateNames.length === 0
          ? null
          : JSON.stringify(input.stateNames.map(({ id, name, color }) => ({ id, name, color }))),
      shopIds: JSON.stringify(input.shopIds),
      mode: input.mode,
      options: JSON.stringify(input.options),
      expectedTotal: input.expectedTotal,
      ownerPid: input.ownerPid,
      origin: input.origin ?? 'manual',
      now: this.#options.now(),
    })!
    return toSending(row)
  }

  /** The sending's row; HistoryError 'sending_not_found' when there is none. */
  require(id: number): SendingRow {
    const row = this.#sql.sendingById.get(id)
    if (row === undefined) throw sendingNotFound(id)
    return row
  }

  find(id: number): SendingRecord | null {
    const row = this.#sql.sendingById.get(id)
    return row === undefined ? null : toSending(row)
  }

  /** Newest first, of every profile or of one. */
  list(profileId: number | undefined): SendingRecord[] {
    const rows =
      profileId === undefined
        ? this.#sql.listSendings.all()
        : this.#sql.listSendingsOfProfile.all(profileId)
    return rows.map(toSending)
  }

  /** False when the sending is no longer live (or, given `ownerPid`, no longer owned by it). */
  heartbeat(id: number, ownerPid: number | null): boolean {
    return this.#sql.heartbeat.run({ id, now: this.#options.now(), ownerPid }).changes === 1
  }

  /** Keeps another consumer's rate when it is the sending's highest so far; false otherwise. */
  noteSharing(id: number, perMinute: number): boolean {
    const rate = Math.max(1, Math.round(perMinute))
    return (
      this.#sql.noteSharing.run({ id, perMinute: rate, now: this.#options.now() }).changes === 1
    )
  }

  setOwner(id: number, ownerPid: number): void {
    if (this.#sql.setOwner.run({ id, ownerPid, now: this.#options.now() }).changes === 0)
      throw sendingNotFound(id)
  }

  /**
   * Inside a write transaction: ends the sending in `state`. `completed` and
   * `completed_with_errors` require every order of the range to have been read and answered.
   */
  finish(
    id: number,
    state: FinalSendingState,
    fatalError: { readonly code: string; readonly message: string } | null | undefined,
  ): SendingRecord {
    const row = this.require(id)
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
      now: this.#options.now(),
      code: fatalError?.code ?? null,
      message: fatalError?.message ?? null,
    })
    return toSending(this.#sql.sendingById.get(id)!)
  }

  /** Inside a write transaction: sweeps every live sending; returns the ids it interrupted. */
  markInterrupted(): number[] {
    const before = this.#sql.liveSendings.all()
    const alive = new Set(this.#liveAfterSweep(before).map((row) => row.id))
    return before.filter((row) => !alive.has(row.id)).map((row) => row.id)
  }

  /**
   * Inside a write transaction: reopens a resumable sending as `running` under `ownerPid`, or
   * throws HistoryError 'sending_not_resumable' or 'sending_in_progress'.
   */
  prepareResume(id: number, ownerPid: number): SendingRecord {
    let row = this.require(id)
    const stillRunning = this.#liveAfterSweep([row])[0]
    if (stillRunning !== undefined)
      throw new HistoryError(
        'sending_in_progress',
        `Sending #${id} cannot be resumed: it is still running (process ${stillRunning.owner_pid}, last heartbeat ${stillRunning.heartbeat_at}).`,
        {
          reason: 'resume',
          sending: String(id),
          pid: String(stillRunning.owner_pid ?? ''),
          heartbeat: stillRunning.heartbeat_at ?? '',
        },
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
        {
          // `failed`: it has failed orders to retry instead; `done`: nothing is left to do.
          reason: row.failed > 0 ? 'failed' : 'done',
          sending: String(id),
          state: row.state,
          failed: String(row.failed),
          workLeft: String(workLeft),
        },
      )
    this.#refuseOtherRunning(row)
    this.reopen(id, ownerPid)
    return toSending(this.#sql.sendingById.get(id)!)
  }

  /**
   * Inside a write transaction: throws HistoryError 'sending_in_progress' unless the failed orders
   * of the sending may be retried now (neither it nor another sending of its profile runs).
   */
  assertRetryable(id: number): void {
    const row = this.require(id)
    const running = this.#liveAfterSweep([row])[0]
    if (running !== undefined)
      throw new HistoryError(
        'sending_in_progress',
        `The failed orders of sending #${id} cannot be retried while it runs (process ${running.owner_pid}).`,
        { reason: 'retry', sending: String(id), pid: String(running.owner_pid ?? '') },
      )
    this.#refuseOtherRunning(row)
  }

  /** Back to `running` under `ownerPid`, with its end and fatal error cleared. */
  reopen(id: number, ownerPid: number): void {
    this.#sql.reopen.run({ id, ownerPid, now: this.#options.now() })
  }

  /**
   * Inside a write transaction: a sending of any profile running now (a dead one is marked
   * interrupted first), described, or null. The history's upkeep waits for none to run.
   */
  anyRunning(): RunningSending | null {
    const running = this.#liveAfterSweep(this.#sql.liveSendings.all())[0]
    return running === undefined
      ? null
      : { description: describeRunning(running), params: runningParams(running) }
  }

  /**
   * Inside a write transaction: a description of the profile's sending running now, or null
   * (ProfileRepository's `runningSendingOf`).
   */
  runningSendingOf(profileId: number): RunningSending | null {
    const running = this.#liveAfterSweep(this.#sql.liveSendingsOfProfile.all(profileId))[0]
    return running === undefined
      ? null
      : { description: describeRunning(running), params: runningParams(running) }
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
        {
          reason: 'reopen',
          profile: row.profile_name,
          sending: String(row.id),
          ...runningParams(other),
        },
      )
  }

  /**
   * Of these queued or running sendings, marks those whose owner is gone or silent as
   * interrupted, and returns the others. Must run inside a write transaction.
   */
  #liveAfterSweep(rows: readonly SendingRow[]): SendingRow[] {
    const now = this.#options.clock.now()
    const alive: SendingRow[] = []
    for (const row of rows) {
      if (row.state !== 'queued' && row.state !== 'running') continue
      const heartbeat = row.heartbeat_at === null ? Number.NaN : Date.parse(row.heartbeat_at)
      const fresh = now - heartbeat < this.#options.staleAfterMs
      if (row.owner_pid !== null && fresh && this.#options.isProcessAlive(row.owner_pid)) {
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

export function assertNewSending(input: NewSending): void {
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

export function assertFinalState(state: FinalSendingState): void {
  if (!FINAL_STATES.has(state))
    throw new RangeError(`"${state}" is not a state a sending can finish in.`)
}

export function sendingNotFound(id: number): HistoryError {
  return new HistoryError('sending_not_found', `There is no sending #${id}.`, {
    sending: String(id),
  })
}

/** What `describeRunning` says, as error params. */
function runningParams(row: SendingRow): Record<string, string> {
  return {
    running: String(row.id),
    state: row.state,
    since: row.started_at ?? row.created_at,
    pid: row.owner_pid === null ? '' : String(row.owner_pid),
    origin: row.origin,
  }
}

function describeRunning(row: SendingRow): string {
  return (
    `${row.origin === 'scheduled' ? 'scheduled ' : ''}sending #${row.id} ${row.state} since ${row.started_at ?? row.created_at}` +
    (row.owner_pid === null ? '' : ` (process ${row.owner_pid})`)
  )
}
