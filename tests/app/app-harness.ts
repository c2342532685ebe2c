/**
 * The application service as the app tests drive it, built anew for each test: a real Connectif
 * (the simulator over HTTP), a real history (SQLite in a temporary folder) and the in-memory secret
 * store, called through the contract's validation as IPC and HTTP requests are. A test file gives
 * its store and accounts; everything else is here.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect } from 'vitest'
import { createAppService, type AppService } from '../../main/app/app-service'
import { dispatch } from '../../main/app/ipc-registration'
import { EnvironmentSecretStore } from '../../main/app/secret-store'
import { createConnectifClient } from '../../main/core/connectif/connectif-client'
import { resetRateLimiters } from '../../main/core/connectif/rate-limiter'
import { HistoryStore } from '../../main/core/history/history-store'
import type {
  AppErrorValue,
  ChannelName,
  ChannelRequestInput,
  ChannelResponse,
  Result,
  SendingEvent,
} from '../../preload/contract'
import {
  startConnectifSimulator,
  type ConnectifSimulator,
  type SimulatorAccountSpec,
} from '../support/connectif-simulator'
import type { TestDatabase, TestUser } from '../support/mysql-server'
import { MemorySecretStore } from './memory-secret-store'

export interface AppHarnessOptions {
  /** Names the temporary data directory (`purchase-sender-<home>-…`). */
  readonly home: string
  /** The Connectif simulator's accounts, started before each test (after the file's beforeAll). */
  readonly accounts: () => readonly SimulatorAccountSpec[]
  /** The secrets no answer of the service may contain. */
  readonly secretValues: () => readonly string[]
  /** The service must log nothing: checked after each test, once its resources are released. */
  readonly quiet?: boolean
}

export type FinishedEvent = Extract<SendingEvent, { type: 'finished' }>

export class AppHarness {
  simulator!: ConnectifSimulator
  home!: string
  history!: HistoryStore
  secrets!: MemorySecretStore
  service!: AppService
  /** What the service streamed during the test. */
  events: SendingEvent[] = []
  /** Tests waiting for an event: told of each one as it is streamed, so none has to poll. */
  readonly #waiters = new Set<(event: SendingEvent) => void>()
  /** What the service logged during the test. */
  readonly logged: unknown[] = []
  /** The file the desktop save dialog of `report:save` answers with (null: the user cancels). */
  reportTarget: string | null = null

  constructor(private readonly options: AppHarnessOptions) {}

  async open(): Promise<void> {
    resetRateLimiters()
    this.simulator = await startConnectifSimulator({ accounts: this.options.accounts() })
    this.home = await mkdtemp(join(tmpdir(), `purchase-sender-${this.options.home}-`))
    this.history = HistoryStore.open(join(this.home, 'history.sqlite3'))
    this.secrets = new MemorySecretStore()
    this.events = []
    // A waiter left by a failed test must not see this test's events.
    this.#waiters.clear()
    this.logged.length = 0
    this.service = this.createService()
  }

  async close(): Promise<void> {
    await this.service.shutdown()
    this.history.close()
    await this.simulator.close()
    await rm(this.home, { recursive: true, force: true })
    if (this.options.quiet) expect(this.logged).toEqual([])
  }

  /** A new service over the same history and secrets, as when the app starts again. */
  readonly restart = (): void => {
    this.service = this.createService()
  }

  /**
   * A service in browser mode over the same history: it refuses to keep secrets and reads the
   * variables the profiles name from `env`.
   */
  readonly browserService = (env: Readonly<Record<string, string>>): AppService =>
    createAppService({
      history: this.history,
      secrets: new EnvironmentSecretStore({
        env,
        profile: (id) => this.history.profiles.list().find((profile) => profile.id === id) ?? null,
      }),
      host: { mode: 'browser' },
    })

  /** Through the contract's validation, as IPC and HTTP requests go. */
  readonly callOn = <C extends ChannelName>(
    target: AppService,
    channel: C,
    request: ChannelRequestInput<C>,
  ): Promise<Result<ChannelResponse<C>>> =>
    dispatch(target, channel, request) as Promise<Result<ChannelResponse<C>>>

  readonly call = <C extends ChannelName>(
    channel: C,
    request: ChannelRequestInput<C>,
  ): Promise<Result<ChannelResponse<C>>> => this.callOn(this.service, channel, request)

  /**
   * `report:save` as the desktop app calls it, its dialog answering with a file in the test's
   * folder: the answer, and the CSV written there.
   */
  readonly saveReport = async (
    sendingId: number,
    all = false,
  ): Promise<
    Result<{ readonly rows: number; readonly fileName: string; readonly csv: string }>
  > => {
    this.reportTarget = join(this.home, `report-${sendingId}-${all ? 'all' : 'not-created'}.csv`)
    const result = await this.call('report:save', { sendingId, all })
    if (!result.ok) return result
    if (!result.data.saved) throw new Error('report:save answered "not saved" to a chosen file')
    return {
      ok: true,
      data: {
        rows: result.data.rows,
        fileName: this.#offeredReportName,
        csv: await readFile(result.data.path, 'utf8'),
      },
    }
  }

  #offeredReportName = ''

  readonly finished = (sendingId: number): Promise<FinishedEvent> =>
    this.#event(
      (event): event is FinishedEvent => event.type === 'finished' && event.sendingId === sendingId,
    )

  /** Resolves once a progress event of the sending counts some orders `total` (or `created`). */
  readonly firstProgress = async (
    sendingId: number,
    count: 'total' | 'created' = 'total',
  ): Promise<void> => {
    await this.#event(
      (event) =>
        event.type === 'progress' && event.sendingId === sendingId && event.counts[count] > 0,
    )
  }

  readonly noSecretIn = (value: unknown): void => {
    const json = JSON.stringify(value)
    for (const secret of this.options.secretValues()) expect(json).not.toContain(secret)
  }

  private createService(): AppService {
    const created = createAppService({
      history: this.history,
      secrets: this.secrets,
      host: { mode: 'electron', dataDirectory: this.home },
      concurrency: 4,
      log: (message, error) => this.logged.push([message, error]),
      reportDialog: {
        chooseReportPath: (defaultFileName) => {
          this.#offeredReportName = defaultFileName
          return Promise.resolve(this.reportTarget)
        },
      },
      connectifFactory: (options) =>
        createConnectifClient({
          ...options,
          retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
          timeoutMs: 5_000,
        }),
    })
    created.onEvent((event) => {
      this.events.push(event)
      // Heard as IPC and HTTP clients hear it: in a later task, once the service has done what
      // follows the event (a finished sending leaves the running ones).
      setImmediate(() => {
        if (!this.events.includes(event)) return
        for (const waiter of [...this.#waiters]) waiter(event)
      })
    })
    return created
  }

  /**
   * The first event of the test that `matches`: one already streamed, or the next one. Either is
   * heard in a later task than the one that emitted it, as the service's clients hear events.
   */
  #event<E extends SendingEvent>(matches: (event: SendingEvent) => event is E): Promise<E>
  #event(matches: (event: SendingEvent) => boolean): Promise<SendingEvent>
  #event(matches: (event: SendingEvent) => boolean): Promise<SendingEvent> {
    const seen = this.events.find(matches)
    if (seen) return new Promise((resolve) => setImmediate(() => resolve(seen)))
    return new Promise((resolve) => {
      const waiter = (event: SendingEvent): void => {
        if (!matches(event)) return
        this.#waiters.delete(waiter)
        resolve(event)
      }
      this.#waiters.add(waiter)
    })
  }
}

/** A harness opened before each test of the file and closed after it. */
export function useAppHarness(options: AppHarnessOptions): AppHarness {
  const harness = new AppHarness(options)
  beforeEach(() => harness.open())
  afterEach(() => harness.close())
  return harness
}

export function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`)
  return result.data
}

export function failure<T>(result: Result<T>): AppErrorValue {
  if (result.ok) throw new Error('expected an error value')
  return result.error
}

/** A profile draft's source for the test database, read as `reader`. */
export function databaseSource(db: TestDatabase, reader: TestUser) {
  return {
    kind: 'database' as const,
    host: db.host,
    port: db.port,
    user: reader.user,
    database: db.database,
    tablePrefix: 'ps_',
  }
}
