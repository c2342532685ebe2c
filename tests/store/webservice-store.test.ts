import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabaseStore } from '../../main/core/store/database/database-store'
import { openWebserviceStore } from '../../main/core/store/webservice/webservice-store'
import type {
  WebserviceStore,
  WebserviceStoreOptions,
} from '../../main/core/store/webservice/webservice-store'
import type {
  OrderFilter,
  OrderKey,
  OrderPageOptions,
  StoreOrder,
  StoreSource,
} from '../../main/core/store/store-source'
import { StoreError } from '../../main/core/store/store-errors'
import { expectTranslatable } from './translatable-errors'
import { mapOrderToPurchase } from '../../main/core/purchases/order-to-purchase'
import { createTestDatabase } from '../support/mysql-server'
import type { TestDatabase } from '../support/mysql-server'
import { createPrestaShopSchema } from '../support/prestashop/schema-builder'
import type { PrestaShopVersion } from '../support/prestashop/schema-builder'
import { generateScenario } from '../support/prestashop/store-generator'
import type { ScenarioName, StoreFixture } from '../support/prestashop/store-generator'
import { startWebserviceSimulator } from '../support/prestashop/webservice-simulator'
import { expectedWeeks } from './expected-weeks'
import type {
  WebserviceQuirks,
  WebserviceSimulator,
} from '../support/prestashop/webservice-simulator'

async function readAll(
  store: StoreSource,
  filter: OrderFilter,
  options: { pageSize?: number; after?: { placedAt: string; id: number } } = {},
): Promise<StoreOrder[]> {
  const orders: StoreOrder[] = []
  for await (const page of store.readOrders(filter, options)) orders.push(...page)
  return orders
}

async function keysOf(
  store: StoreSource,
  filter: OrderFilter,
  options: OrderPageOptions = {},
): Promise<OrderKey[]> {
  const keys: OrderKey[] = []
  for await (const page of store.orderKeys(filter, options)) keys.push(...page)
  return keys
}

interface Scenario {
  readonly fixture: StoreFixture
  readonly db: TestDatabase
  readonly simulator: WebserviceSimulator
  readonly openDatabase: () => Promise<StoreSource>
  readonly openWebservice: (options?: Partial<WebserviceStoreOptions>) => Promise<WebserviceStore>
  close(): Promise<void>
}

async function openScenario(
  version: PrestaShopVersion,
  scenario: ScenarioName,
  quirks: Partial<WebserviceQuirks> = {},
  orderCount = 60,
): Promise<Scenario> {
  const db = await createTestDatabase(`ws_${scenario}_${version}`)
  const fixture = generateScenario(scenario, { version, prefix: 'ps_', seed: 20251127, orderCount })
  await createPrestaShopSchema(db.admin, { version, prefix: 'ps_' })
  await fixture.load(db.admin)
  const database = {
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.database,
  }
  const simulator = await startWebserviceSimulator({ database, version, quirks })
  return {
    fixture,
    db,
    simulator,
    openDatabase: () => openDatabaseStore({ ...database, tablePrefix: 'ps_' }),
    openWebservice: (options = {}) =>
      openWebserviceStore({
        url: simulator.url,
        key: simulator.key,
        retryDelayMs: 10,
        ...options,
      }),
    async close() {
      await simulator.close()
      await db.drop()
    },
  }
}

function wholeYear(fixture: StoreFixture): OrderFilter {
  return {
    range: { from: '2025-01-01', to: '2025-12-31' },
    stateIds: fixture.model.states.map((state) => state.id),
  }
}

async function expectError(
  promise: Promise<unknown>,
  code: string,
  message: RegExp,
): Promise<void> {
  const error = await promise.then(
    () => null,
    (failure: unknown) => failure,
  )
  expect(error).toBeInstanceOf(StoreError)
  expect((error as StoreError).code).toBe(code)
  expect((error as StoreError).message).toMatch(message)
  // The screens leave out the command line's option that this message names.
  const cliOption = (error as StoreError).params['reason'] === 'ws_key_header_dropped'
  expectTranslatable(error, { englishIsMessage: !cliOption })
}

const PARITY: readonly [PrestaShopVersion, ScenarioName][] = [
  ['1.6.1.24', 'multilingual'],
  ['1.7.8.7', 'basic'],
  ['1.7.8.7', 'multistore'],
  ['8.2.0', 'multilingual'],
  ['8.2.0', 'friendlyOff'],
  ['9.1.0', 'multistore'],
]

describe.each(PARITY)(
  'PrestaShop %s, %s store: the Webservice reads what the database reads',
  (version, scenario) => {
    let opened: Scenario
    let database: StoreSource
    let webservice: WebserviceStore

    beforeAll(async () => {
      opened = await openScenario(version, scenario)
      database = await opened.openDatabase()
      webservice = await opened.openWebservice()
    })
    afterAll(async () => {
      await database?.close()
      await webservice?.close()
      await opened?.close()
    })

    it('gives the same overview and order states in every language', async () => {
      const overview = await webservice.overview()
      expect(overview).toEqual(await database.overview())
      expect(overview).toEqual(opened.fixture.expectedOverview())
      for (const language of [undefined, ...overview.languages.map((entry) => entry.id)]) {
        expect(await webservice.orderStates(language)).toEqual(await database.orderStates(language))
      }
    })

    it('counts the orders of a range per state and per shop like the database', async () => {
      const year = { range: { from: '2025-01-01', to: '2025-12-31' } }
      expect(await webservice.countOrders(year)).toEqual(await database.countOrders(year))
      const june = { range: { from: '2025-06-15', to: '2025-06-15' }, shopIds: [1] }
      expect(await webservice.countOrders(june)).toEqual(await database.countOrders(june))
    })

    it('counts the orders of a range per week and state like the database', async () => {
      const year = { range: { from: '2025-01-01', to: '2025-12-31' } }
      const weeks = await webservice.countOrdersByWeek(year)
      expect(weeks.length).toBeGreaterThan(0)
      expect(weeks).toEqual(await database.countOrdersByWeek(year))
      expect(weeks).toEqual(expectedWeeks(opened.fixture, year))
      const spring = { range: { from: '2025-03-01', to: '2025-06-30' }, shopIds: [1] }
      expect(await webservice.countOrdersByWeek(spring)).toEqual(
        await database.countOrdersByWeek(spring),
      )
    })

    it('yields identical orders and identical purchases', async () => {
      const filter = wholeYear(opened.fixture)
      const fromWebservice = await readAll(webservice, filter)
      const fromDatabase = await readAll(database, filter)
      expect(fromWebservice.length).toBeGreaterThan(0)
      expect(fromWebservice).toEqual(fromDatabase)
      expect(fromWebservice.map((order) => mapOrderToPurchase(order))).toEqual(
        fromDatabase.map((order) => mapOrderToPurchase(order)),
      )
    })

    it('gives the same order keys as the database, by the same filters and pages', async () => {
      const filter = wholeYear(opened.fixture)
      const expected = await keysOf(database, filter)
      expect(expected.length).toBeGreaterThan(0)
      expect(await keysOf(webservice, filter)).toEqual(expected)
      const narrow: OrderFilter = {
        range: { from: '2025-03-01', to: '2025-09-30' },
        stateIds: [2, 3, 4, 5],
        shopIds: [1],
      }
      expect(await keysOf(webservice, narrow)).toEqual(await keysOf(database, narrow))
      // Pages of a few keys, through orders of one second, and after a cursor.
      expect(await keysOf(webservice, filter, { pageSize: 3 })).toEqual(expected)
      const middle = expected[Math.floor(expected.length / 2)] as OrderKey
      expect(
        await keysOf(webservice, filter, {
          pageSize: 4,
          after: { placedAt: middle.placedAt, id: middle.id },
        }),
      ).toEqual(expected.slice(expected.indexOf(middle) + 1))
    })

    it('pages by date and id without losing or repeating an order, and resumes after a cursor', async () => {
      const filter = { ...wholeYear(opened.fixture), stateIds: [2, 3, 4, 5] }
      const expected = (await readAll(database, filter)).map((order) => order.id)
      const paged = (await readAll(webservice, filter, { pageSize: 7 })).map((order) => order.id)
      expect(paged).toEqual(expected)
      const all = await readAll(database, filter)
      const middle = all[Math.floor(all.length / 2)] as StoreOrder
      const resumed = await readAll(webservice, filter, {
        pageSize: 5,
        after: { placedAt: middle.placedAt, id: middle.id },
      })
      expect(resumed.map((order) => order.id)).toEqual(
        expected.slice(expected.indexOf(middle.id) + 1),
      )
    })
  },
)

describe('Webservice reader on a well-configured shop', () => {
  let opened: Scenario
  beforeAll(async () => {
    opened = await openScenario('8.2.0', 'basic', {}, 400)
  })
  afterAll(async () => {
    await opened?.close()
  })

  it('asks for JSON with the key in the Authorization header, never in the URL', async () => {
    opened.simulator.resetRequests()
    const store = await opened.openWebservice()
    await store.orderStates()
    expect(opened.simulator.requests.length).toBeGreaterThan(0)
    for (const request of opened.simulator.requests) {
      expect(request.auth).toBe('header')
      expect(request.query['output_format']).toBe('JSON')
      expect(request.query['ws_key']).toBeUndefined()
    }
    expect(store.notices.map((notice) => notice.code)).toEqual(['insecure_http'])
    await store.close()
  })

  it('costs a handful of requests per page of orders, not one per order', async () => {
    const store = await opened.openWebservice({ pageSize: 100 })
    const filter = wholeYear(opened.fixture)
    const before = store.requestCount
    const orders = await readAll(store, filter)
    const requests = store.requestCount - before
    const pages = Math.ceil(orders.length / 100)
    expect(orders.length).toBeGreaterThan(300)
    // orders + lines + customers per page, plus the catalogue the first pages meet.
    expect(requests).toBeLessThanOrEqual(pages * 3 + 12)
    // Static data is read once: a second sending costs no more than the first.
    const again = store.requestCount
    await readAll(store, filter)
    expect(store.requestCount - again).toBeLessThanOrEqual(requests)
    await store.close()
  })

  it('reads the keys of a range in one request, with only the fields routing needs', async () => {
    const store = await opened.openWebservice()
    const filter: OrderFilter = { ...wholeYear(opened.fixture), shopIds: [1] }
    opened.simulator.resetRequests()
    const keys = await keysOf(store, filter)
    expect(keys.length).toBeGreaterThan(300)
    expect(opened.simulator.requests).toHaveLength(1)
    const query = opened.simulator.requests[0]?.query ?? {}
    expect(query).toMatchObject({
      display: '[id,id_shop,id_lang,id_currency,current_state,date_add]',
      date: '1',
      'filter[date_add]': '[2025-01-01 00:00:00,2025-12-31 23:59:59]',
      'filter[current_state]': `[${filter.stateIds.join('|')}]`,
      'filter[id_shop]': '[1]',
      sort: '[date_add_ASC,id_ASC]',
    })
    await store.close()
  })

  it('never asks for customers\u2019 password hashes', async () => {
    opened.simulator.resetRequests()
    const store = await opened.openWebservice()
    await readAll(store, wholeYear(opened.fixture))
    const customerRequests = opened.simulator.requests.filter((r) => r.resource === 'customers')
    expect(customerRequests.length).toBeGreaterThan(0)
    for (const request of customerRequests) {
      expect(request.query['display']).not.toBe('full')
      expect(request.query['display']).not.toMatch(/passwd/)
    }
    await store.close()
  })
})

describe('Webservice reader facing a misconfigured or unhealthy shop', () => {
  let opened: Scenario
  beforeAll(async () => {
    opened = await openScenario('1.7.8.7', 'basic')
  })
  afterAll(async () => {
    await opened?.close()
  })
  const reset = (quirks: Partial<WebserviceQuirks> = {}): void => {
    opened.simulator.setQuirks({
      stripAuthorization: false,
      rewriteOff: false,
      disabled: false,
      maintenance: false,
      firewall: false,
      redirectTo: null,
      deniedResources: [],
      keyShopIds: null,
      delayMs: 0,
      ...quirks,
    })
    opened.simulator.resetRequests()
  }

  it('refuses a host that strips the Authorization header, and never moves the key to the URL on its own', async () => {
    reset({ stripAuthorization: true })
    const error = await opened.openWebservice().then(
      () => null,
      (failure: unknown) => failure,
    )
    // The screens leave out the command line's option that the message names.
    expectTranslatable(error, { englishIsMessage: false })
    expect(error).toMatchObject({
      code: 'access_denied',
      params: { reason: 'ws_key_header_dropped', host: new URL(opened.simulator.url).host },
    })
    const { message } = error as StoreError
    expect(message).toMatch(/drops the Authorization header/)
    expect(message).toMatch(/CGI\/FastCGI/)
    expect(message).toMatch(/"Enable CGI mode for PHP" in Advanced Parameters > Webservice/)
    expect(message).toMatch(/CGIPassAuth On/)
    expect(message).toMatch(/"Send the key in the URL".*--ws-key-in-url/)
    expect(message).toMatch(/access logs/)
    expect(opened.simulator.requests.length).toBeGreaterThan(0)
    for (const request of opened.simulator.requests) {
      expect(request.query['ws_key']).toBeUndefined()
      expect(request.auth).toBe('none')
    }
  })

  it('sends the key in the URL from the start when the profile asks for it, and warns', async () => {
    // A shop that would take the header: every request still carries the key in the URL only.
    reset()
    const store = await opened.openWebservice({ keyInUrl: true })
    const notice = store.notices.find((entry) => entry.code === 'key_in_url')
    expect(notice?.message).toMatch(/access logs/)
    expect(notice?.message).toMatch(/CGI/)
    expect((await store.orderStates()).length).toBeGreaterThan(0)
    expect(opened.simulator.requests.length).toBeGreaterThan(0)
    for (const request of opened.simulator.requests) {
      expect(request.auth).toBe('query')
      expect(request.query['ws_key']).toBe(opened.simulator.key)
    }
    await store.close()

    // A shop that drops the header reads in full that way.
    reset({ stripAuthorization: true })
    const cgi = await opened.openWebservice({ keyInUrl: true })
    expect(await readAll(cgi, wholeYear(opened.fixture))).toHaveLength(
      opened.fixture.expectedOrders(wholeYear(opened.fixture)).length,
    )
    expect(opened.simulator.requests.every((request) => request.auth === 'query')).toBe(true)
    await cgi.close()
  })

  it('calls webservice/dispatcher.php when /api/ is not rewritten', async () => {
    reset({ rewriteOff: true })
    const store = await opened.openWebservice()
    expect(store.notices.map((notice) => notice.code)).toContain('dispatcher_url')
    expect((await store.orderStates()).length).toBeGreaterThan(0)
    expect(opened.simulator.requests.at(-1)?.path).toMatch(/dispatcher\.php$/)
    await store.close()
  })

  it('handles both quirks at once', async () => {
    reset({ rewriteOff: true, stripAuthorization: true })
    await expectError(opened.openWebservice(), 'access_denied', /drops the Authorization header/)
    expect(opened.simulator.requests.some((request) => 'ws_key' in request.query)).toBe(false)
    const store = await opened.openWebservice({ keyInUrl: true })
    expect(store.notices.map((notice) => notice.code).sort()).toEqual([
      'dispatcher_url',
      'insecure_http',
      'key_in_url',
    ])
    expect((await store.overview()).shops).toHaveLength(1)
    await store.close()
  })

  it('explains a switched-off Webservice, an unknown key and a malformed one', async () => {
    reset({ disabled: true })
    await expectError(
      opened.openWebservice(),
      'webservice_disabled',
      /Advanced Parameters > Webservice/,
    )
    reset()
    await expectError(
      opened.openWebservice({ key: 'ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ' }),
      'access_denied',
      /does not know this Webservice key/,
    )
    await expectError(
      opened.openWebservice({ key: 'short' }),
      'access_denied',
      /32 letters and digits/,
    )
    expect(opened.simulator.requests.some((r) => r.query['ws_key'] === 'short')).toBe(false)
  })

  it('names the resource a key may not read and lists what to tick', async () => {
    reset({ deniedResources: ['customers'] })
    const store = await opened.openWebservice()
    await expectError(
      readAll(store, wholeYear(opened.fixture)),
      'missing_permission',
      /may not read "customers".*View \(GET\).*order_details/,
    )
    await store.close()
    reset({ deniedResources: ['configurations'] })
    await expectError(opened.openWebservice(), 'missing_permission', /"configurations"/)
  })

  it('reads the orders of a key made before stock and tax rules were read, as sold', async () => {
    reset()
    const full = await opened.openWebservice()
    const withEverything = await readAll(full, wholeYear(opened.fixture))
    await full.close()
    reset({ deniedResources: ['stock_availables', 'tax_rules', 'tax_rule_groups', 'taxes'] })
    const store = await opened.openWebservice()
    const orders = await readAll(store, wholeYear(opened.fixture))
    await store.close()
    expect(orders.map((order) => order.id)).toEqual(withEverything.map((order) => order.id))
    const products = orders.flatMap((order) =>
      order.lines.flatMap((line) => (line.product ? [line.product] : [])),
    )
    expect(products.length).toBeGreaterThan(0)
    // Nothing known of stock or taxes: taken as available, priced as the orders say.
    expect(products.every((product) => product.inStock && product.priceTaxIncl === null)).toBe(true)
  })

  it('tells what a key without stock or tax permissions makes the products lack', async () => {
    reset()
    const full = await opened.openWebservice()
    expect(await full.catalogueNotices()).toEqual([])
    await full.close()
    reset({ deniedResources: ['stock_availables'] })
    const noStock = await opened.openWebservice()
    expect((await noStock.catalogueNotices()).map((notice) => notice.code)).toEqual([
      'no_stock_permission',
    ])
    await noStock.close()
    reset({ deniedResources: ['taxes'] })
    const noTaxes = await opened.openWebservice()
    const notices = await noTaxes.catalogueNotices()
    await noTaxes.close()
    expect(notices.map((notice) => notice.code)).toEqual(['no_tax_permission'])
    expect(notices[0]?.message).toMatch(/tax_rule_groups, tax_rules and taxes/)
  })

  it('recognises web pages where the Webservice should answer', async () => {
    reset({ maintenance: true })
    await expectError(opened.openWebservice(), 'not_webservice', /maintenance/)
    reset({ firewall: true })
    await expectError(opened.openWebservice(), 'not_webservice', /firewall/)
  })

  it('refuses a redirect to another host and suggests the address to use', async () => {
    reset({ redirectTo: 'https://www.elsewhere.test/' })
    await expectError(opened.openWebservice(), 'redirected', /www\.elsewhere\.test/)
  })

  it('retries server errors and dropped connections, then reports them', async () => {
    reset()
    const store = await opened.openWebservice({ attempts: 3 })
    opened.simulator.failNext(2, 500)
    expect((await store.orderStates()).length).toBeGreaterThan(0)
    opened.simulator.dropNext(1)
    expect((await store.orderStates()).length).toBeGreaterThan(0)
    opened.simulator.failNext(3, 502)
    await expectError(store.orderStates(), 'query_failed', /server error \(HTTP 502\).*error log/)
    opened.simulator.dropNext(3)
    await expectError(store.orderStates(), 'connection_lost', /after 3 tries/)
    await store.close()
  })

  it('gives up on a shop that does not answer in time', async () => {
    reset({ delayMs: 1_000 })
    await expectError(
      opened.openWebservice({ timeoutMs: 150, attempts: 1 }),
      'connection_timeout',
      /did not answer within/,
    )
    reset()
  })

  it('says what it can when the key never arrives, in the header or in the URL', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(401, { 'content-type': 'text/html', 'www-authenticate': 'Basic' })
      response.end('401 Unauthorized')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    try {
      await expectError(
        openWebserviceStore({ url, key: opened.simulator.key }),
        'access_denied',
        /drops the Authorization header/,
      )
      await expectError(
        openWebserviceStore({ url, key: opened.simulator.key, keyInUrl: true }),
        'access_denied',
        /did not receive the Webservice key/,
      )
    } finally {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it('reports a closed port and a server that is not PrestaShop', async () => {
    const server = createServer((_request, response) => {
      // Connection: close, so no socket of this server waits in the client's keep-alive pool to
      // be reused, and fail, once the port below is closed.
      response.writeHead(200, { 'content-type': 'text/html', connection: 'close' })
      response.end('<!doctype html><html><body>Welcome to my blog</body></html>')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    await expectError(
      openWebserviceStore({ url: `http://127.0.0.1:${port}/`, key: opened.simulator.key }),
      'not_webservice',
      /web page/,
    )
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await expectError(
      openWebserviceStore({
        url: `http://127.0.0.1:${port}/`,
        key: opened.simulator.key,
        attempts: 1,
      }),
      'host_unreachable',
      /refused the connection/,
    )
  })
})

describe('Webservice reader over HTTPS', () => {
  let opened: Scenario | null = null
  let directory = ''
  let tlsSimulator: WebserviceSimulator | null = null
  let certificate = ''

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'ws-tls-'))
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(directory, 'key.pem'),
        '-out',
        join(directory, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    )
    certificate = readFileSync(join(directory, 'cert.pem'), 'utf8')
    opened = await openScenario('9.1.0', 'basic')
    tlsSimulator = await startWebserviceSimulator({
      database: {
        host: opened.db.host,
        port: opened.db.port,
        user: opened.db.user,
        password: opened.db.password,
        database: opened.db.database,
      },
      version: '9.1.0',
      tls: { key: readFileSync(join(directory, 'key.pem'), 'utf8'), cert: certificate },
    })
  })
  afterAll(async () => {
    await tlsSimulator?.close()
    await opened?.close()
    rmSync(directory, { recursive: true, force: true })
  })

  it('explains an untrusted certificate, and reads once it is trusted, with no http warning', async () => {
    const simulator = tlsSimulator as WebserviceSimulator
    expect(simulator.url).toMatch(/^https:/)
    await expectError(
      openWebserviceStore({ url: simulator.url, key: simulator.key }),
      'tls_failed',
      /secure connection to the shop failed.*cannot be trusted/,
    )
    const store = await openWebserviceStore({
      url: simulator.url,
      key: simulator.key,
      ca: certificate,
    })
    expect(store.notices).toEqual([])
    expect((await store.overview()).version.family).toBe('9')
    await store.close()
  })

  it('explains an http server on an https address', async () => {
    const simulator = (opened as Scenario).simulator
    const port = new URL(simulator.url).port
    await expectError(
      openWebserviceStore({ url: `https://127.0.0.1:${port}/`, key: simulator.key, attempts: 1 }),
      'tls_failed',
      /may not speak HTTPS/,
    )
  })
})
