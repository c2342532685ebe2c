/**
 * How the profile form validates: with the profile model's schema (`createProfileSchema`), its
 * sentences in the UI's language, through react-hook-form's zod resolver. On top of the model, only
 * what is particular to this form:
 *
 * - browser mode reads secrets only from environment variables, so there the variables of the
 *   Webservice key and of every Connectif key in use must be named;
 * - a field left empty says what to enter in it;
 * - the problems of a routing target as a whole (an overlap with another target, a repeated id)
 *   are put on each target concerned, on its `id`, which has no input of its own;
 * - the shop address is not checked as an address: main first completes and normalises what was
 *   typed (`shop.example.com` becomes `https://shop.example.com/`), then checks it and says what is
 *   wrong on the field.
 */
import { zodResolver } from '@hookform/resolvers/zod'
import type { TFunction } from 'i18next'
import type { FieldErrors, Resolver, ResolverOptions } from 'react-hook-form'
import { z } from 'zod'
import type { ProfileRuleCode, RuleParams } from '../../../main/core/profiles/profile-rules'
import { createProfileSchema } from '../../../main/core/profiles/profile-schema'
import type { ProfileFields } from '../../../preload/contract'
import { profileRuleMessages } from '../../i18n/profile-rule-messages'
import { toProfileFields, type ProfileFormValues } from './profile-form'

/** What the model puts in the params of an issue it raises for a broken rule. */
interface RuleIssueParams {
  readonly rule: ProfileRuleCode
  readonly ruleParams: RuleParams
  readonly targets?: readonly number[]
}

interface FormIssue {
  readonly path: (string | number)[]
  readonly message: string
  readonly params?: RuleIssueParams
}

/** What an empty field says, by field. */
const REQUIRED_MESSAGES: Readonly<Record<string, string>> = {
  name: 'profile.errors.name',
  'source.host': 'profile.errors.host',
  'source.user': 'profile.errors.user',
  'source.database': 'profile.errors.database',
  'source.url': 'profile.errors.shopUrl',
}

/** Where the form shows one of the model's issues (none, or one per target concerned). */
function placeIssue(issue: z.core.$ZodIssue, t: TFunction): FormIssue[] {
  const own = issue.code === 'custom' ? (issue.params as RuleIssueParams | undefined) : undefined
  let path = issue.path.map((part) => (typeof part === 'number' ? part : String(part)))
  const field = path.join('.')
  if (field === 'source.url' && own?.rule.startsWith('url_')) return []
  const message =
    own?.rule === 'required' && REQUIRED_MESSAGES[field]
      ? t(REQUIRED_MESSAGES[field])
      : issue.message
  const base = { message, ...(own ? { params: own } : {}) }
  if (path[0] === 'connectif' && path[1] === 'targets') {
    if (path.length === 2 && own?.targets)
      return own.targets.map((index) => ({ ...base, path: ['connectif', 'targets', index, 'id'] }))
    // A code of a target's list is shown with the list.
    path = path.slice(0, 4)
  }
  return [{ ...base, path }]
}

/** Browser mode: the variables that must be named, as main reads every secret from one. */
function missingVariables(fields: ProfileFields, t: TFunction): FormIssue[] {
  const blank = (name: string | null | undefined) => (name ?? '').trim() === ''
  const missing: FormIssue[] = []
  if (fields.source.kind === 'webservice' && blank(fields.source.keyEnv))
    missing.push({ path: ['source', 'keyEnv'], message: t('profile.errors.wsKeyEnvRequired') })
  if (fields.connectif.mainAccount !== false && blank(fields.connectif.keyEnv))
    missing.push({ path: ['connectif', 'keyEnv'], message: t('profile.errors.keyEnvRequired') })
  ;(fields.connectif.targets ?? []).forEach((target, index) => {
    if (blank(target.keyEnv))
      missing.push({
        path: ['connectif', 'targets', index, 'keyEnv'],
        message: t('targets.errors.keyEnvRequired'),
      })
  })
  return missing
}

/** The form's schema: the model's, with its sentences from `t`, and the form's own placing. */
export function createProfileFormSchema(t: TFunction, browserMode: boolean) {
  const model = createProfileSchema(profileRuleMessages(t))
  return z.custom<ProfileFields>().superRefine((fields, context) => {
    const parsed = model.safeParse(fields)
    const issues = parsed.success
      ? []
      : parsed.error.issues.flatMap((issue) => placeIssue(issue, t))
    if (browserMode) issues.push(...missingVariables(fields, t))
    for (const issue of issues) context.addIssue({ code: 'custom', ...issue })
  })
}

/**
 * The form's resolver: the zod resolver over the form's schema, given the profile's fields (the
 * secrets are not validated). Valid, it gives the form's values as they are.
 */
export function profileFormResolver(
  t: TFunction,
  browserMode: boolean,
): Resolver<ProfileFormValues> {
  const resolve = zodResolver(createProfileFormSchema(t, browserMode), undefined, { raw: true })
  return async (values, context, options) => {
    const result = await resolve(
      toProfileFields(values),
      context,
      options as unknown as ResolverOptions<ProfileFields>,
    )
    return Object.keys(result.errors).length === 0
      ? { values, errors: {} }
      : { values: {}, errors: result.errors as FieldErrors<ProfileFormValues> }
  }
}
