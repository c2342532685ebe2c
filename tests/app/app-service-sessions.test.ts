/**
 * The wizard's calls through the application service against a real store (MariaDB): every step
 * (the date rules as the dates change, the statuses, counts and weeks, the summary) reads the
 * profile's one open store; saving or deleting the profile closes it, and so does shutdown. The
 * stores the service opens are counted through its `openStore` option.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { openStoreOf } from '../../main/app/app-context'
import { createAppService, type AppService } from '../../main/app/app-service'
import { dispatch } from '../../main/app/ipc-registration'
import { HistoryStore } from '../../main/core/history/history-store'
import type {
  ChannelName,
  ChannelRequestInput,
  ChannelResponse,
  ProfileDraft,
  Result,
} from '../../preload/contract'
import { createTestDatabase, type TestDatabase, type TestUser } from '../support/mysql-server'
import type { StoreFixture } from '../support/prestashop/store-generator'
import { allStateIds, API_KEY, loadStore, recentRange } from '../sending/engine-harness'
import { expectedWeeks } from '../store/expected-weeks'
import { databaseSource, ok } from './app-harness'
import { MemorySecretStore } from './memory-secret-store'

let db: TestDatabase
let reader: TestUser
let fixture: StoreFixture

beforeAll(async () => {
  db = await createTestDatabase('app_sessions')
  fixture = await loadStore(db, 60)
  reader = await db.createUser({ privileges: ['SELECT'] })
})

afterAll(async () => {
  await db.drop()
})

let home: string
let history: HistoryStore
let service: AppService
let opens = 0
let closes = 0

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'purchase-sender-sessions-'))
  history = HistoryStore.open(join(home, 'history.sqlite3'))
  opens = 0
  closes = 0
  service = createAppService({
    history,
    secrets: new MemorySecretStore(),
    host: { mode: 'electron', dataDirectory: home },
    openStore: async (settings, secret) => {
      const store = await openStoreOf(settings, secret)
      opens += 1
      const close = store.close.bind(store)
      store.close = () => {
        closes += 1
        return close()
      }
      return store
    },
  })
})

afterEach(async () => {
  await service.shutdown()
  history.close()
  await rm(home, { recursive: true, force: true })
})

function call<C extends ChannelName>(
  channel: C,
  request: ChannelRequestInput<C>,
): Promise<Result<ChannelResponse<C>>> {
  return dispatch(service, channel, request) as Promise<Result<ChannelResponse<C>>>
}

function draft(name: string, id: number | null = null): ProfileDraft {
  return {
    id,
    profile: {
      name,
      source: databaseSource(db, reader),
      connectif: { apiUrl: 'https://api.connectif.cloud' },
    },
    secrets:
      id === null ? { dbPassword: { set: reader.password }, connectifKey: { set: API_KEY } } : {},
  }
}

describe('the wizard on one open store', () => {
  it('answers every step from one store, and its weeks are the range’s', async () => {
    const profileId = ok(await call('profiles:save', draft('Shop'))).id
    const { from, to } = recentRange()
    // The date step asks the rules as each date is picked: no new connection for any of them.
    ok(await call('sending:rules', { profileId }))
    ok(await call('sending:rules', { profileId, from }))
    ok(await call('sending:rules', { profileId, from, to }))
    // The statuses step asks three things at once.
    const [lookup, counts, weeks] = await Promise.all([
      call('store:lookup', { profileId }),
      call('store:count', { profileId, from, to }),
      call('store:weekly-counts', { profileId, from, to }),
    ])
    expect(ok(lookup).states.length).toBeGreaterThan(0)
    expect(ok(lookup).states.every((state) => typeof state.logable === 'boolean')).toBe(true)
    const range = { range: { from, to } }
    expect(ok(weeks)).toEqual({ from, to, weeks: expectedWeeks(fixture, range) })
    const total = ok(weeks).weeks.reduce((sum, week) => sum + week.orders, 0)
    expect(total).toBe(ok(counts).total)
    const summary = ok(
      await call('sending:summary', {
        profileId,
        from,
        to,
        stateIds: allStateIds(fixture),
        skipSent: true,
      }),
    )
    expect(summary.ordersToSend).toBe(ok(counts).total)
    expect(summary.alreadySent).toBe(0)
    expect(opens).toBe(1)
    expect(closes).toBe(0)
  })

  it('closes the store when the profile is saved or deleted, and at shutdown', async () => {
    const profileId = ok(await call('profiles:save', draft('Shop'))).id
    const { from, to } = recentRange()
    ok(await call('store:count', { profileId, from, to }))
    expect([opens, closes]).toEqual([1, 0])
    ok(await call('profiles:save', draft('Shop renamed', profileId)))
    expect([opens, closes]).toEqual([1, 1])
    ok(await call('store:weekly-counts', { profileId, from, to }))
    expect([opens, closes]).toEqual([2, 1])
    ok(await call('profiles:delete', { id: profileId }))
    expect([opens, closes]).toEqual([2, 2])

    const other = ok(await call('profiles:save', draft('Other'))).id
    ok(await call('store:lookup', { profileId: other }))
    expect([opens, closes]).toEqual([3, 2])
    await service.shutdown()
    expect([opens, closes]).toEqual([3, 3])
  })

  it('refuses a weekly count of a range that is not one, before reading anything', async () => {
    const profileId = ok(await call('profiles:save', draft('Shop'))).id
    const result = await call('store:weekly-counts', {
      profileId,
      from: '2025-06-30',
      to: '2025-06-01',
    })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.code).toBe('invalid_range')
    expect(opens).toBe(0)
  })

  it('gives the store’s states with a connection test, for a draft’s default statuses', async () => {
    const test = ok(await call('profiles:test', draft('Draft')))
    expect(test.store.ok).toBe(true)
    if (!test.store.ok) return
    const states = test.store.states ?? []
    expect(states.map((state) => state.id)).toEqual(allStateIds(fixture))
    const valid = fixture.model.states.filter((state) => state.logable && state.paid)
    expect(valid.length).toBeGreaterThan(0)
    expect(states.filter((state) => state.logable && state.paid).map((state) => state.id)).toEqual(
      valid.map((state) => state.id),
    )
  })
})
