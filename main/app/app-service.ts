/**
 * The application service behind every channel of preload/contract.ts: plain Node, no Electron,
 * so the desktop shell (over IPC), the browser-mode host (over HTTP) and the tests drive exactly
 * the same code.
 *
 * Every handler takes a request already validated against the contract and resolves to a Result:
 * expected failures (a store that cannot be reached, a key Connectif refuses, a profile name taken,
 * a date rule broken, a secret missing) become `{ ok: false, error: { code, message } }` with a
 * sentence a merchant can act on; anything else is a bug, logged, and answered as `internal`.
 *
 * Sendings run here, in the background: `sending:start` answers as soon as the sending is
 * recorded, and progress goes to `onEvent` listeners (already throttled by the engine). Several
 * sendings of different profiles may run at once; the history refuses a second one per profile.
 */
import { Writable } from 'node:stream'
import { version as appVersion } from '../../package.json'
import { systemClock, type Clock } from '../core/clock'
import type { ConnectifApi } from '../core/connectif/connectif-api'
import {
  createConnectifClient,
  type ConnectifClientOptions,
} from '../core/connectif/connectif-client'
import {
  InvalidProfileError,
  parseProfileInput,
  type HistoryStore,
} from '../core/history/history-store'
import {
  HistoryError,
  type ConnectifTarget,
  type Profile,
  type ProfileInput,
  type SendingOptions,
  type SendingRecord,
  type SourceSettings,
} from '../core/history/history-types'
import { reportFileName, writeSendingReport } from '../core/reports/csv-report'
import {
  ConnectifRouter,
  splitOrdersByTarget,
  targetLabel,
} from '../core/sending/connectif-routing'
import {
  checkRequestAgainstStore,
  prepareSending,
  routingOf,
  routingOfSending,
  runSending,
  SendingRequestError,
  SendingStop,
  type EngineDependencies,
} from '../core/sending/sending-engine'
import type { SendingEvent as CoreSendingEvent } from '../core/sending/sending-events'
import {
  checkSendingRules,
  earliestStart,
  latestEnd,
  todayInZone,
} from '../core/sending/sending-rules'
import { openDatabaseStore } from '../core/store/database/database-store'
import { isStoreError } from '../core/store/store-errors'
import type { StoreOverview, StoreSource } from '../core/store/store-source'
import { normaliseShopUrl, REQUIRED_RESOURCES } from '../core/store/webservice/webservice-client'
import { openWebserviceStore } from '../core/store/webservice/webservice-store'
import { isCalendarDay } from '../core/time/shop-time'
import {
  DEFAULT_RATE_LIMIT,
  type AppErrorValue,
  type ChannelName,
  type ChannelRequest,
  type ChannelResponse,
  type ConnectifCheck,
  type ErrorDetail,
  type ProfileView,
  type Result,
  type SecretChange,
  type SecretName,
  type SendingEvent,
  type SendingView,
  type StoreCheck,
  type TargetCheck,
  targetSecretName,
} from '../../preload/contract'
import {
  EnvironmentSecretStore,
  secretLabel,
  SecretStoreError,
  type SecretSettings,
  type SecretStore,
} from './secret-store'

// The contract re-declares the engine's event; this line fails to compile if they drift apart.
const _sameEvent = (event: CoreSendingEvent): SendingEvent => event
void _sameEvent

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

export interface AppServiceOptions {
  readonly history: HistoryStore
  readonly secrets: SecretStore
  readonly clock?: Clock
  readonly pid?: number
  /**
   * Opens a store with its secret (the database password, or the Webservice key); default
   * `openDatabaseStore` or `openWebserviceStore`, by the source's kind.
   */
  readonly openStore?: (settings: SourceSettings, secret: string) => Promise<StoreSource>
  /** Builds a Connectif client; default `createConnectifClient`. */
  readonly connectifFactory?: (options: ConnectifClientOptions) => ConnectifApi
  /** What `app:info` reports about the host. */
  readonly host?: {
    readonly mode: 'electron' | 'browser'
    readonly dataDirectory?: string | null
    readonly version?: string
  }
  /** Where bugs are logged (default console.error). Never receives a secret. */
  readonly log?: (message: string, error?: unknown) => void
  /** Requests in flight per sending (the engine's default when absent). */
  readonly concurrency?: number
}

/** An expected failure raised by the service itself. */
export class AppError extends Error {
  override readonly name = 'AppError'
  constructor(
    readonly code: string,
    message: string,
    readonly details?: readonly ErrorDetail[],
  ) {
    super(message)
  }
}

export const INTERNAL_ERROR_MESSAGE =
  'Something went wrong inside Purchase Sender. Nothing was lost; the details are in the log.'

/** Turns anything thrown into an error value; unexpected errors are logged and hidden. */
export function toErrorValue(
  error: unknown,
  log: (message: string, error?: unknown) => void,
): AppErrorValue {
  if (error instanceof AppError)
    return {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
    }
  if (isStoreError(error))
    return { code: `store_${error.code}`, message: `The store could not be read: ${error.message}` }
  if (error instanceof HistoryError) return { code: error.code, message: error.message }
  if (error instanceof SecretStoreError) return { code: error.code, message: error.message }
  if (error instanceof InvalidProfileError)
    return {
      code: 'invalid_profile',
      message: `The profile was not saved: ${error.issues.join('; ')}.`,
      details: error.issues.map((issue) => ({
        field: issue.split(' ')[0] ?? '',
        code: 'invalid',
        message: issue,
      })),
    }
  if (error instanceof SendingRequestError)
    return {
      code: 'rules_violated',
      message: error.message,
      details: error.violations.map((violation) => ({
        field: violation.field,
        code: violation.code,
        message: violation.message,
        params: violation.params,
      })),
    }
  log('Unexpected error in the application service', error)
  return { code: 'internal', message: INTERNAL_ERROR_MESSAGE }
}

interface RunningSending {
  readonly profileId: number | null
  readonly controller: AbortController
  readonly done: Promise<void>
}

/** A sending's accounts: the main one (or not), and the routing targets. */
type Routing = NonNullable<SendingOptions['routing']>

type SecretChanges = ChannelRequest<'profiles:save'>['secrets']

export function createAppService(options: AppServiceOptions): AppService {
  return new Service(options)
}

class Service implements AppService {
  readonly #history: HistoryStore
  readonly #secrets: SecretStore
  readonly #clock: Clock
  readonly #pid: number
  readonly #openStore: (settings: SourceSettings, secret: string) => Promise<StoreSource>
  readonly #connectifFactory: (options: ConnectifClientOptions) => ConnectifApi
  readonly #host: NonNullable<AppServiceOptions['host']>
  readonly #log: (message: string, error?: unknown) => void
  readonly #concurrency: number | undefined
  readonly #listeners = new Set<(event: SendingEvent) => void>()
  readonly #running = new Map<number, RunningSending>()
  readonly #interruptedAtStart: readonly number[]
  #shuttingDown = false

  readonly channels: ChannelHandlers

  constructor(options: AppServiceOptions) {
    this.#history = options.history
    this.#secrets = options.secrets
    this.#clock = options.clock ?? systemClock
    this.#pid = options.pid ?? process.pid
    this.#openStore = options.openStore ?? defaultOpenStore
    this.#connectifFactory = options.connectifFactory ?? createConnectifClient
    this.#host = options.host ?? { mode: 'electron' }
    this.#log = options.log ?? ((message, error) => console.error(message, error))
    this.#concurrency = options.concurrency
    // Sendings whose process died (a crash, a kill) are offered for resume.
    this.#history.markInterrupted()
    this.#interruptedAtStart = this.#history
      .listSendings()
      .filter((sending) => sending.state === 'interrupted')
      .map((sending) => sending.id)
    this.channels = {
      'app:info': () => this.#handle(() => this.#appInfo()),
      'profiles:list': () => this.#handle(() => this.#listProfiles()),
      'profiles:save': (request) => this.#handle(() => this.#saveProfile(request)),
      'profiles:duplicate': (request) => this.#handle(() => this.#duplicateProfile(request)),
      'profiles:delete': (request) => this.#handle(() => this.#deleteProfile(request)),
      'profiles:test': (request) => this.#handle(() => this.#testProfile(request)),
      'store:lookup': (request) => this.#handle(() => this.#lookupStore(request)),
      'store:count': (request) => this.#handle(() => this.#countOrders(request)),
      'sending:rules': (request) => this.#handle(() => this.#sendingRules(request)),
      'sending:summary': (request) => this.#handle(() => this.#summary(request)),
      'sending:start': (request) => this.#handle(() => this.#start(request)),
      'sending:cancel': (request) => this.#handle(() => this.#cancel(request)),
      'sending:resume': (request) => this.#handle(() => this.#resume(request)),
      'sending:retry-failed': (request) => this.#handle(() => this.#retryFailed(request)),
      'history:list': (request) => this.#handle(() => this.#listHistory(request)),
      'report:export': (request) => this.#handle(() => this.#exportReport(request)),
    }
  }

  onEvent(listener: (event: SendingEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  activeSendings(): number[] {
    return [...this.#running.keys()]
  }

  async shutdown(): Promise<void> {
    this.#shuttingDown = true
    const running = [...this.#running.values()]
    for (const sending of running) sending.controller.abort(new SendingStop('interrupted'))
    await Promise.all(running.map((sending) => sending.done))
  }

  async #handle<T>(body: () => T | Promise<T>): Promise<Result<T>> {
    try {
      return { ok: true, data: await body() }
    } catch (error) {
      return { ok: false, error: toErrorValue(error, this.#log) }
    }
  }

  #emit(event: SendingEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event)
      } catch (error) {
        this.#log('A sending event listener failed', error)
      }
    }
  }

  // --- App ------------------------------------------------------------------------------------

  #appInfo(): ChannelResponse<'app:info'> {
    return {
      version: this.#host.version ?? appVersion,
      mode: this.#host.mode,
      dataDirectory: this.#host.dataDirectory ?? null,
      interruptedAtStart: this.#interruptedAtStart,
      activeSendings: this.activeSendings(),
      secretStorage: this.#secrets.canStore(),
      defaultRateLimit: DEFAULT_RATE_LIMIT,
      webserviceResources: [...REQUIRED_RESOURCES],
    }
  }

  // --- Profiles -------------------------------------------------------------------------------

  async #view(profile: Profile): Promise<ProfileView> {
    const source = profile.source
    const routing = routingOf(profile)
    const targetKeys: Record<string, 'saved' | 'missing'> = {}
    for (const target of routing.targets)
      targetKeys[target.id] = await this.#secrets.status(profile.id, targetSecretName(target.id))
    return {
      id: profile.id,
      name: profile.name,
      source:
        source.kind === 'database'
          ? {
              kind: 'database',
              host: source.host,
              port: source.port,
              user: source.user,
              database: source.database,
              tablePrefix: source.tablePrefix,
              ssl: source.ssl,
              passwordEnv: source.passwordEnv,
            }
          : { kind: 'webservice', url: source.url, keyEnv: source.keyEnv },
      connectif: {
        apiUrl: profile.connectif.apiUrl,
        keyEnv: profile.connectif.keyEnv,
        mainAccount: routing.mainAccount,
        targets: routing.targets.map((target) => ({
          id: target.id,
          label: targetLabel(target),
          apiUrl: target.apiUrl,
          keyEnv: target.keyEnv,
          languages: target.languages,
          currencies: target.currencies,
          shopIds: target.shopIds,
        })),
      },
      shopIds: profile.shopIds,
      languageIso: profile.languageIso,
      defaultStateIds: profile.defaultStateIds,
      createdAt: profile.createdAt,
      updatedAt: profile.updatedAt,
      secrets: {
        dbPassword:
          source.kind === 'database'
            ? await this.#secrets.status(profile.id, 'dbPassword')
            : 'not-needed',
        webserviceKey:
          source.kind === 'webservice'
            ? await this.#secrets.status(profile.id, 'webserviceKey')
            : 'not-needed',
        connectifKey: routing.mainAccount
          ? await this.#secrets.status(profile.id, 'connectifKey')
          : 'not-needed',
        targetKeys,
      },
    }
  }

  async #listProfiles(): Promise<ProfileView[]> {
    const profiles = this.#history.listProfiles()
    return Promise.all(profiles.map((profile) => this.#view(profile)))
  }

  #refuseSecretWrites(settings: ProfileInput, changes: SecretChanges): void {
    const names = secretsOf(settings).filter((name) => {
      const change = changes[name]
      return change !== undefined && 'set' in change
    })
    const targets = (settings.connectif.targets ?? []).filter((target) => {
      const change = changes.targetKeys?.[target.id]
      return change !== undefined && 'set' in change
    })
    if (names.length === 0 && targets.length === 0) return
    const availability = this.#secrets.canStore()
    if (!availability.ok) {
      const labels = [
        ...names.map((name) => secretLabel(name)),
        ...targets.map((target) => `Connectif API key of ${targetName(settings, target)}`),
      ]
      throw new AppError(
        'secrets_unavailable',
        `The ${labels.join(' and ')} cannot be saved here. ${availability.reason}`,
      )
    }
  }

  /** Validates a profile; what is wrong with a routing target is said on that target. */
  #parseProfile(input: ProfileInput, changes: SecretChanges): ProfileInput {
    let parsed: ProfileInput
    try {
      parsed = parseProfileInput(input)
    } catch (error) {
      if (error instanceof InvalidProfileError) throw invalidProfile(error, input)
      throw error
    }
    const ids = new Set((parsed.connectif.targets ?? []).map((target) => target.id))
    const stray = Object.keys(changes.targetKeys ?? {}).filter((id) => !ids.has(id))
    if (stray.length > 0) {
      const message = `The profile was not saved: a key was given for ${stray.map((id) => `"${id}"`).join(', ')}, which ${stray.length === 1 ? 'is not a target' : 'are not targets'} of the profile.`
      throw new AppError(
        'invalid_profile',
        message,
        stray.map((id) => ({
          field: `secrets.targetKeys.${id}`,
          code: 'unknown_target',
          message: `"${id}" is not a target of the profile.`,
        })),
      )
    }
    return parsed
  }

  async #saveProfile(request: ChannelRequest<'profiles:save'>): Promise<ProfileView> {
    const input = toProfileInput(request.profile)
    // Everything is checked before anything is written: a refused secret leaves no half-saved profile.
    this.#parseProfile(input, request.secrets)
    this.#refuseSecretWrites(input, request.secrets)
    const previous = request.id === null ? null : this.#history.getProfile(request.id)
    const profile =
      request.id === null
        ? this.#history.createProfile(input)
        : this.#history.updateProfile(request.id, input)
    const needed = secretsOf(profile)
    for (const name of secretNames) {
      const change = request.secrets[name]
      // A secret the profile no longer uses (the password of a profile now read through the
      // Webservice, the main key of a profile without a main account) is not kept.
      if (!needed.includes(name)) await this.#secrets.remove(profile.id, name)
      else await this.#applySecretChange(profile.id, name, change)
    }
    // A removed target's key goes with it.
    const targets = routingOf(profile).targets
    for (const target of previous === null ? [] : routingOf(previous).targets)
      if (!targets.some((kept) => kept.id === target.id))
        await this.#secrets.remove(profile.id, targetSecretName(target.id))
    for (const target of targets)
      await this.#applySecretChange(
        profile.id,
        targetSecretName(target.id),
        request.secrets.targetKeys?.[target.id],
      )
    return this.#view(profile)
  }

  async #applySecretChange(
    profileId: number,
    name: SecretName,
    change: SecretChange | undefined,
  ): Promise<void> {
    if (change === undefined || 'keep' in change) return
    if ('set' in change) await this.#secrets.set(profileId, name, change.set)
    else await this.#secrets.remove(profileId, name)
  }

  async #duplicateProfile(request: ChannelRequest<'profiles:duplicate'>): Promise<ProfileView> {
    const original = this.#history.getProfile(request.id)
    const name = request.name?.trim() || this.#copyName(original.name)
    const copy = this.#history.createProfile({
      name,
      source: original.source,
      connectif: original.connectif,
      shopIds: original.shopIds,
      languageIso: original.languageIso,
      defaultStateIds: original.defaultStateIds,
    })
    // Secrets kept by profile are copied too; environment variables travel with the settings.
    if (this.#secrets.canStore().ok) {
      for (const name of allSecretNames(original)) {
        const value = await this.#secrets.get(original.id, name)
        if (value !== null) await this.#secrets.set(copy.id, name, value)
      }
    }
    return this.#view(copy)
  }

  #copyName(name: string): string {
    for (let index = 1; ; index++) {
      const candidate = `${name} (copy${index === 1 ? '' : ` ${index}`})`
      if (!this.#history.findProfileByName(candidate)) return candidate
    }
  }

  async #deleteProfile(request: ChannelRequest<'profiles:delete'>): Promise<{ deleted: number }> {
    const profile = this.#history.getProfile(request.id)
    this.#history.deleteProfile(profile.id)
    for (const name of allSecretNames(profile)) await this.#secrets.remove(profile.id, name)
    return { deleted: profile.id }
  }

  // --- Secrets and connections ----------------------------------------------------------------

  /**
   * The database password to connect with: the saved one, or none (a user without a password is
   * legal). In browser mode, a variable the profile names but that is unset is an error.
   */
  async #dbPassword(
    profileId: number | null,
    settings: SecretSettings,
    change?: ChannelRequest<'profiles:save'>['secrets']['dbPassword'],
  ): Promise<string> {
    if (change && 'set' in change) return change.set
    if (change && 'clear' in change) return ''
    const value = await this.#secrets.get(profileId, 'dbPassword', settings)
    if (value !== null) return value
    this.#refuseUnsetVariable(profileId, 'dbPassword', settings)
    return ''
  }

  /** The Webservice key: the one being typed, else the saved one; there is no store without it. */
  async #webserviceKey(
    profileId: number | null,
    settings: SecretSettings,
    profileName: string,
    change?: ChannelRequest<'profiles:save'>['secrets']['webserviceKey'],
  ): Promise<string> {
    if (change && 'set' in change) return change.set
    const value =
      change && 'clear' in change
        ? null
        : await this.#secrets.get(profileId, 'webserviceKey', settings)
    if (value !== null) return value
    this.#refuseUnsetVariable(profileId, 'webserviceKey', settings)
    throw new AppError(
      'secret_missing',
      this.#secrets instanceof EnvironmentSecretStore
        ? `The profile "${profileName}" names no environment variable for the Webservice key: name one in the profile and set it before starting "npm run web".`
        : `No Webservice key is saved for the profile "${profileName}": edit the profile and enter the key (PrestaShop back office, Advanced Parameters > Webservice).`,
    )
  }

  /** The secret the profile's store is opened with: its database password or Webservice key. */
  async #storeSecret(
    profileId: number | null,
    settings: ProfileInput,
    changes: ChannelRequest<'profiles:save'>['secrets'] = {},
  ): Promise<string> {
    return settings.source.kind === 'database'
      ? this.#dbPassword(profileId, settings, changes.dbPassword)
      : this.#webserviceKey(profileId, settings, settings.name, changes.webserviceKey)
  }

  async #connectifKey(
    profileId: number | null,
    settings: SecretSettings,
    profileName: string,
    change?: ChannelRequest<'profiles:save'>['secrets']['connectifKey'],
  ): Promise<string> {
    if (change && 'set' in change) return change.set
    const value =
      change && 'clear' in change
        ? null
        : await this.#secrets.get(profileId, 'connectifKey', settings)
    if (value !== null) return value
    this.#refuseUnsetVariable(profileId, 'connectifKey', settings)
    throw new AppError(
      'secret_missing',
      this.#secrets instanceof EnvironmentSecretStore
        ? `The profile "${profileName}" names no environment variable for the Connectif API key: name one in the profile and set it before starting "npm run web".`
        : `No Connectif API key is saved for the profile "${profileName}": edit the profile and enter the key.`,
    )
  }

  /**
   * The API key of a routing target: the one being typed, else the saved one (by profile and
   * target id), else its environment variable in browser mode. Missing, it is an error naming
   * the target.
   */
  async #targetKey(
    profileId: number | null,
    settings: SecretSettings & Pick<ProfileInput, 'name'>,
    target: ConnectifTarget,
    change?: SecretChange,
  ): Promise<string> {
    if (change && 'set' in change) return change.set
    const name = targetSecretName(target.id)
    const value =
      change && 'clear' in change ? null : await this.#secrets.get(profileId, name, settings)
    if (value !== null) return value
    const which = targetName(settings, target)
    if (this.#secrets instanceof EnvironmentSecretStore) {
      const variable = this.#secrets.variableOf(profileId, name, settings)
      throw new AppError(
        'secret_missing',
        variable !== null
          ? `The environment variable ${variable} (the Connectif API key of ${which} of the profile "${settings.name}") is not set or is empty: set it before starting "npm run web".`
          : `The profile "${settings.name}" names no environment variable for the Connectif API key of ${which}: name one in the target and set it before starting "npm run web".`,
      )
    }
    throw new AppError(
      'secret_missing',
      `No Connectif API key is saved for ${which} of the profile "${settings.name}": edit the profile and enter the target's key.`,
    )
  }

  #refuseUnsetVariable(profileId: number | null, name: SecretName, settings: SecretSettings): void {
    if (!(this.#secrets instanceof EnvironmentSecretStore)) return
    const variable = this.#secrets.variableOf(profileId, name, settings)
    if (variable !== null)
      throw new AppError(
        'secret_missing',
        `The environment variable ${variable} (the ${secretLabel(name)} of this profile) is not set or is empty: set it before starting "npm run web".`,
      )
  }

  async #storeOf(profile: Profile): Promise<StoreSource> {
    const secret = await this.#storeSecret(profile.id, profile)
    return this.#openStore(profile.source, secret)
  }

  async #withStore<T>(profile: Profile, body: (store: StoreSource) => Promise<T>): Promise<T> {
    const store = await this.#storeOf(profile)
    try {
      return await body(store)
    } finally {
      await store.close().catch(() => undefined)
    }
  }

  async #testProfile(
    request: ChannelRequest<'profiles:test'>,
  ): Promise<ChannelResponse<'profiles:test'>> {
    let profileId: number | null
    let settings: ProfileInput
    let changes: ChannelRequest<'profiles:save'>['secrets'] = {}
    if ('profile' in request) {
      profileId = request.id
      settings = this.#parseProfile(toProfileInput(request.profile), request.secrets)
      changes = request.secrets
    } else {
      const profile = this.#history.getProfile(request.id)
      profileId = profile.id
      settings = profile
    }
    const routing = routingOf(settings)
    const [store, connectif, targets] = await Promise.all([
      this.#checkStore(profileId, settings, changes),
      routing.mainAccount
        ? this.#checkAccount(settings.connectif.apiUrl, () =>
            this.#connectifKey(profileId, settings, settings.name, changes.connectifKey),
          )
        : null,
      Promise.all(
        routing.targets.map(async (target): Promise<TargetCheck> => ({
          id: target.id,
          label: targetLabel(target),
          ...(await this.#checkAccount(target.apiUrl, () =>
            this.#targetKey(profileId, settings, target, changes.targetKeys?.[target.id]),
          )),
        })),
      ),
    ])
    return { store, connectif, targets }
  }

  async #checkStore(
    profileId: number | null,
    settings: ProfileInput,
    changes: ChannelRequest<'profiles:save'>['secrets'],
  ): Promise<StoreCheck> {
    let store: StoreSource | null = null
    try {
      const secret = await this.#storeSecret(profileId, settings, changes)
      store = await this.#openStore(settings.source, secret)
      const overview = await store.overview()
      const shops = overview.shops.map(shopView)
      const languages = overview.languages.map(languageView)
      return {
        ok: true,
        message: `Connected: PrestaShop ${overview.version.raw}, ${plural(shops.length, 'shop')}, ${plural(languages.length, 'language')}.`,
        version: overview.version.raw,
        shops,
        languages,
        currencies: currencyViews(overview),
        notices: store.notices.map((notice) => ({ code: notice.code, message: notice.message })),
      }
    } catch (error) {
      const value = toErrorValue(error, this.#log)
      return { ok: false, code: value.code, message: value.message }
    } finally {
      await store?.close().catch(() => undefined)
    }
  }

  /** Checks one Connectif account's key, as `key` gives it (or fails to: `missing_key`). */
  async #checkAccount(apiUrl: string, key: () => Promise<string>): Promise<ConnectifCheck> {
    let apiKey: string
    try {
      apiKey = await key()
    } catch (error) {
      const value = toErrorValue(error, this.#log)
      return { ok: false, problem: 'missing_key', message: value.message }
    }
    try {
      const client = this.#connectifFactory({
        account: { apiUrl, apiKey },
        clock: this.#clock,
      })
      const access = await client.checkAccess()
      return { ok: access.ok, problem: access.problem, message: access.message }
    } catch (error) {
      this.#log('The Connectif check failed unexpectedly', error)
      return { ok: false, problem: 'unexpected', message: INTERNAL_ERROR_MESSAGE }
    }
  }

  // --- Store lists ----------------------------------------------------------------------------

  async #lookupStore(
    request: ChannelRequest<'store:lookup'>,
  ): Promise<ChannelResponse<'store:lookup'>> {
    const profile = this.#history.getProfile(request.profileId)
    return this.#withStore(profile, async (store) => {
      const overview = await store.overview()
      const iso = request.languageIso === undefined ? profile.languageIso : request.languageIso
      const languageId =
        iso === null || iso.trim() === '' ? overview.defaultLanguageId : languageIdOf(overview, iso)
      const states = await store.orderStates(languageId)
      return {
        version: overview.version.raw,
        defaultShopId: overview.defaultShopId,
        timezone: zoneOf(overview),
        shops: overview.shops.map(shopView),
        languages: overview.languages.map(languageView),
        currencies: currencyViews(overview),
        languageId,
        states: states.map((state) => ({
          id: state.id,
          name: state.name,
          color: state.color,
          paid: state.paid,
          shipped: state.shipped,
          hidden: state.hidden,
          deleted: state.deleted,
        })),
      }
    })
  }

  async #countOrders(
    request: ChannelRequest<'store:count'>,
  ): Promise<ChannelResponse<'store:count'>> {
    const profile = this.#history.getProfile(request.profileId)
    checkRange(request.from, request.to)
    return this.#withStore(profile, async (store) => {
      const counts = await store.countOrders({
        range: { from: request.from, to: request.to },
        shopIds: profile.shopIds,
      })
      return {
        from: request.from,
        to: request.to,
        total: counts.total,
        byState: stringKeys(counts.byState),
        byShop: stringKeys(counts.byShop),
      }
    })
  }

  // --- Wizard ---------------------------------------------------------------------------------

  async #sendingRules(
    request: ChannelRequest<'sending:rules'>,
  ): Promise<ChannelResponse<'sending:rules'>> {
    const profile = this.#history.getProfile(request.profileId)
    return this.#withStore(profile, async (store) => {
      const overview = await store.overview()
      const timezone = zoneOf(overview)
      const today = todayInZone(this.#clock.now(), timezone)
      const from = request.from?.trim() ?? ''
      const fromValid = /^\d{4}-\d{2}-\d{2}$/.test(from) && isCalendarDay(from)
      const given = {
        from: request.from !== undefined && request.from !== null,
        to: request.to !== undefined && request.to !== null,
        stateIds: request.stateIds !== undefined && request.stateIds !== null,
        targets: true,
      }
      let violations: ChannelResponse<'sending:rules'>['violations'] = []
      if (given.from || given.to || given.stateIds) {
        const states = given.stateIds ? await store.orderStates() : []
        violations = checkSendingRules(
          { from: request.from, to: request.to, stateIds: request.stateIds },
          { today, knownStateIds: states.map((state) => state.id) },
        ).filter((violation) => given[violation.field])
      }
      return {
        timezone,
        today,
        earliestStart: earliestStart(today),
        latestEnd: fromValid ? latestEnd(from, today) : null,
        violations,
      }
    })
  }

  async #summary(
    request: ChannelRequest<'sending:summary'>,
  ): Promise<ChannelResponse<'sending:summary'>> {
    const profile = this.#history.getProfile(request.profileId)
    return this.#withStore(profile, async (store) => {
      const routing = routingOf(profile)
      // As the engine refuses them when the sending starts, with the same words.
      const { overview, violations } = await checkRequestAgainstStore(
        store,
        request,
        routing,
        this.#clock.now(),
      )
      if (violations.length > 0) throw new SendingRequestError(violations)
      const counts = await store.countOrders({
        range: { from: request.from, to: request.to },
        shopIds: profile.shopIds,
      })
      const stateIds = [...new Set(request.stateIds)].sort((a, b) => a - b)
      const byState = Object.fromEntries(
        stateIds.map((id) => [String(id), counts.byState[id] ?? 0]),
      )
      const ordersToSend = Object.values(byState).reduce((sum, count) => sum + count, 0)
      return {
        from: request.from,
        to: request.to,
        stateIds,
        ordersToSend,
        byState,
        rateLimit: request.rateLimit,
        estimatedMinutes: ordersToSend / request.rateLimit,
        byTarget:
          routing.targets.length === 0
            ? null
            : splitOrdersByTarget(
                counts.groups,
                stateIds,
                new ConnectifRouter(routing.targets, routing.mainAccount, overview),
                overview,
              ),
      }
    })
  }

  // --- Sendings -------------------------------------------------------------------------------

  #refuseWhenShuttingDown(): void {
    if (this.#shuttingDown)
      throw new AppError(
        'shutting_down',
        'Purchase Sender is closing: no sending can start now. Open it again to continue.',
      )
  }

  /**
   * The engine's dependencies for a profile; reads its secrets now, so a missing one stops first.
   * `routing` is a recorded sending's (resume, retry); a new sending routes as the profile does.
   */
  async #engine(
    profile: Profile,
    rateLimit: number,
    routing: Routing = routingOf(profile),
  ): Promise<EngineDependencies> {
    const secret = await this.#storeSecret(profile.id, profile)
    // One account per key: the main one under '', each target under its id.
    const accounts = new Map<string, { apiUrl: string; apiKey: string }>()
    if (routing.mainAccount)
      accounts.set('', {
        apiUrl: profile.connectif.apiUrl,
        apiKey: await this.#connectifKey(profile.id, profile, profile.name),
      })
    // The targets as the sending records them: a target removed since is named, never guessed.
    const settings = {
      name: profile.name,
      source: profile.source,
      connectif: { ...profile.connectif, targets: routing.targets },
    }
    const current = routingOf(profile).targets
    for (const target of routing.targets) {
      const apiKey = await this.#targetKey(profile.id, settings, target).catch((error: unknown) => {
        if (current.some((kept) => kept.id === target.id)) throw error
        throw new AppError(
          'secret_missing',
          `This sending sends orders to ${targetName(settings, target)}, which was removed from the profile "${profile.name}" with its key since: it cannot be resumed. Start a new sending instead (orders already created are answered as already existing).`,
        )
      })
      accounts.set(target.id, { apiUrl: target.apiUrl, apiKey })
    }
    return {
      history: this.#history,
      openStore: () => this.#openStore(profile.source, secret),
      connectif: (ref, { onWait }) => {
        const account = accounts.get(ref.kind === 'main' ? '' : ref.target.id)
        if (!account)
          throw new AppError(
            'secret_missing',
            ref.kind === 'main'
              ? `The profile "${profile.name}" keeps no main Connectif account.`
              : `The Connectif target ${targetLabel(ref.target)} is not part of this sending.`,
          )
        return this.#connectifFactory({
          account,
          requestsPerMinute: rateLimit,
          clock: this.#clock,
          onWait,
        })
      },
      clock: this.#clock,
      pid: this.#pid,
      ...(this.#concurrency === undefined ? {} : { concurrency: this.#concurrency }),
    }
  }

  #launch(sending: SendingRecord, deps: EngineDependencies, store?: StoreSource): void {
    const controller = new AbortController()
    const done = runSending(
      deps,
      sending.id,
      { onEvent: (event) => this.#emit(event), signal: controller.signal },
      store,
    )
      .then(
        () => undefined,
        (error: unknown) =>
          this.#log(`Sending #${sending.id} stopped on an unexpected error`, error),
      )
      .finally(() => {
        this.#running.delete(sending.id)
      })
    this.#running.set(sending.id, { profileId: sending.profileId, controller, done })
  }

  async #start(
    request: ChannelRequest<'sending:start'>,
  ): Promise<ChannelResponse<'sending:start'>> {
    this.#refuseWhenShuttingDown()
    const profile = this.#history.getProfile(request.profileId)
    const deps = await this.#engine(profile, request.options.rateLimit)
    const prepared = await prepareSending(deps, {
      profile,
      from: request.from,
      to: request.to,
      stateIds: request.stateIds,
      mode: request.mode,
      options: request.options,
    })
    if (this.#shuttingDown) {
      // Closed while the store was being counted: record it as interrupted, to resume later.
      await prepared.store.close().catch(() => undefined)
      this.#history.finishSending(prepared.sending.id, 'interrupted')
      this.#refuseWhenShuttingDown()
    }
    this.#launch(prepared.sending, deps, prepared.store)
    return { sendingId: prepared.sending.id, expectedTotal: prepared.sending.expectedTotal }
  }

  #cancel(request: ChannelRequest<'sending:cancel'>): ChannelResponse<'sending:cancel'> {
    const running = this.#running.get(request.sendingId)
    if (running) {
      running.controller.abort(new SendingStop('cancelled'))
      return { sendingId: request.sendingId }
    }
    const sending = this.#history.getSending(request.sendingId)
    if (sending.state === 'running' || sending.state === 'queued')
      throw new AppError(
        'sending_not_running_here',
        `Sending #${sending.id} is running in another program (process ${sending.ownerPid ?? 'unknown'}): stop it there.`,
      )
    throw new AppError(
      'sending_not_running',
      `Sending #${sending.id} is not running: it is ${stateLabel(sending.state)}.`,
    )
  }

  #profileOfSending(sending: SendingRecord, action: string): Profile {
    if (this.#running.has(sending.id))
      throw new AppError(
        'sending_in_progress',
        `Sending #${sending.id} is still running: wait for it to end before you ${action}.`,
      )
    if (sending.profileId === null)
      throw new AppError(
        'profile_removed',
        `Sending #${sending.id} belonged to the profile "${sending.profileName}", which was removed: add the profile again and start a new sending (orders already created are answered as already existing).`,
      )
    return this.#history.getProfile(sending.profileId)
  }

  async #resume(
    request: ChannelRequest<'sending:resume'>,
  ): Promise<ChannelResponse<'sending:resume'>> {
    this.#refuseWhenShuttingDown()
    this.#history.markInterrupted()
    const sending = this.#history.getSending(request.sendingId)
    const profile = this.#profileOfSending(sending, 'resume it')
    const deps = await this.#engine(
      profile,
      sending.options.rateLimit || DEFAULT_RATE_LIMIT,
      routingOfSending(sending),
    )
    const reopened = this.#history.prepareResume(sending.id, this.#pid)
    this.#launch(reopened, deps)
    return { sendingId: sending.id }
  }

  async #retryFailed(
    request: ChannelRequest<'sending:retry-failed'>,
  ): Promise<ChannelResponse<'sending:retry-failed'>> {
    this.#refuseWhenShuttingDown()
    this.#history.markInterrupted()
    const sending = this.#history.getSending(request.sendingId)
    const profile = this.#profileOfSending(sending, 'retry its failed orders')
    if (sending.counts.failed === 0)
      throw new AppError(
        'nothing_to_retry',
        `Sending #${sending.id} has no failed orders to retry.`,
      )
    const deps = await this.#engine(
      profile,
      sending.options.rateLimit || DEFAULT_RATE_LIMIT,
      routingOfSending(sending),
    )
    const retried = this.#history.resetFailedToPending(sending.id, this.#pid)
    if (retried === 0)
      throw new AppError(
        'nothing_to_retry',
        `Sending #${sending.id} has no failed orders to retry.`,
      )
    this.#launch(this.#history.getSending(sending.id), deps)
    return { sendingId: sending.id, retried }
  }

  // --- History and reports --------------------------------------------------------------------

  #listHistory(request: ChannelRequest<'history:list'>): SendingView[] {
    this.#history.markInterrupted()
    const sendings = this.#history.listSendings(
      request.profileId === undefined || request.profileId === null
        ? {}
        : { profileId: request.profileId },
    )
    const now = this.#clock.now()
    return sendings.map((sending) => this.#sendingView(sending, now))
  }

  #sendingView(sending: SendingRecord, now: number): SendingView {
    const counts = sending.counts
    const runningHere = this.#running.has(sending.id)
    const finished = !['queued', 'running'].includes(sending.state)
    const workLeft = counts.pending > 0 || !sending.readComplete
    const started = sending.startedAt === null ? null : Date.parse(sending.startedAt)
    const ended = sending.finishedAt === null ? now : Date.parse(sending.finishedAt)
    return {
      id: sending.id,
      profileId: sending.profileId,
      profileName: sending.profileName,
      from: sending.from,
      to: sending.to,
      stateIds: sending.stateIds,
      shopIds: sending.shopIds,
      mode: sending.mode,
      options: sending.options,
      state: sending.state,
      expectedTotal: sending.expectedTotal,
      counts,
      createdAt: sending.createdAt,
      startedAt: sending.startedAt,
      finishedAt: sending.finishedAt,
      durationSeconds: started === null ? null : Math.max(0, Math.round((ended - started) / 1000)),
      fatalError: sending.fatalError,
      runningHere,
      canResume:
        !runningHere &&
        sending.profileId !== null &&
        (sending.state === 'interrupted' ||
          ((sending.state === 'cancelled' || sending.state === 'failed') && workLeft)),
      canRetryFailed: !runningHere && finished && sending.profileId !== null && counts.failed > 0,
      hasReport: counts.total - counts.created > 0,
      ...((sending.options.routing?.targets.length ?? 0) > 0
        ? { byTarget: this.#history.countsByTarget(sending.id) }
        : {}),
    }
  }

  async #exportReport(
    request: ChannelRequest<'report:export'>,
  ): Promise<ChannelResponse<'report:export'>> {
    const sending = this.#history.getSending(request.sendingId)
    if (this.#history.reportRows(sending.id, { all: request.all }).next().done)
      throw new AppError(
        'report_empty',
        request.all
          ? `Sending #${sending.id} has no orders yet: there is nothing to report.`
          : `Every order of sending #${sending.id} was created in Connectif: there is nothing to report.`,
      )
    const chunks: Buffer[] = []
    const sink = new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
        callback()
      },
    })
    const { rows } = await writeSendingReport(this.#history, sending.id, sink, { all: request.all })
    return {
      fileName: reportFileName(sending.profileName, sending),
      rows,
      csv: Buffer.concat(chunks).toString('utf8'),
    }
  }
}

// --- Helpers ----------------------------------------------------------------------------------

const secretNames = ['dbPassword', 'webserviceKey', 'connectifKey'] as const

type FixedSecretName = (typeof secretNames)[number]

/** The secrets of a profile other than its targets' keys, by its source and main account. */
function secretsOf(
  profile: Pick<ProfileInput, 'source' | 'connectif'>,
): readonly FixedSecretName[] {
  const store = profile.source.kind === 'database' ? 'dbPassword' : 'webserviceKey'
  return profile.connectif.mainAccount === false ? [store] : [store, 'connectifKey']
}

/** Every secret a profile may have saved: the fixed ones and one per target. */
function allSecretNames(profile: Profile): SecretName[] {
  return [
    ...secretNames,
    ...routingOf(profile).targets.map((target) => targetSecretName(target.id)),
  ]
}

/** A target for people: its position and its conditions, e.g. `target 2 (lang=es,currency=EUR)`. */
function targetName(
  settings: Pick<ProfileInput, 'connectif'>,
  target: Pick<ConnectifTarget, 'id' | 'languages' | 'currencies' | 'shopIds'>,
): string {
  const index = (settings.connectif.targets ?? []).findIndex(
    (candidate) => candidate.id === target.id,
  )
  const label = targetLabel(target) || 'no condition'
  return index < 0 ? `the target ${label}` : `target ${index + 1} (${label})`
}

/**
 * An invalid profile as an error value whose details say which target each problem is on:
 * `field` is `connectif.targets.<index>` and `params.targets` the indexes concerned (two for an
 * overlap), so the editor shows them on the target.
 */
function invalidProfile(error: InvalidProfileError, input: ProfileInput): AppError {
  const targets = input.connectif.targets ?? []
  const named = (index: number): string => {
    const target = targets[index]
    const label = target ? targetLabel(target) : ''
    return `Target ${index + 1}${label ? ` (${label})` : ''}`
  }
  const details = error.details.map((issue): ErrorDetail => {
    const indexes = issue.targets ?? []
    if (indexes.length === 0) {
      const path = issue.path === '' ? 'profile' : issue.path
      return { field: issue.path, code: 'invalid', message: `${path} ${issue.message}` }
    }
    // Problems found per field name the field; those of checkTargets already name the targets.
    const own = /^connectif\.targets\.\d+\.(\S+)$/.exec(issue.path)?.[1]
    const first = indexes[0] as number
    return {
      field: `connectif.targets.${first}`,
      code: indexes.length > 1 ? 'targets_overlap' : 'invalid_target',
      message:
        issue.path === 'connectif.targets'
          ? issue.message
          : `${named(first)}: ${own ? `${own} ` : ''}${issue.message}`,
      params: { targets: indexes.join(',') },
    }
  })
  return new AppError(
    'invalid_profile',
    `The profile was not saved: ${details.map((detail) => detail.message).join('; ')}.`,
    details,
  )
}

async function defaultOpenStore(settings: SourceSettings, secret: string): Promise<StoreSource> {
  if (settings.kind === 'webservice') return openWebserviceStore({ url: settings.url, key: secret })
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

function blankToNull(value: string | null): string | null {
  return value === null || value.trim() === '' ? null : value.trim()
}

/** The shop address as it is saved; one that cannot be an address is refused with why. */
function shopAddress(input: string): string {
  const problem = (message: string) =>
    new AppError('invalid_url', message, [{ field: 'source.url', code: 'invalid_url', message }])
  if (input.trim() === '') throw problem("Enter the shop's address, e.g. https://www.example.com/.")
  try {
    return normaliseShopUrl(input).href
  } catch (error) {
    if (isStoreError(error)) throw problem(error.message)
    throw error
  }
}

function toSourceSettings(
  source: ChannelRequest<'profiles:save'>['profile']['source'],
): SourceSettings {
  return source.kind === 'database'
    ? { ...source, passwordEnv: blankToNull(source.passwordEnv) }
    : { kind: 'webservice', url: shopAddress(source.url), keyEnv: blankToNull(source.keyEnv) }
}

function toProfileInput(fields: ChannelRequest<'profiles:save'>['profile']): ProfileInput {
  const codes = (list: readonly string[]) => list.filter((code) => code !== '')
  return {
    name: fields.name,
    source: toSourceSettings(fields.source),
    connectif: {
      apiUrl: fields.connectif.apiUrl,
      keyEnv: blankToNull(fields.connectif.keyEnv),
      mainAccount: fields.connectif.mainAccount,
      targets: fields.connectif.targets.map((target) => ({
        id: target.id,
        apiUrl: target.apiUrl,
        keyEnv: blankToNull(target.keyEnv),
        languages: codes(target.languages),
        currencies: codes(target.currencies),
        shopIds: target.shopIds,
      })),
    },
    shopIds: fields.shopIds,
    languageIso: blankToNull(fields.languageIso),
    defaultStateIds: fields.defaultStateIds,
  }
}

function zoneOf(overview: StoreOverview): string {
  return overview.shops.find((shop) => shop.id === overview.defaultShopId)?.timezone ?? 'UTC'
}

function shopView(shop: StoreOverview['shops'][number]) {
  return { id: shop.id, name: shop.name, timezone: shop.timezone, active: shop.active }
}

function currencyViews(overview: StoreOverview) {
  return overview.currencies
    .filter((currency) => !currency.deleted)
    .map((currency) => ({
      id: currency.id,
      isoCode: currency.isoCode,
      name: currency.name,
      active: currency.active,
    }))
}

function languageView(language: StoreOverview['languages'][number]) {
  return {
    id: language.id,
    isoCode: language.isoCode,
    name: language.name,
    active: language.active,
  }
}

function languageIdOf(overview: StoreOverview, iso: string): number {
  const wanted = iso.trim().toLowerCase()
  const base = wanted.split(/[-_]/)[0] ?? wanted
  const language =
    overview.languages.find((candidate) => candidate.isoCode.toLowerCase() === wanted) ??
    overview.languages.find((candidate) => candidate.isoCode.toLowerCase() === base)
  if (language) return language.id
  throw new AppError(
    'unknown_language',
    `"${iso}" is not a language of this store. Its languages are ${overview.languages
      .map((candidate) => candidate.isoCode)
      .join(', ')}.`,
  )
}

function checkRange(from: string, to: string): void {
  const problems: ErrorDetail[] = []
  if (!isCalendarDay(from))
    problems.push({
      field: 'from',
      code: 'from_invalid',
      message: `The start date "${from}" is not a real day.`,
    })
  if (!isCalendarDay(to))
    problems.push({
      field: 'to',
      code: 'to_invalid',
      message: `The end date "${to}" is not a real day.`,
    })
  if (problems.length === 0 && to < from)
    problems.push({
      field: 'to',
      code: 'to_before_from',
      message: `The end date ${to} is before the start date ${from}.`,
    })
  if (problems.length > 0)
    throw new AppError(
      'invalid_range',
      problems.map((problem) => problem.message).join(' '),
      problems,
    )
}

function stringKeys(record: Readonly<Record<number, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [String(key), value]))
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

function stateLabel(state: SendingRecord['state']): string {
  return state.replace(/_/g, ' ')
}
