/**
 * `purchase-sender profiles export` and `profiles import`: moving profiles between data
 * directories, machines, or the desktop app and the command line, in a profiles file
 * (main/core/profiles/profile-file.ts) that holds no secret. Profiles name environment variables,
 * and those names travel; a secret the desktop app stored is left out, and the imported profile
 * says so.
 */
import path from 'node:path'
import type { SecretName } from '../../../preload/contract'
import {
  checkProfilesFile,
  exportProfiles,
  importProfileFile,
  readProfilesFileText,
  writeProfilesFileText,
  type ImportedProfile,
} from '../../app/profile-transfer'
import { secretLabel } from '../../app/secret-store'
import type { Profile } from '../../core/profiles/profile-types'
import type { CliContext } from '../cli-context'
import { EXIT, invalidInput, type ExitCode } from '../cli-output'
import { requiredString, type CommandSpec, type ParsedCommand } from './command-args'
import { profileView } from './profiles'

export const PROFILES_EXPORT: CommandSpec = {
  name: 'profiles export',
  usage: `purchase-sender profiles export --out FILE.json [NAME ...]

Writes the named profiles (every profile when none is named) to FILE.json, to import elsewhere
with "purchase-sender profiles import" or the desktop app's Import button. The file holds no
secret: the names of the environment variables a profile reads stay in it; secrets the desktop
app stored are left out (and named in "secretsLeftOut"), to enter again after importing.
An existing FILE.json is replaced. With --json: {"out": FILE, "profiles": [NAME, ...]}.`,
  options: { out: { type: 'string' } },
  rest: 'NAME',
}

export const PROFILES_IMPORT: CommandSpec = {
  name: 'profiles import',
  usage: `purchase-sender profiles import FILE.json

Creates the profiles of a profiles file (written by "purchase-sender profiles export" or the
desktop app's Export button): every one, or none. A name that already exists here, or a
profile that is not valid, is refused (exit 2) and nothing is imported. With --json:
{"imported": [profile, ...]}, each profile as "profiles show" prints it, plus "secretsToEnter":
the secrets it still needs here (its variable unset, or none named).`,
  options: {},
  positionals: ['FILE.json'],
}

export async function profilesExport(
  context: CliContext,
  parsed: ParsedCommand,
): Promise<ExitCode> {
  const out = requiredString(
    parsed.values,
    'out',
    PROFILES_EXPORT,
    'FILE.json (where to write the profiles)',
  )
  const names = parsed.positionals
  const ids = names.length === 0 ? null : names.map((name) => context.profile(name).id)
  let written: string
  let profiles: readonly string[]
  try {
    const exported = await exportProfiles(context.app, ids)
    profiles = exported.profiles
    written = await writeProfilesFileText(out, exported.content)
  } catch (error) {
    throw context.failure(error)
  }
  context.output.result({ out: written, profiles }, () =>
    profiles.length === 0
      ? `There are no profiles: wrote an empty profiles file to ${written}.`
      : `Exported ${profiles.length} profile${profiles.length === 1 ? '' : 's'} (${profiles
          .map((name) => `"${name}"`)
          .join(
            ', ',
          )}) to ${written}. It holds no secret: only the names of the environment variables the profiles read.`,
  )
  return EXIT.ok
}

/** What an imported profile still needs, in the command line's words (its flags). */
function neededSecret(profile: Profile, name: SecretName): string {
  const variable =
    name === 'dbPassword'
      ? profile.source.kind === 'database'
        ? profile.source.passwordEnv
        : null
      : name === 'webserviceKey'
        ? profile.source.kind === 'webservice'
          ? profile.source.keyEnv
          : null
        : name === 'connectifKey'
          ? profile.connectif.keyEnv
          : ((profile.connectif.targets ?? []).find(
              (target) => `connectifTarget:${target.id}` === name,
            )?.keyEnv ?? null)
  if (variable !== null) return `the ${secretLabel(name)} (set ${variable})`
  const flag =
    name === 'dbPassword'
      ? '--db-password-env VAR'
      : name === 'webserviceKey'
        ? '--ws-key-env VAR'
        : name === 'connectifKey'
          ? '--connectif-key-env VAR'
          : "--target '…,key-env=VAR'"
  return `the ${secretLabel(name)} (the profile names no variable for it: remove it and add it again with ${flag})`
}

function importedLines(file: string, imported: readonly ImportedProfile[]): string {
  const lines = [
    imported.length === 0
      ? `The file ${file} holds no profile: nothing was imported.`
      : `Imported ${imported.length} profile${imported.length === 1 ? '' : 's'} from ${file}: ${imported
          .map((entry) => `"${entry.profile.name}"`)
          .join(', ')}.`,
  ]
  for (const entry of imported)
    if (entry.secretsToEnter.length > 0)
      lines.push(
        `"${entry.profile.name}" needs ${entry.secretsToEnter
          .map((name) => neededSecret(entry.profile, name))
          .join(', ')} before it is used.`,
      )
  return lines.join('\n')
}

export async function profilesImport(
  context: CliContext,
  parsed: ParsedCommand,
): Promise<ExitCode> {
  const file = parsed.positionals[0] ?? ''
  if (file.trim() === '')
    throw invalidInput('"purchase-sender profiles import" needs FILE.json, the profiles file.')
  const fileName = path.basename(file)
  let imported: ImportedProfile[]
  try {
    const text = await readProfilesFileText(file)
    // Checked before the history is opened: a bad file writes nothing, not even a new history.
    checkProfilesFile(null, text, fileName)
    imported = await importProfileFile(context.app, text, fileName)
  } catch (error) {
    throw context.failure(error)
  }
  context.output.result(
    {
      imported: imported.map((entry) => ({
        ...profileView(entry.profile),
        secretsToEnter: entry.secretsToEnter,
      })),
    },
    () => importedLines(file, imported),
  )
  return EXIT.ok
}
