/**
 * The application service behind every channel of preload/contract.ts: plain Node, no Electron,
 * so the desktop shell (over IPC), the browser-mode host (over HTTP) and the tests drive exactly
 * the same use cases as the command line.
 *
 * Every handler takes a request already validated against the contract and resolves to a Result:
 * expected failures become `{ ok: false, error: { code, message, params? } }` (app-errors.ts);
 * anything else is a bug, logged, and answered as `internal`.
 *
 * Sendings run here, in the background: `sending:start` answers as soon as the sending is
 * recorded, and progress goes to `onEvent` listeners (already throttled by the engine).
 */
import { version as appVersion } from '../../package.json'
import { DEFAULT_RATE_LIMIT } from '../core/connectif/connectif-defaults'
import { REQUIRED_RESOURCES } from '../core/store/webservice/webservice-client'
import type {
  ChannelName,
  ChannelRequest,
  ChannelResponse,
  Result,
  ScheduledRunEvent,
  SendingEvent,
} from '../../preload/contract'
import type { Clock } from '../core/clock'
import { createAppContext, type AppContextOptions } from './app-context'
import { appSettings, saveAppSettings, type LoginItemControl } from './app-settings'
import { toErrorValue } from './app-errors'
import { testConnection } from './connection-check'
import type { DiagnosticLog } from '../core/logging/diagnostic-log'
import {
  getDiagnostics,
  logChannelFailures,
  openLogFolder,
  type DiagnosticsHost,
} from './diagnostics-use-cases'
import { listSendings, sendingViews } from './history-use-cases'
import {
  deleteProfile,
  duplicateProfile,
  listProfiles,
  profileView,
  saveProfile,
} from './profile-use-cases'
import {
  prepareReport,
  saveReport,
  type PreparedReport,
  type ReportSaveDialog,
} from './report-files'
import {
  applyRetentionIfSet,
  forgetCustomer,
  retentionView,
  saveRetention,
} from './privacy-use-cases'
import {
  exportProfiles,
  importProfiles,
  openProfilesFile,
  saveProfilesFile,
  type ProfileFileDialog,
} from './profile-transfer'
import { getSchedule, saveSchedule } from './schedule-use-cases'
import { Scheduler } from './scheduler'
import { SendingRunner } from './sending-runner'
import { expectedSkips } from './preview-use-case'
import {
  getSending,
  getSendingOrder,
  listSendingOrders,
  sendingTimeline,
} from './sending-orders-use-cases'
import {
  countOrders,
  lookupStore,
  sendingRules,
  summariseSending,
  weeklyCounts,
} from './store-use-cases'

export { AppError, INTERNAL_ERROR_MESSAGE, toErrorValue } from './app-errors'

export type ChannelHandlers = {
  readonly [C in ChannelName]: (request: ChannelRequest<C>) => Promise<Result<ChannelResponse<C>>>
}

export interface AppService {
  /** One handler per channel; requests must already be validated against the contract. */
  readonly channels: ChannelHandlers
  /** Listens to the push channel; returns the function that stops listening. */
  onEvent(listener: (event: SendingEvent) => void): () => void
  /** Ids of the sendings running in this service now. */
  activeSendings(): number[]
  /**
   * Stops the scheduler, then every running sending as `interrupted` (resumable), and waits for
   * them to be saved.
   */
  shutdown(): Promise<void>
  /**
   * Starts firing the profiles' schedules (scheduler.ts): the desktop app and browser mode do,
   * the tests when they mean to.
   */
  startScheduler(): void
  /** Told when a scheduled run ends; returns the function that stops listening. */
  onScheduledRun(listener: (event: ScheduledRunEvent) => void): () => void
  /**
   * A sending's report, checked (known sending, something to report) and ready to be streamed:
   * for browser mode's download, which must answer an error before it sends any header.
   */
  prepareReport(sendingId: number, options: { readonly all: boolean }): Result<PreparedReport>
}

export interface AppServiceOptions extends AppContextOptions {
  /** What `app:info` reports about the host. */
  readonly host?: {
    readonly mode: 'electron' | 'browser'
    readonly dataDirectory?: string | null
    readonly version?: string
    /** "Open at login" (the desktop shell's); absent in browser mode. */
    readonly loginItem?: LoginItemControl
  }
  /** The scheduler's clock (the context's by default): the e2e backend moves it on. */
  readonly schedulerClock?: Clock
  /** The desktop shell's save dialog for `report:save`; browser mode has none. */
  readonly reportDialog?: ReportSaveDialog
  /**
   * The diagnostic log this process writes (main/core/logging): the context's logger unless
   * `logger` says otherwise, and what `diagnostics:get` shows.
   */
  readonly diagnosticLog?: DiagnosticLog
  /** The desktop shell's `shell.openPath` (for `diagnostics:open-log-folder`); absent in browser mode. */
  readonly openPath?: (path: string) => Promise<string>
  /** The desktop shell's open and save dialogs for profiles files; browser mode has none. */
  readonly profileFileDialog?: ProfileFileDialog
}

export function createAppService(options: AppServiceOptions): AppService {
  // The wizard's steps share one open store per profile (store-sessions.ts).
  const context = createAppContext({
    keepStoreSessions: true,
    ...options,
    ...(options.logger || !options.diagnosticLog ? {} : { logger: options.diagnosticLog }),
  })
  const listeners = new Set<(event: SendingEvent) => void>()
  const emit = (event: SendingEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event)
      } catch (error) {
        context.log('A sending event listener failed', error)
      }
    }
  }
  const runner = new SendingRunner(context, emit)
  const host = options.host ?? { mode: 'electron' }
  // A desktop host that hands in no control cannot open at login (as on Linux).
  const loginItem: LoginItemControl | null =
    host.loginItem ?? (host.mode === 'browser' ? null : { available: false, reason: 'platform' })
  const runListeners = new Set<(event: ScheduledRunEvent) => void>()
  const scheduler = new Scheduler({
    context,
    runner,
    ...(options.schedulerClock ? { clock: options.schedulerClock } : {}),
    onRun: (event) => {
      for (const listener of runListeners) listener(event)
    },
  })
  // Sendings whose process died (a crash, a kill) are offered for resume.
  context.history.markInterrupted()
  const interruptedAtStart = context.history
    .listSendings()
    .filter((sending) => sending.state === 'interrupted')
    .map((sending) => sending.id)
  // The payloads and answers of sendings older than the days kept go (when it is on).
  applyRetentionIfSet(context)

  const diagnosticsHost: DiagnosticsHost = {
    mode: host.mode,
    version: host.version ?? appVersion,
    dataDirectory: host.dataDirectory ?? null,
    log: options.diagnosticLog ?? null,
    ...(options.openPath ? { openPath: options.openPath } : {}),
  }

  const handle = async <T>(body: () => T | Promise<T>): Promise<Result<T>> => {
    try {
      return { ok: true, data: await body() }
    } catch (error) {
      return { ok: false, error: toErrorValue(error, context.log) }
    }
  }
  const profile = (id: number) => context.profiles.get(id)
  const view = async (saved: ReturnType<typeof profile>) =>
    profileView(context, saved, scheduler.now())

  const channels: ChannelHandlers = {
    'app:info': () =>
      handle(() => ({
        version: host.version ?? appVersion,
        mode: host.mode,
        dataDirectory: host.dataDirectory ?? null,
        interruptedAtStart,
        activeSendings: runner.active(),
        secretStorage: context.secretStore.canStore(),
        defaultRateLimit: DEFAULT_RATE_LIMIT,
        webserviceResources: [...REQUIRED_RESOURCES],
      })),
    'profiles:list': () => handle(() => listProfiles(context, scheduler.now())),
    'profiles:save': (request) => handle(async () => view(await saveProfile(context, request))),
    'profiles:duplicate': (request) =>
      handle(async () => view(await duplicateProfile(context, request))),
    'profiles:delete': (request) =>
      handle(async () => {
        const deleted = (await deleteProfile(context, request.id)).id
        scheduler.changed()
        return { deleted }
      }),
    'profiles:test': (request) => handle(() => testConnection(context, request)),
    'store:lookup': (request) =>
      handle(() => lookupStore(context, profile(request.profileId), request.languageIso)),
    'store:count': (request) =>
      handle(() => countOrders(context, profile(request.profileId), request.from, request.to)),
    'store:weekly-counts': (request) =>
      handle(() => weeklyCounts(context, profile(request.profileId), request.from, request.to)),
    'sending:rules': (request) =>
      handle(() => sendingRules(context, profile(request.profileId), request)),
    'sending:summary': (request) =>
      handle(() => summariseSending(context, profile(request.profileId), request)),
    'sending:expected-skips': (request) =>
      handle(() => expectedSkips(context, profile(request.profileId), request)),
    'sending:start': (request) =>
      handle(async () => {
        const { sending } = await runner.start(request)
        return { sendingId: sending.id, expectedTotal: sending.expectedTotal }
      }),
    'sending:cancel': (request) => handle(() => runner.cancel(request)),
    'sending:resume': (request) =>
      handle(async () => ({ sendingId: (await runner.resume(request.sendingId)).sending.id })),
    'sending:retry-failed': (request) =>
      handle(async () => {
        const { sending, retried } = await runner.retryFailed(request.sendingId)
        return { sendingId: sending.id, retried }
      }),
    'history:list': (request) =>
      handle(() =>
        sendingViews(context, listSendings(context, request.profileId), (id) =>
          runner.isRunning(id),
        ),
      ),
    'report:save': (request) =>
      handle(() => saveReport(context, options.reportDialog ?? null, request)),
    'sending:get': (request) =>
      handle(() => getSending(context, request.sendingId, runner.isRunning(request.sendingId))),
    'sending:orders': (request) => handle(() => listSendingOrders(context, request)),
    'sending:order-detail': (request) =>
      handle(() => getSendingOrder(context, request.sendingId, request.orderId)),
    'sending:timeline': (request) => handle(() => sendingTimeline(context, request.sendingId)),
    'schedule:get': (request) =>
      handle(() => getSchedule(context, request.profileId, scheduler.now())),
    'schedule:save': (request) =>
      handle(async () => {
        const saved = await saveSchedule(context, request, scheduler.now())
        scheduler.changed()
        return saved
      }),
    'diagnostics:get': () => handle(() => getDiagnostics(context, diagnosticsHost)),
    'diagnostics:open-log-folder': () => handle(() => openLogFolder(diagnosticsHost)),
    'settings:get': () => handle(() => appSettings(loginItem)),
    'settings:save': (request) => handle(() => saveAppSettings(loginItem, request)),
    'profiles:export': (request) =>
      handle(() => exportProfiles(context, request.ids.length === 0 ? null : request.ids)),
    'profiles:import': (request) =>
      handle(() => importProfiles(context, request.content, request.fileName)),
    'profiles:export-save': (request) =>
      handle(() =>
        saveProfilesFile(
          context,
          options.profileFileDialog ?? null,
          request.ids.length === 0 ? null : request.ids,
        ),
      ),
    'profiles:import-open': () =>
      handle(() => openProfilesFile(context, options.profileFileDialog ?? null)),
    'retention:get': () => handle(() => retentionView(context)),
    'retention:save': (request) => handle(() => saveRetention(context, request.days)),
    'customer:forget': (request) => handle(() => forgetCustomer(context, request.email)),
  }

  return {
    // Every failure answered is also written to the diagnostic log, with its code.
    channels: logChannelFailures(channels, context.logger),
    onEvent(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    activeSendings: () => runner.active(),
    async shutdown() {
      // No new scheduled sending may start while the running ones are being saved.
      await scheduler.stop()
      await runner.shutdown()
      await context.storeSessions?.closeAll()
    },
    startScheduler: () => scheduler.start(),
    onScheduledRun(listener) {
      runListeners.add(listener)
      return () => {
        runListeners.delete(listener)
      }
    },
    prepareReport(sendingId, reportOptions) {
      try {
        return { ok: true, data: prepareReport(context, sendingId, reportOptions) }
      } catch (error) {
        return { ok: false, error: toErrorValue(error, context.log) }
      }
    },
  }
}
