/**
 * What every way of reading a PrestaShop store (its database, its Webservice) gives the rest of
 * the app: the same normalised shapes, so the mapping, the engine and the UI never care where the
 * data came from.
 *
 * Amounts stay decimal strings exactly as the store holds them ("55.200000"): converting them to
 * binary floats is the mapping's last step, after any currency conversion and rounding.
 */

/** The PrestaShop lines whose schemas differ in ways the readers care about. */
export type PrestaShopFamily = '1.6' | '1.7' | '8' | '9'

export interface StoreVersion {
  /** As the store records it (`PS_VERSION_DB`), e.g. "1.7.8.7". */
  readonly raw: string
  readonly family: PrestaShopFamily
}

export interface CurrencyRef {
  readonly id: number
  readonly isoCode: string
  /** Decimal places amounts in this currency are rounded to (2 for EUR, 0 for JPY). */
  readonly precision: number
}

export interface CurrencyInfo extends CurrencyRef {
  readonly name: string
  readonly active: boolean
  readonly deleted: boolean
}

export interface LanguageInfo {
  readonly id: number
  readonly isoCode: string
  readonly name: string
  readonly active: boolean
  /** Shops this language is enabled in (`lang_shop`). */
  readonly shopIds: readonly number[]
}

export interface ShopInfo {
  readonly id: number
  readonly groupId: number
  readonly name: string
  readonly active: boolean
  /** Front-office base URL (scheme, domain, physical and virtual URI), always ending in "/". */
  readonly baseUrl: string
  /** IANA time zone the shop writes its dates in (`PS_TIMEZONE`). */
  readonly timezone: string
  readonly defaultLanguageId: number
  readonly defaultCurrencyId: number
  /** More than one active language in this shop: product URLs carry a language segment. */
  readonly multilingual: boolean
}

export interface OrderStateInfo {
  readonly id: number
  /** In the requested language, falling back to the shop default, then to any language. */
  readonly name: string
  /** The colour the back office shows, as stored (usually "#RRGGBB"; some 1.6 states use CSS names). */
  readonly color: string
  readonly paid: boolean
  readonly logable: boolean
  readonly shipped: boolean
  readonly delivery: boolean
  readonly hidden: boolean
  readonly deleted: boolean
  /**
   * One of the store's cancelled, refunded or payment error states (`PS_OS_CANCELED`,
   * `PS_OS_REFUND`, `PS_OS_ERROR`). A store that sets none of them: paid but not `logable`
   * (a refund), the only such state its flags tell.
   */
  readonly cancelled: boolean
}

/** The days (YYYY-MM-DD, the shop's clock) of a store's first and last orders. */
export interface OrderDays {
  readonly first: string
  readonly last: string
}

export interface StoreOverview {
  readonly version: StoreVersion
  readonly shops: readonly ShopInfo[]
  readonly languages: readonly LanguageInfo[]
  readonly currencies: readonly CurrencyInfo[]
  readonly defaultShopId: number
  readonly defaultLanguageId: number
  readonly defaultCurrencyId: number
  /** Any selected shop has more than one active language (PrestaShop's own definition). */
  readonly multilingual: boolean
  /** Multistore feature on and more than one shop. */
  readonly multistore: boolean
}

/** Inclusive calendar days in the shop's time zone, `YYYY-MM-DD`. */
export interface DateRange {
  readonly from: string
  readonly to: string
}

export interface OrderFilter {
  readonly range: DateRange
  readonly stateIds: readonly number[]
  /** All shops when absent or empty. */
  readonly shopIds?: readonly number[]
}

export interface OrderCountFilter {
  readonly range: DateRange
  readonly shopIds?: readonly number[]
}

/** Orders of one state, shop, language and currency: what routing to Connectif accounts needs. */
export interface OrderCountGroup {
  readonly stateId: number
  readonly shopId: number
  readonly languageId: number
  readonly currencyId: number
  readonly orders: number
}

export interface OrderCounts {
  readonly total: number
  /** Orders per current state id. */
  readonly byState: Readonly<Record<number, number>>
  /** Orders per shop id. */
  readonly byShop: Readonly<Record<number, number>>
  /** Every non-empty (state, shop, language, currency) group, in that order. */
  readonly groups: readonly OrderCountGroup[]
}

/** Orders of one current state placed in one week (Monday to Sunday on the shop's clock). */
export interface OrderWeekCount {
  /** The week's Monday, `YYYY-MM-DD`, shop-local (the day `date_add` was written on). */
  readonly weekStart: string
  readonly stateId: number
  readonly orders: number
}

export interface StoreCustomer {
  readonly id: number
  readonly email: string
  readonly firstname: string
  readonly lastname: string
  readonly isGuest: boolean
  /** The merchant deleted this customer (`customer.deleted = 1`). */
  readonly deleted: boolean
}

/**
 * Catalogue data of a line's product, as it is now; null on the line when the product was deleted.
 * Amounts are decimal strings with six decimals, like the store's.
 */
export interface StoreProduct {
  /** Catalogue name in the order's language and shop (no combination attributes). */
  readonly name: string
  /** Product page of this line (its combination when it has one), in the order's shop and language. */
  readonly productDetailUrl: string
  /** Product page without a combination, for lines of several combinations shown as one product. */
  readonly productBaseUrl: string
  readonly imageUrl: string | null
  /** Default category path, root first, e.g. ["Clothes", "Women"]; empty when the product is only in Home. */
  readonly categoryPath: readonly string[]
  readonly brand: string | null
  readonly reference: string
  /** The product's own cover image, whatever the line's combination: its catalogue entry's. */
  readonly coverImageUrl: string | null
  /** Enabled in the order's shop now (`product_shop.active`): a disabled one cannot be bought. */
  readonly active: boolean
  /**
   * Base price without tax now, in the shop's default currency (`product_shop.price`): without a
   * combination's impact, specific prices (discounts) or ecotax.
   */
  readonly priceTaxExcl: string
  /**
   * `priceTaxExcl` with the taxes of the product's tax rules group for the shop's default country
   * (no state, no postcode), as PrestaShop prices it for a visitor; equal to it when taxes are off.
   * Null when the store's key may not read tax rules: the order's prices are used instead.
   */
  readonly priceTaxIncl: string | null
  /** Units in stock in the order's shop now (`stock_available`, all combinations together). */
  readonly quantity: number
  /**
   * Units available, or the shop does not manage stock (`PS_STOCK_MANAGEMENT` off), or the
   * store's key may not read stock (then it is taken as available, as it was sold).
   */
  readonly inStock: boolean
}

export interface StoreOrderLine {
  readonly id: number
  readonly productId: number
  /** Combination id; 0 when the line has none. */
  readonly productAttributeId: number
  /** The label stored on the order line at purchase time (includes combination attributes). */
  readonly name: string
  readonly quantity: number
  readonly unitPriceTaxIncl: string
  readonly unitPriceTaxExcl: string
  readonly totalPriceTaxIncl: string
  readonly totalPriceTaxExcl: string
  readonly product: StoreProduct | null
}

export interface StoreOrder {
  readonly id: number
  readonly reference: string
  readonly cartId: number
  readonly shopId: number
  readonly languageId: number
  readonly stateId: number
  /** Shop-local wall-clock time as stored, `YYYY-MM-DD HH:mm:ss`. */
  readonly placedAt: string
  /** The shop's time zone, to turn `placedAt` into an instant. */
  readonly timezone: string
  /** The order's shop base URL (no language segment), for links to products since deleted. */
  readonly shopUrl: string
  readonly paymentMethod: string
  /** Total paid, tax included, in the order's currency. */
  readonly totalPaidTaxIncl: string
  readonly currency: CurrencyRef
  /** The shop's default currency, the one Connectif amounts are expressed in. */
  readonly defaultCurrency: CurrencyRef
  /** Rate of the order's currency against the default currency at order time (1 when the same). */
  readonly conversionRate: string
  /** Null when the customer row no longer exists. */
  readonly customer: StoreCustomer | null
  readonly lines: readonly StoreOrderLine[]
}

/** A position in the (placedAt, id) order of orders, to continue reading after it. */
export interface OrderCursor {
  readonly placedAt: string
  readonly id: number
}

export interface OrderPageOptions {
  /** Orders per page; the reader holds at most two pages in memory. */
  readonly pageSize?: number
  /** Start after this order (a resumed sending continues where its reading stopped). */
  readonly after?: OrderCursor | null
  readonly signal?: AbortSignal
}

/**
 * An order's key: its id and position, and what routing it to a Connectif account needs (the
 * same fields, with the same meaning, as the order read in full), without lines or customer.
 * Enough to tell, before a sending, which orders of a range an account already has.
 */
export type OrderKey = Pick<
  StoreOrder,
  'id' | 'placedAt' | 'shopId' | 'languageId' | 'stateId' | 'currency'
>

/** Something about the connection the merchant should know, though reading works. */
export interface StoreNotice {
  readonly code:
    | 'insecure_http'
    | 'key_in_url'
    | 'dispatcher_url'
    /** The Webservice key may not read stock: products are created as in stock. */
    | 'no_stock_permission'
    /** The Webservice key may not read tax rules: products are priced as the orders sold them. */
    | 'no_tax_permission'
  readonly message: string
}

/** Read-only access to one PrestaShop store. */
export interface StoreSource {
  /** Found while connecting; shown beside "Connection works" and printed by the CLI. */
  readonly notices: readonly StoreNotice[]
  /**
   * What the products sent will lack because the connection may not read part of the catalogue
   * (a Webservice key made before stock and tax rules were read): the connection test warns of
   * it, since reading works and falls back silently. Absent: nothing can be lacking.
   */
  catalogueNotices?(): Promise<readonly StoreNotice[]>
  overview(): Promise<StoreOverview>
  /** Order states with names in the given language (the default language when absent). */
  orderStates(languageId?: number): Promise<readonly OrderStateInfo[]>
  countOrders(filter: OrderCountFilter): Promise<OrderCounts>
  /** The days of the first and last orders of the shops (all when none); null without orders. */
  orderDays(shopIds?: readonly number[]): Promise<OrderDays | null>
  /**
   * The orders of the filter per week and current state, non-empty groups only, by week then
   * state: what the wizard's chart of the range shows, from one grouped read.
   */
  countOrdersByWeek(filter: OrderCountFilter): Promise<readonly OrderWeekCount[]>
  /** Orders of the filter in (placedAt, id) order, one page at a time. */
  readOrders(filter: OrderFilter, options?: OrderPageOptions): AsyncIterable<readonly StoreOrder[]>
  /**
   * The keys of the same orders as `readOrders`, in the same order, in large pages: a light read
   * (one request or query a page, no lines, customers nor catalogue).
   */
  orderKeys(filter: OrderFilter, options?: OrderPageOptions): AsyncIterable<readonly OrderKey[]>
  close(): Promise<void>
}
