/**
 * The zod schema of a store profile, in two layers of one definition:
 *
 * - `profileFieldsSchema`, the shape an editor or the command line sends (sizes capped, defaults
 *   filled, a variable name left blank allowed). The main ⇄ renderer contract validates requests
 *   with it.
 * - `createProfileSchema(messages)`, the same fields normalised (trimmed, codes cased, ids sorted
 *   and unique, blanks to null) and checked against every rule of profile-rules.ts. The history,
 *   the application layer and the command line parse with the English one; the renderer's forms
 *   validate with one whose messages are translated.
 */
import { z } from 'zod'
import { DEFAULT_CONNECTIF_URL } from '../connectif/connectif-defaults'
import {
  connectifUrlProblems,
  englishRuleMessages,
  findTargetProblems,
  isEnvironmentVariableName,
  LANGUAGE_TAG_PATTERN,
  looksLikeSecret,
  MAX_CODES_PER_TARGET,
  MAX_IDS,
  MAX_TARGETS,
  PROFILE_NAME_MAX_LENGTH,
  SETTING_MAX_LENGTH,
  TABLE_PREFIX_PATTERN,
  TARGET_ID_MAX_LENGTH,
  TARGET_ID_PATTERN,
  URL_MAX_LENGTH,
  urlProblems,
  type ProfileRuleCode,
  type ProfileRuleProblem,
  type RuleMessages,
  type RuleParams,
} from './profile-rules'
import type { ConnectifTarget, ProfileInput, SourceSettings } from './profile-types'

const id = z.number().int().positive()
const ids = z.array(id).max(MAX_IDS)
const variableName = z.string().trim().max(SETTING_MAX_LENGTH).nullable().default(null)
const address = z.string().trim().max(URL_MAX_LENGTH)

/** Unknown fields are refused by name: a profile holds no password or key, ever. */
const strict = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}: ` +
          'a profile holds settings and names of environment variables only, never a password or key'
        : undefined,
  })

export const databaseSourceFieldsSchema = strict({
  kind: z.literal('database'),
  host: z.string().trim().max(SETTING_MAX_LENGTH),
  port: z.number().int().default(3306),
  user: z.string().max(SETTING_MAX_LENGTH),
  database: z.string().max(SETTING_MAX_LENGTH),
  tablePrefix: z.string().max(64).default('ps_'),
  ssl: z.boolean().default(false),
  /** Browser mode and headless use: the environment variable holding the password. */
  passwordEnv: variableName,
})

export const webserviceSourceFieldsSchema = strict({
  kind: z.literal('webservice'),
  /** The shop's address as typed; the application layer normalises it. */
  url: address,
  /** Browser mode and headless use: the environment variable holding the Webservice key. */
  keyEnv: variableName,
  /**
   * Send the key as the `ws_key` query parameter instead of HTTP Basic authentication, for shops
   * whose server drops the Authorization header: the merchant's explicit choice (the key then
   * appears in the shop's access logs).
   */
  keyInUrl: z.boolean().default(false),
})

/**
 * A Connectif account for the orders of some languages, currencies or shops (Connectif keeps one
 * account per language and currency). An empty list serves any.
 */
export const targetFieldsSchema = strict({
  id: z.string().trim().max(TARGET_ID_MAX_LENGTH),
  apiUrl: address.default(DEFAULT_CONNECTIF_URL),
  /** Browser mode and headless use: the environment variable holding the target's API key. */
  keyEnv: variableName,
  /** ISO codes such as `es`. */
  languages: z.array(z.string().trim().max(20)).max(MAX_CODES_PER_TARGET).default([]),
  /** ISO codes such as `EUR`. */
  currencies: z.array(z.string().trim().max(20)).max(MAX_CODES_PER_TARGET).default([]),
  shopIds: z.array(z.number()).max(MAX_IDS).default([]),
})
export type TargetFields = z.input<typeof targetFieldsSchema>

/** The settings of a profile as an editor or the command line sends them. */
export const profileFieldsSchema = strict({
  name: z.string().max(200),
  source: z.discriminatedUnion('kind', [databaseSourceFieldsSchema, webserviceSourceFieldsSchema]),
  connectif: strict({
    apiUrl: address.default(DEFAULT_CONNECTIF_URL),
    /** Browser mode and headless use: the environment variable holding the API key. */
    keyEnv: variableName,
    /**
     * Whether orders no target serves go to this main account (true by default); false skips
     * them. Only a profile with targets may turn it off.
     */
    mainAccount: z.boolean().default(true),
    targets: z.array(targetFieldsSchema).max(MAX_TARGETS).default([]),
  }),
  shopIds: ids.default([]),
  languageIso: z.string().max(20).nullable().default(null),
  defaultStateIds: ids.default([]),
})
export type ProfileFields = z.input<typeof profileFieldsSchema>

// --- Normalising ---------------------------------------------------------------------------------

function blankToNull(value: string | null): string | null {
  return value === null || value.trim() === '' ? null : value.trim()
}

function uniqueSorted(values: readonly number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b)
}

function codes(values: readonly string[], cased: (code: string) => string): string[] {
  return [...new Set(values.map((code) => cased(code.trim())).filter((code) => code !== ''))].sort()
}

type ParsedFields = z.output<typeof profileFieldsSchema>

function normalise(fields: ParsedFields): ProfileInput {
  const source: SourceSettings =
    fields.source.kind === 'database'
      ? { ...fields.source, passwordEnv: blankToNull(fields.source.passwordEnv) }
      : { ...fields.source, keyEnv: blankToNull(fields.source.keyEnv) }
  return {
    name: fields.name.trim(),
    source,
    connectif: {
      apiUrl: fields.connectif.apiUrl,
      keyEnv: blankToNull(fields.connectif.keyEnv),
      mainAccount: fields.connectif.mainAccount,
      targets: fields.connectif.targets.map((target): ConnectifTarget => ({
        id: target.id,
        apiUrl: target.apiUrl,
        keyEnv: blankToNull(target.keyEnv),
        languages: codes(target.languages, (code) => code.toLowerCase()),
        currencies: codes(target.currencies, (code) => code.toUpperCase()),
        shopIds: uniqueSorted(target.shopIds),
      })),
    },
    shopIds: uniqueSorted(fields.shopIds),
    languageIso: blankToNull(fields.languageIso),
    defaultStateIds: uniqueSorted(fields.defaultStateIds),
  }
}

// --- Checking ------------------------------------------------------------------------------------

/** Every rule a normalised profile breaks, with where and which. */
export function findProfileProblems(profile: ProfileInput): ProfileRuleProblem[] {
  const found: ProfileRuleProblem[] = []
  /** `target`: the position of the routing target the field belongs to. */
  const add = (
    path: (string | number)[],
    code: ProfileRuleCode,
    params: RuleParams = {},
    target?: number,
  ) => found.push({ path, code, params, ...(target === undefined ? {} : { targets: [target] }) })
  const required = (path: (string | number)[], value: string) => {
    if (value.trim() === '') add(path, 'required')
  }
  const variable = (path: (string | number)[], name: string | null, target?: number) => {
    if (name === null) return
    if (!isEnvironmentVariableName(name)) add(path, 'env_name', {}, target)
    else if (looksLikeSecret(name)) add(path, 'env_looks_like_secret', {}, target)
  }
  const url = (path: (string | number)[], text: string, target?: number) => {
    for (const problem of urlProblems(text)) add(path, problem.code, problem.params, target)
  }
  const connectifUrl = (path: (string | number)[], text: string, target?: number) => {
    for (const problem of connectifUrlProblems(text))
      add(path, problem.code, problem.params, target)
  }

  required(['name'], profile.name)
  if (profile.name.length > PROFILE_NAME_MAX_LENGTH)
    add(['name'], 'too_long', { max: String(PROFILE_NAME_MAX_LENGTH) })
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(profile.name)) add(['name'], 'control_characters')

  const source = profile.source
  if (source.kind === 'database') {
    required(['source', 'host'], source.host)
    if (source.port < 1 || source.port > 65_535) add(['source', 'port'], 'port')
    required(['source', 'user'], source.user)
    required(['source', 'database'], source.database)
    if (!TABLE_PREFIX_PATTERN.test(source.tablePrefix))
      add(['source', 'tablePrefix'], 'table_prefix')
    variable(['source', 'passwordEnv'], source.passwordEnv)
  } else {
    if (source.url.trim() === '') add(['source', 'url'], 'required')
    else url(['source', 'url'], source.url)
    variable(['source', 'keyEnv'], source.keyEnv)
  }

  const connectif = profile.connectif
  connectifUrl(['connectif', 'apiUrl'], connectif.apiUrl)
  variable(['connectif', 'keyEnv'], connectif.keyEnv)
  const targets = connectif.targets ?? []
  const mainAccount = connectif.mainAccount ?? true
  targets.forEach((target, index) => {
    const at = (field: string) => ['connectif', 'targets', index, field]
    if (!TARGET_ID_PATTERN.test(target.id)) add(at('id'), 'target_id', {}, index)
    connectifUrl(at('apiUrl'), target.apiUrl, index)
    variable(at('keyEnv'), target.keyEnv, index)
  })
  found.push(...findTargetProblems(targets, mainAccount))
  if (!mainAccount && targets.length === 0) add(['connectif', 'mainAccount'], 'main_account_needed')

  if (profile.languageIso !== null && !LANGUAGE_TAG_PATTERN.test(profile.languageIso))
    add(['languageIso'], 'language_tag')
  return found
}

/**
 * The profile schema with its sentences from `messages`: it parses what an editor sends into a
 * normalised `ProfileInput`, and every broken rule is an issue on its field whose `params` hold
 * the rule's `code`, its parameters and, for targets, `targets` (positions from 0).
 */
export function createProfileSchema(messages: RuleMessages = englishRuleMessages) {
  return profileFieldsSchema.transform(normalise).superRefine((profile, context) => {
    for (const problem of findProfileProblems(profile))
      context.addIssue({
        code: 'custom',
        path: [...problem.path],
        message: messages(problem.code, problem.params),
        params: { rule: problem.code, ruleParams: problem.params, targets: problem.targets },
      })
  })
}

const englishProfileSchema = createProfileSchema()

/** Why a profile was refused, one line per problem, for people and for forms. */
export class InvalidProfileError extends Error {
  override readonly name = 'InvalidProfileError'
  readonly code = 'invalid_profile'
  constructor(
    readonly issues: readonly string[],
    /** The same problems with the field they are on and, for targets, the targets concerned. */
    readonly details: readonly ProfileIssue[] = [],
  ) {
    super(`Invalid profile: ${issues.join('; ')}.`)
  }
}

export interface ProfileIssue {
  /** Dotted path of the field, e.g. `connectif.targets.1.languages`; '' for the whole profile. */
  readonly path: string
  /** The English sentence. */
  readonly message: string
  /** The broken rule (`invalid` for a malformed shape), and its parameters. */
  readonly rule: ProfileRuleCode | 'invalid'
  readonly params: RuleParams
  /** Positions of the routing targets the problem is about, when it is about targets. */
  readonly targets?: readonly number[]
}

interface RuleIssueParams {
  readonly rule: ProfileRuleCode
  readonly ruleParams: RuleParams
  readonly targets?: readonly number[]
}

/** Validates and normalises a profile; throws InvalidProfileError naming every problem. */
export function parseProfileInput(input: unknown): ProfileInput {
  const parsed = englishProfileSchema.safeParse(input)
  if (parsed.success) return parsed.data
  const details = parsed.error.issues.map((problem): ProfileIssue => {
    const path = problem.path.join('.')
    const own =
      problem.code === 'custom' ? (problem.params as RuleIssueParams | undefined) : undefined
    const targetIndex =
      problem.path[0] === 'connectif' &&
      problem.path[1] === 'targets' &&
      typeof problem.path[2] === 'number'
        ? [problem.path[2]]
        : undefined
    const targets = own?.targets ?? targetIndex
    return {
      path,
      message: problem.message,
      rule: own?.rule ?? 'invalid',
      params: own?.ruleParams ?? {},
      ...(targets ? { targets } : {}),
    }
  })
  throw new InvalidProfileError(
    details.map((detail) =>
      // A target's own sentences name the target; the others read after their field.
      detail.targets && detail.rule !== 'invalid' && /^[A-Z]/.test(detail.message)
        ? detail.message
        : `${detail.path === '' ? 'profile' : detail.path} ${detail.message}`,
    ),
    details,
  )
}
