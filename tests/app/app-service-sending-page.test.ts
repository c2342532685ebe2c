/**
 * A sending's page through the contract (`sending:get`, `sending:orders`, `sending:order-detail`,
 * `sending:timeline`), after a real sending: a MariaDB store, the Connectif simulator over HTTP
 * and the history in SQLite. Invalid requests are answered as error values, never thrown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProfileDraft, SendingOrderView } from '../../preload/contract'
import { createTestDatabase, type TestDatabase, type TestUser } from '../support/mysql-server'
import type { StoreFixture } from '../support/prestashop/store-generator'
import {
  allStateIds,
  API_KEY,
  expectedOutcome,
  loadStore,
  recentRange,
  shopAccount,
} from '../sending/engine-harness'
import { databaseSource, failure, ok, useAppHarness } from './app-harness'

let db: TestDatabase
let reader: TestUser
let fixture: StoreFixture
let expected: ReturnType<typeof expectedOutcome>

beforeAll(async () => {
  db = await createTestDatabase('app_sending_page')
  fixture = await loadStore(db, 60)
  expected = expectedOutcome(fixture)
  reader = await db.createUser({ privileges: ['SELECT'] })
})

afterAll(async () => {
  await db.drop()
})

const app = useAppHarness({
  home: 'sending-page',
  accounts: () => [shopAccount('shop', API_KEY, expected)],
  secretValues: () => [reader.password, API_KEY],
  quiet: true,
})
const { call, finished } = app

async function saveProfile(): Promise<number> {
  const draft: ProfileDraft = {
    id: null,
    profile: {
      name: 'Shop',
      source: databaseSource(db, reader),
      connectif: { apiUrl: app.simulator.url },
    },
    secrets: { dbPassword: { set: reader.password }, connectifKey: { set: API_KEY } },
  }
  return ok(await call('profiles:save', draft)).id
}

/** A whole sending of the store's orders, finished. */
async function send(profileId: number, createContacts = true): Promise<number> {
  const { sendingId } = ok(
    await call('sending:start', {
      profileId,
      ...recentRange(),
      stateIds: allStateIds(fixture),
      mode: 'background',
      options: {
        triggerWorkflows: false,
        createContacts,
        createProducts: true,
        rateLimit: 60_000,
      },
    }),
  )
  await finished(sendingId)
  return sendingId
}

/** Every order of the sending, read through the contract a page at a time. */
async function allOrders(sendingId: number): Promise<SendingOrderView[]> {
  const rows: SendingOrderView[] = []
  for (let page = 0; ; page++) {
    const answer = ok(await call('sending:orders', { sendingId, page, pageSize: 7 }))
    rows.push(...answer.rows)
    if (answer.rows.length < 7) return rows
  }
}

describe("a sending's page", () => {
  it('shows the sending as the history lists it, and refuses one that does not exist', async () => {
    const sendingId = await send(await saveProfile())
    const listed = ok(await call('history:list', {})).find((sending) => sending.id === sendingId)
    expect(ok(await call('sending:get', { sendingId }))).toEqual(listed)
    expect(failure(await call('sending:get', { sendingId: 9_999 }))).toMatchObject({
      code: 'sending_not_found',
      params: { sending: '9999' },
    })
    expect(failure(await call('sending:get', { sendingId: 0 })).code).toBe('invalid_request')
  })

  it('lists its orders a page at a time, filtered, searched and sorted', async () => {
    const sendingId = await send(await saveProfile())
    const sending = ok(await call('sending:get', { sendingId }))
    const first = ok(await call('sending:orders', { sendingId }))
    expect(first.total).toBe(sending.counts.total)
    expect(first.rows).toHaveLength(Math.min(50, sending.counts.total))
    const orders = await allOrders(sendingId)
    expect(orders).toHaveLength(sending.counts.total)
    expect(orders.map((order) => order.orderId)).toEqual(
      orders.map((order) => order.orderId).sort((a, b) => a - b),
    )
    expect(orders.filter((order) => order.result === 'skipped')).toHaveLength(
      expected.skipped.length,
    )
    for (const order of orders) {
      expect(order.target).toBe('')
      if (order.result === 'created') {
        expect(order).toMatchObject({ httpStatus: 201, errorCode: null, attempts: 1 })
        expect(order.sentAt).toMatch(/^\d{4}-\d\d-\d\dT/)
      }
      if (order.result === 'skipped') expect(order).toMatchObject({ sentAt: null, attempts: 0 })
    }

    const created = ok(
      await call('sending:orders', { sendingId, result: 'created', pageSize: 500 }),
    )
    expect(created.total).toBe(sending.counts.created)
    expect(created.rows.every((order) => order.result === 'created')).toBe(true)
    const skipped = ok(await call('sending:orders', { sendingId, result: 'skipped' }))
    expect(skipped.rows.map((order) => order.orderId).sort((a, b) => a - b)).toEqual(
      [...expected.skipped].sort((a, b) => a - b),
    )

    // Found by its e-mail in another case (the store has one with an ä: not only ASCII letters
    // are folded), by part of its reference, and by its id.
    const sample = orders.find(
      (order) => order.result === 'created' && /[^\x20-\x7e]/.test(order.customerEmail),
    )!
    const byEmail = ok(
      await call('sending:orders', {
        sendingId,
        search: `  ${sample.customerEmail.toUpperCase()} `,
      }),
    )
    expect(byEmail.rows.map((order) => order.customerEmail.toLowerCase())).toEqual(
      Array(byEmail.total).fill(sample.customerEmail.toLowerCase()),
    )
    expect(byEmail.rows.map((order) => order.orderId)).toContain(sample.orderId)
    const byReference = ok(
      await call('sending:orders', {
        sendingId,
        search: sample.reference.slice(1, 6).toLowerCase(),
      }),
    )
    expect(byReference.rows.map((order) => order.orderId)).toContain(sample.orderId)
    expect(ok(await call('sending:orders', { sendingId, search: String(sample.orderId) }))).toEqual(
      { rows: [sample], total: 1 },
    )

    const newest = ok(
      await call('sending:orders', {
        sendingId,
        sort: { field: 'sentAt', direction: 'desc' },
        pageSize: 500,
      }),
    ).rows.map((order) => order.sentAt)
    const sentTimes = orders.map((order) => order.sentAt)
    expect(newest).toEqual(
      [...sentTimes].sort((a, b) =>
        a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? 1 : -1,
      ),
    )
  })

  it('answers invalid requests as error values', async () => {
    const sendingId = await send(await saveProfile())
    for (const request of [
      { sendingId, pageSize: 501 },
      { sendingId, pageSize: 0 },
      { sendingId, page: -1 },
      { sendingId, page: 1.5 },
      { sendingId, result: 'lost' },
      { sendingId, search: 'x'.repeat(256) },
      { sendingId, sort: { field: 'reference', direction: 'asc' } },
      { sendingId, sort: { field: 'sentAt' } },
      { sendingId, extra: true },
    ])
      expect(
        failure(await call('sending:orders', request as never)).code,
        JSON.stringify(request).slice(0, 80),
      ).toBe('invalid_request')
    // Trimmed before its length counts, and null is no filter.
    expect(
      ok(
        await call('sending:orders', {
          sendingId,
          search: ` ${'x'.repeat(255)} `,
          result: null,
        }),
      ).total,
    ).toBe(0)
    expect(failure(await call('sending:orders', { sendingId: 9_999 })).code).toBe(
      'sending_not_found',
    )
    expect(failure(await call('sending:order-detail', { sendingId } as never)).code).toBe(
      'invalid_request',
    )
    expect(failure(await call('sending:timeline', { sendingId: -1 })).code).toBe('invalid_request')
  })

  it('shows one order with the exact bodies sent and what Connectif answered', async () => {
    const profileId = await saveProfile()
    const firstId = await send(profileId)
    const orders = await allOrders(firstId)
    const sample = orders.find((order) => order.result === 'created')!
    const detail = ok(
      await call('sending:order-detail', { sendingId: firstId, orderId: sample.orderId }),
    )
    const { request, response, ...view } = detail
    expect(view).toEqual(sample)
    const stored = app.simulator.account('shop').purchases.get(String(sample.orderId))!
    expect(request?.purchase).toEqual(stored.body)
    expect(request?.contact).toMatchObject({ email: sample.customerEmail })
    expect(response).toEqual(expect.any(String))

    const skippedOrder = orders.find((order) => order.result === 'skipped')!
    expect(
      ok(await call('sending:order-detail', { sendingId: firstId, orderId: skippedOrder.orderId })),
    ).toMatchObject({ result: 'skipped', request: null, response: null })

    // Sent again, without creating contacts: Connectif has them all (409), and no contact would
    // be sent.
    const againId = await send(profileId, false)
    const again = ok(
      await call('sending:order-detail', { sendingId: againId, orderId: sample.orderId }),
    )
    expect(again).toMatchObject({ result: 'already_exists', httpStatus: 409 })
    expect(again.request).toEqual({ purchase: request?.purchase, contact: null })
    expect(again.response).toContain(String(sample.orderId))

    expect(
      failure(await call('sending:order-detail', { sendingId: firstId, orderId: 987_654 })),
    ).toEqual({
      code: 'order_not_found',
      message: `Order 987654 is not in sending #${firstId}.`,
      params: { sending: String(firstId), order: '987654' },
    })
    expect(
      failure(await call('sending:order-detail', { sendingId: 9_999, orderId: sample.orderId }))
        .code,
    ).toBe('sending_not_found')
  })

  it('charts its answers over time, every answer in one bucket', async () => {
    const sendingId = await send(await saveProfile())
    const sending = ok(await call('sending:get', { sendingId }))
    const timeline = ok(await call('sending:timeline', { sendingId }))
    expect(timeline.bucketSeconds).toBeGreaterThanOrEqual(60)
    expect(timeline.buckets.length).toBeGreaterThan(0)
    expect(timeline.buckets.length).toBeLessThanOrEqual(120)
    const sum = (pick: (bucket: (typeof timeline.buckets)[number]) => number) =>
      timeline.buckets.reduce((total, bucket) => total + pick(bucket), 0)
    expect(sum((bucket) => bucket.created)).toBe(sending.counts.created)
    expect(sum((bucket) => bucket.alreadyExisted)).toBe(sending.counts.alreadyExisted)
    expect(sum((bucket) => bucket.failed)).toBe(sending.counts.failed)
    for (const bucket of timeline.buckets)
      expect(Date.parse(bucket.at) % (timeline.bucketSeconds * 1000)).toBe(0)
    expect(failure(await call('sending:timeline', { sendingId: 9_999 })).code).toBe(
      'sending_not_found',
    )
  })
})
