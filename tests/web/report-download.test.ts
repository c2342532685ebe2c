/**
 * Browser mode's report downloads over real HTTP on 127.0.0.1: the streamed CSV and its headers
 * (the same bytes the command line writes), who may download it (the token header, or a one-use
 * ticket the page asks for; never `?token=`, never another site), and the errors as JSON with
 * their codes.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAppService, type AppService } from '../../main/app/app-service'
import { EnvironmentSecretStore } from '../../main/app/secret-store'
import { main as cli } from '../../main/cli/index'
import { historyDatabasePath } from '../../main/core/history/data-directory'
import { HistoryStore } from '../../main/core/history/history-store'
import { contentDisposition, TICKET_LIFETIME_MS } from '../../main/web/report-download'
import { startWebHost, type WebHost } from '../../main/web/web-host'
import { TOKEN_HEADER, type ReportLink, type Result } from '../../preload/contract'
import { recordReportSendings, type ReportSending } from '../support/report-sending'

const TOKEN = 'test-token-0123456789abcdef'
const FILE_NAME = (id: number) =>
  `purchase-sender_tienda-espana_2025-01-01_2025-01-31_sending-${id}.csv`

let home: string
let history: HistoryStore
let service: AppService
let host: WebHost
let sendings: ReportSending
let now: number
const logged: unknown[] = []

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
  text: string
}

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
        res.on('end', () => {
          const body = Buffer.concat(chunks)
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text: body.toString('utf8'),
          })
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

const withToken = (path: string) => send(path, { headers: { [TOKEN_HEADER]: TOKEN } })

function askLink(body: unknown, headers: Record<string, string> = { [TOKEN_HEADER]: TOKEN }) {
  return send('/api/reports/link', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
}

async function link(sendingId: number, all = false): Promise<ReportLink> {
  const answer = JSON.parse((await askLink({ sendingId, all })).text) as Result<ReportLink>
  if (!answer.ok) throw new Error(`no link: ${answer.error.message}`)
  return answer.data
}

/** What `purchase-sender report ID --out FILE [--all]` writes, over the same history. */
async function cliReport(sendingId: number, all: boolean): Promise<Buffer> {
  const out = join(home, `cli-${sendingId}-${all}.csv`)
  const sink = () => new Writable({ write: (_chunk, _encoding, callback) => callback() })
  const code = await cli(['report', String(sendingId), '--out', out, ...(all ? ['--all'] : [])], {
    stdout: sink(),
    stderr: sink(),
    env: { PURCHASE_SENDER_HOME: home },
  })
  expect(code).toBe(0)
  return readFile(out)
}

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'purchase-sender-report-web-'))
  history = HistoryStore.open(historyDatabasePath(home))
  sendings = recordReportSendings(history)
  service = createAppService({
    history,
    secrets: new EnvironmentSecretStore({ env: {}, profile: () => null }),
    host: { mode: 'browser', dataDirectory: home },
  })
  now = Date.parse('2025-06-01T10:00:00Z')
  logged.length = 0
  host = await startWebHost({
    service,
    rendererDir: home,
    port: 0,
    host: '127.0.0.1',
    token: TOKEN,
    now: () => now,
    log: (message, error) => logged.push([message, error]),
  })
})

afterEach(async () => {
  await host.close()
  await service.shutdown()
  history.close()
  await rm(home, { recursive: true, force: true })
  expect(logged).toEqual([])
})

describe('GET /api/reports/<id>.csv', () => {
  it('streams the CSV the command line writes, as an attachment that is never cached', async () => {
    const { sendingId } = sendings
    for (const all of [false, true]) {
      const answer = await withToken(`/api/reports/${sendingId}.csv?all=${all ? 1 : 0}`)
      expect(answer.status).toBe(200)
      expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8')
      expect(answer.headers['content-disposition']).toBe(
        `attachment; filename="${FILE_NAME(sendingId)}"; filename*=UTF-8''${FILE_NAME(sendingId)}`,
      )
      expect(answer.headers['cache-control']).toBe('no-store')
      expect(answer.headers['cross-origin-resource-policy']).toBe('same-origin')
      expect(answer.headers['x-content-type-options']).toBe('nosniff')
      // Streamed: no length known up front.
      expect(answer.headers['transfer-encoding']).toBe('chunked')
      expect(answer.headers['content-length']).toBeUndefined()
      expect(answer.body.equals(await cliReport(sendingId, all))).toBe(true)
    }
    const every = (await withToken(`/api/reports/${sendingId}.csv?all=1`)).text
    expect(every.startsWith('\ufefforder_id,order_reference,')).toBe(true)
    expect(every.split('\r\n').filter((line) => /^\d+,/.test(line))).toHaveLength(40)
    // `all` absent: the orders not created, as the CLI's default.
    const byDefault = await withToken(`/api/reports/${sendingId}.csv`)
    expect(byDefault.body.equals(await cliReport(sendingId, false))).toBe(true)
  })

  it('needs the token in its header: none, a wrong one, ?token= or another origin are refused', async () => {
    const path = `/api/reports/${sendings.sendingId}.csv`
    for (const answer of [
      await send(path),
      await send(path, { headers: { [TOKEN_HEADER]: 'wrong-token-0123456789abc' } }),
      await send(`${path}?token=${TOKEN}`),
      await send(`${path}?token=${TOKEN}`, { headers: { [TOKEN_HEADER]: TOKEN } }),
      await send(path, { headers: { [TOKEN_HEADER]: TOKEN, origin: 'http://evil.example' } }),
      await send(path, { headers: { [TOKEN_HEADER]: TOKEN, host: 'evil.example' } }),
    ]) {
      expect(answer.status).toBe(403)
      expect(answer.text).not.toContain('order_id')
    }
  })

  it('answers an unknown sending 404 and an empty report 409, as JSON with their codes', async () => {
    const unknown = await withToken('/api/reports/4242.csv')
    expect(unknown.status).toBe(404)
    expect(unknown.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(JSON.parse(unknown.text)).toEqual({
      ok: false,
      error: {
        code: 'sending_not_found',
        message: 'There is no sending #4242.',
        params: { sending: '4242' },
      },
    })
    const noOrders = await withToken(`/api/reports/${sendings.emptySendingId}.csv?all=1`)
    expect(noOrders.status).toBe(409)
    expect(JSON.parse(noOrders.text)).toMatchObject({
      ok: false,
      error: { code: 'report_empty', params: { reason: 'no_orders' } },
    })
    const allCreated = await withToken(`/api/reports/${sendings.allCreatedSendingId}.csv`)
    expect(allCreated.status).toBe(409)
    expect(JSON.parse(allCreated.text)).toMatchObject({
      ok: false,
      error: { code: 'report_empty', params: { reason: 'all_created' } },
    })
    // Every order of it, though, is a report.
    expect((await withToken(`/api/reports/${sendings.allCreatedSendingId}.csv?all=1`)).status).toBe(
      200,
    )
  })

  it('refuses a malformed `all` and any method but GET', async () => {
    const bad = await withToken(`/api/reports/${sendings.sendingId}.csv?all=yes`)
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.text)).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    const posted = await send(`/api/reports/${sendings.sendingId}.csv`, {
      method: 'POST',
      headers: { [TOKEN_HEADER]: TOKEN, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(posted.status).toBe(405)
    expect(posted.headers['allow']).toBe('GET')
  })

  it('stops quietly when the browser cancels a large download, and keeps serving', async () => {
    const big = history.createSending({
      profileId: sendings.profileId,
      from: '2025-02-01',
      to: '2025-02-28',
      stateIds: [2],
      shopIds: [1],
      mode: 'cli',
      options: {
        triggerWorkflows: false,
        createContacts: true,
        createProducts: true,
        rateLimit: 60,
      },
      expectedTotal: 20_000,
      ownerPid: process.pid,
    }).id
    const rows = Array.from({ length: 20_000 }, (_, index) => ({
      orderId: index + 1,
      reference: `REF${index + 1}`,
      orderDate: '2025-02-02T10:00:00+01:00',
      customerEmail: `c${index + 1}@example.com`,
      total: '10.00',
      shopId: 1,
      stateId: 2,
      result: 'skipped' as const,
      payload: null,
      message: 'No e-mail '.repeat(20),
    }))
    history.recordOrders(
      big,
      rows,
      { placedAt: '2025-02-02T10:00:00+01:00', orderId: 20_000 },
      true,
    )
    const firstChunk = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: host.port,
          path: `/api/reports/${big}.csv`,
          headers: { host: `127.0.0.1:${host.port}`, [TOKEN_HEADER]: TOKEN },
        },
        (res) => {
          res.once('data', (chunk: Buffer) => {
            resolve(chunk.length)
            req.destroy()
          })
        },
      )
      req.on('error', () => undefined)
      req.on('close', () => reject(new Error('closed before any data')))
      req.end()
    })
    expect(firstChunk).toBeGreaterThan(0)
    expect((await withToken(`/api/reports/${sendings.sendingId}.csv`)).status).toBe(200)
    // afterEach: nothing was logged for the cancelled download.
  })
})

describe('one-use download links', () => {
  it('lets the page download once from a link, without the token in the address', async () => {
    const { sendingId } = sendings
    const given = await link(sendingId, true)
    expect(given.fileName).toBe(FILE_NAME(sendingId))
    expect(given.url).toMatch(
      new RegExp(`^/api/reports/${sendingId}\\.csv\\?all=1&ticket=[A-Za-z0-9_-]{43}$`),
    )
    expect(given.url).not.toContain(TOKEN)
    const first = await send(given.url, { headers: { 'sec-fetch-site': 'same-origin' } })
    expect(first.status).toBe(200)
    expect(first.headers['content-disposition']).toContain(FILE_NAME(sendingId))
    expect(first.body.equals(await cliReport(sendingId, true))).toBe(true)
    const again = await send(given.url)
    expect(again.status).toBe(403)
    expect(JSON.parse(again.text)).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/already used or has expired/) },
    })
  })

  it('refuses a link after a minute, for another report, or followed from another site', async () => {
    const { sendingId } = sendings
    const late = await link(sendingId)
    now += TICKET_LIFETIME_MS
    expect((await send(late.url)).status).toBe(403)

    // A ticket is for its sending and its `all`; one tried elsewhere is spent.
    const other = await link(sendingId, false)
    expect((await send(other.url.replace('all=0', 'all=1'))).status).toBe(403)
    expect((await send(other.url)).status).toBe(403)
    const forAnother = await link(sendingId)
    expect(
      (
        await send(
          forAnother.url.replace(`/${sendingId}.csv`, `/${sendings.allCreatedSendingId}.csv`),
        )
      ).status,
    ).toBe(403)

    for (const site of ['cross-site', 'same-site']) {
      const leaked = await link(sendingId)
      const answer = await send(leaked.url, { headers: { 'sec-fetch-site': site } })
      expect(answer.status).toBe(403)
      expect(answer.text).not.toContain('order_id')
    }
    // Typed into the address bar (Sec-Fetch-Site: none) it works, once.
    const typed = await link(sendingId)
    expect((await send(typed.url, { headers: { 'sec-fetch-site': 'none' } })).status).toBe(200)
    expect((await send('/api/reports/1.csv?ticket=made-up-ticket-0123456789')).status).toBe(403)
  })

  it('gives links only to the page, and answers the report errors as values', async () => {
    expect((await askLink({ sendingId: sendings.sendingId }, {})).status).toBe(403)
    expect(
      (
        await askLink(
          { sendingId: sendings.sendingId },
          { [TOKEN_HEADER]: TOKEN, origin: 'http://evil.example' },
        )
      ).status,
    ).toBe(403)
    const unknown = await askLink({ sendingId: 4242 })
    expect(unknown.status).toBe(200)
    expect(JSON.parse(unknown.text)).toMatchObject({
      ok: false,
      error: { code: 'sending_not_found', params: { sending: '4242' } },
    })
    expect(JSON.parse((await askLink({ sendingId: sendings.emptySendingId })).text)).toMatchObject({
      ok: false,
      error: { code: 'report_empty', params: { reason: 'all_created' } },
    })
    expect(JSON.parse((await askLink({ sendingId: 'one' })).text)).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    })
  })
})

describe('contentDisposition', () => {
  it('names the file in ASCII and, whole, in RFC 5987 UTF-8', () => {
    expect(contentDisposition('report.csv')).toBe(
      `attachment; filename="report.csv"; filename*=UTF-8''report.csv`,
    )
    expect(contentDisposition('Informe España (1)*.csv')).toBe(
      `attachment; filename="Informe Espana (1)*.csv"; filename*=UTF-8''Informe%20Espa%C3%B1a%20%281%29%2A.csv`,
    )
    expect(contentDisposition('東京\'s "50%"\\\r\nx.csv')).toBe(
      `attachment; filename="__'s _50_____x.csv"; filename*=UTF-8''%E6%9D%B1%E4%BA%AC%27s%20%2250%25%22%5C%0D%0Ax.csv`,
    )
  })
})
