/**
 * Saved store profiles: list, save (with their write-only secrets), duplicate, remove, and the
 * view the screens get (settings and whether each secret is saved, never a secret). The command
 * line saves its profiles through `saveProfile` too, with no secret to write.
 */
import type {
  ChannelRequest,
  ErrorDetail,
  ProfileView,
  SecretChange,
  SecretName,
} from '../../preload/contract'
import { targetSecretName } from '../../preload/contract'
import { targetLabel } from '../core/profiles/profile-rules'
import { InvalidProfileError, parseProfileInput } from '../core/profiles/profile-schema'
import type { ProfileFields } from '../core/profiles/profile-schema'
import { routingOf, type Profile, type ProfileInput } from '../core/profiles/profile-types'
import { isStoreError } from '../core/store/store-errors'
import { normaliseShopUrl } from '../core/store/webservice/webservice-client'
import { AppError, invalidProfile } from './app-errors'
import type { AppContext } from './app-context'
import { scheduleOfProfile } from './schedule-use-cases'
import { EnvironmentSecretStore, secretLabel } from './secret-store'

export type SecretChanges = ChannelRequest<'profiles:save'>['secrets']

const FIXED_SECRETS = ['dbPassword', 'webserviceKey', 'connectifKey'] as const
type FixedSecretName = (typeof FIXED_SECRETS)[number]

/** The secrets a profile uses other than its targets' keys, by its source and main account. */
function secretsOf(profile: Pick<ProfileInput, 'source' | 'connectif'>): FixedSecretName[] {
  const store = profile.source.kind === 'database' ? 'dbPassword' : 'webserviceKey'
  return routingOf(profile).mainAccount ? [store, 'connectifKey'] : [store]
}

/** Every secret a profile may have saved: the fixed ones and one per target. */
function allSecretNames(profile: Profile): SecretName[] {
  return [
    ...FIXED_SECRETS,
    ...routingOf(profile).targets.map((target) => targetSecretName(target.id)),
  ]
}

/** `now`: the scheduler's clock, which the schedule's next run is seen at. */
export async function profileView(
  context: AppContext,
  profile: Profile,
  now: number = context.clock.now(),
): Promise<ProfileView> {
  const status = (name: SecretName) => context.secretStore.status(profile.id, name)
  const { source } = profile
  const routing = routingOf(profile)
  const targetKeys: Record<string, 'saved' | 'missing'> = {}
  for (const target of routing.targets)
    targetKeys[target.id] = await status(targetSecretName(target.id))
  return {
    id: profile.id,
    name: profile.name,
    source: { ...source },
    connectif: {
      apiUrl: profile.connectif.apiUrl,
      keyEnv: profile.connectif.keyEnv,
      mainAccount: routing.mainAccount,
      targets: routing.targets.map((target) => ({ ...target, label: targetLabel(target) })),
    },
    shopIds: profile.shopIds,
    languageIso: profile.languageIso,
    defaultStateIds: profile.defaultStateIds,
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
    secrets: {
      dbPassword: source.kind === 'database' ? await status('dbPassword') : 'not-needed',
      webserviceKey: source.kind === 'webservice' ? await status('webserviceKey') : 'not-needed',
      connectifKey: routing.mainAccount ? await status('connectifKey') : 'not-needed',
      targetKeys,
    },
    schedule: scheduleOfProfile(context, profile.id, now),
  }
}

export async function listProfiles(
  context: AppContext,
  now: number = context.clock.now(),
): Promise<ProfileView[]> {
  return Promise.all(context.profiles.list().map((profile) => profileView(context, profile, now)))
}

/** The shop address as it is saved; one that cannot be an address is refused with why. */
function shopAddress(input: string): string {
  const problem = (message: string, params?: Record<string, string>) =>
    new AppError('invalid_url', message, params, [
      { field: 'source.url', code: 'invalid_url', message, ...(params ? { params } : {}) },
    ])
  if (input.trim() === '')
    throw problem("Enter the shop's address, e.g. https://www.example.com/.", { reason: 'empty' })
  try {
    return normaliseShopUrl(input).href
  } catch (error) {
    if (isStoreError(error)) throw problem(error.message, error.params)
    throw error
  }
}

/**
 * Validates an editor's (or the command line's) fields into a profile, checking that every
 * target key given belongs to a target; what is wrong with a target is said on that target.
 */
export function parseProfileFields(
  fields: ProfileFields,
  changes: SecretChanges = {},
): ProfileInput {
  const withAddress: ProfileFields =
    fields.source.kind === 'webservice'
      ? { ...fields, source: { ...fields.source, url: shopAddress(fields.source.url) } }
      : fields
  let parsed: ProfileInput
  try {
    parsed = parseProfileInput(withAddress)
  } catch (error) {
    if (error instanceof InvalidProfileError)
      throw invalidProfile(error, withAddress as unknown as ProfileInput)
    throw error
  }
  const ids = new Set((parsed.connectif.targets ?? []).map((target) => target.id))
  const stray = Object.keys(changes.targetKeys ?? {}).filter((id) => !ids.has(id))
  if (stray.length > 0)
    throw new AppError(
      'invalid_profile',
      `The profile was not saved: a key was given for ${stray.map((id) => `"${id}"`).join(', ')}, which ${stray.length === 1 ? 'is not a target' : 'are not targets'} of the profile.`,
      undefined,
      stray.map((id): ErrorDetail => ({
        field: `secrets.targetKeys.${id}`,
        code: 'unknown_target',
        message: `"${id}" is not a target of the profile.`,
        params: { id },
      })),
    )
  return parsed
}

/**
 * Browser mode reads only its own environment variables (`PURCHASE_SENDER_*`): a profile naming
 * any other is refused where it is named, before it is saved or tested.
 */
export function refuseUnreadableVariables(context: AppContext, input: ProfileInput): void {
  const store = context.secretStore
  if (!(store instanceof EnvironmentSecretStore) || store.requiredPrefix === null) return
  const prefix = store.requiredPrefix
  const named: { field: string; variable: string | null; target?: number }[] = [
    {
      field: input.source.kind === 'database' ? 'source.passwordEnv' : 'source.keyEnv',
      variable: input.source.kind === 'database' ? input.source.passwordEnv : input.source.keyEnv,
    },
    { field: 'connectif.keyEnv', variable: input.connectif.keyEnv },
    ...(input.connectif.targets ?? []).map((target, index) => ({
      field: `connectif.targets.${index}`,
      variable: target.keyEnv,
      target: index,
    })),
  ]
  const refused = named.filter(
    (entry): entry is typeof entry & { variable: string } =>
      entry.variable !== null && !store.mayRead(entry.variable),
  )
  if (refused.length === 0) return
  const sentence = (variable: string) =>
    `${variable} cannot be used: browser mode reads only environment variables whose name starts with ${prefix} (for example ${prefix}CONNECTIF_KEY).`
  throw new AppError(
    'invalid_profile',
    `The profile was not saved: ${refused.map((entry) => sentence(entry.variable)).join(' ')}`,
    undefined,
    refused.map((entry): ErrorDetail => ({
      field: entry.field,
      code: 'env_prefix_required',
      message: sentence(entry.variable),
      params: {
        variable: entry.variable,
        prefix,
        ...(entry.target === undefined ? {} : { targets: String(entry.target), field: 'keyEnv' }),
      },
    })),
  )
}

/** Refuses, before anything is written, secrets this entry point cannot keep. */
function refuseSecretWrites(context: AppContext, input: ProfileInput, changes: SecretChanges) {
  const setting = (change: SecretChange | undefined) => change !== undefined && 'set' in change
  const names = secretsOf(input).filter((name) => setting(changes[name]))
  const targets = (input.connectif.targets ?? []).filter((target) =>
    setting(changes.targetKeys?.[target.id]),
  )
  if (names.length === 0 && targets.length === 0) return
  const availability = context.secretStore.canStore()
  if (availability.ok) return
  const labels = [
    ...names.map((name) => secretLabel(name)),
    ...targets.map(
      (target) =>
        `Connectif API key of target ${(input.connectif.targets ?? []).indexOf(target) + 1} (${targetLabel(target)})`,
    ),
  ]
  throw new AppError(
    'secrets_unavailable',
    `The ${labels.join(' and ')} cannot be saved here. ${availability.reason}`,
    {
      secrets: labels.join(', '),
      // `environment`: browser mode or the command line; `storage`: no secure storage (`detail`).
      reason: context.secrets.fromEnvironment ? 'environment' : 'storage',
      detail: availability.reason,
    },
  )
}

async function applySecretChange(
  context: AppContext,
  profileId: number,
  name: SecretName,
  change: SecretChange | undefined,
): Promise<void> {
  if (change === undefined || 'keep' in change) return
  if ('set' in change) await context.secretStore.set(profileId, name, change.set)
  else await context.secretStore.remove(profileId, name)
}

/** Creates (`id` null) or replaces a profile, then applies its secret changes. */
export async function saveProfile(
  context: AppContext,
  request: ChannelRequest<'profiles:save'>,
): Promise<Profile> {
  // Everything is checked before anything is written: a refused secret leaves no half-saved profile.
  const input = parseProfileFields(request.profile, request.secrets)
  refuseUnreadableVariables(context, input)
  refuseSecretWrites(context, input, request.secrets)
  const previous = request.id === null ? null : context.profiles.get(request.id)
  if (previous !== null) {
    // A kept secret stays bound to where it was saved for: a new destination needs it again.
    for (const name of secretsOf(input))
      if (request.secrets[name] === undefined || 'keep' in (request.secrets[name] ?? {}))
        context.secrets.checkDestination(previous.id, name, input, request.secrets[name])
    for (const target of routingOf(input).targets) {
      const change = request.secrets.targetKeys?.[target.id]
      if (change === undefined || 'keep' in change)
        context.secrets.checkDestination(previous.id, targetSecretName(target.id), input, change)
    }
  }
  const profile =
    request.id === null
      ? context.profiles.create(input)
      : context.profiles.update(request.id, input)
  const needed = secretsOf(profile)
  for (const name of FIXED_SECRETS) {
    // A secret the profile no longer uses (the password of a profile now read through the
    // Webservice, the main key of a profile without a main account) is not kept.
    if (!needed.includes(name)) await context.secretStore.remove(profile.id, name)
    else await applySecretChange(context, profile.id, name, request.secrets[name])
  }
  const targets = routingOf(profile).targets
  // A removed target's key goes with it.
  for (const target of previous === null ? [] : routingOf(previous).targets)
    if (!targets.some((kept) => kept.id === target.id))
      await context.secretStore.remove(profile.id, targetSecretName(target.id))
  for (const target of targets)
    await applySecretChange(
      context,
      profile.id,
      targetSecretName(target.id),
      request.secrets.targetKeys?.[target.id],
    )
  // The wizard's open store was opened with what the profile was: it goes, whatever changed.
  await context.storeSessions?.drop(profile.id)
  return profile
}

function copyName(context: AppContext, name: string): string {
  for (let index = 1; ; index++) {
    const candidate = `${name} (copy${index === 1 ? '' : ` ${index}`})`
    if (!context.profiles.findByName(candidate)) return candidate
  }
}

export async function duplicateProfile(
  context: AppContext,
  request: ChannelRequest<'profiles:duplicate'>,
): Promise<Profile> {
  const original = context.profiles.get(request.id)
  const copy = context.profiles.create({
    name: request.name?.trim() || copyName(context, original.name),
    source: original.source,
    connectif: original.connectif,
    shopIds: original.shopIds,
    languageIso: original.languageIso,
    defaultStateIds: original.defaultStateIds,
  })
  // Secrets kept by profile are copied too; environment variables travel with the settings.
  if (context.secretStore.canStore().ok) {
    for (const name of allSecretNames(original)) {
      const value = await context.secretStore.get(original.id, name)
      if (value !== null) await context.secretStore.set(copy.id, name, value)
    }
  }
  return copy
}

/** Removes the profile and its secrets; its sendings stay in the history under its name. */
export async function deleteProfile(context: AppContext, id: number): Promise<Profile> {
  const profile = context.profiles.get(id)
  context.profiles.remove(profile.id)
  for (const name of allSecretNames(profile)) await context.secretStore.remove(profile.id, name)
  await context.storeSessions?.drop(profile.id)
  return profile
}

/** A saved profile by name (names ignore case); unknown → `profile_not_found` naming those there are. */
export function profileNamed(context: AppContext, name: string): Profile {
  const profile = context.profiles.findByName(name)
  if (profile) return profile
  const names = context.profiles.list().map((existing) => `"${existing.name}"`)
  throw new AppError(
    'profile_not_found',
    `There is no profile named "${name}".${names.length > 0 ? ` The profiles are ${names.join(', ')}.` : ''}`,
    { name, profiles: names.join(', ') },
  )
}
