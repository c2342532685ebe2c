/**
 * `purchase-sender profiles add|list|show|remove|test`. Profiles live in the history database and
 * hold no secret: only the names of the environment variables read at run time.
 */
import type { ChannelRequest, ErrorDetail } from '../../../preload/contract'
import { AppError } from '../../app/app-errors'
import { deleteProfile, parseProfileFields, saveProfile } from '../../app/profile-use-cases'
import { DEFAULT_CONNECTIF_URL } from '../../core/connectif/connectif-defaults'
import { isStoreError } from '../../core/store/store-errors'
import { normaliseShopUrl } from '../../core/store/webservice/webservice-client'
import type { CliContext } from '../cli-context'
import { type CliError, EXIT, formatTable, invalidInput, type ExitCode } from '../cli-output'
import {
  booleanOption,
  parseIdList,
  parseInteger,
  requiredString,
  stringOption,
  stringOptions,
  usageOf,
  type CommandSpec,
  type ParsedCommand,
} from './command-args'
import { describeTarget, namingSpecs, parseTargetSpecs, TARGET_SYNTAX } from './target-spec'
import { routingOf } from '../../core/profiles/profile-types'
import type {
  ConnectifSettings,
  Profile,
  ProfileInput,
  SourceSettings,
} from '../../core/profiles/profile-types'
import { targetLabel } from '../../core/profiles/profile-rules'

export const PROFILES_USAGE = `purchase-sender profiles add|list|show|remove|test|export|import ...

  profiles add --name NAME ...   save a profile (see "purchase-sender profiles add --help")
  profiles list                  list the profiles
  profiles show NAME             show one profile
  profiles remove NAME           remove a profile (its sendings stay in the history)
  profiles test NAME             check the store and the Connectif key(s) of a profile
  profiles export --out FILE.json [NAME ...]
                                 write profiles (all when none is named) to a file, no secret
  profiles import FILE.json      create the profiles of such a file (all or none)`

export const PROFILES_ADD: CommandSpec = {
  name: 'profiles add',
  usage: `purchase-sender profiles add --name NAME
    --source database --db-host HOST [--db-port 3306] --db-user USER [--db-password-env VAR]
                      --db-name DB [--db-prefix ps_] [--db-ssl]
  | --source webservice --ws-url URL --ws-key-env VAR [--ws-key-in-url]
    [--shops 1,2] [--lang ISO]
    --connectif-key-env VAR [--connectif-url ${DEFAULT_CONNECTIF_URL}]
    [--target ${TARGET_SYNTAX} ...]

Secrets are never flag values: --db-password-env, --ws-key-env, --connectif-key-env and key-env=
name environment variables that hold them, read each time the profile is used.

--ws-key-in-url sends the Webservice key as the ws_key query parameter instead of the
Authorization header, for shops whose server drops that header (PHP as CGI/FastCGI); the key then
appears in the shop's access logs. Without it the key never travels in a URL.

--target routes orders to another Connectif account (Connectif keeps one account per language
and currency); repeat it for each account. Keys: lang, currency and shops (what the account
serves; several values joined with "+", as in lang=es+ca; a key left out serves any), key-env
(required) and url (default: --connectif-url). Each order goes to the one target serving its
language, currency and shop, in the order's own currency when the target names currencies; the
orders no target serves go to the main account (--connectif-key-env), or are skipped when the
profile has none (--connectif-key-env is optional with --target).
--lang is the language of the order status names, not a routing condition.`,
  options: {
    name: { type: 'string' },
    source: { type: 'string' },
    'db-host': { type: 'string' },
    'db-port': { type: 'string' },
    'db-user': { type: 'string' },
    'db-password-env': { type: 'string' },
    'db-name': { type: 'string' },
    'db-prefix': { type: 'string' },
    'db-ssl': { type: 'boolean' },
    'ws-url': { type: 'string' },
    'ws-key-env': { type: 'string' },
    'ws-key-in-url': { type: 'boolean' },
    shops: { type: 'string' },
    lang: { type: 'string' },
    'connectif-key-env': { type: 'string' },
    'connectif-url': { type: 'string' },
    target: { type: 'string', multiple: true },
  },
}

export const PROFILES_LIST: CommandSpec = {
  name: 'profiles list',
  usage: 'purchase-sender profiles list',
  options: {},
}

export const PROFILES_SHOW: CommandSpec = {
  name: 'profiles show',
  usage: 'purchase-sender profiles show NAME',
  options: {},
  positionals: ['NAME'],
}

export const PROFILES_REMOVE: CommandSpec = {
  name: 'profiles remove',
  usage: 'purchase-sender profiles remove NAME',
  options: {},
  positionals: ['NAME'],
}

const DATABASE_FLAGS = ['db-host', 'db-port', 'db-user', 'db-password-env', 'db-name', 'db-prefix']
const WEBSERVICE_FLAGS = ['ws-url', 'ws-key-env', 'ws-key-in-url']

/** Where each field of a profile comes from, to name the flag in validation messages. */
const FIELD_FLAGS: Readonly<Record<string, string>> = {
  name: '--name',
  'source.host': '--db-host',
  'source.port': '--db-port',
  'source.user': '--db-user',
  'source.database': '--db-name',
  'source.tablePrefix': '--db-prefix',
  'source.passwordEnv': '--db-password-env',
  'source.url': '--ws-url',
  'source.keyEnv': '--ws-key-env',
  'connectif.apiUrl': '--connectif-url',
  'connectif.keyEnv': '--connectif-key-env',
  shopIds: '--shops',
  languageIso: '--lang',
}

export function profileInputFromFlags(parsed: ParsedCommand): ProfileInput {
  const spec = PROFILES_ADD
  const values = parsed.values
  const name = requiredString(values, 'name', spec, 'NAME (the name you will use with --profile)')
  const sourceKind = requiredString(values, 'source', spec, 'database or webservice')
  let source: SourceSettings
  if (sourceKind === 'database') {
    const stray = WEBSERVICE_FLAGS.filter((flag) => values[flag] !== undefined)
    if (stray.length > 0)
      throw invalidInput(
        `${stray.map((flag) => `--${flag}`).join(', ')} ${stray.length > 1 ? 'are' : 'is'} for --source webservice, not --source database.`,
        usageOf(spec),
      )
    const port = stringOption(values, 'db-port')
    source = {
      kind: 'database',
      host: requiredString(values, 'db-host', spec, 'HOST (the database server)'),
      port: port === undefined ? 3306 : parseInteger(port, 'db-port', { min: 1, max: 65_535 }),
      user: requiredString(values, 'db-user', spec, 'USER (a database user with SELECT)'),
      database: requiredString(values, 'db-name', spec, 'DB (the PrestaShop database)'),
      tablePrefix: stringOption(values, 'db-prefix') ?? 'ps_',
      ssl: booleanOption(values, 'db-ssl'),
      passwordEnv: stringOption(values, 'db-password-env')?.trim() || null,
    }
  } else if (sourceKind === 'webservice') {
    const stray = [...DATABASE_FLAGS, 'db-ssl'].filter((flag) => values[flag] !== undefined)
    if (stray.length > 0)
      throw invalidInput(
        `${stray.map((flag) => `--${flag}`).join(', ')} ${stray.length > 1 ? 'are' : 'is'} for --source database, not --source webservice.`,
        usageOf(spec),
      )
    source = {
      kind: 'webservice',
      url: shopUrl(requiredString(values, 'ws-url', spec, 'URL (the shop address)')),
      keyEnv: requiredString(values, 'ws-key-env', spec, 'VAR (the variable holding the key)'),
      keyInUrl: booleanOption(values, 'ws-key-in-url'),
    }
  } else {
    throw invalidInput(
      `--source "${sourceKind}" is not a source: use --source database or --source webservice.`,
      usageOf(spec),
    )
  }
  const shops = stringOption(values, 'shops')
  return {
    name,
    source,
    connectif: connectifFromFlags(parsed),
    shopIds: shops === undefined ? [] : parseIdList(shops, 'shops', 'shop'),
    languageIso: stringOption(values, 'lang')?.trim() || null,
    defaultStateIds: [],
  }
}

/**
 * The Connectif accounts: the main one (--connectif-key-env) and the routing targets (--target).
 * Without targets the main account is required, as always; with targets it is optional, and a
 * profile without it skips the orders no target serves.
 */
function connectifFromFlags(parsed: ParsedCommand): ConnectifSettings {
  const values = parsed.values
  const apiUrl = stringOption(values, 'connectif-url')?.trim() || DEFAULT_CONNECTIF_URL
  const specs = stringOptions(values, 'target')
  if (specs.length === 0)
    return {
      apiUrl,
      keyEnv: requiredString(
        values,
        'connectif-key-env',
        PROFILES_ADD,
        'VAR (the environment variable holding the Connectif API key)',
      ),
    }
  const keyFlag = stringOption(values, 'connectif-key-env')
  if (keyFlag !== undefined && keyFlag.trim() === '')
    throw invalidInput(
      '--connectif-key-env was empty: name the environment variable of the main Connectif account, or leave the flag out for a profile whose orders no --target serves are skipped.',
      usageOf(PROFILES_ADD),
    )
  const keyEnv = keyFlag?.trim() ?? null
  const mainAccount = keyEnv !== null
  const parsedTargets = parseTargetSpecs(specs, apiUrl, mainAccount)
  if ('problems' in parsedTargets)
    throw invalidInput(
      `The profile was not saved:\n${parsedTargets.problems.map((problem) => `  ${problem}`).join('\n')}`,
      usageOf(PROFILES_ADD),
    )
  return { apiUrl, keyEnv, mainAccount, targets: parsedTargets.targets }
}

/** The shop address as it is saved (normalised); one that is not an address → exit 2. */
function shopUrl(input: string): string {
  try {
    return normaliseShopUrl(input).href
  } catch (error) {
    if (isStoreError(error)) throw invalidInput(`--ws-url: ${error.message}`, usageOf(PROFILES_ADD))
    throw error
  }
}

/**
 * How a profile is printed with --json: settings and variable names, never a secret. `connectif`
 * holds `mainAccount` and `targets` (each with its `label`, as progress and reports name it).
 */
export function profileView(profile: Profile): Record<string, unknown> {
  const targets = profile.connectif.targets ?? []
  return {
    id: profile.id,
    name: profile.name,
    source: profile.source,
    connectif: {
      ...profile.connectif,
      mainAccount: hasMainAccount(profile),
      targets: targets.map((target) => ({ ...target, label: targetLabel(target) })),
    },
    shops: profile.shopIds,
    lang: profile.languageIso,
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
  }
}

function describeSource(profile: Profile): string {
  const source = profile.source
  return source.kind === 'database'
    ? `database ${source.user}@${source.host}:${source.port}/${source.database} (prefix ${source.tablePrefix || '(none)'})`
    : `webservice ${source.url}`
}

function profileLines(profile: Profile): string {
  const source = profile.source
  const lines: [string, string][] = [
    ['Name', profile.name],
    ['Source', describeSource(profile)],
  ]
  if (source.kind === 'database') {
    lines.push(['TLS', source.ssl ? 'yes' : 'no'])
    lines.push(['Password variable', source.passwordEnv ?? '(none: no password)'])
  } else {
    lines.push([
      'Webservice key variable',
      source.keyEnv ?? '(none: the desktop app keeps the key)',
    ])
    lines.push([
      'Webservice key sent',
      source.keyInUrl
        ? "in the URL (ws_key, --ws-key-in-url): it appears in the shop's access logs"
        : 'in the Authorization header',
    ])
  }
  const targets = profile.connectif.targets ?? []
  if (hasMainAccount(profile)) {
    lines.push(['Connectif API', profile.connectif.apiUrl])
    lines.push(['Connectif key variable', profile.connectif.keyEnv ?? '(none)'])
  } else {
    lines.push(['Connectif main account', 'none'])
  }
  targets.forEach((target, index) => {
    lines.push([index === 0 ? 'Connectif targets' : '', describeTarget(target)])
  })
  if (targets.length > 0)
    lines.push([
      'Orders no target serves',
      hasMainAccount(profile)
        ? 'sent to the main account'
        : 'skipped (the profile has no main Connectif account)',
    ])
  lines.push(['Shops', profile.shopIds.length > 0 ? profile.shopIds.join(', ') : 'all'])
  lines.push(['Language', profile.languageIso ?? "the shop's default"])
  lines.push(['Created', profile.createdAt])
  const width = Math.max(...lines.map(([label]) => label.length))
  return lines
    .map(([label, value]) => `${(label === '' ? '' : `${label}:`).padEnd(width + 1)} ${value}`)
    .join('\n')
}

export async function profilesAdd(context: CliContext, parsed: ParsedCommand): Promise<ExitCode> {
  const input = profileInputFromFlags(parsed)
  const fields = input as ChannelRequest<'profiles:save'>['profile']
  let profile: Profile
  try {
    // Checked before the history is opened: an invalid profile creates no data directory.
    parseProfileFields(fields)
    profile = await saveProfile(context.app, { id: null, profile: fields, secrets: {} })
  } catch (error) {
    if (error instanceof AppError && error.code === 'invalid_profile')
      throw invalidProfile(error, input, stringOptions(parsed.values, 'target'))
    throw context.failure(error)
  }
  context.output.result(
    profileView(profile),
    () => `Saved the profile "${profile.name}".\n${profileLines(profile)}`,
  )
  if (!hasMainAccount(profile) && context.output.json)
    context.output.log(`purchase-sender: note: ${NO_MAIN_ACCOUNT_NOTE}`)
  return EXIT.ok
}

const NO_MAIN_ACCOUNT_NOTE =
  'the profile has no main Connectif account (no --connectif-key-env): orders no --target serves will be skipped, with the reason in the report.'

function hasMainAccount(profile: Pick<ProfileInput, 'connectif'>): boolean {
  return routingOf(profile).mainAccount
}

/** The application layer's verdict on a profile, naming the flags and --target specs. */
function invalidProfile(error: AppError, input: ProfileInput, specs: readonly string[]): CliError {
  const issues = (error.details ?? []).map((detail) => {
    const path = detail.field ?? ''
    if (path.startsWith('connectif.targets')) return targetIssue(detail, input, specs)
    const flag = FIELD_FLAGS[path]
    const text = detail.message.startsWith(`${path} `)
      ? detail.message.slice(path.length + 1)
      : detail.message
    if (flag === undefined) return detail.message
    // A variable's name may be a key pasted in the wrong place: it is never repeated.
    const value = path.endsWith('Env') ? undefined : flagValue(path, input)
    return `${flag}${value === undefined ? '' : ` "${value}"`} ${text}`
  })
  return invalidInput(`The profile was not saved: ${issues.join('; ')}.`, usageOf(PROFILES_ADD))
}

/** Core's fields of a target, as the keys of --target name them. */
const TARGET_KEYS: Readonly<Record<string, string>> = {
  id: 'id',
  apiUrl: 'url',
  keyEnv: 'key-env',
  languages: 'lang',
  currencies: 'currency',
  shopIds: 'shops',
}

/** A problem on a target, naming the --target spec it came from and the spec's key. */
function targetIssue(detail: ErrorDetail, input: ProfileInput, specs: readonly string[]): string {
  const field = detail.params?.['field']
  const index = Number(detail.params?.['targets']?.split(',')[0])
  const prefix = /^Target \d+ \([^)]*\): /.exec(detail.message)?.[0]
  if (field === undefined || prefix === undefined || !Number.isInteger(index))
    return namingSpecs(detail.message, specs, hasMainAccount(input))
  const spec = namingSpecs(`Target ${index + 1} ()`, specs)
  const text = detail.message.slice(prefix.length).replace(new RegExp(`^${field} `), '')
  const key = TARGET_KEYS[field] ?? field
  if (field === 'apiUrl') return `${spec}: ${key} ${text}`
  const value: unknown = (input.connectif.targets?.[index] as unknown as Record<string, unknown>)?.[
    field
  ]
  const shown = typeof value === 'string' && field !== 'keyEnv' ? ` "${value}"` : ''
  return `${spec} ${key}${shown} ${text}`
}

function flagValue(path: string, input: ProfileInput): string | undefined {
  const [head, field] = path.split('.')
  const holder: unknown =
    head === 'source' ? input.source : head === 'connectif' ? input.connectif : input
  const value = (holder as Record<string, unknown>)[field ?? head ?? '']
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined
}

export function profilesList(context: CliContext): ExitCode {
  const profiles = context.app.profiles.list()
  const routed = profiles.some((profile) => (profile.connectif.targets ?? []).length > 0)
  context.output.result(profiles.map(profileView), () =>
    profiles.length === 0
      ? 'No profiles yet. Add one with "purchase-sender profiles add".'
      : formatTable(
          [
            'Name',
            'Source',
            'Shops',
            'Connectif key variable',
            ...(routed ? ['Connectif targets'] : []),
          ],
          profiles.map((profile) => [
            profile.name,
            describeSource(profile),
            profile.shopIds.length > 0 ? profile.shopIds.join(',') : 'all',
            hasMainAccount(profile) ? (profile.connectif.keyEnv ?? '') : '(no main account)',
            ...(routed
              ? [
                  (profile.connectif.targets ?? [])
                    .map((target) => `${targetLabel(target)} (${target.keyEnv ?? 'app'})`)
                    .join('; '),
                ]
              : []),
          ]),
        ),
  )
  return EXIT.ok
}

export function profilesShow(context: CliContext, parsed: ParsedCommand): ExitCode {
  const profile = context.profile(parsed.positionals[0] ?? '')
  context.output.result(profileView(profile), () => profileLines(profile))
  return EXIT.ok
}

export async function profilesRemove(
  context: CliContext,
  parsed: ParsedCommand,
): Promise<ExitCode> {
  const profile = context.profile(parsed.positionals[0] ?? '')
  try {
    await deleteProfile(context.app, profile.id)
  } catch (error) {
    throw context.failure(error)
  }
  context.output.result(
    { removed: profile.name },
    () => `Removed the profile "${profile.name}". Its sendings stay in the history.`,
  )
  return EXIT.ok
}
