import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ConnectifWait } from '../../main/core/connectif/connectif-api'
import { parseErrorBody } from '../../main/core/connectif/connectif-answers'
import {
  createConnectifClient,
  type ConnectifClientOptions,
} from '../../main/core/connectif/connectif-client'
import { resetRateLimiters } from '../../main/core/connectif/rate-limiter'
import type {
  CatalogueProduct,
  PurchaseCreation,
  PurchaseProduct,
} from '../../main/core/purchases/purchase'
import {
  startConnectifSimulator,
  type ConnectifSimulator,
  type SimulatorOptions,
} from '../support/connectif-simulator'
import { startNotFoundServer } from '../support/not-found-server'
import { ManualClock, VirtualClock } from '../support/virtual-clock'

const KEY = 'key1:secret1'
const READ_ONLY_KEY = 'key2:secret2'
const NO_KEY = 'key3:secret3'

let sim: ConnectifSimulator

// Fast retries: the behaviour under test is the count and the outcome, not the delays.
const FAST_RETRY = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 }

async function start(overrides: Partial<SimulatorOptions> = {}): Promise<ConnectifSimulator> {
  await sim?.close()
  sim = await startConnectifSimulator({
    accounts: [
      {
        name: 'shop',
        keys: [
          { key: KEY },
          { key: READ_ONLY_KEY, scopes: ['read:purchases'] },
          { key: NO_KEY, scopes: [] },
        ],
        contacts: ['ana@example.com'],
        products: ['1', '2'],
        authorisedDomains: ['shop.example'],
        rateLimit: 1_000,
      },
    ],
    ...overrides,
  })
  return sim
}

function client(
  overrides: Partial<ConnectifClientOptions> = {},
): ReturnType<typeof createConnectifClient> {
  return createConnectifClient({
    account: { apiUrl: sim.url, apiKey: KEY },
    requestsPerMinute: 60_000,
    retry: FAST_RETRY,
    ...overrides,
  })
}

function line(overrides: Partial<PurchaseProduct> = {}): PurchaseProduct {
  return {
    productId: '1',
    name: 'Mug',
    unitPrice: 15.25,
    quantity: 2,
    price: 30.5,
    unitPriceWithoutVAT: 12.6,
    productDetailUrl: 'https://www.shop.example/mug',
    ...overrides,
  }
}

function catalogueProduct(overrides: Partial<CatalogueProduct> = {}): CatalogueProduct {
  return {
    productId: '1',
    name: 'Mug',
    unitPrice: 15.25,
    unitPriceWithoutVAT: 12.6,
    productDetailUrl: 'https://www.shop.example/mug',
    availability: 'instock',
    isBlacklisted: false,
    ...overrides,
  }
}

function purchase(overrides: Partial<PurchaseCreation> = {}): PurchaseCreation {
  return {
    purchaseId: '42',
    cartId: '7',
    contactEmail: 'ana@example.com',
    purchaseDate: '2024-05-01T10:00:00+02:00',
    totalPrice: 30.5,
    totalQuantity: 2,
    products: [line()],
    ...overrides,
  }
}

const send = (
  api: ReturnType<typeof createConnectifClient>,
  body: PurchaseCreation = purchase(),
  triggerPurchaseEvent = false,
): ReturnType<ReturnType<typeof createConnectifClient>['createPurchase']> =>
  api.createPurchase(body, { triggerPurchaseEvent })

beforeEach(async () => {
  resetRateLimiters()
  await start()
})

afterEach(async () => {
  await sim.close()
})

describe('Connectif client: purchases', () => {
  it('creates a purchase without triggering workflows unless asked', async () => {
    const result = await send(client())
    expect(result).toMatchObject({ outcome: { kind: 'created' }, status: 201, attempts: 1 })
    expect(JSON.parse(result.body)).toMatchObject({ purchaseId: '42' })
    expect(sim.account('shop').purchases.get('42')?.triggerPurchaseEvent).toBe(false)

    await send(client(), purchase({ purchaseId: '43' }), true)
    expect(sim.account('shop').purchases.get('43')?.triggerPurchaseEvent).toBe(true)
  })

  it('returns already_exists with the raw 409 body for the report', async () => {
    await send(client())
    const result = await send(client())
    expect(result).toEqual({
      outcome: { kind: 'already_exists' },
      status: 409,
      code: null,
      message: 'Purchase 42 already exists.',
      body: '{"status":409,"title":"Conflict","detail":"Purchase 42 already exists."}',
      attempts: 1,
    })
  })

  it('returns unknown_contact for E0101', async () => {
    const result = await send(client(), purchase({ contactEmail: 'nobody@example.com' }))
    expect(result).toMatchObject({
      outcome: { kind: 'unknown_contact' },
      status: 400,
      code: 'E0101',
      message: 'Contact nobody@example.com does not exist.',
    })
  })

  it('returns unknown_products with the ids for E0102, however the field is spelt', async () => {
    const body = purchase({ products: [line({ productId: '8' }), line({ productId: '9' })] })
    const result = await send(client(), body)
    expect(result.outcome).toEqual({ kind: 'unknown_products', productIds: ['8', '9'] })
    expect(result.code).toBe('E0102')

    await start({
      misspeltProductIds: true,
      accounts: [{ name: 'shop', keys: [{ key: KEY }], contacts: ['ana@example.com'] }],
    })
    const misspelt = await send(client(), body)
    expect(misspelt.outcome).toEqual({ kind: 'unknown_products', productIds: ['8', '9'] })
  })

  it('returns unauthorised_domain with ids and allowed domains for E0103', async () => {
    const body = purchase({ products: [line({ productDetailUrl: 'https://other.example/p' })] })
    const result = await send(client(), body)
    expect(result).toMatchObject({
      outcome: { kind: 'unauthorised_domain', productIds: ['1'], allowedDomains: ['shop.example'] },
      code: 'E0103',
      message: 'Product 1 had URL from non authorized domain.',
    })
  })

  it('returns auth_failed for 401 and 403, with the status', async () => {
    const bad = await send(client({ account: { apiUrl: sim.url, apiKey: 'who:knows' } }))
    expect(bad).toMatchObject({
      outcome: { kind: 'auth_failed', status: 401 },
      status: 401,
      body: 'Not authorized to access API',
      attempts: 1,
    })
    const readOnly = await send(client({ account: { apiUrl: sim.url, apiKey: READ_ONLY_KEY } }))
    expect(readOnly.outcome).toEqual({ kind: 'auth_failed', status: 403 })
    expect(readOnly.message).toContain(
      'Permission not granted to the API Key or account has been blocked',
    )
  })

  it('returns rejected with the detail and the validation errors for other 400s', async () => {
    const result = await send(client(), purchase({ purchaseDate: 'last Tuesday' }))
    expect(result.outcome).toEqual({ kind: 'rejected' })
    expect(result.status).toBe(400)
    expect(result.message).toContain('The request body is not a valid purchase.')
    expect(result.message).toContain('purchaseDate')
    expect(result.attempts).toBe(1)
  })

  it('retries 5xx answers and counts the attempts', async () => {
    sim.queueFaults('error', 'error')
    const waits: ConnectifWait[] = []
    const result = await send(client({ onWait: (wait) => waits.push(wait) }))
    expect(result).toMatchObject({ outcome: { kind: 'created' }, status: 201, attempts: 3 })
    expect(waits.filter((wait) => wait.reason === 'retry')).toHaveLength(2)
  })

  it('retries a dropped connection', async () => {
    sim.queueFaults('drop')
    const result = await send(client())
    expect(result).toMatchObject({ outcome: { kind: 'created' }, attempts: 2 })
  })

  it('calls a purchase stored before a 500 already_exists on the retry', async () => {
    sim.queueFaults('stored-then-500')
    const result = await send(client())
    expect(result).toMatchObject({ outcome: { kind: 'already_exists' }, status: 409, attempts: 2 })
    expect(sim.account('shop').creations.get('42')).toBe(1)
  })

  it('also after a connection dropped once the purchase was stored', async () => {
    sim.queueFaults('stored-then-drop')
    const result = await send(client())
    expect(result).toMatchObject({ outcome: { kind: 'already_exists' }, attempts: 2 })
  })

  it('gives up as unavailable when the retries run out', async () => {
    sim.setFaults({ errorEvery: 1 })
    const result = await send(client())
    expect(result).toMatchObject({ outcome: { kind: 'unavailable' }, status: 503, attempts: 3 })
    expect(result.message).toMatch(/503 .*3 attempts/)
    expect(JSON.parse(result.body)).toMatchObject({ status: 503 })

    sim.setFaults({ errorEvery: 0, dropEvery: 1 })
    const dropped = await send(client())
    expect(dropped).toMatchObject({ outcome: { kind: 'unavailable' }, status: null, body: '' })
    expect(dropped.message).toContain('127.0.0.1')
  })

  it('times out a slow answer and retries it', async () => {
    // The simulator's clock never moves: its answers never come, whatever the machine's speed.
    await start({ clock: new ManualClock() })
    sim.setFaults({ latencyMs: 1 })
    const result = await send(client({ timeoutMs: 100, retry: { ...FAST_RETRY, attempts: 2 } }))
    expect(result).toMatchObject({ outcome: { kind: 'unavailable' }, status: null, attempts: 2 })
    expect(result.message).toContain('did not answer within')
  })

  it('stops at once when the signal aborts', async () => {
    // The simulator's clock never moves: the answer never comes, so only the abort can end it.
    const clock = new ManualClock()
    await start({ clock })
    sim.setFaults({ latencyMs: 1 })
    const controller = new AbortController()
    const pending = client().createPurchase(purchase(), {
      triggerPurchaseEvent: false,
      signal: controller.signal,
    })
    // Aborts once the request is with the simulator, waiting for its answer.
    await clock.whenSleeping()
    controller.abort(new Error('sending cancelled'))
    await expect(pending).rejects.toThrow('sending cancelled')
    expect(sim.stats().requests).toBe(1)
  })
})

describe('Connectif client: contacts and products', () => {
  it('upserts a contact with its names, leaving empty ones out', async () => {
    const api = client()
    const result = await api.upsertContact({ email: 'Bo+x@Example.com', firstname: 'Bo' })
    expect(result.outcome).toEqual({ kind: 'created' })
    expect(sim.account('shop').contacts.get('bo+x@example.com')).toEqual({ _name: 'Bo' })
    await api.upsertContact({ email: 'cy@example.com', firstname: '', lastname: 'Doe' })
    expect(sim.account('shop').contacts.get('cy@example.com')).toEqual({ _surname: 'Doe' })
  })

  it('upserts a product with its catalogue fields', async () => {
    const product = catalogueProduct({
      productId: 'A/7',
      imageUrl: 'https://shop.example/a.jpg',
      categories: ['/Home/Kitchen'],
      brand: 'Acme',
    })
    const result = await client().upsertProduct(product)
    expect(result.outcome).toEqual({ kind: 'created' })
    expect(sim.account('shop').products.get('A/7')).toEqual({
      name: 'Mug',
      unitPrice: 15.25,
      unitPriceWithoutVAT: 12.6,
      productDetailUrl: 'https://www.shop.example/mug',
      imageUrl: 'https://shop.example/a.jpg',
      categories: ['/Home/Kitchen'],
      brand: 'Acme',
      availability: 'instock',
      isBlacklisted: false,
    })
  })

  it('creates a product the store no longer sells blacklisted and out of stock', async () => {
    const result = await client().upsertProduct(
      catalogueProduct({ productId: '900', availability: 'outofstock', isBlacklisted: true }),
    )
    expect(result.outcome).toEqual({ kind: 'created' })
    expect(sim.account('shop').products.get('900')).toMatchObject({
      availability: 'outofstock',
      isBlacklisted: true,
    })
  })

  it('reads E0201 (a product URL on a domain the store has not authorised)', async () => {
    const result = await client().upsertProduct(
      catalogueProduct({ productId: '5', productDetailUrl: 'https://elsewhere.test/mug' }),
    )
    expect(result).toMatchObject({
      outcome: { kind: 'unauthorised_domain', productIds: [] },
      status: 400,
      code: 'E0201',
    })
    expect(sim.account('shop').products.has('5')).toBe(false)
  })

  it('reports a missing permission for products as auth_failed', async () => {
    const result = await client({
      account: { apiUrl: sim.url, apiKey: READ_ONLY_KEY },
    }).upsertProduct(catalogueProduct())
    expect(result.outcome).toEqual({ kind: 'auth_failed', status: 403 })
  })
})

describe('Connectif client: access check', () => {
  it('says ok for a working key without creating anything', async () => {
    const check = await client().checkAccess()
    expect(check).toMatchObject({ ok: true, problem: 'ok' })
    expect(sim.stats().purchasesStored).toBe(0)
  })

  it('says bad_key for 401 and no_permission for 403, naming the permissions', async () => {
    const bad = await client({ account: { apiUrl: sim.url, apiKey: 'x:y' } }).checkAccess()
    expect(bad).toMatchObject({ ok: false, problem: 'bad_key' })
    expect(bad.message).toContain('KeyId:KeySecret')
    const denied = await client({ account: { apiUrl: sim.url, apiKey: NO_KEY } }).checkAccess()
    expect(denied).toMatchObject({ ok: false, problem: 'no_permission' })
    expect(denied.message).toContain('Read Purchases and Write Purchases')
  })

  it('counts a 404 only with Connectif’s signature: its JSON error body and rate-limit headers', async () => {
    const server = await startNotFoundServer('text')
    try {
      const check = (): ReturnType<ReturnType<typeof client>['checkAccess']> =>
        client({ account: { apiUrl: server.url, apiKey: KEY } }).checkAccess()
      // A web server's page: neither.
      const page = await check()
      expect(page).toMatchObject({ ok: false, problem: 'not_connectif' })
      expect(page.message).toBe(
        `${server.url} does not answer like Connectif's API: it answered 404 to a purchase lookup without Connectif's error body and rate-limit headers, so the key could not be checked. Check the API URL (Connectif's is https://api.connectif.cloud).`,
      )
      // Another API's JSON 404, without the rate-limit headers every Connectif answer carries.
      server.style = 'json'
      const json = await check()
      expect(json).toMatchObject({ ok: false, problem: 'not_connectif' })
      expect(json.message).toContain("without Connectif's rate-limit headers,")
      // Both: Connectif's own 404 for a purchase it does not have, so the key was accepted.
      server.style = 'connectif'
      expect(await check()).toMatchObject({ ok: true, problem: 'ok' })
      // Asked once each: a 404 is an answer, never retried.
      expect(server.requests()).toBe(3)
    } finally {
      await server.close()
    }
  })

  it('says unreachable with the host when nothing listens', async () => {
    const port = await freePort()
    const check = await createConnectifClient({
      account: { apiUrl: `http://127.0.0.1:${port}/`, apiKey: KEY },
      retry: FAST_RETRY,
      // The retry waits for the default pace, 100 a minute: in virtual time, not 600 real ms.
      clock: new VirtualClock(),
    }).checkAccess()
    expect(check).toMatchObject({ ok: false, problem: 'unreachable' })
    expect(check.message).toContain(`127.0.0.1:${port}`)
    expect(check.message).toContain('refused the connection')
  })

  it('rejects an API URL that is not http(s)', () => {
    expect(() =>
      createConnectifClient({ account: { apiUrl: 'ftp://connectif', apiKey: KEY } }),
    ).toThrow('must start with https://')
  })
})

describe('error bodies', () => {
  it('are parsed leniently', () => {
    expect(parseErrorBody('Unauthorized')).toEqual({})
    expect(parseErrorBody('{oops')).toEqual({})
    expect(parseErrorBody('{"detail":"x","code":7,"productsId":"3, 4"}')).toEqual({
      detail: 'x',
      productsId: ['3', '4'],
    })
  })
})

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
