import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../mysql-server'
import { ManualClock } from '../virtual-clock'
import { createPrestaShopSchema, type PrestaShopVersion } from './schema-builder'
import { PRODUCTS } from './store-catalog'
import { generateScenario, type ScenarioName, type StoreFixture } from './store-generator'
import {
  startWebserviceSimulator,
  WEBSERVICE_TEST_KEY,
  type WebserviceSimulator,
  type WebserviceSimulatorOptions,
} from './webservice-simulator'

interface Opened {
  readonly db: TestDatabase
  readonly fixture: StoreFixture
  readonly sim: WebserviceSimulator
}

async function openStore(
  version: PrestaShopVersion,
  scenario: ScenarioName,
  prefix: string,
  options: Partial<WebserviceSimulatorOptions> = {},
): Promise<Opened> {
  const db = await createTestDatabase(`ws_${scenario}_${version}`)
  const fixture = generateScenario(scenario, { version, prefix, seed: 20251127 })
  await createPrestaShopSchema(db.admin, { version, prefix })
  await fixture.load(db.admin)
  const sim = await startWebserviceSimulator({ database: db, prefix, version, ...options })
  return { db, fixture, sim }
}

async function closeStore(opened: Opened | undefined): Promise<void> {
  await opened?.sim.close()
  await opened?.db.drop()
}

const BASIC = `Basic ${Buffer.from(`${WEBSERVICE_TEST_KEY}:`).toString('base64')}`

interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any
}

/** GET with the key in the Authorization header, JSON asked for unless the path says otherwise. */
async function get(
  sim: WebserviceSimulator,
  path: string,
  init: RequestInit & { json?: boolean } = {},
): Promise<Answer> {
  const { json = true, ...rest } = init
  const separator = path.includes('?') ? '&' : '?'
  const url = `${sim.url}${path}${json ? `${separator}output_format=JSON` : ''}`
  const response = await fetch(url, {
    redirect: 'manual',
    ...rest,
    headers: { Authorization: BASIC, ...(rest.headers as Record<string, string> | undefined) },
  })
  const text = await response.text()
  let parsed: unknown = undefined
  if (text !== '' && (response.headers.get('content-type') ?? '').startsWith('application/json')) {
    parsed = JSON.parse(text)
  }
  return { status: response.status, headers: response.headers, text, json: parsed }
}

function errorCodes(answer: Answer): number[] {
  return (answer.json as { errors: { code: number }[] }).errors.map((error) => error.code)
}

/** Orders in (date_add, id) order, as the fixture computes them. */
function ordersByDate(fixture: StoreFixture): { id: number; placedAt: string }[] {
  return fixture.expectedOrders().map((order) => ({ id: order.id, placedAt: order.placedAt }))
}

// ---------------------------------------------------------------------------------------------

describe('Webservice simulator on a 1.7.8.7 multilingual store (custom prefix)', () => {
  let opened: Opened
  let sim: WebserviceSimulator
  beforeAll(async () => {
    opened = await openStore('1.7.8.7', 'multilingual', 'shop2024_')
    sim = opened.sim
  })
  afterAll(async () => closeStore(opened))

  it('authenticates with the Authorization header or ws_key and logs the mode', async () => {
    sim.resetRequests()
    const byHeader = await get(sim, 'api/orders?limit=1')
    expect(byHeader.status).toBe(200)
    expect(byHeader.headers.get('psws-version')).toBe('1.7.8.7')
    expect(byHeader.headers.get('x-powered-by')).toBe('PrestaShop Webservice')
    expect(byHeader.headers.get('execution-time')).toMatch(/^\d+(\.\d+)?$/)
    expect(byHeader.headers.get('content-type')).toBe('application/json;charset=utf-8')
    expect(byHeader.headers.get('content-sha1')).toMatch(/^[0-9a-f]{40}$/)

    const byQuery = await fetch(
      `${sim.url}api/orders?limit=1&output_format=JSON&ws_key=${WEBSERVICE_TEST_KEY}`,
    )
    expect(byQuery.status).toBe(200)
    expect(sim.requests.map((r) => [r.auth, r.resource, r.status, r.method])).toEqual([
      ['header', 'orders', 200, 'GET'],
      ['query', 'orders', 200, 'GET'],
    ])
    expect(sim.requests[1]?.query).toMatchObject({ limit: '1', output_format: 'JSON' })
  })

  it('answers auth failures like dispatcher.php and WebserviceRequest::authenticate', async () => {
    const none = await fetch(`${sim.url}api/orders?output_format=JSON`)
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toContain('Welcome to PrestaShop Webservice')
    expect(none.headers.get('content-type')).toMatch(/^text\/html/)
    expect(none.headers.get('psws-version')).toBeNull()
    expect(await none.text()).toBe('401 Unauthorized')

    const short = await get(sim, 'api/orders', {
      headers: { Authorization: `Basic ${Buffer.from('TOOSHORT:').toString('base64')}` },
    })
    expect(short.status).toBe(401)
    expect(errorCodes(short)).toEqual([18])
    expect(short.headers.get('www-authenticate')).toContain('PrestaShop')
    expect(short.headers.get('psws-version')).toBeNull()

    const unknown = await get(sim, 'api/orders', {
      headers: { Authorization: `Basic ${Buffer.from(`${'X'.repeat(32)}:`).toString('base64')}` },
    })
    expect(unknown.status).toBe(401)
    expect(errorCodes(unknown)).toEqual([20, 21])
    expect(unknown.json.errors[0].message).toBe('Authentification key is not active')
    expect(unknown.headers.get('www-authenticate')).not.toBeNull()

    const empty = await get(sim, 'api/orders', {
      headers: { Authorization: `Basic ${Buffer.from(':').toString('base64')}` },
    })
    expect(errorCodes(empty)).toEqual([17])
  })

  it('loses the Authorization header behind CGI, and checks activation before the key', async () => {
    sim.setQuirks({ stripAuthorization: true })
    try {
      const header = await get(sim, 'api/orders')
      expect(header.status).toBe(401)
      expect(header.text).toBe('401 Unauthorized')
      const query = await fetch(
        `${sim.url}api/orders?output_format=JSON&ws_key=${WEBSERVICE_TEST_KEY}`,
      )
      expect(query.status).toBe(200)
    } finally {
      sim.setQuirks({ stripAuthorization: false })
    }

    sim.setQuirks({ disabled: true })
    try {
      const disabled = await get(sim, 'api/orders')
      expect(disabled.status).toBe(503)
      expect(errorCodes(disabled)).toEqual([22])
      // With no key at all, dispatcher.php answers before looking at PS_WEBSERVICE.
      const noKey = await fetch(`${sim.url}api/orders`)
      expect(noKey.status).toBe(401)
    } finally {
      sim.setQuirks({ disabled: false })
    }
  })

  it('answers XML unless JSON is asked for exactly', async () => {
    const xml = await get(sim, 'api/orders?limit=2', { json: false })
    expect(xml.headers.get('content-type')).toBe('text/xml;charset=utf-8')
    expect(xml.text).toContain('<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">')
    expect(xml.text).toContain('<order id="1" xlink:href=')
    const lower = await get(sim, 'api/orders?limit=2&output_format=json', { json: false })
    expect(lower.headers.get('content-type')).toBe('text/xml;charset=utf-8')
    for (const [path, headers] of [
      ['api/orders?limit=2&io_format=JSON', {}],
      ['api/orders?limit=2', { 'Output-Format': 'JSON' }],
      ['api/orders?limit=2', { 'Io-Format': 'JSON' }],
    ] as const) {
      const answer = await get(sim, path, { json: false, headers })
      expect(answer.json).toEqual({ orders: [{ id: 1 }, { id: 2 }] })
    }
    const xmlError = await get(sim, 'api/orderz', { json: false })
    expect(xmlError.text).toContain('<code><![CDATA[27]]></code>')
  })

  it('serves the dispatcher URL, and only it when rewriting is off', async () => {
    const direct = await get(sim, 'webservice/dispatcher.php?url=orders/3')
    expect(direct.json.order.id).toBe(3)
    sim.setQuirks({ rewriteOff: true })
    try {
      const api = await get(sim, 'api/orders/3')
      expect(api.status).toBe(404)
      expect(api.headers.get('content-type')).toMatch(/^text\/html/)
      expect(api.text).toContain('The page you are looking for was not found.')
      const dispatcher = await get(sim, 'webservice/dispatcher.php?url=orders&limit=1')
      expect(dispatcher.json).toEqual({ orders: [{ id: 1 }] })
    } finally {
      sim.setQuirks({ rewriteOff: false })
    }
    const root = await get(sim, 'api/')
    expect(root.json).toContain('orders')
    const elsewhere = await get(sim, 'index.php?controller=product')
    expect(elsewhere.status).toBe(404)
  })

  it('refuses unknown resources, other methods and reports missing ids', async () => {
    const unknown = await get(sim, 'api/orderz')
    expect(unknown.status).toBe(400)
    expect(errorCodes(unknown)).toEqual([27])
    expect(unknown.json.errors[0].message).toContain('Did you mean: "orders"?')
    const notSimulated = await get(sim, 'api/carriers')
    expect(notSimulated.status).toBe(401)
    expect(errorCodes(notSimulated)).toEqual([26])
    const post = await get(sim, 'api/orders', { method: 'POST', body: '<prestashop/>' })
    expect(post.status).toBe(405)
    expect(errorCodes(post)).toEqual([25])
    const patch = await get(sim, 'api/orders', { method: 'PATCH', body: '<prestashop/>' })
    expect(errorCodes(patch)).toEqual([23]) // PATCH only exists from 8.0
    const missing = await get(sim, 'api/orders/999999')
    expect(missing.status).toBe(404)
    expect(missing.text).toBe('')
    const head = await fetch(`${sim.url}api/orders/1?output_format=JSON`, {
      method: 'HEAD',
      headers: { Authorization: BASIC },
    })
    expect(head.status).toBe(200)
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(100)
    expect(await head.text()).toBe('')
  })

  it('answers an empty list as a bare [] (1.6/1.7) and keeps falsy fields of single resources', async () => {
    const empty = await get(sim, 'api/orders?filter[id]=[999999]&display=full')
    expect(empty.status).toBe(200)
    expect(empty.text).toBe('[]')
    const single = await get(sim, 'api/orders/1')
    expect(single.json.order.gift).toBe('0')
    expect(single.json.order.id).toBe(1)
    expect(typeof single.json.order.id_customer).toBe('string')
  })

  it('renders multilingual fields as arrays, or a string when one language is returned', async () => {
    const all = await get(sim, 'api/order_states/2')
    expect(all.json.order_state.name).toEqual([
      { id: '1', value: 'Payment accepted' },
      { id: '2', value: 'Pago aceptado' },
      { id: '3', value: 'Paiement accepté' },
    ])
    const one = await get(sim, 'api/order_states/2?language=2')
    expect(one.json.order_state.name).toBe('Pago aceptado')
    const two = await get(sim, 'api/order_states?display=[id,name]&filter[id]=[2]&language=[1|3]')
    expect(two.json.order_states).toEqual([
      {
        id: 2,
        name: [
          { id: '1', value: 'Payment accepted' },
          { id: '3', value: 'Paiement accepté' },
        ],
      },
    ])
    const wrong = await get(sim, 'api/order_states?language=abc')
    expect(errorCodes(wrong)).toEqual([79])
  })

  it('filters dates only with date=1, with BETWEEN bounds inclusive and sorted', async () => {
    const orders = ordersByDate(opened.fixture)
    const withoutDate = await get(sim, 'api/orders?filter[date_add]=[2025-01-01,2025-12-31]')
    expect(withoutDate.status).toBe(400)
    expect(errorCodes(withoutDate)).toEqual([32])
    expect(withoutDate.json.errors[0].message).toContain('This filter does not exist')
    const sortWithoutDate = await get(sim, 'api/orders?sort=[date_add_ASC]')
    expect(errorCodes(sortWithoutDate)).toEqual([38])

    const low = orders[10]
    const high = orders[20]
    if (low === undefined || high === undefined) throw new Error('store too small')
    const expected = orders
      .filter((order) => order.placedAt >= low.placedAt && order.placedAt <= high.placedAt)
      .map((order) => order.id)
      .sort((a, b) => a - b)
    // Bounds given high first: PrestaShop sorts them before BETWEEN.
    const range = await get(
      sim,
      `api/orders?date=1&filter[date_add]=[${encodeURIComponent(`${high.placedAt},${low.placedAt}`)}]`,
    )
    const ids = (range.json.orders as { id: number }[]).map((order) => order.id)
    expect(ids).toEqual(expected)
    expect(ids).toContain(low.id)
    expect(ids).toContain(high.id)
  })

  it('pages with sort and limit=offset,count', async () => {
    const expected = ordersByDate(opened.fixture).map((order) => order.id)
    const seen: number[] = []
    for (let offset = 0; ; offset += 7) {
      const page = await get(
        sim,
        `api/orders?date=1&display=[id,date_add]&sort=[date_add_ASC,id_ASC]&limit=${offset},7`,
      )
      const ids = Array.isArray(page.json)
        ? []
        : (page.json.orders as { id: number }[]).map((order) => order.id)
      seen.push(...ids)
      if (ids.length < 7) break
    }
    expect(seen).toEqual(expected)
    const first = await get(sim, 'api/orders?limit=3&sort=id_DESC')
    expect(first.json.orders).toEqual(
      [...expected]
        .sort((a, b) => b - a)
        .slice(0, 3)
        .map((id) => ({ id })),
    )
    expect(errorCodes(await get(sim, 'api/orders?sort=[id]'))).toEqual([37])
    expect(errorCodes(await get(sim, 'api/orders?limit=1,2,3'))).toEqual([39])
    expect(errorCodes(await get(sim, 'api/orders?display=[id,nope]'))).toEqual([35])
    expect(errorCodes(await get(sim, 'api/orders?display=id'))).toEqual([36])
    expect(errorCodes(await get(sim, 'api/orders?filter[shipping_number]=[x]'))).toEqual([34])
    expect(errorCodes(await get(sim, 'api/orders?filter[id]='))).toEqual([33])
  })

  it('filters by id lists, !, > and <', async () => {
    const list = await get(sim, 'api/orders?filter[id]=[1|2|3]')
    expect(list.json.orders).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }])
    const notIn = await get(sim, 'api/orders?filter[id]=![1|2]&limit=2')
    expect(notIn.json.orders).toEqual([{ id: 3 }, { id: 4 }])
    const above = await get(sim, 'api/orders?filter[id]=>[57]')
    expect(above.json.orders).toEqual([{ id: 58 }, { id: 59 }, { id: 60 }])
    const below = await get(sim, 'api/orders?filter[id]=<[3]')
    expect(below.json.orders).toEqual([{ id: 1 }, { id: 2 }])
  })

  it('carries the same orders and lines as the database (display=full, strings)', async () => {
    const expected = new Map(opened.fixture.expectedOrders().map((order) => [order.id, order]))
    const answer = await get(sim, 'api/orders?display=full&limit=0,100')
    const orders = answer.json.orders as Record<string, unknown>[]
    expect(orders).toHaveLength(expected.size)
    for (const order of orders) {
      const want = expected.get(order['id'] as number)
      if (want === undefined) throw new Error(`unexpected order ${String(order['id'])}`)
      expect(order).toMatchObject({
        reference: want.reference,
        id_shop: String(want.shopId),
        id_lang: String(want.languageId),
        current_state: String(want.stateId),
        date_add: want.placedAt,
        total_paid_tax_incl: want.totalPaidTaxIncl,
        conversion_rate: want.conversionRate,
        id_currency: String(want.currency.id),
        payment: want.paymentMethod,
      })
      const rows = ((order['associations'] as Record<string, unknown> | undefined)?.[
        'order_rows'
      ] ?? []) as Record<string, string | null>[]
      expect(
        rows.map((row) => [
          Number(row['id']),
          Number(row['product_id']),
          Number(row['product_attribute_id'] ?? 0),
          Number(row['product_quantity']),
          row['product_name'],
          row['unit_price_tax_incl'],
          row['unit_price_tax_excl'],
        ]),
      ).toEqual(
        want.lines.map((line) => [
          line.id,
          line.productId,
          line.productAttributeId,
          line.quantity,
          line.name,
          line.unitPriceTaxIncl,
          line.unitPriceTaxExcl,
        ]),
      )
      for (const row of rows) {
        expect(Object.keys(row)).toEqual([
          'id',
          'product_id',
          'product_attribute_id',
          'product_quantity',
          'product_name',
          'product_reference',
          'product_ean13',
          'product_isbn',
          'product_upc',
          'product_price',
          'id_customization',
          'unit_price_tax_incl',
          'unit_price_tax_excl',
        ])
        expect(typeof row['id']).toBe('string')
      }
    }
  })

  it('answers a single resource asked with display as a list', async () => {
    const answer = await get(sim, 'api/orders/5?display=[id,reference]')
    expect(answer.json).toEqual({
      orders: [
        { id: 5, reference: opened.fixture.expectedOrders().find((o) => o.id === 5)?.reference },
      ],
    })
  })

  it('injects failures and drops, and answers 304 to a matching Local-Content-Sha1', async () => {
    sim.resetRequests()
    sim.failNext(2, 502)
    const first = await get(sim, 'api/orders?limit=1')
    expect(first.status).toBe(502)
    expect(first.text).toContain('502 Bad Gateway')
    expect((await get(sim, 'api/orders?limit=1')).status).toBe(502)
    expect((await get(sim, 'api/orders?limit=1')).status).toBe(200)
    sim.failNext(1)
    const fatal = await get(sim, 'api/orders?limit=1')
    expect(fatal.status).toBe(500)
    expect(fatal.text).toBe('')
    sim.dropNext(1)
    await expect(get(sim, 'api/orders?limit=1')).rejects.toThrow()
    const after = await get(sim, 'api/orders?limit=1')
    expect(after.status).toBe(200)
    expect(sim.requests.map((r) => r.status)).toEqual([502, 502, 200, 500, 0, 200])

    const sha1 = after.headers.get('content-sha1') ?? ''
    const cached = await get(sim, 'api/orders?limit=1', { headers: { 'Local-Content-Sha1': sha1 } })
    expect(cached.status).toBe(304)
  })

  it('plays maintenance, firewall and redirect pages', async () => {
    sim.setQuirks({ maintenance: true })
    const maintenance = await get(sim, 'api/orders')
    sim.setQuirks({ maintenance: false, firewall: true })
    const firewall = await get(sim, 'api/orders')
    sim.setQuirks({ firewall: false, redirectTo: 'https://www.example.test/api/orders' })
    const redirect = await get(sim, 'api/orders')
    sim.setQuirks({ redirectTo: null })
    expect(maintenance.status).toBe(503)
    expect(maintenance.headers.get('content-type')).toMatch(/^text\/html/)
    expect(maintenance.text).toContain('We are currently updating our shop')
    expect(firewall.status).toBe(403)
    expect(firewall.headers.get('content-type')).toMatch(/^text\/html/)
    expect(redirect.status).toBe(302)
    expect(redirect.headers.get('location')).toBe('https://www.example.test/api/orders')
    expect((await get(sim, 'api/orders?limit=1')).status).toBe(200)
  })

  it('refuses denied resources and shops the key is not associated with', async () => {
    sim.setQuirks({ deniedResources: ['customers'] })
    const denied = await get(sim, 'api/customers')
    sim.setQuirks({ deniedResources: [], keyShopIds: [2] })
    const shop = await get(sim, 'api/orders')
    sim.setQuirks({ keyShopIds: null })
    expect(denied.status).toBe(401)
    expect(errorCodes(denied)).toEqual([26])
    expect(denied.json.errors[0].message).toBe(
      'Resource of type "customers" is not allowed with this authentication key',
    )
    expect(shop.status).toBe(403)
    expect(errorCodes(shop)).toEqual([132])
  })

  it('waits delayMs before answering', async () => {
    // A simulator of its own on the same store, its delay on a clock the test moves.
    const clock = new ManualClock()
    const delayed = await startWebserviceSimulator({
      database: opened.db,
      prefix: 'shop2024_',
      version: '1.7.8.7',
      clock,
      quirks: { delayMs: 150 },
    })
    try {
      let answered = false
      const answer = get(delayed, 'api/orders?limit=1').then((result) => {
        answered = true
        return result
      })
      await clock.whenSleeping()
      await clock.advance(149)
      expect(answered).toBe(false)
      await clock.advance(1)
      expect((await answer).status).toBe(200)
      expect(delayed.requests).toHaveLength(1)
    } finally {
      await delayed.close()
    }
  })
})

// ---------------------------------------------------------------------------------------------

describe('Webservice simulator on a 9.1.0 store (basic, under /shop/)', () => {
  let opened: Opened
  let sim: WebserviceSimulator
  beforeAll(async () => {
    opened = await openStore('9.1.0', 'basic', 'ps_', { basePath: '/shop/' })
    sim = opened.sim
  })
  afterAll(async () => closeStore(opened))

  it('lives under the base path', async () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/shop\/$/)
    expect((await get(sim, 'api/orders?limit=1')).json).toEqual({ orders: [{ id: 1 }] })
    const outside = await fetch(sim.url.replace('/shop/', '/api/orders'), {
      headers: { Authorization: BASIC },
    })
    expect(outside.status).toBe(404)
  })

  it('answers an empty list as {"orders":[]}', async () => {
    const empty = await get(sim, 'api/orders?filter[id]=[999999]&display=full')
    expect(empty.text).toBe('{"orders":[]}')
    const minimum = await get(sim, 'api/orders?filter[id]=[999999]')
    expect(minimum.json).toEqual({ orders: [] })
  })

  it('drops falsy top-level fields of a single resource, not of lists', async () => {
    const single = (await get(sim, 'api/orders/1')).json.order as Record<string, unknown>
    const listed = (await get(sim, 'api/orders?filter[id]=[1]&display=full')).json
      .orders[0] as Record<string, unknown>
    expect(listed['gift']).toBe(0)
    expect(listed['shipping_number']).toBe('')
    expect(single).not.toHaveProperty('gift')
    expect(single).not.toHaveProperty('shipping_number')
    expect(single['total_discounts']).toBe('0.000000') // "0.000000" is truthy in PHP
    for (const [name, value] of Object.entries(listed)) {
      if (value !== 0 && value !== '' && value !== '0' && value !== null) {
        expect(single[name]).toEqual(value)
      }
    }
  })

  it('types int columns as numbers and decimals as strings (native)', async () => {
    const order = (await get(sim, 'api/orders?display=full&limit=1')).json.orders[0]
    expect(order.id_customer).toEqual(expect.any(Number))
    expect(order.current_state).toEqual(expect.any(Number))
    expect(order.total_paid_tax_incl).toEqual(expect.any(String))
    expect(order.date_add).toEqual(expect.any(String))
    const row = order.associations.order_rows[0]
    expect(row.id).toEqual(expect.any(Number))
    expect(row.product_quantity).toEqual(expect.any(Number))
    expect(row.product_price).toEqual(expect.any(String))

    sim.setQuirks({ valueTypes: 'strings' })
    const strings = (await get(sim, 'api/orders?display=full&limit=1')).json.orders[0]
    sim.setQuirks({ valueTypes: 'native' })
    expect(strings.id).toBe(1)
    expect(strings.id_customer).toEqual(expect.any(String))
    expect(strings.associations.order_rows[0].product_quantity).toEqual(expect.any(String))
  })

  it('renders multilingual fields of a one-language store as plain strings', async () => {
    const product = (await get(sim, 'api/products/1')).json.product
    expect(product.name).toBe('Hummingbird printed t-shirt')
    expect(product.link_rewrite).toBe('hummingbird-printed-t-shirt')
    expect(product.manufacturer_name).toBe('Studio Design')
    expect(product.associations.combinations.length).toBeGreaterThan(0)
    expect(product).not.toHaveProperty('meta_keywords') // dropped in 9.0
  })

  it('accepts PATCH as a method (8.0+) but not for this key', async () => {
    const patch = await get(sim, 'api/orders/1', { method: 'PATCH', body: '<prestashop/>' })
    expect(errorCodes(patch)).toEqual([25])
  })
})

// ---------------------------------------------------------------------------------------------

describe('Webservice simulator on an 8.2.0 multistore store', () => {
  let opened: Opened
  let sim: WebserviceSimulator
  beforeAll(async () => {
    opened = await openStore('8.2.0', 'multistore', 'ps_')
    sim = opened.sim
  })
  afterAll(async () => closeStore(opened))

  it('reads products in the id_shop context as the database reader does', async () => {
    const { fixture } = opened
    const lines = fixture
      .expectedOrders()
      .flatMap((order) => order.lines.map((line) => ({ order, line })))
      .filter(({ line }) => line.product !== null)
    // One request per (shop, language) for products and per shop for combinations.
    const products = new Map<string, Record<string, string>>()
    const combinations = new Map<string, string | undefined>()
    const scopes = new Set(lines.map(({ order }) => `${order.shopId}:${order.languageId}`))
    for (const scope of scopes) {
      const [shopId, languageId] = scope.split(':')
      const ids = new Set(
        lines
          .filter(({ order }) => `${order.shopId}:${order.languageId}` === scope)
          .map(({ line }) => line.productId),
      )
      const answer = await get(
        sim,
        `api/products?display=[id,name,id_default_image]&filter[id]=[${[...ids].join('|')}]&id_shop=${shopId}&language=${languageId}`,
      )
      for (const product of answer.json.products as Record<string, string>[]) {
        products.set(`${scope}:${product['id']}`, product)
      }
    }
    for (const shopId of new Set(lines.map(({ order }) => order.shopId))) {
      const ids = new Set(
        lines
          .filter(({ order, line }) => order.shopId === shopId && line.productAttributeId > 0)
          .map(({ line }) => line.productAttributeId),
      )
      const answer = await get(
        sim,
        `api/combinations?display=full&filter[id]=[${[...ids].join('|')}]&id_shop=${shopId}`,
      )
      for (const combination of answer.json.combinations as {
        id: number
        associations?: { images?: { id: string }[] }
      }[]) {
        combinations.set(`${shopId}:${combination.id}`, combination.associations?.images?.[0]?.id)
      }
    }
    let otherShop = 0
    for (const { order, line } of lines) {
      const what = `order ${order.id} line ${line.id} (shop ${order.shopId})`
      const product = products.get(`${order.shopId}:${order.languageId}:${line.productId}`)
      expect(product?.['name'], what).toBe(line.product?.name)
      // The image: the combination's own first image, else the product cover of that shop.
      const imageId = /\/(\d+)-[^/]+\/[^/]+\.jpg$/.exec(line.product?.imageUrl ?? '')?.[1] ?? ''
      const own =
        line.productAttributeId > 0
          ? combinations.get(`${order.shopId}:${line.productAttributeId}`)
          : undefined
      expect(own ?? product?.['id_default_image'], what).toBe(imageId)
      if (order.shopId !== 1) otherShop++
    }
    expect(lines.length).toBeGreaterThan(50)
    expect(otherShop).toBeGreaterThan(10)
  })

  it('overlays product_shop on product for the context shop', async () => {
    const moved = PRODUCTS.filter((product) => product.otherShopCategoryId !== undefined)
    expect(moved.length).toBeGreaterThan(0)
    for (const product of moved) {
      const home = await get(sim, `api/products/${product.id}?id_shop=1`)
      const other = await get(sim, `api/products/${product.id}?id_shop=2`)
      expect(home.json.product.id_category_default).toBe(String(product.categoryId))
      expect(other.json.product.id_category_default).toBe(String(product.otherShopCategoryId))
    }
  })

  it('scopes shop-associated resources to the context shop, not orders', async () => {
    const { model } = opened.fixture
    for (const shop of model.shops) {
      const languages = await get(sim, `api/languages?id_shop=${shop.id}`)
      expect((languages.json.languages as { id: number }[]).map((l) => l.id)).toEqual(
        [...shop.languageIds].sort((a, b) => a - b),
      )
    }
    const all = (await get(sim, 'api/orders?limit=0,1000')).json.orders.length
    const inShop2 = (await get(sim, 'api/orders?limit=0,1000&id_shop=2')).json.orders.length
    expect(inShop2).toBe(all)
    const filtered = await get(sim, 'api/orders?limit=0,1000&filter[id_shop]=[2]')
    expect(filtered.json.orders.length).toBe(
      opened.fixture.expectedOrders().filter((order) => order.shopId === 2).length,
    )
  })

  it('checks the key against the request shop', async () => {
    sim.setQuirks({ keyShopIds: [1] })
    try {
      expect((await get(sim, 'api/orders?limit=1')).status).toBe(200)
      const other = await get(sim, 'api/orders?limit=1&id_shop=2')
      expect(other.status).toBe(403)
      expect(errorCodes(other)).toEqual([132])
      expect((await get(sim, 'api/orders?limit=1&id_shop=all')).status).toBe(200)
      expect(errorCodes(await get(sim, 'api/orders?id_shop=abc'))).toEqual([999])
    } finally {
      sim.setQuirks({ keyShopIds: null })
    }
  })
})

// ---------------------------------------------------------------------------------------------

describe('Webservice simulator on a 1.6.1.24 store', () => {
  let opened: Opened
  let sim: WebserviceSimulator
  beforeAll(async () => {
    opened = await openStore('1.6.1.24', 'basic', 'ps_')
    sim = opened.sim
  })
  afterAll(async () => closeStore(opened))

  it('follows the 1.6 tables', async () => {
    const order = (await get(sim, 'api/orders?display=full&limit=1')).json.orders[0]
    expect(Object.keys(order.associations.order_rows[0])).not.toContain('product_isbn')
    expect(Object.keys(order.associations.order_rows[0])).not.toContain('id_customization')
    const currency = (await get(sim, 'api/currencies/1')).json.currency
    expect(currency.name).toBe('Euro') // a plain column before currency_lang (1.7.6)
    expect(currency.sign).toBe('€')
    expect((await get(sim, 'api/customers?filter[id]=[0]')).text).toBe('[]')
  })
})
