/**
 * Between the profiles page and a profile's editor page (`#/profiles/<id>`, `#/profiles/new`):
 * which editor the merchant comes back from (the profiles page gives the focus back to the button
 * that opened it), and which profiles were just duplicated (their editor selects the copy's name
 * and says whose copy it is). Kept here rather than in the address: they only matter right after
 * the move, never on a reload or a shared link.
 */
import { navigate } from '../../routing/use-hash-route'
import type { DraftKey } from '../profile-editor/profile-drafts'

let returningFrom: DraftKey | null = null
/** The original's name, by the copy's id. */
const copies = new Map<number, string>()

/** Opens a profile's editor page; `copyOf`: it is a copy just made of that profile. */
export function openProfileEditor(profileId: DraftKey, copyOf?: string): void {
  if (copyOf !== undefined && profileId !== 'new') copies.set(profileId, copyOf)
  navigate({ page: 'profile', profileId })
}

/** Back to the profiles page from an editor (saved or cancelled): that entry is done with. */
export function leaveProfileEditor(profileId: DraftKey): void {
  returningFrom = profileId
  if (profileId !== 'new') copies.delete(profileId)
  navigate({ page: 'profiles' }, { replace: true })
}

/** The editor the profiles page was just opened from, if any (read without clearing it). */
export function editorReturnedFrom(): DraftKey | null {
  return returningFrom
}

export function clearEditorReturn(): void {
  returningFrom = null
}

/** The name of the profile this one is a copy of, when it was just duplicated. */
export function copiedFrom(profileId: DraftKey): string | undefined {
  return profileId === 'new' ? undefined : copies.get(profileId)
}
