/**
 * The file profiles move in, from one Purchase Sender to another (`profiles export` and `import`,
 * and the profiles page's buttons):
 *
 * ```json
 * { "format": "purchase-sender-profiles", "version": 1, "exportedAt": "…", "profiles": [ … ] }
 * ```
 *
 * Each profile is its settings exactly as an editor or the command line gives them (the
 * profile's fields: names of environment variables, never a secret) and `secretsLeftOut`: the
 * secrets the exporting app had stored for it (`dbPassword`, `webserviceKey`, `connectifKey`,
 * `connectifTarget:<target id>`), left out of the file, which the importing app asks for again.
 *
 * Reading checks the file with zod, one step after the other, so each problem is said precisely:
 * not JSON, not a profiles file, a newer version, or which profile and which field. The profile
 * rules themselves (profile-rules.ts) are the application layer's to check, as for any profile
 * saved. Pure: no file system here.
 */
import { z } from 'zod'
import { TARGET_ID_PATTERN } from './profile-rules'
import { profileFieldsSchema, type ProfileFields } from './profile-schema'
import type { ConnectifTarget, Profile } from './profile-types'

export const PROFILES_FILE_FORMAT = 'purchase-sender-profiles'
export const PROFILES_FILE_VERSION = 1
/** More than anyone keeps; a bound on what one import may create. */
export const MAX_PROFILES_IN_FILE = 500
/** A file of MAX_PROFILES_IN_FILE large profiles stays well under this. */
export const MAX_PROFILES_FILE_BYTES = 2_000_000

/** A secret the exporting app had stored for a profile, left out of the file. */
export type LeftOutSecret =
  'dbPassword' | 'webserviceKey' | 'connectifKey' | `connectifTarget:${string}`

const leftOutSecretSchema = z.union([
  z.enum(['dbPassword', 'webserviceKey', 'connectifKey']),
  z
    .string()
    .regex(new RegExp(`^connectifTarget:${TARGET_ID_PATTERN.source.slice(1, -1)}$`), {
      message: 'must be dbPassword, webserviceKey, connectifKey or connectifTarget:<target id>',
    })
    .transform((name) => name as `connectifTarget:${string}`),
])

/** One profile of the file: its fields, and the names of the secrets left out. */
const entrySchema = profileFieldsSchema.extend({
  secretsLeftOut: z.array(leftOutSecretSchema).max(60).default([]),
})

const documentSchema = z.strictObject({
  format: z.literal(PROFILES_FILE_FORMAT),
  version: z.literal(PROFILES_FILE_VERSION),
  /** When it was written (ISO); informative. */
  exportedAt: z.string().max(40).optional(),
  profiles: z.array(z.unknown()).max(MAX_PROFILES_IN_FILE, {
    message: `must hold at most ${MAX_PROFILES_IN_FILE} profiles`,
  }),
})

export interface ProfilesFileEntry {
  /** Its place in the file, from 1. */
  readonly position: number
  readonly fields: ProfileFields
  readonly secretsLeftOut: readonly LeftOutSecret[]
}

/** What is wrong with a file, from the file down to a profile's field. */
export type ProfilesFileProblem =
  /** Not JSON at all (`detail`: the parser's words). */
  | 'json'
  /** JSON, but not a profiles file of this format (`detail`). */
  | 'format'
  /** Written by a newer Purchase Sender (`version`, `supported`). */
  | 'version'
  /** A profile's fields are malformed (`position`, `profile`; the details name the fields). */
  | 'profile'
  /** Two profiles of the file have the same name, ignoring case (`profile`, `positions`). */
  | 'duplicate'

export interface ProfilesFileIssue {
  /** The field, relative to the profile (`source.port`), or to the file (`profiles`). */
  readonly field: string
  readonly message: string
}

export class ProfilesFileError extends Error {
  override readonly name = 'ProfilesFileError'
  constructor(
    readonly reason: ProfilesFileProblem,
    message: string,
    readonly params: Readonly<Record<string, string>>,
    readonly issues: readonly ProfilesFileIssue[] = [],
  ) {
    super(message)
  }
}

/** A profile's fields as the file holds them: what `profiles:save` takes, nothing more. */
export function profileFileFields(profile: Profile): ProfileFields {
  const source = profile.source
  return {
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
        : {
            kind: 'webservice',
            url: source.url,
            keyEnv: source.keyEnv,
            keyInUrl: source.keyInUrl === true,
          },
    connectif: {
      apiUrl: profile.connectif.apiUrl,
      keyEnv: profile.connectif.keyEnv,
      mainAccount: profile.connectif.mainAccount ?? true,
      targets: (profile.connectif.targets ?? []).map((target: ConnectifTarget) => ({
        id: target.id,
        apiUrl: target.apiUrl,
        keyEnv: target.keyEnv,
        languages: [...target.languages],
        currencies: [...target.currencies],
        shopIds: [...target.shopIds],
      })),
    },
    shopIds: [...profile.shopIds],
    languageIso: profile.languageIso,
    defaultStateIds: [...profile.defaultStateIds],
  }
}

/** The file's text: pretty JSON, one trailing newline. */
export function writeProfilesFile(
  profiles: readonly {
    readonly profile: Profile
    readonly secretsLeftOut: readonly LeftOutSecret[]
  }[],
  exportedAt: string,
): string {
  const document = {
    format: PROFILES_FILE_FORMAT,
    version: PROFILES_FILE_VERSION,
    exportedAt,
    profiles: profiles.map(({ profile, secretsLeftOut }) => ({
      ...profileFileFields(profile),
      secretsLeftOut: [...secretsLeftOut],
    })),
  }
  return `${JSON.stringify(document, null, 2)}\n`
}

function issuePath(path: readonly PropertyKey[]): string {
  return path.map((part) => String(part)).join('.')
}

/** A profile's name as the file gives it, for messages ('' when it has none). */
function nameOf(entry: unknown): string {
  const name =
    typeof entry === 'object' && entry !== null ? (entry as { name?: unknown }).name : undefined
  return typeof name === 'string' ? name.trim().slice(0, 200) : ''
}

function describeProfile(position: number, name: string): string {
  return `profile ${position}${name === '' ? '' : ` ("${name}")`}`
}

/**
 * Reads a profiles file: its profiles, or ProfilesFileError saying what is wrong, where. A
 * profile's rules are not checked here (see above), only its shape.
 */
export function readProfilesFile(text: string): ProfilesFileEntry[] {
  let document: unknown
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new ProfilesFileError('json', `The file is not JSON: ${detail}.`, { detail })
  }
  const format =
    typeof document === 'object' && document !== null && !Array.isArray(document)
      ? (document as { format?: unknown; version?: unknown })
      : null
  if (format === null || format.format !== PROFILES_FILE_FORMAT) {
    const detail = `its "format" must be "${PROFILES_FILE_FORMAT}"`
    throw new ProfilesFileError(
      'format',
      `The file is not a Purchase Sender profiles file: ${detail}.`,
      { detail },
    )
  }
  if (typeof format.version === 'number' && format.version > PROFILES_FILE_VERSION)
    throw new ProfilesFileError(
      'version',
      `The file was written by a newer Purchase Sender (profiles file version ${format.version}; this one reads version ${PROFILES_FILE_VERSION}): update Purchase Sender to import it.`,
      { version: String(format.version), supported: String(PROFILES_FILE_VERSION) },
    )
  const parsed = documentSchema.safeParse(document)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      field: issuePath(issue.path),
      message: issue.message,
    }))
    const detail = issues
      .map((issue) => (issue.field === '' ? issue.message : `${issue.field}: ${issue.message}`))
      .join('; ')
    throw new ProfilesFileError(
      'format',
      `The file is not a Purchase Sender profiles file: ${detail}.`,
      { detail },
      issues,
    )
  }
  const entries = parsed.data.profiles.map((raw, index): ProfilesFileEntry => {
    const position = index + 1
    const entry = entrySchema.safeParse(raw)
    if (!entry.success) {
      const name = nameOf(raw)
      const issues = entry.error.issues.map((issue) => ({
        field: issuePath(issue.path),
        message: issue.message,
      }))
      throw new ProfilesFileError(
        'profile',
        `The file's ${describeProfile(position, name)} is not valid: ${issues
          .map((issue) => (issue.field === '' ? issue.message : `${issue.field}: ${issue.message}`))
          .join('; ')}.`,
        { position: String(position), profile: name },
        issues,
      )
    }
    const { secretsLeftOut, ...fields } = entry.data
    return { position, fields, secretsLeftOut }
  })
  const seen = new Map<string, number>()
  for (const entry of entries) {
    const key = entry.fields.name.trim().normalize('NFC').toLowerCase()
    const first = seen.get(key)
    if (first !== undefined)
      throw new ProfilesFileError(
        'duplicate',
        `The file holds two profiles named "${entry.fields.name.trim()}" (${first} and ${entry.position}; names ignore case): rename one of them.`,
        { profile: entry.fields.name.trim(), positions: `${first}, ${entry.position}` },
      )
    seen.set(key, entry.position)
  }
  return entries
}
