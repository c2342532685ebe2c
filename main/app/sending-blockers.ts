/**
 * Whether resuming a sending, or retrying its failed orders, can help now: after a failure that
 * only the merchant can mend (a key Connectif refused, a database password or store address the
 * store refused, a secret that is missing), trying again would fail the same way. The one rule
 * the history, a sending's page and the start-up offer of interrupted sendings all follow.
 */
import type { SendingBlockView, SendingFix } from '../../preload/contract'
import type { SendingRecord } from '../core/history/history-types'
import { MAIN_ACCOUNT_LABEL } from '../core/sending/connectif-routing'
import { routingOfSending } from '../core/sending/sending-request'
import type { Profile } from '../core/profiles/profile-types'
import type { AppContext } from './app-context'
import { MissingSecretError, type MissingSecretParams } from './profile-secrets'

/**
 * The fatal errors (sending-run.ts: Connectif's codes, `store_<code>` for the store's) that the
 * profile, or the store or Connectif account it names, must be mended for. The others (a lost
 * connection, a timeout, a query that failed) may pass by themselves: resuming is worth a try.
 */
const FIX_OF_FATAL: Readonly<Record<string, SendingFix>> = {
  connectif_unauthorized: 'connectif_key',
  connectif_forbidden: 'connectif_permission',
  store_access_denied: 'store_access',
  store_database_access_denied: 'store_access',
  store_host_unreachable: 'store_address',
  store_unknown_database: 'store_address',
  store_invalid_url: 'store_address',
  store_not_webservice: 'store_address',
  store_redirected: 'store_address',
  store_not_prestashop: 'store_address',
  store_no_tables_with_prefix: 'store_address',
  store_webservice_disabled: 'store_permission',
  store_missing_permission: 'store_permission',
  store_shop_not_allowed: 'store_permission',
  store_missing_select_privilege: 'store_permission',
}

/** What a fatal error asks to mend first; null when resuming may help as it is. */
export function fixOfFatal(code: string): SendingFix | null {
  return Object.hasOwn(FIX_OF_FATAL, code) ? (FIX_OF_FATAL[code] ?? null) : null
}

/**
 * The Connectif account whose key was refused, as authFailure (order-delivery.ts) names it in its
 * message (a sending's fatal error keeps no params): `main`, a target's label, or null when the
 * profile has one account.
 */
export function refusedAccount(message: string): string | null {
  if (/\bmain account's API key\b/i.test(message)) return MAIN_ACCOUNT_LABEL
  const target = /\bAPI key of the target (\S+) (?:\(40[13]\)|lacks\b)/i.exec(message)
  return target?.[1] ?? null
}

/**
 * What must be mended before `sending` can be resumed or retried, or null when nothing must.
 * `profile` is the sending's profile as saved now (null once removed: nothing is offered then);
 * `missing` the secret it lacks now, if any. A fatal error stops blocking once the profile was
 * saved after it: the merchant says so by saving the corrected key, password or address.
 */
export function sendingBlock(
  sending: SendingRecord,
  profile: Pick<Profile, 'id' | 'updatedAt'> | null,
  missing: MissingSecretParams | null,
): SendingBlockView | null {
  if (profile === null || sending.state === 'running' || sending.state === 'queued') return null
  const fatal = sending.fatalError
  const fix = fatal ? fixOfFatal(fatal.code) : null
  if (fatal && fix && !savedAfter(profile.updatedAt, sending.finishedAt))
    return {
      code: fatal.code,
      fix,
      profileId: profile.id,
      account: fix.startsWith('connectif_') ? refusedAccount(fatal.message) : null,
    }
  if (missing)
    return {
      code: 'secret_missing',
      fix: 'secret_missing',
      profileId: profile.id,
      account: missing.secret === 'targetKey' ? missing.target : null,
      secret: missing.secret,
    }
  return null
}

function savedAfter(updatedAt: string, finishedAt: string | null): boolean {
  return finishedAt !== null && Date.parse(updatedAt) > Date.parse(finishedAt)
}

/**
 * The secret the sending would lack to run now (its store's, or the key of one of its Connectif
 * accounts), or null. Read as resuming reads them (sending-runner.ts), so what is offered works.
 */
export async function missingSecretOf(
  context: AppContext,
  profile: Profile,
  sending: SendingRecord,
): Promise<MissingSecretParams | null> {
  try {
    await context.secrets.storeSecret(profile.id, profile)
    await context.secrets.accounts(profile, routingOfSending(sending))
    return null
  } catch (error) {
    // Other refusals (a target removed since) are said when resuming; they block nothing here.
    if (error instanceof MissingSecretError) return error.missing
    return null
  }
}
