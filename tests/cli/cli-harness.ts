/**
 * Runs the real `purchase-sender` command line against a real MariaDB PrestaShop store and the
 * Connectif simulator. `cli(...)` calls its `main(argv, io)` in this process, with its own stdout,
 * stderr and environment (nothing process-global is changed, so concurrent tests stay apart); the
 * runs that must be a real process (Ctrl-C, kill -9, the executable itself) spawn
 * `node --import tsx main/cli/run.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { existsSync, readFileSync, watch } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { DateTime } from 'luxon'
import { afterAll, beforeAll } from 'vitest'
import { main } from '../../main/cli/index'
import { mapOrderToPurchase } from '../../main/core/purchases/order-to-purchase'
import type { OrderMapping } from '../../main/core/purchases/purchase'
import type { StoreOrder } from '../../main/core/store/store-source'
import type { ConnectifSimulator } from '../support/connectif-simulator'
import { createTestDatabase, type TestDatabase, type TestUser } from '../support/mysql-server'
import { createPrestaShopSchema } from '../support/prestashop/schema-builder'
import {
  generateStore,
  type StoreFixture,
  type StoreGeneratorOptions,
} from '../support/prestashop/store-generator'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** The executable entry, as `npm run cli` and the bin run it. */
const ENTRY = join(REPO_ROOT, 'main', 'cli', 'run.ts')

export interface CliRun {
  readonly code: number | null
  /** The signal that ended a spawned run (always null in-process). */
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

export interface CliOptions {
  readonly home: string
  readonly env?: Readonly<Record<string, string | undefined>>
}

export interface SpawnOptions extends CliOptions {
  /** Called with the child once it runs (to signal it mid-way). */
  readonly onSpawn?: (child: ChildProcess) => void
  readonly timeoutMs?: number
}

/** The environment of a run: the test's, minus anything that would leak a real configuration. */
function runEnv(options: CliOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PURCHASE_SENDER_HOME: options.home }
  delete env['NODE_OPTIONS']
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }
  return env
}

/** A stream that keeps what is written to it (not a terminal: progress is plain lines). */
class Capture extends Writable {
  text = ''

  override _write(
    chunk: Buffer | string,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8')
    callback()
  }
}

/** `purchase-sender ARGS` in this process: `main` with its own streams and environment. */
export async function runCli(args: readonly string[], options: CliOptions): Promise<CliRun> {
  const stdout = new Capture()
  const stderr = new Capture()
  const code = await main(args, { stdout, stderr, env: runEnv(options) })
  return { code, signal: null, stdout: stdout.text, stderr: stderr.text }
}

/** `purchase-sender ARGS` as a child process (`node --import tsx main/cli/run.ts ARGS`). */
export function spawnCli(args: readonly string[], options: SpawnOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
      cwd: REPO_ROOT,
      env: runEnv(options),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
    options.onSpawn?.(child)
  })
}

/** The JSON document a `--json` run printed on stdout. */
export function json<T = unknown>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T
  } catch {
    throw new Error(
      `stdout is not one JSON document (exit ${run.code}):\n${run.stdout}\n--- stderr:\n${run.stderr}`,
    )
  }
}

export async function makeHome(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'purchase-sender-cli-'))
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** The home of a test file's runs: one data directory, and the environment every run sees. */
export class CliHome {
  /** The data directory (made before the file's own set-up, removed after its tests). */
  dir = ''
  /** The variables the file's profiles name; the file's set-up fills it. */
  env: Record<string, string> = {}

  /** `purchase-sender ARGS` in this home, with its environment (in this process). */
  readonly cli = (...args: string[]): Promise<CliRun> =>
    runCli(args, { home: this.dir, env: this.env })

  /** `purchase-sender ARGS` in this home, as a child process (the real executable). */
  readonly cliSpawned = (...args: string[]): Promise<CliRun> =>
    spawnCli(args, { home: this.dir, env: this.env })

  /** `purchase-sender ARGS` with some variables changed for this run (undefined unsets one). */
  readonly cliWith = (
    changes: Readonly<Record<string, string | undefined>>,
    args: readonly string[],
  ): Promise<CliRun> => runCli(args, { home: this.dir, env: { ...this.env, ...changes } })

  /**
   * A spawned run that gets `signal` once `when` resolves (a sending stopped half-way, say): Ctrl-C
   * and kill -9 need a process of their own.
   */
  readonly cliSignalled = async (
    args: readonly string[],
    signal: NodeJS.Signals,
    when: () => Promise<void>,
  ): Promise<CliRun> => {
    let child: ChildProcess | undefined
    const running = spawnCli(args, {
      home: this.dir,
      env: this.env,
      onSpawn: (spawned) => (child = spawned),
    })
    // A run that ends first would leave `when` waiting for what can no longer happen.
    const ended = running.then((run) => {
      throw new Error(
        `the run ended (exit ${run.code}) before it could be sent ${signal}:\n${run.stderr}`,
      )
    })
    ended.catch(() => undefined)
    await Promise.race([when(), ended])
    child!.kill(signal)
    return running
  }
}

/** A home for the runs of this test file. */
export function useCliHome(): CliHome {
  const home = new CliHome()
  let made: Awaited<ReturnType<typeof makeHome>> | undefined
  beforeAll(async () => {
    made = await makeHome()
    home.dir = made.dir
  })
  afterAll(async () => {
    await made?.remove()
  })
  return home
}

/** Published by Node each time an HTTP server of this process has finished an answer. */
const ANSWERED = 'http.server.response.finish'

/**
 * Resolves once `condition` holds; throws `failure` after a minute. The conditions are on the
 * simulators' state, which changes only as they answer requests: it is checked again each time a
 * server of this process finishes an answer, not on a timer.
 */
export function until(condition: () => boolean, failure: string): Promise<void> {
  if (condition()) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const done = (error?: unknown): void => {
      unsubscribe(ANSWERED, check)
      clearTimeout(deadline)
      if (error === undefined) resolve()
      else reject(error instanceof Error ? error : new Error(String(error)))
    }
    // Called from inside the server's answer: a throwing condition must fail the wait, not it.
    const check = (): void => {
      try {
        if (condition()) done()
      } catch (error) {
        done(error)
      }
    }
    const deadline = setTimeout(() => done(new Error(failure)), 60_000)
    subscribe(ANSWERED, check)
  })
}

/**
 * Resolves once `condition` holds on the history of `home`, read as another process reads it;
 * throws `failure` after a minute. A spawned run writes the history while this waits: the
 * condition is checked again each time SQLite writes the database or its write-ahead log in the
 * home (a watch on the folder), not on a timer.
 */
export function untilHistory(
  home: string,
  condition: (db: Database.Database) => boolean,
  failure: string,
): Promise<void> {
  const file = historyFile(home)
  const names = new Set(['', '-wal'].map((suffix) => `${basename(file)}${suffix}`))
  // One connection for the whole wait: opening and closing one touches the write-ahead log,
  // which would wake the watch again and again.
  let reader: Database.Database | undefined
  const holds = (): boolean => {
    if (reader === undefined) {
      if (!existsSync(file)) return false
      reader = new Database(file, { readonly: true, fileMustExist: true })
    }
    return condition(reader)
  }
  return new Promise((resolve, reject) => {
    const watcher = watch(home)
    let settled = false
    const done = (error?: unknown): void => {
      if (settled) return
      settled = true
      watcher.close()
      clearTimeout(deadline)
      reader?.close()
      if (error === undefined) resolve()
      else reject(error instanceof Error ? error : new Error(String(error)))
    }
    const check = (): void => {
      if (settled) return
      try {
        if (holds()) done()
      } catch (error) {
        done(error)
      }
    }
    const deadline = setTimeout(() => done(new Error(failure)), 60_000)
    watcher.on('change', (_type, name) => {
      if (typeof name === 'string' && names.has(name)) check()
    })
    watcher.on('error', done)
    // Watching first, so a write between this look and the watch cannot be missed.
    check()
  })
}

/** Results of the sendings of `profile` in the history, by result (`created`, `pending`…). */
export function recordedResults(
  db: Database.Database,
  profile: string,
): Partial<Record<string, number>> {
  const rows = db
    .prepare(
      `SELECT o.result AS result, count(*) AS n FROM sending_orders o
       JOIN sendings s ON s.id = o.sending_id WHERE s.profile_name = ? GROUP BY o.result`,
    )
    .all(profile) as { result: string; n: number }[]
  return Object.fromEntries(rows.map((row) => [row.result, row.n]))
}

/**
 * Runs `run` while the simulator holds every answer `latencyMs`: a sending to be signalled
 * half-way is made slow by Connectif, not by its own rate limit, so that its resume (which keeps
 * the recorded limit) runs fast again once the simulator answers at once.
 */
export async function withLatency<T>(
  simulator: ConnectifSimulator,
  latencyMs: number,
  run: () => Promise<T>,
): Promise<T> {
  simulator.setFaults({ latencyMs })
  try {
    return await run()
  } finally {
    simulator.setFaults({ latencyMs: 0 })
  }
}

/** What `--json send` and `--json resume` print (and `--json history` lists). */
export interface SendingJson {
  sendingId: number
  state: string
  total: number
  created: number
  alreadyExisted: number
  failed: number
  skipped: number
  startedAt: string
  finishedAt: string | null
  byTarget?: Record<
    string,
    { total: number; created: number; alreadyExisted: number; failed: number; skipped: number }
  >
  /** The Connectif imports of contacts and products the sending made before sending. */
  imports?: {
    account: string
    type: 'contacts' | 'products'
    items: number
    importId: string | null
    status: string
    notice: { code: string; message: string } | null
  }[]
}

/** The lines `preview --out` wrote, one JSON document each. */
export function readJsonLines<T = unknown>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as T)
}

/** The records of a CSV report (header first), without its byte-order mark. */
export function readReport(file: string): string[] {
  return readFileSync(file, 'utf8').slice(1).trimEnd().split('\r\n')
}

/** The lines `preview --out` must write for these mappings (a profile without targets). */
export function previewLines(mappings: readonly OrderMapping[]): unknown[] {
  return mappings.map((mapping) =>
    mapping.result === 'ready'
      ? { orderId: mapping.order.orderId, result: 'ready', purchase: mapping.purchase }
      : { orderId: mapping.order.orderId, result: 'skipped', reason: mapping.reason },
  )
}

export function historyFile(home: string): string {
  return join(home, 'history.sqlite3')
}

/** Rows of a table of the history database, read without touching it (null: no database yet). */
export function historyCount(
  home: string,
  table: 'profiles' | 'sendings' | 'sending_orders',
): number | null {
  const file = historyFile(home)
  if (!existsSync(file)) return null
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
  } finally {
    db.close()
  }
}

/** Every byte SQLite keeps for the history (the database and its write-ahead log). */
export function historyBytes(home: string): string {
  return ['', '-wal', '-shm']
    .map((suffix) => `${historyFile(home)}${suffix}`)
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file).toString('latin1'))
    .join('')
}

/** A PrestaShop 8.2 store in the last months, with its edge cases (skipped orders among them). */
export interface TestStore {
  readonly db: TestDatabase
  readonly reader: TestUser
  readonly fixture: StoreFixture
  readonly range: { readonly from: string; readonly to: string }
  readonly stateIds: readonly number[]
  /** The orders the reader must give for the range and states. */
  readonly orders: readonly StoreOrder[]
  /** The same orders, mapped as the engine maps them for a profile without targets. */
  readonly mappings: readonly OrderMapping[]
  drop(): Promise<void>
}

export async function createTestStore(
  label: string,
  seed: number,
  options: Partial<Omit<StoreGeneratorOptions, 'version' | 'seed' | 'dateWindow'>> = {},
): Promise<TestStore> {
  const today = DateTime.now().setZone('Europe/Madrid')
  const range = {
    from: today.minus({ days: 120 }).toISODate() ?? '',
    to: today.minus({ days: 2 }).toISODate() ?? '',
  }
  const db = await createTestDatabase(label)
  const fixture = generateStore({
    version: '8.2.0',
    seed,
    orderCount: 40,
    ...options,
    dateWindow: range,
  })
  await createPrestaShopSchema(db.admin, { version: '8.2.0', prefix: 'ps_' })
  await fixture.load(db.admin)
  const stateIds = fixture.model.states.map((state) => state.id)
  let orders = fixture.expectedOrders({ range, stateIds })
  // Lines of products deleted from the catalogue have no product page; Connectif (and the
  // simulator) refuse a product without productDetailUrl. Such orders are moved out of the range
  // so that a send of it is clean; they are what the mapping cannot fix (see the report).
  const unsendable = orders
    .map((order) => ({ order, mapping: mapOrderToPurchase(order) }))
    .filter(
      ({ mapping }) =>
        mapping.result === 'ready' &&
        mapping.purchase.products.some((product) => product.productDetailUrl === undefined),
    )
    .map(({ order }) => order.id)
  if (unsendable.length > 0) {
    const before = DateTime.fromISO(range.from).minus({ days: 10 }).toISODate() ?? ''
    await db.admin.query('UPDATE ps_orders SET date_add = ? WHERE id_order IN (?)', [
      `${before} 12:00:00`,
      unsendable,
    ])
    orders = orders.filter((order) => !unsendable.includes(order.id))
  }
  const reader = await db.createUser({ privileges: ['SELECT'] })
  return {
    db,
    reader,
    fixture,
    range,
    stateIds,
    orders,
    mappings: orders.map((order) => mapOrderToPurchase(order)),
    drop: () => db.drop(),
  }
}

/** The flags of `profiles add`: its name, the source's flags, then the Connectif ones. */
function profileAddFlags(
  name: string,
  source: readonly string[],
  connectif: { url: string; keyEnv: string },
): string[] {
  return [
    'profiles',
    'add',
    '--name',
    name,
    ...source,
    '--connectif-key-env',
    connectif.keyEnv,
    '--connectif-url',
    connectif.url,
  ]
}

/** The flags of `profiles add` for a test store. */
export function databaseProfileFlags(
  store: TestStore,
  name: string,
  connectifUrl: string,
  env: { password: string; key: string },
): string[] {
  return profileAddFlags(
    name,
    [
      '--source',
      'database',
      '--db-host',
      store.db.host,
      '--db-port',
      String(store.db.port),
      '--db-user',
      store.reader.user,
      '--db-password-env',
      env.password,
      '--db-name',
      store.db.database,
    ],
    { url: connectifUrl, keyEnv: env.key },
  )
}

/** The flags of `profiles add` for a shop read through its Webservice. */
export function webserviceProfileFlags(
  name: string,
  url: string,
  connectifUrl: string,
  env: { wsKey: string; key: string },
): string[] {
  return profileAddFlags(
    name,
    ['--source', 'webservice', '--ws-url', url, '--ws-key-env', env.wsKey],
    {
      url: connectifUrl,
      keyEnv: env.key,
    },
  )
}

/** `--from`, `--to` and `--statuses` for the whole test store. */
export function rangeFlags(store: TestStore): string[] {
  return [
    '--from',
    store.range.from,
    '--to',
    store.range.to,
    '--statuses',
    store.stateIds.join(','),
  ]
}

/** `send --profile NAME` over the whole test store, at `rateLimit` requests a minute if given. */
export function sendArgs(store: TestStore, profile: string, rateLimit?: number): string[] {
  const rate = rateLimit === undefined ? [] : ['--rate-limit', String(rateLimit)]
  return ['send', '--profile', profile, ...rangeFlags(store), ...rate]
}

/** `preview --profile NAME` over the whole test store, its lines written to `out` if given. */
export function previewArgs(store: TestStore, profile: string, out?: string): string[] {
  return ['preview', '--profile', profile, ...rangeFlags(store), ...(out ? ['--out', out] : [])]
}
