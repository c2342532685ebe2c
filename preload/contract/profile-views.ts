/**
 * Part of the main ⇄ renderer contract (preload/contract.ts): profiles as the renderer sees them, and
 * their write-only secrets. Only zod and the pure profile model are imported.
 */
import { z } from 'zod'
import { TARGET_ID_PATTERN } from '../../main/core/profiles/profile-rules'
import { profileFieldsSchema } from '../../main/core/profiles/profile-schema'
import type { ConnectifTarget, SourceSettings } from '../../main/core/profiles/profile-types'
import type { ProfileScheduleView } from './schedule-views'

const id = z.number().int().positive()

export type SecretStatus = 'saved' | 'missing'

/** The API key of a profile's Connectif routing target, kept per profile and target id. */
export type TargetSecretName = `connectifTarget:${string}`

export type SecretName = 'dbPassword' | 'webserviceKey' | 'connectifKey' | TargetSecretName

export function targetSecretName(targetId: string): TargetSecretName {
  return `connectifTarget:${targetId}`
}

/** The target id of a target's secret name; null for the other secrets. */
export function targetIdOfSecret(name: SecretName): string | null {
  return name.startsWith('connectifTarget:') ? name.slice('connectifTarget:'.length) : null
}

const targetId = z.string().regex(TARGET_ID_PATTERN, {
  message: 'must be lower-case letters, digits and "-" (at most 64)',
})

/** Write-only: a new value, keep what is saved, or remove it. */
export const secretChangeSchema = z.union([
  z.strictObject({ set: z.string().min(1, { message: 'must not be empty' }).max(4096) }),
  z.strictObject({ keep: z.literal(true) }),
  z.strictObject({ clear: z.literal(true) }),
])
export type SecretChange = z.input<typeof secretChangeSchema>

export const secretChangesSchema = z.strictObject({
  dbPassword: secretChangeSchema.optional(),
  /** The PrestaShop Webservice key, kept like the database password. */
  webserviceKey: secretChangeSchema.optional(),
  connectifKey: secretChangeSchema.optional(),
  /** The API keys of the routing targets, by target id (each must be a target of the profile). */
  targetKeys: z.record(targetId, secretChangeSchema).optional(),
})

export const profileDraftSchema = z.strictObject({
  /** Null for a profile not saved yet. */
  id: id.nullable(),
  profile: profileFieldsSchema,
  secrets: secretChangesSchema.default({}),
})
export type ProfileDraft = z.input<typeof profileDraftSchema>

/** A profile's store source as the renderer sees it: its settings, which hold no secret. */
export type SourceView = SourceSettings

/** A routing target as the renderer sees it (its key's state is in `ProfileView.secrets`). */
export type ConnectifTargetView = ConnectifTarget & {
  /** How progress, history and reports name it, e.g. `lang=es,currency=EUR`. */
  readonly label: string
}

/** A profile as the renderer sees it: settings and the state of its secrets, never a secret. */
export interface ProfileView {
  readonly id: number
  readonly name: string
  readonly source: SourceView
  readonly connectif: {
    readonly apiUrl: string
    readonly keyEnv: string | null
    /** Orders no target serves go to the main account (else they are skipped). */
    readonly mainAccount: boolean
    readonly targets: readonly ConnectifTargetView[]
  }
  readonly shopIds: readonly number[]
  readonly languageIso: string | null
  readonly defaultStateIds: readonly number[]
  readonly createdAt: string
  readonly updatedAt: string
  readonly secrets: {
    /** `not-needed` for a source without a database password (Webservice). */
    readonly dbPassword: SecretStatus | 'not-needed'
    /** `not-needed` for a source without a Webservice key (database). */
    readonly webserviceKey: SecretStatus | 'not-needed'
    /** `not-needed` when the profile keeps no main account (its targets serve every order sent). */
    readonly connectifKey: SecretStatus | 'not-needed'
    /** The API key of each routing target, by target id. */
    readonly targetKeys: Readonly<Record<string, SecretStatus>>
  }
  /** Its automatic sending; null when it never had one. */
  readonly schedule: ProfileScheduleView | null
}
