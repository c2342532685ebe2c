/**
 * How a store's facts are shown to the screens and the command line: plain views of its shops,
 * languages and currencies, its time zone, and small wording helpers.
 */
import type { CurrencyView, LanguageView, ShopView } from '../../preload/contract'
import type { StoreOverview } from '../core/store/store-source'

export function shopView(shop: StoreOverview['shops'][number]): ShopView {
  return {
    id: shop.id,
    name: shop.name,
    timezone: shop.timezone,
    active: shop.active,
    url: shop.baseUrl,
  }
}

export function languageView(language: StoreOverview['languages'][number]): LanguageView {
  return {
    id: language.id,
    isoCode: language.isoCode,
    name: language.name,
    active: language.active,
  }
}

/** The currencies the store still has (deleted ones are left out). */
export function currencyViews(overview: StoreOverview): CurrencyView[] {
  return overview.currencies
    .filter((currency) => !currency.deleted)
    .map((currency) => ({
      id: currency.id,
      isoCode: currency.isoCode,
      name: currency.name,
      active: currency.active,
    }))
}

/** The default shop's time zone: the clock the date rules and ranges use. */
export function zoneOf(overview: StoreOverview): string {
  return overview.shops.find((shop) => shop.id === overview.defaultShopId)?.timezone ?? 'UTC'
}

/** JSON objects have string keys. */
export function stringKeys(record: Readonly<Record<number, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [String(key), value]))
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
