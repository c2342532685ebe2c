/**
 * What a profile's card says about its store, in the merchant's words: the shop's name and web
 * address (read from the store), or, while the store cannot be read, where the profile reads it
 * from in plain words. Never a connection string. Pure, for the tests.
 */
import type { ProfileView, ShopView, StoreLookup } from '../../../preload/contract'

/** How many shops a card names before "+N more". */
export const SHOPS_SHOWN = 3

/** A web address as people write it: `www.example.com/shop`, without `https://` or a final `/`. */
export function plainAddress(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.host}${parsed.pathname}`.replace(/\/+$/, '')
  } catch {
    return url.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '')
  }
}

/**
 * The shops the profile reads: those it is limited to, else the store's active ones; the default
 * shop first.
 */
export function profileShops(profile: ProfileView, lookup: StoreLookup): ShopView[] {
  const chosen =
    profile.shopIds.length > 0
      ? lookup.shops.filter((shop) => profile.shopIds.includes(shop.id))
      : lookup.shops.filter((shop) => shop.active)
  const shops = chosen.length > 0 ? chosen : lookup.shops
  return [...shops].sort(
    (a, b) => Number(b.id === lookup.defaultShopId) - Number(a.id === lookup.defaultShopId),
  )
}

/** Where the profile reads its store from, when the store itself cannot say: a host name. */
export function sourcePlace(source: ProfileView['source']): {
  readonly kind: 'database' | 'webservice'
  readonly host: string
} {
  if (source.kind === 'database') return { kind: 'database', host: source.host }
  try {
    return { kind: 'webservice', host: new URL(source.url).hostname }
  } catch {
    return { kind: 'webservice', host: plainAddress(source.url) }
  }
}
