/**
 * The app's addresses: a hash route (`#/send`, `#/history`, `#/profiles`, `#/sendings/<id>`), so
 * the same address works in Electron (`app://purchase-sender/#/…`) and in browser mode, where the
 * page's path and query belong to the host. Pure: parsing and writing only (use-hash-route.ts
 * follows the address bar).
 */

export type Page = 'send' | 'history' | 'profiles'

export type Route =
  { readonly page: Page } | { readonly page: 'sending'; readonly sendingId: number }

/** Where the app opens when the address names no page (or one it does not know). */
export const DEFAULT_ROUTE: Route = { page: 'send' }

const PAGES: readonly Page[] = ['send', 'history', 'profiles']

/** `#/sendings/12`, with or without the leading `#` or `/`, and a trailing `/`. */
const SENDING = /^sendings\/([1-9]\d{0,14})$/

/** The route an address's hash names; DEFAULT_ROUTE for an empty or unknown one. */
export function parseRoute(hash: string): Route {
  let path = hash.startsWith('#') ? hash.slice(1) : hash
  path = path.replace(/^\/+/, '').replace(/\/+$/, '')
  let decoded: string
  try {
    decoded = decodeURIComponent(path)
  } catch {
    return DEFAULT_ROUTE
  }
  const page = PAGES.find((each) => each === decoded)
  if (page) return { page }
  const sending = SENDING.exec(decoded)
  if (sending?.[1]) {
    const sendingId = Number(sending[1])
    if (Number.isSafeInteger(sendingId)) return { page: 'sending', sendingId }
  }
  return DEFAULT_ROUTE
}

/** The hash of a route: `#/history`, `#/sendings/12`. */
export function routeHash(route: Route): string {
  return route.page === 'sending' ? `#/sendings/${route.sendingId}` : `#/${route.page}`
}

export function sameRoute(a: Route, b: Route): boolean {
  return routeHash(a) === routeHash(b)
}
