/**
 * `purchase-sender profiles test`: the application layer's connection check of a profile's store
 * and of each of its Connectif accounts, printed for people or as JSON; a missing secret is
 * invalid input (exit 2), a failed check exit 3.
 */
import { testConnection } from '../../app/connection-check'
import type { MissingSecretParams } from '../../app/profile-secrets'
import { routingOf } from '../../core/profiles/profile-types'
import { missingSecretMessage, type CliContext } from '../cli-context'
import { EXIT, invalidInput, type ExitCode } from '../cli-output'
import type { CommandSpec, ParsedCommand } from './command-args'

export const PROFILES_TEST: CommandSpec = {
  name: 'profiles test',
  usage: `purchase-sender profiles test NAME

Opens the store (and prints its PrestaShop version, shops and languages) and asks Connectif
whether the API key is accepted, for the main account and each --target of the profile; says
which failed and why.`,
  options: {},
  positionals: ['NAME'],
}

/** The parameters of a missing secret, as a check reports them. */
function missingSecret(params: Readonly<Record<string, string>> | undefined): MissingSecretParams {
  return params as unknown as MissingSecretParams
}

export async function profilesTest(context: CliContext, parsed: ParsedCommand): Promise<ExitCode> {
  const profile = context.profile(parsed.positionals[0] ?? '')
  const result = await testConnection(context.app, { id: profile.id })
  const { store, connectif, accounts } = result
  // A missing secret is an input error (exit 2), whichever check found it.
  const missing =
    !store.ok && store.code === 'secret_missing'
      ? store.params
      : accounts.find((account) => account.problem === 'missing_key')?.params
  if (missing) throw invalidInput(missingSecretMessage(missingSecret(missing)))
  // The notices are part of the result: in the report for people, in the JSON (and on stderr,
  // where scripts look for warnings) with --json; never twice on one screen.
  if (store.ok && context.output.json) context.warnNotices(store.notices)
  if (context.output.json)
    for (const account of accounts)
      for (const warning of account.warnings ?? [])
        context.output.log(`purchase-sender: warning: ${warning.message}`)
  const routed = (profile.connectif.targets ?? []).length > 0
  const failedAccounts = accounts.filter((account) => !account.ok)
  const width = Math.max(...accounts.map((account) => account.account.length))
  context.output.result(result, () =>
    [
      `Store:     ${store.ok ? 'OK' : 'FAILED'} — ${store.ok ? store.message.replace(/^Connected: /, '') : store.message.replace(/^The store could not be read: /, '')}`,
      ...(store.ok
        ? [
            `           shops: ${store.shops.map((shop) => `${shop.id} ${shop.name} (${shop.timezone})`).join('; ')}`,
            `           languages: ${store.languages.map((language) => `${language.isoCode}${language.active ? '' : ' (inactive)'}`).join(', ')}`,
            ...store.notices.map((notice) => `           warning: ${notice.message}`),
          ]
        : []),
      ...(routed
        ? [
            ...accounts.flatMap((account) => [
              `Connectif ${`${account.account}:`.padEnd(width + 1)} ${account.ok ? 'OK' : 'FAILED'} — ${account.message} (key ${account.keyEnv ?? '?'}, ${account.apiUrl})`,
              ...(account.warnings ?? []).map(
                (warning) => `           warning: ${warning.message}`,
              ),
            ]),
            `Orders no target serves: ${routingOf(profile).mainAccount ? 'sent to the main account' : 'skipped (the profile has no main Connectif account)'}`,
          ]
        : [
            `Connectif: ${connectif.ok ? 'OK' : 'FAILED'} — ${connectif.message}`,
            ...accounts.flatMap((account) =>
              (account.warnings ?? []).map((warning) => `           warning: ${warning.message}`),
            ),
          ]),
    ].join('\n'),
  )
  if (!store.ok || !connectif.ok) {
    const failed = [
      !store.ok ? 'the store' : null,
      ...(routed
        ? failedAccounts.map((account) => `Connectif (${account.account})`)
        : !connectif.ok
          ? ['Connectif']
          : []),
    ].filter((what) => what !== null)
    context.output.log(`purchase-sender: the check of ${failed.join(' and ')} failed.`)
    return EXIT.fatal
  }
  return EXIT.ok
}
