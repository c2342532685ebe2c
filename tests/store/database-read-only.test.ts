import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { once } from 'node:events'
import type { Socket } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { openDatabaseStore } from '../../main/core/store/database/database-store'
import { openPool, READ_ONLY_STATEMENT } from '../../main/core/store/database/database-connection'
import type { DatabaseConnectionOptions } from '../../main/core/store/database/database-connection'
import type { StoreError } from '../../main/core/store/store-errors'
import type { OrderFilter } from '../../main/core/store/store-source'
import { createTestDatabase } from '../support/mysql-server'
import type { TestDatabase } from '../support/mysql-server'
import { createPrestaShopSchema } from '../support/prestashop/schema-builder'
import { generateScenario } from '../support/prestashop/store-generator'
import type { StoreFixture } from '../support/prestashop/store-generator'
import { startMysqlStatementProxy } from './mysql-statement-proxy'
import type { MysqlStatementProxy, RefusedStatement } from './mysql-statement-proxy'
import { expectTranslatable } from './translatable-errors'

/**
 * Every connection to the store is made read-only before anything is read on it, and a connection
 * that cannot be made read-only reads nothing. A proxy in front of the real server answers the
 * read-only statement with an error (as a proxy or load balancer that rejects it would) and
 * records what reaches the server.
 */

const REFUSED: RefusedStatement = {
  pattern: /^\s*SET\s+SESSION\s+TRANSACTION\s+READ\s+ONLY\s*$/i,
  errno: 1568,
  sqlState: '25001',
  message: "Transaction characteristics can't be changed while a transaction is in progress",
}

let db: TestDatabase
let fixture: StoreFixture
let proxy: MysqlStatementProxy

function throughProxy(): DatabaseConnectionOptions {
  return {
    host: proxy.host,
    port: proxy.port,
    user: db.user,
    password: db.password,
    database: db.database,
    tablePrefix: 'ps_',
    connectTimeoutMs: 5_000,
  }
}

function wholeYear(): OrderFilter {
  return {
    range: { from: '2025-01-01', to: '2025-12-31' },
    stateIds: fixture.model.states.map((state) => state.id),
  }
}

async function rejection(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => null,
    (failure: unknown) => failure,
  )
  expectTranslatable(error)
  return error as StoreError
}

/** The store's sockets to the proxy (mysql2 connects with net.connect, which Node announces). */
const toProxy = new Set<Socket>()

function trackSocket(message: unknown): void {
  const { socket } = message as { socket: Socket }
  socket.once('connect', () => {
    if (socket.remotePort !== proxy.port) return
    toProxy.add(socket)
    socket.once('close', () => toProxy.delete(socket))
  })
}

/** What reached the server: every statement the proxy passed on. */
function forwarded(): string[] {
  return proxy.statements.filter((statement) => statement.forwarded).map(({ sql }) => sql)
}

beforeAll(async () => {
  db = await createTestDatabase('read_only')
  fixture = generateScenario('basic', {
    version: '8.2.0',
    prefix: 'ps_',
    seed: 20251127,
    orderCount: 30,
  })
  await createPrestaShopSchema(db.admin, { version: '8.2.0', prefix: 'ps_' })
  await fixture.load(db.admin)
  proxy = await startMysqlStatementProxy({ host: db.host, port: db.port })
  subscribe('net.client.socket', trackSocket)
})

afterAll(async () => {
  unsubscribe('net.client.socket', trackSocket)
  await proxy?.close()
  await db?.drop()
})

beforeEach(() => {
  proxy.refuse(null)
})

describe('the read-only session of every store connection', () => {
  it('is set on each connection before anything else is sent on it', async () => {
    const store = await openDatabaseStore(throughProxy())
    try {
      const orders: unknown[] = []
      for await (const page of store.readOrders(wholeYear(), { pageSize: 5 })) orders.push(...page)
      expect(orders).toHaveLength(fixture.expectedOrders(wholeYear()).length)
    } finally {
      await store.close()
    }
    const connections = new Set(proxy.statements.map((statement) => statement.connection))
    expect(connections.size).toBeGreaterThan(0)
    for (const connection of connections) {
      const sent = proxy.statements.filter((statement) => statement.connection === connection)
      expect(sent[0]?.sql).toBe(READ_ONLY_STATEMENT)
      expect(sent.filter(({ sql }) => sql === READ_ONLY_STATEMENT)).toHaveLength(1)
      // The proxy passed everything on: the reads below would have reached the server.
      expect(sent.every((statement) => statement.forwarded)).toBe(true)
    }
  })

  it('refuses to open the store when the statement fails, and reads nothing', async () => {
    const before = proxy.statements.length
    proxy.refuse(REFUSED)
    const error = await rejection(openDatabaseStore(throughProxy()))
    expect(error.code).toBe('read_only_failed')
    expect(error.params).toEqual({
      host: proxy.host,
      port: String(proxy.port),
      detail: REFUSED.message,
    })
    expect(error.message).toMatch(/could not be made read-only/)
    expect(error.message).toMatch(/read nothing/)
    const sent = proxy.statements.slice(before)
    expect(sent.length).toBeGreaterThan(0)
    expect(sent.every(({ sql, forwarded }) => sql === READ_ONLY_STATEMENT && !forwarded)).toBe(true)
  })

  it('never runs a statement on a connection whose read-only statement failed', async () => {
    const pool = openPool(throughProxy())
    const before = proxy.statements.length
    proxy.refuse(REFUSED)
    try {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const error = await rejection(pool.select('SELECT id_order FROM ps_orders'))
        expect(error.code).toBe('read_only_failed')
      }
    } finally {
      await pool.end()
    }
    const sent = proxy.statements.slice(before)
    // Each try opened a new connection (the refused one is destroyed) and stopped at the refusal.
    expect(sent.map(({ sql }) => sql)).toEqual([
      READ_ONLY_STATEMENT,
      READ_ONLY_STATEMENT,
      READ_ONLY_STATEMENT,
    ])
    expect(new Set(sent.map(({ connection }) => connection)).size).toBe(3)
    expect(sent.some(({ forwarded }) => forwarded)).toBe(false)
  })

  it('stops an open store from reading once a new connection cannot be made read-only', async () => {
    const store = await openDatabaseStore(throughProxy())
    try {
      expect((await store.orderStates()).length).toBeGreaterThan(0)
      proxy.refuse(REFUSED)
      proxy.dropConnections()
      expect(toProxy.size).toBeGreaterThan(0)
      // The pool forgets a connection on its socket's end or error, both before the socket closes.
      await Promise.all([...toProxy].map((socket) => once(socket, 'close')))
      const reached = forwarded().length
      const error = await rejection(store.orderStates())
      expect(error.code).toBe('read_only_failed')
      expect(forwarded()).toHaveLength(reached)
    } finally {
      await store.close()
    }
  })
})
