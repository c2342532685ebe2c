/**
 * `purchase-sender orders` through the real command line, after real sendings (a MariaDB store,
 * the Connectif simulator): the contract's JSON fields, --result, the account of a routed
 * sending's orders, the readable table, a long listing written page by page, and exit 2.
 */
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HistoryStore } from '../../main/core/history/history-store'
import type { PurchaseCreation } from '../../main/core/purchases/purchase'
import { startConnectifSimulator, type ConnectifSimulator } from '../support/connectif-simulator'
import {
  createTestStore,
  databaseProfileFlags,
  historyFile,
  json,
  sendArgs,
  useCliHome,
  type SendingJson,
  type TestStore,
} from './cli-harness'

const KEYS = {
  plain: 'kid-plain:orders-secret',
  main: 'kid-main:orders-secret',
  spanish: 'kid-spanish:orders-secret',
} as const

/** The contract's fields of `orders --json`, in its order (docs/cli-contract.md). */
const FIELDS = [
  'orderId',
  'reference',
  'result',
  'httpStatus',
  'errorCode',
  'message',
  'attempts',
  'sentAt',
]

interface OrderJson {
  orderId: number
  reference: string
  result: string
  httpStatus: number | null
  errorCode: string | null
  message: string | null
  attempts: number
  sentAt: string | null
  target?: string
}

let store: TestStore
let simulator: ConnectifSimulator
let ready: PurchaseCreation[]
/** The plain profile's sending: some orders created, some failed (contacts it may not create). */
let plain: SendingJson
let routed: SendingJson
const home = useCliHome()
const { cli } = home

/** The rows the history holds for a sending, straight from its database. */
function historyRows(sendingId: number): Record<string, unknown>[] {
  const db = new Database(historyFile(home.dir), { readonly: true, fileMustExist: true })
  try {
    return db
      .prepare(
        `SELECT order_id AS orderId, reference, result, http_status AS httpStatus,
           error_code AS errorCode, message, attempts, sent_at AS sentAt, target
         FROM sending_orders WHERE sending_id = ? ORDER BY order_id`,
      )
      .all(sendingId) as Record<string, unknown>[]
  } finally {
    db.close()
  }
}

beforeAll(async () => {
  store = await createTestStore('cli_orders', 818, { orderCount: 50, languages: ['en', 'es'] })
  ready = store.mappings.flatMap((mapping) =>
    mapping.result === 'ready' ? [mapping.purchase] : [],
  )
  const emails = [...new Set(ready.map((purchase) => purchase.contactEmail))]
  simulator = await startConnectifSimulator({
    accounts: [
      {
        name: 'plain',
        keys: [{ key: KEYS.plain }],
        rateLimit: 100_000,
        authorisedDomains: ['shop.example.test'],
        // Half the customers only: sent without creating contacts, the others' orders fail.
        contacts: emails.filter((_, index) => index % 2 === 0),
      },
      ...(['main', 'spanish'] as const).map((name) => ({
        name,
        keys: [{ key: KEYS[name] }],
        rateLimit: 100_000,
        authorisedDomains: ['shop.example.test'],
      })),
    ],
  })
  home.env = {
    ORDERS_DB_PASSWORD: store.reader.password,
    PLAIN_KEY: KEYS.plain,
    MAIN_KEY: KEYS.main,
    ES_KEY: KEYS.spanish,
  }
  const password = 'ORDERS_DB_PASSWORD'
  for (const args of [
    databaseProfileFlags(store, 'Plain shop', simulator.url, { password, key: 'PLAIN_KEY' }),
    [
      ...databaseProfileFlags(store, 'Routed shop', simulator.url, { password, key: 'MAIN_KEY' }),
      '--target',
      'lang=es,key-env=ES_KEY',
    ],
  ]) {
    const added = await cli(...args)
    expect(added.code, added.stderr).toBe(0)
  }
  const sentPlain = await cli(
    '--json',
    ...sendArgs(store, 'Plain shop', 60_000),
    '--no-create-contacts',
  )
  expect(sentPlain.code, sentPlain.stderr).toBe(1)
  plain = json<SendingJson>(sentPlain)
  expect(plain.failed).toBeGreaterThan(0)
  expect(plain.created).toBeGreaterThan(0)
  expect(plain.skipped).toBeGreaterThan(0)
  const sentRouted = await cli('--json', ...sendArgs(store, 'Routed shop', 60_000))
  expect(sentRouted.code, sentRouted.stderr).toBe(0)
  routed = json<SendingJson>(sentRouted)
})

afterAll(async () => {
  await simulator?.close()
  await store?.drop()
})

describe('orders --json', () => {
  it("prints every order of the sending in order id order, with the contract's fields", async () => {
    const run = await cli('--json', 'orders', String(plain.sendingId))
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toBe('')
    const orders = json<OrderJson[]>(run)
    expect(orders).toHaveLength(plain.total)
    for (const order of orders) expect(Object.keys(order)).toEqual(FIELDS)
    // What the history recorded, field for field (an unrouted sending names no account).
    expect(orders).toEqual(historyRows(plain.sendingId).map(({ target: _, ...row }) => row))
    const count = (result: string) => orders.filter((order) => order.result === result).length
    expect([count('created'), count('failed'), count('skipped')]).toEqual([
      plain.created,
      plain.failed,
      plain.skipped,
    ])
    const failed = orders.find((order) => order.result === 'failed')!
    expect(failed.httpStatus).toBeGreaterThanOrEqual(400)
    expect(failed.message).toMatch(/contact/i)
    expect(failed.sentAt).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/)
    expect(orders.find((order) => order.result === 'skipped')).toMatchObject({
      httpStatus: null,
      sentAt: null,
      attempts: 0,
      message: expect.any(String),
    })
  })

  it('keeps the orders with the result asked for', async () => {
    for (const [result, expected] of [
      ['failed', plain.failed],
      ['created', plain.created],
      ['skipped', plain.skipped],
      ['already_exists', 0],
      ['pending', 0],
    ] as const) {
      const run = await cli('--json', 'orders', String(plain.sendingId), '--result', result)
      expect(run.code, run.stderr).toBe(0)
      const orders = json<OrderJson[]>(run)
      expect(orders, result).toHaveLength(expected)
      expect(orders.every((order) => order.result === result)).toBe(true)
    }
    const none = await cli('--json', 'orders', String(plain.sendingId), '--result', 'pending')
    expect(none.stdout).toBe('[]\n')
  })

  it("names each order's Connectif account for a routed sending", async () => {
    const run = await cli('--json', 'orders', String(routed.sendingId))
    expect(run.code, run.stderr).toBe(0)
    const orders = json<OrderJson[]>(run)
    expect(orders).toHaveLength(routed.total)
    for (const order of orders) expect(Object.keys(order)).toEqual([...FIELDS, 'target'])
    expect(orders.map((order) => order.target)).toEqual(
      historyRows(routed.sendingId).map((row) => row['target']),
    )
    const perTarget: Record<string, number> = {}
    for (const order of orders) perTarget[order.target!] = (perTarget[order.target!] ?? 0) + 1
    expect(perTarget).toEqual(
      Object.fromEntries(
        Object.entries(routed.byTarget ?? {}).map(([target, counts]) => [
          target === 'none' ? '' : target,
          counts.total,
        ]),
      ),
    )
    expect(perTarget['lang=es']).toBeGreaterThan(0)
    expect(perTarget['main']).toBeGreaterThan(0)
  })

  it('writes a long list page by page as exactly the one JSON document', async () => {
    // A sending of 1,234 orders recorded straight into this home's history: more than two of
    // the command's pages.
    const history = HistoryStore.open(historyFile(home.dir))
    let sendingId: number
    try {
      const profile = history.profiles.list().find((saved) => saved.name === 'Plain shop')!
      sendingId = history.createSending({
        profileId: profile.id,
        from: store.range.from,
        to: store.range.to,
        stateIds: store.stateIds,
        shopIds: [],
        mode: 'cli',
        options: {
          triggerWorkflows: false,
          createContacts: true,
          createProducts: true,
          rateLimit: 60,
        },
        expectedTotal: 1_234,
        ownerPid: process.pid,
      }).id
      history.recordOrders(
        sendingId,
        Array.from({ length: 1_234 }, (_, index) => ({
          orderId: 5_000 + index * 3,
          reference: `LONG${index}`,
          orderDate: '2025-01-02T10:00:00+01:00',
          customerEmail: `long${index}@example.test`,
          total: '1.00',
          shopId: 1,
          stateId: store.stateIds[0]!,
          result: 'pending' as const,
          payload: '{}',
          message: null,
        })),
        null,
        true,
      )
      history.finishSending(sendingId, 'cancelled')
    } finally {
      history.close()
    }
    const run = await cli('--json', 'orders', String(sendingId))
    expect(run.code, run.stderr).toBe(0)
    const orders = json<OrderJson[]>(run)
    expect(orders).toHaveLength(1_234)
    expect(orders.map((order) => order.orderId)).toEqual(
      Array.from({ length: 1_234 }, (_, index) => 5_000 + index * 3),
    )
    // Byte for byte what one JSON.stringify of the whole list prints.
    expect(run.stdout).toBe(`${JSON.stringify(orders, null, 2)}\n`)

    const table = await cli('orders', String(sendingId), '--result', 'pending')
    expect(table.code, table.stderr).toBe(0)
    const lines = table.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(2 + 1_234 + 1)
    expect(lines.at(-1)).toBe(`1234 orders pending in sending #${sendingId}.`)
  })
})

describe('orders, for people', () => {
  it('prints a table of the orders, then how many', async () => {
    const run = await cli('orders', String(plain.sendingId))
    expect(run.code, run.stderr).toBe(0)
    const lines = run.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(
      /^\s*Order {2}Reference\s+Result\s+HTTP {2}Attempts {2}Sent at\s+Message$/,
    )
    expect(lines[1]).toMatch(/^-+( +-+)+$/)
    expect(lines).toHaveLength(2 + plain.total + 1)
    expect(lines.at(-1)).toBe(`${plain.total} orders in sending #${plain.sendingId}.`)
    const failed = historyRows(plain.sendingId).find((row) => row['result'] === 'failed')!
    const line = lines.find((text) => text.trimStart().startsWith(`${String(failed['orderId'])} `))
    expect(line).toContain(String(failed['reference']))
    expect(line).toContain('failed')
    expect(line).toContain(String(failed['message']))
    expect(line).toContain(String(failed['sentAt']).replace('T', ' ').slice(0, 19))

    const routedRun = await cli('orders', String(routed.sendingId), '--result', 'created')
    expect(routedRun.stdout.split('\n')[0]).toMatch(/Sent at\s+Target\s+Message$/)
    expect(routedRun.stdout).toContain('lang=es')

    const none = await cli('orders', String(plain.sendingId), '--result', 'already_exists')
    expect(none.code).toBe(0)
    expect(none.stdout).toBe(
      `Sending #${plain.sendingId} has no orders with the result already_exists.\n`,
    )
  })
})

describe('orders, refused (exit 2)', () => {
  it('an unknown sending, a result that does not exist, a sending id that is not one', async () => {
    const unknown = await cli('--json', 'orders', '9999')
    expect(unknown.code).toBe(2)
    expect(unknown.stdout).toBe('')
    expect(unknown.stderr).toMatch(/There is no sending #9999 in .*"purchase-sender history"/)

    const badResult = await cli('orders', String(plain.sendingId), '--result', 'ok')
    expect(badResult.code).toBe(2)
    expect(badResult.stdout).toBe('')
    expect(badResult.stderr).toContain(
      '--result "ok" is not an order result: use one of created, already_exists, failed, skipped, pending.',
    )

    for (const args of [
      ['orders', 'abc'],
      ['orders'],
      ['orders', '1', '2'],
      ['orders', '1', '--result'],
    ]) {
      const run = await cli(...args)
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stdout).toBe('')
    }
  })
})
