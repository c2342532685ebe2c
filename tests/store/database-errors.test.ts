import { createServer } from 'node:net'
import type { AddressInfo, Server, Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabaseStore } from '../../main/core/store/database/database-store'
import { openPool } from '../../main/core/store/database/database-connection'
import type { DatabaseConnectionOptions } from '../../main/core/store/database/database-connection'
import type { StoreErrorCode } from '../../main/core/store/store-errors'
import { createTestDatabase } from '../support/mysql-server'
import type { TestDatabase } from '../support/mysql-server'
import { createPrestaShopSchema, createUnrelatedSchema } from '../support/prestashop/schema-builder'
import { expectTranslatable } from './translatable-errors'

let db: TestDatabase

function options(overrides: Partial<DatabaseConnectionOptions> = {}): DatabaseConnectionOptions {
  return {
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.database,
    tablePrefix: 'ps_',
    connectTimeoutMs: 5_000,
    ...overrides,
  }
}

async function failure(
  connection: DatabaseConnectionOptions,
): Promise<{ code: StoreErrorCode; message: string }> {
  try {
    const store = await openDatabaseStore(connection)
    await store.close()
  } catch (error) {
    expectTranslatable(error)
    return error as { code: StoreErrorCode; message: string }
  }
  throw new Error('the store opened, but it should have failed')
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

beforeAll(async () => {
  db = await createTestDatabase('errors')
  await createPrestaShopSchema(db.admin, { version: '1.7.8.7', prefix: 'shop_' })
  await db.admin.query(
    "INSERT INTO shop_configuration (name, value, date_add, date_upd) VALUES ('PS_VERSION_DB', '1.7.8.7', NOW(), NOW())",
  )
})

afterAll(async () => {
  await db.drop()
})

describe('connecting to a store database', () => {
  it('says when nothing listens at the address', async () => {
    const port = await freePort()
    const error = await failure(options({ host: '127.0.0.1', port }))
    expect(error.code).toBe('host_unreachable')
    expect(error.message).toContain(`127.0.0.1:${port}`)
  })

  it('says when the host name does not resolve', async () => {
    const error = await failure(options({ host: 'no-such-host.invalid' }))
    expect(error.code).toBe('host_unreachable')
    expect(error.message).toContain('no-such-host.invalid')
  })

  it('gives up on a server that never answers', async () => {
    const sockets: Socket[] = []
    const silent: Server = createServer((socket) => sockets.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const { port } = silent.address() as AddressInfo
    try {
      const error = await failure(options({ host: '127.0.0.1', port, connectTimeoutMs: 500 }))
      expect(error.code).toBe('connection_timeout')
      expect(error.message).toMatch(/did not answer in time/)
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => silent.close(() => resolve()))
    }
  })

  it('says the user or password is wrong', async () => {
    const user = await db.createUser({ privileges: ['SELECT'] })
    const error = await failure(
      options({ user: user.user, password: 'wrong', tablePrefix: 'shop_' }),
    )
    expect(error.code).toBe('access_denied')
    expect(error.message).toContain(user.user)
  })

  it('says the database does not exist', async () => {
    const error = await failure(options({ database: 'no_such_shop_db' }))
    expect(error.code).toBe('unknown_database')
    expect(error.message).toContain('no_such_shop_db')
  })

  it('says the user has no access to the database', async () => {
    const user = await db.createUser()
    const error = await failure(options({ user: user.user, password: user.password }))
    expect(error.code).toBe('database_access_denied')
    expect(error.message).toContain(db.database)
  })

  it('names the prefixes that exist when the configured one has no tables', async () => {
    const error = await failure(options({ tablePrefix: 'ps_' }))
    expect(error.code).toBe('no_tables_with_prefix')
    expect(error.message).toContain('"shop_"')
  })

  it('names the tables the user may not read', async () => {
    const user = await db.createUser({
      privileges: ['SELECT'],
      tables: ['shop_configuration', 'shop_orders', 'shop_order_detail'],
    })
    const error = await failure(
      options({ user: user.user, password: user.password, tablePrefix: 'shop_' }),
    )
    expect(error.code).toBe('missing_select_privilege')
    expect(error.message).toContain('shop_customer')
    expect(error.message).not.toContain('shop_orders,')
  })

  it('explains a failed TLS handshake', async () => {
    const error = await failure(
      options({ tablePrefix: 'shop_', tls: { rejectUnauthorized: true } }),
    )
    expect(error.code).toBe('tls_failed')
    expect(error.message).toMatch(/TLS/)
  })

  it('says when the store has no shop', async () => {
    const error = await failure(options({ tablePrefix: 'shop_' }))
    expect(error.code).toBe('invalid_store_configuration')
    expect(error.message).toMatch(/no shop/)
  })

  it('refuses to write through its connections', async () => {
    const pool = openPool(options({ tablePrefix: 'shop_' }))
    try {
      await expect(
        pool.select(
          "INSERT INTO shop_configuration (name, value, date_add, date_upd) VALUES ('X', '1', NOW(), NOW())",
        ),
      ).rejects.toMatchObject({ code: 'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION' })
    } finally {
      await pool.end()
    }
  })
})

describe('recognising a PrestaShop database', () => {
  let other: TestDatabase
  beforeAll(async () => {
    other = await createTestDatabase('not_ps')
  })
  afterAll(async () => {
    await other.drop()
  })

  it('says when the database is empty', async () => {
    const error = await failure(options({ database: other.database }))
    expect(error.code).toBe('not_prestashop')
    expect(error.message).toMatch(/no tables/)
  })

  it("says when the tables are another application's", async () => {
    await createUnrelatedSchema(other.admin, { prefix: 'wp_' })
    const error = await failure(options({ database: other.database, tablePrefix: 'wp_' }))
    expect(error.code).toBe('not_prestashop')
    expect(error.message).toMatch(/does not look like a PrestaShop database/)
  })

  it('refuses versions it cannot read', async () => {
    await createPrestaShopSchema(other.admin, { version: '1.6.1.24', prefix: 'old_' })
    await other.admin.query(
      "INSERT INTO old_configuration (name, value, date_add, date_upd) VALUES ('PS_VERSION_DB', '1.5.6.2', NOW(), NOW())",
    )
    const error = await failure(options({ database: other.database, tablePrefix: 'old_' }))
    expect(error.code).toBe('unsupported_version')
    expect(error.message).toContain('1.5.6.2')
  })
})
