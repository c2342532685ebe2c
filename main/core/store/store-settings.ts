import type {
  CurrencyInfo,
  CurrencyRef,
  LanguageInfo,
  OrderStateInfo,
  PrestaShopFamily,
  ShopInfo,
  StoreOverview,
  StoreVersion,
} from './store-source'
import { StoreError } from './store-errors'
import { chooseProductImageType, shopBaseUrl } from './shop-links'
import type { ImageLinkContext, ProductLinkContext } from './shop-links'
import { CANCELLED_STATE_KEYS, type StoreConfiguration } from './store-configuration'
import { isKnownTimeZone } from '../time/shop-time'

/**
 * The store-wide settings every reader derives the same way from the same PrestaShop rows, whether
 * they came from SQL or from the Webservice: shops with their URLs and time zones, languages,
 * currencies, the image type, and what a line needs to build its links.
 */

/** PrestaShop's installer default, used when a store never set `PS_TIMEZONE`. */
const FALLBACK_TIME_ZONE = 'Europe/Paris'

export function parseVersion(raw: string | null): StoreVersion {
  const value = (raw ?? '').trim()
  const match = /^(\d+)\.(\d+)/.exec(value)
  if (!match) {
    throw new StoreError(
      'invalid_store_configuration',
      'The store does not record its PrestaShop version (PS_VERSION_DB is missing), so its schema cannot be trusted.',
      { params: { reason: 'no_version' } },
    )
  }
  const major = Number(match[1])
  const minor = Number(match[2])
  let family: PrestaShopFamily | null = null
  if (major === 1 && minor === 6) family = '1.6'
  else if (major === 1 && minor === 7) family = '1.7'
  else if (major === 8) family = '8'
  else if (major === 9) family = '9'
  if (family === null) {
    throw new StoreError(
      'unsupported_version',
      `This store runs PrestaShop ${value}. Purchase Sender reads PrestaShop 1.6, 1.7, 8 and 9.`,
      { params: { version: value } },
    )
  }
  return { raw: value, family }
}

export interface ShopRow {
  readonly id: number
  readonly groupId: number
  readonly name: string
  readonly active: boolean
  readonly deleted: boolean
}

/** A `shop_url` row; the first row of a shop wins, so pass them main first, then active first. */
export interface ShopUrlRecord {
  readonly shopId: number
  readonly domain: string
  readonly domainSsl: string
  readonly physicalUri: string
  readonly virtualUri: string
}

export interface StoreSettingsInput {
  readonly version: StoreVersion
  readonly configuration: StoreConfiguration
  readonly languages: readonly LanguageInfo[]
  readonly currencies: readonly CurrencyInfo[]
  readonly shops: readonly ShopRow[]
  readonly shopUrls: readonly ShopUrlRecord[]
  readonly imageTypes: readonly { name: string; width: number; height: number }[]
}

export interface ShopRuntime {
  readonly info: ShopInfo
  readonly linkBase: string
  readonly imageBase: string
  readonly friendlyUrls: boolean
  readonly customRoute: string | null
  readonly catalogue: CatalogueContext
}

/** What pricing a product and telling its stock in a shop need (docs/prestashop.md §1.4). */
export interface CatalogueContext {
  readonly shopGroupId: number
  /** `PS_TAX`: prices include taxes. Unset means off, as `Configuration::get` answers false. */
  readonly taxes: boolean
  /** `PS_COUNTRY_DEFAULT`: the country a visitor's prices are taxed for; 0 when unset. */
  readonly countryId: number
  /** `PS_STOCK_MANAGEMENT`: quantities decide availability; off, every product is available. */
  readonly stockManagement: boolean
}

/** What a line needs to know about the shop it was sold in. */
export interface LineShopContext {
  readonly shopId: number
  readonly languageId: number
  readonly link: ProductLinkContext
  readonly image: ImageLinkContext
  readonly catalogue: CatalogueContext
}

/** An order state as the store holds it, names by language id. */
export interface OrderStateRecord extends Omit<OrderStateInfo, 'name' | 'cancelled'> {
  readonly names: ReadonlyMap<number, string>
}

export class StoreSettings {
  readonly version: StoreVersion
  readonly shops: ReadonlyMap<number, ShopRuntime>
  readonly languages: ReadonlyMap<number, LanguageInfo>
  readonly currencies: ReadonlyMap<number, CurrencyInfo>
  readonly defaultShopId: number
  readonly multistore: boolean
  readonly imageType: string
  /** The configured cancelled, refunded and payment error states; empty when none is set. */
  readonly cancelledStateIds: ReadonlySet<number>
  readonly #contexts = new Map<string, LineShopContext>()

  constructor(input: StoreSettingsInput) {
    const { configuration } = input
    this.version = input.version
    this.languages = new Map(input.languages.map((language) => [language.id, language]))
    this.currencies = new Map(input.currencies.map((currency) => [currency.id, currency]))
    const shops = new Map<number, ShopRuntime>()
    for (const row of input.shops) {
      if (row.deleted) continue
      shops.set(row.id, this.#shopRuntime(row, input))
    }
    if (shops.size === 0) {
      throw new StoreError(
        'invalid_store_configuration',
        'The store has no shop (the shop table is empty).',
        { params: { reason: 'no_shop' } },
      )
    }
    this.shops = shops
    const defaultShopId = configuration.integer('PS_SHOP_DEFAULT') ?? [...shops.keys()][0] ?? 1
    this.defaultShopId = shops.has(defaultShopId) ? defaultShopId : ([...shops.keys()][0] ?? 1)
    this.multistore = configuration.flag('PS_MULTISHOP_FEATURE_ACTIVE') && shops.size > 1
    this.imageType = chooseProductImageType(input.imageTypes)
    this.cancelledStateIds = new Set(
      CANCELLED_STATE_KEYS.map((key) => configuration.integer(key)).filter(
        (id): id is number => id !== null && id > 0,
      ),
    )
  }

  #shopRuntime(row: ShopRow, input: StoreSettingsInput): ShopRuntime {
    const { configuration } = input
    const shop = { id: row.id, groupId: row.groupId }
    const url = input.shopUrls.find((candidate) => candidate.shopId === shop.id)
    const sslEverywhere =
      configuration.flag('PS_SSL_ENABLED', shop) &&
      configuration.flag('PS_SSL_ENABLED_EVERYWHERE', shop)
    const urlRow = {
      domain: url?.domain ?? configuration.get('PS_SHOP_DOMAIN', shop) ?? '',
      domainSsl: url?.domainSsl ?? configuration.get('PS_SHOP_DOMAIN_SSL', shop) ?? '',
      physicalUri: url?.physicalUri ?? '/',
      virtualUri: url?.virtualUri ?? '',
    }
    const linkBase = shopBaseUrl(urlRow, sslEverywhere)
    const mediaServer = configuration.flag('PS_MEDIA_SERVERS', shop)
      ? (configuration.get('PS_MEDIA_SERVER_1', shop) ?? '').trim()
      : ''
    const imageBase = mediaServer
      ? shopBaseUrl({ ...urlRow, domain: mediaServer, domainSsl: mediaServer }, sslEverywhere)
      : linkBase
    const timezone = (configuration.get('PS_TIMEZONE', shop) ?? '').trim() || FALLBACK_TIME_ZONE
    if (!isKnownTimeZone(timezone)) {
      throw new StoreError(
        'invalid_store_configuration',
        `The shop "${row.name}" has the time zone "${timezone}", which is not a known IANA time zone. Fix it in the back office (International > Localization).`,
        { params: { reason: 'time_zone', shop: row.name, timezone } },
      )
    }
    const activeLanguages = input.languages.filter(
      (language) => language.active && language.shopIds.includes(shop.id),
    )
    return {
      info: {
        id: shop.id,
        groupId: shop.groupId,
        name: row.name,
        active: row.active,
        baseUrl: linkBase,
        timezone,
        defaultLanguageId:
          configuration.integer('PS_LANG_DEFAULT', shop) ?? activeLanguages[0]?.id ?? 1,
        defaultCurrencyId: configuration.integer('PS_CURRENCY_DEFAULT', shop) ?? 1,
        multilingual: activeLanguages.length > 1,
      },
      linkBase,
      imageBase,
      friendlyUrls: configuration.flag('PS_REWRITING_SETTINGS', shop),
      customRoute: configuration.get('PS_ROUTE_product_rule', shop),
      catalogue: {
        shopGroupId: shop.groupId,
        taxes: configuration.flag('PS_TAX', shop),
        countryId: configuration.integer('PS_COUNTRY_DEFAULT', shop) ?? 0,
        stockManagement: configuration.flag('PS_STOCK_MANAGEMENT', shop),
      },
    }
  }

  get defaultLanguageId(): number | undefined {
    return this.shops.get(this.defaultShopId)?.info.defaultLanguageId
  }

  overview(): StoreOverview {
    const shops = [...this.shops.values()].map((shop) => shop.info)
    const defaultShop = this.shops.get(this.defaultShopId)?.info ?? shops[0]
    return {
      version: this.version,
      shops,
      languages: [...this.languages.values()],
      currencies: [...this.currencies.values()],
      defaultShopId: this.defaultShopId,
      defaultLanguageId: defaultShop?.defaultLanguageId ?? 1,
      defaultCurrencyId: defaultShop?.defaultCurrencyId ?? 1,
      multilingual: shops.some((shop) => shop.active && shop.multilingual),
      multistore: this.multistore,
    }
  }

  /** Orders of a shop deleted since keep their rows; read them with the default shop's settings. */
  shop(shopId: number): ShopRuntime {
    const shop = this.shops.get(shopId) ?? this.shops.get(this.defaultShopId)
    if (!shop) {
      throw new StoreError('invalid_store_configuration', 'The store has no shop.', {
        params: { reason: 'no_shop' },
      })
    }
    return shop
  }

  lineContext(shopId: number, languageId: number): LineShopContext {
    const key = `${shopId}:${languageId}`
    const cached = this.#contexts.get(key)
    if (cached) return cached
    const shop = this.shop(shopId)
    const context: LineShopContext = {
      shopId,
      languageId,
      link: {
        family: this.version.family,
        baseUrl: shop.linkBase,
        friendlyUrls: shop.friendlyUrls,
        multilingual: shop.info.multilingual,
        languageId,
        languageIso: this.languages.get(languageId)?.isoCode ?? '',
        customRoute: shop.customRoute,
      },
      image: {
        baseUrl: shop.imageBase,
        friendlyUrls: shop.friendlyUrls,
        imageType: this.imageType,
      },
      catalogue: shop.catalogue,
    }
    this.#contexts.set(key, context)
    return context
  }

  currencyRef(currencyId: number): CurrencyRef {
    const currency = this.currencies.get(currencyId)
    return { id: currencyId, isoCode: currency?.isoCode ?? '', precision: currency?.precision ?? 2 }
  }

  /** State names in the wanted language, else the default language, else any. */
  orderStates(records: readonly OrderStateRecord[], languageId?: number): OrderStateInfo[] {
    const defaultLanguageId = this.defaultLanguageId
    const wanted = languageId ?? defaultLanguageId
    const configured = this.cancelledStateIds.size > 0
    return records.map(({ names, ...state }) => ({
      ...state,
      cancelled: configured ? this.cancelledStateIds.has(state.id) : state.paid && !state.logable,
      name:
        (wanted !== undefined ? names.get(wanted) : undefined) ??
        (defaultLanguageId !== undefined ? names.get(defaultLanguageId) : undefined) ??
        [...names.values()][0] ??
        // A state with no name in any language: the UI shows its own "Status N" label.
        '',
    }))
  }
}
