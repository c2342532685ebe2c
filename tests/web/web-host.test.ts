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
import { CONTENT_SECURITY_POLICY } from '../../main/app/content-security-policy'
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
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>Purchase Sender</title>')
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

    const byQuery = await send(`/api/profiles:list?token=${TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect(byQuery.status).toBe(200)

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

  it('serves the renderer with the CSP header', async () => {
    const page = await send(`/?token=${TOKEN}`)
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>Purchase Sender</title>')
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.headers['referrer-policy']).toBe('no-referrer')
    const script = await send('/assets/app.js')
    expect(script.status).toBe(200)
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect((await send('/missing.js')).status).toBe(404)
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
