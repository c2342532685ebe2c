/**
 * The `app://` protocol the packaged renderer loads from (Electron security checklist: a custom
 * protocol instead of `file://`, whose pages all share one opaque origin and may read any file).
 *
 * `app://purchase-sender/…` serves the files of the built renderer folder and nothing else. The
 * path resolution is a pure function (`resolveAppPath`); the handler adds the file reading and the
 * headers: each load of the page gets a fresh CSP nonce, in the page and in its policy header.
 * Typed structurally, like the rest of main/shell, so tests never load Electron.
 */
import { readFile as readFileFromDisk } from 'node:fs/promises'
import path from 'node:path'
import { contentSecurityPolicy, createCspNonce, withCspNonce } from '../app/content-security-policy'

export const APP_SCHEME = 'app'
export const APP_HOST = 'purchase-sender'
/** The renderer's origin in the desktop app. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
/** The page the main window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/**
 * For `protocol.registerSchemesAsPrivileged`, before the app is ready. `standard` gives the scheme
 * real origins (relative URLs, localStorage for the chosen language), `secure` makes it a secure
 * context like https. Nothing more: no fetch API, CORS, service workers, or CSP bypass.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true },
} as const

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
}

export type AppPathResolution =
  | { readonly ok: true; readonly file: string; readonly mimeType: string }
  | { readonly ok: false; readonly status: 400 | 403 | 404 }

/**
 * The file `url` names inside `rendererDir` (absolute), or the status to answer: 400 for an
 * address that cannot be read, 404 for another scheme or host, 403 for anything that would leave
 * the folder (`..`, encoded or not; encoded separators; NUL). `/` is `index.html`. Existence is
 * the caller's to check (a missing file is a 404 too).
 */
export function resolveAppPath(url: string, rendererDir: string): AppPathResolution {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { ok: false, status: 400 }
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host.toLowerCase() !== APP_HOST) {
    return { ok: false, status: 404 }
  }
  if (parsed.username !== '' || parsed.password !== '') return { ok: false, status: 400 }
  // An encoded separator would turn into one only after the `..` segments were resolved.
  if (/%2f|%5c|%00/i.test(parsed.pathname)) return { ok: false, status: 403 }
  let relative: string
  try {
    relative = decodeURIComponent(parsed.pathname)
  } catch {
    return { ok: false, status: 400 }
  }
  if (relative.includes('\0') || relative.includes('\\')) return { ok: false, status: 403 }
  if (relative === '' || relative.endsWith('/')) relative += 'index.html'
  const root = path.resolve(rendererDir)
  const file = path.resolve(root, `.${relative.startsWith('/') ? '' : '/'}${relative}`)
  const inside = path.relative(root, file)
  if (
    inside === '' ||
    inside === '..' ||
    inside.startsWith(`..${path.sep}`) ||
    path.isAbsolute(inside)
  ) {
    return { ok: false, status: 403 }
  }
  return {
    ok: true,
    file,
    mimeType: MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
  }
}

/** The members of the Request Electron hands to `protocol.handle` that the handler reads. */
export interface AppProtocolRequest {
  readonly url: string
  readonly method: string
  /**
   * Who asked: the app's origin for its own subresources, absent for the browser's own loads
   * (the window's `loadURL`), `null` for an opaque origin.
   */
  readonly initiatorOrigin?: string
}

export interface AppProtocolOptions {
  /** The built renderer (out/renderer), absolute. */
  readonly rendererDir: string
  /** Reads a file (Electron's fs also reads inside app.asar); node:fs/promises by default. */
  readonly readFile?: (file: string) => Promise<Buffer>
  /** A fresh nonce per page load; createCspNonce by default. */
  readonly createNonce?: () => string
}

function isAppOrigin(origin: string): boolean {
  try {
    const parsed = new URL(origin)
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host.toLowerCase() === APP_HOST
  } catch {
    return false
  }
}

const BASE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
}

function refusal(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: {
      ...BASE_HEADERS,
      'content-type': 'text/plain; charset=utf-8',
      'content-security-policy': contentSecurityPolicy(),
      ...extra,
    },
  })
}

/** The `protocol.handle('app', …)` handler. */
export function createAppProtocolHandler(
  options: AppProtocolOptions,
): (request: AppProtocolRequest) => Promise<Response> {
  const readFile = options.readFile ?? ((file: string) => readFileFromDisk(file))
  const createNonce = options.createNonce ?? createCspNonce
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return refusal(405, 'Method not allowed.', { allow: 'GET, HEAD' })
    }
    // Only the app's own pages may load its files (a page from anywhere else has no business
    // here, even were one ever let in).
    if (request.initiatorOrigin !== undefined && !isAppOrigin(request.initiatorOrigin)) {
      return refusal(403, 'Forbidden.')
    }
    const resolved = resolveAppPath(request.url, options.rendererDir)
    if (!resolved.ok) {
      const text = { 400: 'Bad request.', 403: 'Forbidden.', 404: 'Not found.' }[resolved.status]
      return refusal(resolved.status, text)
    }
    let content: Buffer
    try {
      content = await readFile(resolved.file)
    } catch {
      // Missing, a folder, unreadable: nothing to serve either way.
      return refusal(404, 'Not found.')
    }
    const headers: Record<string, string> = {
      ...BASE_HEADERS,
      'content-type': resolved.mimeType,
    }
    let body: Uint8Array | string = new Uint8Array(content)
    if (resolved.mimeType.startsWith('text/html')) {
      const nonce = createNonce()
      body = withCspNonce(content.toString('utf8'), nonce)
      headers['content-security-policy'] = contentSecurityPolicy(nonce)
      // A cached copy would bring back an old nonce.
      headers['cache-control'] = 'no-store'
    } else {
      headers['content-security-policy'] = contentSecurityPolicy()
    }
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers })
  }
}
