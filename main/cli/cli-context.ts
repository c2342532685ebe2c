/**
 * What every command needs from its surroundings: the data directory and its history database,
 * the profiles there, the secrets their environment variables hold, and the engine's
 * dependencies built from a profile. Everything a command checks here is checked before
 * anything is sent or written.
 */
import { systemClock, type Clock } from '../core/clock'
import type { ConnectifAccount } from '../core/connectif/connectif-api'
import { createConnectifClient } from '../core/connectif/connectif-client'
import { historyDatabasePath, resolveDataDirectory } from '../core/history/data-directory'
import { HistoryStore } from '../core/history/history-store'
import { HistoryError, type Profile } from '../core/history/history-types'
import type { EngineDependencies } from '../core/sending/sending-engine'
import { targetLabel, type ConnectifTarget } from '../core/sending/connectif-routing'
import { openDatabaseStore } from '../core/store/database/database-store'
import { isStoreError } from '../core/store/store-errors'
import type { StoreNotice, StoreSource } from '../core/store/store-source'
import { openWebserviceStore } from '../core/store/webservice/webservice-store'
import { CliError, EXIT, invalidInput, type Output } from './cli-output'

export interface CliContextOptions {
  readonly output: Output
  readonly home?: string
  readonly env?: NodeJS.ProcessEnv
  readonly clock?: Clock
}

export class CliContext {
  readonly output: Output
  readonly env: NodeJS.ProcessEnv
  readonly clock: Clock
  /** The `--home` given on the command line, to repeat it in the hints printed. */
  readonly homeFlag: string | undefined
  readonly dataDirectory: string
  #history: HistoryStore | null = null
  /** Notices already printed: a store opened twice in one run warns once. */
  readonly #noticesShown = new Set<string>()

  constructor(options: CliContextOptions) {
    this.output = options.output
    this.env = options.env ?? process.env
    this.clock = options.clock ?? systemClock
    this.homeFlag = options.home
    this.dataDirectory = resolveDataDirectory({ home: options.home, env: this.env })
  }

  /** Opens the history database on first use (creating the data directory when missing). */
  get history(): HistoryStore {
    this.#history ??= HistoryStore.open(historyDatabasePath(this.dataDirectory))
    return this.#history
  }

  close(): void {
    this.#history?.close()
    this.#history = null
  }

  /** How to call this program again with the same data directory, for hints. */
  command(rest: string): string {
    const home = this.homeFlag === undefined ? '' : ` --home ${shellQuote(this.homeFlag)}`
    return `purchase-sender${home} ${rest}`
  }

  /** The named profile; unknown → exit 2 with the names that exist. */
  profile(name: string): Profile {
    const profile = this.history.findProfileByName(name)
    if (profile) return profile
    const names = this.history.listProfiles().map((existing) => `"${existing.name}"`)
    throw invalidInput(
      `There is no profile named "${name}". ${
        names.length > 0
          ? `The profiles are ${names.join(', ')}.`
          : `There are no profiles yet in ${this.dataDirectory}: create one with "purchase-sender profiles add".`
      }`,
    )
  }

  /** The value of an environment variable a profile names; missing or empty → exit 2. */
  secret(variable: string, profile: Profile, flag: string): string {
    const value = this.env[variable]
    if (value === undefined || value === '')
      throw invalidInput(
        `The environment variable ${variable} (${flag} of profile "${profile.name}") is ${
          value === undefined ? 'not set' : 'empty'
        }. Set it to the secret before running this command.`,
      )
    return value
  }

  /**
   * A function that opens the profile's store. Secrets are read now, so a missing one stops the
   * command before anything is written; opening errors become exit 3. What the store notices
   * while connecting (an http:// address, the key sent in the URL…) is printed on stderr as a
   * warning, unless `quiet` (the caller shows the notices itself).
   */
  storeOpener(
    profile: Profile,
    options: { readonly quiet?: boolean } = {},
  ): () => Promise<StoreSource> {
    const open = this.#opener(profile)
    return async () => {
      let store: StoreSource
      try {
        store = await open()
      } catch (error) {
        throw storeFailure(error)
      }
      if (!options.quiet) this.warnNotices(store.notices)
      return store
    }
  }

  #opener(profile: Profile): () => Promise<StoreSource> {
    const source = profile.source
    if (source.kind === 'webservice') {
      if (source.keyEnv === null)
        throw invalidInput(
          `The profile "${profile.name}" names no environment variable for the Webservice key (the desktop app keeps it in its own secret storage). ` +
            `Remove it and add it again with --ws-key-env VAR.`,
        )
      const key = this.secret(source.keyEnv, profile, '--ws-key-env')
      return () => openWebserviceStore({ url: source.url, key })
    }
    const password =
      source.passwordEnv === null
        ? ''
        : this.secret(source.passwordEnv, profile, '--db-password-env')
    return () =>
      openDatabaseStore({
        host: source.host,
        port: source.port,
        user: source.user,
        password,
        database: source.database,
        tablePrefix: source.tablePrefix,
        tls: source.ssl ? { rejectUnauthorized: true } : null,
      })
  }

  /** Prints each notice once per run, on stderr (stdout stays the command's result). */
  warnNotices(notices: readonly StoreNotice[]): void {
    for (const notice of notices) {
      if (this.#noticesShown.has(notice.code)) continue
      this.#noticesShown.add(notice.code)
      this.output.log(`purchase-sender: warning: ${notice.message}`)
    }
  }

  /** Opens the profile's store now. */
  async openStore(profile: Profile): Promise<StoreSource> {
    return this.storeOpener(profile)()
  }

  /** The profile's Connectif account, its key read from the environment. */
  connectifAccount(profile: Profile): ConnectifAccount {
    const keyEnv = profile.connectif.keyEnv
    if (keyEnv === null)
      throw invalidInput(
        `The profile "${profile.name}" names no environment variable for the Connectif API key. ` +
          `Remove it and add it again with --connectif-key-env VAR.`,
      )
    return {
      apiUrl: profile.connectif.apiUrl,
      apiKey: this.secret(keyEnv, profile, '--connectif-key-env'),
    }
  }

  /** A routing target's account, its key read from the environment variable it names. */
  targetAccount(profile: Profile, target: ConnectifTarget): ConnectifAccount {
    if (target.keyEnv === null)
      throw invalidInput(
        `The Connectif target ${targetLabel(target)} of profile "${profile.name}" names no environment variable for its API key. ` +
          `Remove the profile and add it again with --target '…,key-env=VAR'.`,
      )
    return {
      apiUrl: target.apiUrl,
      apiKey: this.secret(target.keyEnv, profile, `--target ${targetLabel(target)} key-env`),
    }
  }

  /**
   * Everything the engine needs to run a sending of this profile. Every key is read now, so a
   * missing one stops the command before anything is sent. `routing` is the sending's own (a
   * resumed sending routes as it started).
   */
  engineDependencies(
    profile: Profile,
    rateLimit: number,
    routing: { readonly mainAccount: boolean; readonly targets: readonly ConnectifTarget[] } = {
      mainAccount: profile.connectif.mainAccount ?? true,
      targets: profile.connectif.targets ?? [],
    },
  ): EngineDependencies {
    const openStore = this.storeOpener(profile)
    const main = routing.mainAccount ? this.connectifAccount(profile) : null
    const accounts = new Map(
      routing.targets.map((target) => [target.id, this.targetAccount(profile, target)]),
    )
    return {
      history: this.history,
      openStore,
      connectif: (ref, hooks) => {
        const account = ref.kind === 'main' ? main : accounts.get(ref.target.id)
        if (!account)
          throw new Error(
            `No Connectif account for ${ref.kind === 'main' ? 'main' : ref.target.id}`,
          )
        return createConnectifClient({
          account,
          requestsPerMinute: rateLimit,
          clock: this.clock,
          onWait: hooks.onWait,
        })
      },
      clock: this.clock,
      pid: process.pid,
    }
  }
}

/** A store that cannot be opened or read: exit 3 with its message. */
export function storeFailure(error: unknown): CliError {
  if (error instanceof CliError) return error
  if (isStoreError(error))
    return new CliError(EXIT.fatal, `The store failed: ${error.message}`, {
      code: `store_${error.code}`,
    })
  const message = error instanceof Error ? error.message : String(error)
  return new CliError(EXIT.fatal, `The store failed: ${message}`, { code: 'store_failed' })
}

/** History errors a person can act on; the others are bugs and stay errors. */
export function historyFailure(error: unknown): CliError | null {
  if (!(error instanceof HistoryError)) return null
  switch (error.code) {
    case 'profile_exists':
    case 'profile_not_found':
    case 'sending_not_found':
    case 'sending_not_resumable':
    case 'sending_in_progress':
      return invalidInput(error.message)
    case 'database_newer_than_app':
      return new CliError(EXIT.fatal, error.message)
  }
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`
}
