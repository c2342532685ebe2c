/**
 * Window hardening for the Electron shell. Everything here takes the Electron objects as
 * arguments (typed structurally, with only the members we touch) so tests can pass fakes and
 * never load the `electron` module, whose binary is absent on CI machines.
 */

import { DEV_SERVER_CONTENT_SECURITY_POLICY } from '../app/content-security-policy'
import { APP_SCHEME } from './app-protocol'

/** The subset of Electron's `WebPreferences` we set; a structural match so no electron import. */
export interface SecureWebPreferences {
  readonly preload: string
  readonly contextIsolation: true
  readonly sandbox: true
  readonly nodeIntegration: false
  readonly nodeIntegrationInWorker: false
  readonly nodeIntegrationInSubFrames: false
  readonly webviewTag: false
  readonly webSecurity: true
  readonly allowRunningInsecureContent: false
  readonly experimentalFeatures: false
  readonly spellcheck: false
}

/**
 * Most of these are Electron's defaults already; spelling them out guards against a default
 * changing, or someone "temporarily" flipping one while debugging.
 */
export function secureWebPreferences(preloadPath: string): SecureWebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    // The spellchecker downloads dictionaries from Google's CDN on first use.
    spellcheck: false,
  }
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}

/**
 * Whether `candidate` belongs to the app loaded from `entryUrl`: the same scheme and host for the
 * `app://` protocol (whose URLs have no web origin for `URL` to compare), the same origin for the
 * dev server. Nothing else is the app: not `file://` (the app never loads from disk directly),
 * not `data:` or `javascript:`, not an `app://` URL of another host.
 */
export function isAppUrl(candidate: string, entryUrl: string): boolean {
  const target = parseUrl(candidate)
  const entry = parseUrl(entryUrl)
  if (!target || !entry) return false
  if (entry.protocol === `${APP_SCHEME}:`) {
    return (
      target.protocol === entry.protocol &&
      target.host.toLowerCase() === entry.host.toLowerCase() &&
      target.username === '' &&
      target.password === ''
    )
  }
  if (entry.protocol !== 'http:' && entry.protocol !== 'https:') return false
  return target.origin === entry.origin
}

/**
 * Whether `candidate` is the app's page itself (any query or fragment), not merely one of its
 * files: the only document allowed to call the contract. `/` and `/index.html` are the same page.
 */
export function isAppPage(candidate: string, entryUrl: string): boolean {
  if (!isAppUrl(candidate, entryUrl)) return false
  const page = (url: string): string => {
    const pathname = new URL(url).pathname
    return pathname === '' || pathname.endsWith('/') ? `${pathname}index.html` : pathname
  }
  return page(candidate) === page(entryUrl)
}

export interface PreventableEvent {
  preventDefault(): void
}

/** The `WebContents` members we harden. Real `WebContents` objects satisfy it structurally. */
export interface GuardableWebContents {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
  on(event: 'will-navigate', listener: (event: PreventableEvent, url: string) => void): unknown
  on(event: 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown
}

/**
 * Locks a WebContents to the app: no new windows, no navigation or redirect away from the app,
 * no `<webview>`. Applied to every WebContents the app creates, not only the main window's.
 */
export function guardWebContents(contents: GuardableWebContents, entryUrl: string): void {
  // The UI has no reason to open windows; external links, when they come, go through a vetted
  // main-process call instead.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  const blockForeign = (event: PreventableEvent, url: string): void => {
    if (!isAppUrl(url, entryUrl)) event.preventDefault()
  }
  contents.on('will-navigate', blockForeign)
  contents.on('will-redirect', blockForeign)
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

export interface HeadersReceivedDetails {
  url: string
  responseHeaders?: Record<string, string[]>
}

export interface HeadersReceivedResponse {
  responseHeaders?: Record<string, string[]>
}

/** The `Session` members we harden. Real `Session` objects satisfy it structurally. */
export interface GuardableSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void
  setPermissionCheckHandler(handler: () => boolean): void
  webRequest: {
    onHeadersReceived(
      listener: (
        details: HeadersReceivedDetails,
        callback: (response: HeadersReceivedResponse) => void,
      ) => void,
    ): void
  }
}

/**
 * Denies every permission (camera, notifications, geolocation…: the app needs none) and puts
 * the CSP header on the dev server's responses, replacing any CSP the server sent. The `app://`
 * handler's responses already carry the policy with their page's nonce: they are left alone.
 */
export function guardSession(session: GuardableSession, entryUrl: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.webRequest.onHeadersReceived((details, callback) => {
    const protocol = parseUrl(details.url)?.protocol
    if ((protocol !== 'http:' && protocol !== 'https:') || !isAppUrl(details.url, entryUrl)) {
      callback({})
      return
    }
    const headers: Record<string, string[]> = {}
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      // Header names are case-insensitive; drop any CSP variant so ours is the only one.
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value
    }
    headers['Content-Security-Policy'] = [DEV_SERVER_CONTENT_SECURITY_POLICY]
    callback({ responseHeaders: headers })
  })
}
