/**
 * "Test connection" against an API URL where something other than Connectif answers: a real
 * HTTP server on 127.0.0.1 that answers 404 to everything. Connectif answers 404 for the purchase
 * the check asks about, so a 404 only counts as "the key works" when it carries Connectif's
 * signature (its JSON error body and its rate-limit headers); the store is checked as usual.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ProfileDraft } from '../../preload/contract'
import { createTestDatabase, type TestDatabase, type TestUser } from '../support/mysql-server'
import { startNotFoundServer, type NotFoundServer } from '../support/not-found-server'
import { API_KEY, loadStore } from '../sending/engine-harness'
import { databaseSource, ok, useAppHarness } from './app-harness'

let db: TestDatabase
let reader: TestUser
let server: NotFoundServer

beforeAll(async () => {
  db = await createTestDatabase('app_connection_check')
  await loadStore(db, 10)
  reader = await db.createUser({ privileges: ['SELECT'] })
})

afterAll(async () => {
  await db.drop()
})

beforeEach(async () => {
  server = await startNotFoundServer('text')
})

afterEach(async () => {
  await server.close()
})

const app = useAppHarness({
  home: 'connection-check',
  accounts: () => [{ name: 'shop', keys: [{ key: API_KEY }] }],
  secretValues: () => [reader.password, API_KEY],
  quiet: true,
})

function draft(apiUrl: string): ProfileDraft {
  return {
    id: null,
    profile: { name: 'Shop', source: databaseSource(db, reader), connectif: { apiUrl } },
    secrets: { dbPassword: { set: reader.password }, connectifKey: { set: API_KEY } },
  }
}

describe('a connection test of an address that answers 404 to everything', () => {
  it.each(['text', 'json'] as const)(
    'says a %s 404 without Connectif’s signature is not Connectif’s API',
    async (style) => {
      server.style = style
      const test = ok(await app.call('profiles:test', draft(server.url)))
      expect(test.store.ok).toBe(true)
      expect(test.accounts).toEqual([
        expect.objectContaining({
          account: 'main',
          apiUrl: server.url,
          ok: false,
          problem: 'not_connectif',
        }),
      ])
      expect(test.accounts[0]?.message).toContain(
        `${server.url} does not answer like Connectif's API: it answered 404`,
      )
      expect(test.accounts[0]?.message).toContain(
        style === 'text' ? 'error body and rate-limit headers' : 'rate-limit headers',
      )
      expect(test.connectif).toMatchObject({ ok: false, problem: 'not_connectif' })
      // Nothing more is asked of it: no Imports check after a failed key check.
      expect(server.requests()).toBe(1)
      app.noSecretIn(test)
    },
  )

  it('accepts the key when the 404 is Connectif’s own, body and headers', async () => {
    server.style = 'connectif'
    const test = ok(await app.call('profiles:test', draft(server.url)))
    expect(test.accounts[0]).toMatchObject({ ok: true, problem: 'ok' })
  })

  it('accepts the simulator’s 404, as Connectif’s', async () => {
    const test = ok(await app.call('profiles:test', draft(app.simulator.url)))
    expect(test.accounts[0]).toMatchObject({ ok: true, problem: 'ok' })
  })
})
