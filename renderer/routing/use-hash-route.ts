/**
 * Follows the address's hash route (hash-routes.ts): back and forward, a hash typed in the address
 * bar, and the app's own links all change the page. The app navigates with the History API rather
 * than by assigning `location.hash`, so every entry keeps the page's history state: browser mode
 * keeps its token there (api-client.ts), and a reload of any entry still finds it.
 */
import { useMemo, useSyncExternalStore, type MouseEvent } from 'react'
import { parseRoute, routeHash, type Route } from './hash-routes'

/** Fired on `window` when the app itself moves to another route (pushState fires no event). */
const ROUTE_EVENT = 'purchase-sender:route'

/** The last non-empty history state seen: what a new entry without state is given. */
let rememberedState: unknown = null

function remember(): void {
  const state: unknown = window.history.state
  if (state !== null && state !== undefined) rememberedState = state
}

function subscribe(onChange: () => void): () => void {
  remember()
  const changed = (): void => {
    // A hash typed in the address bar (or followed from a plain link) makes an entry with no
    // state: give it the page's, so that reloading that entry keeps working in browser mode.
    if ((window.history.state === null || window.history.state === undefined) && rememberedState)
      window.history.replaceState(rememberedState, '', window.location.href)
    remember()
    onChange()
  }
  window.addEventListener('hashchange', changed)
  window.addEventListener('popstate', changed)
  window.addEventListener(ROUTE_EVENT, changed)
  return () => {
    window.removeEventListener('hashchange', changed)
    window.removeEventListener('popstate', changed)
    window.removeEventListener(ROUTE_EVENT, changed)
  }
}

const currentHash = (): string => window.location.hash

/** Goes to `route` (a new history entry, unless `replace`); nothing when already there. */
export function navigate(route: Route, options: { readonly replace?: boolean } = {}): void {
  const hash = routeHash(route)
  if (window.location.hash === hash) return
  remember()
  const state: unknown = window.history.state ?? rememberedState
  if (options.replace) window.history.replaceState(state, '', hash)
  else window.history.pushState(state, '', hash)
  window.dispatchEvent(new Event(ROUTE_EVENT))
}

/** The route the address names now; re-renders when it changes. */
export function useHashRoute(): Route {
  const hash = useSyncExternalStore(subscribe, currentHash, () => '')
  return useMemo(() => parseRoute(hash), [hash])
}

/**
 * `href` and `onClick` for a link (MUI Link, or Button/IconButton with `href`) to `route`: a real
 * address, followed in place by `navigate` on a plain click.
 */
export function routeLink(route: Route): {
  readonly href: string
  readonly onClick: (event: MouseEvent<HTMLElement>) => void
} {
  return {
    href: routeHash(route),
    onClick: (event) => {
      if (event.defaultPrevented || event.button !== 0) return
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
      event.preventDefault()
      navigate(route)
    },
  }
}
