import { afterEach, describe, expect, it } from 'vitest'
import {
  IMPORT_QUEUE_FULL_CODE,
  SCOPES_WITHOUT_IMPORTS,
  startConnectifSimulator,
  type ConnectifSimulator,
  type SimulatorOptions,
} from './connectif-simulator'
import { ManualClock } from './virtual-clock'

const KEY = 'key1:secret1'
const NO_IMPORTS_KEY = 'key2:secret2'

let sim: ConnectifSimulator | undefined
let clock: ManualClock

afterEach(async () => {
  await sim?.close()
  sim = undefined
})

async function start(overrides: Partial<SimulatorOptions> = {}): Promise<ConnectifSimulator> {
  clock = new ManualClock()
  sim = await startConnectifSimulator({
    accounts: [
      {
        name: 'shop',
        keys: [{ key: KEY }, { key: NO_IMPORTS_KEY, scopes: SCOPES_WITHOUT_IMPORTS }],
        contacts: ['ana@example.com'],
        products: ['1'],
      },
    ],
    clock,
    imports: { queuedMs: 2_000, rowsPerSecond: 1 },
    ...overrides,
  })
  return sim
}

interface Answer {
  readonly status: number
  readonly json: Record<string, unknown>
  readonly headers: Headers
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text()
  let json: Record<string, unknown> = {}
  try {
    json = JSON.parse(text) as Record<string, unknown>
  } catch {
    // Not JSON: left empty.
  }
  return { status: response.status, json, headers: response.headers }
}

function form(
  type: string,
  csv: string,
  fields: Record<string, string> = {},
  fileType = 'text/csv',
): FormData {
  const body = new FormData()
  body.append('type', type)
  body.append('overrideExisting', fields['overrideExisting'] ?? 'false')
  body.append('updateOnlyEmptyFields', fields['updateOnlyEmptyFields'] ?? 'false')
  body.append('delimiter', fields['delimiter'] ?? ',')
  body.append('file', new Blob([csv], { type: fileType }), `${type}.csv`)
  return body
}

async function post(body: FormData | string, key = KEY): Promise<Answer> {
  return answer(
    await fetch(`${sim?.url}/imports/`, {
      method: 'POST',
      headers: {
        authorization: `apiKey ${key}`,
        ...(typeof body === 'string' ? { 'content-type': 'application/json' } : {}),
      },
      body,
    }),
  )
}

async function get(path: string, key = KEY): Promise<Answer> {
  return answer(await fetch(`${sim?.url}${path}`, { headers: { authorization: `apiKey ${key}` } }))
}

describe('the Import API of the Connectif simulator', () => {
  it('takes a CSV of contacts, queues it, works through it on its clock, then has them', async () => {
    const s = await start()
    const created = await post(
      form(
        'contacts',
        '_email,_name,_surname\nana@example.com,Ana,Other\n"zoe@example.com","Zoë, Ann",Ruiz\nbea@example.com,,\n',
      ),
    )
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({
      type: 'contacts',
      options: { overrideExisting: false, updateOnlyEmptyFields: false, delimiter: ',' },
      status: 'queued',
      total: 3,
      success: 0,
      errors: 0,
    })
    const id = String(created.json['id'])
    expect(id).toMatch(/^[0-9a-f]{24}$/)
    expect(s.account('shop').contacts.has('zoe@example.com')).toBe(false)

    await clock.advance(3_000)
    expect((await get(`/imports/${id}`)).json).toMatchObject({ status: 'inProgress', success: 1 })
    await clock.advance(2_000)
    const finished = await get(`/imports/${id}`)
    expect(finished.json).toMatchObject({ status: 'finished', total: 3, success: 3, errors: 0 })
    expect(finished.json['finishedAt']).toBe(new Date(clock.now()).toISOString())
    const contacts = s.account('shop').contacts
    expect(contacts.get('zoe@example.com')).toEqual({ _name: 'Zoë, Ann', _surname: 'Ruiz' })
    expect(contacts.get('bea@example.com')).toEqual({})
    // overrideExisting=false: what the account had stays as it was.
    expect(contacts.get('ana@example.com')).toEqual({})
    expect(s.account('shop').stats).toMatchObject({
      importRequests: 3,
      imports: { created: 1, refused: 0, polls: 2, lists: 0 },
    })
  })

  it('takes products with numbers and lists, and counts the rows it cannot take', async () => {
    const s = await start({ imports: {} })
    s.account('shop').addProduct('1', { name: 'Old mug', brand: 'Kept' })
    s.account('shop').setImportRowFilter((_type, row) => row['productId'] !== '13')
    const csv = [
      'productId;name;productDetailUrl;unitPrice;unitPriceWithoutVAT;categories;brand',
      '1;Mug;https://shop.example/mug;12.1;10;/Home|/Home/Kitchen;Acme',
      '2;Plate;https://shop.example/plate;9.5;7.85;;',
      '3;No page;;4;3;;',
      '13;Filtered;https://shop.example/13;1;1;;',
      '4;Bad price;https://shop.example/4;cheap;1;;',
    ].join('\n')
    const created = await post(form('products', csv, { delimiter: ';' }))
    // Processed at once with the default timing, the whole file.
    expect(created.json).toMatchObject({ status: 'finished', total: 5, success: 2, errors: 3 })
    expect(created.json['errorReportFileUrl']).toMatch(/^https:\/\//)
    const products = s.account('shop').products
    expect(products.get('2')).toEqual({
      name: 'Plate',
      productDetailUrl: 'https://shop.example/plate',
      unitPrice: 9.5,
      unitPriceWithoutVAT: 7.85,
    })
    expect(products.get('1')).toEqual({ name: 'Old mug', brand: 'Kept' })
    expect(products.has('3') || products.has('13') || products.has('4')).toBe(false)

    const overriding = await post(
      form(
        'products',
        'productId,name,productDetailUrl,unitPrice,brand\n1,Mug,https://shop.example/mug,12.1,Acme\n',
        { overrideExisting: 'true', updateOnlyEmptyFields: 'true' },
      ),
    )
    expect(overriding.json).toMatchObject({ status: 'finished', success: 1 })
    // Only the empty fields are filled: the name and brand the merchant set stay.
    expect(products.get('1')).toEqual({
      name: 'Old mug',
      brand: 'Kept',
      productDetailUrl: 'https://shop.example/mug',
      unitPrice: 12.1,
    })
  })

  it('refuses what is not a valid import: 415, 422, 413', async () => {
    const s = await start({ imports: { maxFileBytes: 100 } })
    expect((await post('{"type":"contacts"}')).status).toBe(415)
    const cases: [FormData, string][] = [
      [form('contacts', 'email\nana@example.com\n'), '_email'],
      [form('contacts', '_email\na@b.c\n', { delimiter: '|' }), 'delimiter'],
      [form('orders', '_email\na@b.c\n'), 'type'],
      [form('contacts', '_email\na@b.c\n', { updateOnlyEmptyFields: 'true' }), 'overrideExisting'],
      [form('contacts', '_email\na@b.c\n', {}, 'application/json'), 'text/csv'],
      [form('products', 'productId,name\n1,Mug\n'), 'unitPrice'],
      [form('contacts', '_email\n'), 'no rows'],
    ]
    for (const [body, reason] of cases) {
      const refused = await post(body)
      expect(refused.status).toBe(422)
      expect(JSON.stringify(refused.json['validationErrors'])).toContain(reason)
    }
    const noFile = new FormData()
    noFile.append('type', 'contacts')
    expect((await post(noFile)).status).toBe(422)
    const large = await post(form('contacts', `_email\n${'a'.repeat(120)}@example.com\n`))
    expect(large.status).toBe(413)
    expect(s.account('shop').imports()).toEqual([])
    expect(s.account('shop').stats.imports).toMatchObject({ created: 0, refused: 10 })
  })

  it('refuses an eleventh queued import with 400 and its code, and takes it once one starts', async () => {
    const s = await start({ imports: { queuedMs: 0, rowsPerSecond: 1 } })
    // One running, ten waiting behind it.
    s.account('shop').addForeignImports(11, 10_000)
    const refused = await post(form('contacts', '_email\nzoe@example.com\n'))
    expect(refused.status).toBe(400)
    expect(refused.json).toMatchObject({ code: IMPORT_QUEUE_FULL_CODE })
    await clock.advance(10_000)
    const taken = await post(form('contacts', '_email\nzoe@example.com\n'))
    expect(taken.status).toBe(201)
    expect(taken.json['status']).toBe('queued')
    // It waits for the ten ahead of it, one after another.
    await clock.advance(100_000)
    expect((await get(`/imports/${String(taken.json['id'])}`)).json['status']).toBe('inProgress')
    await clock.advance(1_000)
    expect((await get(`/imports/${String(taken.json['id'])}`)).json['status']).toBe('finished')
    const views = s.account('shop').imports()
    expect(views).toHaveLength(12)
    expect(views.filter((view) => view.foreign)).toHaveLength(11)
  })

  it('ends an import in error when told, importing nothing', async () => {
    const s = await start({ imports: {} })
    s.account('shop').failNextImports('error')
    const failed = await post(form('contacts', '_email\nzoe@example.com\n'))
    expect(failed.json).toMatchObject({ status: 'error', success: 0, errors: 0 })
    expect(s.account('shop').contacts.has('zoe@example.com')).toBe(false)
    const next = await post(form('contacts', '_email\nzoe@example.com\n'))
    expect(next.json['status']).toBe('finished')
    expect(s.account('shop').contacts.has('zoe@example.com')).toBe(true)
  })

  it('lists the newest first, answers 404 for an unknown id, 403 without the scope', async () => {
    const s = await start({ imports: {} })
    expect((await get('/imports/?limit=1')).json).toEqual([])
    await post(form('contacts', '_email\nzoe@example.com\n'))
    await post(form('contacts', '_email\nbea@example.com\n'))
    const listed = await answer(
      await fetch(`${sim?.url}/imports/?limit=1`, { headers: { authorization: `apiKey ${KEY}` } }),
    )
    expect(Array.isArray(listed.json)).toBe(true)
    expect(listed.json).toHaveLength(1)
    expect((await get('/imports/0123456789abcdef01234567')).status).toBe(404)
    expect((await get('/imports/?limit=1', NO_IMPORTS_KEY)).status).toBe(403)
    expect((await post(form('contacts', '_email\na@b.c\n'), NO_IMPORTS_KEY)).status).toBe(403)
    // Every call the API answered counts against the account's budget.
    const stats = s.account('shop').stats
    expect(stats.importRequests).toBe(5)
    expect(stats.counted).toBe(5)
    expect(s.stats().importRequests).toBe(5)
    expect(listed.headers.get('x-ratelimit-remaining')).toBe('96')
  })
})
