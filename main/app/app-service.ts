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
  SendingEvent,
} from '../../preload/contract'
import { createAppContext, type AppContextOptions } from './app-context'
import { toErrorValue } from './app-errors'
import { testConnection } from './connection-check'
import { exportReport, listSendings, sendingView } from './history-use-cases'
import {
  deleteProfile,
  duplicateProfile,
  listProfiles,
  profileView,
  saveProfile,
} from './profile-use-cases'
import { SendingRunner } from './sending-runner'
import { countOrders, lookupStore, sendingRules, summariseSending } from './store-use-cases'

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
  /** Stops every running sending as `interrupted` (resumable) and waits for them to be saved. */
  shutdown(): Promise<void>
}

export interface AppServiceOptions extends AppContextOptions {
  /** What `app:info` reports about the host. */
  readonly host?: {
    readonly mode: 'electron' | 'browser'
    readonly dataDirectory?: string | null
    readonly version?: string
  }
}

export function createAppService(options: AppServiceOptions): AppService {
  const context = createAppContext(options)
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
  // Sendings whose process died (a crash, a kill) are offered for resume.
  context.history.markInterrupted()
  const interruptedAtStart = context.history
    .listSendings()
    .filter((sending) => sending.state === 'interrupted')
    .map((sending) => sending.id)

  const handle = async <T>(body: () => T | Promise<T>): Promise<Result<T>> => {
    try {
      return { ok: true, data: await body() }
    } catch (error) {
      return { ok: false, error: toErrorValue(error, context.log) }
    }
  }
  const profile = (id: number) => context.profiles.get(id)
  const view = async (saved: ReturnType<typeof profile>) => profileView(context, saved)

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
    'profiles:list': () => handle(() => listProfiles(context)),
    'profiles:save': (request) => handle(async () => view(await saveProfile(context, request))),
    'profiles:duplicate': (request) =>
      handle(async () => view(await duplicateProfile(context, request))),
    'profiles:delete': (request) =>
      handle(async () => ({ deleted: (await deleteProfile(context, request.id)).id })),
    'profiles:test': (request) => handle(() => testConnection(context, request)),
    'store:lookup': (request) =>
      handle(() => lookupStore(context, profile(request.profileId), request.languageIso)),
    'store:count': (request) =>
      handle(() => countOrders(context, profile(request.profileId), request.from, request.to)),
    'sending:rules': (request) =>
      handle(() => sendingRules(context, profile(request.profileId), request)),
    'sending:summary': (request) =>
      handle(() => summariseSending(context, profile(request.profileId), request)),
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
        listSendings(context, request.profileId).map((sending) =>
          sendingView(context, sending, runner.isRunning(sending.id)),
        ),
      ),
    'report:export': (request) =>
      handle(() => exportReport(context, request.sendingId, request.all)),
  }

  return {
    channels,
    onEvent(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    activeSendings: () => runner.active(),
    shutdown: () => runner.shutdown(),
  }
}
