import { afterEach, describe, expect, it } from 'vitest'
import {
  seededRandom,
  startConnectifSimulator,
  type ConnectifSimulator,
  type SimulatorOptions,
} from '../support/connectif-simulator'
import { ManualClock } from '../support/virtual-clock'

const KEY = 'key1:secret1'
const READ_ONLY_KEY = 'key2:secret2'

let sim: ConnectifSimulator | undefined

afterEach(async () => {
  await sim?.close()
  sim = undefined
})

async function start(overrides: Partial<SimulatorOptions> = {}): Promise<ConnectifSimulator> {
  sim = await startConnectifSimulator({
    accounts: [
      {
        name: 'shop',
        keys: [{ key: KEY }, { key: READ_ONLY_KEY, scopes: ['read:purchases'] }],
        contacts: ['ana@example.com'],
        products: ['1', '2'],
        authorisedDomains: ['shop.example'],
      },
    ],
    ...overrides,
  })
  return sim
}

function purchase(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    purchaseId: '42',
    cartId: '7',
    contactEmail: 'ana@example.com',
    purchaseDate: '2024-05-01T10:00:00+02:00',
    totalPrice: 30.5,
    totalQuantity: 2,
    products: [
      {
        productId: '1',
        name: 'Mug',
        unitPrice: 15.25,
        quantity: 2,
        price: 30.5,
        productDetailUrl: 'https://www.shop.example/mug',
      },
    ],
    ...overrides,
  }
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  key = KEY,
): Promise<{ status: number; text: string; json: unknown; headers: Headers }> {
  const response = await fetch(`${sim?.url}${path}`, {
    method,
    headers: { authorization: `apiKey ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = null
  }
  return { status: response.status, text, json, headers: response.headers }
}

describe('Connectif simulator', () => {
  it('creates a purchase with a 24-hex id and records triggerPurchaseEvent', async () => {
    const s = await start()
    const created = await call('POST', '/purchases/?triggerPurchaseEvent=false', purchase())
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({ purchaseId: '42', contactEmail: 'ana@example.com' })
    const id = (created.json as { id: string }).id
    expect(id).toMatch(/^[0-9a-f]{24}$/)
    expect(s.account('shop').purchases.get('42')?.triggerPurchaseEvent).toBe(false)
    expect(s.account('shop').creations.get('42')).toBe(1)

    expect((await call('GET', '/purchases/purchase-id/42')).status).toBe(200)
    expect((await call('GET', `/purchases/${id}`)).json).toMatchObject({ id, purchaseId: '42' })
    expect((await call('GET', '/purchases/purchase-id/43')).status).toBe(404)
    expect((await call('GET', '/purchases/not-an-id')).status).toBe(400)
    expect((await call('GET', '/purchases/0123456789abcdef01234567')).status).toBe(404)
  })

  it('answers a duplicate with the exact 409 body', async () => {
    await start()
    await call('POST', '/purchases/', purchase())
    const duplicate = await call('POST', '/purchases/', purchase())
    expect(duplicate.status).toBe(409)
    expect(duplicate.text).toBe(
      '{"status":409,"title":"Conflict","detail":"Purchase 42 already exists."}',
    )
    expect(sim?.stats().duplicates).toBe(1)
  })

  it('deletes and lets the same purchase id be created again', async () => {
    const s = await start()
    await call('POST', '/purchases/', purchase())
    expect((await call('DELETE', '/purchases/purchase-id/42')).status).toBe(204)
    expect((await call('POST', '/purchases/', purchase())).status).toBe(201)
    expect(s.account('shop').creations.get('42')).toBe(2)
  })

  it('rejects invalid bodies with validationErrors', async () => {
    await start()
    const bad = await call(
      'POST',
      '/purchases/',
      purchase({ totalQuantity: 1.5, purchaseDate: 'yesterday', contactEmail: undefined }),
    )
    expect(bad.status).toBe(400)
    const body = bad.json as { validationErrors: { path: string }[]; title: string }
    expect(body.title).toBe('Bad Request')
    expect(body.validationErrors.map((e) => e.path).sort()).toEqual([
      'contactEmail',
      'purchaseDate',
      'totalQuantity',
    ])
  })

  it('reports unknown contacts, products and domains with their codes', async () => {
    const s = await start()
    const contact = await call('POST', '/purchases/', purchase({ contactEmail: 'x@example.com' }))
    expect(contact.json).toEqual({
      status: 400,
      title: 'Bad Request',
      detail: 'Contact x@example.com does not exist.',
      code: 'E0101',
    })
    const line = (purchase().products as object[])[0]
    const lines = [
      { ...line, productId: '9' },
      { ...line, productId: '2' },
    ]
    const products = await call('POST', '/purchases/', purchase({ products: lines }))
    expect(products.json).toMatchObject({ code: 'E0102', productIds: ['9'] })
    s.account('shop').addProduct('9')
    const domains = await call(
      'POST',
      '/purchases/',
      purchase({ products: [{ ...lines[0], productDetailUrl: 'https://elsewhere.example/p' }] }),
    )
    expect(domains.json).toEqual({
      status: 400,
      title: 'Bad Request',
      detail: 'Product 9 had URL from non authorized domain.',
      code: 'E0103',
      productIds: ['9'],
      allowedDomains: ['shop.example'],
    })
  })

  it('checks duplicates before the contact, as configured', async () => {
    let s = await start()
    await call('POST', '/purchases/', purchase())
    s.account('shop').removeContact('ana@example.com')
    expect((await call('POST', '/purchases/', purchase())).status).toBe(409)
    await s.close()
    s = await start({ businessChecks: ['contact', 'duplicate'] })
    await call('POST', '/purchases/', purchase())
    s.account('shop').removeContact('ana@example.com')
    expect((await call('POST', '/purchases/', purchase())).json).toMatchObject({ code: 'E0101' })
  })

  it('spells productsId as the documented example when asked', async () => {
    await start({ misspeltProductIds: true })
    const lines = [{ ...(purchase().products as object[])[0], productId: '9' }]
    const answer = await call('POST', '/purchases/', purchase({ products: lines }))
    expect(answer.json).toMatchObject({ code: 'E0102', productsId: ['9'] })
  })

  it('authenticates before checking scopes, and scopes before anything else', async () => {
    await start()
    const unknown = await call('POST', '/purchases/', purchase(), 'nope:nope')
    expect(unknown.status).toBe(401)
    expect(unknown.headers.get('x-ratelimit-limit')).toBeNull()
    const forbidden = await call('POST', '/purchases/', purchase(), READ_ONLY_KEY)
    expect(forbidden.status).toBe(403)
    expect(forbidden.json).toMatchObject({
      detail: 'Permission not granted to the API Key or account has been blocked',
    })
    const read = await call('GET', '/purchases/purchase-id/1', undefined, READ_ONLY_KEY)
    expect(read.status).toBe(404)
  })

  it('upserts contacts and products', async () => {
    const s = await start()
    const contact = await call('PATCH', `/contacts/${encodeURIComponent('Bo@Example.com')}`, {
      _name: 'Bo',
    })
    expect(contact.status).toBe(200)
    expect(s.account('shop').contacts.get('bo@example.com')).toEqual({ _name: 'Bo' })
    const product = await call('PATCH', `/products/product-id/${encodeURIComponent('a/b')}`, {
      name: 'AB',
    })
    expect(product.status).toBe(200)
    expect(s.account('shop').products.get('a/b')).toEqual({ name: 'AB' })
  })

  it('limits each account per fixed window, shared by all its keys, with headers', async () => {
    // 12.345 s into a minute, so the window ends 47.655 s later.
    const windowStart = 28_333_333 * 60_000
    const clock = new ManualClock(windowStart + 12_345)
    const s = await start({
      clock,
      accounts: [
        { name: 'a', keys: [{ key: 'a1:s' }, { key: 'a2:s' }], rateLimit: 3, rateWindowMs: 60_000 },
        { name: 'b', keys: [{ key: 'b1:s' }], rateLimit: 3, rateWindowMs: 60_000 },
      ],
    })
    const first = await call('GET', '/purchases/purchase-id/1', undefined, 'a1:s')
    expect(first.headers.get('x-ratelimit-limit')).toBe('3')
    expect(first.headers.get('x-ratelimit-remaining')).toBe('2')
    expect(first.headers.get('x-ratelimit-reset')).toBe(String((windowStart + 60_000) / 1000))
    expect(first.headers.get('date')).toBe(new Date(clock.now()).toUTCString())
    expect(s.account('a').remaining()).toBe(2)
    await call('GET', '/purchases/purchase-id/1', undefined, 'a2:s')
    await call('GET', '/purchases/purchase-id/1', undefined, 'a1:s')
    const limited = await call('GET', '/purchases/purchase-id/1', undefined, 'a2:s')
    expect(limited.status).toBe(429)
    expect(limited.json).toMatchObject({ detail: 'Requests rate limit reached.' })
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0')
    expect((await call('GET', '/purchases/purchase-id/1', undefined, 'b1:s')).status).toBe(404)
    expect(s.stats().rateLimited).toBe(1)
    expect(s.account('a').remaining()).toBe(0)
    await clock.advance(60_000 - 12_345 - 1)
    expect(s.account('a').remaining()).toBe(0)
    await clock.advance(1)
    expect(s.account('a').remaining()).toBe(3)
    expect((await call('GET', '/purchases/purchase-id/1', undefined, 'a1:s')).status).toBe(404)
  })

  it('sends the RateLimit-* variant with Reset in seconds left', async () => {
    // 2.5 s into a 10 s window: 7.5 s left, rounded up.
    const clock = new ManualClock(170_000_000 * 10_000 + 2_500)
    await start({
      clock,
      accounts: [{ name: 'a', keys: [{ key: KEY }], rateLimit: 5, rateWindowMs: 10_000 }],
      rateLimitHeaders: 'draft',
    })
    const answer = await call('GET', '/purchases/purchase-id/1')
    expect(answer.headers.get('x-ratelimit-reset')).toBeNull()
    expect(answer.headers.get('ratelimit-remaining')).toBe('4')
    expect(answer.headers.get('ratelimit-reset')).toBe('8')
  })

  it('injects queued faults: 5xx, dropped connections, stored then 500', async () => {
    const s = await start()
    s.queueFaults('error', 'drop', 'stored-then-500')
    expect((await call('POST', '/purchases/', purchase())).status).toBe(503)
    await expect(call('POST', '/purchases/', purchase())).rejects.toThrow()
    expect(s.account('shop').purchases.size).toBe(0)
    expect((await call('POST', '/purchases/', purchase())).status).toBe(500)
    expect(s.account('shop').purchases.has('42')).toBe(true)
    expect((await call('POST', '/purchases/', purchase())).status).toBe(409)
    expect(s.stats()).toMatchObject({ dropped: 1, injectedErrors: 2, purchasesStored: 1 })
  })

  it('injects every Nth fault, and seeded rates reproducibly', async () => {
    const s = await start({ faults: { errorEvery: 3 } })
    const statuses: number[] = []
    for (let i = 0; i < 6; i += 1) statuses.push((await call('GET', '/purchases/x')).status)
    expect(statuses).toEqual([400, 400, 503, 400, 400, 503])
    expect(s.stats().byStatus[503]).toBe(2)

    const pattern = async (seed: number): Promise<number[]> => {
      await sim?.close()
      await start({ seed, faults: { errorRate: 0.3 } })
      const out: number[] = []
      for (let i = 0; i < 20; i += 1) out.push((await call('GET', '/purchases/x')).status)
      return out
    }
    const once = await pattern(7)
    expect(await pattern(7)).toEqual(once)
    expect(once.filter((status) => status === 503).length).toBeGreaterThan(0)
  })

  it('adds latency to answers, on its clock', async () => {
    const clock = new ManualClock()
    const s = await start({ clock, faults: { latencyMs: 60 } })
    let answered = false
    const answer = call('GET', '/purchases/purchase-id/1').then((result) => {
      answered = true
      return result
    })
    await clock.whenSleeping()
    expect(s.heldAnswers()).toBe(1)
    await clock.advance(59)
    expect(answered).toBe(false)
    await clock.advance(1)
    expect((await answer).status).toBe(404)
    expect(s.heldAnswers()).toBe(0)

    // A drop waits as long before it cuts the connection.
    s.queueFaults('drop')
    let cut = false
    const dropped = call('GET', '/purchases/purchase-id/1').then(
      () => 'answered',
      () => {
        cut = true
        return 'dropped'
      },
    )
    await clock.whenSleeping()
    await clock.advance(59)
    expect(cut).toBe(false)
    await clock.advance(1)
    expect(await dropped).toBe('dropped')
  })

  it('has a deterministic PRNG', () => {
    const a = seededRandom(3)
    const b = seededRandom(3)
    const values = Array.from({ length: 5 }, () => a())
    expect(Array.from({ length: 5 }, () => b())).toEqual(values)
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true)
  })
})
