/**
 * A sending's dry run: reads every order a sending would send and maps it to the exact purchase
 * its Connectif account would receive, without sending or recording anything. Routed exactly as
 * the engine routes (the same router, the same currency per account).
 */
import type { ExpectedSkipsView } from '../../preload/contract'
import { mapOrderToPurchase } from '../core/purchases/order-to-purchase'
import type { PurchaseCreation, SkipReasonCode } from '../core/purchases/purchase'
import type { Profile } from '../core/profiles/profile-types'
import { routingOf } from '../core/profiles/profile-types'
import { ConnectifRouter, routeLabel, splitOrdersByTarget } from '../core/sending/connectif-routing'
import { withProfileStore, type AppContext } from './app-context'
import { checkSendingRequest } from './store-use-cases'

export interface PreviewRequest {
  readonly from: string
  readonly to: string
  readonly stateIds: readonly number[]
  /** Requests per minute, for the estimate. */
  readonly rateLimit: number
}

/** One order as it would be sent, or why it would be skipped. */
export type PreviewLine =
  | {
      readonly orderId: number
      readonly result: 'ready'
      readonly purchase: PurchaseCreation
      /** Routed profiles: `main`, a target's label, or '' (as in the report). */
      readonly target?: string
    }
  | {
      readonly orderId: number
      readonly result: 'skipped'
      readonly reason: string
      readonly target?: string
    }

export interface PreviewSummary {
  readonly total: number
  readonly byStatus: Record<string, number>
  readonly ready: number
  readonly skipped: number
  readonly estimatedSeconds: number
  /** Routed profiles only: orders per account (`main`, a target's label, '' for none). */
  readonly byTarget: readonly { readonly target: string; readonly orders: number }[] | null
  /** Why orders would be skipped, with how many each, most first. */
  readonly skipReasons: readonly { readonly reason: string; readonly orders: number }[]
  /** The same orders counted by their first reason's code (SKIP_REASON_CODES), most first. */
  readonly skipCodes: readonly { readonly code: SkipReasonCode; readonly orders: number }[]
}

export interface PreviewHooks {
  /** Once the request passed every check, before any order is read (open an output here). */
  readonly onChecked?: () => Promise<void>
  /** Each page's lines, awaited, so a writer keeps up without buffering the whole range. */
  readonly onLines?: (lines: readonly PreviewLine[]) => Promise<void>
}

export async function previewSending(
  context: AppContext,
  profile: Profile,
  request: PreviewRequest,
  hooks: PreviewHooks = {},
): Promise<PreviewSummary> {
  const routing = routingOf(profile)
  return withProfileStore(context, profile, async (store) => {
    const overview = await checkSendingRequest(context, store, request, routing)
    const router = new ConnectifRouter(routing.targets, routing.mainAccount, overview)
    const range = { from: request.from, to: request.to }
    const byTarget = router.routed
      ? splitOrdersByTarget(
          (await store.countOrders({ range, shopIds: profile.shopIds })).groups,
          request.stateIds,
          router,
          overview,
        )
      : null
    await hooks.onChecked?.()
    const byStatus = Object.fromEntries(request.stateIds.map((id) => [String(id), 0]))
    const reasons = new Map<string, number>()
    const codes = new Map<SkipReasonCode, number>()
    let total = 0
    let ready = 0
    for await (const page of store.readOrders({
      range,
      stateIds: request.stateIds,
      shopIds: profile.shopIds,
    })) {
      const lines: PreviewLine[] = []
      for (const order of page) {
        const route = router.route(order)
        const target = router.routed ? { target: routeLabel(route) } : {}
        const mapping =
          route.kind === 'unrouted'
            ? ({ result: 'skipped', reason: route.reason, reasonCode: 'no_account' } as const)
            : mapOrderToPurchase(order, {
                currency: route.kind === 'target' ? route.currency : 'shop-default',
              })
        total++
        byStatus[String(order.stateId)] = (byStatus[String(order.stateId)] ?? 0) + 1
        if (mapping.result === 'ready') {
          ready++
          lines.push({ orderId: order.id, result: 'ready', purchase: mapping.purchase, ...target })
        } else {
          reasons.set(mapping.reason, (reasons.get(mapping.reason) ?? 0) + 1)
          codes.set(mapping.reasonCode, (codes.get(mapping.reasonCode) ?? 0) + 1)
          lines.push({ orderId: order.id, result: 'skipped', reason: mapping.reason, ...target })
        }
      }
      if (hooks.onLines && lines.length > 0) await hooks.onLines(lines)
    }
    return {
      total,
      byStatus,
      ready,
      skipped: total - ready,
      estimatedSeconds: Math.ceil((ready / request.rateLimit) * 60),
      byTarget,
      skipReasons: [...reasons.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([reason, orders]) => ({ reason, orders })),
      skipCodes: [...codes.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([code, orders]) => ({ code, orders })),
    }
  })
}

/**
 * The send page's confirmation: how many orders of the range would be skipped, by reason code,
 * from the same dry run (on a store connection of its own: it reads every order, and the page's
 * quick reads must not wait behind it).
 */
export async function expectedSkips(
  context: AppContext,
  profile: Profile,
  request: Omit<PreviewRequest, 'rateLimit'>,
): Promise<ExpectedSkipsView> {
  // The rate only feeds the estimate, which is not asked here.
  const summary = await previewSending(context, profile, { ...request, rateLimit: 1 })
  return { orders: summary.total, skipped: summary.skipped, byReason: summary.skipCodes }
}
