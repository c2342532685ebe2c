/**
 * Where each secret of a profile is sent: the database password to its server, user and
 * database; the Webservice key to the shop's address; each Connectif key to its API address.
 *
 * A saved secret is used only with the destination it was saved for. An editor's draft that
 * points a saved profile somewhere else (another Connectif URL, another database host) would
 * otherwise send the saved secret there — a rogue server would receive it. So a changed
 * destination needs the secret given again: typed in the desktop app; in browser mode, where
 * secrets are environment variables, another variable named for the new destination.
 */
import type { SecretName } from '../../preload/contract'
import { targetIdOfSecret } from '../../preload/contract'
import type { ProfileInput } from '../core/profiles/profile-types'
import { AppError } from './app-errors'

type Settings = Pick<ProfileInput, 'source' | 'connectif'>

/** What the secret is sent to, as one comparable text; null when the settings have no such secret. */
export function destinationOf(settings: Settings, name: SecretName): string | null {
  const targetId = targetIdOfSecret(name)
  if (targetId !== null)
    return settings.connectif.targets?.find((target) => target.id === targetId)?.apiUrl ?? null
  const source = settings.source
  switch (name) {
    case 'connectifKey':
      return settings.connectif.apiUrl
    case 'webserviceKey':
      return source.kind === 'webservice' ? source.url : null
    default:
      return source.kind === 'database'
        ? JSON.stringify([source.host, source.port, source.user, source.database])
        : null
  }
}

/** Which setting a secret's destination is, for people. */
function destinationLabel(name: SecretName): string {
  if (targetIdOfSecret(name) !== null) return "the target's Connectif API URL"
  if (name === 'connectifKey') return 'the Connectif API URL'
  if (name === 'webserviceKey') return "the shop's address"
  return 'the database server, port, user or database'
}

function secretWords(name: SecretName): string {
  if (targetIdOfSecret(name) !== null) return "the target's Connectif API key"
  if (name === 'connectifKey') return 'the Connectif API key'
  if (name === 'webserviceKey') return 'the Webservice key'
  return 'the database password'
}

/** A saved secret asked for with another destination than the one it was saved for. */
export class SecretDestinationError extends AppError {
  constructor(name: SecretName, profile: string, fromEnvironment: boolean) {
    const secret = targetIdOfSecret(name) === null ? name : 'targetKey'
    super(
      'secret_destination_changed',
      fromEnvironment
        ? `${capitalise(destinationLabel(name))} of the profile "${profile}" changed: the environment variable holding ${secretWords(name)} was set up for the old destination and is only sent there. Name a variable for the new destination, or add a new profile.`
        : `${capitalise(destinationLabel(name))} of the profile "${profile}" changed: enter ${secretWords(name)} again for the new destination (a saved secret is only sent where it was saved for).`,
      {
        secret,
        profile,
        target: targetIdOfSecret(name) ?? '',
        reason: fromEnvironment ? 'environment' : 'typed',
      },
    )
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/**
 * Refuses using the secret `name` saved with `saved` for the destination in `draft`, when they
 * differ. A secret given anew (`typed`, or another variable named) may go anywhere.
 */
export function checkSecretDestination(
  name: SecretName,
  saved: Settings & { readonly name: string },
  draft: Settings,
  options: { readonly typed: boolean; readonly fromEnvironment: boolean },
): void {
  if (options.typed) return
  const before = destinationOf(saved, name)
  if (before === null) return
  const after = destinationOf(draft, name)
  if (after !== null && after !== before)
    throw new SecretDestinationError(name, saved.name, options.fromEnvironment)
}
