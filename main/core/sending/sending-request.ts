/**
 * A new sending's request: checked against the store by the same rules at every entry point
 * (the wizard, the command line's preview, the engine), counted, and recorded with the routing
 * it starts with.
 */
import type {
  SendingMode,
  SendingOptions,
  SendingOrigin,
  SendingRecord,
} from '../history/history-types'
import { routingOf, type Profile, type Routing } from '../profiles/profile-types'
import type { StoreOverview, StoreSource } from '../store/store-source'
import { checkTargetsAgainstStore } from './connectif-routing'
import { checkSendingRules, todayInZone } from './sending-rules'
import type { RuleViolation, SendingRequestDraft } from './sending-rules'
import type { EngineDependencies } from './sending-types'

export interface NewSendingRequest {
  readonly profile: Profile
  readonly from: string
  readonly to: string
  readonly stateIds: readonly number[]
  readonly mode: SendingMode
  readonly options: SendingOptions
  /** `manual` when absent. */
  readonly origin?: SendingOrigin
}

/** A request that breaks the sending rules; nothing was recorded or sent. */
export class SendingRequestError extends Error {
  override readonly name = 'SendingRequestError'
  constructor(readonly violations: readonly RuleViolation[]) {
    super(violations.map((violation) => violation.message).join(' '))
  }
}

export interface PreparedSending {
  readonly sending: SendingRecord
  /** The store opened to validate and count, handed to `runSending` so it is not opened twice. */
  readonly store: StoreSource
}

/**
 * Validates a request against the store (same rules as every entry point), counts its orders
 * and records the sending. Throws `SendingRequestError` for a bad request, `StoreError` when the
 * store cannot be read, `HistoryError` when this profile already has a sending running.
 */
export async function prepareSending(
  deps: EngineDependencies,
  request: NewSendingRequest,
): Promise<PreparedSending> {
  const store = await deps.openStore()
  try {
    const routing = routingOf(request.profile)
    const { overview, violations } = await checkRequestAgainstStore(
      store,
      request,
      routing,
      deps.clock.now(),
    )
    if (violations.length > 0) throw new SendingRequestError(violations)
    const stateIds = [...new Set(request.stateIds)].sort((a, b) => a - b)
    // The statuses' names as the profile reads them, kept with the sending: the history names
    // them long after, without the store.
    const named = new Map(
      (await store.orderStates(profileLanguageId(overview, request.profile.languageIso))).map(
        (state) => [state.id, state],
      ),
    )
    const counts = await store.countOrders({
      range: { from: request.from, to: request.to },
      shopIds: request.profile.shopIds,
    })
    const expectedTotal = request.stateIds.reduce((sum, id) => sum + (counts.byState[id] ?? 0), 0)
    const sending = deps.history.createSending({
      profileId: request.profile.id,
      from: request.from,
      to: request.to,
      stateIds,
      stateNames: stateIds.flatMap((id) => {
        const state = named.get(id)
        return state ? [{ id, name: state.name, color: state.color }] : []
      }),
      shopIds: request.profile.shopIds,
      mode: request.mode,
      options: { ...request.options, routing },
      expectedTotal,
      ownerPid: deps.pid,
      ...(request.origin === undefined ? {} : { origin: request.origin }),
    })
    return { sending, store }
  } catch (error) {
    await store.close().catch(() => undefined)
    throw error
  }
}

/** The store language of a profile's ISO code; the shop default when none or unknown. */
function profileLanguageId(overview: StoreOverview, iso: string | null): number | undefined {
  if (iso === null || iso.trim() === '') return undefined
  const wanted = iso.trim().toLowerCase()
  const base = wanted.split(/[-_]/)[0] ?? wanted
  const codes = overview.languages.map((language) => language.isoCode.toLowerCase())
  const index = codes.includes(wanted) ? codes.indexOf(wanted) : codes.indexOf(base)
  return overview.languages[index]?.id
}

/**
 * Checks a request against the store as every sending is checked, so the wizard, the command
 * line's preview and the engine never disagree: the sending rules on the shop's clock, and the
 * languages, currencies and shops the routing targets name.
 */
export async function checkRequestAgainstStore(
  store: StoreSource,
  request: SendingRequestDraft,
  routing: Pick<Routing, 'targets'>,
  now: number,
): Promise<{ overview: StoreOverview; violations: RuleViolation[] }> {
  const overview = await store.overview()
  const zone = overview.shops.find((shop) => shop.id === overview.defaultShopId)?.timezone ?? 'UTC'
  const states = await store.orderStates()
  const violations: RuleViolation[] = [
    ...checkSendingRules(request, {
      today: todayInZone(now, zone),
      knownStateIds: states.map((state) => state.id),
    }),
    ...checkTargetsAgainstStore(routing.targets, overview).map((problem) => ({
      field: 'targets' as const,
      code: problem.code,
      message: problem.message,
      params: problem.params,
    })),
  ]
  return { overview, violations }
}

/** How a recorded sending routes: as it started (one main account before routing existed). */
export function routingOfSending(sending: SendingRecord): Routing {
  return sending.options.routing ?? { mainAccount: true, targets: [] }
}
