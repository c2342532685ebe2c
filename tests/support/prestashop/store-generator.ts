/**
 * Deterministic PrestaShop stores for the reader's tests and benchmark, plus the oracle: what the
 * reader must return for them, computed from the generator's own model and never from the
 * database.
 *
 * Every order is a pure function of (seed, order id), so `load` can stream 100,000 orders in
 * chunks and `expectedOrders` can recompute any subset without holding the whole store in memory.
 *
 * Modelling choices where prestashop.md leaves a detail open (the reader must match these):
 *  - Configuration lookup: shop row, then shop-group row (id_shop NULL), then global row. Shop
 *    rows also carry their shop's id_shop_group, as PrestaShop writes them, so a group lookup that
 *    forgets `id_shop IS NULL` picks another shop's value. Every store puts PS_TIMEZONE on the
 *    group (global stays the install default Europe/Paris) and PS_REWRITING_SETTINGS on each shop
 *    (the global row holds the opposite value), so a reader that only reads global rows fails.
 *    Multistore = global PS_MULTISHOP_FEATURE_ACTIVE truthy and more than one shop row.
 *  - Base URL: https + domain_ssl when PS_SSL_ENABLED and PS_SSL_ENABLED_EVERYWHERE are both "1"
 *    for the shop, else http + domain; then physical_uri + virtual_uri of the `main = 1` shop_url
 *    row (a non-main, inactive alias row exists as a distractor).
 *  - Language segment `<iso>/` when friendly URLs are on and the shop has more than one active
 *    language in lang_shop. It uses the order's language even when that language is now inactive
 *    (PrestaShop's Link does not check `active`).
 *  - Product URL category segment: link_rewrite (order language and shop) of the product's default
 *    category for the order's shop (`product_shop.id_category_default`, falling back to
 *    `product.id_category_default`), Home included ("home/…"), as Link::getProductLink does.
 *  - EAN suffix from `product.ean13`; NULL and '' both mean none.
 *  - Friendly URLs off: `index.php?id_product=…[&id_product_attribute=…][&rewrite=…]&controller=product[&id_lang=…]`
 *    in exactly this parameter order (keyword order of the route, then controller, then id_lang);
 *    `rewrite` and `id_product_attribute` only from 1.7, id_lang only when multilingual.
 *  - No `#/…` combination anchor (attribute tables are not modelled).
 *  - 1.6 has no combination in the route: productDetailUrl equals productBaseUrl there.
 *  - Image URL host/scheme = the same base as product links, without the language segment.
 *  - Image type: products = 1, `large_default`, else `home_default`, else the largest by width,
 *    then height, then lowest id_image_type.
 *  - Image: combination image (product_attribute_image JOIN image, lowest position, then lowest
 *    id_image; a dangling id_image 0 link exists and must be ignored), else image_shop cover = 1
 *    for the order's shop, else image.cover = 1, else null.
 *  - categoryPath: names in the order's language and shop, root first, without Root (id_parent 0)
 *    and without any category with is_root_category = 1 (Home).
 *  - brand: manufacturer.name; null when id_manufacturer is 0 or its row is missing.
 *  - StoreProduct.reference: `product.reference` (not the combination's); NULL → ''.
 *  - StoreProduct.name: product_lang.name for (order shop, order language).
 *  - product = null when the `product` row is missing (deleted product).
 *  - StoreProduct.coverImageUrl: the image rule above without the combination step.
 *  - StoreProduct.active / priceTaxExcl: `product_shop.active` / `product_shop.price` (no
 *    combination impact). priceTaxIncl: that price times the factor of the product's tax rules
 *    group for PS_COUNTRY_DEFAULT with no state and no postcode (TAX_RULES_GROUPS), PS_TAX on.
 *  - StoreProduct.quantity: `stock_available` (id_product_attribute 0) of the order's shop, or of
 *    its group when the group shares stock (group 2: one row with id_shop 0); inStock = > 0.
 *  - Line productAttributeId: 0 when the column is 0 or NULL. Lines in id_order_detail order.
 *  - Customer: null when no row; deleted customers are returned with deleted = true.
 *  - Currency precision: 1.7.6+ `currency.precision`; 1.6 `decimals` 1 → 2, else 0.
 *  - CurrencyInfo.name: 1.7.6+ currency_lang.name in the global default language (falling back to
 *    currency.name); 1.6 currency.name.
 *  - conversionRate: `orders.conversion_rate` as stored ("1.000000" for the shop default currency).
 *  - defaultCurrency / timezone: the order shop's effective PS_CURRENCY_DEFAULT / PS_TIMEZONE.
 *  - Filters: placedAt between `from 00:00:00` and `to 23:59:59` inclusive (string comparison on
 *    date_add); an empty stateIds matches nothing; empty or absent shopIds means all shops.
 *  - Line name: `order_detail.product_name` as stored (1.6 "Name - Size: S", 1.7+ "Name (Size: S)",
 *    sometimes an older catalogue name), never the catalogue name.
 *  - Order state names: requested language, else global PS_LANG_DEFAULT, else the lowest id_lang
 *    that has a name. Colors as stored ("#ec2e15" stays lower case), NULL → "". Deleted states
 *    are listed (deleted = true). Sorted by id.
 */
import mysql, { type Connection, type PoolConnection } from 'mysql2/promise'
import { DateTime } from 'luxon'
import type {
  CurrencyInfo,
  CurrencyRef,
  DateRange,
  LanguageInfo,
  OrderCountFilter,
  OrderCountGroup,
  OrderCounts,
  OrderFilter,
  OrderStateInfo,
  PrestaShopFamily,
  ShopInfo,
  StoreCustomer,
  StoreOrder,
  StoreOrderLine,
  StoreOverview,
  StoreProduct,
} from '../../../main/core/store/store-source'
import { CANCELLED_STATE_KEYS } from '../../../main/core/store/store-configuration'
import {
  CATEGORIES,
  CURRENCY_DEFS,
  CUSTOM_STATES,
  DEFAULT_COUNTRY_ID,
  DEFAULT_STATES,
  DEFAULT_STOCK,
  DELETED_PRODUCTS,
  FIRST_NAMES,
  HOME_CATEGORY_ID,
  imageTypeDefs,
  LANGUAGE_DEFS,
  LAST_NAMES,
  MANUFACTURERS,
  PRODUCTS,
  TAX_RULES,
  TAX_RULES_GROUPS,
  TAXES,
  textIn,
  type CurrencyIso,
  type ImageTypeSet,
  type LanguageIso,
  type ProductDef,
  type Texts,
} from './store-catalog'
import {
  prestaShopDdl,
  usesUtf8mb4,
  versionAtLeast,
  withPrestaShopSession,
  type PrestaShopVersion,
  type Queryable,
} from './schema-builder'

// ---------------------------------------------------------------------------------------------
// Options and scenarios

export type SslMode = 'off' | 'on' | 'partial'

export interface StoreGeneratorOptions {
  readonly version: PrestaShopVersion
  /** Table prefix; `ps_` by default. */
  readonly prefix?: string
  readonly seed?: number
  /** 60 by default. */
  readonly orderCount?: number
  /** Inclusive; [1, 4] by default. A few edge-case orders have none. */
  readonly linesPerOrder?: readonly [number, number]
  /** Shop-local calendar days orders fall in; 2025-01-01..2025-12-31 by default. */
  readonly dateWindow?: DateRange
  /** 1 to 3 shops (see SHOP_PRESETS); 1 by default. */
  readonly shops?: number
  /** Installed languages, in id order; ['en'] by default. The first is PS_LANG_DEFAULT. */
  readonly languages?: readonly LanguageIso[]
  /** One of `languages` that is installed but inactive. */
  readonly inactiveLanguage?: LanguageIso
  /** EUR is always there (id 1, PS_CURRENCY_DEFAULT); by default also USD, JPY and a deleted GBP. */
  readonly currencies?: readonly CurrencyIso[]
  /** PS_REWRITING_SETTINGS; true by default. */
  readonly friendlyUrls?: boolean
  /** 'on': both SSL keys 1; 'partial': PS_SSL_ENABLED only (links stay http); 'on' by default. */
  readonly ssl?: SslMode
  /** PS_TIMEZONE of the shop groups; Europe/Madrid by default. */
  readonly timezone?: string
  /** Shop-level PS_TIMEZONE overrides, by shop id. Shop 3 defaults to Atlantic/Canary. */
  readonly shopTimezones?: Readonly<Record<number, string>>
  /** PS_MULTISHOP_FEATURE_ACTIVE: true/false writes "1"/"0"; absent writes no row (PrestaShop's default). */
  readonly multistore?: boolean
  readonly imageTypes?: ImageTypeSet
  /** Place the edge-case orders (see SpecialCase); true by default. */
  readonly edgeCases?: boolean
  /** Customers with rows; max(12, orderCount / 3) by default. */
  readonly customerCount?: number
  /**
   * Dates follow ids (with a few minutes of jitter), as in a real shop where orders are numbered
   * as they come in; off by default so tests also see ids out of date order.
   */
  readonly chronological?: boolean
}

export const SCENARIOS = {
  /** One shop, English only, friendly URLs, SSL everywhere. */
  basic: {},
  multilingual: { languages: ['en', 'es', 'fr'] },
  /** Three languages, French inactive: still multilingual (two active). */
  inactiveLanguage: { languages: ['en', 'es', 'fr'], inactiveLanguage: 'fr' },
  /** Two languages, one inactive: NOT multilingual, no language segment. */
  singleActiveLanguage: { languages: ['es', 'fr'], inactiveLanguage: 'fr' },
  friendlyOff: { languages: ['en', 'es'], friendlyUrls: false },
  friendlyOffMonolingual: { friendlyUrls: false },
  sslPartial: { ssl: 'partial' },
  sslOff: { ssl: 'off' },
  multistore: {
    shops: 3,
    languages: ['en', 'es', 'fr'],
    multistore: true,
    shopTimezones: { 2: 'America/New_York' },
  },
  /** Two shop rows, feature switched off. */
  multistoreOff: { shops: 2, languages: ['en', 'fr'], multistore: false },
  imageTypesNoLarge: { imageTypes: 'no-large' },
  imageTypesCustom: { imageTypes: 'custom' },
} as const satisfies Record<string, Partial<StoreGeneratorOptions>>

export type ScenarioName = keyof typeof SCENARIOS

interface ShopPreset {
  readonly id: number
  readonly groupId: number
  readonly name: string
  readonly domain: string
  readonly domainSsl: string
  readonly physicalUri: string
  readonly virtualUri: string
  readonly color: string
}

/** Shop 1 has a distinct SSL domain so a reader mixing domain and domain_ssl is caught. */
export const SHOP_PRESETS: readonly ShopPreset[] = [
  {
    id: 1,
    groupId: 1,
    name: 'Main shop',
    domain: 'shop.example.test',
    domainSsl: 'secure.shop.example.test',
    physicalUri: '/',
    virtualUri: '',
    color: '',
  },
  {
    id: 2,
    groupId: 1,
    name: 'Boutique',
    domain: 'boutique.example.test',
    domainSsl: 'boutique.example.test',
    physicalUri: '/shop/',
    virtualUri: 'fr/',
    color: '#3498D8',
  },
  {
    id: 3,
    groupId: 2,
    name: 'Outlet',
    domain: 'shop.example.test',
    domainSsl: 'secure.shop.example.test',
    physicalUri: '/',
    virtualUri: 'outlet/',
    color: '#E74C3C',
  },
]

/** Edge cases placed at fixed order ids (see `model.specialOrders`). */
export type SpecialCase =
  | 'dayStart'
  | 'dayEnd'
  | 'nextDayStart'
  | 'previousDayEnd'
  | 'beforeSpringGap'
  | 'afterSpringGap'
  | 'autumnRepeatFirst'
  | 'autumnRepeatSecond'
  | 'noLines'
  | 'deletedProducts'
  | 'combinations'
  | 'freeOrder'
  | 'usd'
  | 'jpy'
  | 'deletedCurrency'
  | 'missingCustomer'
  | 'guestCustomer'
  | 'deletedCustomer'
  | 'emptyEmail'
  | 'invalidEmail'
  | 'formulaNames'
  | 'unicode'
  | 'customState'
  | 'deletedState'
  | 'discount'
  | 'splitOrder'
  | 'inactiveLanguage'
  | 'otherShop'
  | 'homeOnlyProducts'

/** The day the range-edge orders fall on, and the DST days of Europe/Madrid in 2025. */
export const EDGE_DAY = '2025-06-15'
export const SPRING_FORWARD_DAY = '2025-03-30'
export const FALL_BACK_DAY = '2025-10-26'

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

function mix32(value: number): number {
  let h = value >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

function seedOf(...parts: readonly number[]): number {
  let h = 0x9e3779b9
  for (const part of parts) h = mix32(h ^ mix32(part + 0x7f4a7c15))
  return h
}

/** mulberry32: small, fast and good enough for test data. */
export class Rng {
  private state: number
  constructor(seed: number) {
    this.state = seed >>> 0
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }
  chance(probability: number): boolean {
    return this.next() < probability
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)]
    if (item === undefined) throw new Error('pick from an empty list')
    return item
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0)
    let roll = this.next() * total
    for (const [item, weight] of items) {
      roll -= weight
      if (roll < 0) return item
    }
    const last = items[items.length - 1]
    if (last === undefined) throw new Error('weighted pick from an empty list')
    return last[0]
  }
}

const STREAM_ORDER = 1
const STREAM_CUSTOMER = 2
const STREAM_REFERENCE = 3

// ---------------------------------------------------------------------------------------------
// Money: integers in millionths, formatted as MariaDB returns decimal(20,6)

const MICRO = 1_000_000

export function formatMicro(micro: number, decimals = 6): string {
  const negative = micro < 0
  const abs = Math.abs(micro)
  const whole = Math.floor(abs / MICRO)
  const fraction = String(abs % MICRO)
    .padStart(6, '0')
    .slice(0, decimals)
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${fraction}` : ''}`
}

function roundTo(micro: number, precision: number): number {
  const step = 10 ** (6 - precision)
  return Math.round(micro / step) * step
}

const TAX_RATE_MILLI = 1210

function withoutTax(inclMicro: number): number {
  return Math.round((inclMicro * 1000) / TAX_RATE_MILLI)
}

// ---------------------------------------------------------------------------------------------
// Model types

export interface ModelLanguage {
  readonly id: number
  readonly iso: LanguageIso
  readonly name: string
  readonly active: boolean
}

export interface ModelShop extends ShopPreset {
  readonly languageIds: readonly number[]
}

export interface ModelCurrency {
  readonly id: number
  readonly iso: CurrencyIso
  readonly rateMicro: number
  /** What the reader must report (see the header). */
  readonly precision: number
  readonly active: boolean
  readonly deleted: boolean
  readonly names: Texts
}

export interface ModelState {
  readonly id: number
  readonly key: string
  readonly moduleName: string | null
  readonly color: string | null
  readonly template: string
  readonly deleted: boolean
  readonly invoice: boolean
  readonly sendEmail: boolean
  readonly hidden: boolean
  readonly logable: boolean
  readonly delivery: boolean
  readonly shipped: boolean
  readonly paid: boolean
  readonly pdfInvoice: boolean
  readonly pdfDelivery: boolean
  /** Name per language id (only the rows that exist). */
  readonly names: ReadonlyMap<number, string>
}

export interface ConfigRow {
  readonly id: number
  readonly shopGroupId: number | null
  readonly shopId: number | null
  readonly name: string
  readonly value: string | null
}

interface ImageModel {
  readonly id: number
  readonly productId: number
  readonly position: number
  readonly cover: boolean
}

interface CustomerModel {
  readonly id: number
  readonly shopId: number
  readonly groupId: number
  readonly firstname: string
  readonly lastname: string
  readonly email: string
  readonly isGuest: boolean
  readonly deleted: boolean
  readonly dateAdd: string
}

interface LineModel {
  readonly id: number
  readonly productId: number
  /** null = a NULL column (reported as 0). */
  readonly attributeId: number | null
  readonly name: string
  readonly quantity: number
  readonly unitInclMicro: number
  readonly unitExclMicro: number
  /** Unit price tax included before the line reduction. */
  readonly basePriceMicro: number
  readonly reductionPercent: number
  readonly productReference: string | null
  readonly ean13: string | null
}

interface CartRuleModel {
  readonly id: number
  readonly cartRuleId: number
  readonly name: string
  readonly valueMicro: number
  readonly valueExclMicro: number
  readonly freeShipping: boolean
}

interface OrderModel {
  readonly id: number
  readonly reference: string
  readonly cartId: number
  readonly shopId: number
  readonly groupId: number
  readonly langId: number
  readonly customerId: number
  readonly currencyId: number
  readonly stateId: number
  readonly placedAt: string
  readonly payment: string
  readonly module: string
  readonly conversionRateMicro: number
  readonly lines: readonly LineModel[]
  readonly cartRules: readonly CartRuleModel[]
  readonly shippingInclMicro: number
  readonly totalPaidInclMicro: number
  readonly totalPaidExclMicro: number
  readonly discountsInclMicro: number
  readonly discountsExclMicro: number
  readonly history: readonly {
    readonly id: number
    readonly stateId: number
    readonly date: string
  }[]
}

export interface StoreModel {
  readonly version: PrestaShopVersion
  readonly family: PrestaShopFamily
  readonly prefix: string
  readonly seed: number
  readonly utf8mb4: boolean
  readonly orderCount: number
  readonly customerCount: number
  readonly dateWindow: DateRange
  readonly friendlyUrls: boolean
  readonly ssl: SslMode
  readonly imageTypeName: string
  readonly languages: readonly ModelLanguage[]
  readonly shops: readonly ModelShop[]
  readonly currencies: readonly ModelCurrency[]
  readonly states: readonly ModelState[]
  readonly config: readonly ConfigRow[]
  /** PS_OS_* key → state id. */
  readonly stateKeys: Readonly<Record<string, number>>
  /** Custom state key (see CUSTOM_STATES) → state id. */
  readonly customStateIds: Readonly<Record<string, number>>
  readonly defaultShopId: number
  readonly defaultLanguageId: number
  readonly defaultCurrencyId: number
  /** PS_MULTISHOP_FEATURE_ACTIVE truthy and more than one shop. */
  readonly multistore: boolean
  /** Edge case → order id (only the cases this store could place). */
  readonly specialOrders: Readonly<Partial<Record<SpecialCase, number>>>
  /** Products with catalogue rows, and ids that order lines use but the catalogue lost. */
  readonly productIds: readonly number[]
  readonly deletedProductIds: readonly number[]
  /** Customer ids orders point at with no customer row. */
  readonly missingCustomerIds: readonly number[]
}

export interface LoadOptions {
  readonly onProgress?: (loadedOrders: number, totalOrders: number) => void
  /** Connections to write with when given a pool (at most 3); the pool's limit by default. */
  readonly connections?: number
}

export interface StoreFixture {
  readonly options: Required<Omit<StoreGeneratorOptions, 'inactiveLanguage' | 'multistore'>> &
    Pick<StoreGeneratorOptions, 'inactiveLanguage' | 'multistore'>
  readonly model: StoreModel
  /** Inserts every row (the schema must exist; see createPrestaShopSchema). */
  load(conn: Queryable, options?: LoadOptions): Promise<void>
  /** Orders the reader must return for the filter, in (placedAt, id) order; all orders without one. */
  expectedOrders(filter?: OrderFilter): StoreOrder[]
  /** Every order in id order, one at a time (for large stores). */
  orders(): Generator<StoreOrder>
  expectedCounts(filter: OrderCountFilter): OrderCounts
  expectedStates(languageId?: number): OrderStateInfo[]
  expectedOverview(shopIds?: readonly number[]): StoreOverview
  /** Rows `load` writes per table (unprefixed names). */
  expectedRowCounts(): Record<string, number>
}

// ---------------------------------------------------------------------------------------------
// Building the model

function familyOf(version: string): PrestaShopFamily {
  if (version.startsWith('1.6')) return '1.6'
  if (version.startsWith('1.7')) return '1.7'
  if (version.startsWith('8.')) return '8'
  return '9'
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.+|\.+$/g, '')
}

function pad2(value: number): string {
  return String(value).padStart(2, '0')
}

function wallClockFromEpoch(seconds: number): string {
  const date = new Date(seconds * 1000)
  return `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())} ${pad2(
    date.getUTCHours(),
  )}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}`
}

function epochOfWallClock(wall: string): number {
  return Date.parse(`${wall.replace(' ', 'T')}Z`) / 1000
}

function addDays(day: string, days: number): string {
  return wallClockFromEpoch(epochOfWallClock(`${day} 00:00:00`) + days * 86_400).slice(0, 10)
}

/**
 * PHP's date() never writes a wall-clock time inside a DST gap, so such times move one hour
 * forward, like the clock did.
 */
const existingHours = new Map<string, boolean>()

function existingWallClock(wall: string, zone: string): string {
  // Gaps are whole hours in the zones used here; one luxon lookup per (zone, hour) keeps
  // 100,000-order stores fast.
  const key = `${zone}|${wall.slice(0, 13)}`
  let exists = existingHours.get(key)
  if (exists === undefined) {
    const hour = Number(wall.slice(11, 13))
    const probe = DateTime.fromObject(
      {
        year: Number(wall.slice(0, 4)),
        month: Number(wall.slice(5, 7)),
        day: Number(wall.slice(8, 10)),
        hour,
        minute: 30,
      },
      { zone },
    )
    exists = !probe.isValid || probe.hour === hour
    existingHours.set(key, exists)
  }
  return exists ? wall : wallClockFromEpoch(epochOfWallClock(wall) + 3600)
}

class StoreBuilder {
  readonly version: PrestaShopVersion
  readonly prefix: string
  readonly seed: number
  readonly is16: boolean
  readonly is17Plus: boolean
  readonly mb4: boolean
  readonly orderCount: number
  readonly chronological: boolean
  readonly customerCount: number
  readonly linesPerOrder: readonly [number, number]
  readonly window: DateRange
  readonly friendlyUrls: boolean
  readonly ssl: SslMode
  readonly languages: ModelLanguage[]
  readonly shops: ModelShop[]
  readonly currencies: ModelCurrency[]
  readonly states: ModelState[]
  readonly stateKeys: Record<string, number> = {}
  readonly customStateIds: Record<string, number> = {}
  readonly config: ConfigRow[] = []
  readonly configLang: { configId: number; langId: number; value: string }[] = []
  readonly images = new Map<number, ImageModel[]>()
  readonly imageTypeName: string
  readonly imageTypes: ReturnType<typeof imageTypeDefs>
  readonly specialAt = new Map<number, SpecialCase>()
  readonly specialOrders: Partial<Record<SpecialCase, number>> = {}
  readonly multistoreFlag: boolean | undefined
  readonly timezone: string
  readonly shopTimezones: Record<number, string>
  readonly products: readonly ProductDef[] = PRODUCTS
  private readonly productById = new Map<number, ProductDef>(PRODUCTS.map((p) => [p.id, p]))
  private readonly categoryById = new Map(CATEGORIES.map((c) => [c.id, c]))
  private readonly defaultStateCount: number

  constructor(options: StoreGeneratorOptions) {
    this.version = options.version
    this.prefix = options.prefix ?? 'ps_'
    this.seed = options.seed ?? 1
    this.is16 = !versionAtLeast(this.version, '1.7.0.0')
    this.is17Plus = !this.is16
    this.mb4 = usesUtf8mb4(this.version)
    this.orderCount = options.orderCount ?? 60
    this.customerCount = options.customerCount ?? Math.max(12, Math.ceil(this.orderCount / 3))
    this.linesPerOrder = options.linesPerOrder ?? [1, 4]
    this.window = options.dateWindow ?? { from: '2025-01-01', to: '2025-12-31' }
    this.chronological = options.chronological ?? false
    this.friendlyUrls = options.friendlyUrls ?? true
    this.ssl = options.ssl ?? 'on'
    this.multistoreFlag = options.multistore
    this.timezone = options.timezone ?? 'Europe/Madrid'
    const shopCount = Math.min(3, Math.max(1, options.shops ?? 1))
    const presetZones: Record<number, string> = shopCount >= 3 ? { 3: 'Atlantic/Canary' } : {}
    this.shopTimezones = { ...presetZones, ...(options.shopTimezones ?? {}) }

    const isos = options.languages ?? ['en']
    if (isos.length === 0) throw new Error('at least one language')
    this.languages = isos.map((iso, index) => ({
      id: index + 1,
      iso,
      name: LANGUAGE_DEFS[iso].name,
      active: iso !== options.inactiveLanguage,
    }))
    if (!this.languages.some((language) => language.active))
      throw new Error('at least one active language')
    const activeIds = this.languages.filter((l) => l.active).map((l) => l.id)
    const allIds = this.languages.map((l) => l.id)
    const lastActive = activeIds[activeIds.length - 1] ?? 1

    this.shops = SHOP_PRESETS.slice(0, shopCount).map((preset) => ({
      ...preset,
      // Shop 2 sells in one language only: monolingual next to multilingual shops.
      languageIds: preset.id === 2 ? [lastActive] : allIds,
    }))

    const isoList: CurrencyIso[] = [
      'EUR',
      ...(options.currencies ?? ['USD', 'JPY', 'GBP']).filter((c) => c !== 'EUR'),
    ]
    this.currencies = isoList.map((iso, index) => {
      const def = CURRENCY_DEFS[iso]
      return {
        id: index + 1,
        iso,
        rateMicro: def.rateMicro,
        // 1.6 stores `decimals` (1 = two decimals); 1.7.6+ stores the precision itself.
        precision: def.precision,
        active: def.active,
        deleted: def.deleted,
        names: def.names,
      }
    })

    const is16 = this.is16
    const defaults = DEFAULT_STATES.filter((state) => is16 || state.only16 !== true)
    this.defaultStateCount = defaults.length
    this.states = []
    defaults.forEach((def, index) => {
      const id = index + 1
      for (const key of def.keys) this.stateKeys[key] = id
      this.states.push({
        id,
        key: def.xmlId,
        moduleName: is16 ? def.module16 : def.module17,
        color: is16 ? def.color16 : def.color17,
        template: def.template,
        deleted: false,
        invoice: def.invoice === 1,
        sendEmail: def.sendEmail === 1,
        hidden: def.hidden === 1,
        logable: def.logable === 1,
        delivery: def.delivery === 1,
        shipped: def.shipped === 1,
        paid: def.paid === 1,
        pdfInvoice: def.pdfInvoice === 1,
        pdfDelivery: def.pdfDelivery === 1,
        names: new Map(this.languages.map((l) => [l.id, textIn(def.names, l.iso)])),
      })
    })
    const lastLanguage = this.languages[this.languages.length - 1]
    for (const def of CUSTOM_STATES) {
      const id = this.defaultStateCount + def.offset
      this.customStateIds[def.key] = id
      const names = new Map<number, string>()
      if (def.names === 'last') {
        if (lastLanguage !== undefined) names.set(lastLanguage.id, def.lastName ?? def.key)
      } else {
        for (const language of this.languages) {
          const name = def.names[language.iso]
          if (name !== undefined) names.set(language.id, name)
        }
      }
      this.states.push({
        id,
        key: def.key,
        moduleName: def.moduleName,
        color: def.color,
        template: '',
        deleted: def.deleted === 1,
        invoice: def.invoice === 1,
        sendEmail: def.sendEmail === 1,
        hidden: def.hidden === 1,
        logable: def.logable === 1,
        delivery: def.delivery === 1,
        shipped: def.shipped === 1,
        paid: def.paid === 1,
        pdfInvoice: def.pdfInvoice === 1,
        pdfDelivery: def.pdfDelivery === 1,
        names,
      })
    }

    this.imageTypes = imageTypeDefs(this.is16, options.imageTypes ?? 'standard')
    this.imageTypeName = pickImageType(this.imageTypes)

    let imageId = 1
    for (const product of this.products) {
      const list: ImageModel[] = []
      for (let index = 0; index < product.imageCount; index++) {
        list.push({
          id: imageId++,
          productId: product.id,
          position: index + 1,
          cover: index === (product.coverIndex ?? -1),
        })
      }
      this.images.set(product.id, list)
    }

    this.buildConfig()
    if (options.edgeCases ?? true) this.placeSpecialCases()
  }

  // -- configuration ----------------------------------------------------------------------------

  private addConfig(
    name: string,
    value: string | null,
    scope: { shopGroupId?: number; shopId?: number } = {},
  ): number {
    const id = this.config.length + 1
    const shop =
      scope.shopId === undefined ? undefined : this.shops.find((s) => s.id === scope.shopId)
    this.config.push({
      id,
      shopGroupId: scope.shopGroupId ?? shop?.groupId ?? null,
      shopId: scope.shopId ?? null,
      name,
      value,
    })
    return id
  }

  private buildConfig(): void {
    const defaultLanguage = this.languages[0]
    if (defaultLanguage === undefined) throw new Error('no language')
    this.addConfig('PS_VERSION_DB', this.version)
    this.addConfig('PS_INSTALL_VERSION', this.version)
    this.addConfig('PS_LANG_DEFAULT', String(defaultLanguage.id))
    this.addConfig('PS_CURRENCY_DEFAULT', '1')
    this.addConfig('PS_SHOP_DEFAULT', '1')
    this.addConfig('PS_SHOP_NAME', 'Purchase Sender test shop')
    this.addConfig('PS_SHOP_DOMAIN', SHOP_PRESETS[0]?.domain ?? '')
    this.addConfig('PS_SHOP_DOMAIN_SSL', SHOP_PRESETS[0]?.domainSsl ?? '')
    this.addConfig('PS_LEGACY_IMAGES', '0')
    this.addConfig('PS_SSL_ENABLED', this.ssl === 'off' ? '0' : '1')
    this.addConfig('PS_SSL_ENABLED_EVERYWHERE', this.ssl === 'on' ? '1' : '0')
    // Install default, overridden per group below: readers must not stop at the global row.
    this.addConfig('PS_TIMEZONE', 'Europe/Paris')
    for (const groupId of new Set(this.shops.map((s) => s.groupId))) {
      this.addConfig('PS_TIMEZONE', groupId === 2 ? 'Europe/London' : this.timezone, {
        shopGroupId: groupId,
      })
    }
    for (const shop of this.shops) {
      const zone = this.shopTimezones[shop.id]
      if (zone !== undefined) this.addConfig('PS_TIMEZONE', zone, { shopId: shop.id })
    }
    // Saved from each shop's context: the global row keeps the opposite, stale value.
    this.addConfig('PS_REWRITING_SETTINGS', this.friendlyUrls ? '0' : '1')
    for (const shop of this.shops) {
      this.addConfig('PS_REWRITING_SETTINGS', this.friendlyUrls ? '1' : '0', { shopId: shop.id })
    }
    if (this.multistoreFlag !== undefined) {
      this.addConfig('PS_MULTISHOP_FEATURE_ACTIVE', this.multistoreFlag ? '1' : '0')
    }
    const shop2 = this.shops.find((s) => s.id === 2)
    if (shop2 !== undefined && shop2.languageIds[0] !== undefined) {
      this.addConfig('PS_LANG_DEFAULT', String(shop2.languageIds[0]), { shopId: 2 })
    }
    const usd = this.currencies.find((c) => c.iso === 'USD')
    if (this.shops.some((s) => s.groupId === 2) && usd !== undefined) {
      this.addConfig('PS_CURRENCY_DEFAULT', String(usd.id), { shopGroupId: 2 })
    }
    // A row for a shop that does not exist must never win.
    this.addConfig('PS_SSL_ENABLED_EVERYWHERE', this.ssl === 'on' ? '0' : '1', {
      shopGroupId: 7,
      shopId: 99,
    })
    for (const [key, id] of Object.entries(this.stateKeys)) this.addConfig(key, String(id))
    this.addConfig('PS_TAX', '1')
    this.addConfig('PS_COUNTRY_DEFAULT', String(DEFAULT_COUNTRY_ID))
    this.addConfig('PS_STOCK_MANAGEMENT', '1')
    // Multilingual values live in configuration_lang with a NULL value in configuration.
    const invoicePrefix = this.addConfig('PS_INVOICE_PREFIX', null)
    for (const language of this.languages) {
      this.configLang.push({
        configId: invoicePrefix,
        langId: language.id,
        value: language.iso === 'fr' ? 'FA' : 'IN',
      })
    }
  }

  private readonly configCache = new Map<string, string | null>()

  configFor(name: string, shopId: number): string | null {
    const key = `${name}|${shopId}`
    if (this.configCache.has(key)) return this.configCache.get(key) ?? null
    const value = this.lookupConfig(name, shopId)
    this.configCache.set(key, value)
    return value
  }

  private lookupConfig(name: string, shopId: number): string | null {
    const shop = this.shops.find((s) => s.id === shopId)
    const rows = this.config.filter((row) => row.name === name)
    const byShop = rows.find((row) => row.shopId === shopId)
    if (byShop !== undefined) return byShop.value
    const byGroup = rows.find(
      (row) => row.shopId === null && row.shopGroupId !== null && row.shopGroupId === shop?.groupId,
    )
    if (byGroup !== undefined) return byGroup.value
    return rows.find((row) => row.shopId === null && row.shopGroupId === null)?.value ?? null
  }

  globalConfig(name: string): string | null {
    return (
      this.config.find(
        (row) => row.name === name && row.shopId === null && row.shopGroupId === null,
      )?.value ?? null
    )
  }

  shop(shopId: number): ModelShop {
    const shop = this.shops.find((s) => s.id === shopId)
    if (shop === undefined) throw new Error(`no shop ${shopId}`)
    return shop
  }

  shopTimezone(shopId: number): string {
    return this.configFor('PS_TIMEZONE', shopId) ?? 'Europe/Paris'
  }

  shopDefaultCurrencyId(shopId: number): number {
    return Number(this.configFor('PS_CURRENCY_DEFAULT', shopId) ?? '1')
  }

  shopDefaultLanguageId(shopId: number): number {
    return Number(this.configFor('PS_LANG_DEFAULT', shopId) ?? '1')
  }

  shopMultilingual(shopId: number): boolean {
    const shop = this.shop(shopId)
    return this.languages.filter((l) => l.active && shop.languageIds.includes(l.id)).length > 1
  }

  shopFriendly(shopId: number): boolean {
    return this.configFor('PS_REWRITING_SETTINGS', shopId) === '1'
  }

  shopSecure(shopId: number): boolean {
    return (
      this.configFor('PS_SSL_ENABLED', shopId) === '1' &&
      this.configFor('PS_SSL_ENABLED_EVERYWHERE', shopId) === '1'
    )
  }

  shopBaseUrl(shopId: number): string {
    const shop = this.shop(shopId)
    const host = this.shopSecure(shopId) ? `https://${shop.domainSsl}` : `http://${shop.domain}`
    return `${host}${shop.physicalUri}${shop.virtualUri}`
  }

  multistore(): boolean {
    const flag = this.globalConfig('PS_MULTISHOP_FEATURE_ACTIVE')
    return flag !== null && flag !== '0' && flag !== '' && this.shops.length > 1
  }

  currency(currencyId: number): ModelCurrency {
    const currency = this.currencies.find((c) => c.id === currencyId)
    if (currency === undefined) throw new Error(`no currency ${currencyId}`)
    return currency
  }

  language(langId: number): ModelLanguage {
    const language = this.languages.find((l) => l.id === langId)
    if (language === undefined) throw new Error(`no language ${langId}`)
    return language
  }

  // -- catalogue views --------------------------------------------------------------------------

  productName(product: ProductDef, shopId: number, iso: LanguageIso): string {
    if (shopId !== 1 && product.otherShopName !== undefined) return product.otherShopName
    const names = this.mb4 && product.namesMb4 !== undefined ? product.namesMb4 : product.names
    return textIn(names, iso)
  }

  categoryName(categoryId: number, shopId: number, iso: LanguageIso): string {
    const category = this.categoryById.get(categoryId)
    if (category === undefined) throw new Error(`no category ${categoryId}`)
    if (shopId !== 1 && category.shop2Name !== undefined) return category.shop2Name
    return textIn(category.names, iso)
  }

  productCategoryId(product: ProductDef, shopId: number): number {
    return shopId !== 1 && product.otherShopCategoryId !== undefined
      ? product.otherShopCategoryId
      : product.categoryId
  }

  /** Cover per shop: image_shop rows when the product has them in that shop, else image.cover. */
  shopCoverImageId(product: ProductDef, shopId: number): number | null {
    const images = this.images.get(product.id) ?? []
    if (shopId !== 1 && product.noImageShopOutsideShop1 === true) return null
    const index =
      shopId !== 1 && product.otherShopCoverIndex !== undefined
        ? product.otherShopCoverIndex
        : product.coverIndex
    return index === undefined ? null : (images[index]?.id ?? null)
  }

  hasImageShopRows(product: ProductDef, shopId: number): boolean {
    return !(shopId !== 1 && product.noImageShopOutsideShop1 === true)
  }

  private readonly productCache = new Map<string, StoreProduct | null>()

  /** Memoised: a product view depends only on these four ids (and is read-only). */
  storeProduct(
    productId: number,
    attributeId: number,
    shopId: number,
    langId: number,
  ): StoreProduct | null {
    const key = `${productId}|${attributeId}|${shopId}|${langId}`
    let view = this.productCache.get(key)
    if (view === undefined) {
      view = this.buildStoreProduct(productId, attributeId, shopId, langId)
      this.productCache.set(key, view)
    }
    return view
  }

  private buildStoreProduct(
    productId: number,
    attributeId: number,
    shopId: number,
    langId: number,
  ): StoreProduct | null {
    const product = this.productById.get(productId)
    if (product === undefined) return null
    const language = this.language(langId)
    const name = this.productName(product, shopId, language.iso)
    const rewrite = textIn(product.rewrites, language.iso)
    const base = this.shopBaseUrl(shopId)
    const friendly = this.shopFriendly(shopId)
    const multilingual = this.shopMultilingual(shopId)
    const categoryId = this.productCategoryId(product, shopId)
    const category = this.categoryById.get(categoryId)
    const categoryRewrite = category === undefined ? '' : textIn(category.rewrites, language.iso)
    const ean = product.ean13 ?? ''

    const productUrl = (ipa: number): string => {
      const withIpa = this.is17Plus && ipa > 0
      if (friendly) {
        const langSegment = multilingual ? `${language.iso}/` : ''
        return (
          `${base}${langSegment}${categoryRewrite === '' ? '' : `${categoryRewrite}/`}${productId}` +
          `${withIpa ? `-${ipa}` : ''}-${rewrite}${ean === '' ? '' : `-${ean}`}.html`
        )
      }
      const params = [`id_product=${productId}`]
      if (withIpa) params.push(`id_product_attribute=${ipa}`)
      if (this.is17Plus) params.push(`rewrite=${encodeURIComponent(rewrite)}`)
      params.push('controller=product')
      if (multilingual) params.push(`id_lang=${langId}`)
      return `${base}index.php?${params.join('&')}`
    }

    let imageId: number | null = null
    const combination = product.combinations?.find((c) => c.id === attributeId)
    const images = this.images.get(product.id) ?? []
    if (combination !== undefined && combination.images.length > 0) {
      const own = combination.images
        .map((index) => images[index])
        .filter((image): image is ImageModel => image !== undefined)
        .sort((a, b) => a.position - b.position || a.id - b.id)
      imageId = own[0]?.id ?? null
    }
    const coverId =
      (this.hasImageShopRows(product, shopId)
        ? this.shopCoverImageId(product, shopId)
        : (images.find((image) => image.cover)?.id ?? null)) ??
      images.find((image) => image.cover)?.id ??
      null
    if (imageId === null) imageId = coverId
    const imageUrlOf = (id: number | null): string | null => {
      if (id === null) return null
      return friendly
        ? `${base}${id}-${this.imageTypeName}/${rewrite}.jpg`
        : `${base}img/p/${String(id).split('').join('/')}/${id}-${this.imageTypeName}.jpg`
    }
    const imageUrl = imageUrlOf(imageId)
    const priceMicro = product.priceCents * 10_000
    const group = TAX_RULES_GROUPS.find((g) => g.id === (product.taxRulesGroupId ?? 1))
    const quantity = product.stock ?? DEFAULT_STOCK

    const path: string[] = []
    let current = this.categoryById.get(categoryId)
    while (current !== undefined && current.parentId !== 0) {
      if (current.id !== HOME_CATEGORY_ID)
        path.unshift(this.categoryName(current.id, shopId, language.iso))
      current = this.categoryById.get(current.parentId)
    }

    const manufacturer = MANUFACTURERS.find((m) => m.id === product.manufacturerId)
    return {
      name,
      productDetailUrl: productUrl(attributeId),
      productBaseUrl: productUrl(0),
      imageUrl,
      categoryPath: path,
      brand: manufacturer?.name ?? null,
      reference: product.reference ?? '',
      coverImageUrl: imageUrlOf(coverId),
      active: product.inactive !== true,
      priceTaxExcl: formatMicro(priceMicro),
      priceTaxIncl: formatMicro((priceMicro * (group?.factorPercent ?? 100)) / 100),
      quantity,
      inStock: quantity > 0,
    }
  }

  // -- customers --------------------------------------------------------------------------------

  customer(id: number): CustomerModel | null {
    if (id < 1 || id > this.customerCount) return null
    const rng = new Rng(seedOf(this.seed, STREAM_CUSTOMER, id))
    const shop = rng.pick(this.shops)
    let firstname = rng.pick(FIRST_NAMES)
    let lastname = rng.pick(LAST_NAMES)
    let isGuest = rng.chance(0.25)
    let deleted = rng.chance(0.04)
    let email = `${slug(firstname)}.${slug(lastname)}+${id}@example.test`
    // Fixed ids carry the awkward customers the edge-case orders use.
    switch (id) {
      case 1:
        firstname = 'John'
        lastname = 'Doe'
        email = 'pub@prestashop.com'
        isGuest = false
        deleted = false
        break
      case 2:
        isGuest = true
        deleted = false
        email = `guest.${id}@example.test`
        break
      case 3:
        isGuest = false
        deleted = true
        break
      case 4:
        email = ''
        deleted = false
        break
      case 5:
        email = 'not-an-email'
        deleted = false
        break
      case 6:
        // At most 32 characters: 1.6's varchar(32).
        firstname = '=HYPERLINK("http://x.test","x")'
        lastname = '+34 600 000 000'
        email = '@home'
        deleted = false
        break
      case 7:
        firstname = this.mb4 ? 'Zoë 🌸' : 'Zoë'
        lastname = this.mb4 ? 'Ñúñez 😀' : 'Ñúñez-Lefèvre'
        email = 'zoe.nunez@exämple.test'
        deleted = false
        isGuest = false
        break
      default:
        break
    }
    const dayOffset = rng.int(0, 400)
    return {
      id,
      shopId: shop.id,
      groupId: shop.groupId,
      firstname,
      lastname,
      email,
      isGuest,
      deleted,
      dateAdd: `${addDays('2024-01-01', dayOffset)} 09:30:00`,
    }
  }

  // -- orders -----------------------------------------------------------------------------------

  private placeSpecialCases(): void {
    const cases: SpecialCase[] = [
      'dayStart',
      'dayEnd',
      'nextDayStart',
      'previousDayEnd',
      'beforeSpringGap',
      'afterSpringGap',
      'autumnRepeatFirst',
      'autumnRepeatSecond',
      'noLines',
      'deletedProducts',
      'combinations',
      'freeOrder',
      'missingCustomer',
      'guestCustomer',
      'deletedCustomer',
      'emptyEmail',
      'invalidEmail',
      'formulaNames',
      'unicode',
      'customState',
      'deletedState',
      'discount',
      'splitOrder',
      'homeOnlyProducts',
    ]
    if (this.currencies.some((c) => c.iso === 'USD')) cases.push('usd')
    if (this.currencies.some((c) => c.iso === 'JPY')) cases.push('jpy')
    if (this.currencies.some((c) => c.deleted)) cases.push('deletedCurrency')
    if (this.languages.some((l) => !l.active)) cases.push('inactiveLanguage')
    if (this.shops.length > 1) cases.push('otherShop')
    const inWindow = (day: string): boolean => day >= this.window.from && day <= this.window.to
    const usable = cases.filter((c) => {
      switch (c) {
        case 'dayStart':
        case 'dayEnd':
          return inWindow(EDGE_DAY)
        case 'nextDayStart':
          return inWindow(addDays(EDGE_DAY, 1))
        case 'previousDayEnd':
          return inWindow(addDays(EDGE_DAY, -1))
        case 'beforeSpringGap':
        case 'afterSpringGap':
          return inWindow(SPRING_FORWARD_DAY)
        case 'autumnRepeatFirst':
        case 'autumnRepeatSecond':
          return inWindow(FALL_BACK_DAY)
        default:
          return true
      }
    })
    // Spread over the ids (never id 1, so a split order always has a predecessor), two apart so
    // no special order is another one's predecessor.
    const step = Math.max(2, Math.floor(this.orderCount / (usable.length + 1)))
    usable.forEach((specialCase, index) => {
      const id = 2 + index * step
      if (id > this.orderCount) return
      this.specialAt.set(id, specialCase)
      this.specialOrders[specialCase] = id
    })
  }

  private randomPlacedAt(rng: Rng, zone: string, id: number): string {
    const start = epochOfWallClock(`${this.window.from} 00:00:00`)
    const end = epochOfWallClock(`${this.window.to} 23:59:59`)
    const draw = rng.next()
    const offset = this.chronological
      ? Math.min(
          end - start,
          Math.max(
            0,
            Math.floor(((id - 1) / this.orderCount) * (end - start) + (draw - 0.5) * 600),
          ),
        )
      : Math.floor(draw * (end - start + 1))
    return existingWallClock(wallClockFromEpoch(start + offset), zone)
  }

  private reference(id: number): string {
    const rng = new Rng(seedOf(this.seed, STREAM_REFERENCE, id))
    let text = ''
    for (let i = 0; i < 9; i++) text += String.fromCharCode(65 + rng.int(0, 25))
    return text
  }

  private payment(rng: Rng): { payment: string; module: string; initialStateId: number } {
    const choice = rng.weighted<'wire' | 'cheque' | 'cod' | 'card'>([
      ['wire', 4],
      ['cheque', 1],
      ['cod', 1],
      ['card', 4],
    ])
    const k = this.stateKeys
    switch (choice) {
      case 'wire':
        return {
          payment: 'Bank wire',
          module: this.is16 ? 'bankwire' : 'ps_wirepayment',
          initialStateId: k['PS_OS_BANKWIRE'] ?? 10,
        }
      case 'cheque':
        return {
          payment: 'Payments by check',
          module: this.is16 ? 'cheque' : 'ps_checkpayment',
          initialStateId: k['PS_OS_CHEQUE'] ?? 1,
        }
      case 'cod':
        return {
          payment: 'Cash on delivery (COD)',
          module: this.is16 ? 'cashondelivery' : 'ps_cashondelivery',
          initialStateId: k['PS_OS_COD_VALIDATION'] ?? 13,
        }
      case 'card':
        return {
          payment: 'Paiement par carte bancaire',
          module: 'stripe_official',
          initialStateId: k['PS_OS_PAYMENT'] ?? 2,
        }
    }
  }

  private randomState(rng: Rng): number {
    const k = this.stateKeys
    const c = this.customStateIds
    const pick = rng.weighted<number>([
      [k['PS_OS_PAYMENT'] ?? 2, 20],
      [k['PS_OS_PREPARATION'] ?? 3, 8],
      [k['PS_OS_SHIPPING'] ?? 4, 10],
      [k['PS_OS_DELIVERED'] ?? 5, 20],
      [k['PS_OS_CANCELED'] ?? 6, 5],
      [k['PS_OS_REFUND'] ?? 7, 2],
      [k['PS_OS_ERROR'] ?? 8, 2],
      [k['PS_OS_BANKWIRE'] ?? 10, 6],
      [k['PS_OS_WS_PAYMENT'] ?? 11, 3],
      [k['PS_OS_OUTOFSTOCK_PAID'] ?? 9, 1],
      [c['stripe_awaiting'] ?? 0, 2],
      [c['klarna_paid'] ?? 0, 3],
      [c['partial_return'] ?? 0, 1],
    ])
    return pick
  }

  private linePrice(priceCents: number, currency: ModelCurrency): number {
    return roundTo(
      Math.round((priceCents * 10_000 * currency.rateMicro) / MICRO),
      currency.precision,
    )
  }

  private makeLine(
    orderId: number,
    index: number,
    productId: number,
    attributeId: number | null,
    quantity: number,
    currency: ModelCurrency,
    langIso: LanguageIso,
    shopId: number,
    reductionPercent = 0,
  ): LineModel {
    const product = this.productById.get(productId)
    const deleted = DELETED_PRODUCTS.find((p) => p.id === productId)
    const priceCents = product?.priceCents ?? deleted?.priceCents ?? 1000
    const base = this.linePrice(priceCents, currency)
    const unitIncl = roundTo(
      Math.round((base * (100 - reductionPercent)) / 100),
      currency.precision,
    )
    const unitExcl = withoutTax(unitIncl)
    let name: string
    let productReference: string | null
    if (product !== undefined) {
      const combination = product.combinations?.find((c) => c.id === attributeId)
      const label = product.snapshotName ?? this.productName(product, shopId, langIso)
      const attributes = combination === undefined ? '' : textIn(combination.label, langIso)
      // 1.6 appends " - attributes", 1.7+ "(attributes)" (prestashop.md §1.2).
      name =
        attributes === ''
          ? label
          : this.is16
            ? `${label} - ${attributes}`
            : `${label} (${attributes})`
      productReference = combination?.reference ?? product.reference
    } else {
      name = deleted?.name ?? `Product ${productId}`
      productReference = deleted?.reference ?? null
    }
    return {
      // Ids leave room for 10 lines per order, so any order's line ids are known without the others.
      id: (orderId - 1) * 10 + index + 1,
      productId,
      attributeId,
      name,
      quantity,
      unitInclMicro: unitIncl,
      unitExclMicro: unitExcl,
      basePriceMicro: base,
      reductionPercent,
      productReference,
      ean13: product?.ean13 ?? null,
    }
  }

  order(id: number): OrderModel {
    const special = this.specialAt.get(id)
    const rng = new Rng(seedOf(this.seed, STREAM_ORDER, id))
    let shopId = rng.weighted(this.shops.map((s) => [s.id, s.id === 1 ? 6 : 2] as const))
    // A split order belongs to the same checkout as its predecessor: same shop and language.
    const previous = special === 'splitOrder' ? this.order(id - 1) : undefined
    if (previous !== undefined) shopId = previous.shopId
    else if (special === 'otherShop') shopId = this.shops[1]?.id ?? 1
    else if (special !== undefined) shopId = 1
    const shop = this.shop(shopId)
    const shopLangs = this.languages.filter((l) => shop.languageIds.includes(l.id))
    let langId = rng.weighted(shopLangs.map((l) => [l.id, l.active ? 5 : 1] as const))
    if (previous !== undefined) langId = previous.langId
    else if (special === 'inactiveLanguage')
      langId = this.languages.find((l) => !l.active)?.id ?? langId
    else if (special !== undefined && special !== 'otherShop') {
      langId = shopLangs.find((l) => l.active)?.id ?? langId
    }
    const language = this.language(langId)
    const zone = this.shopTimezone(shopId)
    let placedAt = this.randomPlacedAt(rng, zone, id)
    let customerId = rng.chance(0.03)
      ? this.customerCount + 1 + rng.int(0, 4)
      : rng.int(1, this.customerCount)
    const shopCurrency = this.shopDefaultCurrencyId(shopId)
    let currencyId = rng.weighted<number>(
      this.currencies.map(
        (c) =>
          [c.id, c.id === shopCurrency ? 20 : c.deleted ? 0.3 : c.iso === 'JPY' ? 1 : 2] as const,
      ),
    )
    let stateId = this.randomState(rng)
    const paymentChoice = this.payment(rng)
    let payment = paymentChoice.payment
    let module = paymentChoice.module
    const lineCount = rng.int(this.linesPerOrder[0], Math.min(10, this.linesPerOrder[1]))
    const wantDiscount = rng.chance(0.15)
    let reference = this.reference(id)
    let cartId = 10_000 + id
    let lineSpecs: {
      productId: number
      attributeId: number | null
      quantity: number
      reduction: number
    }[] = []
    const catalogue = this.products
    for (let i = 0; i < lineCount; i++) {
      if (rng.chance(0.02)) {
        const gone = rng.pick(DELETED_PRODUCTS)
        lineSpecs.push({
          productId: gone.id,
          attributeId: 0,
          quantity: rng.int(1, 3),
          reduction: 0,
        })
        continue
      }
      const product = rng.pick(catalogue)
      const combination =
        product.combinations === undefined ? undefined : rng.pick(product.combinations)
      lineSpecs.push({
        productId: product.id,
        attributeId: combination?.id ?? 0,
        quantity: rng.int(1, 3),
        reduction: rng.chance(0.1) ? 10 : 0,
      })
    }
    let discount = wantDiscount
    let free = false
    let shippingCents = rng.chance(0.3) ? 0 : 499

    switch (special) {
      case 'dayStart':
        placedAt = `${EDGE_DAY} 00:00:00`
        break
      case 'dayEnd':
        placedAt = `${EDGE_DAY} 23:59:59`
        break
      case 'nextDayStart':
        placedAt = `${addDays(EDGE_DAY, 1)} 00:00:00`
        break
      case 'previousDayEnd':
        placedAt = `${addDays(EDGE_DAY, -1)} 23:59:59`
        break
      case 'beforeSpringGap':
        placedAt = `${SPRING_FORWARD_DAY} 01:59:59`
        break
      case 'afterSpringGap':
        placedAt = `${SPRING_FORWARD_DAY} 03:00:00`
        break
      case 'autumnRepeatFirst':
      case 'autumnRepeatSecond':
        // The same wall-clock time twice (before and after clocks went back): ids break the tie.
        placedAt = `${FALL_BACK_DAY} 02:30:00`
        break
      case 'noLines':
        lineSpecs = []
        discount = false
        break
      case 'deletedProducts':
        // A customer Connectif can take, so the order is sent and its products created.
        customerId = 1
        lineSpecs = [
          { productId: 900, attributeId: 0, quantity: 2, reduction: 0 },
          // NULL instead of 0: old rows have it; the reader reports 0.
          { productId: 901, attributeId: null, quantity: 1, reduction: 0 },
          // Disabled since, and out of stock: created in Connectif blacklisted, and out of stock.
          { productId: 3, attributeId: 0, quantity: 1, reduction: 0 },
          { productId: 12, attributeId: 0, quantity: 1, reduction: 0 },
        ]
        break
      case 'combinations':
        lineSpecs = [
          { productId: 1, attributeId: 1, quantity: 1, reduction: 0 },
          { productId: 1, attributeId: 2, quantity: 2, reduction: 0 },
          { productId: 1, attributeId: 3, quantity: 1, reduction: 0 },
          { productId: 2, attributeId: 5, quantity: 1, reduction: 0 },
        ]
        break
      case 'freeOrder':
        free = true
        discount = false
        shippingCents = 0
        payment = 'Free order'
        module = 'free_order'
        stateId = this.stateKeys['PS_OS_PAYMENT'] ?? 2
        if (lineSpecs.length === 0)
          lineSpecs.push({ productId: 13, attributeId: 0, quantity: 1, reduction: 0 })
        break
      case 'usd':
        currencyId = this.currencies.find((c) => c.iso === 'USD')?.id ?? currencyId
        break
      case 'jpy':
        currencyId = this.currencies.find((c) => c.iso === 'JPY')?.id ?? currencyId
        break
      case 'deletedCurrency':
        currencyId = this.currencies.find((c) => c.deleted)?.id ?? currencyId
        break
      case 'missingCustomer':
        customerId = this.customerCount + 1
        break
      case 'guestCustomer':
        customerId = 2
        break
      case 'deletedCustomer':
        customerId = 3
        break
      case 'emptyEmail':
        customerId = 4
        break
      case 'invalidEmail':
        customerId = 5
        break
      case 'formulaNames':
        customerId = 6
        lineSpecs = [7, 8, 9, 10].map((productId) => ({
          productId,
          attributeId: 0,
          quantity: 1,
          reduction: 0,
        }))
        break
      case 'unicode':
        customerId = 7
        lineSpecs = [5, 6, 11, 16].map((productId) => ({
          productId,
          attributeId: 0,
          quantity: 1,
          reduction: 0,
        }))
        break
      case 'customState':
        stateId = this.customStateIds['stripe_awaiting'] ?? stateId
        break
      case 'deletedState':
        stateId = this.customStateIds['legacy_deleted'] ?? stateId
        break
      case 'discount':
        discount = true
        lineSpecs = [
          { productId: 14, attributeId: 0, quantity: 2, reduction: 10 },
          { productId: 17, attributeId: 0, quantity: 1, reduction: 0 },
        ]
        break
      case 'splitOrder': {
        // One checkout, two orders (one per carrier): same reference, cart, customer and date.
        if (previous === undefined) break
        reference = previous.reference
        cartId = previous.cartId
        customerId = previous.customerId
        placedAt = previous.placedAt
        currencyId = previous.currencyId
        break
      }
      case 'otherShop':
        lineSpecs = [14, 15, 16, 13, 3].map((productId) => ({
          productId,
          attributeId: 0,
          quantity: 1,
          reduction: 0,
        }))
        break
      case 'homeOnlyProducts':
        lineSpecs = [10, 13, 12].map((productId) => ({
          productId,
          attributeId: 0,
          quantity: 1,
          reduction: 0,
        }))
        break
      default:
        break
    }
    if (special === 'otherShop' || special === 'inactiveLanguage') {
      currencyId = this.shopDefaultCurrencyId(shopId)
    }
    placedAt = existingWallClock(placedAt, zone)

    const currency = this.currency(currencyId)
    const lines = lineSpecs.map((spec, index) =>
      this.makeLine(
        id,
        index,
        spec.productId,
        spec.attributeId,
        spec.quantity,
        currency,
        language.iso,
        shopId,
        spec.reduction,
      ),
    )
    const productsIncl = lines.reduce((sum, line) => sum + line.unitInclMicro * line.quantity, 0)
    const productsExcl = lines.reduce((sum, line) => sum + line.unitExclMicro * line.quantity, 0)
    const shippingIncl = this.linePrice(shippingCents, currency)
    const cartRules: CartRuleModel[] = []
    let discountsIncl = 0
    if (free) {
      discountsIncl = productsIncl
      cartRules.push({
        id: id * 2,
        cartRuleId: 1,
        name: 'Free gift 100%',
        valueMicro: productsIncl,
        valueExclMicro: roundTo(withoutTax(productsIncl), 2),
        freeShipping: true,
      })
    } else if (discount && productsIncl > 0) {
      // Cart-rule values are decimal(17,2) before 1.7.7: keep them to the cent.
      discountsIncl = Math.min(
        productsIncl,
        roundTo(Math.round(productsIncl / 10), Math.min(2, currency.precision)),
      )
      cartRules.push({
        id: id * 2,
        cartRuleId: 2 + (id % 3),
        name: id % 2 === 0 ? 'Bienvenue -10%' : 'WELCOME10',
        valueMicro: discountsIncl,
        valueExclMicro: roundTo(withoutTax(discountsIncl), 2),
        freeShipping: false,
      })
    }
    const discountsExcl = cartRules.reduce((sum, rule) => sum + rule.valueExclMicro, 0)
    const totalIncl = Math.max(0, productsIncl + shippingIncl - discountsIncl)
    const totalExcl = free
      ? 0
      : Math.max(0, productsExcl + withoutTax(shippingIncl) - discountsExcl)
    const shopDefault = this.currency(this.shopDefaultCurrencyId(shopId))
    const conversionRateMicro =
      currency.id === shopDefault.id
        ? MICRO
        : Math.round((currency.rateMicro * MICRO) / shopDefault.rateMicro)

    // History rows share the order's timestamp: only their order and states matter to readers.
    const history = [
      { id: (id - 1) * 4 + 1, stateId: paymentChoice.initialStateId, date: placedAt },
    ]
    if (stateId !== paymentChoice.initialStateId)
      history.push({ id: (id - 1) * 4 + 2, stateId, date: placedAt })

    return {
      id,
      reference,
      cartId,
      shopId,
      groupId: shop.groupId,
      langId,
      customerId,
      currencyId,
      stateId,
      placedAt,
      payment,
      module,
      conversionRateMicro,
      lines,
      cartRules,
      shippingInclMicro: shippingIncl,
      totalPaidInclMicro: totalIncl,
      totalPaidExclMicro: totalExcl,
      discountsInclMicro: discountsIncl,
      discountsExclMicro: discountsExcl,
      history,
    }
  }

  currencyRef(currencyId: number): CurrencyRef {
    const currency = this.currency(currencyId)
    return { id: currency.id, isoCode: currency.iso, precision: currency.precision }
  }

  storeOrder(order: OrderModel): StoreOrder {
    const customer = this.customer(order.customerId)
    const storeCustomer: StoreCustomer | null =
      customer === null
        ? null
        : {
            id: customer.id,
            email: customer.email,
            firstname: customer.firstname,
            lastname: customer.lastname,
            isGuest: customer.isGuest,
            deleted: customer.deleted,
          }
    const lines: StoreOrderLine[] = order.lines.map((line) => ({
      id: line.id,
      productId: line.productId,
      productAttributeId: line.attributeId ?? 0,
      name: line.name,
      quantity: line.quantity,
      unitPriceTaxIncl: formatMicro(line.unitInclMicro),
      unitPriceTaxExcl: formatMicro(line.unitExclMicro),
      totalPriceTaxIncl: formatMicro(line.unitInclMicro * line.quantity),
      totalPriceTaxExcl: formatMicro(line.unitExclMicro * line.quantity),
      product: this.storeProduct(line.productId, line.attributeId ?? 0, order.shopId, order.langId),
    }))
    return {
      id: order.id,
      reference: order.reference,
      cartId: order.cartId,
      shopId: order.shopId,
      languageId: order.langId,
      stateId: order.stateId,
      placedAt: order.placedAt,
      timezone: this.shopTimezone(order.shopId),
      shopUrl: this.shopBaseUrl(order.shopId),
      paymentMethod: order.payment,
      totalPaidTaxIncl: formatMicro(order.totalPaidInclMicro),
      currency: this.currencyRef(order.currencyId),
      defaultCurrency: this.currencyRef(this.shopDefaultCurrencyId(order.shopId)),
      conversionRate: formatMicro(order.conversionRateMicro),
      customer: storeCustomer,
      lines,
    }
  }

  stateInfo(state: ModelState, languageId: number | undefined): OrderStateInfo {
    const defaultLanguage = Number(this.globalConfig('PS_LANG_DEFAULT') ?? '1')
    const anyLanguage = [...state.names.entries()].sort((a, b) => a[0] - b[0])[0]?.[1] ?? ''
    const name =
      (languageId === undefined ? undefined : state.names.get(languageId)) ??
      state.names.get(defaultLanguage) ??
      anyLanguage
    return {
      id: state.id,
      name,
      color: state.color ?? '',
      paid: state.paid,
      logable: state.logable,
      shipped: state.shipped,
      delivery: state.delivery,
      hidden: state.hidden,
      deleted: state.deleted,
      cancelled:
        this.cancelledStateIds().size > 0
          ? this.cancelledStateIds().has(state.id)
          : state.paid && !state.logable,
    }
  }

  /** The states PS_OS_CANCELED, PS_OS_REFUND and PS_OS_ERROR name (global values). */
  cancelledStateIds(): Set<number> {
    return new Set(
      CANCELLED_STATE_KEYS.map((key) => Number(this.globalConfig(key) ?? '0')).filter(
        (id) => id > 0,
      ),
    )
  }

  currencyInfo(currency: ModelCurrency): CurrencyInfo {
    const defaultLanguage = this.language(Number(this.globalConfig('PS_LANG_DEFAULT') ?? '1'))
    const name = versionAtLeast(this.version, '1.7.6.0')
      ? textIn(currency.names, defaultLanguage.iso)
      : currency.names.en
    return {
      id: currency.id,
      isoCode: currency.iso,
      precision: currency.precision,
      name,
      active: currency.active,
      deleted: currency.deleted,
    }
  }

  shopInfo(shop: ModelShop): ShopInfo {
    return {
      id: shop.id,
      groupId: shop.groupId,
      name: shop.name,
      active: true,
      baseUrl: this.shopBaseUrl(shop.id),
      timezone: this.shopTimezone(shop.id),
      defaultLanguageId: this.shopDefaultLanguageId(shop.id),
      defaultCurrencyId: this.shopDefaultCurrencyId(shop.id),
      multilingual: this.shopMultilingual(shop.id),
    }
  }

  languageInfo(language: ModelLanguage): LanguageInfo {
    return {
      id: language.id,
      isoCode: language.iso,
      name: language.name,
      active: language.active,
      shopIds: this.shops.filter((s) => s.languageIds.includes(language.id)).map((s) => s.id),
    }
  }
}

function pickImageType(types: ReturnType<typeof imageTypeDefs>): string {
  const forProducts = types
    .map((type, index) => ({ ...type, id: index + 1 }))
    .filter((type) => type.products === 1)
  const named = (name: string): string | undefined =>
    forProducts.find((type) => type.name === name)?.name
  const largest = [...forProducts].sort(
    (a, b) => b.width - a.width || b.height - a.height || a.id - b.id,
  )[0]
  return named('large_default') ?? named('home_default') ?? largest?.name ?? 'large_default'
}

// ---------------------------------------------------------------------------------------------
// Loading

const BATCH_ROWS = 2000
type Row = Record<string, string | number | null>

class TableWriter {
  private readonly columns: ReadonlyMap<string, readonly string[]>
  constructor(
    private readonly connection: Queryable,
    private readonly prefix: string,
    version: PrestaShopVersion,
  ) {
    this.columns = tableColumns(version, prefix)
  }

  /** Multi-row INSERTs of at most BATCH_ROWS rows; keys a version lacks are dropped. */
  async insert(table: string, rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return
    const existing = this.columns.get(this.prefix + table)
    if (existing === undefined) return
    const first = rows[0]
    if (first === undefined) return
    const columns = Object.keys(first).filter((column) => existing.includes(column))
    const head = `INSERT INTO ${mysql.escapeId(this.prefix + table)} (${columns.map((c) => mysql.escapeId(c)).join(', ')}) VALUES `
    for (let start = 0; start < rows.length; start += BATCH_ROWS) {
      const values: string[] = []
      for (const row of rows.slice(start, start + BATCH_ROWS)) {
        values.push(`(${columns.map((column) => escapeValue(row[column] ?? null)).join(',')})`)
      }
      await this.connection.query(head + values.join(','))
    }
  }
}

function escapeValue(value: string | number | null): string {
  if (value === null) return 'NULL'
  if (typeof value === 'number') return String(value)
  return mysql.escape(value)
}

/** Column names per prefixed table, read back from the DDL the schema builder writes. */
export function tableColumns(version: PrestaShopVersion, prefix = 'ps_'): Map<string, string[]> {
  const result = new Map<string, string[]>()
  for (const statement of prestaShopDdl({ version, prefix })) {
    const name = /CREATE TABLE `([^`]+)`/.exec(statement)?.[1]
    if (name === undefined) continue
    const columns: string[] = []
    for (const line of statement.split('\n')) {
      const column = /^\s*`([^`]+)`\s/.exec(line)?.[1]
      if (column !== undefined) columns.push(column)
    }
    result.set(name, columns)
  }
  return result
}

const STAMP = '2024-01-15 10:00:00'
const ZERO_DATE = '0000-00-00 00:00:00'

async function loadStatic(builder: StoreBuilder, writer: TableWriter): Promise<void> {
  const b = builder
  const shopIds = b.shops.map((s) => s.id)
  const groupIds = [...new Set(b.shops.map((s) => s.groupId))]

  await writer.insert(
    'configuration',
    b.config.map((row) => ({
      id_configuration: row.id,
      id_shop_group: row.shopGroupId,
      id_shop: row.shopId,
      name: row.name,
      value: row.value,
      date_add: STAMP,
      date_upd: STAMP,
    })),
  )
  await writer.insert(
    'configuration_lang',
    b.configLang.map((row) => ({
      id_configuration: row.configId,
      id_lang: row.langId,
      value: row.value,
      date_upd: STAMP,
    })),
  )
  await writer.insert(
    'shop_group',
    groupIds.map((id) => ({
      id_shop_group: id,
      name: id === 1 ? 'Default' : `Group ${id}`,
      color: '',
      share_customer: 0,
      share_order: 0,
      // Group 2 (the Outlet) shares its stock: one stock_available row with id_shop 0.
      share_stock: id === 2 ? 1 : 0,
      active: 1,
      deleted: 0,
    })),
  )
  await writer.insert(
    'shop',
    b.shops.map((shop) => ({
      id_shop: shop.id,
      id_shop_group: shop.groupId,
      name: shop.name,
      color: shop.color,
      id_category: HOME_CATEGORY_ID,
      id_theme: 1,
      theme_name: 'classic',
      active: 1,
      deleted: 0,
    })),
  )
  const urls: Row[] = []
  for (const shop of b.shops) {
    urls.push({
      id_shop_url: urls.length + 1,
      id_shop: shop.id,
      domain: shop.domain,
      domain_ssl: shop.domainSsl,
      physical_uri: shop.physicalUri,
      virtual_uri: shop.virtualUri,
      main: 1,
      active: 1,
    })
    // An old alias: not main, so never the base URL.
    urls.push({
      id_shop_url: urls.length + 1,
      id_shop: shop.id,
      domain: `old-${shop.id}.example.test`,
      domain_ssl: `old-${shop.id}.example.test`,
      physical_uri: '/legacy/',
      virtual_uri: '',
      main: 0,
      active: 0,
    })
  }
  await writer.insert('shop_url', urls)
  await writer.insert(
    'lang',
    b.languages.map((language) => {
      const def = LANGUAGE_DEFS[language.iso]
      return {
        id_lang: language.id,
        name: def.name,
        active: language.active ? 1 : 0,
        iso_code: def.iso,
        language_code: def.languageCode,
        locale: def.locale,
        date_format_lite: def.dateFormatLite,
        date_format_full: def.dateFormatFull,
        is_rtl: 0,
      }
    }),
  )
  await writer.insert(
    'lang_shop',
    b.shops.flatMap((shop) =>
      shop.languageIds.map((langId) => ({ id_lang: langId, id_shop: shop.id })),
    ),
  )
  await writer.insert(
    'currency',
    b.currencies.map((currency) => {
      const def = CURRENCY_DEFS[currency.iso]
      return {
        id_currency: currency.id,
        name: def.names.en,
        iso_code: currency.iso,
        iso_code_num: def.numericIso,
        numeric_iso_code: def.numericIso,
        sign: def.sign,
        blank: 1,
        format: currency.iso === 'EUR' ? 2 : 1,
        decimals: currency.precision > 0 ? 1 : 0,
        precision: currency.precision,
        conversion_rate: formatMicro(currency.rateMicro),
        deleted: currency.deleted ? 1 : 0,
        active: currency.active ? 1 : 0,
        unofficial: 0,
        modified: 0,
      }
    }),
  )
  await writer.insert(
    'currency_lang',
    b.currencies.flatMap((currency) =>
      b.languages.map((language) => ({
        id_currency: currency.id,
        id_lang: language.id,
        name: textIn(currency.names, language.iso),
        symbol: CURRENCY_DEFS[currency.iso].sign,
        pattern: '',
      })),
    ),
  )
  await writer.insert(
    'currency_shop',
    b.currencies.flatMap((currency) =>
      // Per-shop rates are relative to that shop's default currency.
      shopIds.map((shopId) => ({
        id_currency: currency.id,
        id_shop: shopId,
        conversion_rate: formatMicro(
          Math.round(
            (currency.rateMicro * 1_000_000) /
              b.currency(b.shopDefaultCurrencyId(shopId)).rateMicro,
          ),
        ),
      })),
    ),
  )
  await writer.insert(
    'order_state',
    b.states.map((state) => ({
      id_order_state: state.id,
      invoice: state.invoice ? 1 : 0,
      send_email: state.sendEmail ? 1 : 0,
      module_name: state.moduleName,
      color: state.color,
      unremovable: Object.values(b.customStateIds).includes(state.id) ? 0 : 1,
      hidden: state.hidden ? 1 : 0,
      logable: state.logable ? 1 : 0,
      delivery: state.delivery ? 1 : 0,
      shipped: state.shipped ? 1 : 0,
      paid: state.paid ? 1 : 0,
      pdf_invoice: state.pdfInvoice ? 1 : 0,
      pdf_delivery: state.pdfDelivery ? 1 : 0,
      deleted: state.deleted ? 1 : 0,
    })),
  )
  await writer.insert(
    'order_state_lang',
    b.states.flatMap((state) =>
      [...state.names.entries()].map(([langId, name]) => ({
        id_order_state: state.id,
        id_lang: langId,
        name,
        template: state.template,
      })),
    ),
  )
  await writer.insert(
    'manufacturer',
    MANUFACTURERS.map((m) => ({
      id_manufacturer: m.id,
      name: m.name,
      date_add: STAMP,
      date_upd: STAMP,
      active: 1,
    })),
  )

  // Categories with a consistent nested set, as PrestaShop maintains it.
  const children = new Map<number, number[]>()
  for (const category of CATEGORIES) {
    const list = children.get(category.parentId) ?? []
    list.push(category.id)
    children.set(category.parentId, list)
  }
  const nested = new Map<number, { left: number; right: number; depth: number }>()
  let counter = 1
  const walk = (id: number, depth: number): void => {
    const left = counter++
    for (const child of children.get(id) ?? []) walk(child, depth + 1)
    nested.set(id, { left, right: counter++, depth })
  }
  walk(1, 0)
  await writer.insert(
    'category',
    CATEGORIES.map((category, index) => ({
      id_category: category.id,
      id_parent: category.parentId,
      id_shop_default: 1,
      level_depth: nested.get(category.id)?.depth ?? 0,
      nleft: nested.get(category.id)?.left ?? 0,
      nright: nested.get(category.id)?.right ?? 0,
      active: 1,
      date_add: STAMP,
      date_upd: STAMP,
      position: index,
      is_root_category: category.id === HOME_CATEGORY_ID ? 1 : 0,
    })),
  )
  await writer.insert(
    'category_lang',
    CATEGORIES.flatMap((category) =>
      shopIds.flatMap((shopId) =>
        b.languages.map((language) => ({
          id_category: category.id,
          id_shop: shopId,
          id_lang: language.id,
          name: b.categoryName(category.id, shopId, language.iso),
          description: '',
          additional_description: '',
          link_rewrite: textIn(category.rewrites, language.iso),
          meta_title: '',
          meta_keywords: '',
          meta_description: '',
        })),
      ),
    ),
  )
  await writer.insert(
    'category_shop',
    CATEGORIES.flatMap((category, index) =>
      shopIds.map((shopId) => ({ id_category: category.id, id_shop: shopId, position: index })),
    ),
  )

  const productRows: Row[] = []
  const productShopRows: Row[] = []
  const productLangRows: Row[] = []
  const attributeRows: Row[] = []
  const categoryProductRows: Row[] = []
  const imageRows: Row[] = []
  const imageShopRows: Row[] = []
  const imageLangRows: Row[] = []
  const attributeImageRows: Row[] = []
  const stockRows: Row[] = []
  // Shops of groups that do not share stock have their own rows; a sharing group has one.
  const stockScopes = [
    ...b.shops.filter((shop) => shop.groupId !== 2).map((shop) => ({ shop: shop.id, group: 0 })),
    ...(b.shops.some((shop) => shop.groupId === 2) ? [{ shop: 0, group: 2 }] : []),
  ]
  for (const product of b.products) {
    const stock = product.stock ?? DEFAULT_STOCK
    const combinations = product.combinations ?? []
    const parts: [number, number][] = [
      [0, stock],
      // Every combination's share, the remainder on the first: they add up to the product's.
      ...combinations.map((c, index): [number, number] => [
        c.id,
        Math.floor(stock / combinations.length) + (index === 0 ? stock % combinations.length : 0),
      ]),
    ]
    for (const scope of stockScopes) {
      for (const [attributeId, quantity] of parts) {
        stockRows.push({
          id_stock_available: stockRows.length + 1,
          id_product: product.id,
          id_product_attribute: attributeId,
          id_shop: scope.shop,
          id_shop_group: scope.group,
          quantity,
          physical_quantity: quantity,
          reserved_quantity: 0,
          depends_on_stock: 0,
          out_of_stock: 2,
          location: '',
        })
      }
    }
  }
  for (const product of b.products) {
    const price = formatMicro(product.priceCents * 10_000)
    productRows.push({
      id_product: product.id,
      id_supplier: 0,
      id_manufacturer: product.manufacturerId,
      id_category_default: product.categoryId,
      id_shop_default: 1,
      id_tax_rules_group: product.taxRulesGroupId ?? 1,
      ean13: product.ean13,
      isbn: null,
      upc: '',
      mpn: null,
      quantity: product.stock ?? DEFAULT_STOCK,
      price,
      wholesale_price: '0.000000',
      reference: product.reference,
      supplier_reference: '',
      weight: '0.300000',
      active: product.inactive === true ? 0 : 1,
      redirect_type: b.is16 ? '' : '404',
      visibility: 'both',
      cache_default_attribute: product.combinations?.[0]?.id ?? 0,
      date_add: STAMP,
      date_upd: STAMP,
      state: 1,
      product_type: product.combinations === undefined ? 'standard' : 'combinations',
    })
    for (const shop of b.shops) {
      productShopRows.push({
        id_product: product.id,
        id_shop: shop.id,
        id_category_default: b.productCategoryId(product, shop.id),
        id_tax_rules_group: product.taxRulesGroupId ?? 1,
        price,
        wholesale_price: '0.000000',
        active: product.inactive === true ? 0 : 1,
        redirect_type: '',
        visibility: 'both',
        cache_default_attribute: product.combinations?.[0]?.id ?? 0,
        date_add: STAMP,
        date_upd: STAMP,
      })
      for (const language of b.languages) {
        productLangRows.push({
          id_product: product.id,
          id_shop: shop.id,
          id_lang: language.id,
          description: '<p>Description</p>',
          description_short: '',
          link_rewrite: textIn(product.rewrites, language.iso),
          meta_description: '',
          meta_keywords: '',
          meta_title: '',
          name: b.productName(product, shop.id, language.iso),
          available_now: '',
          available_later: '',
          delivery_in_stock: '',
          delivery_out_stock: '',
        })
      }
    }
    const categories = new Set([
      product.categoryId,
      HOME_CATEGORY_ID,
      ...(product.otherShopCategoryId === undefined ? [] : [product.otherShopCategoryId]),
    ])
    for (const categoryId of categories) {
      categoryProductRows.push({
        id_category: categoryId,
        id_product: product.id,
        position: product.id,
      })
    }
    for (const [index, combination] of (product.combinations ?? []).entries()) {
      attributeRows.push({
        id_product_attribute: combination.id,
        id_product: product.id,
        reference: combination.reference,
        supplier_reference: '',
        ean13: '',
        isbn: '',
        upc: '',
        mpn: '',
        wholesale_price: '0.000000',
        price: '0.000000',
        quantity: 10,
        weight: '0.000000',
        default_on: index === 0 ? 1 : null,
        minimal_quantity: 1,
      })
      const images = b.images.get(product.id) ?? []
      for (const imageIndex of combination.images) {
        const image = images[imageIndex]
        if (image !== undefined)
          attributeImageRows.push({ id_product_attribute: combination.id, id_image: image.id })
      }
      if (combination.danglingImageLink === true) {
        attributeImageRows.push({ id_product_attribute: combination.id, id_image: 0 })
      }
    }
    for (const image of b.images.get(product.id) ?? []) {
      imageRows.push({
        id_image: image.id,
        id_product: product.id,
        position: image.position,
        cover: image.cover ? 1 : null,
      })
      for (const shop of b.shops) {
        if (!b.hasImageShopRows(product, shop.id)) continue
        const coverId = b.shopCoverImageId(product, shop.id)
        imageShopRows.push({
          id_product: product.id,
          id_image: image.id,
          id_shop: shop.id,
          cover: image.id === coverId ? 1 : null,
        })
      }
      for (const language of b.languages) {
        imageLangRows.push({
          id_image: image.id,
          id_lang: language.id,
          legend: b.productName(product, 1, language.iso),
        })
      }
    }
  }
  await writer.insert('product', productRows)
  await writer.insert('product_shop', productShopRows)
  await writer.insert('product_lang', productLangRows)
  await writer.insert('product_attribute', attributeRows)
  await writer.insert('category_product', categoryProductRows)
  await writer.insert('image', imageRows)
  await writer.insert('image_shop', imageShopRows)
  await writer.insert('image_lang', imageLangRows)
  await writer.insert('product_attribute_image', attributeImageRows)
  await writer.insert('stock_available', stockRows)
  await writer.insert(
    'tax',
    TAXES.map((tax) => ({ id_tax: tax.id, rate: tax.rate, active: 1, deleted: 0 })),
  )
  await writer.insert(
    'tax_rules_group',
    TAX_RULES_GROUPS.map((group) => ({
      id_tax_rules_group: group.id,
      name: group.name,
      active: group.active ? 1 : 0,
      deleted: 0,
      date_add: STAMP,
      date_upd: STAMP,
    })),
  )
  await writer.insert(
    'tax_rule',
    TAX_RULES.map((rule) => ({
      id_tax_rule: rule.id,
      id_tax_rules_group: rule.groupId,
      id_country: rule.countryId,
      id_state: rule.stateId,
      zipcode_from: rule.zipcodeFrom,
      zipcode_to: rule.zipcodeTo,
      id_tax: rule.taxId,
      behavior: 0,
      description: '',
    })),
  )
  await writer.insert(
    'image_type',
    b.imageTypes.map((type, index) => ({
      id_image_type: index + 1,
      name: type.name,
      width: type.width,
      height: type.height,
      products: type.products,
      categories: type.products === 1 ? 0 : 1,
      manufacturers: 0,
      suppliers: 0,
      scenes: 0,
      stores: type.name === 'stores_default' ? 1 : 0,
    })),
  )
}

function poolLimit(conn: Queryable): number {
  if (!('getConnection' in conn)) return 1
  // mysql2's promise pool wraps the callback pool, which holds the configured limit.
  const inner = (conn as unknown as { pool?: { config?: { connectionLimit?: number } } }).pool
  return inner?.config?.connectionLimit ?? 1
}

/** Nested sessions, one per connection, all with the same settings. */
async function withSessions<T>(
  conn: Queryable,
  count: number,
  work: (connections: (Connection | PoolConnection)[]) => Promise<T>,
): Promise<T> {
  const taken: (Connection | PoolConnection)[] = []
  const next = async (): Promise<T> => {
    if (taken.length >= count || (taken.length > 0 && !('getConnection' in conn)))
      return work(taken)
    return withPrestaShopSession(conn, async (connection) => {
      taken.push(connection)
      return next()
    })
  }
  return next()
}

function customerRow(customer: CustomerModel): Row {
  return {
    id_customer: customer.id,
    id_shop_group: customer.groupId,
    id_shop: customer.shopId,
    id_gender: 1,
    id_default_group: customer.isGuest ? 2 : 3,
    id_lang: 1,
    id_risk: 0,
    company: null,
    firstname: customer.firstname,
    lastname: customer.lastname,
    email: customer.email,
    passwd: customer.isGuest ? '' : '$2y$10$abcdefghijklmnopqrstuv',
    last_passwd_gen: customer.dateAdd,
    birthday: null,
    newsletter: 0,
    newsletter_date_add: null,
    optin: 0,
    secure_key: 'd41d8cd98f00b204e9800998ecf8427e',
    note: null,
    active: customer.deleted ? 0 : 1,
    is_guest: customer.isGuest ? 1 : 0,
    deleted: customer.deleted ? 1 : 0,
    date_add: customer.dateAdd,
    date_upd: customer.dateAdd,
    reset_password_token: null,
    reset_password_validity: null,
  }
}

function orderRows(
  builder: StoreBuilder,
  order: OrderModel,
): { order: Row; lines: Row[]; history: Row[]; rules: Row[] } {
  const state = builder.states.find((s) => s.id === order.stateId)
  const productsIncl = order.lines.reduce(
    (sum, line) => sum + line.unitInclMicro * line.quantity,
    0,
  )
  const productsExcl = order.lines.reduce(
    (sum, line) => sum + line.unitExclMicro * line.quantity,
    0,
  )
  const shippingExcl = withoutTax(order.shippingInclMicro)
  const row: Row = {
    id_order: order.id,
    reference: order.reference,
    id_shop_group: order.groupId,
    id_shop: order.shopId,
    id_carrier: 1 + (order.id % 2),
    id_lang: order.langId,
    id_customer: order.customerId,
    id_cart: order.cartId,
    id_currency: order.currencyId,
    id_address_delivery: order.customerId,
    id_address_invoice: order.customerId,
    current_state: order.stateId,
    secure_key: 'b44a6d9efd7a0076a0fbce6b15eaf3b1',
    payment: order.payment,
    conversion_rate: formatMicro(order.conversionRateMicro),
    module: order.module,
    recyclable: 0,
    gift: 0,
    gift_message: '',
    mobile_theme: 0,
    shipping_number: '',
    total_discounts: formatMicro(order.discountsInclMicro),
    total_discounts_tax_incl: formatMicro(order.discountsInclMicro),
    total_discounts_tax_excl: formatMicro(order.discountsExclMicro),
    total_paid: formatMicro(order.totalPaidInclMicro),
    total_paid_tax_incl: formatMicro(order.totalPaidInclMicro),
    total_paid_tax_excl: formatMicro(order.totalPaidExclMicro),
    total_paid_real: state?.paid === true ? formatMicro(order.totalPaidInclMicro) : '0.000000',
    total_products: formatMicro(productsExcl),
    total_products_wt: formatMicro(productsIncl),
    total_shipping: formatMicro(order.shippingInclMicro),
    total_shipping_tax_incl: formatMicro(order.shippingInclMicro),
    total_shipping_tax_excl: formatMicro(shippingExcl),
    carrier_tax_rate: '21.000',
    total_wrapping: '0.000000',
    total_wrapping_tax_incl: '0.000000',
    total_wrapping_tax_excl: '0.000000',
    round_mode: 2,
    round_type: 2,
    invoice_number: state?.invoice === true ? order.id : 0,
    delivery_number: 0,
    invoice_date: state?.invoice === true ? order.placedAt : ZERO_DATE,
    delivery_date: ZERO_DATE,
    valid: state?.logable === true ? 1 : 0,
    date_add: order.placedAt,
    date_upd: order.placedAt,
    note: null,
  }
  const lines: Row[] = order.lines.map((line) => ({
    id_order_detail: line.id,
    id_order: order.id,
    id_order_invoice: 0,
    id_warehouse: 0,
    id_shop: order.shopId,
    product_id: line.productId,
    product_attribute_id: line.attributeId,
    id_customization: 0,
    product_name: line.name,
    product_quantity: line.quantity,
    product_quantity_in_stock: line.quantity,
    product_quantity_refunded: 0,
    product_quantity_return: 0,
    product_quantity_reinjected: 0,
    product_price: formatMicro(withoutTax(line.basePriceMicro)),
    reduction_percent: line.reductionPercent.toFixed(2),
    reduction_amount: '0.000000',
    reduction_amount_tax_incl: '0.000000',
    reduction_amount_tax_excl: '0.000000',
    group_reduction: '0.00',
    product_quantity_discount: '0.000000',
    product_ean13: line.ean13,
    product_isbn: null,
    product_upc: '',
    product_mpn: null,
    product_reference: line.productReference,
    product_supplier_reference: '',
    product_weight: '0.300000',
    id_tax_rules_group: 1,
    tax_computation_method: 0,
    tax_name: 'IVA ES 21%',
    tax_rate: '21.000',
    ecotax: '0.000000',
    ecotax_tax_rate: '0.000',
    discount_quantity_applied: 0,
    download_hash: '',
    download_nb: 0,
    download_deadline: null,
    total_price_tax_incl: formatMicro(line.unitInclMicro * line.quantity),
    total_price_tax_excl: formatMicro(line.unitExclMicro * line.quantity),
    unit_price_tax_incl: formatMicro(line.unitInclMicro),
    unit_price_tax_excl: formatMicro(line.unitExclMicro),
    total_shipping_price_tax_incl: '0.000000',
    total_shipping_price_tax_excl: '0.000000',
    total_refunded_tax_excl: '0.000000',
    total_refunded_tax_incl: '0.000000',
    purchase_supplier_price: '0.000000',
    original_product_price: formatMicro(withoutTax(line.basePriceMicro)),
    original_wholesale_price: '0.000000',
  }))
  const history: Row[] = order.history.map((entry) => ({
    id_order_history: entry.id,
    id_employee: 0,
    id_order: order.id,
    id_order_state: entry.stateId,
    date_add: entry.date,
  }))
  const rules: Row[] = order.cartRules.map((rule) => ({
    id_order_cart_rule: rule.id,
    id_order: order.id,
    id_cart_rule: rule.cartRuleId,
    id_order_invoice: 0,
    name: rule.name,
    value: formatMicro(rule.valueMicro),
    value_tax_excl: formatMicro(rule.valueExclMicro),
    free_shipping: rule.freeShipping ? 1 : 0,
    deleted: 0,
  }))
  return { order: row, lines, history, rules }
}

// ---------------------------------------------------------------------------------------------
// The fixture

function matchesRange(placedAt: string, range: DateRange): boolean {
  return placedAt >= `${range.from} 00:00:00` && placedAt <= `${range.to} 23:59:59`
}

export function generateStore(options: StoreGeneratorOptions): StoreFixture {
  const builder = new StoreBuilder(options)
  const b = builder

  const model: StoreModel = {
    version: b.version,
    family: familyOf(b.version),
    prefix: b.prefix,
    seed: b.seed,
    utf8mb4: b.mb4,
    orderCount: b.orderCount,
    customerCount: b.customerCount,
    dateWindow: b.window,
    friendlyUrls: b.friendlyUrls,
    ssl: b.ssl,
    imageTypeName: b.imageTypeName,
    languages: b.languages,
    shops: b.shops,
    currencies: b.currencies,
    states: b.states,
    config: b.config,
    stateKeys: b.stateKeys,
    customStateIds: b.customStateIds,
    defaultShopId: 1,
    defaultLanguageId: Number(b.globalConfig('PS_LANG_DEFAULT') ?? '1'),
    defaultCurrencyId: Number(b.globalConfig('PS_CURRENCY_DEFAULT') ?? '1'),
    multistore: b.multistore(),
    specialOrders: b.specialOrders,
    productIds: PRODUCTS.map((p) => p.id),
    deletedProductIds: DELETED_PRODUCTS.map((p) => p.id),
    missingCustomerIds: [1, 2, 3, 4, 5].map((k) => b.customerCount + k),
  }

  function* orderModels(): Generator<OrderModel> {
    for (let id = 1; id <= b.orderCount; id++) yield b.order(id)
  }

  const fixture: StoreFixture = {
    options: {
      version: b.version,
      prefix: b.prefix,
      seed: b.seed,
      orderCount: b.orderCount,
      chronological: b.chronological,
      linesPerOrder: b.linesPerOrder,
      dateWindow: b.window,
      shops: b.shops.length,
      languages: b.languages.map((l) => l.iso),
      inactiveLanguage: options.inactiveLanguage,
      currencies: b.currencies.map((c) => c.iso),
      friendlyUrls: b.friendlyUrls,
      ssl: b.ssl,
      timezone: b.timezone,
      shopTimezones: b.shopTimezones,
      multistore: options.multistore,
      imageTypes: options.imageTypes ?? 'standard',
      edgeCases: options.edgeCases ?? true,
      customerCount: b.customerCount,
    },
    model,

    async load(conn: Queryable, loadOptions: LoadOptions = {}): Promise<void> {
      const parallel = Math.max(1, Math.min(3, loadOptions.connections ?? poolLimit(conn)))
      await withSessions(conn, parallel, async (connections) => {
        const writers = connections.map((c) => new TableWriter(c, b.prefix, b.version))
        const writer = (index: number): TableWriter => {
          const chosen = writers[index % writers.length]
          if (chosen === undefined) throw new Error('no connection')
          return chosen
        }
        await loadStatic(b, writer(0))
        for (let start = 1; start <= b.customerCount; start += BATCH_ROWS) {
          const rows: Row[] = []
          for (let id = start; id < start + BATCH_ROWS && id <= b.customerCount; id++) {
            const customer = b.customer(id)
            if (customer !== null) rows.push(customerRow(customer))
          }
          await writer(0).insert('customer', rows)
        }
        // Generate the next chunk while the previous one is being written, each table on its own
        // connection when there are several: 100,000 orders load in well under a minute.
        let pending: Promise<unknown> = Promise.resolve()
        for (let start = 1; start <= b.orderCount; start += BATCH_ROWS) {
          const orders: Row[] = []
          const lines: Row[] = []
          const history: Row[] = []
          const rules: Row[] = []
          for (let id = start; id < start + BATCH_ROWS && id <= b.orderCount; id++) {
            const rows = orderRows(b, b.order(id))
            orders.push(rows.order)
            for (const line of rows.lines) lines.push(line)
            for (const entry of rows.history) history.push(entry)
            for (const rule of rows.rules) rules.push(rule)
          }
          await pending
          const loaded = Math.min(b.orderCount, start + BATCH_ROWS - 1)
          pending = Promise.all([
            writer(0).insert('orders', orders),
            writer(1).insert('order_detail', lines),
            writer(2)
              .insert('order_history', history)
              .then(() => writer(2).insert('order_cart_rule', rules)),
          ]).then(() => loadOptions.onProgress?.(loaded, b.orderCount))
          // Writers sharing one connection must not interleave statements of different chunks.
          if (writers.length === 1) await pending
        }
        await pending
      })
    },

    expectedOrders(filter?: OrderFilter): StoreOrder[] {
      const result: StoreOrder[] = []
      const shopIds =
        filter?.shopIds !== undefined && filter.shopIds.length > 0 ? new Set(filter.shopIds) : null
      const stateIds = filter === undefined ? null : new Set(filter.stateIds)
      for (const order of orderModels()) {
        if (filter !== undefined && !matchesRange(order.placedAt, filter.range)) continue
        if (stateIds !== null && !stateIds.has(order.stateId)) continue
        if (shopIds !== null && !shopIds.has(order.shopId)) continue
        result.push(b.storeOrder(order))
      }
      return result.sort((x, y) =>
        x.placedAt < y.placedAt ? -1 : x.placedAt > y.placedAt ? 1 : x.id - y.id,
      )
    },

    *orders(): Generator<StoreOrder> {
      for (const order of orderModels()) yield b.storeOrder(order)
    },

    expectedCounts(filter: OrderCountFilter): OrderCounts {
      const shopIds =
        filter.shopIds !== undefined && filter.shopIds.length > 0 ? new Set(filter.shopIds) : null
      const byState: Record<number, number> = {}
      const byShop: Record<number, number> = {}
      const groups = new Map<string, OrderCountGroup>()
      let total = 0
      for (const order of orderModels()) {
        if (!matchesRange(order.placedAt, filter.range)) continue
        if (shopIds !== null && !shopIds.has(order.shopId)) continue
        total++
        byState[order.stateId] = (byState[order.stateId] ?? 0) + 1
        byShop[order.shopId] = (byShop[order.shopId] ?? 0) + 1
        const key = [order.stateId, order.shopId, order.langId, order.currencyId].join(':')
        const group = groups.get(key)
        groups.set(key, {
          stateId: order.stateId,
          shopId: order.shopId,
          languageId: order.langId,
          currencyId: order.currencyId,
          orders: (group?.orders ?? 0) + 1,
        })
      }
      const sorted = [...groups.values()].sort(
        (x, y) =>
          x.stateId - y.stateId ||
          x.shopId - y.shopId ||
          x.languageId - y.languageId ||
          x.currencyId - y.currencyId,
      )
      return { total, byState, byShop, groups: sorted }
    },

    expectedStates(languageId?: number): OrderStateInfo[] {
      return b.states.map((state) => b.stateInfo(state, languageId)).sort((x, y) => x.id - y.id)
    },

    expectedOverview(shopIds?: readonly number[]): StoreOverview {
      const selected =
        shopIds !== undefined && shopIds.length > 0
          ? b.shops.filter((s) => shopIds.includes(s.id))
          : b.shops
      return {
        version: { raw: b.version, family: familyOf(b.version) },
        shops: b.shops.map((shop) => b.shopInfo(shop)),
        languages: b.languages.map((language) => b.languageInfo(language)),
        currencies: b.currencies.map((currency) => b.currencyInfo(currency)),
        defaultShopId: 1,
        defaultLanguageId: model.defaultLanguageId,
        defaultCurrencyId: model.defaultCurrencyId,
        multilingual: selected.some((shop) => b.shopMultilingual(shop.id)),
        multistore: b.multistore(),
      }
    },

    expectedRowCounts(): Record<string, number> {
      let orders = 0
      let lines = 0
      let history = 0
      let rules = 0
      for (const order of orderModels()) {
        orders++
        lines += order.lines.length
        history += order.history.length
        rules += order.cartRules.length
      }
      return {
        orders,
        order_detail: lines,
        order_history: history,
        order_cart_rule: rules,
        customer: b.customerCount,
      }
    },
  }
  return fixture
}

/** `generateStore` with a named scenario's switches under your own. */
export function generateScenario(name: ScenarioName, options: StoreGeneratorOptions): StoreFixture {
  return generateStore({ ...(SCENARIOS[name] as Partial<StoreGeneratorOptions>), ...options })
}
