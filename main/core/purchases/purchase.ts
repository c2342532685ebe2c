/**
 * The body of `POST /purchases/` (Connectif's `PurchaseCreation`, docs/connectif-api.md §4).
 * Optional fields are left out rather than sent empty: Connectif validates URLs as URIs.
 */
export interface PurchaseProduct {
  readonly productId: string
  readonly name: string
  readonly unitPrice: number
  readonly quantity: number
  /** The line's total (unit price × quantity), tax included. */
  readonly price: number
  readonly unitPriceWithoutVAT: number
  readonly productDetailUrl?: string
  readonly imageUrl?: string
  readonly categories?: readonly string[]
  readonly brand?: string
}

/** Connectif's `availability` values for a product being created (docs/connectif-api.md §4a). */
export type ProductAvailability = 'instock' | 'outofstock'

/**
 * A product as a sending creates it in Connectif's catalogue (`ProductCreation`,
 * docs/connectif-api.md §4a): the body of `PATCH /products/product-id/{id}` and a row of a
 * products import. Its fields are the store's catalogue as it was when the orders were read, not
 * the order's: its current name, price and page, and whether it can be sold now. A product the
 * store deleted or disabled is blacklisted, so Connectif never recommends it.
 */
export interface CatalogueProduct {
  readonly productId: string
  readonly name: string
  /** Tax included, in the account's currency. */
  readonly unitPrice: number
  readonly unitPriceWithoutVAT: number
  readonly productDetailUrl?: string
  readonly imageUrl?: string
  readonly categories?: readonly string[]
  readonly brand?: string
  readonly availability: ProductAvailability
  readonly isBlacklisted: boolean
}

export interface PurchaseCreation {
  readonly purchaseId: string
  readonly cartId: string
  readonly contactEmail: string
  /** ISO 8601 with the shop's UTC offset at that instant. */
  readonly purchaseDate: string
  readonly paymentMethod?: string
  /** Tax included, shipping and wrapping included, vouchers deducted. */
  readonly totalPrice: number
  readonly totalQuantity: number
  readonly products: readonly PurchaseProduct[]
}

/** What reports and previews show of an order, whether or not it could become a purchase. */
export interface OrderSummary {
  readonly orderId: number
  readonly reference: string
  /** ISO 8601 with offset when the stored date is valid, else the stored text. */
  readonly orderDate: string
  readonly customerEmail: string
  /** Total paid in the currency the purchase uses, as a decimal string. */
  readonly total: string
  readonly shopId: number
  readonly stateId: number
}

export type OrderMapping =
  | {
      readonly result: 'ready'
      readonly order: OrderSummary
      readonly purchase: PurchaseCreation
      /** Each product of the purchase as Connectif should create it, in the same order. */
      readonly catalogue: readonly CatalogueProduct[]
    }
  | {
      readonly result: 'skipped'
      readonly order: OrderSummary
      readonly reason: string
      /** The first reason, as a code the screens group and translate by. */
      readonly reasonCode: SkipReasonCode
    }

/**
 * Why an order cannot be sent, as a code: recorded as a skipped order's error code, so the
 * screens count skipped orders by reason ("20 deleted customers, 14 without e-mail") and link to
 * them. An order with several problems is recorded under the first; its message lists them all.
 * `no_account` comes from routing (no Connectif account of the profile serves the order).
 */
export const SKIP_REASON_CODES = [
  'customer_missing',
  'customer_deleted',
  'no_email',
  'email_too_long',
  'invalid_email',
  'no_lines',
  'invalid_date',
  'no_conversion_rate',
  'invalid_amounts',
  'no_account',
] as const

export type SkipReasonCode = (typeof SKIP_REASON_CODES)[number]

export function isSkipReasonCode(code: string | null): code is SkipReasonCode {
  return SKIP_REASON_CODES.some((each) => each === code)
}
