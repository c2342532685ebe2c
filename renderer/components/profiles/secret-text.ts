/**
 * How the screens speak of a profile's secrets. Where the app keeps them (the desktop app, with
 * the OS keychain) a secret is "saved" or "missing"; where they come from environment variables
 * (browser mode, or a desktop without a keychain) nothing is saved: the secret is read "from
 * variable X", which is set or not.
 */
import type { TFunction } from 'i18next'
import type { AppInfo, SecretStatus } from '../../../preload/contract'

/** Secrets are named by environment variables, never typed nor saved. */
export function secretsFromVariables(info: AppInfo): boolean {
  return info.mode === 'browser' || !info.secretStorage.ok
}

/** A secret's state in a few words, for a profile's card. */
export function secretStatusText(
  t: TFunction,
  status: SecretStatus | 'not-needed',
  /** The variable the profile names for it (null: none). */
  variable: string | null,
  fromVariables: boolean,
): string {
  if (status === 'not-needed') return t('profile.notNeeded')
  if (!fromVariables) return status === 'saved' ? t('profile.saved') : t('profile.missing')
  if (variable === null || variable.trim() === '') return t('profile.noVariable')
  return status === 'saved'
    ? t('profile.fromVariable', { variable })
    : t('profile.variableNotSet', { variable })
}
