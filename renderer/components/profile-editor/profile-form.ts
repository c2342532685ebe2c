/**
 * The profile form's values, and their conversions: from the profile being edited, and to the
 * fields and the draft sent to main. Pure: no React, no i18next, so the tests run it on Node.
 *
 * The values follow `ProfileFields` (the shape the contract sends, `source` and `connectif`
 * nested, so the model's issues land on their fields by path), with text where an input holds
 * text ('' for a variable not named), plus the secrets the desktop app types: write-only, never
 * part of a profile, never validated by its schema.
 */
import { DEFAULT_CONNECTIF_URL } from '../../../main/core/connectif/connectif-defaults'
import type {
  ProfileDraft,
  ProfileFields,
  ProfileView,
  SecretChange,
  SecretStatus,
} from '../../../preload/contract'

export type SourceKind = 'database' | 'webservice'

export interface DatabaseSourceForm {
  kind: 'database'
  host: string
  port: number
  user: string
  database: string
  tablePrefix: string
  ssl: boolean
  passwordEnv: string
}

export interface WebserviceSourceForm {
  kind: 'webservice'
  url: string
  keyEnv: string
  keyInUrl: boolean
}

export type SourceForm = DatabaseSourceForm | WebserviceSourceForm

/** A secret as the desktop app's field holds it: a new value, or "remove the saved one". */
export interface SecretInput {
  value: string
  clear: boolean
}

/** A routing target: its fields, and its API key (write-only). */
export interface TargetForm {
  id: string
  apiUrl: string
  keyEnv: string
  languages: string[]
  currencies: string[]
  shopIds: number[]
  key: SecretInput
}

export interface ProfileFormValues {
  name: string
  source: SourceForm
  connectif: {
    apiUrl: string
    keyEnv: string
    /** Orders no target serves go to the main account; off, they are skipped. */
    mainAccount: boolean
    targets: TargetForm[]
  }
  shopIds: number[]
  /** '' for the shop's default. */
  languageIso: string
  defaultStateIds: number[]
  /** Not part of the profile: the secrets typed in the desktop app. */
  secrets: {
    dbPassword: SecretInput
    webserviceKey: SecretInput
    connectifKey: SecretInput
  }
}

const noSecret = (): SecretInput => ({ value: '', clear: false })

/** The source a kind starts with when the form switches to it. */
export function emptySource(kind: SourceKind): SourceForm {
  return kind === 'database'
    ? {
        kind,
        host: '127.0.0.1',
        port: 3306,
        user: '',
        database: '',
        tablePrefix: 'ps_',
        ssl: false,
        passwordEnv: '',
      }
    : { kind, url: '', keyEnv: '', keyInUrl: false }
}

/** The form of a saved profile, or of a new one (null). */
export function profileFormValues(profile: ProfileView | null): ProfileFormValues {
  const source = profile?.source
  return {
    name: profile?.name ?? '',
    source: !source
      ? emptySource('database')
      : source.kind === 'database'
        ? {
            kind: 'database',
            host: source.host,
            port: source.port,
            user: source.user,
            database: source.database,
            tablePrefix: source.tablePrefix,
            ssl: source.ssl,
            passwordEnv: source.passwordEnv ?? '',
          }
        : {
            kind: 'webservice',
            url: source.url,
            keyEnv: source.keyEnv ?? '',
            keyInUrl: source.keyInUrl ?? false,
          },
    connectif: {
      apiUrl: profile?.connectif.apiUrl ?? DEFAULT_CONNECTIF_URL,
      keyEnv: profile?.connectif.keyEnv ?? '',
      mainAccount: profile?.connectif.mainAccount ?? true,
      targets: (profile?.connectif.targets ?? []).map((target) => ({
        id: target.id,
        apiUrl: target.apiUrl,
        keyEnv: target.keyEnv ?? '',
        languages: [...target.languages],
        currencies: [...target.currencies],
        shopIds: [...target.shopIds],
        key: noSecret(),
      })),
    },
    shopIds: [...(profile?.shopIds ?? [])],
    languageIso: profile?.languageIso ?? '',
    defaultStateIds: [...(profile?.defaultStateIds ?? [])],
    secrets: { dbPassword: noSecret(), webserviceKey: noSecret(), connectifKey: noSecret() },
  }
}

/** A fresh target, with an id no target of this editing session has had (its key is per id). */
export function newTarget(usedIds: readonly string[], apiUrl: string): TargetForm {
  let number = 1
  while (usedIds.includes(`target-${number}`)) number++
  return {
    id: `target-${number}`,
    apiUrl: apiUrl.trim() || DEFAULT_CONNECTIF_URL,
    keyEnv: '',
    languages: [],
    currencies: [],
    shopIds: [],
    key: noSecret(),
  }
}

/** The main account is used: always without targets, else as the switch says. */
export function usesMainAccount(values: Pick<ProfileFormValues, 'connectif'>): boolean {
  return values.connectif.targets.length === 0 || values.connectif.mainAccount
}

/** The port field's text as the number the profile holds; 0 (refused) when it is no number. */
export function portFromText(text: string): number {
  const port = Number(text.trim())
  return /^\d+$/.test(text.trim()) && Number.isSafeInteger(port) ? port : 0
}

/** A shop id typed in a target as a number (the model says whether it is a shop id); null when not a number at all. */
export function shopIdFromText(text: string): number | null {
  const id = Number(text.trim())
  return text.trim() !== '' && Number.isFinite(id) ? id : null
}

function blankToNull(value: string): string | null {
  return value.trim() === '' ? null : value.trim()
}

/** The profile's fields, as validated by the model's schema and sent to main: no secret. */
export function toProfileFields(values: ProfileFormValues): ProfileFields {
  const source = values.source
  return {
    name: values.name.trim(),
    source:
      source.kind === 'database'
        ? {
            kind: 'database',
            host: source.host.trim(),
            port: source.port,
            user: source.user.trim(),
            database: source.database.trim(),
            tablePrefix: source.tablePrefix,
            ssl: source.ssl,
            passwordEnv: blankToNull(source.passwordEnv),
          }
        : {
            kind: 'webservice',
            url: source.url.trim(),
            keyEnv: blankToNull(source.keyEnv),
            keyInUrl: source.keyInUrl,
          },
    connectif: {
      apiUrl: values.connectif.apiUrl.trim(),
      keyEnv: blankToNull(values.connectif.keyEnv),
      mainAccount: usesMainAccount(values),
      targets: values.connectif.targets.map((target) => ({
        id: target.id,
        apiUrl: target.apiUrl.trim(),
        keyEnv: blankToNull(target.keyEnv),
        languages: [...target.languages],
        currencies: [...target.currencies],
        shopIds: [...target.shopIds],
      })),
    },
    shopIds: [...values.shopIds],
    languageIso: blankToNull(values.languageIso),
    defaultStateIds: [...values.defaultStateIds],
  }
}

/** What the draft says about a secret: a new one, remove it, keep what is saved, or nothing. */
export function secretChange(input: SecretInput, keepSaved: boolean): SecretChange | undefined {
  if (input.value !== '') return { set: input.value }
  if (input.clear) return { clear: true }
  return keepSaved ? { keep: true } : undefined
}

/**
 * The draft main saves or tests: the fields, and the secrets typed in the desktop app (none in
 * browser mode, where main reads them from the environment variables the profile names).
 */
export function profileDraft(
  values: ProfileFormValues,
  profile: ProfileView | null,
  browserMode: boolean,
): ProfileDraft {
  const fields = toProfileFields(values)
  const saved = profile !== null
  const change = (input: SecretInput, keepSaved: boolean) =>
    browserMode ? undefined : secretChange(input, keepSaved)
  const database = values.source.kind === 'database'
  const dbPassword = database ? change(values.secrets.dbPassword, saved) : undefined
  const webserviceKey = database ? undefined : change(values.secrets.webserviceKey, saved)
  const connectifKey = usesMainAccount(values)
    ? change(values.secrets.connectifKey, saved)
    : undefined
  const targetStatus = (id: string): SecretStatus | undefined => profile?.secrets.targetKeys[id]
  const targetKeys = Object.fromEntries(
    values.connectif.targets.flatMap((target) => {
      const keyChange = change(target.key, targetStatus(target.id) === 'saved')
      return keyChange ? [[target.id, keyChange] as const] : []
    }),
  )
  return {
    id: profile?.id ?? null,
    profile: fields,
    secrets: {
      ...(dbPassword ? { dbPassword } : {}),
      ...(webserviceKey ? { webserviceKey } : {}),
      ...(connectifKey ? { connectifKey } : {}),
      ...(Object.keys(targetKeys).length > 0 ? { targetKeys } : {}),
    },
  }
}
