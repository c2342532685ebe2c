import { z } from 'zod'
import type { CurrencyRef, StoreOrder, StoreOrderLine } from '../store/store-source'
import { shopLocalToIso } from '../time/shop-time'
import { divideRounded, ONE_MICROS, parseMicros, quantityMicros } from './money'
import type { RoundedAmount } from './money'
import type { OrderMapping, OrderSummary, PurchaseCreation, PurchaseProduct } from './purchase'

export interface MappingOptions {
  /**
   * `shop-default` (one Connectif account for the store): amounts converted to the shop's default
   * currency with the order's own stored rate. `order`: amounts as the customer paid them, for an
   * account that serves that currency.
   */
  readonly currency?: 'shop-default' | 'order'
}

const emailSchema = z.email()

/** Maps one store order to the purchase Connectif will receive, or says why it cannot be sent. */
export function mapOrderToPurchase(order: StoreOrder, options: MappingOptions = {}): OrderMapping {
  const money = moneyConverter(order, options.currency ?? 'shop-default')
  const email = order.customer?.email.trim() ?? ''
  const purchaseDate = safeIso(order.placedAt, order.timezone)
  const summary: OrderSummary = {
    orderId: order.id,
    reference: order.reference,
    orderDate: purchaseDate ?? order.placedAt,
    customerEmail: email,
    total: money.ok ? money.amount(order.totalPaidTaxIncl).text : order.totalPaidTaxIncl,
    shopId: order.shopId,
    stateId: order.stateId,
  }
  // Every reason at once: the merchant fixes them all in one pass instead of one per retry.
  const reasons: string[] = []
  if (order.customer === null)
    reasons.push('The customer of this order no longer exists in the store.')
  else if (order.customer.deleted) reasons.push('The customer account was deleted from the store.')
  else if (email === '') reasons.push('The order has no customer e-mail address.')
  else if (!emailSchema.safeParse(email).success) {
    reasons.push(`The customer e-mail "${email}" is not a valid e-mail address.`)
  }
  if (order.lines.length === 0) reasons.push('The order has no product lines.')
  if (purchaseDate === null) reasons.push(`The order date "${order.placedAt}" is not a valid date.`)
  if (!money.ok) reasons.push(money.reason)
  if (reasons.length > 0 || !money.ok || purchaseDate === null) {
    return { result: 'skipped', order: summary, reason: reasons.join(' ') }
  }

  const products = groupLinesByProduct(order.lines).map((lines) =>
    productOf(order.shopUrl, lines, money),
  )
  const purchase: PurchaseCreation = {
    purchaseId: String(order.id),
    cartId: String(order.cartId),
    contactEmail: email,
    purchaseDate,
    ...(order.paymentMethod.trim() !== '' ? { paymentMethod: order.paymentMethod.trim() } : {}),
    totalPrice: money.amount(order.totalPaidTaxIncl).value,
    totalQuantity: order.lines.reduce((sum, line) => sum + line.quantity, 0),
    products,
  }
  return { result: 'ready', order: summary, purchase }
}

function safeIso(local: string, zone: string): string | null {
  try {
    return shopLocalToIso(local, zone)
  } catch {
    return null
  }
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
 */
function moneyConverter(order: StoreOrder, mode: 'shop-default' | 'order'): MoneyConverter {
  const target: CurrencyRef = mode === 'order' ? order.currency : order.defaultCurrency
  const precision = Number.isInteger(target.precision)
    ? Math.max(0, Math.min(6, target.precision))
    : 2
  let rate = ONE_MICROS
  if (mode === 'shop-default' && order.currency.id !== order.defaultCurrency.id) {
    rate = safeMicros(order.conversionRate) ?? 0n
    if (rate <= 0n) {
      return {
        ok: false,
        reason: `The order was paid in ${order.currency.isoCode || `currency ${order.currency.id}`} with no conversion rate recorded, so its amounts cannot be expressed in ${order.defaultCurrency.isoCode || 'the default currency'}.`,
      }
    }
  }
  const amounts = [order.totalPaidTaxIncl, ...order.lines.flatMap((line) => amountsOf(line))]
  const unreadable = amounts.find((text) => safeMicros(text) === null)
  if (unreadable !== undefined) {
    return { ok: false, reason: `The order holds an amount that is not a number: "${unreadable}".` }
  }
  return {
    ok: true,
    amount: (text) => divideRounded(parseMicros(text), rate, precision),
    perUnit: (totalMicros, quantity) =>
      divideRounded(totalMicros, (quantityMicros(quantity) * rate) / ONE_MICROS, precision),
  }
}

function amountsOf(line: StoreOrderLine): string[] {
  return [
    line.unitPriceTaxIncl,
    line.unitPriceTaxExcl,
    line.totalPriceTaxIncl,
    line.totalPriceTaxExcl,
  ]
}

function safeMicros(text: string): bigint | null {
  try {
    return parseMicros(text)
  } catch {
    return null
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
 * entry: quantities and totals added, unit prices the weighted averages.
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
  const url = product
    ? single
      ? product.productDetailUrl
      : product.productBaseUrl
    : deletedProductUrl(shopUrl, first.productId)
  const name = single ? first.name : product?.name || first.name
  return {
    productId: String(first.productId),
    name,
    unitPrice: unitIncl.value,
    quantity,
    price: money.perUnit(totalIncl, 1).value,
    unitPriceWithoutVAT: unitExcl.value,
    ...(url ? { productDetailUrl: url } : {}),
    ...(product?.imageUrl ? { imageUrl: product.imageUrl } : {}),
    ...(product && product.categoryPath.length > 0
      ? { categories: [`/${product.categoryPath.join('/')}`] }
      : {}),
    ...(product?.brand ? { brand: product.brand } : {}),
  }
}

/**
 * A product deleted since the order has no page any more, but Connectif requires a product URL on
 * the shop's domain. The plain link PrestaShop itself builds for a product id is the honest choice:
 * it names the shop and the product, and the shop answers it with its "no longer available" page.
 */
function deletedProductUrl(shopUrl: string, productId: number): string | undefined {
  return shopUrl ? `${shopUrl}index.php?id_product=${productId}&controller=product` : undefined
}
