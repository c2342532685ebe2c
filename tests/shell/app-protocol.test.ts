/**
 * The app:// protocol: the pure path resolution (traversal refused, MIME types) and the handler
 * over a real renderer folder (404 for unknown files, a fresh nonce per page load in the page and
 * its CSP header). Electron's protocol.handle calls the handler with a Request; plain objects of
 * the same shape stand in for it.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  contentSecurityPolicy,
  CSP_NONCE_PLACEHOLDER,
} from '../../main/app/content-security-policy'
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
  resolveAppPath,
  type AppProtocolRequest,
} from '../../main/shell/app-protocol'

const RENDERER = path.resolve('/opt/Purchase Sender/resources/app.asar/out/renderer')

describe('resolveAppPath', () => {
  it('maps app://purchase-sender/ paths to files inside the renderer folder', () => {
    expect(resolveAppPath(APP_ENTRY_URL, RENDERER)).toEqual({
      ok: true,
      file: path.join(RENDERER, 'index.html'),
      mimeType: 'text/html; charset=utf-8',
    })
    expect(resolveAppPath(`${APP_ORIGIN}/`, RENDERER)).toMatchObject({
      ok: true,
      file: path.join(RENDERER, 'index.html'),
    })
    expect(resolveAppPath(`${APP_ORIGIN}`, RENDERER)).toMatchObject({
      ok: true,
      file: path.join(RENDERER, 'index.html'),
    })
    expect(resolveAppPath(`${APP_ORIGIN}/index.html?x=1#/history`, RENDERER)).toMatchObject({
      ok: true,
      file: path.join(RENDERER, 'index.html'),
    })
    expect(resolveAppPath(`${APP_ORIGIN}/assets/index-Ab1.js`, RENDERER)).toMatchObject({
      ok: true,
      file: path.join(RENDERER, 'assets', 'index-Ab1.js'),
    })
    expect(resolveAppPath(`${APP_ORIGIN}/assets/my%20file.svg`, RENDERER)).toMatchObject({
      ok: true,
      file: path.join(RENDERER, 'assets', 'my file.svg'),
    })
  })

  it('names the MIME type from the extension', () => {
    const mime = (file: string) => {
      const resolved = resolveAppPath(`${APP_ORIGIN}/${file}`, RENDERER)
      return resolved.ok ? resolved.mimeType : resolved.status
    }
    expect(mime('index.html')).toBe('text/html; charset=utf-8')
    expect(mime('assets/a.js')).toBe('text/javascript; charset=utf-8')
    expect(mime('assets/a.mjs')).toBe('text/javascript; charset=utf-8')
    expect(mime('assets/a.CSS')).toBe('text/css; charset=utf-8')
    expect(mime('assets/a.json')).toBe('application/json; charset=utf-8')
    expect(mime('assets/a.js.map')).toBe('application/json; charset=utf-8')
    expect(mime('assets/a.svg')).toBe('image/svg+xml')
    expect(mime('assets/a.png')).toBe('image/png')
    expect(mime('assets/a.woff2')).toBe('font/woff2')
    expect(mime('assets/a.bin')).toBe('application/octet-stream')
    expect(mime('LICENSE')).toBe('application/octet-stream')
  })

  it('refuses every way out of the renderer folder', () => {
    // Encoded separators, backslashes and NUL are refused outright.
    for (const url of [
      `${APP_ORIGIN}/..%2fmain/index.js`,
      `${APP_ORIGIN}/..%2Fmain/index.js`,
      `${APP_ORIGIN}/assets%2F..%2F..%2Fmain/index.js`,
      `${APP_ORIGIN}/..%5cmain%5cindex.js`,
      `${APP_ORIGIN}/..\\main\\index.js`,
      `${APP_ORIGIN}/index.html%00.js`,
    ])
      expect(resolveAppPath(url, RENDERER), url).toEqual({ ok: false, status: 403 })
    // `..` segments, plain or percent-encoded, are resolved by the URL itself (as Chromium does
    // before the handler sees them): they stop at the root, inside the folder.
    for (const url of [
      `${APP_ORIGIN}/../main/index.js`,
      `${APP_ORIGIN}/%2e%2e/main/index.js`,
      `${APP_ORIGIN}/assets/%2E%2E/%2e%2e/%2e%2e/main/index.js`,
      `${APP_ORIGIN}/assets/.%2e/../../main/index.js`,
    ])
      expect(resolveAppPath(url, RENDERER), url).toEqual({
        ok: true,
        file: path.join(RENDERER, 'main', 'index.js'),
        mimeType: 'text/javascript; charset=utf-8',
      })
  })

  it('refuses other schemes and hosts, credentials and unreadable addresses', () => {
    expect(resolveAppPath('app://evil.example/index.html', RENDERER)).toEqual({
      ok: false,
      status: 404,
    })
    expect(resolveAppPath('file:///etc/passwd', RENDERER)).toEqual({ ok: false, status: 404 })
    expect(resolveAppPath('https://purchase-sender/index.html', RENDERER)).toEqual({
      ok: false,
      status: 404,
    })
    expect(resolveAppPath('app://user:pw@purchase-sender/index.html', RENDERER)).toEqual({
      ok: false,
      status: 400,
    })
    expect(resolveAppPath(`${APP_ORIGIN}/%E0%A4%A`, RENDERER)).toEqual({ ok: false, status: 400 })
    expect(resolveAppPath('not a url', RENDERER)).toEqual({ ok: false, status: 400 })
  })

  it('registers app:// as standard and secure, and nothing more', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({
      scheme: 'app',
      privileges: { standard: true, secure: true },
    })
  })
})

describe('createAppProtocolHandler', () => {
  let root: string
  let renderer: string
  const PAGE = [
    '<!doctype html>',
    `<meta http-equiv="Content-Security-Policy" content="style-src 'self' 'nonce-${CSP_NONCE_PLACEHOLDER}'" />`,
    `<meta property="csp-nonce" nonce="${CSP_NONCE_PLACEHOLDER}" />`,
    '<title>Purchase Sender</title>',
  ].join('\n')

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'ps-app-protocol-'))
    renderer = path.join(root, 'renderer')
    await mkdir(path.join(renderer, 'assets'), { recursive: true })
    await writeFile(path.join(renderer, 'index.html'), PAGE)
    await writeFile(path.join(renderer, 'assets', 'app.js'), 'console.log("hi")')
    await writeFile(path.join(root, 'secret.txt'), 'outside the renderer')
  })

  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  const get = (url: string, extra: Partial<AppProtocolRequest> = {}): AppProtocolRequest => ({
    url,
    method: 'GET',
    ...extra,
  })

  it('serves the page with a fresh nonce per load, in the page and in its CSP header', async () => {
    const nonces = ['AAAAAAAAAAAAAAAAAAAAAA==', 'BBBBBBBBBBBBBBBBBBBBBB==']
    const handler = createAppProtocolHandler({
      rendererDir: renderer,
      createNonce: () => nonces.shift() ?? 'unexpected',
    })
    for (const nonce of ['AAAAAAAAAAAAAAAAAAAAAA==', 'BBBBBBBBBBBBBBBBBBBBBB==']) {
      const response = await handler(get(APP_ENTRY_URL))
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy(nonce))
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      const body = await response.text()
      expect(body).not.toContain(CSP_NONCE_PLACEHOLDER)
      expect(body).toContain(`'nonce-${nonce}'`)
      expect(body).toContain(`<meta property="csp-nonce" nonce="${nonce}" />`)
    }
  })

  it('uses a random nonce by default', async () => {
    const handler = createAppProtocolHandler({ rendererDir: renderer })
    const policies = new Set<string | null>()
    for (let i = 0; i < 3; i++) {
      const response = await handler(get(`${APP_ORIGIN}/`))
      policies.add(response.headers.get('content-security-policy'))
    }
    expect(policies.size).toBe(3)
    for (const policy of policies) expect(policy).toMatch(/'nonce-[A-Za-z0-9+/]{22}=='/)
  })

  it("serves the renderer's other files with their type and the nonce-less policy", async () => {
    const handler = createAppProtocolHandler({ rendererDir: renderer })
    const response = await handler(
      get(`${APP_ORIGIN}/assets/app.js`, { initiatorOrigin: APP_ORIGIN }),
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy())
    expect(await response.text()).toBe('console.log("hi")')
    const head = await handler({ url: `${APP_ORIGIN}/assets/app.js`, method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })

  it('answers 404 for unknown files and folders', async () => {
    const handler = createAppProtocolHandler({ rendererDir: renderer })
    expect((await handler(get(`${APP_ORIGIN}/missing.js`))).status).toBe(404)
    expect((await handler(get(`${APP_ORIGIN}/assets`))).status).toBe(404)
    expect((await handler(get('app://other-host/index.html'))).status).toBe(404)
  })

  it('never serves a file outside the renderer folder', async () => {
    const handler = createAppProtocolHandler({ rendererDir: renderer })
    for (const url of [
      `${APP_ORIGIN}/../secret.txt`,
      `${APP_ORIGIN}/%2e%2e/secret.txt`,
      `${APP_ORIGIN}/..%2fsecret.txt`,
      `${APP_ORIGIN}/..%5csecret.txt`,
      `${APP_ORIGIN}/assets/..%2F..%2Fsecret.txt`,
    ]) {
      const response = await handler(get(url))
      expect(response.status, url).not.toBe(200)
      expect(await response.text(), url).not.toContain('outside the renderer')
    }
  })

  it('answers only GET and HEAD, and only to the app itself', async () => {
    const handler = createAppProtocolHandler({ rendererDir: renderer })
    const post = await handler({ url: APP_ENTRY_URL, method: 'POST' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
    for (const initiatorOrigin of ['https://evil.example', 'null', 'app://evil.example', 'x']) {
      const response = await handler(get(APP_ENTRY_URL, { initiatorOrigin }))
      expect(response.status, initiatorOrigin).toBe(403)
    }
    expect((await handler(get(APP_ENTRY_URL, { initiatorOrigin: APP_ORIGIN }))).status).toBe(200)
  })
})
