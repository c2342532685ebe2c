/**
 * Moving profiles from one Purchase Sender to another: export to a profiles file
 * (main/core/profiles/profile-file.ts) and import from one, for the command line (`profiles
 * export`, `profiles import`) and the profiles page (a download and a file picked in browser mode,
 * the desktop shell's save and open dialogs in the app).
 *
 * The file holds no secret: profiles name environment variables, which travel; a secret the app
 * stored for a profile is left out and named in `secretsLeftOut`, and the imported profile asks
 * for it again. An import creates every profile of the file or none: a name already taken, or any
 * profile that would not be saved by hand, refuses the whole file.
 */
import { randomBytes } from 'node:crypto'
import { open, readFile, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import type {
  ErrorDetail,
  ProfilesExported,
  ProfilesFileOpened,
  ProfilesFileSaved,
  ProfilesImported,
  SecretName,
} from '../../preload/contract'
import { targetSecretName } from '../../preload/contract'
import {
  MAX_PROFILES_FILE_BYTES,
  ProfilesFileError,
  readProfilesFile,
  writeProfilesFile,
  type LeftOutSecret,
  type ProfilesFileEntry,
} from '../core/profiles/profile-file'
import { routingOf, type Profile, type ProfileInput } from '../core/profiles/profile-types'
import type { AppContext } from './app-context'
import { AppError } from './app-errors'
import { parseProfileFields, profileView, refuseUnreadableVariables } from './profile-use-cases'
import { EnvironmentSecretStore } from './secret-store'

/**
 * The desktop shell's native dialogs for profiles files (main/shell/profile-file-dialogs.ts).
 * Browser mode has none: it downloads the file, and sends the content of one the merchant picks.
 */
export interface ProfileFileDialog {
  /** Where to save the file offered as `defaultFileName`; null when cancelled. */
  chooseExportPath(defaultFileName: string): Promise<string | null>
  /** The file to import; null when cancelled. */
  chooseImportPath(): Promise<string | null>
}

/** The secrets a profile uses, by name: its store's, the main account's, each target's. */
function secretNamesOf(profile: Pick<ProfileInput, 'source' | 'connectif'>): SecretName[] {
  const routing = routingOf(profile)
  return [
    profile.source.kind === 'database' ? 'dbPassword' : 'webserviceKey',
    ...(routing.mainAccount ? (['connectifKey'] as const) : []),
    ...routing.targets.map((target) => targetSecretName(target.id)),
  ]
}

/** The environment variable a profile names for a secret, or null. */
function variableOf(profile: Pick<ProfileInput, 'source' | 'connectif'>, name: SecretName) {
  if (name === 'dbPassword')
    return profile.source.kind === 'database' ? profile.source.passwordEnv : null
  if (name === 'webserviceKey')
    return profile.source.kind === 'webservice' ? profile.source.keyEnv : null
  if (name === 'connectifKey') return profile.connectif.keyEnv
  const id = name.slice('connectifTarget:'.length)
  return (profile.connectif.targets ?? []).find((target) => target.id === id)?.keyEnv ?? null
}

/** The secrets this app keeps for the profile itself (not read from variables): left out. */
async function storedSecrets(context: AppContext, profile: Profile): Promise<LeftOutSecret[]> {
  if (context.secretStore instanceof EnvironmentSecretStore) return []
  const stored: LeftOutSecret[] = []
  for (const name of secretNamesOf(profile))
    if ((await context.secretStore.status(profile.id, name)) === 'saved') stored.push(name)
  return stored
}

/** `purchase-sender-profiles-2025-06-30.json`, or with the one profile's name. */
function exportFileName(profiles: readonly Profile[], now: number): string {
  const day = new Date(now).toISOString().slice(0, 10)
  const only = profiles.length === 1 ? profiles[0] : undefined
  const slug = only
    ? only.name
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 60)
    : ''
  return `purchase-sender-profiles${slug === '' ? '' : `_${slug}`}_${day}.json`
}

/**
 * The profiles file of the given profiles (every profile when `ids` is null), in their order of
 * names. HistoryError 'profile_not_found' for an id that is not a profile.
 */
export async function exportProfiles(
  context: AppContext,
  ids: readonly number[] | null,
): Promise<ProfilesExported> {
  const profiles =
    ids === null ? context.profiles.list() : [...new Set(ids)].map((id) => context.profiles.get(id))
  const entries = []
  for (const profile of profiles)
    entries.push({ profile, secretsLeftOut: await storedSecrets(context, profile) })
  const now = context.clock.now()
  return {
    fileName: exportFileName(profiles, now),
    content: writeProfilesFile(entries, new Date(now).toISOString()),
    profiles: profiles.map((profile) => profile.name),
  }
}

/**
 * The secrets an imported profile still needs here: those it uses that this app does not have.
 * A database password counts only when the file says one was stored, or a variable is named
 * (a database user may have none).
 */
async function secretsToEnter(
  context: AppContext,
  profile: Profile,
  leftOut: readonly LeftOutSecret[],
): Promise<SecretName[]> {
  const missing: SecretName[] = []
  for (const name of secretNamesOf(profile)) {
    if (name === 'dbPassword' && !leftOut.includes(name) && variableOf(profile, name) === null)
      continue
    if ((await context.secretStore.status(profile.id, name)) === 'missing') missing.push(name)
  }
  return missing
}

/** A problem of the file as the screens and the command line get it. */
function fileProblem(error: ProfilesFileError, fileName: string | null): AppError {
  const where = fileName === null ? 'The profiles file' : `The profiles file ${fileName}`
  return new AppError(
    'profiles_file_invalid',
    `${where} cannot be imported: ${error.message.replace(/^The file('s)? /, (_, s: string | undefined) => (s ? 'its ' : 'it '))} Nothing was imported.`,
    { reason: error.reason, ...error.params },
    error.issues.map((issue): ErrorDetail => ({
      field: issue.field,
      code: 'profiles_file_field',
      message: issue.field === '' ? issue.message : `${issue.field}: ${issue.message}`,
      params: { field: issue.field, problem: issue.message },
    })),
  )
}

/**
 * The profiles of a file's text, each checked as a profile saved by hand would be (`context`
 * gives browser mode's rule on variable names); AppError 'profiles_file_invalid' saying which
 * profile and which field is wrong. Writes nothing.
 */
export function checkProfilesFile(
  context: AppContext | null,
  text: string,
  fileName: string | null = null,
): { readonly entries: readonly ProfilesFileEntry[]; readonly inputs: readonly ProfileInput[] } {
  let entries
  try {
    entries = readProfilesFile(text)
  } catch (error) {
    if (error instanceof ProfilesFileError) throw fileProblem(error, fileName)
    throw error
  }
  const inputs = entries.map((entry) => {
    try {
      const input = parseProfileFields(entry.fields)
      if (context !== null) refuseUnreadableVariables(context, input)
      return input
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      const name = entry.fields.name.trim()
      const details = error.details ?? [
        {
          code: error.code,
          message: error.message,
          ...(error.params ? { params: error.params } : {}),
        },
      ]
      throw new AppError(
        'profiles_file_invalid',
        `${fileName === null ? 'The profiles file' : `The profiles file ${fileName}`} cannot be imported: its profile ${entry.position}${name === '' ? '' : ` ("${name}")`} is not valid: ${details.map((detail) => detail.message).join('; ')}. Nothing was imported.`,
        { reason: 'profile', position: String(entry.position), profile: name },
        details,
      )
    }
  })
  return { entries, inputs }
}

/** A profile just imported, with the secrets left out of its file and those it needs here. */
export interface ImportedProfile {
  readonly profile: Profile
  readonly secretsLeftOut: readonly LeftOutSecret[]
  readonly secretsToEnter: readonly SecretName[]
}

/**
 * Imports the profiles of a file's text: every one, or none (AppError 'profiles_file_invalid'
 * saying which profile and field is wrong, 'profiles_import_exists' naming the names taken).
 * Each imported profile comes with the secrets it still needs here.
 */
export async function importProfileFile(
  context: AppContext,
  text: string,
  fileName: string | null = null,
): Promise<ImportedProfile[]> {
  const { entries, inputs } = checkProfilesFile(context, text, fileName)
  const taken = inputs.flatMap((input) => {
    const existing = context.profiles.findByName(input.name)
    return existing === null ? [] : [existing.name]
  })
  if (taken.length > 0)
    throw new AppError(
      'profiles_import_exists',
      `Nothing was imported: ${taken.length === 1 ? 'a profile named' : 'profiles named'} ${taken.map((name) => `"${name}"`).join(', ')} already ${taken.length === 1 ? 'exists' : 'exist'} here (names ignore case). Rename or remove ${taken.length === 1 ? 'it' : 'them'}, or remove ${taken.length === 1 ? 'that profile' : 'those profiles'} from the file, then import again.`,
      { profiles: taken.map((name) => `"${name}"`).join(', '), count: String(taken.length) },
    )
  // One transaction: a name taken meanwhile (another process) refuses them all.
  const created = context.profiles.createAll(inputs)
  const imported: ImportedProfile[] = []
  for (const [index, profile] of created.entries()) {
    const leftOut = entries[index]?.secretsLeftOut ?? []
    imported.push({
      profile,
      secretsLeftOut: leftOut,
      secretsToEnter: await secretsToEnter(context, profile, leftOut),
    })
  }
  return imported
}

/** `profiles:import`: importProfileFile, with the profiles as the screens see them. */
export async function importProfiles(
  context: AppContext,
  text: string,
  fileName: string | null = null,
): Promise<ProfilesImported> {
  const imported = []
  for (const entry of await importProfileFile(context, text, fileName))
    imported.push({
      profile: await profileView(context, entry.profile),
      secretsLeftOut: [...entry.secretsLeftOut],
      secretsToEnter: [...entry.secretsToEnter],
    })
  return { imported }
}

/** Reads a profiles file from disk; AppError 'profiles_file_unreadable' when it cannot be. */
export async function readProfilesFileText(file: string): Promise<string> {
  const target = path.resolve(file)
  try {
    const info = await stat(target)
    if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' })
    if (info.size > MAX_PROFILES_FILE_BYTES)
      throw new AppError(
        'profiles_file_unreadable',
        `The profiles file ${target} is too large (${info.size} bytes; a profiles file is far under ${MAX_PROFILES_FILE_BYTES}): it is not one.`,
        { reason: 'too_large', path: target, cause: 'EFBIG' },
      )
    return await readFile(target, 'utf8')
  } catch (error) {
    if (error instanceof AppError) throw error
    const cause = systemCode(error)
    throw new AppError(
      'profiles_file_unreadable',
      `The profiles file ${target} cannot be read: ${error instanceof Error ? error.message : String(error)}.`,
      { reason: 'read', path: target, cause },
    )
  }
}

/**
 * Writes a profiles file through a temporary file beside it, renamed over it once complete, so a
 * failure leaves neither half a file nor the file it would have replaced damaged; owner-only,
 * like the history. AppError 'profiles_file_write_failed' naming the file.
 */
export async function writeProfilesFileText(file: string, content: string): Promise<string> {
  const target = path.resolve(file)
  const temporary = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString('hex')}.part`,
  )
  let created = false
  try {
    const handle = await open(temporary, 'wx', 0o600)
    created = true
    try {
      await handle.writeFile(content, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, target)
    return target
  } catch (error) {
    if (created) await rm(temporary, { force: true }).catch(() => undefined)
    throw new AppError(
      'profiles_file_write_failed',
      `The profiles file could not be saved to ${target}: ${error instanceof Error ? error.message : String(error)}. Nothing was written there.`,
      { path: target, cause: systemCode(error) },
    )
  }
}

function systemCode(error: unknown): string {
  return typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : 'EIO'
}

function noDialog(): AppError {
  return new AppError(
    'profiles_file_dialog_unavailable',
    'Only the desktop app opens and saves profiles files through a dialog: in browser mode, download the file or pick one instead.',
  )
}

/** `profiles:export-save`: the desktop app's "Export…": asks where, then writes the file. */
export async function saveProfilesFile(
  context: AppContext,
  dialog: ProfileFileDialog | null,
  ids: readonly number[] | null,
): Promise<ProfilesFileSaved> {
  if (dialog === null) throw noDialog()
  const exported = await exportProfiles(context, ids)
  const file = await dialog.chooseExportPath(exported.fileName)
  if (file === null) return { saved: false }
  const written = await writeProfilesFileText(file, exported.content)
  return { saved: true, path: written, profiles: exported.profiles }
}

/** `profiles:import-open`: the desktop app's "Import…": asks which file, then imports it. */
export async function openProfilesFile(
  context: AppContext,
  dialog: ProfileFileDialog | null,
): Promise<ProfilesFileOpened> {
  if (dialog === null) throw noDialog()
  const file = await dialog.chooseImportPath()
  if (file === null) return { opened: false }
  const text = await readProfilesFileText(file)
  const imported = await importProfiles(context, text, path.basename(file))
  return { opened: true, path: path.resolve(file), ...imported }
}
