import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import {
  contentSecurityPolicy,
  CSP_NONCE_PLACEHOLDER,
  DEV_SERVER_CONTENT_SECURITY_POLICY,
  withCspNonce,
} from '../../main/app/content-security-policy'
import { APP_ENTRY_URL } from '../../main/shell/app-protocol'
import {
  guardSession,
  guardWebContents,
  isAppPage,
  isAppUrl,
  secureWebPreferences,
  type GuardableSession,
  type GuardableWebContents,
  type HeadersReceivedDetails,
  type HeadersReceivedResponse,
  type PreventableEvent,
} from '../../main/shell/window-security'

const DEV_ENTRY = 'http://localhost:5173/'
const APP_ENTRY = APP_ENTRY_URL

type Listener = (event: PreventableEvent, url: string) => void

/** A stand-in WebContents that records what the guard registers. */
function fakeWebContents() {
  const listeners = new Map<string, Listener>()
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined
  const contents: GuardableWebContents = {
    setWindowOpenHandler(handler) {
      openHandler = handler
    },
    on(event: string, listener: Listener) {
      listeners.set(event, listener)
      return contents
    },
  }
  return {
    contents,
    openWindow: (url: string) => openHandler?.({ url }),
    /** Fires a navigation-like event and says whether the guard prevented it. */
    fire(event: string, url = ''): boolean {
      const listener = listeners.get(event)
      if (!listener) throw new Error(`no listener for ${event}`)
      const preventDefault = vi.fn()
      listener({ preventDefault }, url)
      return preventDefault.mock.calls.length > 0
    },
  }
}

function fakeSession() {
  let permissionRequest:
    | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void)
    | undefined
  let permissionCheck: (() => boolean) | undefined
  let headersListener:
    | ((
        details: HeadersReceivedDetails,
        callback: (response: HeadersReceivedResponse) => void,
      ) => void)
    | undefined
  const session: GuardableSession = {
    setPermissionRequestHandler(handler) {
      permissionRequest = handler
    },
    setPermissionCheckHandler(handler) {
      permissionCheck = handler
    },
    webRequest: {
      onHeadersReceived(listener) {
        headersListener = listener
      },
    },
  }
  return {
    session,
    requestPermission(permission: string): boolean | undefined {
      let granted: boolean | undefined
      permissionRequest?.({}, permission, (value) => {
        granted = value
      })
      return granted
    },
    checkPermission: () => permissionCheck?.(),
    receiveHeaders(details: HeadersReceivedDetails): HeadersReceivedResponse | undefined {
      let response: HeadersReceivedResponse | undefined
      headersListener?.(details, (value) => {
        response = value
      })
      return response
    },
  }
}

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the renderer and passes the preload through', () => {
    expect(secureWebPreferences('/app/out/preload/index.cjs')).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    })
  })
})

describe('isAppUrl', () => {
  it('accepts the dev server origin only', () => {
    expect(isAppUrl('http://localhost:5173/some/route?x=1#y', DEV_ENTRY)).toBe(true)
    expect(isAppUrl('http://localhost:5174/', DEV_ENTRY)).toBe(false)
    expect(isAppUrl('https://localhost:5173/', DEV_ENTRY)).toBe(false)
    expect(isAppUrl('http://localhost.evil.example/', DEV_ENTRY)).toBe(false)
    expect(isAppUrl('https://example.com/', DEV_ENTRY)).toBe(false)
  })

  it('accepts only app://purchase-sender/ URLs for the app:// entry', () => {
    expect(APP_ENTRY).toBe('app://purchase-sender/index.html')
    expect(isAppUrl('app://purchase-sender/index.html#/history', APP_ENTRY)).toBe(true)
    expect(isAppUrl('app://purchase-sender/', APP_ENTRY)).toBe(true)
    expect(isAppUrl('app://purchase-sender/assets/index-abc.js', APP_ENTRY)).toBe(true)
    expect(isAppUrl('APP://Purchase-Sender/index.html', APP_ENTRY)).toBe(true)
    expect(isAppUrl('app://evil.example/index.html', APP_ENTRY)).toBe(false)
    expect(isAppUrl('app://purchase-sender.evil.example/', APP_ENTRY)).toBe(false)
    expect(isAppUrl('app://user:pw@purchase-sender/index.html', APP_ENTRY)).toBe(false)
    expect(isAppUrl('app:purchase-sender/index.html', APP_ENTRY)).toBe(false)
    expect(isAppUrl('https://purchase-sender/index.html', APP_ENTRY)).toBe(false)
    expect(isAppUrl('http://localhost:5173/', APP_ENTRY)).toBe(false)
  })

  it('never takes a file:// URL for the app, not even the built renderer on disk', () => {
    const built = 'file:///opt/Purchase%20Sender/resources/app.asar/out/renderer/index.html'
    expect(isAppUrl(built, APP_ENTRY)).toBe(false)
    expect(isAppUrl('file:///etc/passwd', APP_ENTRY)).toBe(false)
    expect(isAppUrl(built, DEV_ENTRY)).toBe(false)
    // An entry on file:// is no longer supported: nothing matches it.
    expect(isAppUrl(built, built)).toBe(false)
  })

  it('rejects unparsable URLs and odd schemes', () => {
    expect(isAppUrl('not a url', DEV_ENTRY)).toBe(false)
    expect(isAppUrl('javascript:alert(1)', DEV_ENTRY)).toBe(false)
    expect(isAppUrl('data:text/html,<p>hi</p>', APP_ENTRY)).toBe(false)
    expect(isAppUrl('about:blank', APP_ENTRY)).toBe(false)
    expect(isAppUrl('http://localhost:5173/', 'devtools://devtools/')).toBe(false)
  })
})

describe('isAppPage', () => {
  it("is the app's own page, whatever its query or fragment", () => {
    expect(isAppPage(APP_ENTRY, APP_ENTRY)).toBe(true)
    expect(isAppPage('app://purchase-sender/index.html?x=1#/history', APP_ENTRY)).toBe(true)
    expect(isAppPage('app://purchase-sender/', APP_ENTRY)).toBe(true)
    expect(isAppPage('http://localhost:5173/#/', DEV_ENTRY)).toBe(true)
    expect(isAppPage('http://localhost:5173/index.html', DEV_ENTRY)).toBe(true)
  })

  it("is not another of the app's files, nor a foreign page", () => {
    expect(isAppPage('app://purchase-sender/assets/logo.svg', APP_ENTRY)).toBe(false)
    expect(isAppPage('app://purchase-sender/other.html', APP_ENTRY)).toBe(false)
    expect(isAppPage('app://evil.example/index.html', APP_ENTRY)).toBe(false)
    expect(isAppPage('http://localhost:5173/src/page.html', DEV_ENTRY)).toBe(false)
    expect(isAppPage('http://localhost:5174/', DEV_ENTRY)).toBe(false)
  })
})

describe('guardWebContents', () => {
  it('denies every new window', () => {
    const fake = fakeWebContents()
    guardWebContents(fake.contents, DEV_ENTRY)
    expect(fake.openWindow('https://example.com/')).toEqual({ action: 'deny' })
    expect(fake.openWindow('http://localhost:5173/other')).toEqual({ action: 'deny' })
  })

  it.each(['will-navigate', 'will-redirect'])('blocks %s away from the app', (event) => {
    const fake = fakeWebContents()
    guardWebContents(fake.contents, DEV_ENTRY)
    expect(fake.fire(event, 'https://example.com/phish')).toBe(true)
    expect(fake.fire(event, 'file:///etc/passwd')).toBe(true)
    expect(fake.fire(event, 'http://localhost:5173/reloaded')).toBe(false)
  })

  it('keeps the window on app://purchase-sender/', () => {
    const fake = fakeWebContents()
    guardWebContents(fake.contents, APP_ENTRY)
    for (const event of ['will-navigate', 'will-redirect']) {
      expect(fake.fire(event, APP_ENTRY)).toBe(false)
      expect(fake.fire(event, 'app://purchase-sender/index.html#/history')).toBe(false)
      expect(fake.fire(event, 'file:///home/user/.ssh/id_rsa')).toBe(true)
      expect(fake.fire(event, 'file:///opt/app/out/renderer/index.html')).toBe(true)
      expect(fake.fire(event, 'app://evil.example/index.html')).toBe(true)
      expect(fake.fire(event, 'https://example.com/phish')).toBe(true)
      expect(fake.fire(event, 'http://localhost:5173/')).toBe(true)
    }
    expect(fake.openWindow('app://purchase-sender/index.html')).toEqual({ action: 'deny' })
  })

  it('refuses to attach webviews', () => {
    const fake = fakeWebContents()
    guardWebContents(fake.contents, DEV_ENTRY)
    expect(fake.fire('will-attach-webview')).toBe(true)
  })
})

describe('guardSession', () => {
  it('denies permission requests and checks', () => {
    const fake = fakeSession()
    guardSession(fake.session, DEV_ENTRY)
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      expect(fake.requestPermission(permission)).toBe(false)
    }
    expect(fake.checkPermission()).toBe(false)
  })

  it("sets the CSP on the dev server's responses, replacing any the server sent", () => {
    const fake = fakeSession()
    guardSession(fake.session, DEV_ENTRY)
    const response = fake.receiveHeaders({
      url: 'http://localhost:5173/index.html',
      responseHeaders: {
        'Content-Type': ['text/html'],
        'content-security-policy': ["default-src *; script-src 'unsafe-eval'"],
      },
    })
    expect(response?.responseHeaders).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [DEV_SERVER_CONTENT_SECURITY_POLICY],
    })
  })

  it('leaves foreign responses untouched', () => {
    const fake = fakeSession()
    guardSession(fake.session, DEV_ENTRY)
    expect(fake.receiveHeaders({ url: 'https://example.com/', responseHeaders: {} })).toEqual({})
  })

  it("leaves the app:// handler's responses alone: they carry their page's nonce", () => {
    const fake = fakeSession()
    guardSession(fake.session, APP_ENTRY)
    const policy = contentSecurityPolicy('AAAAAAAAAAAAAAAAAAAAAA==')
    expect(
      fake.receiveHeaders({
        url: APP_ENTRY,
        responseHeaders: { 'content-security-policy': [policy] },
      }),
    ).toEqual({})
    expect(fake.receiveHeaders({ url: 'https://example.com/', responseHeaders: {} })).toEqual({})
  })
})

describe('contentSecurityPolicy', () => {
  const directives = (policy: string) =>
    new Map(
      policy
        .split(';')
        .map((part) => part.trim())
        .filter(Boolean)
        .map((part) => {
          const [name = '', ...values] = part.split(/\s+/)
          return [name, values.join(' ')] as const
        }),
    )

  const NONCE = 'AAAAAAAAAAAAAAAAAAAAAA=='

  it("allows only the app itself to run scripts and load content, and only the page's nonce to style", () => {
    expect(Object.fromEntries(directives(contentSecurityPolicy(NONCE)))).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': `'self' 'nonce-${NONCE}'`,
      'img-src': "'self' data:",
      'connect-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
    })
    expect(contentSecurityPolicy(NONCE)).not.toContain('unsafe')
  })

  it('allows no inline style at all without a nonce', () => {
    expect(directives(contentSecurityPolicy()).get('style-src')).toBe("'self'")
    expect(contentSecurityPolicy()).not.toContain('unsafe')
  })

  it('differs for the dev server in style-src only', () => {
    const dev = directives(DEV_SERVER_CONTENT_SECURITY_POLICY)
    expect(dev.get('style-src')).toBe("'self' 'unsafe-inline'")
    dev.delete('style-src')
    const strict = directives(contentSecurityPolicy())
    strict.delete('style-src')
    expect(Object.fromEntries(dev)).toEqual(Object.fromEntries(strict))
  })

  it('refuses a nonce that could break out of the policy or the page', () => {
    for (const bad of [
      '',
      'short',
      "AAAAAAAAAAAAAAAA'; script-src *",
      'AAAAAAAAAAAAAAAA" onload="x',
    ])
      expect(() => contentSecurityPolicy(bad), bad).toThrow()
  })

  it('matches the <meta> policy in renderer/index.html, except meta-ignored frame-ancestors', () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    expect(meta).toBeDefined()
    // As every host serves it: the placeholder replaced by the page load's nonce.
    const served = withCspNonce(meta ?? '', NONCE)
    const header = directives(contentSecurityPolicy(NONCE))
    header.delete('frame-ancestors')
    expect(Object.fromEntries(directives(served))).toEqual(Object.fromEntries(header))
    // The nonce the renderer hands to emotion, in the attribute browsers hide.
    expect(html).toContain(`<meta property="csp-nonce" nonce="${CSP_NONCE_PLACEHOLDER}" />`)
  })
})
