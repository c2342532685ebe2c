/**
 * Every rule a store profile must follow, written once: the patterns of its names and codes, what
 * makes a URL acceptable, and what makes a set of routing targets send each order to exactly one
 * Connectif account. The zod schema (profile-schema.ts), the command line's `--target` parser and
 * the renderer's forms all check with these.
 *
 * Each broken rule is a `ProfileRuleCode` with its parameters; its sentence comes from a
 * `RuleMessages` function, English here (logs and the command line), translated in the renderer.
 * Pure: imports nothing, so the renderer and the preload can use it.
 */
import type { ConnectifTarget } from './profile-types'

/** An environment variable name, as POSIX shells accept them; at most 128 characters. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/
/** A routing target's id: stable within its profile, it names the target's key and its orders. */
export const TARGET_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/
export const TARGET_ID_MAX_LENGTH = 64
/** PrestaShop's language `iso_code` as a target names it (lower case), e.g. `es` or `pt-br`. */
export const LANGUAGE_CODE_PATTERN = /^[a-z]{2}(-[a-z]{2})?$/
/** An ISO 4217 currency code, upper case. */
export const CURRENCY_CODE_PATTERN = /^[A-Z]{3}$/
/** The language of the status names: `es`, `es-ES`, `pt_BR`. */
export const LANGUAGE_TAG_PATTERN = /^[A-Za-z]{2}([-_][A-Za-z0-9]{2,8})?$/
export const TABLE_PREFIX_PATTERN = /^[A-Za-z0-9_]{0,64}$/
export const PROFILE_NAME_MAX_LENGTH = 100
/** What MySQL allows for a host, user or database name, and more. */
export const SETTING_MAX_LENGTH = 255
export const URL_MAX_LENGTH = 2048
export const MAX_TARGETS = 50
export const MAX_CODES_PER_TARGET = 100
export const MAX_IDS = 10_000

export function isEnvironmentVariableName(name: string): boolean {
  return ENV_NAME_PATTERN.test(name)
}

/**
 * A key pasted where a variable name belongs: a PrestaShop Webservice key is 32 characters of
 * A-Z and 0-9, and long names mixing letters and digits without "_" are keys too.
 */
export function looksLikeSecret(name: string): boolean {
  return (
    /^[A-Z0-9]{32}$/.test(name) ||
    (name.length >= 24 && !name.includes('_') && /[0-9]/.test(name) && /[A-Za-z]/.test(name))
  )
}

export function isLanguageCode(code: string): boolean {
  return LANGUAGE_CODE_PATTERN.test(code)
}

export function isCurrencyCode(code: string): boolean {
  return CURRENCY_CODE_PATTERN.test(code)
}

export function isShopId(id: number): boolean {
  return Number.isInteger(id) && id > 0
}

/** How progress, history and reports name a target: `lang=es+ca,currency=EUR,shops=2`. */
export function targetLabel(
  target: Pick<ConnectifTarget, 'languages' | 'currencies' | 'shopIds'>,
): string {
  const parts: string[] = []
  if (target.languages.length > 0) parts.push(`lang=${target.languages.join('+')}`)
  if (target.currencies.length > 0) parts.push(`currency=${target.currencies.join('+')}`)
  if (target.shopIds.length > 0) parts.push(`shops=${target.shopIds.join('+')}`)
  return parts.join(',')
}

// --- Broken rules and their sentences ----------------------------------------------------------

/** Every rule of the profile model, by the code its problems carry. */
export const PROFILE_RULE_CODES = [
  'required',
  'too_long',
  'control_characters',
  'port',
  'table_prefix',
  'env_name',
  'env_looks_like_secret',
  'url_invalid',
  'url_scheme',
  'url_credentials',
  'url_secret_query',
  'url_https_required',
  'language_tag',
  'target_id',
  'target_repeats_id',
  'target_no_condition',
  'language_code',
  'currency_code',
  'shop_id',
  'targets_overlap',
  'main_account_needed',
] as const

export type ProfileRuleCode = (typeof PROFILE_RULE_CODES)[number]

/** Text values only, so a translation can interpolate them. */
export type RuleParams = Readonly<Record<string, string>>

/** The sentence of a broken rule, about the field it is on. */
export type RuleMessages = (code: ProfileRuleCode, params: RuleParams) => string

/** A broken rule: where (a dotted path such as `connectif.targets.1.languages`) and which. */
export interface ProfileRuleProblem {
  readonly path: readonly (string | number)[]
  readonly code: ProfileRuleCode
  readonly params: RuleParams
  /** The routing targets (positions from 0) the problem is about, when it is about targets. */
  readonly targets?: readonly number[]
}

/**
 * The English sentences: a field's problem reads after the field's path ("source.host must not
 * be empty"); a target's problem names the target itself.
 */
export const englishRuleMessages: RuleMessages = (code, params) => {
  const target = (): string => `Target ${params['position']} (${params['label'] || 'no condition'})`
  switch (code) {
    case 'required':
      return 'must not be empty'
    case 'too_long':
      return `must be at most ${params['max']} characters`
    case 'control_characters':
      return 'must not contain control characters'
    case 'port':
      return 'must be a port number from 1 to 65535'
    case 'table_prefix':
      return 'may hold only letters, digits and "_"'
    case 'env_name':
      return (
        'must be the name of an environment variable (letters, digits and "_", not starting ' +
        'with a digit); profiles never store the secret itself'
      )
    case 'env_looks_like_secret':
      return (
        'looks like a key rather than the name of an environment variable; put the key in an ' +
        'environment variable and give its name here'
      )
    case 'url_invalid':
      return `is not a valid URL: "${params['url']}"`
    case 'url_scheme':
      return 'must start with https:// or http://'
    case 'url_credentials':
      return 'must not contain a user name or password; name an environment variable for the key instead'
    case 'url_https_required':
      return 'must start with https:// (plain http:// is only for a local address such as http://127.0.0.1)'
    case 'url_secret_query':
      return `must not carry a secret in its query ("${params['parameter']}"); name an environment variable for it instead`
    case 'language_tag':
      return 'must be a language ISO code such as "es" or "es-ES"'
    case 'target_id':
      return 'must be lower-case letters, digits and "-"'
    case 'target_repeats_id':
      return `${target()} repeats the id "${params['id']}".`
    case 'target_no_condition':
      return `${target()} names no language, currency or shop, so it would serve every order: ${
        params['mainAccount'] === 'true'
          ? 'that is what the main Connectif account does'
          : 'make it the main Connectif account instead'
      }.`
    case 'language_code':
      return `${target()}: "${params['code']}" is not a language ISO code such as "es" or "en".`
    case 'currency_code':
      return `${target()}: "${params['code']}" is not a currency ISO code such as "EUR" or "USD".`
    case 'shop_id':
      return `${target()}: "${params['id']}" is not a shop id.`
    case 'targets_overlap':
      return `Targets ${params['first']} (${params['firstLabel']}) and ${params['second']} (${params['secondLabel']}) would both serve some orders (language ${params['languages']}, currency ${params['currencies']}, shop ${params['shops']}); each order must have exactly one target.`
    case 'main_account_needed':
      return 'is needed when the profile has no targets: without it no order would have an account to go to'
  }
}

// --- URLs ---------------------------------------------------------------------------------------

/** What is wrong with an http(s) address a profile keeps; none when it is fine. */
export function urlProblems(text: string): { code: ProfileRuleCode; params: RuleParams }[] {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return [{ code: 'url_invalid', params: { url: text } }]
  }
  const problems: { code: ProfileRuleCode; params: RuleParams }[] = []
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    problems.push({ code: 'url_scheme', params: {} })
  // A Webservice key is accepted as the URL's user name or as ?ws_key=: both would store it.
  if (url.username !== '' || url.password !== '')
    problems.push({ code: 'url_credentials', params: {} })
  for (const parameter of url.searchParams.keys())
    if (/key|token|secret|pass/i.test(parameter))
      problems.push({ code: 'url_secret_query', params: { parameter } })
  return problems
}

/**
 * Whether a URL names this computer (127.0.0.0/8, ::1, localhost): the only place plain http may
 * go, for local sandboxes and tests.
 */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
}

/**
 * What is wrong with a Connectif API address: what `urlProblems` finds, and plain http anywhere
 * but on this computer (an API key must never cross a network in clear).
 */
export function connectifUrlProblems(
  text: string,
): { code: ProfileRuleCode; params: RuleParams }[] {
  const problems = urlProblems(text)
  if (problems.length > 0) return problems
  const url = new URL(text)
  return url.protocol === 'http:' && !isLoopbackUrl(url)
    ? [{ code: 'url_https_required', params: { url: text } }]
    : []
}

// --- Routing targets -----------------------------------------------------------------------------

/**
 * Every mistake in a profile's targets: repeated ids, targets without a condition, malformed
 * codes, and pairs of targets that could both serve an order. Positions count from 0 in
 * `targets` and from 1 in the sentences.
 */
export function findTargetProblems(
  targets: readonly ConnectifTarget[],
  hasMainAccount: boolean,
): ProfileRuleProblem[] {
  const found: ProfileRuleProblem[] = []
  const ids = new Set<string>()
  targets.forEach((target, index) => {
    const base = { position: String(index + 1), label: targetLabel(target) }
    const problem = (
      field: string,
      code: ProfileRuleCode,
      params: Record<string, string> = {},
    ): void => {
      found.push({
        path: ['connectif', 'targets', index, field],
        code,
        params: { ...base, ...params },
        targets: [index],
      })
    }
    if (ids.has(target.id)) problem('id', 'target_repeats_id', { id: target.id })
    ids.add(target.id)
    if (target.languages.length + target.currencies.length + target.shopIds.length === 0)
      problem('languages', 'target_no_condition', { mainAccount: String(hasMainAccount) })
    for (const code of target.languages)
      if (!isLanguageCode(code)) problem('languages', 'language_code', { code })
    for (const code of target.currencies)
      if (!isCurrencyCode(code)) problem('currencies', 'currency_code', { code })
    for (const id of target.shopIds)
      if (!isShopId(id)) problem('shopIds', 'shop_id', { id: String(id) })
  })
  for (let first = 0; first < targets.length; first++) {
    for (let second = first + 1; second < targets.length; second++) {
      const a = targets[first] as ConnectifTarget
      const b = targets[second] as ConnectifTarget
      if (
        overlaps(a.languages, b.languages) &&
        overlaps(a.currencies, b.currencies) &&
        overlaps(a.shopIds, b.shopIds)
      )
        found.push({
          path: ['connectif', 'targets'],
          code: 'targets_overlap',
          params: {
            first: String(first + 1),
            second: String(second + 1),
            firstLabel: targetLabel(a),
            secondLabel: targetLabel(b),
            languages: common(a.languages, b.languages),
            currencies: common(a.currencies, b.currencies),
            shops: common(a.shopIds, b.shopIds),
          },
          targets: [first, second],
        })
    }
  }
  return found
}

/** `findTargetProblems` as English sentences. */
export function checkTargets(
  targets: readonly ConnectifTarget[],
  hasMainAccount: boolean,
): string[] {
  return findTargetProblems(targets, hasMainAccount).map((problem) =>
    englishRuleMessages(problem.code, problem.params),
  )
}

function overlaps<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === 0 || b.length === 0 || a.some((value) => b.includes(value))
}

/** What two overlapping conditions share: `any` when neither names a value. */
function common<T>(x: readonly T[], y: readonly T[]): string {
  if (x.length === 0 && y.length === 0) return 'any'
  return (x.length === 0 ? y : y.length === 0 ? x : x.filter((value) => y.includes(value))).join(
    '+',
  )
}
