/**
 * Window hardening for the Electron shell. Everything here takes the Electron objects as
 * arguments (typed structurally, with only the members we touch) so tests can pass fakes and
 * never load the `electron` module, whose binary is absent on CI machines.
 */

import { CONTENT_SECURITY_POLICY } from '../app/content-security-policy'

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
 * Whether `candidate` belongs to the app loaded from `entryUrl`.
 *
 * For the dev server that is the same origin. `file://` URLs all share an opaque origin, so
 * there we only accept files inside the renderer's own folder; anything else on disk is foreign.
 */
export function isAppUrl(candidate: string, entryUrl: string): boolean {
  const target = parseUrl(candidate)
  const entry = parseUrl(entryUrl)
  if (!target || !entry) return false
  if (entry.protocol === 'file:') {
    if (target.protocol !== 'file:' || target.host !== entry.host) return false
    const folder = entry.pathname.slice(0, entry.pathname.lastIndexOf('/') + 1)
    // URL() has already resolved `..` (plain or percent-encoded); an encoded separator could
    // still smuggle one past the prefix check, so refuse those outright.
    if (/%2f|%5c/i.test(target.pathname)) return false
    return target.pathname.startsWith(folder)
  }
  if (entry.protocol !== 'http:' && entry.protocol !== 'https:') return false
  return target.origin === entry.origin
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
 * the CSP header on the app's own responses, replacing any CSP the server sent.
 */
export function guardSession(session: GuardableSession, entryUrl: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url, entryUrl)) {
      callback({})
      return
    }
    const headers: Record<string, string[]> = {}
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      // Header names are case-insensitive; drop any CSP variant so ours is the only one.
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value
    }
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY]
    callback({ responseHeaders: headers })
  })
}
