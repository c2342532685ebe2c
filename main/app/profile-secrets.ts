/**
 * The secrets a profile is used with — its database password or Webservice key, the main
 * Connectif account's key, each routing target's key — read from whichever secret store the
 * entry point has: the desktop app's encrypted store, or the environment variables a profile
 * names (browser mode and the command line). A secret being typed in an editor (a `SecretChange`)
 * wins over the saved one.
 *
 * A secret that cannot be had is a `MissingSecretError` whose parameters say which, of which
 * profile and target, the variable named and why; each entry point phrases it its own way (the
 * command line names its flags).
 */
import type { SecretChange, SecretName } from '../../preload/contract'
import { targetSecretName } from '../../preload/contract'
import type { ConnectifAccount } from '../core/connectif/connectif-api'
import { targetLabel } from '../core/profiles/profile-rules'
import type { ConnectifTarget, Profile, Routing } from '../core/profiles/profile-types'
import { AppError } from './app-errors'
import { checkSecretDestination } from './secret-destinations'
import { EnvironmentSecretStore, type SecretSettings, type SecretStore } from './secret-store'

export type SecretRole = 'dbPassword' | 'webserviceKey' | 'connectifKey' | 'targetKey'

/**
 * Why a secret is missing: its variable is `unset` or `empty`, the profile names no variable
 * (`unnamed`, environment secrets), nothing is saved for it (`not_saved`, the desktop app), or
 * browser mode may not read that variable (`not_allowed`: only `PURCHASE_SENDER_*` ones).
 */
export type MissingReason = 'unset' | 'empty' | 'unnamed' | 'not_saved' | 'not_allowed'

export interface MissingSecretParams {
  readonly secret: SecretRole
  readonly reason: MissingReason
  readonly profile: string
  /** The environment variable named, or ''. */
  readonly variable: string
  /** The routing target's label (`lang=es,currency=EUR`), or '' for the other secrets. */
  readonly target: string
  /** The target's position in the profile, from 1, or ''. */
  readonly position: string
  /** For `not_allowed`: the prefix every variable must start with. */
  readonly prefix?: string
}

const SECRET_LABELS: Readonly<Record<SecretRole, string>> = {
  dbPassword: 'database password',
  webserviceKey: 'Webservice key',
  connectifKey: 'Connectif API key',
  targetKey: 'Connectif API key',
}

function englishMissingSecret(params: MissingSecretParams): string {
  const label = SECRET_LABELS[params.secret]
  const ofTarget =
    params.secret === 'targetKey'
      ? ` of target ${params.position} (${params.target || 'no condition'})`
      : ''
  switch (params.reason) {
    case 'unset':
    case 'empty':
      return `The environment variable ${params.variable} (the ${label}${ofTarget} of the profile "${params.profile}") is ${params.reason === 'unset' ? 'not set' : 'empty'}: set it before starting Purchase Sender.`
    case 'unnamed':
      return `The profile "${params.profile}" names no environment variable for the ${label}${ofTarget}: name one in the profile, and set it before starting Purchase Sender.`
    case 'not_allowed':
      return `Browser mode reads only environment variables whose name starts with ${params.prefix}: ${params.variable} (the ${label}${ofTarget} of the profile "${params.profile}") is not read. Put the secret in a variable such as ${params.prefix}${params.secret === 'dbPassword' ? 'DB_PASSWORD' : params.secret === 'webserviceKey' ? 'WS_KEY' : 'CONNECTIF_KEY'} and name it in the profile.`
    case 'not_saved':
      return params.secret === 'webserviceKey'
        ? `No Webservice key is saved for the profile "${params.profile}": edit the profile and enter the key (PrestaShop back office, Advanced Parameters > Webservice).`
        : `No ${label} is saved for ${ofTarget ? `${ofTarget.slice(4)} of ` : ''}the profile "${params.profile}": edit the profile and enter the key.`
  }
}

export class MissingSecretError extends AppError {
  constructor(readonly missing: MissingSecretParams) {
    super('secret_missing', englishMissingSecret(missing), { ...missing })
  }
}

/** The settings a secret depends on, saved or being edited. */
export type SecretContext = SecretSettings & { readonly name: string }

export class ProfileSecrets {
  readonly #store: SecretStore

  readonly #savedProfile: (profileId: number) => Profile | null

  /** `savedProfile`: the profile as saved, to hold a draft's destinations against. */
  constructor(store: SecretStore, savedProfile: (profileId: number) => Profile | null) {
    this.#store = store
    this.#savedProfile = savedProfile
  }

  /**
   * Refuses a saved secret for a draft that sends it elsewhere than the saved profile does
   * (secret-destinations.ts); a secret typed now, or another variable named, may go anywhere.
   */
  checkDestination(
    profileId: number | null,
    name: SecretName,
    draft: SecretSettings,
    change: SecretChange | undefined,
  ): void {
    const saved = profileId === null ? null : this.#savedProfile(profileId)
    if (saved === null) return
    const store = this.#store
    const typed =
      (change !== undefined && 'set' in change) ||
      (store instanceof EnvironmentSecretStore &&
        store.variableOf(null, name, draft) !== store.variableOf(null, name, saved))
    checkSecretDestination(name, saved, draft, {
      typed,
      fromEnvironment: this.fromEnvironment,
    })
  }

  /** Whether secrets come from environment variables (browser mode, the command line). */
  get fromEnvironment(): boolean {
    return this.#store instanceof EnvironmentSecretStore
  }

  /**
   * The secret the profile's store is opened with. A database user without a password is legal:
   * no saved password is '' — unless a variable is named and unset, which is a mistake.
   */
  async storeSecret(
    profileId: number | null,
    settings: SecretContext,
    changes: { dbPassword?: SecretChange; webserviceKey?: SecretChange } = {},
  ): Promise<string> {
    if (settings.source.kind === 'database') {
      const change = changes.dbPassword
      if (change && 'clear' in change) return ''
      const value = await this.#read(profileId, 'dbPassword', settings, change)
      if (value !== null) return value
      const missing = this.#missing(profileId, 'dbPassword', settings)
      if (
        missing.reason === 'unset' ||
        missing.reason === 'empty' ||
        missing.reason === 'not_allowed'
      )
        throw new MissingSecretError(missing)
      return ''
    }
    return this.#required(profileId, 'webserviceKey', settings, changes.webserviceKey)
  }

  /** The main Connectif account's key. */
  connectifKey(
    profileId: number | null,
    settings: SecretContext,
    change?: SecretChange,
  ): Promise<string> {
    return this.#required(profileId, 'connectifKey', settings, change)
  }

  /** A routing target's key (kept per profile and target id). */
  targetKey(
    profileId: number | null,
    settings: SecretContext,
    target: ConnectifTarget,
    change?: SecretChange,
  ): Promise<string> {
    return this.#required(profileId, targetSecretName(target.id), settings, change, target)
  }

  /**
   * Every Connectif account of a sending with its key, keyed '' for the main account and by
   * target id; every key is read now, so a missing one stops before anything is sent.
   * `routing` is the sending's own: a target removed since is named, never guessed.
   */
  async accounts(profile: Profile, routing: Routing): Promise<Map<string, ConnectifAccount>> {
    const accounts = new Map<string, ConnectifAccount>()
    if (routing.mainAccount)
      accounts.set('', {
        apiUrl: profile.connectif.apiUrl,
        apiKey: await this.connectifKey(profile.id, profile),
      })
    const settings: SecretContext = {
      name: profile.name,
      source: profile.source,
      connectif: { ...profile.connectif, targets: routing.targets },
    }
    const current = profile.connectif.targets ?? []
    for (const [index, target] of routing.targets.entries()) {
      const apiKey = await this.targetKey(profile.id, settings, target).catch((error: unknown) => {
        if (current.some((kept) => kept.id === target.id)) throw error
        throw new AppError(
          'target_removed',
          `This sending sends orders to target ${index + 1} (${targetLabel(target)}), which was removed from the profile "${profile.name}" with its key since: it cannot be resumed. Start a new sending instead (orders already created are answered as already existing).`,
          { target: targetLabel(target), profile: profile.name, position: String(index + 1) },
        )
      })
      accounts.set(target.id, { apiUrl: target.apiUrl, apiKey })
    }
    return accounts
  }

  async #required(
    profileId: number | null,
    name: SecretName,
    settings: SecretContext,
    change: SecretChange | undefined,
    target?: ConnectifTarget,
  ): Promise<string> {
    const value =
      change && 'clear' in change ? null : await this.#read(profileId, name, settings, change)
    if (value !== null) return value
    throw new MissingSecretError(this.#missing(profileId, name, settings, target))
  }

  async #read(
    profileId: number | null,
    name: SecretName,
    settings: SecretContext,
    change: SecretChange | undefined,
  ): Promise<string | null> {
    if (change && 'set' in change) return change.set
    this.checkDestination(profileId, name, settings, change)
    return this.#store.get(profileId, name, settings)
  }

  #missing(
    profileId: number | null,
    name: SecretName,
    settings: SecretContext,
    target?: ConnectifTarget,
  ): MissingSecretParams {
    const role: SecretRole = target ? 'targetKey' : (name as Exclude<SecretRole, 'targetKey'>)
    const position = target
      ? String((settings.connectif.targets ?? []).findIndex((t) => t.id === target.id) + 1 || '')
      : ''
    const base = {
      secret: role,
      profile: settings.name,
      target: target ? targetLabel(target) : '',
      position,
    }
    if (!(this.#store instanceof EnvironmentSecretStore))
      return { ...base, reason: 'not_saved', variable: '' }
    const { variable, state } = this.#store.variableState(profileId, name, settings)
    if (variable === null) return { ...base, reason: 'unnamed', variable: '' }
    if (state === 'not_allowed')
      return {
        ...base,
        reason: 'not_allowed',
        variable,
        prefix: this.#store.requiredPrefix ?? '',
      }
    return { ...base, reason: state === 'empty' ? 'empty' : 'unset', variable }
  }
}
