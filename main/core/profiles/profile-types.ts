/**
 * A saved store profile: where the store is read from, which Connectif accounts receive its
 * orders, and the wizard's defaults. A profile never holds a secret, only the names of the
 * environment variables that hold them (the desktop app keeps its secrets in its own secret store).
 */

export interface DatabaseSourceSettings {
  readonly kind: 'database'
  readonly host: string
  readonly port: number
  readonly user: string
  readonly database: string
  readonly tablePrefix: string
  readonly ssl: boolean
  /** Environment variable holding the password (headless profiles); null for none. */
  readonly passwordEnv: string | null
}

export interface WebserviceSourceSettings {
  readonly kind: 'webservice'
  /** The shop's address; the app and the command line save it normalised (`https://shop.example/`). */
  readonly url: string
  /**
   * Environment variable holding the Webservice key (headless profiles); null when the desktop
   * app keeps the key in its secret store.
   */
  readonly keyEnv: string | null
  /**
   * Send the key in the URL (`ws_key`) rather than the Authorization header: only when the
   * merchant turned it on, for shops whose server drops the header. Absent in profiles saved
   * before it existed: off.
   */
  readonly keyInUrl?: boolean
}

export type SourceSettings = DatabaseSourceSettings | WebserviceSourceSettings

/** A routed Connectif account of a profile, without its secret. */
export interface ConnectifTarget {
  /** Stable within the profile: names the target's secret and the orders sent to it. */
  readonly id: string
  readonly apiUrl: string
  /** Environment variable holding the key (command-line profiles); null when the app keeps it. */
  readonly keyEnv: string | null
  /** ISO codes (lower case) of the order languages served; empty serves every language. */
  readonly languages: readonly string[]
  /** ISO codes (upper case) of the order currencies served; empty serves every currency. */
  readonly currencies: readonly string[]
  /** Shop ids served; empty serves every shop. */
  readonly shopIds: readonly number[]
}

export interface ConnectifSettings {
  /** The main account: every order when there are no targets, the orders no target serves otherwise. */
  readonly apiUrl: string
  /** Environment variable holding the API key (headless profiles). */
  readonly keyEnv: string | null
  /**
   * Whether the main account is used (true by default). Only a profile with targets may do
   * without it; its orders no target serves are then skipped.
   */
  readonly mainAccount?: boolean
  /** Accounts for orders of given languages, currencies or shops (multilingual stores); none by default. */
  readonly targets?: readonly ConnectifTarget[]
}

export interface ProfileInput {
  readonly name: string
  readonly source: SourceSettings
  readonly connectif: ConnectifSettings
  /** Shops to read; all when empty. */
  readonly shopIds: readonly number[]
  /** ISO code of the language for state names; the shop default when null. */
  readonly languageIso: string | null
  /** Order states pre-selected in the wizard. */
  readonly defaultStateIds: readonly number[]
}

export interface Profile extends ProfileInput {
  readonly id: number
  readonly createdAt: string
  readonly updatedAt: string
}

/** A profile's accounts: whether the main one is used, and the routing targets. */
export interface Routing {
  readonly mainAccount: boolean
  readonly targets: readonly ConnectifTarget[]
}

/** The routing of a profile; profiles saved before routing existed have one main account. */
export function routingOf(profile: Pick<ProfileInput, 'connectif'>): Routing {
  return {
    mainAccount: profile.connectif.mainAccount ?? true,
    targets: profile.connectif.targets ?? [],
  }
}
