/**
 * PrestaShop's `configuration` table holds global rows, shop-group rows and shop rows for the same
 * key; `Configuration::get` takes the most specific one. This reproduces that lookup in memory
 * over the handful of keys the reader needs.
 */

/**
 * The states PrestaShop itself moves an order to when it is cancelled, refunded or its payment
 * failed: what tells them from the states still awaiting a payment (neither is `logable`).
 */
export const CANCELLED_STATE_KEYS = ['PS_OS_CANCELED', 'PS_OS_REFUND', 'PS_OS_ERROR'] as const

export const CONFIGURATION_KEYS = [
  'PS_VERSION_DB',
  'PS_INSTALL_VERSION',
  'PS_LANG_DEFAULT',
  'PS_CURRENCY_DEFAULT',
  'PS_SHOP_DEFAULT',
  'PS_TIMEZONE',
  'PS_REWRITING_SETTINGS',
  'PS_SSL_ENABLED',
  'PS_SSL_ENABLED_EVERYWHERE',
  'PS_MULTISHOP_FEATURE_ACTIVE',
  'PS_ROUTE_product_rule',
  'PS_SHOP_DOMAIN',
  'PS_SHOP_DOMAIN_SSL',
  'PS_MEDIA_SERVERS',
  'PS_MEDIA_SERVER_1',
  'PS_TAX',
  'PS_COUNTRY_DEFAULT',
  'PS_STOCK_MANAGEMENT',
  ...CANCELLED_STATE_KEYS,
] as const

export type ConfigurationKey = (typeof CONFIGURATION_KEYS)[number]

export interface ConfigurationRow {
  readonly name: string
  readonly value: string | null
  readonly shopId: number | null
  readonly shopGroupId: number | null
}

export class StoreConfiguration {
  readonly #rows: ReadonlyMap<string, readonly ConfigurationRow[]>

  constructor(rows: readonly ConfigurationRow[]) {
    const byName = new Map<string, ConfigurationRow[]>()
    for (const row of rows) {
      const list = byName.get(row.name) ?? []
      list.push(row)
      byName.set(row.name, list)
    }
    this.#rows = byName
  }

  /** The value `Configuration::get(key, null, group, shop)` would return; null when unset. */
  get(key: ConfigurationKey, shop?: { id: number; groupId: number }): string | null {
    const rows = this.#rows.get(key) ?? []
    const byShop = shop ? rows.find((row) => row.shopId === shop.id) : undefined
    const byGroup = shop
      ? rows.find((row) => row.shopId === null && row.shopGroupId === shop.groupId)
      : undefined
    const global = rows.find((row) => row.shopId === null && row.shopGroupId === null)
    return (byShop ?? byGroup ?? global)?.value ?? null
  }

  flag(key: ConfigurationKey, shop?: { id: number; groupId: number }): boolean {
    const value = this.get(key, shop)
    return value !== null && value !== '' && value !== '0'
  }

  integer(key: ConfigurationKey, shop?: { id: number; groupId: number }): number | null {
    const value = this.get(key, shop)
    if (value === null || !/^\s*\d+\s*$/.test(value)) return null
    return Number.parseInt(value, 10)
  }
}

/** Rows store "no shop" as NULL, and some migrated stores as 0. */
export function normaliseScopeId(value: unknown): number | null {
  if (value === null || value === undefined) return null
  const id = Number(value)
  return Number.isFinite(id) && id > 0 ? id : null
}
