import { createWriteStream } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HistoryStore } from '../../main/core/history/history-store'
import type { NewOrderRow, OrderResultUpdate } from '../../main/core/history/history-types'
import {
  neutraliseCell,
  REPORT_COLUMNS,
  reportFileName,
  writeSendingReport,
} from '../../main/core/reports/csv-report'

const HEADER =
  'order_id,order_reference,order_date,customer_email,total,result,http_status,error_code,message,response,attempts,sent_at,target,preparing'
const CONFLICT = '{"status":409,"title":"Conflict","detail":"Purchase 1002 already exists."}'

let directory: string
let store: HistoryStore
let sendingId: number

function order(orderId: number, overrides: Partial<NewOrderRow> = {}): NewOrderRow {
  return {
    orderId,
    reference: `REF${orderId}`,
    orderDate: '2025-01-02T10:00:00+01:00',
    customerEmail: `customer${orderId}@example.com`,
    total: '10.00',
    shopId: 1,
    stateId: 2,
    result: 'pending',
    payload: '{}',
    message: null,
    target: 'main',
    ...overrides,
  }
}

function answer(orderId: number, overrides: Partial<OrderResultUpdate>): OrderResultUpdate {
  return {
    orderId,
    result: 'created',
    httpStatus: 201,
    errorCode: null,
    message: null,
    response: null,
    attempts: 1,
    sentAt: '2025-03-01T10:00:05.000Z',
    ...overrides,
  }
}

beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'purchase-sender-report-'))
  store = HistoryStore.open(path.join(directory, 'history.sqlite3'), {
    isProcessAlive: () => true,
  })
  const profile = store.profiles.create({
    name: 'Tienda',
    source: { kind: 'webservice', url: 'https://shop.example/api', keyEnv: 'PS_WS_KEY' },
    connectif: { apiUrl: 'https://api.connectif.cloud', keyEnv: 'CONNECTIF_API_KEY' },
    shopIds: [],
    languageIso: null,
    defaultStateIds: [],
  })
  sendingId = store.createSending({
    profileId: profile.id,
    from: '2025-01-01',
    to: '2025-01-31',
    stateIds: [2],
    shopIds: [],
    mode: 'cli',
    options: { triggerWorkflows: false, createContacts: true, createProducts: true, rateLimit: 60 },
    expectedTotal: 6,
    ownerPid: process.pid,
  }).id
  store.recordOrders(
    sendingId,
    [
      order(1001),
      order(1002, { customerEmail: 'josé.núñez@ejemplo.es' }),
      order(1003, { total: '-12.50', reference: '=HYPERLINK("http://evil.example","clic")' }),
      order(1004, { result: 'skipped', payload: null, message: '+34 600 000 000, no e-mail' }),
      order(1005, { reference: '@SUM(A1:A2)' }),
      order(1006),
    ],
    null,
    true,
  )
  store.writeResults(sendingId, [
    answer(1001, {}),
    answer(1002, { result: 'already_exists', httpStatus: 409, response: CONFLICT }),
    answer(1003, {
      result: 'failed',
      httpStatus: 400,
      errorCode: '-1',
      message: '-Quantity must be "positive",\nsaid the API 🎉 café',
      response: '{"status":400,"detail":"line 1\\nline 2"}',
      attempts: 3,
    }),
    answer(1005, {
      result: 'failed',
      httpStatus: 500,
      errorCode: 'server_error',
      message: '\tTab',
    }),
  ])
  // 1006 stays pending: the sending was interrupted before it was sent.
})

afterEach(async () => {
  store.close()
  await rm(directory, { recursive: true, force: true })
})

/** What a file would hold, as one string. */
async function report(all: boolean): Promise<{ text: string; rows: number; bytes: Buffer }> {
  const chunks: Buffer[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk)
      callback()
    },
  })
  const { rows } = await writeSendingReport(store, sendingId, sink, { all })
  const bytes = Buffer.concat(chunks)
  return { text: bytes.toString('utf8'), rows, bytes }
}

/** RFC 4180, as a spreadsheet reads it back. */
function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!
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
      record.push(field)
      records.push(record)
      record = []
      field = ''
      index++
    } else field += char
  }
  if (field !== '' || record.length > 0) records.push([...record, field])
  return records
}

function byOrderId(records: string[][]): Map<string, Record<string, string>> {
  const [header, ...rows] = records
  return new Map(
    rows.map((row) => [
      row[0]!,
      Object.fromEntries(header!.map((column, index) => [column, row[index]!])),
    ]),
  )
}

describe('CSV report', () => {
  it('starts with a UTF-8 BOM and exactly the contract header, records ending in CRLF', async () => {
    const { bytes, text } = await report(false)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(text.slice(1).split('\r\n')[0]).toBe(HEADER)
    expect(REPORT_COLUMNS.join(',')).toBe(HEADER)
    expect(text.endsWith('\r\n')).toBe(true)
  })

  it('holds the rows not created by default, and every row with all, in order id order', async () => {
    const byDefault = await report(false)
    const defaultRecords = parseCsv(byDefault.text.slice(1))
    expect(defaultRecords.slice(1).map((row) => [row[0], row[5]])).toEqual([
      ['1002', 'already_exists'],
      ['1003', 'failed'],
      ['1004', 'skipped'],
      ['1005', 'failed'],
      ['1006', 'pending'],
    ])
    expect(byDefault.rows).toBe(5)

    const all = await report(true)
    expect(all.rows).toBe(6)
    expect(
      parseCsv(all.text.slice(1))
        .slice(1)
        .map((row) => row[0]),
    ).toEqual(['1001', '1002', '1003', '1004', '1005', '1006'])
    expect(byOrderId(parseCsv(all.text.slice(1))).get('1001')).toEqual({
      order_id: '1001',
      order_reference: 'REF1001',
      order_date: '2025-01-02T10:00:00+01:00',
      customer_email: 'customer1001@example.com',
      total: '10.00',
      result: 'created',
      http_status: '201',
      error_code: '',
      message: '',
      response: '',
      attempts: '1',
      sent_at: '2025-03-01T10:00:05.000Z',
      target: 'main',
      // Nothing was imported for this sending.
      preparing: '',
    })
  })

  it('neutralises cells a spreadsheet would run as formulas, but keeps negative totals', async () => {
    const rows = byOrderId(parseCsv((await report(false)).text.slice(1)))
    expect(rows.get('1003')).toMatchObject({
      order_reference: `'=HYPERLINK("http://evil.example","clic")`,
      total: '-12.50',
      error_code: `'-1`,
      message: `'-Quantity must be "positive",\nsaid the API 🎉 café`,
      attempts: '3',
    })
    expect(rows.get('1004')?.message).toBe(`'+34 600 000 000, no e-mail`)
    expect(rows.get('1005')).toMatchObject({
      order_reference: `'@SUM(A1:A2)`,
      message: `'\tTab`,
      http_status: '500',
    })
  })

  it('keeps the raw response verbatim and round-trips accents, emoji, quotes and newlines', async () => {
    const { text } = await report(false)
    const rows = byOrderId(parseCsv(text.slice(1)))
    expect(rows.get('1002')).toMatchObject({
      customer_email: 'josé.núñez@ejemplo.es',
      http_status: '409',
      response: CONFLICT,
    })
    expect(rows.get('1003')?.response).toBe('{"status":400,"detail":"line 1\\nline 2"}')
    // Quotes are doubled, and a cell holding a comma, a quote or a newline is quoted.
    expect(text).toContain(`"{""status"":409,""title"":""Conflict""`)
    expect(text).toContain(`"'-Quantity must be ""positive"",\nsaid the API 🎉 café"`)
    expect(text).toContain(`"'+34 600 000 000, no e-mail"`)
    expect(rows.get('1006')).toMatchObject({ result: 'pending', sent_at: '', attempts: '0' })
  })

  it('writes a file and ends it', async () => {
    const file = path.join(directory, 'report.csv')
    const { rows } = await writeSendingReport(store, sendingId, createWriteStream(file), {
      all: true,
    })
    expect(rows).toBe(6)
    const content = await readFile(file, 'utf8')
    expect(content.startsWith(`\ufeff${HEADER}\r\n1001,`)).toBe(true)
  })

  it('refuses an unknown sending before writing anything', async () => {
    const written: unknown[] = []
    const sink = new Writable({
      write(chunk, _encoding, callback) {
        written.push(chunk)
        callback()
      },
    })
    await expect(writeSendingReport(store, 999, sink, { all: false })).rejects.toMatchObject({
      code: 'sending_not_found',
    })
    expect(written).toEqual([])
  })
})

describe('neutraliseCell', () => {
  it('prefixes a quote to cells starting with = + - @ tab, CR or LF, and only those', () => {
    for (const cell of ['=1+1', '+1', '-1', '@A1', '\tx', '\rx', '\nx', '=HYPERLINK("x")'])
      expect(neutraliseCell(cell)).toBe(`'${cell}`)
    for (const cell of ['', 'plain', ' =1', 'a=b', '{"status":409}', "'already"])
      expect(neutraliseCell(cell)).toBe(cell)
  })
})

describe('reportFileName', () => {
  it('names the profile, the range and the sending', () => {
    const sending = { id: 42, from: '2025-01-01', to: '2025-03-31' }
    expect(reportFileName('Tienda España', sending)).toBe(
      'purchase-sender_tienda-espana_2025-01-01_2025-03-31_sending-42.csv',
    )
    expect(reportFileName('  Ñandú & Co. / outlet!! ', sending)).toBe(
      'purchase-sender_nandu-co-outlet_2025-01-01_2025-03-31_sending-42.csv',
    )
    expect(reportFileName('🎉', sending)).toBe(
      'purchase-sender_profile_2025-01-01_2025-03-31_sending-42.csv',
    )
    expect(reportFileName('a'.repeat(100), sending)).toBe(
      `purchase-sender_${'a'.repeat(40)}_2025-01-01_2025-03-31_sending-42.csv`,
    )
  })
})
