import type { OrderCountGroup, StoreOrder, StoreOverview } from '../store/store-source'

/**
 * Which Connectif account an order goes to. Connectif keeps one account per language and currency
 * (shared/docs/connectif-api.md §10.2), so a multilingual or multi-currency store needs routing:
 * each order goes to the one target serving its language, currency and shop; orders no target
 * serves go to the profile's main account when it has one, and are skipped otherwise, never sent
 * to an account that does not serve them.
 */

/** A routed Connectif account of a profile, without its secret. */
export interface ConnectifTarget {
  /** Stable within the profile: names the target's secret and the orders sent to it. */
  readonly id: string
  readonly apiUrl: string
  /** Environment variable holding the key (command-line profiles); null when the app keeps it. */
  readonly keyEnv: string | null
  /** ISO codes (lower case) of the order languages served; empty serves every language. */
  readonly languages: readonly string[]
  /** ISO codes (upper case) of the order currencies served; empty serves every currency. */
  readonly currencies: readonly string[]
  /** Shop ids served; empty serves every shop. */
  readonly shopIds: readonly number[]
}

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

export function targetLabel(
  target: Pick<ConnectifTarget, 'languages' | 'currencies' | 'shopIds'>,
): string {
  const parts: string[] = []
  if (target.languages.length > 0) parts.push(`lang=${target.languages.join('+')}`)
  if (target.currencies.length > 0) parts.push(`currency=${target.currencies.join('+')}`)
  if (target.shopIds.length > 0) parts.push(`shops=${target.shopIds.join('+')}`)
  return parts.join(',')
}

export function routeLabel(route: Route): string {
  if (route.kind === 'target') return targetLabel(route.target)
  if (route.kind === 'main') return MAIN_ACCOUNT_LABEL
  return ''
}

const LANGUAGE_ISO = /^[a-z]{2}(-[a-z]{2})?$/
const CURRENCY_ISO = /^[A-Z]{3}$/

/** A mistake in a profile's targets and the positions (from 0) of the targets it is about. */
export interface TargetProblem {
  readonly targets: readonly number[]
  readonly message: string
}

/** Every mistake in a profile's targets, each said in full; empty when they are usable. */
export function checkTargets(
  targets: readonly ConnectifTarget[],
  hasMainAccount: boolean,
): string[] {
  return findTargetProblems(targets, hasMainAccount).map((problem) => problem.message)
}

/** `checkTargets` with the targets each problem is about, for a form to show it on them. */
export function findTargetProblems(
  targets: readonly ConnectifTarget[],
  hasMainAccount: boolean,
): TargetProblem[] {
  const found: TargetProblem[] = []
  const ids = new Set<string>()
  targets.forEach((target, index) => {
    const problem = (message: string): void => {
      found.push({ targets: [index], message })
    }
    const name = `Target ${index + 1} (${targetLabel(target) || 'no condition'})`
    if (ids.has(target.id)) problem(`${name} repeats the id "${target.id}".`)
    ids.add(target.id)
    if (target.languages.length + target.currencies.length + target.shopIds.length === 0) {
      problem(
        `${name} names no language, currency or shop, so it would serve every order: ${hasMainAccount ? 'that is what the main Connectif account does' : 'make it the main Connectif account instead'}.`,
      )
    }
    for (const language of target.languages) {
      if (!LANGUAGE_ISO.test(language))
        problem(`${name}: "${language}" is not a language ISO code such as "es" or "en".`)
    }
    for (const currency of target.currencies) {
      if (!CURRENCY_ISO.test(currency))
        problem(`${name}: "${currency}" is not a currency ISO code such as "EUR" or "USD".`)
    }
    for (const shopId of target.shopIds) {
      if (!Number.isInteger(shopId) || shopId <= 0)
        problem(`${name}: "${shopId}" is not a shop id.`)
    }
    try {
      const url = new URL(target.apiUrl)
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError()
    } catch {
      problem(`${name}: "${target.apiUrl}" is not a Connectif API address.`)
    }
  })
  for (let first = 0; first < targets.length; first++) {
    for (let second = first + 1; second < targets.length; second++) {
      const a = targets[first] as ConnectifTarget
      const b = targets[second] as ConnectifTarget
      if (
        overlaps(a.languages, b.languages) &&
        overlaps(a.currencies, b.currencies) &&
        overlaps(a.shopIds, b.shopIds)
      ) {
        found.push({
          targets: [first, second],
          message: `Targets ${first + 1} (${targetLabel(a)}) and ${second + 1} (${targetLabel(b)}) would both serve some orders (${describeOverlap(a, b)}); each order must have exactly one target.`,
        })
      }
    }
  }
  return found
}

function overlaps<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === 0 || b.length === 0 || a.some((value) => b.includes(value))
}

function describeOverlap(a: ConnectifTarget, b: ConnectifTarget): string {
  const common = <T>(x: readonly T[], y: readonly T[], every: string): string =>
    x.length === 0 && y.length === 0
      ? every
      : (x.length === 0 ? y : y.length === 0 ? x : x.filter((value) => y.includes(value))).join('+')
  return `language ${common(a.languages, b.languages, 'any')}, currency ${common(a.currencies, b.currencies, 'any')}, shop ${common(a.shopIds, b.shopIds, 'any')}`
}

/** Things in the targets the store does not have: a sending is refused while they exist. */
export function checkTargetsAgainstStore(
  targets: readonly ConnectifTarget[],
  overview: StoreOverview,
): string[] {
  const problems: string[] = []
  const languages = new Set(overview.languages.map((language) => language.isoCode.toLowerCase()))
  const currencies = new Set(overview.currencies.map((currency) => currency.isoCode.toUpperCase()))
  const shops = new Set(overview.shops.map((shop) => shop.id))
  targets.forEach((target, index) => {
    const name = `Target ${index + 1} (${targetLabel(target)})`
    for (const language of target.languages) {
      if (!languages.has(language))
        problems.push(
          `${name} serves the language "${language}", which the store does not have (it has ${[...languages].join(', ')}).`,
        )
    }
    for (const currency of target.currencies) {
      if (!currencies.has(currency))
        problems.push(
          `${name} serves the currency "${currency}", which the store does not have (it has ${[...currencies].join(', ')}).`,
        )
    }
    for (const shopId of target.shopIds) {
      if (!shops.has(shopId))
        problems.push(`${name} serves shop ${shopId}, which the store does not have.`)
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
