/**
 * The application service with profiles that read the store through the PrestaShop Webservice:
 * the Webservice simulator over a real MariaDB store, the Connectif simulator and a real history.
 * The Webservice key is a secret like the database password: kept in main, never answered back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REQUIRED_RESOURCES } from '../../main/core/store/webservice/webservice-client'
import type { ProfileDraft } from '../../preload/contract'
import { createTestDatabase, type TestDatabase } from '../support/mysql-server'
import {
  startWebserviceSimulator,
  WEBSERVICE_TEST_KEY,
  type WebserviceSimulator,
} from '../support/prestashop/webservice-simulator'
import type { StoreFixture } from '../support/prestashop/store-generator'
import {
  allStateIds,
  API_KEY,
  expectedOutcome,
  loadStore,
  recentRange,
  shopAccount,
} from '../sending/engine-harness'
import { failure, ok, useAppHarness } from './app-harness'

const WRONG_KEY = 'WRONGKEY0123456789ABCDEFGHIJKLMN'

let db: TestDatabase
let fixture: StoreFixture
let expected: ReturnType<typeof expectedOutcome>
let webservice: WebserviceSimulator
let cgiWebservice: WebserviceSimulator

beforeAll(async () => {
  db = await createTestDatabase('app_ws')
  fixture = await loadStore(db, 60)
  expected = expectedOutcome(fixture)
  const database = {
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.database,
  }
  webservice = await startWebserviceSimulator({ database, version: '1.7.8.7' })
  cgiWebservice = await startWebserviceSimulator({
    database,
    version: '1.7.8.7',
    quirks: { stripAuthorization: true },
  })
})

afterAll(async () => {
  await cgiWebservice?.close()
  await webservice?.close()
  await db?.drop()
})

const app = useAppHarness({
  home: 'app-ws',
  accounts: () => [shopAccount('shop', API_KEY, expected)],
  secretValues: () => [WEBSERVICE_TEST_KEY, WRONG_KEY, API_KEY],
  quiet: true,
})
const { call, callOn, finished, noSecretIn } = app

function draft(name: string, overrides: Partial<ProfileDraft> = {}): ProfileDraft {
  return {
    id: null,
    profile: {
      name,
      source: { kind: 'webservice', url: webservice.url },
      connectif: { apiUrl: app.simulator.url },
    },
    secrets: { webserviceKey: { set: WEBSERVICE_TEST_KEY }, connectifKey: { set: API_KEY } },
    ...overrides,
  }
}

function withUrl(base: ProfileDraft, url: string): ProfileDraft {
  return { ...base, profile: { ...base.profile, source: { kind: 'webservice', url } } }
}

describe('Webservice profiles', () => {
  it('tells the screens which resources a key needs', async () => {
    const info = ok(await call('app:info', {}))
    expect(info.webserviceResources).toEqual([...REQUIRED_RESOURCES])
  })

  it('saves the normalised address and keeps the key like the database password', async () => {
    const saved = ok(
      await call('profiles:save', withUrl(draft('Web shop'), `${webservice.url}api`)),
    )
    expect(saved.source).toEqual({
      kind: 'webservice',
      url: webservice.url,
      keyEnv: null,
      keyInUrl: false,
    })
    expect(saved.secrets).toEqual({
      dbPassword: 'not-needed',
      webserviceKey: 'saved',
      connectifKey: 'saved',
      targetKeys: {},
    })
    expect(app.secrets.values.get(`${saved.id}:webserviceKey`)).toBe(WEBSERVICE_TEST_KEY)
    noSecretIn(saved)
    noSecretIn(ok(await call('profiles:list', {})))

    // Editing without typing the key keeps it; clearing removes it.
    const kept = ok(
      await call('profiles:save', {
        ...draft('Web shop'),
        id: saved.id,
        secrets: { webserviceKey: { keep: true }, connectifKey: { keep: true } },
      }),
    )
    expect(kept.secrets.webserviceKey).toBe('saved')
    const copy = ok(await call('profiles:duplicate', { id: saved.id }))
    expect(copy.secrets.webserviceKey).toBe('saved')
    const cleared = ok(
      await call('profiles:save', {
        ...draft('Web shop'),
        id: saved.id,
        secrets: { webserviceKey: { clear: true } },
      }),
    )
    expect(cleared.secrets.webserviceKey).toBe('missing')
    const test = ok(await call('profiles:test', { id: saved.id }))
    expect(test.store).toMatchObject({ ok: false, code: 'secret_missing' })
    if (!test.store.ok) expect(test.store.message).toMatch(/No Webservice key is saved/)
    expect(test.connectif?.ok).toBe(true)
  })

  it('tests a draft and a saved profile, with the notices of the connection', async () => {
    const first = ok(await call('profiles:test', draft('Web shop')))
    expect(first.store.ok).toBe(true)
    if (!first.store.ok) return
    expect(first.store.message).toMatch(/^Connected: PrestaShop 1\.7\.8\.7/)
    expect(first.store.shops.length).toBe(fixture.model.shops.length)
    expect(first.store.notices).toEqual([
      { code: 'insecure_http', message: expect.stringMatching(/is an http:\/\/ address/) },
    ])
    expect(first.connectif?.ok).toBe(true)
    noSecretIn(first)

    const { id } = ok(await call('profiles:save', draft('Web shop')))
    const saved = ok(await call('profiles:test', { id }))
    expect(saved.store.ok && saved.store.notices.map((notice) => notice.code)).toEqual([
      'insecure_http',
    ])

    // A server that drops the Authorization header: the key goes in the URL only when asked.
    const cgiDraft = withUrl(draft('CGI shop'), cgiWebservice.url)
    const refused = ok(await call('profiles:test', cgiDraft))
    expect(refused.store).toMatchObject({ ok: false, code: 'store_access_denied' })
    if (!refused.store.ok) expect(refused.store.message).toMatch(/--ws-key-in-url|in the URL/)
    const cgi = ok(
      await call('profiles:test', {
        ...cgiDraft,
        profile: {
          ...cgiDraft.profile,
          source: { kind: 'webservice', url: cgiWebservice.url, keyInUrl: true },
        },
      }),
    )
    expect(cgi.store.ok && cgi.store.notices.map((notice) => notice.code).sort()).toEqual([
      'insecure_http',
      'key_in_url',
    ])
  })

  it('says the shop refused the key, with its message, as a value', async () => {
    const { id } = ok(await call('profiles:save', draft('Web shop')))
    const wrong = ok(
      await call('profiles:test', {
        ...draft('Web shop'),
        id,
        secrets: { webserviceKey: { set: WRONG_KEY }, connectifKey: { keep: true } },
      }),
    )
    expect(wrong.store).toMatchObject({ ok: false, code: 'store_access_denied' })
    if (!wrong.store.ok) expect(wrong.store.message).toMatch(/does not know this Webservice key/)
    expect(wrong.connectif?.ok).toBe(true)
    noSecretIn(wrong)

    const malformed = ok(
      await call('profiles:test', {
        ...draft('Web shop'),
        secrets: { webserviceKey: { set: 'abc' }, connectifKey: { set: API_KEY } },
      }),
    )
    expect(malformed.store).toMatchObject({ ok: false, code: 'store_access_denied' })
    if (!malformed.store.ok) expect(malformed.store.message).toMatch(/32 letters and digits/)
  })

  it.each([
    ['an empty address', '', /Enter the shop's address/],
    ['not an address', 'shop example', /"shop example" is not a web address/],
    ['another scheme', 'ftp://shop.example.test', /not an http:\/\/ or https:\/\/ address/],
    ['credentials in it', 'https://me:pw@shop.example.test', /must not contain a user name/],
  ])('refuses %s with a clear error value, saving nothing', async (_label, url, message) => {
    const saved = failure(await call('profiles:save', withUrl(draft('Bad'), url)))
    expect(saved.code).toBe('invalid_url')
    expect(saved.message).toMatch(message)
    expect(app.history.profiles.list()).toHaveLength(0)
    const tested = failure(await call('profiles:test', withUrl(draft('Bad'), url)))
    expect(tested).toMatchObject({ code: 'invalid_url' })
  })

  it('drops the database password when a profile moves to the Webservice', async () => {
    const base = draft('Moving shop')
    const asDatabase = ok(
      await call('profiles:save', {
        ...base,
        profile: {
          ...base.profile,
          source: {
            kind: 'database',
            host: db.host,
            port: db.port,
            user: db.user,
            database: db.database,
          },
        },
        secrets: { dbPassword: { set: 'db-password' }, connectifKey: { set: API_KEY } },
      }),
    )
    expect(asDatabase.secrets).toMatchObject({ dbPassword: 'saved', webserviceKey: 'not-needed' })
    const moved = ok(
      await call('profiles:save', {
        ...base,
        id: asDatabase.id,
        secrets: { webserviceKey: { set: WEBSERVICE_TEST_KEY }, connectifKey: { keep: true } },
      }),
    )
    expect(moved.secrets).toEqual({
      dbPassword: 'not-needed',
      webserviceKey: 'saved',
      connectifKey: 'saved',
      targetKeys: {},
    })
    expect(app.secrets.values.has(`${moved.id}:dbPassword`)).toBe(false)
  })
})

describe('the wizard and a sending through the Webservice', () => {
  it('looks up the states, counts, summarises and sends every ready order', async () => {
    const profileId = ok(await call('profiles:save', draft('Web shop'))).id
    const lookup = ok(await call('store:lookup', { profileId }))
    expect(lookup.states.map((state) => state.id).sort((a, b) => a - b)).toEqual(
      allStateIds(fixture).sort((a, b) => a - b),
    )
    const range = recentRange()
    const counts = ok(await call('store:count', { profileId, ...range }))
    expect(counts.total).toBe(expected.ready.size + expected.skipped.length)
    const summary = ok(
      await call('sending:summary', {
        profileId,
        ...range,
        stateIds: allStateIds(fixture),
        rateLimit: 100,
      }),
    )
    expect(summary.ordersToSend).toBe(counts.total)

    const started = ok(
      await call('sending:start', {
        profileId,
        ...range,
        stateIds: allStateIds(fixture),
        mode: 'background',
        options: { rateLimit: 60_000 },
      }),
    )
    const end = await finished(started.sendingId)
    expect(end.state).toBe('completed')
    expect(end.counts.created).toBe(expected.ready.size)
    expect(end.counts.skipped).toBe(expected.skipped.length)
    expect(app.simulator.account('shop').purchases.size).toBe(expected.ready.size)
  })
})

describe('browser mode', () => {
  it('reads the key from the variable the profile names and never stores one', async () => {
    const browser = app.browserService({
      PURCHASE_SENDER_SHOP_WS_KEY: WEBSERVICE_TEST_KEY,
      PURCHASE_SENDER_SHOP_CONNECTIF_KEY: API_KEY,
    })
    try {
      const refused = failure(await callOn(browser, 'profiles:save', draft('Env shop')))
      expect(refused.code).toBe('secrets_unavailable')
      expect(refused.message).toMatch(/Webservice key/)

      const unnamed = ok(
        await callOn(browser, 'profiles:test', { ...draft('Env shop'), secrets: {} }),
      )
      expect(unnamed.store).toMatchObject({ ok: false, code: 'secret_missing' })
      if (!unnamed.store.ok)
        expect(unnamed.store.message).toMatch(
          /names no environment variable for the Webservice key/,
        )

      const unset = ok(
        await callOn(browser, 'profiles:test', {
          ...draft('Env shop'),
          profile: {
            ...draft('Env shop').profile,
            source: {
              kind: 'webservice',
              url: webservice.url,
              keyEnv: 'PURCHASE_SENDER_NOT_SET_WS_KEY',
            },
          },
          secrets: {},
        }),
      )
      expect(unset.store).toMatchObject({ ok: false, code: 'secret_missing' })
      if (!unset.store.ok) expect(unset.store.message).toMatch(/PURCHASE_SENDER_NOT_SET_WS_KEY/)

      const saved = ok(
        await callOn(browser, 'profiles:save', {
          id: null,
          profile: {
            name: 'Env shop',
            source: {
              kind: 'webservice',
              url: webservice.url,
              keyEnv: 'PURCHASE_SENDER_SHOP_WS_KEY',
            },
            connectif: { apiUrl: app.simulator.url, keyEnv: 'PURCHASE_SENDER_SHOP_CONNECTIF_KEY' },
          },
          secrets: {},
        }),
      )
      expect(saved.source).toEqual({
        kind: 'webservice',
        url: webservice.url,
        keyEnv: 'PURCHASE_SENDER_SHOP_WS_KEY',
        keyInUrl: false,
      })
      expect(saved.secrets).toEqual({
        dbPassword: 'not-needed',
        webserviceKey: 'saved',
        connectifKey: 'saved',
        targetKeys: {},
      })
      const test = ok(await callOn(browser, 'profiles:test', { id: saved.id }))
      expect(test.store.ok && test.connectif?.ok).toBe(true)
      noSecretIn(test)
    } finally {
      await browser.shutdown()
    }
  })
})
