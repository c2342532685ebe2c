/**
 * What the profile editor keeps when the merchant leaves it with unsaved changes (another tab, the
 * browser's Back, a link): the form's values, restored when the same profile's editor opens again,
 * as long as the profile was not saved since. Typed secrets are never kept (they would outlive the
 * form in the renderer): the merchant types them again. Pure: no React, for the tests.
 */
import type { ProfileFormValues, SecretInput } from './profile-form'

/** The editor a draft belongs to: a saved profile's, or the new profile's. */
export type DraftKey = number | 'new'

export interface ProfileDraftKept {
  readonly values: ProfileFormValues
  /** The saved profile's `updatedAt` the draft was made on (null for a new profile). */
  readonly updatedAt: string | null
  /** Secrets had been typed: they were left out. */
  readonly secretsDropped: boolean
}

const drafts = new Map<DraftKey, ProfileDraftKept>()

const typed = (input: SecretInput): boolean => input.value !== ''
const blank = (input: SecretInput): SecretInput => ({ value: '', clear: input.clear })

/** Whether two form states hold the same values (a form is plain data: JSON compares it). */
export function sameValues(a: ProfileFormValues, b: ProfileFormValues): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** Keeps the values of an editor left unsaved, without the secrets typed in them. */
export function keepDraft(key: DraftKey, updatedAt: string | null, values: ProfileFormValues) {
  const secrets = values.secrets
  const targets = values.connectif.targets
  const secretsDropped =
    Object.values(secrets).some(typed) || targets.some((target) => typed(target.key))
  drafts.set(key, {
    updatedAt,
    secretsDropped,
    values: {
      ...values,
      secrets: {
        dbPassword: blank(secrets.dbPassword),
        webserviceKey: blank(secrets.webserviceKey),
        connectifKey: blank(secrets.connectifKey),
      },
      connectif: {
        ...values.connectif,
        targets: targets.map((target) => ({ ...target, key: blank(target.key) })),
      },
    },
  })
}

/**
 * The draft kept for this editor; null when there is none, or when the profile was saved since
 * (that draft is dropped: it was made on what the profile no longer is).
 */
export function keptDraft(key: DraftKey, updatedAt: string | null): ProfileDraftKept | null {
  const draft = drafts.get(key)
  if (!draft) return null
  if (draft.updatedAt === updatedAt) return draft
  drafts.delete(key)
  return null
}

/** Whether an editor was left with unsaved changes (its card says so). */
export function hasDraft(key: DraftKey, updatedAt: string | null): boolean {
  return drafts.get(key)?.updatedAt === updatedAt
}

/** Saved, or its changes discarded: nothing to restore any more. */
export function dropDraft(key: DraftKey): void {
  drafts.delete(key)
}
