/**
 * Hostile data end to end: a real store (MariaDB, PrestaShop 9) whose orders carry a reference
 * starting with a line feed and an e-mail starting with "=", sent by the real engine to a
 * "Connectif" on 127.0.0.1 that answers every purchase with a 1 MB error body; then the CSV
 * report of that sending. The report's `response` column shows the answer capped at 8 KB with
 * its marker, and no cell a spreadsheet would run is left as is.
 */
import { createServer, type Server } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../main/core/clock'
import { createConnectifClient } from '../../main/core/connectif/connectif-client'
import { resetRateLimiters } from '../../main/core/connectif/rate-limiter'
import { HistoryStore } from '../../main/core/history/history-store'
import { STORED_RESPONSE_BYTES } from '../../main/core/purchases/field-limits'
import { neutraliseCell, writeSendingReport } from '../../main/core/reports/csv-report'
import { startSending } from '../../main/core/sending/sending-engine'
import type { EngineDependencies } from '../../main/core/sending/sending-types'
import { openDatabaseStore } from '../../main/core/store/database/database-store'
import { createTestDatabase } from '../support/mysql-server'
import type { TestDatabase } from '../support/mysql-server'
import { createPrestaShopSchema } from '../support/prestashop/schema-builder'
import { generateStore } from '../support/prestashop/store-generator'
import type { StoreFixture } from '../support/prestashop/store-generator'
import { databaseOptions, databaseSourceSettings, recentRange } from '../sending/engine-harness'

const VERSION = '9.1.0'
const BODY = Buffer.from(`<html><body>${'Proxy error. '.repeat(80_660)}</body></html>`)
const REFERENCE = '\n=HYPERLINK("http://evil.example","clic")'
const EMAIL = '=1+1@formula.example'

let db: TestDatabase
let fixture: StoreFixture
let server: Server
let apiUrl: string
let home: string
let history: HistoryStore
let picked: { readonly id: number; readonly customerId: number }

beforeAll(async () => {
  resetRateLimiters()
  db = await createTestDatabase('hostile_report')
  fixture = generateStore({
    version: VERSION,
    seed: 11,
    orderCount: 6,
    edgeCases: false,
    dateWindow: recentRange(),
  })
  await createPrestaShopSchema(db.admin, { version: VERSION, prefix: 'ps_' })
  await fixture.load(db.admin)
  const order = fixture
    .expectedOrders({ range: recentRange(), stateIds: fixture.model.states.map((s) => s.id) })
    .find((candidate) => candidate.customer !== null && !candidate.customer.deleted)
  if (!order?.customer) throw new Error('no order with a customer was generated')
  picked = { id: order.id, customerId: order.customer.id }
  await db.admin.query('UPDATE ps_orders SET reference = ? WHERE id_order = ?', [
    REFERENCE,
    picked.id,
  ])
  await db.admin.query('UPDATE ps_customer SET email = ? WHERE id_customer = ?', [
    EMAIL,
    picked.customerId,
  ])

  server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      response.writeHead(502, { 'content-type': 'text/html' })
      response.end(BODY)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  home = await mkdtemp(join(tmpdir(), 'purchase-sender-hostile-'))
  history = HistoryStore.open(join(home, 'history.sqlite3'))
})

afterAll(async () => {
  history?.close()
  if (home) await rm(home, { recursive: true, force: true })
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  await db?.drop()
})

function deps(): EngineDependencies {
  return {
    history,
    openStore: () => openDatabaseStore(databaseOptions(db)),
    connectif: (_account, { onWait }) =>
      createConnectifClient({
        account: { apiUrl, apiKey: 'purchase-sender-test:secret' },
        requestsPerMinute: 60_000,
        onWait,
        retry: { attempts: 1, baseDelayMs: 5, maxDelayMs: 10 },
        timeoutMs: 10_000,
      }),
    clock: systemClock,
    pid: process.pid,
  }
}

/** RFC 4180, as a spreadsheet reads it back, rows by their order_id. */
function parseReport(text: string): Map<string, Record<string, string>> {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"'
        index++
      } else if (char === '"') quoted = false
      else field += char
    } else if (char === '"') quoted = true
    else if (char === ',') {
      record.push(field)
      field = ''
    } else if (char === '\r' && text[index + 1] === '\n') {
      records.push([...record, field])
      record = []
      field = ''
      index++
    } else field += char
  }
  const [header, ...rows] = records as [string[], ...string[][]]
  return new Map(
    rows.map((row) => [
      row[0] as string,
      Object.fromEntries(header.map((column, index) => [column, row[index] as string])),
    ]),
  )
}

describe('a report of hostile data', () => {
  it("caps Connectif's 1 MB answers at 8 KB with the marker and neutralises every dangerous cell", async () => {
    const profile = history.profiles.create({
      name: 'Hostile shop',
      source: databaseSourceSettings(db),
      connectif: { apiUrl, keyEnv: 'CONNECTIF_KEY' },
      shopIds: [],
      languageIso: null,
      defaultStateIds: [],
    })
    const sending = await startSending(deps(), {
      profile,
      ...recentRange(),
      stateIds: fixture.model.states.map((state) => state.id),
      mode: 'cli',
      options: {
        triggerWorkflows: false,
        createContacts: true,
        createProducts: true,
        rateLimit: 60_000,
      },
    })
    expect(sending.counts.failed).toBeGreaterThan(0)
    expect(sending.counts.failed).toBe(sending.counts.total - sending.counts.skipped)

    const chunks: Buffer[] = []
    await writeSendingReport(
      history,
      sending.id,
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          chunks.push(chunk)
          callback()
        },
      }),
      { all: true },
    )
    const rows = parseReport(Buffer.concat(chunks).toString('utf8').slice(1))
    const capped = `${BODY.subarray(0, STORED_RESPONSE_BYTES).toString()}… [truncated: ${BODY.length} bytes in all]`
    const failed = [...rows.values()].filter((row) => row.result === 'failed')
    expect(failed.length).toBe(sending.counts.failed)
    for (const row of failed) {
      expect(row.http_status).toBe('502')
      expect(row.response).toBe(capped)
    }

    // The address PrestaShop accepted was sent (Connectif's answer decided), and both hostile
    // cells come back as text, not as formulas.
    expect(rows.get(String(picked.id))).toMatchObject({
      order_reference: `'${REFERENCE}`,
      customer_email: `'${EMAIL}`,
      result: 'failed',
      response: capped,
    })
  })

  it('neutralises a cell starting with a line feed like the other formula starts', () => {
    for (const cell of ['\n=1+1', '\n', '\r\n@SUM(A1)', '\t=1'])
      expect(neutraliseCell(cell)).toBe(`'${cell}`)
    expect(neutraliseCell('a\n=1+1')).toBe('a\n=1+1')
  })
})
