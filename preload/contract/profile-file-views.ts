/**
 * Part of the main ⇄ renderer contract (preload/contract.ts): moving profiles in a profiles file
 * (main/core/profiles/profile-file.ts), which never holds a secret. Only zod is imported.
 */
import { z } from 'zod'
import type { ProfileView, SecretName } from './profile-views'

const id = z.number().int().positive()

/** Far more than any profiles file, and under the browser-mode host's body limit. */
export const MAX_PROFILES_FILE_CHARACTERS = 500_000

/** The profiles to export; every profile when absent or empty. */
export const profilesExportSchema = z.strictObject({
  ids: z.array(id).max(10_000).default([]),
})

/** Browser mode: the text of the file the merchant picked. */
export const profilesImportSchema = z.strictObject({
  content: z.string().max(MAX_PROFILES_FILE_CHARACTERS, {
    message: `must be at most ${MAX_PROFILES_FILE_CHARACTERS} characters: a profiles file is far smaller`,
  }),
  /** The file's name, to name it in messages. */
  fileName: z.string().max(255).nullable().default(null),
})

/** A profiles file, for the browser to download. */
export interface ProfilesExported {
  /** `purchase-sender-profiles_2025-06-30.json` */
  readonly fileName: string
  /** The file's JSON text. */
  readonly content: string
  /** The names of the profiles in it. */
  readonly profiles: readonly string[]
}

/** The desktop app's export: where the file went, or nothing when the dialog was cancelled. */
export type ProfilesFileSaved =
  | { readonly saved: false }
  | { readonly saved: true; readonly path: string; readonly profiles: readonly string[] }

export interface ImportedProfileView {
  readonly profile: ProfileView
  /** The secrets the exporting app had stored for it, left out of the file. */
  readonly secretsLeftOut: readonly SecretName[]
  /** The secrets it still needs here: enter them again (or name their variables). */
  readonly secretsToEnter: readonly SecretName[]
}

export interface ProfilesImported {
  readonly imported: readonly ImportedProfileView[]
}

/** The desktop app's import: what was imported, or nothing when the dialog was cancelled. */
export type ProfilesFileOpened =
  { readonly opened: false } | ({ readonly opened: true; readonly path: string } & ProfilesImported)
