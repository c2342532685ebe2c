/**
 * The application service against a real store (MariaDB), a real Connectif (the simulator over
 * HTTP) and a real history (SQLite in a temporary folder). The only stand-in is the secret store,
 * an in-memory implementation of the interface the Electron shell implements with safeStorage.
 */
import { DateTime } from 'luxon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProfileDraft } from '../../preload/contract'
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

const OTHER_KEY = 'other-account:secret'
const EMPTY_KEY = 'empty-account:secret'

let db: TestDatabase
let reader: TestUser
let fixture: StoreFixture
let expected: ReturnType<typeof expectedOutcome>

beforeAll(async () => {
  db = await createTestDatabase('app_service')
  fixture = await loadStore(db, 60)
  expected = expectedOutcome(fixture)
  reader = await db.createUser({ privileges: ['SELECT'] })
})

afterAll(async () => {
  await db.drop()
})

const app = useAppHarness({
  home: 'app',
  accounts: () => [
    shopAccount('shop', API_KEY, expected),
    shopAccount('other', OTHER_KEY, expected),
    shopAccount('empty', EMPTY_KEY, expected, []),
  ],
  secretValues: () => [reader.password, API_KEY, OTHER_KEY, EMPTY_KEY, 'wrong-password'],
})
const { call, callOn, finished, firstProgress, noSecretIn } = app

function draft(name: string, overrides: Partial<ProfileDraft> = {}): ProfileDraft {
  return {
    id: null,
    profile: {
      name,
      source: databaseSource(db, reader),
      connectif: { apiUrl: app.simulator.url },
    },
    secrets: { dbPassword: { set: reader.password }, connectifKey: { set: API_KEY } },
    ...overrides,
  }
}

async function saveProfile(name: string, key = API_KEY): Promise<number> {
  const saved = await call(
    'profiles:save',
    draft(name, {
      secrets: { dbPassword: { set: reader.password }, connectifKey: { set: key } },
    }),
  )
  return ok(saved).id
}

function startRequest(profileId: number, extra: Record<string, unknown> = {}) {
  return {
    profileId,
    ...recentRange(),
    stateIds: allStateIds(fixture),
    mode: 'progress' as const,
    options: {
      triggerWorkflows: false,
      createContacts: true,
      createProducts: true,
      rateLimit: 60_000,
      ...extra,
    },
  }
}

describe('profiles', () => {
  it('saves, lists, duplicates and deletes profiles without ever returning a secret', async () => {
    const saved = ok(await call('profiles:save', draft('Shop A')))
    expect(saved.secrets).toEqual({
      dbPassword: 'saved',
      webserviceKey: 'not-needed',
      connectifKey: 'saved',
      targetKeys: {},
    })
    noSecretIn(saved)

    const kept = ok(
      await call(
        'profiles:save',
        draft('Shop A renamed', {
          id: saved.id,
          secrets: { dbPassword: { keep: true }, connectifKey: { clear: true } },
        }),
      ),
    )
    expect(kept.name).toBe('Shop A renamed')
    expect(kept.secrets).toEqual({
      dbPassword: 'saved',
      webserviceKey: 'not-needed',
      connectifKey: 'missing',
      targetKeys: {},
    })

    const copy = ok(await call('profiles:duplicate', { id: saved.id }))
    expect(copy.name).toBe('Shop A renamed (copy)')
    expect(copy.secrets.dbPassword).toBe('saved')

    const list = ok(await call('profiles:list', {}))
    expect(list.map((profile) => profile.name)).toEqual(
      expect.arrayContaining(['Shop A renamed', 'Shop A renamed (copy)']),
    )
    noSecretIn(list)

    const taken = failure(await call('profiles:save', draft('shop a RENAMED')))
    expect(taken.code).toBe('profile_exists')

    const invalid = failure(
      await call('profiles:save', {
        ...draft('Bad'),
        profile: { ...draft('Bad').profile, name: '' },
      }),
    )
    expect(invalid.code).toBe('invalid_profile')
    expect(invalid.message).toMatch(/name must not be empty/)

    ok(await call('profiles:delete', { id: copy.id }))
    expect(app.secrets.values.has(`${copy.id}:dbPassword`)).toBe(false)
    expect(failure(await call('profiles:delete', { id: copy.id })).code).toBe('profile_not_found')
  })

  it('tests the store and the Connectif key separately, with precise messages', async () => {
    const id = await saveProfile('Shop')
    const good = ok(await call('profiles:test', { id }))
    expect(good.store.ok).toBe(true)
    expect(good.connectif?.ok).toBe(true)
    if (good.store.ok) expect(good.store.shops.length).toBe(fixture.model.shops.length)
    noSecretIn(good)

    const badPassword = ok(
      await call(
        'profiles:test',
        draft('Shop', {
          id,
          secrets: { dbPassword: { set: 'wrong-password' }, connectifKey: { keep: true } },
        }),
      ),
    )
    expect(badPassword.store).toMatchObject({ ok: false, code: 'store_access_denied' })
    expect(badPassword.connectif?.ok).toBe(true)
    noSecretIn(badPassword)

    const badKey = ok(
      await call(
        'profiles:test',
        draft('Shop', {
          id,
          secrets: { dbPassword: { keep: true }, connectifKey: { set: 'nobody:nothing' } },
        }),
      ),
    )
    expect(badKey.store.ok).toBe(true)
    expect(badKey.connectif).toMatchObject({ ok: false, problem: 'bad_key' })
  })

  it('in browser mode, refuses to save a secret and reads the variables the profile names', async () => {
    const env = {
      PURCHASE_SENDER_SHOP_DB_PASSWORD: reader.password,
      PURCHASE_SENDER_SHOP_CONNECTIF_KEY: API_KEY,
    }
    const browser = app.browserService(env)
    const refused = failure(await callOn(browser, 'profiles:save', draft('Env shop')))
    expect(refused.code).toBe('secrets_unavailable')
    expect(refused.message).toMatch(/environment variables/)
    expect(app.history.profiles.list()).toHaveLength(0)

    const base = draft('Env shop')
    const saved = ok(
      await callOn(browser, 'profiles:save', {
        id: null,
        profile: {
          ...base.profile,
          source: {
            ...databaseSource(db, reader),
            passwordEnv: 'PURCHASE_SENDER_SHOP_DB_PASSWORD',
          },
          connectif: { apiUrl: app.simulator.url, keyEnv: 'PURCHASE_SENDER_SHOP_CONNECTIF_KEY' },
        },
        secrets: {},
      }),
    )
    expect(saved.secrets).toEqual({
      dbPassword: 'saved',
      webserviceKey: 'not-needed',
      connectifKey: 'saved',
      targetKeys: {},
    })
    const test = ok(await callOn(browser, 'profiles:test', { id: saved.id }))
    expect(test.store.ok && test.connectif?.ok).toBe(true)
    noSecretIn(test)
    await browser.shutdown()
  })
})

describe('wizard', () => {
  it('looks up the store, counts orders, gives the date rules and a summary', async () => {
    const profileId = await saveProfile('Shop')
    const lookup = ok(await call('store:lookup', { profileId }))
    expect(lookup.states.map((state) => state.id).sort((a, b) => a - b)).toEqual(
      allStateIds(fixture).sort((a, b) => a - b),
    )
    expect(lookup.states.every((state) => state.name !== '')).toBe(true)
    expect(lookup.languages.length).toBeGreaterThan(0)

    const range = recentRange()
    const counts = ok(await call('store:count', { profileId, ...range }))
    const inRange = fixture.expectedOrders({ range, stateIds: allStateIds(fixture) }).length
    expect(counts.total).toBe(inRange)

    const rules = ok(await call('sending:rules', { profileId, from: range.from }))
    const today = DateTime.now().setZone(lookup.timezone).toISODate()
    expect(rules.today).toBe(today)
    expect(rules.earliestStart).toBe(DateTime.fromISO(today!).minus({ years: 5 }).toISODate())
    expect(rules.latestEnd).toBe(today)
    expect(rules.violations).toEqual([])
    const future = ok(
      await call('sending:rules', { profileId, from: range.from, to: '2999-01-01' }),
    )
    expect(future.violations.map((violation) => violation.code)).toContain('to_in_future')

    const summary = ok(
      await call('sending:summary', {
        profileId,
        ...range,
        stateIds: allStateIds(fixture),
        rateLimit: 100,
      }),
    )
    expect(summary.ordersToSend).toBe(inRange)
    expect(summary.estimatedMinutes).toBeCloseTo(inRange / 100)

    const broken = failure(
      await call('sending:summary', {
        profileId,
        from: range.to,
        to: range.from,
        stateIds: [999],
        rateLimit: 100,
      }),
    )
    expect(broken.code).toBe('rules_violated')
    expect(broken.message).toMatch(/before the start date/)
  })
})

describe('sendings', () => {
  it('starts a sending in the background, streams events and lists it in the history', async () => {
    const profileId = await saveProfile('Shop')
    const started = ok(await call('sending:start', startRequest(profileId)))
    expect(app.service.activeSendings()).toContain(started.sendingId)
    const end = await finished(started.sendingId)
    expect(end.state).toBe('completed')
    expect(end.counts.created).toBe(expected.ready.size)
    expect(app.events.some((event) => event.type === 'started')).toBe(true)

    const list = ok(await call('history:list', { profileId }))
    expect(list[0]).toMatchObject({
      id: started.sendingId,
      profileName: 'Shop',
      state: 'completed',
      mode: 'progress',
      runningHere: false,
      canResume: false,
    })
    expect(list[0]?.durationSeconds).not.toBeNull()

    const exported = ok(await app.saveReport(started.sendingId, true))
    expect(exported.fileName).toBe(
      `purchase-sender_shop_${recentRange().from}_${recentRange().to}_sending-${started.sendingId}.csv`,
    )
    expect(exported.csv.startsWith('\ufefforder_id,order_reference')).toBe(true)
    expect(exported.rows).toBe(expected.ready.size + expected.skipped.length)
  })

  it('runs sendings of two profiles at once and refuses a second one of the same profile', async () => {
    const first = await saveProfile('Shop')
    const second = await saveProfile('Other shop', OTHER_KEY)
    app.simulator.setFaults({ latencyMs: 30 })
    const a = ok(await call('sending:start', startRequest(first)))
    const b = ok(await call('sending:start', startRequest(second)))
    expect(app.service.activeSendings().sort()).toEqual([a.sendingId, b.sendingId].sort())

    const again = failure(await call('sending:start', startRequest(first)))
    expect(again.code).toBe('sending_in_progress')
    expect(again.message).toMatch(/Profile "Shop" already has/)

    const running = ok(await call('history:list', {}))
    expect(running.find((sending) => sending.id === a.sendingId)?.runningHere).toBe(true)

    ok(await call('sending:cancel', { sendingId: b.sendingId }))
    app.simulator.setFaults({ latencyMs: 0 })
    expect((await finished(b.sendingId)).state).toBe('cancelled')
    expect((await finished(a.sendingId)).state).toBe('completed')
    expect(app.simulator.account('shop').purchases.size).toBe(expected.ready.size)
    expect(failure(await call('sending:cancel', { sendingId: a.sendingId })).code).toBe(
      'sending_not_running',
    )
  })

  it('retries the failed orders of a finished sending, and exports the report of failures', async () => {
    const profileId = await saveProfile('Empty account', EMPTY_KEY)
    const started = ok(
      await call('sending:start', startRequest(profileId, { createContacts: false })),
    )
    const end = await finished(started.sendingId)
    expect(end.state).toBe('completed_with_errors')
    expect(end.counts.failed).toBe(expected.ready.size)

    const report = ok(await app.saveReport(started.sendingId))
    expect(report.rows).toBe(expected.ready.size + expected.skipped.length)
    expect(report.csv).toMatch(/does not exist in Connectif/)

    const listed = ok(await call('history:list', {}))
    expect(listed[0]).toMatchObject({ canRetryFailed: true, hasReport: true })

    for (const email of expected.emails) app.simulator.account('empty').addContact(email)
    app.events.length = 0
    const retry = ok(await call('sending:retry-failed', { sendingId: started.sendingId }))
    expect(retry.retried).toBe(expected.ready.size)
    const after = await finished(started.sendingId)
    expect(after.state).toBe('completed')
    expect(after.counts.created).toBe(expected.ready.size)

    const nothing = failure(await call('sending:retry-failed', { sendingId: started.sendingId }))
    expect(nothing.code).toBe('nothing_to_retry')
  })

  it('saves running sendings as interrupted on shutdown and resumes them after a restart', async () => {
    const profileId = await saveProfile('Shop')
    app.simulator.setFaults({ latencyMs: 40 })
    const started = ok(await call('sending:start', startRequest(profileId)))
    await firstProgress(started.sendingId)
    await app.service.shutdown()
    expect(app.history.getSending(started.sendingId).state).toBe('interrupted')
    expect(failure(await call('sending:start', startRequest(profileId))).code).toBe('shutting_down')

    app.simulator.setFaults({ latencyMs: 0 })
    app.restart()
    const info = ok(await call('app:info', {}))
    expect(info.interruptedAtStart).toContain(started.sendingId)
    expect(ok(await call('history:list', {}))[0]?.canResume).toBe(true)

    app.events.length = 0
    ok(await call('sending:resume', { sendingId: started.sendingId }))
    const end = await finished(started.sendingId)
    expect(end.state).toBe('completed')
    const account = app.simulator.account('shop')
    expect(account.purchases.size).toBe(expected.ready.size)
    expect([...account.creations.values()].every((count) => count === 1)).toBe(true)
  })

  it('answers a missing Connectif key and an unknown profile as error values', async () => {
    const saved = ok(
      await call(
        'profiles:save',
        draft('No key', { secrets: { dbPassword: { set: reader.password } } }),
      ),
    )
    const missing = failure(await call('sending:start', startRequest(saved.id)))
    expect(missing.code).toBe('secret_missing')
    expect(missing.message).toMatch(/No Connectif API key is saved for the profile "No key"/)
    expect(failure(await call('store:lookup', { profileId: 999 })).code).toBe('profile_not_found')
    expect(app.logged).toEqual([])
  })
})
