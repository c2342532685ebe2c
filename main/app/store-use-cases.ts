/**
 * What the wizard and the command line ask of a profile's store before sending: its shops,
 * languages and order states, order counts for a range, the date rules on the shop's clock, and
 * the summary of a sending (checked exactly as the engine will check it when it starts).
 */
import type { ChannelRequest, ChannelResponse, OrderStateView } from '../../preload/contract'
import type { Profile } from '../core/profiles/profile-types'
import { routingOf } from '../core/profiles/profile-types'
import { ConnectifRouter, splitOrdersByTarget } from '../core/sending/connectif-routing'
import { checkRequestAgainstStore, SendingRequestError } from '../core/sending/sending-engine'
import {
  checkSendingRules,
  earliestStart,
  latestEnd,
  todayInZone,
} from '../core/sending/sending-rules'
import type { OrderCounts, StoreOverview, StoreSource } from '../core/store/store-source'
import { isCalendarDay } from '../core/time/shop-time'
import type { ErrorDetail } from '../../preload/contract'
import { countAlreadySent } from './already-sent'
import { AppError } from './app-errors'
import { withStoreSession, type AppContext } from './app-context'
import { currencyViews, languageView, shopView, stringKeys, zoneOf } from './store-views'

/** The id of a store language by ISO code ("es", "es-ES"); unknown → `unknown_language`. */
export function languageIdOf(overview: StoreOverview, iso: string): number {
  const wanted = iso.trim().toLowerCase()
  const base = wanted.split(/[-_]/)[0] ?? wanted
  const language =
    overview.languages.find((candidate) => candidate.isoCode.toLowerCase() === wanted) ??
    overview.languages.find((candidate) => candidate.isoCode.toLowerCase() === base)
  if (language) return language.id
  const known = overview.languages.map((candidate) => candidate.isoCode).join(', ')
  throw new AppError(
    'unknown_language',
    `"${iso}" is not a language of this store. Its languages are ${known}.`,
    { language: iso, languages: known },
  )
}

export function stateView(state: OrderStateView): OrderStateView {
  return {
    id: state.id,
    name: state.name,
    color: state.color,
    paid: state.paid,
    logable: state.logable,
    shipped: state.shipped,
    hidden: state.hidden,
    deleted: state.deleted,
    cancelled: state.cancelled,
  }
}

/**
 * The store's shops, languages, currencies and order states; the states are named in
 * `languageIso` (the profile's language when undefined, the shop default when null or blank).
 */
export async function lookupStore(
  context: AppContext,
  profile: Profile,
  languageIso?: string | null,
): Promise<ChannelResponse<'store:lookup'>> {
  return withStoreSession(context, profile, async (store) => {
    const overview = await store.overview()
    const iso = languageIso === undefined ? profile.languageIso : languageIso
    const languageId =
      iso === null || iso.trim() === '' ? overview.defaultLanguageId : languageIdOf(overview, iso)
    const [states, orderDays] = await Promise.all([
      store.orderStates(languageId),
      store.orderDays(profile.shopIds),
    ])
    return {
      version: overview.version.raw,
      defaultShopId: overview.defaultShopId,
      timezone: zoneOf(overview),
      shops: overview.shops.map(shopView),
      languages: overview.languages.map(languageView),
      currencies: currencyViews(overview),
      languageId,
      states: states.map(stateView),
      orderDays,
    }
  })
}

/** Both ends must be real days, the end not before the start. */
export function checkRange(from: string, to: string): void {
  const problems: ErrorDetail[] = []
  if (!isCalendarDay(from))
    problems.push({
      field: 'from',
      code: 'from_invalid',
      message: `The start date "${from}" is not a real day.`,
      params: { from },
    })
  if (!isCalendarDay(to))
    problems.push({
      field: 'to',
      code: 'to_invalid',
      message: `The end date "${to}" is not a real day.`,
      params: { to },
    })
  if (problems.length === 0 && to < from)
    problems.push({
      field: 'to',
      code: 'to_before_from',
      message: `The end date ${to} is before the start date ${from}.`,
      params: { from, to },
    })
  if (problems.length > 0)
    throw new AppError(
      'invalid_range',
      problems.map((problem) => problem.message).join(' '),
      undefined,
      problems,
    )
}

async function countsOf(
  store: StoreSource,
  profile: Profile,
  from: string,
  to: string,
): Promise<OrderCounts> {
  return store.countOrders({ range: { from, to }, shopIds: profile.shopIds })
}

export async function countOrders(
  context: AppContext,
  profile: Profile,
  from: string,
  to: string,
): Promise<ChannelResponse<'store:count'>> {
  checkRange(from, to)
  return withStoreSession(context, profile, async (store) => {
    const counts = await countsOf(store, profile, from, to)
    return {
      from,
      to,
      total: counts.total,
      byState: stringKeys(counts.byState),
      byShop: stringKeys(counts.byShop),
    }
  })
}

/** The range's orders per week (Monday first, on the shop's clock) and status, for the chart. */
export async function weeklyCounts(
  context: AppContext,
  profile: Profile,
  from: string,
  to: string,
): Promise<ChannelResponse<'store:weekly-counts'>> {
  checkRange(from, to)
  return withStoreSession(context, profile, async (store) => ({
    from,
    to,
    weeks: [...(await store.countOrdersByWeek({ range: { from, to }, shopIds: profile.shopIds }))],
  }))
}

/** The date limits on the shop's clock and the rules a draft breaks (only those of fields given). */
export async function sendingRules(
  context: AppContext,
  profile: Profile,
  request: Omit<ChannelRequest<'sending:rules'>, 'profileId'>,
): Promise<ChannelResponse<'sending:rules'>> {
  return withStoreSession(context, profile, async (store) => {
    const overview = await store.overview()
    const timezone = zoneOf(overview)
    const today = todayInZone(context.clock.now(), timezone)
    const from = request.from?.trim() ?? ''
    const fromValid = /^\d{4}-\d{2}-\d{2}$/.test(from) && isCalendarDay(from)
    const given = {
      from: request.from !== undefined && request.from !== null,
      to: request.to !== undefined && request.to !== null,
      stateIds: request.stateIds !== undefined && request.stateIds !== null,
      targets: true,
    }
    let violations: ChannelResponse<'sending:rules'>['violations'] = []
    if (given.from || given.to || given.stateIds) {
      const states = given.stateIds ? await store.orderStates() : []
      violations = checkSendingRules(
        { from: request.from, to: request.to, stateIds: request.stateIds },
        { today, knownStateIds: states.map((state) => state.id) },
      ).filter((violation) => given[violation.field])
    }
    return {
      timezone,
      today,
      earliestStart: earliestStart(today),
      latestEnd: fromValid ? latestEnd(from, today) : null,
      violations,
    }
  })
}

/**
 * Checks a sending request against the store exactly as the engine will (same rules, same today,
 * the profile's targets against the store's languages, currencies and shops); a broken rule is a
 * SendingRequestError. Returns the store's overview.
 */
export async function checkSendingRequest(
  context: AppContext,
  store: StoreSource,
  request: { readonly from: string; readonly to: string; readonly stateIds: readonly number[] },
  routing: ReturnType<typeof routingOf>,
): Promise<StoreOverview> {
  const { overview, violations } = await checkRequestAgainstStore(
    store,
    request,
    routing,
    context.clock.now(),
  )
  if (violations.length > 0) throw new SendingRequestError(violations)
  return overview
}

/**
 * How many orders a sending would send, per status and (for a routed profile) per account, and
 * for a skip-sent sending how many of them their account already has.
 */
export async function summariseSending(
  context: AppContext,
  profile: Profile,
  request: Omit<ChannelRequest<'sending:summary'>, 'profileId'>,
): Promise<ChannelResponse<'sending:summary'>> {
  return withStoreSession(context, profile, async (store) => {
    const routing = routingOf(profile)
    const overview = await checkSendingRequest(context, store, request, routing)
    const stateIds = [...new Set(request.stateIds)].sort((a, b) => a - b)
    // Skipping what is sent needs the range's keys: they give its counts too, so the range is
    // read once (through the Webservice, one listing rather than two).
    const keyed =
      request.skipSent === true
        ? await countAlreadySent(context, profile, routing, store, overview, {
            range: { from: request.from, to: request.to },
            stateIds,
            shopIds: profile.shopIds,
          })
        : null
    const counts = keyed?.counts ?? (await countsOf(store, profile, request.from, request.to))
    const byState = Object.fromEntries(stateIds.map((id) => [String(id), counts.byState[id] ?? 0]))
    const ordersToSend = Object.values(byState).reduce((sum, count) => sum + count, 0)
    const alreadySent = keyed?.sent ?? 0
    return {
      from: request.from,
      to: request.to,
      stateIds,
      ordersToSend,
      alreadySent,
      byState,
      rateLimit: request.rateLimit,
      // Already-sent orders are left out before any request: only the others take time.
      estimatedMinutes: (ordersToSend - alreadySent) / request.rateLimit,
      byTarget:
        routing.targets.length === 0
          ? null
          : splitOrdersByTarget(
              counts.groups,
              stateIds,
              new ConnectifRouter(routing.targets, routing.mainAccount, overview),
              overview,
            ),
    }
  })
}

/** The store's order states in a language, with their order counts in a range when one is given. */
export async function listStatuses(
  context: AppContext,
  profile: Profile,
  options: {
    readonly languageIso?: string | null
    readonly range: { readonly from: string; readonly to: string } | null
  },
): Promise<{ id: number; name: string; color: string; count?: number }[]> {
  if (options.range) checkRange(options.range.from, options.range.to)
  return withStoreSession(context, profile, async (store) => {
    const overview = await store.overview()
    const iso = options.languageIso === undefined ? profile.languageIso : options.languageIso
    const languageId = iso === null || iso.trim() === '' ? undefined : languageIdOf(overview, iso)
    const states = await store.orderStates(languageId)
    const range = options.range
    const counts = range ? await countsOf(store, profile, range.from, range.to) : null
    return states.map((state) => ({
      id: state.id,
      name: state.name,
      color: state.color,
      ...(counts ? { count: counts.byState[state.id] ?? 0 } : {}),
    }))
  })
}
