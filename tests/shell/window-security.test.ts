import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../main/app/content-security-policy'
import {
  guardSession,
  guardWebContents,
  isAppUrl,
  secureWebPreferences,
  type GuardableSession,
  type GuardableWebContents,
  type HeadersReceivedDetails,
  type HeadersReceivedResponse,
  type PreventableEvent,
} from '../../main/shell/window-security'

const DEV_ENTRY = 'http://localhost:5173/'
const FILE_ENTRY = 'file:///opt/Purchase%20Sender/resources/app.asar/out/renderer/index.html'

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

  it('accepts only files inside the renderer folder for a file:// entry', () => {
    const folder = 'file:///opt/Purchase%20Sender/resources/app.asar/out/renderer/'
    expect(isAppUrl(`${folder}index.html#/history`, FILE_ENTRY)).toBe(true)
    expect(isAppUrl(`${folder}assets/index-abc.js`, FILE_ENTRY)).toBe(true)
    expect(isAppUrl(`${folder}../main/index.js`, FILE_ENTRY)).toBe(false)
    expect(isAppUrl(`${folder}%2e%2e/main/index.js`, FILE_ENTRY)).toBe(false)
    expect(isAppUrl(`${folder}assets%2F..%2F..%2Fmain/index.js`, FILE_ENTRY)).toBe(false)
    expect(isAppUrl('file:///etc/passwd', FILE_ENTRY)).toBe(false)
    expect(isAppUrl('file://other-host/opt/Purchase%20Sender/x', FILE_ENTRY)).toBe(false)
    expect(isAppUrl('https://example.com/index.html', FILE_ENTRY)).toBe(false)
  })

  it('rejects unparsable URLs and odd schemes', () => {
    expect(isAppUrl('not a url', DEV_ENTRY)).toBe(false)
    expect(isAppUrl('javascript:alert(1)', DEV_ENTRY)).toBe(false)
    expect(isAppUrl('data:text/html,<p>hi</p>', FILE_ENTRY)).toBe(false)
    expect(isAppUrl('http://localhost:5173/', 'devtools://devtools/')).toBe(false)
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

  it('blocks navigation out of the built renderer', () => {
    const fake = fakeWebContents()
    guardWebContents(fake.contents, FILE_ENTRY)
    expect(fake.fire('will-navigate', FILE_ENTRY)).toBe(false)
    expect(fake.fire('will-navigate', 'file:///home/user/.ssh/id_rsa')).toBe(true)
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

  it("sets the CSP on the app's responses, replacing any the server sent", () => {
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
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    })
  })

  it('leaves foreign responses untouched', () => {
    const fake = fakeSession()
    guardSession(fake.session, DEV_ENTRY)
    expect(fake.receiveHeaders({ url: 'https://example.com/', responseHeaders: {} })).toEqual({})
  })
})

describe('CONTENT_SECURITY_POLICY', () => {
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

  it('allows only the app itself to run scripts and load content', () => {
    const policy = directives(CONTENT_SECURITY_POLICY)
    expect(Object.fromEntries(policy)).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self' 'unsafe-inline'",
      'img-src': "'self' data:",
      'connect-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'frame-ancestors': "'none'",
    })
  })

  it('matches the <meta> policy in renderer/index.html, except meta-ignored frame-ancestors', () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    expect(meta).toBeDefined()
    const header = directives(CONTENT_SECURITY_POLICY)
    header.delete('frame-ancestors')
    expect(Object.fromEntries(directives(meta ?? ''))).toEqual(Object.fromEntries(header))
  })
})
