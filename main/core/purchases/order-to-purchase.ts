import type { CurrencyRef, StoreOrder, StoreOrderLine, StoreProduct } from '../store/store-source'
import { shopLocalToIso } from '../time/shop-time'
import { isPrestaShopEmail } from './email-address'
import { capText, exceeds, FIELD_LIMITS, quoteValue } from './field-limits'
import { divideRounded, ONE_MICROS, parseMicros, quantityMicros, readMicros } from './money'
import type { RoundedAmount } from './money'
import type {
  CatalogueProduct,
  OrderMapping,
  OrderSummary,
  PurchaseCreation,
  PurchaseProduct,
  SkipReasonCode,
} from './purchase'

export interface MappingOptions {
  /**
   * `shop-default` (one Connectif account for the store): amounts converted to the shop's default
   * currency with the order's own stored rate. `order`: amounts as the customer paid them, for an
   * account that serves that currency.
   */
  readonly currency?: 'shop-default' | 'order'
}

/** Lines named one by one in a skip reason; the others are counted. */
const LINES_NAMED = 3

/** Maps one store order to the purchase Connectif will receive, or says why it cannot be sent. */
export function mapOrderToPurchase(order: StoreOrder, options: MappingOptions = {}): OrderMapping {
  const money = moneyConverter(order, options.currency ?? 'shop-default')
  const email = order.customer?.email.trim() ?? ''
  const purchaseDate = safeIso(order.placedAt, order.timezone)
  const total = readMicros(order.totalPaidTaxIncl)
  // What the history and the report keep of the order, capped: a store's fields can hold anything.
  const summary: OrderSummary = {
    orderId: order.id,
    reference: capText(order.reference, FIELD_LIMITS.reference),
    orderDate: purchaseDate ?? capText(order.placedAt, FIELD_LIMITS.rawDate),
    customerEmail: capText(email, FIELD_LIMITS.email),
    total:
      money.ok && typeof total === 'bigint'
        ? money.amount(order.totalPaidTaxIncl).text
        : capText(order.totalPaidTaxIncl.trim(), FIELD_LIMITS.rawAmount),
    shopId: order.shopId,
    stateId: order.stateId,
  }
  // Every reason at once: the merchant fixes them all in one pass instead of one per retry.
  const reasons: { readonly code: SkipReasonCode; readonly text: string }[] = []
  const add = (code: SkipReasonCode, text: string): void => {
    reasons.push({ code, text })
  }
  if (order.customer === null)
    add('customer_missing', 'The customer of this order no longer exists in the store.')
  else if (order.customer.deleted)
    add('customer_deleted', 'The customer account was deleted from the store.')
  else if (email === '') add('no_email', 'The order has no customer e-mail address.')
  else if (exceeds(email, FIELD_LIMITS.email)) {
    add(
      'email_too_long',
      `The customer e-mail ${quoteValue(email)} is longer than the ${FIELD_LIMITS.email} characters PrestaShop keeps.`,
    )
  } else if (!isPrestaShopEmail(email)) {
    add('invalid_email', `The customer e-mail ${quoteValue(email)} is not a valid e-mail address.`)
  }
  if (order.lines.length === 0) add('no_lines', 'The order has no product lines.')
  if (purchaseDate === null) {
    add('invalid_date', `The order date ${quoteValue(order.placedAt)} is not a valid date.`)
  }
  if (!money.ok) add('no_conversion_rate', money.reason)
  for (const problem of amountProblems(order)) add('invalid_amounts', problem)
  const first = reasons[0]
  if (first !== undefined || !money.ok || purchaseDate === null) {
    return {
      result: 'skipped',
      order: summary,
      reason: reasons.map((each) => each.text).join(' '),
      reasonCode: first?.code ?? 'invalid_amounts',
    }
  }

  const groups = groupLinesByProduct(order.lines)
  const products = groups.map((lines) => productOf(order.shopUrl, lines, money))
  const catalogueMoney = catalogueConverter(order, options.currency ?? 'shop-default')
  const catalogue = groups.map((lines, index) =>
    catalogueProductOf(order.shopUrl, lines, products[index] as PurchaseProduct, catalogueMoney),
  )
  const paymentMethod = capText(order.paymentMethod.trim(), FIELD_LIMITS.paymentMethod)
  const purchase: PurchaseCreation = {
    purchaseId: String(order.id),
    cartId: String(order.cartId),
    contactEmail: email,
    purchaseDate,
    ...(paymentMethod !== '' ? { paymentMethod } : {}),
    totalPrice: money.amount(order.totalPaidTaxIncl).value,
    totalQuantity: order.lines.reduce((sum, line) => sum + line.quantity, 0),
    products,
  }
  // Unreachable once every amount has passed amountProblems, and kept so: a number JSON cannot
  // hold (it would be sent as null) must never leave, whatever changes upstream.
  if (!numbersAreSendable(purchase, catalogue)) {
    return {
      result: 'skipped',
      order: summary,
      reason: "The order's amounts or quantities are too large to be sent as numbers.",
      reasonCode: 'invalid_amounts',
    }
  }
  return { result: 'ready', order: summary, purchase, catalogue }
}

function safeIso(local: string, zone: string): string | null {
  try {
    return shopLocalToIso(local, zone)
  } catch {
    return null
  }
}

/**
 * What makes the order's amounts unsendable: a total or a line amount that is not a number, is
 * beyond what PrestaShop can store (money.ts, MAX_WHOLE_DIGITS) or is negative, a quantity that
 * is not a whole number of at least 1. A purchase is something bought: a refund or a correction
 * written as negative amounts is not one, and Connectif would count it as revenue.
 */
function amountProblems(order: StoreOrder): string[] {
  const reasons: string[] = []
  const total = amountProblem(order.totalPaidTaxIncl)
  if (total !== null) reasons.push(`The order total ${total}.`)
  const lines: string[] = []
  for (const line of order.lines) {
    const problems: string[] = []
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      problems.push(
        `the quantity is ${String(line.quantity)} (it must be a whole number of at least 1)`,
      )
    }
    const amounts: [string, string][] = [
      ['unit price', line.unitPriceTaxIncl],
      ['unit price without tax', line.unitPriceTaxExcl],
      ['line total', line.totalPriceTaxIncl],
      ['line total without tax', line.totalPriceTaxExcl],
    ]
    for (const [label, text] of amounts) {
      const problem = amountProblem(text)
      if (problem !== null) problems.push(`the ${label} ${problem}`)
    }
    if (problems.length > 0) {
      lines.push(`Line ${line.id} (product ${line.productId}): ${problems.join('; ')}.`)
    }
  }
  reasons.push(...lines.slice(0, LINES_NAMED))
  if (lines.length > LINES_NAMED) {
    const more = lines.length - LINES_NAMED
    reasons.push(
      `And ${more} more ${more === 1 ? 'line' : 'lines'} like ${more === 1 ? 'it' : 'them'}.`,
    )
  }
  return reasons
}

/** Why an amount cannot be sent, as the end of a sentence; null when it can. */
function amountProblem(text: string): string | null {
  const micros = readMicros(text)
  if (micros === 'not_a_number') return `is not a number: ${quoteValue(text)}`
  if (micros === 'out_of_range') {
    return `is too large to be a real amount: ${quoteValue(text.trim(), 20)}`
  }
  if (micros < 0n) return `is negative (${capText(text.trim(), FIELD_LIMITS.rawAmount)})`
  return null
}

function numbersAreSendable(
  purchase: PurchaseCreation,
  catalogue: readonly CatalogueProduct[],
): boolean {
  return (
    catalogue.every(
      (product) =>
        Number.isFinite(product.unitPrice) && Number.isFinite(product.unitPriceWithoutVAT),
    ) &&
    Number.isFinite(purchase.totalPrice) &&
    Number.isSafeInteger(purchase.totalQuantity) &&
    purchase.products.every(
      (product) =>
        Number.isFinite(product.unitPrice) &&
        Number.isFinite(product.price) &&
        Number.isFinite(product.unitPriceWithoutVAT) &&
        Number.isSafeInteger(product.quantity),
    )
  )
}

type MoneyConverter =
  | {
      readonly ok: true
      /** An amount of the order in the target currency. */
      amount(text: string): RoundedAmount
      /** A total of several units, per unit, in the target currency. */
      perUnit(totalMicros: bigint, quantity: number): RoundedAmount
    }
  | { readonly ok: false; readonly reason: string }

/**
 * PrestaShop stores amounts in the order's currency and the rate of that currency against the
 * default one at order time; dividing by that rate gives what the merchant's reports show.
 * Rounding happens once, on each amount Connectif receives, to the target currency's precision.
 * The amounts themselves are checked by amountProblems, before any is converted.
 */
function moneyConverter(order: StoreOrder, mode: 'shop-default' | 'order'): MoneyConverter {
  const target: CurrencyRef = mode === 'order' ? order.currency : order.defaultCurrency
  const precision = Number.isInteger(target.precision)
    ? Math.max(0, Math.min(6, target.precision))
    : 2
  let rate = ONE_MICROS
  if (mode === 'shop-default' && order.currency.id !== order.defaultCurrency.id) {
    const stored = readMicros(order.conversionRate)
    const paidIn = order.currency.isoCode || `currency ${order.currency.id}`
    const defaultName = order.defaultCurrency.isoCode || 'the default currency'
    if (stored === 'out_of_range') {
      return {
        ok: false,
        reason: `The order was paid in ${paidIn} with a conversion rate too large to be real (${quoteValue(order.conversionRate.trim(), 20)}), so its amounts cannot be expressed in ${defaultName}.`,
      }
    }
    rate = stored === 'not_a_number' ? 0n : stored
    if (rate <= 0n) {
      return {
        ok: false,
        reason: `The order was paid in ${paidIn} with no conversion rate recorded, so its amounts cannot be expressed in ${defaultName}.`,
      }
    }
  }
  return {
    ok: true,
    amount: (text) => divideRounded(parseMicros(text), rate, precision),
    perUnit: (totalMicros, quantity) =>
      divideRounded(totalMicros, (quantityMicros(quantity) * rate) / ONE_MICROS, precision),
  }
}

/**
 * Turns a catalogue price (the shop's default currency, decimal string) into the account's
 * currency: as it is for the shop's default currency; times the order's own conversion rate for
 * an account in the order's currency, the rate PrestaShop recorded when the order was placed (the
 * store's current rates are not read). Null when that rate is unusable: the order's prices stand in.
 */
function catalogueConverter(
  order: StoreOrder,
  mode: 'shop-default' | 'order',
): ((text: string) => RoundedAmount | null) | null {
  const target: CurrencyRef = mode === 'order' ? order.currency : order.defaultCurrency
  const precision = Number.isInteger(target.precision)
    ? Math.max(0, Math.min(6, target.precision))
    : 2
  let rate = ONE_MICROS
  if (mode === 'order' && order.currency.id !== order.defaultCurrency.id) {
    const stored = readMicros(order.conversionRate)
    if (typeof stored !== 'bigint' || stored <= 0n) return null
    rate = stored
  }
  return (text) => {
    const price = readMicros(text)
    if (typeof price !== 'bigint' || price < 0n) return null
    return divideRounded(price * rate, ONE_MICROS * ONE_MICROS, precision)
  }
}

/**
 * The product of a group of lines as Connectif's catalogue should first know it: the store's
 * catalogue now (name, base price with and without tax, product page without a combination,
 * cover image, categories, brand), available when it is enabled and in stock. A product deleted
 * from the store keeps what the order says of it (its line's name and prices, the plain product
 * link), and like a disabled one is blacklisted and out of stock, so Connectif never recommends
 * it. Texts are capped as the purchase's are.
 */
function catalogueProductOf(
  shopUrl: string,
  lines: StoreOrderLine[],
  line: PurchaseProduct,
  money: ((text: string) => RoundedAmount | null) | null,
): CatalogueProduct {
  const first = lines[0] as StoreOrderLine
  const product = first.product
  const unitPrice = product?.priceTaxIncl != null && money ? money(product.priceTaxIncl) : null
  const unitPriceWithoutVAT = product && money ? money(product.priceTaxExcl) : null
  const prices =
    unitPrice && unitPriceWithoutVAT
      ? { unitPrice: unitPrice.value, unitPriceWithoutVAT: unitPriceWithoutVAT.value }
      : { unitPrice: line.unitPrice, unitPriceWithoutVAT: line.unitPriceWithoutVAT }
  const url = productUrl(shopUrl, first.productId, product, false)
  const imageUrl = product?.coverImageUrl ? fittingUrl(product.coverImageUrl) : undefined
  const categories = product ? categoryPath(product.categoryPath) : null
  const sellable = product !== null && product.active
  return {
    productId: line.productId,
    name: product?.name ? capText(product.name, FIELD_LIMITS.productName) : line.name,
    ...prices,
    ...(url ? { productDetailUrl: url } : {}),
    ...(imageUrl ? { imageUrl } : {}),
    ...(categories !== null ? { categories: [categories] } : {}),
    ...(product?.brand ? { brand: capText(product.brand, FIELD_LIMITS.brand) } : {}),
    availability: sellable && product.inStock ? 'instock' : 'outofstock',
    isBlacklisted: !sellable,
  }
}

/** Lines of one product (its combinations) in the order they first appear. */
function groupLinesByProduct(lines: readonly StoreOrderLine[]): StoreOrderLine[][] {
  const groups = new Map<number, StoreOrderLine[]>()
  for (const line of lines) {
    const group = groups.get(line.productId) ?? []
    group.push(line)
    groups.set(line.productId, group)
  }
  return [...groups.values()]
}

/**
 * Connectif knows products, not combinations (productId must be a catalogue product, and its
 * docs call products[] "one per distinct product"), so combinations of one product become one
 * entry: quantities and totals added, unit prices the weighted averages. Texts are capped
 * (field-limits.ts).
 */
function productOf(
  shopUrl: string,
  lines: StoreOrderLine[],
  money: Extract<MoneyConverter, { ok: true }>,
): PurchaseProduct {
  const first = lines[0] as StoreOrderLine
  const single = lines.length === 1
  const quantity = lines.reduce((sum, line) => sum + line.quantity, 0)
  const sum = (pick: (line: StoreOrderLine) => string): bigint =>
    lines.reduce((total, line) => total + parseMicros(pick(line)), 0n)
  const totalIncl = sum((line) => line.totalPriceTaxIncl)
  const totalExcl = sum((line) => line.totalPriceTaxExcl)
  const averaged = !single && quantity > 0
  const unitIncl = averaged
    ? money.perUnit(totalIncl, quantity)
    : money.amount(first.unitPriceTaxIncl)
  const unitExcl = averaged
    ? money.perUnit(totalExcl, quantity)
    : money.amount(first.unitPriceTaxExcl)
  const product = first.product
  const url = productUrl(shopUrl, first.productId, product, single)
  const imageUrl = product?.imageUrl ? fittingUrl(product.imageUrl) : undefined
  const categories = product ? categoryPath(product.categoryPath) : null
  const name = capText(single ? first.name : product?.name || first.name, FIELD_LIMITS.productName)
  return {
    productId: String(first.productId),
    name,
    unitPrice: unitIncl.value,
    quantity,
    price: money.perUnit(totalIncl, 1).value,
    unitPriceWithoutVAT: unitExcl.value,
    ...(url ? { productDetailUrl: url } : {}),
    ...(imageUrl ? { imageUrl } : {}),
    ...(categories !== null ? { categories: [categories] } : {}),
    ...(product?.brand ? { brand: capText(product.brand, FIELD_LIMITS.brand) } : {}),
  }
}

/**
 * The line's product page (of its combination when it is the only one); for a product deleted
 * since, or a page URL too long to send, the plain link to the product, which the shop answers
 * with its page or its "no longer available" page: a cut URL would lead nowhere.
 */
function productUrl(
  shopUrl: string,
  productId: number,
  product: StoreProduct | null,
  single: boolean,
): string | undefined {
  if (product) {
    const page = single ? product.productDetailUrl : product.productBaseUrl
    if (page === '') return undefined
    if (!exceeds(page, FIELD_LIMITS.url)) return page
  }
  return shopUrl ? fittingUrl(plainProductUrl(shopUrl, productId)) : undefined
}

function fittingUrl(url: string): string | undefined {
  return exceeds(url, FIELD_LIMITS.url) ? undefined : url
}

/**
 * The default category's path, e.g. `/Clothes/Women`, each name capped. A path too long to send
 * loses its deepest levels: what is left still names a real category, an ancestor.
 */
function categoryPath(names: readonly string[]): string | null {
  let path = ''
  for (const name of names) {
    const next = `${path}/${capText(name, FIELD_LIMITS.categoryName)}`
    if (exceeds(next, FIELD_LIMITS.categoryPath)) break
    path = next
  }
  return path === '' ? null : path
}

/**
 * A product deleted since the order has no page any more, but Connectif requires a product URL on
 * the shop's domain. The plain link PrestaShop itself builds for a product id is the honest choice:
 * it names the shop and the product, and the shop answers it with its "no longer available" page
 * (or, for a product still there, with its page).
 */
function plainProductUrl(shopUrl: string, productId: number): string {
  return `${shopUrl}index.php?id_product=${productId}&controller=product`
}
