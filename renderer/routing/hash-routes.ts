/**
 * The app's addresses: a hash route (`#/send`, `#/history`, `#/profiles`, `#/profiles/<id>`,
 * `#/sendings/<id>`, `#/sendings/<id>?result=skipped&reason=customer_deleted`), so the same
 * address works in Electron (`app://purchase-sender/#/…`) and in browser mode, where the page's
 * path and query belong to the host. Pure: parsing and writing only (use-hash-route.ts follows
 * the address bar).
 */
import { REASON_PATTERN } from '../../main/core/history/outcome-reasons'

export type Page = 'send' | 'history' | 'profiles'

/** The results a sending's page can be filtered to from a link (as `sending:orders` takes them). */
export type SendingResultFilter = 'pending' | 'created' | 'already_exists' | 'failed' | 'skipped'

/** What a link to a sending's page shows first: its orders of one result, and of one reason. */
export interface SendingFilter {
  readonly result: SendingResultFilter
  /** The orders' recorded code (a skip reason, a Connectif error code); absent: every one. */
  readonly reason?: string
}

export type Route =
  | { readonly page: Page }
  | { readonly page: 'sending'; readonly sendingId: number; readonly filter?: SendingFilter }
  /** A profile's editor: a saved profile (`#/profiles/12`) or a new one (`#/profiles/new`). */
  | { readonly page: 'profile'; readonly profileId: number | 'new' }

/** Where the app opens when the address names no page (or one it does not know). */
export const DEFAULT_ROUTE: Route = { page: 'send' }

const PAGES: readonly Page[] = ['send', 'history', 'profiles']
const RESULTS: readonly SendingResultFilter[] = [
  'pending',
  'created',
  'already_exists',
  'failed',
  'skipped',
]

/** `#/sendings/12`, with or without the leading `#` or `/`, and a trailing `/`. */
const SENDING = /^sendings\/([1-9]\d{0,14})$/
const PROFILE = /^profiles\/([1-9]\d{0,14}|new)$/

/** The route an address's hash names; DEFAULT_ROUTE for an empty or unknown one. */
export function parseRoute(hash: string): Route {
  let raw = hash.startsWith('#') ? hash.slice(1) : hash
  const queryAt = raw.indexOf('?')
  const query = queryAt === -1 ? '' : raw.slice(queryAt + 1)
  if (queryAt !== -1) raw = raw.slice(0, queryAt)
  const path = raw.replace(/^\/+/, '').replace(/\/+$/, '')
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
    if (!Number.isSafeInteger(sendingId)) return DEFAULT_ROUTE
    const filter = parseFilter(query)
    return filter ? { page: 'sending', sendingId, filter } : { page: 'sending', sendingId }
  }
  const profile = PROFILE.exec(decoded)
  if (profile?.[1]) {
    if (profile[1] === 'new') return { page: 'profile', profileId: 'new' }
    const profileId = Number(profile[1])
    if (Number.isSafeInteger(profileId)) return { page: 'profile', profileId }
  }
  return DEFAULT_ROUTE
}

/** A sending page's filter from its query; an unknown result or a malformed reason is ignored. */
function parseFilter(query: string): SendingFilter | null {
  if (query === '') return null
  const params = new URLSearchParams(query)
  const result = RESULTS.find((each) => each === params.get('result'))
  if (!result) return null
  const reason = params.get('reason')
  return reason !== null && REASON_PATTERN.test(reason) ? { result, reason } : { result }
}

/** The hash of a route: `#/history`, `#/sendings/12`, `#/sendings/12?result=failed`. */
export function routeHash(route: Route): string {
  switch (route.page) {
    case 'sending': {
      const base = `#/sendings/${route.sendingId}`
      if (!route.filter) return base
      const params = new URLSearchParams({ result: route.filter.result })
      if (route.filter.reason !== undefined) params.set('reason', route.filter.reason)
      return `${base}?${params.toString()}`
    }
    case 'profile':
      return `#/profiles/${route.profileId}`
    default:
      return `#/${route.page}`
  }
}

export function sameRoute(a: Route, b: Route): boolean {
  return routeHash(a) === routeHash(b)
}
