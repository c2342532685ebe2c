/**
 * Static reference data the store generator builds its shops from: PrestaShop's default order
 * states per version, languages, currencies, image types, and a small catalogue written to hit
 * the reader's edge cases (accents, formula-like names, emoji, products in Home only, a missing
 * manufacturer, per-shop covers and categories, combinations with images).
 */

export type LanguageIso = 'en' | 'es' | 'fr'
export type CurrencyIso = 'EUR' | 'USD' | 'JPY' | 'GBP'

/** Text per language; `en` doubles as the fallback for a language a text does not have. */
export type Texts = Readonly<Partial<Record<LanguageIso, string>>> & { readonly en: string }

export function textIn(texts: Texts, iso: LanguageIso): string {
  return texts[iso] ?? texts.en
}

export interface LanguageDef {
  readonly iso: LanguageIso
  readonly name: string
  readonly languageCode: string
  readonly locale: string
  readonly dateFormatLite: string
  readonly dateFormatFull: string
}

export const LANGUAGE_DEFS: Readonly<Record<LanguageIso, LanguageDef>> = {
  en: {
    iso: 'en',
    name: 'English (English)',
    languageCode: 'en-us',
    locale: 'en-US',
    dateFormatLite: 'm/d/Y',
    dateFormatFull: 'm/d/Y H:i:s',
  },
  es: {
    iso: 'es',
    name: 'Español (Spanish)',
    languageCode: 'es-es',
    locale: 'es-ES',
    dateFormatLite: 'd/m/Y',
    dateFormatFull: 'd/m/Y H:i:s',
  },
  fr: {
    iso: 'fr',
    name: 'Français (French)',
    languageCode: 'fr-fr',
    locale: 'fr-FR',
    dateFormatLite: 'd/m/Y',
    dateFormatFull: 'd/m/Y H:i:s',
  },
}

export interface CurrencyDef {
  readonly iso: CurrencyIso
  readonly numericIso: string
  readonly names: Texts
  readonly sign: string
  /** Rate against EUR, in millionths (`currency.conversion_rate` is decimal(13,6)). */
  readonly rateMicro: number
  readonly precision: number
  readonly active: boolean
  readonly deleted: boolean
}

export const CURRENCY_DEFS: Readonly<Record<CurrencyIso, CurrencyDef>> = {
  EUR: {
    iso: 'EUR',
    numericIso: '978',
    names: { en: 'Euro', es: 'Euro', fr: 'Euro' },
    sign: '€',
    rateMicro: 1_000_000,
    precision: 2,
    active: true,
    deleted: false,
  },
  USD: {
    iso: 'USD',
    numericIso: '840',
    names: { en: 'US Dollar', es: 'Dólar estadounidense', fr: 'Dollar des États-Unis' },
    sign: '$',
    rateMicro: 1_083_400,
    precision: 2,
    active: true,
    deleted: false,
  },
  JPY: {
    iso: 'JPY',
    numericIso: '392',
    names: { en: 'Japanese Yen', es: 'Yen japonés', fr: 'Yen japonais' },
    sign: '¥',
    rateMicro: 162_450_000,
    precision: 0,
    active: true,
    deleted: false,
  },
  // Deleted after some orders were paid in it: the reader must still resolve those orders.
  GBP: {
    iso: 'GBP',
    numericIso: '826',
    names: { en: 'British Pound', es: 'Libra esterlina', fr: 'Livre sterling' },
    sign: '£',
    rateMicro: 842_100,
    precision: 2,
    active: false,
    deleted: true,
  },
}

// ---------------------------------------------------------------------------------------------
// Order states

export interface StateFlags {
  readonly invoice: 0 | 1
  readonly sendEmail: 0 | 1
  readonly hidden: 0 | 1
  readonly logable: 0 | 1
  readonly delivery: 0 | 1
  readonly shipped: 0 | 1
  readonly paid: 0 | 1
  readonly pdfInvoice: 0 | 1
  readonly pdfDelivery: 0 | 1
}

export interface DefaultStateDef extends StateFlags {
  /** PS_OS_* keys that point at this state. */
  readonly keys: readonly string[]
  readonly xmlId: string
  readonly module16: string | null
  readonly module17: string | null
  readonly color16: string
  readonly color17: string
  readonly template: string
  readonly names: Texts
  /** Only in 1.6. */
  readonly only16?: boolean
}

function flags(
  invoice: 0 | 1,
  sendEmail: 0 | 1,
  logable: 0 | 1,
  delivery: 0 | 1,
  shipped: 0 | 1,
  paid: 0 | 1,
  pdfInvoice: 0 | 1 = 0,
): StateFlags {
  return {
    invoice,
    sendEmail,
    hidden: 0,
    logable,
    delivery,
    shipped,
    paid,
    pdfInvoice,
    pdfDelivery: 0,
  }
}

/**
 * In install order: ids are assigned by position, so 1.6 (with "Awaiting PayPal payment" as its
 * 11th state) numbers the last three states one higher than 1.7+ (prestashop.md §1.5). Spanish and
 * French names are the ones 1.6 ships; 1.7+ translates at install time from language packs, and
 * the tests only need the names to differ per language.
 */
export const DEFAULT_STATES: readonly DefaultStateDef[] = [
  {
    keys: ['PS_OS_CHEQUE'],
    xmlId: 'Awaiting_cheque_payment',
    module16: 'cheque',
    module17: 'ps_checkpayment',
    color16: '#4169E1',
    color17: '#34209E',
    template: 'cheque',
    names: {
      en: 'Awaiting check payment',
      es: 'Pago mediante cheque pendiente',
      fr: 'En attente de paiement par chèque',
    },
    ...flags(0, 1, 0, 0, 0, 0),
  },
  {
    keys: ['PS_OS_PAYMENT'],
    xmlId: 'Payment_accepted',
    module16: null,
    module17: null,
    color16: '#32CD32',
    color17: '#3498D8',
    template: 'payment',
    names: { en: 'Payment accepted', es: 'Pago aceptado', fr: 'Paiement accepté' },
    ...flags(1, 1, 1, 0, 0, 1, 1),
  },
  {
    keys: ['PS_OS_PREPARATION'],
    xmlId: 'Preparation_in_progress',
    module16: null,
    module17: null,
    color16: '#FF8C00',
    color17: '#3498D8',
    template: 'preparation',
    names: {
      en: 'Processing in progress',
      es: 'Preparación en proceso',
      fr: 'En cours de préparation',
    },
    ...flags(1, 1, 1, 1, 0, 1),
  },
  {
    keys: ['PS_OS_SHIPPING'],
    xmlId: 'Shipped',
    module16: null,
    module17: null,
    color16: '#8A2BE2',
    color17: '#01B887',
    template: 'shipped',
    names: { en: 'Shipped', es: 'Enviado', fr: 'Expédié' },
    ...flags(1, 1, 1, 1, 1, 1),
  },
  {
    keys: ['PS_OS_DELIVERED'],
    xmlId: 'Delivered',
    module16: null,
    module17: null,
    color16: '#108510',
    color17: '#01B887',
    template: '',
    names: { en: 'Delivered', es: 'Entregado', fr: 'Livré' },
    ...flags(1, 0, 1, 1, 1, 1),
  },
  {
    keys: ['PS_OS_CANCELED'],
    xmlId: 'Canceled',
    module16: null,
    module17: null,
    color16: '#DC143C',
    color17: '#2C3E50',
    template: 'order_canceled',
    names: { en: 'Canceled', es: 'Cancelado', fr: 'Annulé' },
    ...flags(0, 1, 0, 0, 0, 0),
  },
  {
    keys: ['PS_OS_REFUND'],
    xmlId: 'Refund',
    module16: null,
    module17: null,
    color16: '#ec2e15',
    color17: '#01B887',
    template: 'refund',
    names: { en: 'Refunded', es: 'Reembolso', fr: 'Remboursé' },
    ...flags(1, 1, 0, 0, 0, 0),
  },
  {
    keys: ['PS_OS_ERROR'],
    xmlId: 'Payment_error',
    module16: null,
    module17: null,
    color16: '#8f0621',
    color17: '#E74C3C',
    template: 'payment_error',
    names: { en: 'Payment error', es: 'Error en el pago', fr: 'Erreur de paiement' },
    ...flags(0, 1, 0, 0, 0, 0),
  },
  {
    keys: ['PS_OS_OUTOFSTOCK', 'PS_OS_OUTOFSTOCK_PAID'],
    xmlId: 'On_backorder_paid',
    module16: null,
    module17: null,
    color16: '#FF69B4',
    color17: '#3498D8',
    template: 'outofstock',
    names: {
      en: 'On backorder (paid)',
      es: 'Productos fuera de línea',
      fr: 'En attente de réapprovisionnement (payé)',
    },
    ...flags(1, 1, 0, 0, 0, 1),
  },
  {
    keys: ['PS_OS_BANKWIRE'],
    xmlId: 'Awaiting_bank_wire_payment',
    module16: 'bankwire',
    module17: 'ps_wirepayment',
    color16: '#4169E1',
    color17: '#34209E',
    template: 'bankwire',
    names: {
      en: 'Awaiting bank wire payment',
      es: 'Pago por transferencia bancaria pendiente',
      fr: 'En attente de virement bancaire',
    },
    ...flags(0, 1, 0, 0, 0, 0),
  },
  {
    keys: ['PS_OS_PAYPAL'],
    xmlId: 'Awaiting_PayPal_payment',
    module16: null,
    module17: null,
    color16: '#4169E1',
    color17: '#4169E1',
    template: '',
    names: {
      en: 'Awaiting PayPal payment',
      es: 'Pago mediante PayPal pendiente',
      fr: 'En attente de paiement PayPal',
    },
    ...flags(0, 0, 0, 0, 0, 0),
    only16: true,
  },
  {
    keys: ['PS_OS_WS_PAYMENT'],
    xmlId: 'Payment_remotely_accepted',
    module16: null,
    module17: null,
    color16: '#32CD32',
    color17: '#3498D8',
    template: 'payment',
    names: {
      en: 'Remote payment accepted',
      es: 'Pago a distancia aceptado',
      fr: 'Paiement à distance accepté',
    },
    ...flags(1, 1, 1, 0, 0, 1),
  },
  {
    keys: ['PS_OS_OUTOFSTOCK_UNPAID'],
    xmlId: 'On_backorder_unpaid',
    module16: null,
    module17: null,
    color16: '#FF69B4',
    color17: '#34209E',
    template: 'outofstock',
    // The Spanish pack really gives both backorder states the same name.
    names: {
      en: 'On backorder (not paid)',
      es: 'Productos fuera de línea',
      fr: 'En attente de réapprovisionnement (non payé)',
    },
    ...flags(0, 1, 0, 0, 0, 0),
  },
  {
    keys: ['PS_OS_COD_VALIDATION'],
    xmlId: 'Awaiting_cod_validation',
    module16: 'cashondelivery',
    module17: 'ps_cashondelivery',
    color16: '#4169E1',
    color17: '#34209E',
    template: 'cashondelivery',
    names: {
      en: 'Awaiting Cash On Delivery validation',
      es: 'Awaiting cod validation',
      fr: 'En attente de paiement à la livraison',
    },
    ...flags(0, 0, 0, 0, 0, 0),
  },
]

export interface CustomStateDef extends StateFlags {
  readonly key: string
  /** Offset after the last default state (id = defaults + offset). */
  readonly offset: number
  readonly moduleName: string | null
  /** Stored as is; null is a NULL column. */
  readonly color: string | null
  readonly deleted: 0 | 1
  /** Only the languages listed get a name row. 'last' = only the last configured language. */
  readonly names: Texts | 'last'
  readonly lastName?: string
}

/** States merchants and modules add after install, with the oddities real stores have. */
export const CUSTOM_STATES: readonly CustomStateDef[] = [
  {
    key: 'stripe_awaiting',
    offset: 1,
    moduleName: 'stripe_official',
    color: '#635BFF',
    deleted: 0,
    names: {
      en: 'Awaiting Stripe payment',
      es: 'Pago con Stripe pendiente',
      fr: 'En attente de paiement Stripe',
    },
    ...flags(0, 0, 0, 0, 0, 0),
  },
  {
    // A name in English only: other languages fall back (to the default language, then any).
    key: 'klarna_paid',
    offset: 2,
    moduleName: 'klarnapayment',
    color: '#ffb3c7',
    deleted: 0,
    names: { en: 'Paid with Klarna' },
    ...flags(1, 1, 1, 0, 0, 1),
  },
  {
    key: 'legacy_deleted',
    offset: 3,
    moduleName: null,
    color: null,
    deleted: 1,
    names: { en: 'Legacy state', es: 'Estado antiguo', fr: 'Ancien état' },
    ...flags(0, 0, 1, 0, 0, 1),
  },
  {
    // Offset 5 leaves a gap in the ids, as an uninstalled module leaves.
    key: 'partial_return',
    offset: 5,
    moduleName: null,
    color: '',
    deleted: 0,
    names: 'last',
    lastName: 'Retour partiel',
    ...flags(0, 0, 0, 0, 0, 0),
    hidden: 1,
  },
]

// ---------------------------------------------------------------------------------------------
// Image types

export interface ImageTypeDef {
  readonly name: string
  readonly width: number
  readonly height: number
  readonly products: 0 | 1
}

export type ImageTypeSet = 'standard' | 'no-large' | 'custom'

export function imageTypeDefs(is16: boolean, set: ImageTypeSet): ImageTypeDef[] {
  if (set === 'custom') {
    // A theme that renamed everything: the pick must be the largest type used for products,
    // not the wider banner, which is not a product type.
    return [
      { name: 'product_thumb', width: 120, height: 120, products: 1 },
      { name: 'product_zoom', width: 1600, height: 1600, products: 1 },
      { name: 'product_main', width: 1000, height: 1000, products: 1 },
      { name: 'category_banner', width: 2000, height: 400, products: 0 },
    ]
  }
  const types: ImageTypeDef[] = is16
    ? [
        { name: 'cart_default', width: 80, height: 80, products: 1 },
        { name: 'small_default', width: 98, height: 98, products: 1 },
        { name: 'medium_default', width: 125, height: 125, products: 1 },
        { name: 'home_default', width: 250, height: 250, products: 1 },
        { name: 'large_default', width: 458, height: 458, products: 1 },
        { name: 'thickbox_default', width: 800, height: 800, products: 1 },
        { name: 'category_default', width: 870, height: 217, products: 0 },
        { name: 'scene_default', width: 520, height: 189, products: 0 },
        { name: 'm_scene_default', width: 161, height: 58, products: 0 },
      ]
    : [
        { name: 'cart_default', width: 125, height: 125, products: 1 },
        { name: 'small_default', width: 98, height: 98, products: 1 },
        { name: 'medium_default', width: 452, height: 452, products: 1 },
        { name: 'home_default', width: 250, height: 250, products: 1 },
        { name: 'large_default', width: 800, height: 800, products: 1 },
        { name: 'category_default', width: 141, height: 180, products: 0 },
        { name: 'stores_default', width: 170, height: 115, products: 0 },
      ]
  return set === 'no-large' ? types.filter((type) => type.name !== 'large_default') : types
}

// ---------------------------------------------------------------------------------------------
// Catalogue

export const ROOT_CATEGORY_ID = 1
export const HOME_CATEGORY_ID = 2

export interface CategoryDef {
  readonly id: number
  readonly parentId: number
  readonly names: Texts
  readonly rewrites: Texts
  /** Name in every shop but shop 1 (every language), when it differs. */
  readonly shop2Name?: string
}

export const CATEGORIES: readonly CategoryDef[] = [
  {
    id: 1,
    parentId: 0,
    names: { en: 'Root', es: 'Raíz', fr: 'Racine' },
    rewrites: { en: 'root', es: 'raiz', fr: 'racine' },
  },
  {
    id: 2,
    parentId: 1,
    names: { en: 'Home', es: 'Inicio', fr: 'Accueil' },
    rewrites: { en: 'home', es: 'inicio', fr: 'accueil' },
  },
  {
    id: 3,
    parentId: 2,
    names: { en: 'Clothes', es: 'Ropa', fr: 'Vêtements' },
    rewrites: { en: 'clothes', es: 'ropa', fr: 'vetements' },
    shop2Name: 'Apparel',
  },
  {
    id: 4,
    parentId: 3,
    names: { en: 'Men', es: 'Hombre', fr: 'Hommes' },
    rewrites: { en: 'men', es: 'hombre', fr: 'hommes' },
  },
  {
    id: 5,
    parentId: 3,
    names: { en: 'Women', es: 'Mujer', fr: 'Femmes' },
    rewrites: { en: 'women', es: 'mujer', fr: 'femmes' },
  },
  {
    id: 6,
    parentId: 5,
    names: { en: 'Summer dresses', es: 'Vestidos de verano', fr: "Robes d'été" },
    rewrites: { en: 'summer-dresses', es: 'vestidos-de-verano', fr: 'robes-d-ete' },
  },
  {
    id: 7,
    parentId: 2,
    names: { en: 'Accessories', es: 'Accesorios', fr: 'Accessoires' },
    rewrites: { en: 'accessories', es: 'accesorios', fr: 'accessoires' },
  },
  {
    id: 8,
    parentId: 7,
    names: { en: 'Stationery', es: 'Papelería', fr: 'Papeterie' },
    rewrites: { en: 'stationery', es: 'papeleria', fr: 'papeterie' },
  },
  {
    id: 9,
    parentId: 7,
    names: { en: 'Home Accessories', es: 'Accesorios para el hogar', fr: 'Accessoires de maison' },
    rewrites: {
      en: 'home-accessories',
      es: 'accesorios-para-el-hogar',
      fr: 'accessoires-de-maison',
    },
  },
  {
    id: 10,
    parentId: 2,
    names: { en: 'Art', es: 'Arte', fr: 'Art' },
    rewrites: { en: 'art', es: 'arte', fr: 'art' },
  },
  {
    id: 11,
    parentId: 9,
    names: { en: 'Cushions & throws', es: 'Cojines y mantas', fr: 'Coussins & plaids' },
    rewrites: { en: 'cushions-throws', es: 'cojines-mantas', fr: 'coussins-plaids' },
  },
]

export interface ManufacturerDef {
  readonly id: number
  readonly name: string
}

export const MANUFACTURERS: readonly ManufacturerDef[] = [
  { id: 1, name: 'Studio Design' },
  { id: 2, name: 'Graphic Corner' },
  { id: 3, name: 'Café & Co' },
  { id: 4, name: 'Ünïcode Supplies' },
]
/** Referenced by a product but its row is gone (merchant deleted the brand). */
export const MISSING_MANUFACTURER_ID = 9

export interface CombinationDef {
  readonly id: number
  readonly label: Texts
  readonly reference: string
  /** Indexes into the product's images; empty = no image of its own. */
  readonly images: readonly number[]
  /** Also store a dangling (combination, id_image 0) link, which a join with `image` must drop. */
  readonly danglingImageLink?: boolean
}

export interface ProductDef {
  readonly id: number
  readonly names: Texts
  /** Replaces `names` in utf8mb4 versions (4-byte characters). */
  readonly namesMb4?: Texts
  readonly rewrites: Texts
  /** null = NULL column. */
  readonly reference: string | null
  /** null = NULL column, '' = empty string; both mean "no EAN" in URLs. */
  readonly ean13: string | null
  /** 0 = no manufacturer. */
  readonly manufacturerId: number
  readonly categoryId: number
  /** Default category in shops other than 1, when it differs. */
  readonly otherShopCategoryId?: number
  readonly priceCents: number
  readonly combinations?: readonly CombinationDef[]
  /** Number of images (positions 1..n); the cover is `coverIndex` (0-based). */
  readonly imageCount: number
  readonly coverIndex?: number
  /** Cover in shops other than 1, when it differs (0-based image index). */
  readonly otherShopCoverIndex?: number
  /** No image_shop rows for shops other than 1: the reader falls back to `image.cover`. */
  readonly noImageShopOutsideShop1?: boolean
  /** Name in shops other than 1 (every language), when it differs. */
  readonly otherShopName?: string
  /** The line label stored at order time, when the catalogue name changed since. */
  readonly snapshotName?: string
  /** Disabled in every shop since it was sold (`product.active` and `product_shop.active` 0). */
  readonly inactive?: boolean
  /** Units in stock in every shop (`stock_available`); DEFAULT_STOCK when absent. */
  readonly stock?: number
  /** Its tax rules group (TAX_RULES_GROUPS); 1 when absent. */
  readonly taxRulesGroupId?: number
}

export const DEFAULT_STOCK = 100

/** `PS_COUNTRY_DEFAULT` of every generated store: Spain's id in a default install. */
export const DEFAULT_COUNTRY_ID = 6

/**
 * Tax rules groups, their rules and taxes, with the price factor each gives for a visitor of the
 * default country (no state, no postcode): the rules of another country, of a state or of a
 * postcode range are distractors, and an inactive group taxes nothing.
 */
export const TAXES: readonly { id: number; rate: string }[] = [
  { id: 1, rate: '21.000' },
  { id: 2, rate: '10.000' },
  { id: 3, rate: '20.000' },
  { id: 4, rate: '7.000' },
]

export const TAX_RULES_GROUPS: readonly {
  id: number
  name: string
  active: boolean
  /** What a price without tax is multiplied by, in percent (121 = +21 %). */
  factorPercent: number
}[] = [
  { id: 1, name: 'ES Standard rate (21%)', active: true, factorPercent: 121 },
  { id: 2, name: 'ES Reduced rate (10%)', active: true, factorPercent: 110 },
  { id: 3, name: 'Retired rate', active: false, factorPercent: 100 },
]

export const TAX_RULES: readonly {
  id: number
  groupId: number
  countryId: number
  stateId: number
  zipcodeFrom: string
  zipcodeTo: string
  taxId: number
}[] = [
  { id: 1, groupId: 1, countryId: 6, stateId: 0, zipcodeFrom: '0', zipcodeTo: '0', taxId: 1 },
  { id: 2, groupId: 1, countryId: 8, stateId: 0, zipcodeFrom: '0', zipcodeTo: '0', taxId: 3 },
  {
    id: 3,
    groupId: 1,
    countryId: 6,
    stateId: 0,
    zipcodeFrom: '35000',
    zipcodeTo: '35999',
    taxId: 4,
  },
  { id: 4, groupId: 2, countryId: 6, stateId: 0, zipcodeFrom: '0', zipcodeTo: '0', taxId: 2 },
  { id: 5, groupId: 2, countryId: 6, stateId: 12, zipcodeFrom: '0', zipcodeTo: '0', taxId: 4 },
  { id: 6, groupId: 3, countryId: 6, stateId: 0, zipcodeFrom: '0', zipcodeTo: '0', taxId: 1 },
]

export const PRODUCTS: readonly ProductDef[] = [
  {
    id: 1,
    names: {
      en: 'Hummingbird printed t-shirt',
      es: 'Camiseta estampada colibrí',
      fr: 'T-shirt imprimé colibri',
    },
    rewrites: {
      en: 'hummingbird-printed-t-shirt',
      es: 'camiseta-estampada-colibri',
      fr: 't-shirt-imprime-colibri',
    },
    reference: 'demo_1',
    ean13: '3700000000017',
    manufacturerId: 1,
    categoryId: 4,
    priceCents: 2390,
    imageCount: 4,
    coverIndex: 0,
    combinations: [
      {
        id: 1,
        label: { en: 'Size: S', es: 'Talla: S', fr: 'Taille : S' },
        reference: 'demo_1_s',
        images: [2, 1],
      },
      {
        id: 2,
        label: { en: 'Size: M', es: 'Talla: M', fr: 'Taille : M' },
        reference: 'demo_1_m',
        images: [3],
      },
      {
        id: 3,
        label: { en: 'Size: L', es: 'Talla: L', fr: 'Taille : L' },
        reference: 'demo_1_l',
        images: [],
        danglingImageLink: true,
      },
    ],
  },
  {
    id: 2,
    names: {
      en: 'Hummingbird printed sweater',
      es: 'Jersey estampado colibrí',
      fr: 'Pull imprimé colibri',
    },
    rewrites: {
      en: 'hummingbird-printed-sweater',
      es: 'jersey-estampado-colibri',
      fr: 'pull-imprime-colibri',
    },
    reference: 'demo_2',
    ean13: '3700000000024',
    manufacturerId: 1,
    categoryId: 5,
    priceCents: 3590,
    imageCount: 2,
    coverIndex: 0,
    combinations: [
      {
        id: 4,
        label: { en: 'Color: Red', es: 'Color: Rojo', fr: 'Couleur : Rouge' },
        reference: 'demo_2_red',
        images: [],
      },
      {
        id: 5,
        label: { en: 'Color: Blue', es: 'Color: Azul', fr: 'Couleur : Bleu' },
        reference: 'demo_2_blue',
        images: [],
      },
    ],
  },
  {
    id: 3,
    names: { en: 'Summer dress', es: 'Vestido de verano', fr: "Robe d'été" },
    rewrites: { en: 'summer-dress', es: 'vestido-de-verano', fr: 'robe-d-ete' },
    reference: 'demo_3',
    ean13: null,
    manufacturerId: 0,
    categoryId: 6,
    priceCents: 4999,
    imageCount: 1,
    coverIndex: 0,
    inactive: true,
  },
  {
    id: 4,
    names: {
      en: 'Mug The best is yet to come',
      es: 'Taza Lo mejor está por llegar',
      fr: 'Mug Le meilleur reste à venir',
    },
    rewrites: {
      en: 'mug-the-best-is-yet-to-come',
      es: 'taza-lo-mejor-esta-por-llegar',
      fr: 'mug-le-meilleur-reste-a-venir',
    },
    reference: 'demo_4',
    ean13: '',
    manufacturerId: 2,
    categoryId: 9,
    priceCents: 1190,
    imageCount: 1,
    coverIndex: 0,
    taxRulesGroupId: 2,
  },
  {
    id: 5,
    names: { en: 'Crème brûlée mug', es: 'Taza crème brûlée', fr: 'Tasse crème brûlée' },
    rewrites: { en: 'creme-brulee-mug', es: 'taza-creme-brulee', fr: 'tasse-creme-brulee' },
    reference: 'CRÈME-01',
    ean13: '8412345678905',
    manufacturerId: 3,
    categoryId: 9,
    priceCents: 1450,
    imageCount: 2,
    coverIndex: 1,
    snapshotName: 'Crème brûlée mug (old label)',
  },
  {
    id: 6,
    names: { en: 'Ünïcode notebook', es: 'Cuaderno Ünïcode', fr: 'Carnet Ünïcode' },
    rewrites: { en: 'unicode-notebook', es: 'cuaderno-unicode', fr: 'carnet-unicode' },
    reference: 'demo_6',
    ean13: '3700000000062',
    manufacturerId: 4,
    categoryId: 8,
    priceCents: 1290,
    imageCount: 1,
    coverIndex: 0,
  },
  {
    id: 7,
    names: { en: '=HYPERLINK("https://evil.example","Click")' },
    rewrites: { en: 'hyperlink-click' },
    reference: '=1+2',
    ean13: null,
    manufacturerId: 2,
    categoryId: 10,
    priceCents: 999,
    imageCount: 1,
    coverIndex: 0,
  },
  {
    id: 8,
    names: { en: '+1 pack', es: '+1 paquete', fr: '+1 lot' },
    rewrites: { en: '1-pack', es: '1-paquete', fr: '1-lot' },
    reference: '+PACK',
    ean13: null,
    manufacturerId: 0,
    categoryId: 7,
    priceCents: 500,
    imageCount: 1,
    coverIndex: 0,
  },
  {
    id: 9,
    names: { en: '-50% deal', es: '-50% oferta', fr: '-50% promo' },
    rewrites: { en: '50-deal', es: '50-oferta', fr: '50-promo' },
    reference: '-50',
    ean13: null,
    manufacturerId: 1,
    categoryId: 7,
    priceCents: 2000,
    imageCount: 1,
    coverIndex: 0,
    taxRulesGroupId: 3,
  },
  {
    id: 10,
    names: { en: '@home', es: '@casa', fr: '@maison' },
    rewrites: { en: 'home', es: 'casa', fr: 'maison' },
    reference: '@HOME',
    ean13: '3700000000109',
    manufacturerId: MISSING_MANUFACTURER_ID,
    categoryId: 2,
    priceCents: 1500,
    imageCount: 1,
    coverIndex: 0,
  },
  {
    id: 11,
    names: {
      en: 'Rocket tee — édition spéciale',
      es: 'Camiseta cohete — edición',
      fr: 'T-shirt fusée — édition',
    },
    namesMb4: { en: 'Rocket 🚀 tee', es: 'Camiseta cohete 🚀', fr: 'T-shirt fusée 🚀' },
    rewrites: { en: 'rocket-tee', es: 'camiseta-cohete', fr: 't-shirt-fusee' },
    reference: 'ROCKET',
    ean13: null,
    manufacturerId: 1,
    categoryId: 4,
    priceCents: 2590,
    imageCount: 2,
    coverIndex: 0,
  },
  {
    id: 12,
    names: { en: 'Framed poster', es: 'Póster enmarcado', fr: 'Affiche encadrée' },
    rewrites: { en: 'framed-poster', es: 'poster-enmarcado', fr: 'affiche-encadree' },
    reference: null,
    ean13: null,
    manufacturerId: 2,
    categoryId: 10,
    priceCents: 2900,
    imageCount: 0,
    stock: 0,
  },
  {
    id: 13,
    names: { en: 'Gift card', es: 'Tarjeta regalo', fr: 'Carte cadeau' },
    rewrites: { en: 'gift-card', es: 'tarjeta-regalo', fr: 'carte-cadeau' },
    reference: 'GIFT',
    ean13: null,
    manufacturerId: 0,
    categoryId: 2,
    priceCents: 5000,
    imageCount: 2,
    coverIndex: 0,
    noImageShopOutsideShop1: true,
  },
  {
    id: 14,
    names: { en: 'Brown bear cushion', es: 'Cojín oso pardo', fr: 'Coussin ours brun' },
    rewrites: { en: 'brown-bear-cushion', es: 'cojin-oso-pardo', fr: 'coussin-ours-brun' },
    reference: 'demo_14',
    ean13: '3700000000147',
    manufacturerId: 2,
    categoryId: 11,
    priceCents: 1890,
    imageCount: 3,
    coverIndex: 0,
    otherShopCoverIndex: 2,
  },
  {
    id: 15,
    names: { en: 'Leather wallet', es: 'Cartera de piel', fr: 'Portefeuille en cuir' },
    rewrites: { en: 'leather-wallet', es: 'cartera-de-piel', fr: 'portefeuille-en-cuir' },
    reference: 'WALLET',
    ean13: null,
    manufacturerId: 1,
    categoryId: 7,
    otherShopCategoryId: 4,
    priceCents: 3900,
    imageCount: 1,
    coverIndex: 0,
  },
  {
    id: 16,
    names: { en: 'Café apron', es: 'Delantal café', fr: 'Tablier café' },
    rewrites: { en: 'cafe-apron', es: 'delantal-cafe', fr: 'tablier-cafe' },
    reference: 'APRON',
    ean13: null,
    manufacturerId: 3,
    categoryId: 9,
    priceCents: 2200,
    imageCount: 1,
    coverIndex: 0,
    otherShopName: 'Café apron (boutique edition)',
  },
  {
    id: 17,
    names: {
      en: 'Today is a good day framed poster',
      es: 'Póster Hoy es un buen día',
      fr: "Affiche Aujourd'hui est un bon jour",
    },
    rewrites: {
      en: 'today-is-a-good-day-framed-poster',
      es: 'poster-hoy-es-un-buen-dia',
      fr: 'affiche-aujourd-hui-est-un-bon-jour',
    },
    reference: 'demo_17',
    ean13: '3700000000178',
    manufacturerId: 2,
    categoryId: 10,
    priceCents: 3490,
    imageCount: 1,
    coverIndex: 0,
  },
  {
    id: 18,
    names: { en: 'Pack mug + framed poster', es: 'Pack taza + póster', fr: 'Pack mug + affiche' },
    rewrites: { en: 'pack-mug-framed-poster', es: 'pack-taza-poster', fr: 'pack-mug-affiche' },
    reference: 'PACK-18',
    ean13: null,
    manufacturerId: 0,
    categoryId: 9,
    priceCents: 3500,
    imageCount: 1,
    coverIndex: 0,
  },
]

/** Products bought once and since deleted: order lines point at ids with no catalogue rows. */
export const DELETED_PRODUCTS: readonly {
  id: number
  name: string
  reference: string
  priceCents: number
}[] = [
  { id: 900, name: 'Discontinued scarf', reference: 'OLD-900', priceCents: 1999 },
  { id: 901, name: 'Old poster - Size : A3', reference: 'OLD-901', priceCents: 1250 },
]

export const FIRST_NAMES = [
  'John',
  'María',
  'José',
  'Zoë',
  'François',
  'Ørjan',
  'Aoife',
  'Łukasz',
  'Chloé',
  'Ana',
  'Peter',
  'Inés',
]
export const LAST_NAMES = [
  'Doe',
  'García',
  'Núñez',
  'Müller',
  "O'Brien",
  'Lefèvre',
  'Smith',
  'Kowalski',
  'Dubois',
  'Ferreira',
]
