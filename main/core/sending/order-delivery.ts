/**
 * Delivering one order to Connectif: what is recorded for a pending order (`toOrderRow`), and
 * sending it to its account, creating a missing contact or products when the sending allows it,
 * then turning the final answer into the order's result and the report's message.
 */
import type {
  ConnectifApi,
  ConnectifResult,
  ConnectifWait,
  ContactUpsert,
} from '../connectif/connectif-api'
import type {
  CreatedItems,
  NewOrderRow,
  OrderResultUpdate,
  PendingOrder,
  SendingOptions,
} from '../history/history-types'
import { detailSuffix, parseErrorBody } from '../connectif/connectif-answers'
import { mapOrderToPurchase } from '../purchases/order-to-purchase'
import { capText, FIELD_LIMITS } from '../purchases/field-limits'
import type { CatalogueProduct, PurchaseCreation, PurchaseProduct } from '../purchases/purchase'
import type { StoreOrder } from '../store/store-source'
import { targetLabel } from '../profiles/profile-rules'
import type { ConnectifTarget } from '../profiles/profile-types'
import { MAIN_ACCOUNT_LABEL, routeLabel } from './connectif-routing'
import type { Route } from './connectif-routing'
import { FatalSendingError } from './sending-types'
import type { EngineDependencies } from './sending-types'

/** What is recorded for a pending order: everything needed to send it without the store. */
export interface OrderPayload {
  readonly purchase: PurchaseCreation
  readonly contact: ContactUpsert
  /**
   * Each product of the purchase as Connectif should create it when it lacks it, from the store's
   * catalogue when the order was read (mapOrderToPurchase). Absent from payloads recorded before
   * it existed: those create products from their purchase lines (`catalogueOf`).
   */
  readonly catalogue?: readonly CatalogueProduct[]
  /** The routing target it goes to; absent or null for the main account. */
  readonly targetId?: string | null
}

/**
 * The payload's products as Connectif should create them. A payload recorded before catalogue
 * entries were recorded has only its purchase lines: their name, prices and links stand in, with
 * Connectif's defaults for what they cannot say (in stock, not blacklisted), as was sent then.
 */
export function catalogueOf(payload: OrderPayload): readonly CatalogueProduct[] {
  return payload.catalogue ?? payload.purchase.products.map(lineAsCatalogueProduct)
}

function lineAsCatalogueProduct(line: PurchaseProduct): CatalogueProduct {
  return {
    productId: line.productId,
    name: line.name,
    unitPrice: line.unitPrice,
    unitPriceWithoutVAT: line.unitPriceWithoutVAT,
    ...(line.productDetailUrl === undefined ? {} : { productDetailUrl: line.productDetailUrl }),
    ...(line.imageUrl === undefined ? {} : { imageUrl: line.imageUrl }),
    ...(line.categories === undefined ? {} : { categories: line.categories }),
    ...(line.brand === undefined ? {} : { brand: line.brand }),
    availability: 'instock',
    isBlacklisted: false,
  }
}

/**
 * Sends a sending's orders to their accounts: one client per account, and each missing contact
 * or product created at most once per sending.
 */
export class OrderDelivery {
  readonly #deps: Pick<EngineDependencies, 'connectif' | 'clock'>
  readonly #options: SendingOptions
  readonly #routing: { readonly mainAccount: boolean; readonly targets: readonly ConnectifTarget[] }
  readonly #signal: AbortSignal
  readonly #onWait: (wait: ConnectifWait) => void

  /** One client per account, made when the first order for it is sent. */
  readonly #clients = new Map<string, ConnectifApi>()

  /** Contacts and products created in this sending: each at most once, shared by concurrent orders. */
  readonly #contactUpserts = new Map<string, Promise<ConnectifResult>>()
  readonly #productUpserts = new Map<string, Promise<ConnectifResult>>()

  /**
   * `signal` stops the requests (those in flight finish first); `onWait` reports rate-limit
   * pauses.
   */
  constructor(
    deps: Pick<EngineDependencies, 'connectif' | 'clock'>,
    options: SendingOptions,
    routing: { readonly mainAccount: boolean; readonly targets: readonly ConnectifTarget[] },
    signal: AbortSignal,
    onWait: (wait: ConnectifWait) => void,
  ) {
    this.#deps = deps
    this.#options = options
    this.#routing = routing
    this.#signal = signal
    this.#onWait = onWait
  }

  /** The client of the account an order goes to. */
  #client(targetId: string | null | undefined): { api: ConnectifApi; label: string } {
    const key = targetId ?? ''
    const target =
      targetId === null || targetId === undefined
        ? null
        : this.#routing.targets.find((candidate) => candidate.id === targetId)
    if (target === undefined)
      throw new FatalSendingError(
        'target_missing',
        `An order of this sending is for the Connectif target "${targetId ?? ''}", which the sending no longer knows.`,
      )
    const label = target === null ? MAIN_ACCOUNT_LABEL : targetLabel(target)
    let api = this.#clients.get(key)
    if (!api) {
      api = this.#deps.connectif(target === null ? { kind: 'main' } : { kind: 'target', target }, {
        onWait: (wait) => this.#onWait(wait),
      })
      this.#clients.set(key, api)
    }
    return { api, label }
  }

  /** The fingerprint of the account of a target (null: the main account), for "already sent". */
  accountKey(targetId: string | null): string {
    return this.#client(targetId).api.accountKey
  }

  /** The client and label of a target's account (null: the main account), for its imports. */
  account(targetId: string | null): { api: ConnectifApi; label: string } {
    return this.#client(targetId)
  }

  /**
   * Sends a pending order and returns its result. Throws `FatalSendingError` when the sending
   * cannot go on (a refused key, a target the sending no longer knows).
   */
  async send(order: PendingOrder): Promise<OrderResultUpdate> {
    return (await this.#deliver(order, false)) as OrderResultUpdate
  }

  /**
   * Sends a pending order as `send` does, except that a contact or products the account lacks
   * (and the sending may create) are not created one by one: null says so, and the order stays
   * pending. The engine asks this of its first order to learn whether the account needs imports.
   */
  probe(order: PendingOrder): Promise<OrderResultUpdate | null> {
    return this.#deliver(order, true)
  }

  async #deliver(order: PendingOrder, stopWhenMissing: boolean): Promise<OrderResultUpdate | null> {
    const payload = JSON.parse(order.payload) as OrderPayload
    const options = this.#options
    const signal = this.#signal
    const { api: connectif, label } = this.#client(payload.targetId)
    const account = this.#routing.targets.length > 0 ? label : null
    let attempts = 0
    const post = async (): Promise<ConnectifResult> => {
      const result = await connectif.createPurchase(payload.purchase, {
        triggerPurchaseEvent: options.triggerWorkflows,
        signal,
        finishInFlight: true,
      })
      attempts += result.attempts
      return result
    }

    let result = await post()
    let contactTried = false
    let productsTried = false
    // What this order's own requests created: the sending counts each creation once.
    const created = { contacts: 0, products: 0 }
    for (;;) {
      const outcome = result.outcome
      if (outcome.kind === 'auth_failed') throw authFailure(outcome.status, result, account)
      if (
        stopWhenMissing &&
        ((outcome.kind === 'unknown_contact' && options.createContacts) ||
          (outcome.kind === 'unknown_products' && options.createProducts))
      )
        return null
      if (outcome.kind === 'unknown_contact' && options.createContacts && !contactTried) {
        contactTried = true
        const upsert = await this.#upsertContact(connectif, label, payload.contact, signal)
        attempts += upsert.attempts
        if (upsert.result.outcome.kind === 'auth_failed')
          throw authFailure(upsert.result.outcome.status, upsert.result, account)
        if (upsert.result.outcome.kind !== 'created') {
          return this.#update(order, result, attempts, {
            message: `The contact ${payload.contact.email} does not exist in Connectif and could not be created: ${upsert.result.message}`,
            created,
          })
        }
        if (upsert.own) created.contacts++
        result = await post()
        continue
      }
      if (outcome.kind === 'unknown_products' && options.createProducts && !productsTried) {
        productsTried = true
        const missing =
          outcome.productIds.length > 0
            ? outcome.productIds
            : payload.purchase.products.map((p) => p.productId)
        const catalogue = catalogueOf(payload)
        for (const productId of missing) {
          const product = catalogue.find((candidate) => candidate.productId === productId)
          if (!product) continue
          const upsert = await this.#upsertProduct(connectif, label, product, signal)
          attempts += upsert.attempts
          if (upsert.result.outcome.kind === 'auth_failed')
            throw authFailure(upsert.result.outcome.status, upsert.result, account)
          if (upsert.result.outcome.kind === 'unauthorised_domain') {
            // E0201: the answer that says what to change is the product's, not the purchase's.
            return this.#update(order, upsert.result, attempts, {
              message: unauthorisedProductDomain(product, upsert.result),
              created,
            })
          }
          if (upsert.result.outcome.kind !== 'created') {
            return this.#update(order, result, attempts, {
              message: `The product ${productId} is not in Connectif's catalogue and could not be created: ${upsert.result.message}`,
              created,
            })
          }
          if (upsert.own) created.products++
        }
        result = await post()
        continue
      }
      return this.#update(order, result, attempts, { message: explain(result, payload), created })
    }
  }

  /**
   * Upserts a contact once per sending; concurrent orders of the same customer wait for it.
   * `own`: this call made the request (the others share its answer and count nothing).
   */
  async #upsertContact(
    connectif: ConnectifApi,
    account: string,
    contact: ContactUpsert,
    signal: AbortSignal,
  ): Promise<Upsert> {
    // Per account: each Connectif account has its own contacts and catalogue.
    const key = `${account}\n${contact.email.toLowerCase()}`
    const existing = this.#contactUpserts.get(key)
    if (existing) return { result: await existing, attempts: 0, own: false }
    const call = connectif.upsertContact(contact, { signal, finishInFlight: true })
    this.#contactUpserts.set(key, call)
    const result = await call
    return { result, attempts: result.attempts, own: true }
  }

  async #upsertProduct(
    connectif: ConnectifApi,
    account: string,
    product: CatalogueProduct,
    signal: AbortSignal,
  ): Promise<Upsert> {
    const key = `${account}\n${product.productId}`
    const existing = this.#productUpserts.get(key)
    if (existing) return { result: await existing, attempts: 0, own: false }
    const call = connectif.upsertProduct(product, { signal, finishInFlight: true })
    this.#productUpserts.set(key, call)
    const result = await call
    return { result, attempts: result.attempts, own: true }
  }

  #update(
    order: PendingOrder,
    result: ConnectifResult,
    attempts: number,
    extra: { message: string | null; created: CreatedItems },
  ): OrderResultUpdate {
    const kind = result.outcome.kind
    return {
      orderId: order.orderId,
      result:
        kind === 'created' ? 'created' : kind === 'already_exists' ? 'already_exists' : 'failed',
      httpStatus: result.status,
      errorCode:
        result.code ?? (kind === 'unavailable' && result.status === null ? 'network' : null),
      message: extra.message,
      response: result.body === '' ? null : result.body,
      attempts,
      sentAt: new Date(this.#deps.clock.now()).toISOString(),
      ...(extra.created.contacts > 0 || extra.created.products > 0
        ? { created: { ...extra.created } }
        : {}),
    }
  }
}

/** A contact or product upsert as an order sees it; `own`: its request was this order's. */
interface Upsert {
  readonly result: ConnectifResult
  readonly attempts: number
  readonly own: boolean
}

/**
 * The error that stops the sending when Connectif refuses an account's key (401 or 403);
 * `account` is null for a profile with one account. Said once: the status and Connectif's own
 * detail, when its answer (`body`) has one, not the answer's message, which says the status again.
 */
export function authFailure(
  status: 401 | 403,
  result: Pick<ConnectifResult, 'message'> & { readonly body?: string },
  account: string | null,
): FatalSendingError {
  const key =
    account === null
      ? 'the API key'
      : account === MAIN_ACCOUNT_LABEL
        ? "the main account's API key"
        : `the API key of the target ${account}`
  const detail =
    result.body === undefined
      ? result.message === ''
        ? ''
        : `: ${result.message.replace(/\.$/, '')}`
      : detailSuffix(parseErrorBody(result.body))
  return status === 401
    ? new FatalSendingError(
        'connectif_unauthorized',
        `Connectif refused ${key} (401)${detail}. Check the key in the profile; nothing more was sent.`,
      )
    : new FatalSendingError(
        'connectif_forbidden',
        `${key.charAt(0).toUpperCase()}${key.slice(1)} lacks a permission, or the Connectif account is blocked (403)${detail}. Give the key the "Write Purchases" permission (and "Write Contacts" / "Write Products" to create missing ones); nothing more was sent.`,
      )
}

/** The report's message for a final answer: what happened and, for failures, what to do. */
function explain(result: ConnectifResult, payload: OrderPayload): string | null {
  const outcome = result.outcome
  switch (outcome.kind) {
    case 'created':
      return null
    case 'already_exists':
      return result.message || 'The purchase already exists in Connectif.'
    case 'unknown_contact':
      return `The contact ${payload.contact.email} does not exist in Connectif. Turn on "create missing contacts" for the sending, or create the contact in Connectif, then retry the failed orders.`
    case 'unknown_products':
      return `Connectif's catalogue lacks the product${outcome.productIds.length === 1 ? '' : 's'} ${outcome.productIds.join(', ')}. Turn on "create missing products", or sync the catalogue first, then retry the failed orders.`
    case 'unauthorised_domain': {
      const hosts = [
        ...new Set(
          payload.purchase.products
            .filter((product) => outcome.productIds.includes(product.productId))
            .flatMap((product) =>
              product.productDetailUrl ? [hostOf(product.productDetailUrl)] : [],
            ),
        ),
      ]
      return `Connectif does not accept product URLs from ${hosts.join(', ') || 'this domain'}. ${authoriseHosts(hosts, outcome.allowedDomains)}`
    }
    case 'rejected':
      return `Connectif rejected the purchase: ${result.message}`
    case 'unavailable':
      return `Connectif did not answer after ${result.attempts} attempt${result.attempts === 1 ? '' : 's'}: ${result.message} Retry the failed orders later.`
    case 'auth_failed':
      return result.message
  }
}

/** Where Connectif lists the domains product URLs may use, and what to do once they are added. */
function authoriseHosts(hosts: readonly string[], allowed: readonly string[]): string {
  return `Add ${hosts.length === 1 ? 'it' : 'them'} in Connectif under Store settings > Integrations > Web > Authorized domains${allowed.length > 0 ? ` (authorised now: ${allowed.join(', ')})` : ''}, then retry the failed orders.`
}

/**
 * The report's message for E0201: Connectif refused to create a product because its page is on
 * a domain the Connectif store has not authorised.
 */
function unauthorisedProductDomain(product: CatalogueProduct, result: ConnectifResult): string {
  const outcome = result.outcome
  const allowed = outcome.kind === 'unauthorised_domain' ? outcome.allowedDomains : []
  const url = product.productDetailUrl
  const host = url === undefined ? null : hostOf(url)
  return `Connectif refused to create the product ${product.productId}: its page ${url ?? '(none)'} is on ${host ?? 'a domain'} (E0201), which is not an authorised domain of the Connectif store. ${authoriseHosts(host === null ? [] : [host], allowed)}`
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

/**
 * An order read from the store as the history records it: pending with the exact body to send,
 * or skipped and why.
 */
export function toOrderRow(order: StoreOrder, route: Route, account?: string): NewOrderRow {
  const mapping = mapOrderToPurchase(order, {
    currency: route.kind === 'target' ? route.currency : 'shop-default',
  })
  const base = {
    orderId: order.id,
    reference: mapping.order.reference,
    orderDate: mapping.order.orderDate,
    customerEmail: mapping.order.customerEmail,
    total: mapping.order.total,
    shopId: order.shopId,
    stateId: order.stateId,
    target: routeLabel(route),
    ...(account === undefined ? {} : { account }),
  }
  if (route.kind === 'unrouted') {
    return {
      ...base,
      result: 'skipped',
      payload: null,
      message: route.reason,
      errorCode: 'no_account',
    }
  }
  if (mapping.result === 'skipped') {
    return {
      ...base,
      result: 'skipped',
      payload: null,
      message: mapping.reason,
      errorCode: mapping.reasonCode,
    }
  }
  const payload: OrderPayload = {
    ...(route.kind === 'target' ? { targetId: route.target.id } : {}),
    purchase: mapping.purchase,
    catalogue: mapping.catalogue,
    contact: {
      email: mapping.purchase.contactEmail,
      ...(order.customer?.firstname
        ? { firstname: capText(order.customer.firstname, FIELD_LIMITS.personName) }
        : {}),
      ...(order.customer?.lastname
        ? { lastname: capText(order.customer.lastname, FIELD_LIMITS.personName) }
        : {}),
    },
  }
  return { ...base, result: 'pending', payload: JSON.stringify(payload), message: null }
}
