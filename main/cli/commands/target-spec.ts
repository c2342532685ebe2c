/**
 * `--target 'lang=es,currency=EUR,shops=1,key-env=VAR[,url=URL]'`: one routed Connectif account of
 * a profile (rules in core/profiles/profile-rules.ts). Every malformed spec is refused with the spec and the
 * problem named, all at once, before anything is written.
 */
import type { ConnectifTarget } from '../../core/profiles/profile-types'
import {
  checkTargets,
  isCurrencyCode,
  isEnvironmentVariableName,
  isLanguageCode,
  looksLikeSecret,
  TARGET_ID_MAX_LENGTH,
  targetLabel,
} from '../../core/profiles/profile-rules'

export const TARGET_SYNTAX = "'lang=es,currency=EUR,shops=1,key-env=VAR[,url=URL]'"

const KEYS = ['lang', 'currency', 'shops', 'key-env', 'url'] as const
type TargetKey = (typeof KEYS)[number]

/** Names people try for a key, to suggest the right one (they are not accepted). */
const LOOKALIKES: Readonly<Record<string, TargetKey>> = {
  language: 'lang',
  languages: 'lang',
  langs: 'lang',
  currencies: 'currency',
  shop: 'shops',
  'shop-id': 'shops',
  'shop-ids': 'shops',
  shopids: 'shops',
  key: 'key-env',
  'key-var': 'key-env',
  keyenv: 'key-env',
  key_env: 'key-env',
  env: 'key-env',
  'api-url': 'url',
  apiurl: 'url',
  'connectif-url': 'url',
}

/** A shop id as typed: a positive whole number. */
const SHOP_ID = /^[1-9][0-9]{0,9}$/

/** A spec as it is shown in messages: the values of keys that look like secrets are hidden. */
export function shownSpec(spec: string): string {
  const hidden = spec
    .replace(/(^|,)(\s*(?!key-env\b)[^,=]*(?:key|secret|token|pass)[^,=]*=)[^,]*/gi, '$1$2…')
    // A key pasted where the variable's name belongs is never repeated.
    .replace(
      /(^|,)(\s*key-env\s*=)([^,]*)/gi,
      (whole, start: string, key: string, value: string) =>
        isEnvironmentVariableName(value.trim()) && !looksLikeSecret(value.trim())
          ? whole
          : `${start}${key}…`,
    )
    .replace(/\/\/[^/@,]*@/g, '//…@')
  return `'${hidden}'`
}

function listKeys(): string {
  return `${KEYS.slice(0, -1).join(', ')} and ${KEYS[KEYS.length - 1]}`
}

/** The parts of one spec, or its problems. */
function parseOne(
  spec: string,
  defaultUrl: string,
): { target: Omit<ConnectifTarget, 'id'> } | { problems: string[] } {
  const problems: string[] = []
  const values = new Map<TargetKey, string>()
  if (spec.trim() === '') return { problems: [`is empty: give it as ${TARGET_SYNTAX}`] }
  for (const raw of spec.split(',')) {
    const item = raw.trim()
    if (item === '') {
      problems.push('has an empty item (two commas in a row, or a comma at an end)')
      continue
    }
    const equals = item.indexOf('=')
    if (equals === -1) {
      problems.push(
        `"${item}" is not KEY=VALUE (the keys are ${listKeys()}, as in ${TARGET_SYNTAX})`,
      )
      continue
    }
    const key = item.slice(0, equals).trim()
    const value = item.slice(equals + 1).trim()
    if (!(KEYS as readonly string[]).includes(key)) {
      const lookalike = LOOKALIKES[key.toLowerCase()]
      problems.push(
        key === ''
          ? `"${item}" names no key (the keys are ${listKeys()})`
          : `has the unknown key "${key}"${
              lookalike ? ` (did you mean ${lookalike}=?)` : ''
            }: the keys are ${listKeys()}${
              key.toLowerCase() === 'key'
                ? '; a profile never holds a key: put it in an environment variable and name it with key-env=VAR'
                : ''
            }`,
      )
      continue
    }
    const known = key as TargetKey
    if (values.has(known)) {
      problems.push(
        known === 'key-env' || known === 'url'
          ? `gives ${known} twice: a target has one ${known === 'url' ? 'address' : 'key'}`
          : `gives ${known} twice: join several values with "+", as in ${known}=${example(known)}`,
      )
      continue
    }
    if (value === '') {
      problems.push(`gives ${known} no value`)
      continue
    }
    values.set(known, value)
  }

  const list = (key: 'lang' | 'currency' | 'shops'): string[] => {
    const text = values.get(key)
    if (text === undefined) return []
    const items = text.split('+').map((item) => item.trim())
    if (items.some((item) => item === '')) {
      problems.push(
        `has an empty value in "${key}=${text}": join values with one "+", as in ${key}=${example(key)}`,
      )
      return []
    }
    return [...new Set(items)]
  }
  const languageTexts = list('lang')
  for (const language of languageTexts) {
    if (!isLanguageCode(language.toLowerCase()))
      problems.push(
        `"${language}" is not a language ISO code such as "es" or "en" (PrestaShop's iso_code)`,
      )
  }
  const languages = [...new Set(languageTexts.map((language) => language.toLowerCase()))]
  const currencyTexts = list('currency')
  for (const currency of currencyTexts) {
    if (!isCurrencyCode(currency.toUpperCase()))
      problems.push(`"${currency}" is not a currency ISO code such as "EUR" or "USD"`)
  }
  const currencies = [...new Set(currencyTexts.map((currency) => currency.toUpperCase()))]
  const shopTexts = list('shops')
  for (const shop of shopTexts) {
    if (!SHOP_ID.test(shop))
      problems.push(`"${shop}" is not a shop id (a positive whole number, as in shops=1+2)`)
  }
  const keyEnv = values.get('key-env')
  if (keyEnv === undefined) {
    if (!problems.some((problem) => problem.startsWith('gives key-env')))
      problems.push(
        'needs key-env=VAR: the environment variable holding the API key of that Connectif account',
      )
  } else if (!isEnvironmentVariableName(keyEnv)) {
    problems.push(
      'key-env is not the name of an environment variable (letters, digits and "_", not starting with a digit); what was given is not repeated here, in case it is a key',
    )
  }
  const apiUrl = values.get('url') ?? defaultUrl
  if (values.has('url')) {
    let url: URL | null
    try {
      url = new URL(apiUrl)
    } catch {
      url = null
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
      problems.push(
        `url "${apiUrl}" is not a Connectif API address such as https://api.connectif.cloud`,
      )
  }
  if (problems.length > 0) return { problems }
  return {
    target: {
      apiUrl,
      keyEnv: keyEnv ?? null,
      languages: languages.sort(),
      currencies: currencies.sort(),
      shopIds: shopTexts.map(Number).sort((a, b) => a - b),
    },
  }
}

function example(key: TargetKey): string {
  return key === 'lang' ? 'es+ca' : key === 'currency' ? 'EUR+USD' : key === 'shops' ? '1+2' : ''
}

/**
 * The id of a target within its profile, from what it serves (`es-eur-shop1`): stable whatever
 * the order of the flags, readable in the history, unique (`-2`, `-3`… when two would clash).
 */
export function targetId(
  target: Pick<ConnectifTarget, 'languages' | 'currencies' | 'shopIds'>,
  taken: ReadonlySet<string>,
): string {
  const parts = [
    ...target.languages,
    ...target.currencies.map((currency) => currency.toLowerCase()),
    ...(target.shopIds.length > 0 ? [`shop${target.shopIds.join('-')}`] : []),
  ]
  const base =
    parts
      .join('-')
      .replace(/[^a-z0-9-]/g, '')
      .slice(0, TARGET_ID_MAX_LENGTH - 4)
      .replace(/-+$/, '') || 'target'
  let id = base
  for (let suffix = 2; taken.has(id); suffix++) id = `${base}-${suffix}`
  return id
}

/**
 * The targets of `--target` flags; `defaultUrl` is the address of those without `url=`. Throws
 * the list of problems (each naming its spec) when any spec is malformed or the targets would not
 * route every order to one account (core's checkTargets).
 */
export function parseTargetSpecs(
  specs: readonly string[],
  defaultUrl: string,
  hasMainAccount: boolean,
): { targets: ConnectifTarget[] } | { problems: string[] } {
  const problems: string[] = []
  const targets: ConnectifTarget[] = []
  const taken = new Set<string>()
  for (const spec of specs) {
    const parsed = parseOne(spec, defaultUrl)
    if ('problems' in parsed) {
      problems.push(...parsed.problems.map((problem) => `--target ${shownSpec(spec)} ${problem}.`))
      continue
    }
    const id = targetId(parsed.target, taken)
    taken.add(id)
    targets.push({ id, ...parsed.target })
  }
  if (problems.length > 0) return { problems }
  const routing = checkTargets(targets, hasMainAccount).map((problem) =>
    namingSpecs(problem, specs, hasMainAccount),
  )
  if (routing.length > 0) return { problems: routing }
  return { targets }
}

/**
 * Core's messages name targets by position ("Target 2 (lang=es)"); the command line names the
 * spec as typed, and the flag for the main account.
 */
export function namingSpecs(
  message: string,
  specs: readonly string[],
  hasMainAccount = true,
): string {
  const spec = (index: string): string => {
    const text = specs[Number(index) - 1]
    return text === undefined ? `number ${index}` : shownSpec(text)
  }
  return message
    .replace(
      /^Targets (\d+) \([^)]*\) and (\d+) \([^)]*\)/,
      (_, first: string, second: string) => `--target ${spec(first)} and --target ${spec(second)}`,
    )
    .replace(/^Target (\d+) \([^)]*\)/, (_, index: string) => `--target ${spec(index)}`)
    .replace(
      'that is what the main Connectif account does',
      'that is what the main Connectif account (--connectif-key-env) does',
    )
    .replace(
      'make it the main Connectif account instead',
      hasMainAccount
        ? 'make it the main Connectif account instead'
        : 'make it the main Connectif account (--connectif-key-env VAR) instead',
    )
}

/** How a target is shown: what it serves, its key variable and its address. */
export function describeTarget(target: ConnectifTarget): string {
  return `${targetLabel(target)}  key ${target.keyEnv ?? '(kept by the desktop app)'}  ${target.apiUrl}`
}
