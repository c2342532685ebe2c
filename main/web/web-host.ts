/**
 * Browser mode: serves the built renderer and the same contract over HTTP on 127.0.0.1.
 *
 * - `POST /api/<channel>` with a JSON body answers the channel's Result as JSON (validated by the
 *   same `dispatch` as IPC), `GET /api/events` streams the push channel as server-sent events.
 * - Every /api request needs the random token in the `x-purchase-sender-token` header; without it
 *   → 403. Only `GET /api/events` may carry it as `?token=` instead (EventSource cannot set
 *   headers); anywhere else under /api a `?token=` is refused (403), so the token never sits in a
 *   URL that could be logged or shared. The page itself is opened with `?token=` (the printed
 *   address) and the renderer drops it from the address bar at once.
 * - `GET /api/reports/<id>.csv` streams a sending's CSV report: with the token header, or with a
 *   one-use `?ticket=` the page gets from `POST /api/reports/link`, since a browser's download
 *   link cannot carry a header (report-download.ts).
 * - Only 127.0.0.1 is bound, and a Host header other than 127.0.0.1:port or localhost:port is
 *   refused (a DNS-rebinding page would send its own host name).
 * - Static files carry the renderer's strict CSP; the page gets a fresh style nonce per load, in
 *   its `<meta>` tags and its header. Paths outside the renderer folder are refused.
 * - Errors are answered, never dropped: an undecodable address → 400, a body over the limit → 413
 *   (at once, with the rest of the body read and discarded: closing on a client still sending
 *   would reset the connection before it reads the answer).
 */
import { timingSafeEqual } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { SENDING_EVENT_CHANNEL, TOKEN_HEADER } from '../../preload/contract'
import type { AppService } from '../app/app-service'
import { dispatch } from '../app/ipc-registration'
import { contentSecurityPolicy, createCspNonce, withCspNonce } from '../app/content-security-policy'
import {
  COMMON_HEADERS,
  forbidden,
  internalError,
  invalidRequest,
  sendJson,
  sendText,
} from './http-answers'
import { createReportDownloads, REPORT_LINK_ROUTE, reportPathSendingId } from './report-download'

export interface WebHostOptions {
  readonly service: AppService
  /** The built renderer (out/renderer). */
  readonly rendererDir: string
  /** 0 picks a free port. */
  readonly port?: number
  readonly host?: '127.0.0.1'
  readonly token: string
  readonly log?: (message: string, error?: unknown) => void
  /** When report download tickets expire is read from this clock (Date.now by default). */
  readonly now?: () => number
}

export interface WebHost {
  readonly port: number
  /** `http://127.0.0.1:PORT/?token=…`: the address to open. */
  readonly url: string
  close(): Promise<void>
}

const MAX_BODY_BYTES = 1_000_000
/** How much more of a too-large body is read and discarded before its connection is closed. */
const MAX_DISCARDED_BYTES = 16 * MAX_BODY_BYTES
const SSE_KEEPALIVE_MS = 15_000

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json; charset=utf-8',
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  if (options.token.length < 16) throw new Error('The browser-mode token must be long and random.')
  const host = options.host ?? '127.0.0.1'
  const log = options.log ?? ((message, error) => console.error(message, error))
  const rendererDir = path.resolve(options.rendererDir)
  const expectedToken = Buffer.from(options.token)
  const streams = new Set<ServerResponse>()
  const downloads = createReportDownloads({
    service: options.service,
    now: options.now ?? Date.now,
    log,
  })
  let port = 0

  const tokenMatches = (given: string | null): boolean => {
    if (given === null) return false
    const buffer = Buffer.from(given)
    return buffer.length === expectedToken.length && timingSafeEqual(buffer, expectedToken)
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log('The browser-mode host failed on a request', error)
      if (!response.headersSent) sendJson(response, 500, internalError())
      else response.destroy()
    })
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const hostHeader = (request.headers.host ?? '').toLowerCase()
    if (hostHeader !== `127.0.0.1:${port}` && hostHeader !== `localhost:${port}`) {
      sendText(response, 403, 'Forbidden: this server answers only to 127.0.0.1 and localhost.')
      return
    }
    let url: URL
    try {
      url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`)
      // Checked once here, so no route below can throw on it.
      decodeURIComponent(url.pathname)
    } catch {
      if (isApiPath((request.url ?? '').split('?')[0] ?? ''))
        sendJson(response, 400, invalidRequest('Bad address.'))
      else sendText(response, 400, 'Bad request.')
      return
    }
    if (isApiPath(url.pathname)) {
      const origin = request.headers.origin
      if (origin !== undefined && origin !== `http://${hostHeader}`) {
        sendJson(response, 403, forbidden('Requests from another origin are refused.'))
        return
      }
      const isEventStream = url.pathname === '/api/events' && request.method === 'GET'
      const queryToken = url.searchParams.get('token')
      if (queryToken !== null && !isEventStream) {
        sendJson(
          response,
          403,
          forbidden(`Send the token in the ${TOKEN_HEADER} header, not in the address.`),
        )
        return
      }
      // A report the browser downloads from a link carries a one-use ticket instead of the token
      // (report-download.ts checks it).
      const reportId = request.method === 'GET' ? reportPathSendingId(url.pathname) : null
      const ticket = reportId === null ? null : url.searchParams.get('ticket')
      if (reportId !== null && ticket !== null) {
        await downloads.serve(request, response, reportId, url, ticket)
        return
      }
      const header = request.headers[TOKEN_HEADER]
      const given = typeof header === 'string' ? header : queryToken
      if (!tokenMatches(given)) {
        sendJson(
          response,
          403,
          forbidden('Missing or wrong token: open the address "npm run web" printed.'),
        )
        return
      }
      await handleApi(request, response, url)
      return
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendText(response, 405, 'Method not allowed.', { allow: 'GET, HEAD' })
      return
    }
    await serveStatic(request, response, url.pathname)
  }

  async function handleApi(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
  ): Promise<void> {
    const channel = url.pathname.slice('/api/'.length)
    const reportId = reportPathSendingId(url.pathname)
    if (reportId !== null) {
      if (request.method !== 'GET') {
        sendText(response, 405, 'Method not allowed.', { allow: 'GET' })
        return
      }
      await downloads.serve(request, response, reportId, url, null)
      return
    }
    if (channel === 'events') {
      if (request.method !== 'GET') {
        sendText(response, 405, 'Method not allowed.', { allow: 'GET' })
        return
      }
      openEventStream(request, response)
      return
    }
    if (request.method !== 'POST') {
      sendText(response, 405, 'Method not allowed.', { allow: 'POST' })
      return
    }
    let body: unknown
    try {
      body = await readJson(request)
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        // Answered at once, while readJson goes on reading and discarding the rest of the body.
        sendJson(response, 413, {
          ok: false,
          error: { code: 'request_too_large', message: error.message },
        })
        return
      }
      sendJson(response, 400, invalidRequest((error as Error).message))
      return
    }
    if (channel === REPORT_LINK_ROUTE) {
      sendJson(response, 200, downloads.link(body))
      return
    }
    const result = await dispatch(options.service, decodeURIComponent(channel), body, log)
    const status = !result.ok && result.error.code === 'unknown_channel' ? 404 : 200
    sendJson(response, status, result)
  }

  function openEventStream(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      ...COMMON_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    })
    response.write(': connected\n\n')
    streams.add(response)
    const unsubscribe = options.service.onEvent((event) => {
      response.write(`event: ${SENDING_EVENT_CHANNEL}\ndata: ${JSON.stringify(event)}\n\n`)
    })
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), SSE_KEEPALIVE_MS)
    keepAlive.unref()
    const stop = (): void => {
      clearInterval(keepAlive)
      unsubscribe()
      streams.delete(response)
    }
    request.on('close', stop)
    response.on('close', stop)
  }

  async function serveStatic(
    request: IncomingMessage,
    response: ServerResponse,
    pathname: string,
  ): Promise<void> {
    let relative: string
    try {
      relative = decodeURIComponent(pathname)
    } catch {
      sendText(response, 400, 'Bad request.')
      return
    }
    if (relative.includes('\0') || relative.includes('\\')) {
      sendText(response, 403, 'Forbidden.')
      return
    }
    if (relative === '/' || relative === '') relative = '/index.html'
    const file = path.resolve(rendererDir, `.${relative}`)
    if (file !== rendererDir && !file.startsWith(rendererDir + path.sep)) {
      sendText(response, 403, 'Forbidden.')
      return
    }
    let info
    try {
      info = await stat(file)
    } catch {
      info = null
    }
    if (!info?.isFile()) {
      sendText(response, 404, 'Not found.')
      return
    }
    const contentType =
      CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
    if (contentType.startsWith('text/html')) {
      // The page: a fresh nonce for its styles, in the page and in the header.
      const nonce = createCspNonce()
      const page = withCspNonce(await readFile(file, 'utf8'), nonce)
      response.writeHead(200, {
        ...COMMON_HEADERS,
        'content-security-policy': contentSecurityPolicy(nonce),
        'content-type': contentType,
        'content-length': Buffer.byteLength(page),
        // A cached copy would bring back an old nonce.
        'cache-control': 'no-store',
      })
      response.end(request.method === 'HEAD' ? undefined : page)
      return
    }
    response.writeHead(200, {
      ...COMMON_HEADERS,
      'content-security-policy': contentSecurityPolicy(),
      'content-type': contentType,
      'content-length': info.size,
      'cache-control': 'no-cache',
    })
    if (request.method === 'HEAD') {
      response.end()
      return
    }
    createReadStream(file).pipe(response)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port

  return {
    port,
    url: `http://127.0.0.1:${port}/?token=${encodeURIComponent(options.token)}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const stream of streams) stream.end()
        streams.clear()
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}

function isApiPath(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/')
}

/** The body went over MAX_BODY_BYTES. */
class BodyTooLargeError extends Error {
  constructor() {
    super(`The request is too large (over ${MAX_BODY_BYTES} bytes).`)
  }
}

/**
 * The JSON body. One over MAX_BODY_BYTES rejects with BodyTooLargeError as soon as it crosses the
 * limit (so the 413 goes out at once) and is then read to its end and discarded: a server that
 * stops reading, or closes the connection, while the client still sends makes the client fail on
 * its write (connection reset) before it reads the answer. Only a client that goes on sending
 * MAX_DISCARDED_BYTES more, long after the answer, has its connection closed.
 */
function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const type = request.headers['content-type'] ?? ''
    if (!/^application\/json\b/i.test(type)) {
      reject(new Error('Send the request as application/json.'))
      request.resume()
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk)
        return
      }
      if (!tooLarge) {
        tooLarge = true
        chunks.length = 0
        reject(new BodyTooLargeError())
      }
      if (size > MAX_BODY_BYTES + MAX_DISCARDED_BYTES) request.destroy()
    })
    request.on('end', () => {
      if (tooLarge) return
      const text = Buffer.concat(chunks).toString('utf8')
      if (text.trim() === '') {
        resolve({})
        return
      }
      try {
        resolve(JSON.parse(text))
      } catch {
        reject(new Error('The request body is not valid JSON.'))
      }
    })
    request.on('error', reject)
  })
}
