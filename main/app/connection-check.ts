/**
 * "Test connection": checks a profile's store and the key of each of its Connectif accounts,
 * separately and at once, for the saved profile or an editor's draft (with the secrets being
 * typed). One result shape (`ConnectionTest`) serves the screens and the command line's JSON.
 */
import type {
  AccountCheck,
  ChannelRequest,
  ConnectionTest,
  StoreCheck,
} from '../../preload/contract'
import { MAIN_ACCOUNT_LABEL } from '../core/sending/connectif-routing'
import { targetLabel } from '../core/profiles/profile-rules'
import { routingOf, type ProfileInput } from '../core/profiles/profile-types'
import type { StoreOverview, StoreSource } from '../core/store/store-source'
import { INTERNAL_ERROR_MESSAGE, toErrorValue } from './app-errors'
import type { AppContext } from './app-context'
import {
  parseProfileFields,
  refuseUnreadableVariables,
  type SecretChanges,
} from './profile-use-cases'
import { currencyViews, languageView, plural, shopView } from './store-views'
import { languageIdOf, stateView } from './store-use-cases'

/** Checks the saved profile (`{ id }`) or an editor's draft. */
export async function testConnection(
  context: AppContext,
  request: ChannelRequest<'profiles:test'>,
): Promise<ConnectionTest> {
  let profileId: number | null
  let settings: ProfileInput
  let changes: SecretChanges = {}
  if ('profile' in request) {
    profileId = request.id
    settings = parseProfileFields(request.profile, request.secrets)
    refuseUnreadableVariables(context, settings)
    changes = request.secrets
  } else {
    const profile = context.profiles.get(request.id)
    profileId = profile.id
    settings = profile
  }
  const routing = routingOf(settings)
  const secrets = context.secrets
  const [store, accounts] = await Promise.all([
    checkStore(context, settings, () => secrets.storeSecret(profileId, settings, changes)),
    Promise.all([
      ...(routing.mainAccount
        ? [
            checkAccount(
              context,
              {
                account: MAIN_ACCOUNT_LABEL,
                targetId: null,
                apiUrl: settings.connectif.apiUrl,
                keyEnv: settings.connectif.keyEnv,
              },
              () => secrets.connectifKey(profileId, settings, changes.connectifKey),
            ),
          ]
        : []),
      ...routing.targets.map((target) =>
        checkAccount(
          context,
          {
            account: targetLabel(target),
            targetId: target.id,
            apiUrl: target.apiUrl,
            keyEnv: target.keyEnv,
          },
          () => secrets.targetKey(profileId, settings, target, changes.targetKeys?.[target.id]),
        ),
      ),
    ]),
  ])
  logCheck(context, profileId, store, accounts)
  return { store, connectif: summary(accounts, routing.targets.length > 0), accounts }
}

/** The check in the diagnostic log: what failed and its code, each account by its API's host. */
function logCheck(
  context: AppContext,
  profileId: number | null,
  store: StoreCheck,
  accounts: readonly AccountCheck[],
): void {
  context.logger.log({
    event: 'connection_check',
    profileId,
    store: store.ok
      ? { ok: true, version: store.version }
      : { ok: false, code: store.code, message: store.message },
    accounts: accounts.map((account) => ({
      account: account.account,
      host: hostOf(account.apiUrl),
      ok: account.ok,
      problem: account.problem,
      warnings: (account.warnings ?? []).map((warning) => warning.code),
    })),
  })
}

function hostOf(apiUrl: string): string {
  try {
    return new URL(apiUrl).host
  } catch {
    return 'invalid URL'
  }
}

/**
 * Without targets, the one account's check, as it always was; with targets, a sum of every
 * account (each one is in `accounts`).
 */
function summary(accounts: readonly AccountCheck[], routed: boolean): ConnectionTest['connectif'] {
  const first = accounts[0]
  if (!routed && first) return { ok: first.ok, message: first.message, problem: first.problem }
  const failed = accounts.filter((account) => !account.ok)
  return {
    ok: failed.length === 0,
    message:
      failed.length === 0
        ? `All ${accounts.length} Connectif accounts accept their key.`
        : `${accounts.length - failed.length} of ${accounts.length} Connectif accounts accept their key; ${failed
            .map((account) => `${account.account}: ${account.message}`)
            .join('; ')}`,
  }
}

async function checkStore(
  context: AppContext,
  settings: ProfileInput,
  secret: () => Promise<string>,
): Promise<StoreCheck> {
  let store: StoreSource | null = null
  try {
    store = await context.openStore(settings.source, await secret())
    const overview: StoreOverview = await store.overview()
    const shops = overview.shops.map(shopView)
    const languages = overview.languages.map(languageView)
    const states = await store.orderStates(draftLanguage(overview, settings.languageIso))
    return {
      ok: true,
      message: `Connected: PrestaShop ${overview.version.raw}, ${plural(shops.length, 'shop')}, ${plural(languages.length, 'language')}.`,
      version: overview.version.raw,
      shops,
      languages,
      currencies: currencyViews(overview),
      notices: [...store.notices, ...((await store.catalogueNotices?.()) ?? [])].map((notice) => ({
        code: notice.code,
        message: notice.message,
      })),
      states: states.map(stateView),
    }
  } catch (error) {
    const value = toErrorValue(error, context.log)
    return {
      ok: false,
      code: value.code,
      message: value.message,
      ...(value.params ? { params: value.params } : {}),
    }
  } finally {
    await store?.close().catch(() => undefined)
  }
}

/** The draft's language in the store; the shop default when it names none the store has. */
function draftLanguage(overview: StoreOverview, iso: string | null): number | undefined {
  if (iso === null || iso.trim() === '') return undefined
  try {
    return languageIdOf(overview, iso)
  } catch {
    // A language the store lacks is the form's to point out, not the connection check's.
    return undefined
  }
}

/** Checks one Connectif account's key, as `key` gives it (or fails to: `missing_key`). */
async function checkAccount(
  context: AppContext,
  account: Pick<AccountCheck, 'account' | 'targetId' | 'apiUrl' | 'keyEnv'>,
  key: () => Promise<string>,
): Promise<AccountCheck> {
  let apiKey: string
  try {
    apiKey = await key()
  } catch (error) {
    const value = toErrorValue(error, context.log)
    return {
      ...account,
      ok: false,
      problem: 'missing_key',
      message: value.message,
      ...(value.params ? { params: value.params } : {}),
      error: value,
    }
  }
  try {
    const client = context.connectifFactory({
      account: { apiUrl: account.apiUrl, apiKey },
      clock: context.clock,
    })
    const access = await client.checkAccess()
    const checked = { ...account, ok: access.ok, problem: access.problem, message: access.message }
    if (!access.ok) return checked
    // Listing one import creates nothing; only a clear refusal is worth a warning.
    const imports = await client.checkImportAccess()
    return imports.allowed === false
      ? {
          ...checked,
          warnings: [
            {
              code: 'imports_not_allowed',
              message: imports.message,
              params: { account: account.account, apiUrl: account.apiUrl },
            },
          ],
        }
      : checked
  } catch (error) {
    context.log('The Connectif check failed unexpectedly', error)
    return { ...account, ok: false, problem: 'unexpected', message: INTERNAL_ERROR_MESSAGE }
  }
}
