import { targetLabel } from '../profiles/profile-rules'
import type { ConnectifTarget } from '../profiles/profile-types'
import type { OrderCountGroup, StoreOrder, StoreOverview } from '../store/store-source'

/**
 * Which Connectif account an order goes to. Connectif keeps one account per language and currency
 * (see the README, "Multilingual and multi-currency stores"), so a multilingual or multi-currency store needs routing:
 * each order goes to the one target serving its language, currency and shop; orders no target
 * serves go to the profile's main account when it has one, and are skipped otherwise, never sent
 * to an account that does not serve them.
 */

/** A Connectif account of a sending, for the engine to get its client. */
export type ConnectifAccountRef =
  { readonly kind: 'main' } | { readonly kind: 'target'; readonly target: ConnectifTarget }

/** Where an order goes: a target, the main account, or nowhere (with the reason). */
export type Route =
  | {
      readonly kind: 'target'
      readonly target: ConnectifTarget
      /** The account serves one currency: amounts stay in the order's own currency. */
      readonly currency: 'order' | 'shop-default'
    }
  | { readonly kind: 'main' }
  | { readonly kind: 'unrouted'; readonly reason: string }

/** The main account's name in progress, history and reports. */
export const MAIN_ACCOUNT_LABEL = 'main'

export function routeLabel(route: Route): string {
  if (route.kind === 'target') return targetLabel(route.target)
  if (route.kind === 'main') return MAIN_ACCOUNT_LABEL
  return ''
}

/** Something a target serves that the store does not have: a sending is refused while one exists. */
export interface TargetStoreProblem {
  readonly code: 'target_unknown_language' | 'target_unknown_currency' | 'target_unknown_shop'
  /** `position` (from 1), `label`, the `value` the store lacks and what it has (`known`). */
  readonly params: Readonly<Record<string, string>>
  readonly message: string
}

/** Things in the targets the store does not have. */
export function checkTargetsAgainstStore(
  targets: readonly ConnectifTarget[],
  overview: StoreOverview,
): TargetStoreProblem[] {
  const problems: TargetStoreProblem[] = []
  const languages = new Set(overview.languages.map((language) => language.isoCode.toLowerCase()))
  const currencies = new Set(overview.currencies.map((currency) => currency.isoCode.toUpperCase()))
  const shops = new Set(overview.shops.map((shop) => shop.id))
  targets.forEach((target, index) => {
    const label = targetLabel(target)
    const name = `Target ${index + 1} (${label})`
    const base = { position: String(index + 1), label }
    for (const language of target.languages) {
      if (!languages.has(language))
        problems.push({
          code: 'target_unknown_language',
          params: { ...base, value: language, known: [...languages].join(', ') },
          message: `${name} serves the language "${language}", which the store does not have (it has ${[...languages].join(', ')}).`,
        })
    }
    for (const currency of target.currencies) {
      if (!currencies.has(currency))
        problems.push({
          code: 'target_unknown_currency',
          params: { ...base, value: currency, known: [...currencies].join(', ') },
          message: `${name} serves the currency "${currency}", which the store does not have (it has ${[...currencies].join(', ')}).`,
        })
    }
    for (const shopId of target.shopIds) {
      if (!shops.has(shopId))
        problems.push({
          code: 'target_unknown_shop',
          params: { ...base, value: String(shopId), known: [...shops].join(', ') },
          message: `${name} serves shop ${shopId}, which the store does not have.`,
        })
    }
  })
  return problems
}

/** Routes orders of one store; build it once per sending with the store's overview. */
export class ConnectifRouter {
  readonly #targets: readonly ConnectifTarget[]
  readonly #hasMainAccount: boolean
  readonly #languageIso: ReadonlyMap<number, string>

  constructor(
    targets: readonly ConnectifTarget[],
    hasMainAccount: boolean,
    overview: StoreOverview,
  ) {
    this.#targets = targets
    this.#hasMainAccount = hasMainAccount
    this.#languageIso = new Map(
      overview.languages.map((language) => [language.id, language.isoCode.toLowerCase()]),
    )
  }

  /** True when orders are routed (the profile has targets), false for one account. */
  get routed(): boolean {
    return this.#targets.length > 0
  }

  route(
    order: Pick<StoreOrder, 'languageId' | 'shopId'> & { currency: { isoCode: string } },
  ): Route {
    if (this.#targets.length === 0) return { kind: 'main' }
    const language = this.#languageIso.get(order.languageId) ?? ''
    const currency = order.currency.isoCode.toUpperCase()
    const target = this.#targets.find(
      (candidate) =>
        (candidate.languages.length === 0 || candidate.languages.includes(language)) &&
        (candidate.currencies.length === 0 || candidate.currencies.includes(currency)) &&
        (candidate.shopIds.length === 0 || candidate.shopIds.includes(order.shopId)),
    )
    if (target) {
      return {
        kind: 'target',
        target,
        // An account pinned to currencies gets amounts as paid; one serving any currency gets
        // them in the shop's default currency, as the single-account sending does.
        currency: target.currencies.length > 0 ? 'order' : 'shop-default',
      }
    }
    if (this.#hasMainAccount) return { kind: 'main' }
    return {
      kind: 'unrouted',
      reason: `No Connectif target of the profile serves this order (language ${language || `id ${order.languageId}`}, currency ${currency || 'unknown'}, shop ${order.shopId}), and the profile has no main account for the rest; add a target for it to send it.`,
    }
  }
}

/**
 * How the orders of a range split across the accounts, from the store's counts: what the wizard
 * shows before sending. `target` is `main`, a target's label, or '' for orders no account serves.
 */
export function splitOrdersByTarget(
  groups: readonly OrderCountGroup[],
  stateIds: readonly number[],
  router: ConnectifRouter,
  overview: StoreOverview,
): { target: string; orders: number }[] {
  const currencyIso = new Map(
    overview.currencies.map((currency) => [currency.id, currency.isoCode]),
  )
  const wanted = new Set(stateIds)
  const totals = new Map<string, number>()
  for (const group of groups) {
    if (!wanted.has(group.stateId)) continue
    const route = router.route({
      languageId: group.languageId,
      shopId: group.shopId,
      currency: { isoCode: currencyIso.get(group.currencyId) ?? '' },
    })
    const label = routeLabel(route)
    totals.set(label, (totals.get(label) ?? 0) + group.orders)
  }
  return [...totals.entries()]
    .map(([target, orders]) => ({ target, orders }))
    .sort((a, b) => b.orders - a.orders || a.target.localeCompare(b.target))
}
