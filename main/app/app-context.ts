/**
 * What every use case of the application layer works with: the history and its profiles, the
 * secrets, the clock, and how stores and Connectif clients are opened. The desktop app, browser
 * mode and the command line each build one (with their own secret store) and call the same use
 * cases with it; tests inject simulators through the same options.
 */
import { systemClock, type Clock } from '../core/clock'
import type { ConnectifApi } from '../core/connectif/connectif-api'
import {
  createConnectifClient,
  type ConnectifClientOptions,
} from '../core/connectif/connectif-client'
import type { HistoryStore } from '../core/history/history-store'
import { NO_LOGGER, type AppLogger } from '../core/logging/log-events'
import type { ProfileRepository } from '../core/history/profile-repository'
import type { Profile, SourceSettings } from '../core/profiles/profile-types'
import { openDatabaseStore } from '../core/store/database/database-store'
import type { StoreSource } from '../core/store/store-source'
import { openWebserviceStore } from '../core/store/webservice/webservice-store'
import type { Log } from './app-errors'
import { ProfileSecrets } from './profile-secrets'
import type { SecretStore } from './secret-store'
import { StoreSessions } from './store-sessions'

export type StoreOpener = (settings: SourceSettings, secret: string) => Promise<StoreSource>
export type ConnectifFactory = (options: ConnectifClientOptions) => ConnectifApi

export interface AppContextOptions {
  readonly history: HistoryStore
  readonly secrets: SecretStore
  readonly clock?: Clock
  readonly pid?: number
  /**
   * Opens a store with its secret (the database password, or the Webservice key); default
   * `openDatabaseStore` or `openWebserviceStore`, by the source's kind.
   */
  readonly openStore?: StoreOpener
  /** Builds a Connectif client; default `createConnectifClient`. */
  readonly connectifFactory?: ConnectifFactory
  /** Where bugs are logged (default console.error). Never receives a secret. */
  readonly log?: Log
  /**
   * The diagnostic log (main/core/logging): sendings, connection checks, failures and bugs (the
   * latter also go to `log`). Nothing is logged without one.
   */
  readonly logger?: AppLogger
  /** Requests in flight per sending (the engine's default when absent). */
  readonly concurrency?: number
  /** Told of every store opened for a saved profile (the command line prints its notices). */
  readonly onStoreOpened?: (store: StoreSource) => void
  /**
   * Keep one store open per profile between the wizard's calls (store-sessions.ts): the desktop
   * app and browser mode do; the command line, whose commands each read once, does not.
   */
  readonly keepStoreSessions?: boolean
}

export interface AppContext {
  readonly history: HistoryStore
  readonly profiles: ProfileRepository
  readonly secretStore: SecretStore
  readonly secrets: ProfileSecrets
  readonly clock: Clock
  readonly pid: number
  readonly openStore: StoreOpener
  readonly connectifFactory: ConnectifFactory
  readonly log: Log
  readonly logger: AppLogger
  readonly concurrency: number | undefined
  readonly onStoreOpened: (store: StoreSource) => void
  /** The wizard's open stores; null where none are kept (the command line). */
  readonly storeSessions: StoreSessions | null
}

export function createAppContext(options: AppContextOptions): AppContext {
  const secrets = new ProfileSecrets(options.secrets, (id) => {
    try {
      return options.history.profiles.get(id)
    } catch {
      return null
    }
  })
  const clock = options.clock ?? systemClock
  const openStore = options.openStore ?? openStoreOf
  const onStoreOpened = options.onStoreOpened ?? (() => undefined)
  const logger = options.logger ?? NO_LOGGER
  return {
    history: options.history,
    profiles: options.history.profiles,
    secretStore: options.secrets,
    secrets,
    clock,
    pid: options.pid ?? process.pid,
    openStore,
    connectifFactory: options.connectifFactory ?? createConnectifClient,
    log: loggedBugs(options.log ?? ((message, error) => console.error(message, error)), logger),
    logger,
    concurrency: options.concurrency,
    onStoreOpened,
    storeSessions: options.keepStoreSessions
      ? new StoreSessions({
          clock,
          secret: (profile) => secrets.storeSecret(profile.id, profile),
          open: async (profile, secret) => {
            const store = await openStore(profile.source, secret)
            onStoreOpened(store)
            return store
          },
        })
      : null,
  }
}

/** `log`, each bug also written to the diagnostic log. */
function loggedBugs(log: Log, logger: AppLogger): Log {
  if (logger === NO_LOGGER) return log
  return (message, error) => {
    logger.log({ event: 'bug', where: 'app', message, error })
    log(message, error)
  }
}

/** Opens a store of either kind with its secret. */
export async function openStoreOf(settings: SourceSettings, secret: string): Promise<StoreSource> {
  if (settings.kind === 'webservice')
    return openWebserviceStore({
      url: settings.url,
      key: secret,
      keyInUrl: settings.keyInUrl === true,
    })
  return openDatabaseStore({
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: secret,
    database: settings.database,
    tablePrefix: settings.tablePrefix,
    tls: settings.ssl ? { rejectUnauthorized: true } : null,
  })
}

/** A function that opens the saved profile's store; its secret is read now. */
export async function storeOpenerOf(
  context: AppContext,
  profile: Profile,
): Promise<() => Promise<StoreSource>> {
  const secret = await context.secrets.storeSecret(profile.id, profile)
  return async () => {
    const store = await context.openStore(profile.source, secret)
    context.onStoreOpened(store)
    return store
  }
}

/** Runs `body` on the profile's store and closes it, whatever happens. */
export async function withProfileStore<T>(
  context: AppContext,
  profile: Profile,
  body: (store: StoreSource) => Promise<T>,
): Promise<T> {
  const store = await (await storeOpenerOf(context, profile))()
  try {
    return await body(store)
  } finally {
    await store.close().catch(() => undefined)
  }
}

/**
 * Runs `body` on the profile's kept session where the context keeps them (the wizard's calls in
 * the desktop app and browser mode), else on a store of its own, closed after.
 */
export function withStoreSession<T>(
  context: AppContext,
  profile: Profile,
  body: (store: StoreSource) => Promise<T>,
): Promise<T> {
  return context.storeSessions
    ? context.storeSessions.use(profile, body)
    : withProfileStore(context, profile, body)
}
