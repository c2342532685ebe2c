/**
 * Where a profile's secrets (database password or Webservice key, Connectif API keys: the main
 * account's and one per routing target, by target id) live. They stay in the main process: the
 * renderer only ever sees `saved` or `missing`.
 *
 * Two implementations fit this interface: the desktop app's (main/shell, Electron `safeStorage`
 * ciphertext in a JSON file or table under userData, refusing Linux `basic_text`), and
 * `EnvironmentSecretStore` for browser mode and headless use, which reads the environment
 * variables a profile names and refuses to store anything.
 */
import { targetIdOfSecret, type SecretName, type SecretStatus } from '../../preload/contract'
import type { Profile, ProfileInput } from '../core/profiles/profile-types'

export type { SecretName, SecretStatus }

export type StorageAvailability =
  { readonly ok: true } | { readonly ok: false; readonly reason: string }

/** Unsaved settings a secret may depend on (browser mode: the variable names in an editor's draft). */
export type SecretSettings = Pick<ProfileInput, 'source' | 'connectif'>

export interface SecretStore {
  /**
   * The secret, or null when none is saved (or its variable is unset or empty). With `draft`,
   * as it would be for those settings (a store that keys secrets by profile ignores it).
   */
  get(profileId: number | null, name: SecretName, draft?: SecretSettings): Promise<string | null>
  /** Throws `SecretStoreError` ('secrets_unavailable') when this store cannot keep secrets. */
  set(profileId: number, name: SecretName, value: string): Promise<void>
  /** Removing what is not there is not an error. */
  remove(profileId: number, name: SecretName): Promise<void>
  status(profileId: number, name: SecretName): Promise<SecretStatus>
  /** Whether `set` can work here (no secure storage → a reason to show the merchant). */
  canStore(): StorageAvailability
}

export type SecretStoreErrorCode = 'secrets_unavailable' | 'secret_unreadable'

/**
 * An expected failure of a secret store; becomes an error value with this code, message and
 * params (the variable parts of the message, for the screens to translate it).
 */
export class SecretStoreError extends Error {
  override readonly name = 'SecretStoreError'
  constructor(
    readonly code: SecretStoreErrorCode,
    message: string,
    readonly params: Readonly<Record<string, string>> = {},
  ) {
    super(message)
  }
}

/** The variable names suggested when a profile names none. */
export const SUGGESTED_VARIABLES = {
  dbPassword: 'PURCHASE_SENDER_DB_PASSWORD',
  webserviceKey: 'PURCHASE_SENDER_WS_KEY',
  connectifKey: 'PURCHASE_SENDER_CONNECTIF_KEY',
} as const

/** The variable suggested for a secret: a target's is named after its id. */
export function suggestedVariable(name: SecretName): string {
  const targetId = targetIdOfSecret(name)
  if (targetId === null) return SUGGESTED_VARIABLES[name as keyof typeof SUGGESTED_VARIABLES]
  return `PURCHASE_SENDER_CONNECTIF_KEY_${targetId.toUpperCase().replace(/-/g, '_')}`
}

/** A secret's name for people, without an article: `Connectif API key of the target "es-eur"`. */
export function secretLabel(name: SecretName): string {
  const targetId = targetIdOfSecret(name)
  if (targetId !== null) return `Connectif API key of the target "${targetId}"`
  return name === 'dbPassword'
    ? 'database password'
    : name === 'webserviceKey'
      ? 'Webservice key'
      : 'Connectif API key'
}

/**
 * Browser mode reads no environment variable but its own: whoever holds the page's token must not
 * be able to have any other variable of the host (`AWS_SECRET_ACCESS_KEY`…) sent anywhere.
 */
export const BROWSER_MODE_VARIABLE_PREFIX = 'PURCHASE_SENDER_'

export interface EnvironmentSecretStoreOptions {
  readonly env?: NodeJS.ProcessEnv
  /** The saved profile of an id (throws or returns null when there is none). */
  readonly profile: (profileId: number) => Profile | null
  /**
   * Only variables whose name starts with this are read (browser mode's
   * `BROWSER_MODE_VARIABLE_PREFIX`, the default); null reads any (the command line, whose
   * user names the variables on their own machine).
   */
  readonly requiredPrefix?: string | null
}

/**
 * Browser mode: secrets come from environment variables named in the profile
 * (`source.passwordEnv` or `source.keyEnv`, `connectif.keyEnv`, each target's `keyEnv`), exactly
 * as the command line reads them.
 */
export class EnvironmentSecretStore implements SecretStore {
  readonly #env: NodeJS.ProcessEnv
  readonly #profile: (profileId: number) => Profile | null
  /** Null: any variable may be read. */
  readonly requiredPrefix: string | null

  constructor(options: EnvironmentSecretStoreOptions) {
    this.#env = options.env ?? process.env
    this.#profile = options.profile
    this.requiredPrefix =
      options.requiredPrefix === undefined ? BROWSER_MODE_VARIABLE_PREFIX : options.requiredPrefix
  }

  /** Whether this store may read the variable at all. */
  mayRead(variable: string): boolean {
    return this.requiredPrefix === null || variable.startsWith(this.requiredPrefix)
  }

  /** The variable the profile (or the draft) names for this secret, or null. */
  variableOf(profileId: number | null, name: SecretName, draft?: SecretSettings): string | null {
    const settings = draft ?? (profileId === null ? null : this.#profile(profileId))
    if (!settings) return null
    const source = settings.source
    const targetId = targetIdOfSecret(name)
    if (targetId !== null)
      return settings.connectif.targets?.find((target) => target.id === targetId)?.keyEnv ?? null
    if (name === 'connectifKey') return settings.connectif.keyEnv
    if (name === 'webserviceKey') return source.kind === 'webservice' ? source.keyEnv : null
    return source.kind === 'database' ? source.passwordEnv : null
  }

  /** Whether the variable the profile names for this secret is set, unset or empty. */
  variableState(
    profileId: number | null,
    name: SecretName,
    draft?: SecretSettings,
  ): {
    readonly variable: string | null
    readonly state: 'set' | 'unset' | 'empty' | 'not_allowed'
  } {
    const variable = this.variableOf(profileId, name, draft)
    if (variable !== null && !this.mayRead(variable)) return { variable, state: 'not_allowed' }
    const value = variable === null ? undefined : this.#env[variable]
    return { variable, state: value === undefined ? 'unset' : value === '' ? 'empty' : 'set' }
  }

  /** A variable this store may not read is never read: as if it held nothing. */
  get(profileId: number | null, name: SecretName, draft?: SecretSettings): Promise<string | null> {
    const variable = this.variableOf(profileId, name, draft)
    const value = variable === null || !this.mayRead(variable) ? undefined : this.#env[variable]
    return Promise.resolve(value === undefined || value === '' ? null : value)
  }

  set(profileId: number, name: SecretName): Promise<void> {
    const variable = this.variableOf(profileId, name) ?? suggestedVariable(name)
    return Promise.reject(
      new SecretStoreError(
        'secrets_unavailable',
        `In browser mode secrets come from environment variables: set ${variable} to the ${secretLabel(name)} before starting "npm run web", and name it in the profile.`,
        { reason: 'environment', variable },
      ),
    )
  }

  remove(): Promise<void> {
    // Nothing is stored: the variable belongs to whoever started the host.
    return Promise.resolve()
  }

  async status(profileId: number, name: SecretName): Promise<SecretStatus> {
    return (await this.get(profileId, name)) === null ? 'missing' : 'saved'
  }

  canStore(): StorageAvailability {
    return {
      ok: false,
      reason:
        'In browser mode secrets come from environment variables: set them before starting "npm run web" and name them in the profile.',
    }
  }
}
