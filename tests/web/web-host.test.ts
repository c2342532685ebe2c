/**
 * The browser-mode host over real HTTP: token and Host guards, the contract over POST, progress
 * over server-sent events, and the renderer's static files with the CSP.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAppService, type AppService } from '../../main/app/app-service'
import { EnvironmentSecretStore } from '../../main/app/secret-store'
import { HistoryStore } from '../../main/core/history/history-store'
import {
  contentSecurityPolicy,
  CSP_NONCE_PLACEHOLDER,
} from '../../main/app/content-security-policy'
import { startWebHost, type WebHost } from '../../main/web/web-host'
import { TOKEN_HEADER, type SendingEvent } from '../../preload/contract'

const TOKEN = 'test-token-0123456789abcdef'

let home: string
let history: HistoryStore
let service: AppService
let host: WebHost
let emit: (event: SendingEvent) => void

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** A raw request, so the Host header and odd paths go out exactly as written. */
function send(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: host.port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${host.port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

function post(channel: string, body: unknown, headers: Record<string, string> = {}) {
  return send(`/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: TOKEN, ...headers },
    body: JSON.stringify(body),
  })
}

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'purchase-sender-web-'))
  const renderer = join(home, 'renderer')
  await mkdir(join(renderer, 'assets'), { recursive: true })
  await writeFile(
    join(renderer, 'index.html'),
    `<!doctype html><meta http-equiv="Content-Security-Policy" content="style-src 'nonce-${CSP_NONCE_PLACEHOLDER}'" /><meta property="csp-nonce" nonce="${CSP_NONCE_PLACEHOLDER}" /><title>Purchase Sender</title>`,
  )
  await writeFile(join(renderer, 'assets', 'app.js'), 'console.log("hi")')
  await writeFile(join(home, 'secret.txt'), 'outside the renderer')
  history = HistoryStore.open(join(home, 'history.sqlite3'))
  service = createAppService({
    history,
    secrets: new EnvironmentSecretStore({ env: {}, profile: () => null }),
    host: { mode: 'browser', dataDirectory: home },
  })
  // The host only forwards what the service publishes; a wrapper lets the test publish.
  const listeners = new Set<(event: SendingEvent) => void>()
  emit = (event) => listeners.forEach((listener) => listener(event))
  const publishing: AppService = {
    channels: service.channels,
    activeSendings: () => service.activeSendings(),
    shutdown: () => service.shutdown(),
    startScheduler: () => service.startScheduler(),
    onScheduledRun: (listener) => service.onScheduledRun(listener),
    prepareReport: (sendingId, options) => service.prepareReport(sendingId, options),
    onEvent: (listener) => {
      const off = service.onEvent(listener)
      listeners.add(listener)
      return () => {
        off()
        listeners.delete(listener)
      }
    },
  }
  host = await startWebHost({
    service: publishing,
    rendererDir: renderer,
    port: 0,
    host: '127.0.0.1',
    token: TOKEN,
  })
})

afterEach(async () => {
  await host.close()
  await service.shutdown()
  history.close()
  await rm(home, { recursive: true, force: true })
})

describe('web host', () => {
  it('prints an address on 127.0.0.1 with the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${TOKEN}`)
  })

  it('refuses /api without the right token', async () => {
    expect((await post('profiles:list', {}, { [TOKEN_HEADER]: '' })).status).toBe(403)
    expect(
      (await post('profiles:list', {}, { [TOKEN_HEADER]: 'wrong-token-0123456789abc' })).status,
    ).toBe(403)
    const noHeader = await send('/api/profiles:list', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect(noHeader.status).toBe(403)
    expect(JSON.parse(noHeader.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })

  it('refuses a Host header other than 127.0.0.1 or localhost on its port', async () => {
    expect((await post('profiles:list', {}, { host: 'evil.example:80' })).status).toBe(403)
    expect((await post('profiles:list', {}, { host: `evil.example:${host.port}` })).status).toBe(
      403,
    )
    expect((await send('/', { headers: { host: 'rebound.example' } })).status).toBe(403)
    expect((await post('profiles:list', {}, { host: `localhost:${host.port}` })).status).toBe(200)
  })

  it('refuses requests from another origin', async () => {
    const answer = await post('profiles:list', {}, { origin: 'http://evil.example' })
    expect(answer.status).toBe(403)
  })

  it('answers a channel with its Result, validated like IPC', async () => {
    const list = await post('profiles:list', {})
    expect(list.status).toBe(200)
    expect(list.headers['cache-control']).toBe('no-store')
    expect(JSON.parse(list.body)).toEqual({ ok: true, data: [] })

    const info = JSON.parse((await post('app:info', {})).body)
    expect(info).toMatchObject({
      ok: true,
      data: { mode: 'browser', secretStorage: { ok: false } },
    })

    const invalid = JSON.parse((await post('profiles:delete', { id: 'one' })).body)
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_request' } })

    expect((await post('nothing:here', {})).status).toBe(404)
    const badJson = await send('/api/profiles:list', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: TOKEN },
      body: '{not json',
    })
    expect(badJson.status).toBe(400)
  })

  it('streams sending events as server-sent events', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: host.port,
          path: `/api/events?token=${TOKEN}`,
          headers: { host: `127.0.0.1:${host.port}`, accept: 'text/event-stream' },
        },
        (res) => {
          expect(res.statusCode).toBe(200)
          expect(res.headers['content-type']).toMatch(/^text\/event-stream/)
          let text = ''
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString('utf8')
            if (text.includes(': connected'))
              emit({ type: 'started', sendingId: 7, expectedTotal: 12 })
            if (text.includes('"sendingId":7')) {
              req.destroy()
              resolve(text)
            }
          })
        },
      )
      req.on('error', reject)
      req.end()
    })
    expect(received).toContain(
      'event: sending:event\ndata: {"type":"started","sendingId":7,"expectedTotal":12}\n\n',
    )
  })

  it('refuses the event stream without the token', async () => {
    expect((await send('/api/events')).status).toBe(403)
  })

  it('serves the page with a fresh style nonce per load, in the page and its CSP header', async () => {
    const page = await send(`/?token=${TOKEN}`)
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>Purchase Sender</title>')
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.headers['referrer-policy']).toBe('no-referrer')
    expect(page.headers['cache-control']).toBe('no-store')
    const nonce = /property="csp-nonce" nonce="([^"]+)"/.exec(page.body)?.[1] ?? ''
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/)
    expect(page.body).not.toContain(CSP_NONCE_PLACEHOLDER)
    expect(page.body).toContain(`style-src 'nonce-${nonce}'`)
    expect(page.headers['content-security-policy']).toBe(contentSecurityPolicy(nonce))
    expect(Number(page.headers['content-length'])).toBe(Buffer.byteLength(page.body))

    const again = await send('/index.html')
    const second = /property="csp-nonce" nonce="([^"]+)"/.exec(again.body)?.[1]
    expect(second).toBeDefined()
    expect(second).not.toBe(nonce)
    expect(again.headers['content-security-policy']).toBe(contentSecurityPolicy(second))

    const script = await send('/assets/app.js')
    expect(script.status).toBe(200)
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(script.headers['content-security-policy']).toBe(contentSecurityPolicy())
    expect((await send('/missing.js')).status).toBe(404)
  })

  it('takes ?token= only on GET /api/events; elsewhere under /api it is refused', async () => {
    const events = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: host.port,
          path: `/api/events?token=${TOKEN}`,
          headers: { host: `127.0.0.1:${host.port}` },
        },
        (res) => {
          resolve(res.statusCode ?? 0)
          req.destroy()
        },
      )
      req.on('error', reject)
      req.end()
    })
    expect(events).toBe(200)

    const byQuery = await send(`/api/profiles:list?token=${TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect(byQuery.status).toBe(403)
    expect(byQuery.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(JSON.parse(byQuery.body)).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringContaining(TOKEN_HEADER) },
    })

    // Even alongside the right header: the token must not travel in the address at all.
    const both = await send(`/api/profiles:list?token=${TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: TOKEN },
      body: '{}',
    })
    expect(both.status).toBe(403)

    const otherGet = await send(`/api/other?token=${TOKEN}`)
    expect(otherGet.status).toBe(403)
    expect(JSON.parse(otherGet.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } })

    const eventsByPost = await send(`/api/events?token=${TOKEN}`, { method: 'POST' })
    expect(eventsByPost.status).toBe(403)
  })

  it('answers an undecodable address with 400, not 500', async () => {
    const api = await post('profiles%E0%A4%A', {})
    expect(api.status).toBe(400)
    expect(JSON.parse(api.body)).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect((await send('/%E0%A4%A')).status).toBe(400)
    expect((await send(`/%E0%A4%A?token=${TOKEN}`)).status).toBe(400)
  })

  it('answers a body over the limit with 413 and a JSON error, then keeps serving', async () => {
    const oversized = JSON.stringify({ padding: 'x'.repeat(2_000_000) })
    const answer = await send('/api/profiles:list', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: TOKEN },
      body: oversized,
    })
    expect(answer.status).toBe(413)
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(JSON.parse(answer.body)).toMatchObject({
      ok: false,
      error: { code: 'request_too_large' },
    })
    expect((await post('profiles:list', {})).status).toBe(200)
  })

  it('answers 413 even to a client that streams a body far past the limit', async () => {
    const answer = await new Promise<Answer>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: host.port,
          path: '/api/profiles:list',
          method: 'POST',
          headers: {
            host: `127.0.0.1:${host.port}`,
            'content-type': 'application/json',
            [TOKEN_HEADER]: TOKEN,
          },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('end', () => {
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            })
          })
        },
      )
      // The server closes the connection while this client still writes: expected.
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (!['EPIPE', 'ECONNRESET'].includes(error.code ?? '')) reject(error)
      })
      const chunk = Buffer.alloc(1 << 20, 'x')
      let written = 0
      const pump = (): void => {
        while (written < 64 && !req.destroyed) {
          written++
          if (!req.write(chunk)) {
            req.once('drain', pump)
            return
          }
        }
        if (!req.destroyed) req.end()
      }
      pump()
    })
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'request_too_large' } })
  })

  it('refuses paths outside the renderer folder', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%5csecret.txt',
      '/index.html%00.js',
    ]) {
      const answer = await send(path)
      expect(answer.status, path).not.toBe(200)
      expect(answer.body, path).not.toContain('outside the renderer')
    }
  })
})
