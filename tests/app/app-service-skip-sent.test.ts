/**
 * "Skip orders already sent" through the application service, against a real store (MariaDB), the
 * Connectif simulator and a real history: the summary counts the orders of the range their
 * account already has (and leaves them out of the estimate), a skip-sent sending leaves them out
 * without a request, and the history shows how many it skipped and who started it.
 */
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

let db: TestDatabase
let reader: TestUser
let fixture: StoreFixture
let expected: ReturnType<typeof expectedOutcome>
let inRange: number

beforeAll(async () => {
  db = await createTestDatabase('app_skip_sent')
  fixture = await loadStore(db, 40)
  expected = expectedOutcome(fixture)
  inRange = fixture.expectedOrders({ range: recentRange(), stateIds: allStateIds(fixture) }).length
  reader = await db.createUser({ privileges: ['SELECT'] })
})

afterAll(async () => {
  await db.drop()
})

const app = useAppHarness({
  home: 'app-skip-sent',
  accounts: () => [
    shopAccount('shop', API_KEY, expected),
    shopAccount('other', OTHER_KEY, expected),
  ],
  secretValues: () => [reader.password, API_KEY, OTHER_KEY],
  quiet: true,
})
const { call, finished } = app

async function saveProfile(name: string, key = API_KEY): Promise<number> {
  const draft: ProfileDraft = {
    id: null,
    profile: {
      name,
      source: databaseSource(db, reader),
      connectif: { apiUrl: app.simulator.url },
    },
    secrets: { dbPassword: { set: reader.password }, connectifKey: { set: key } },
  }
  return ok(await call('profiles:save', draft)).id
}

function summaryRequest(profileId: number, skipSent?: boolean) {
  return {
    profileId,
    ...recentRange(),
    stateIds: allStateIds(fixture),
    rateLimit: 100,
    ...(skipSent === undefined ? {} : { skipSent }),
  }
}

function startRequest(profileId: number, skipSent?: boolean) {
  return {
    profileId,
    ...recentRange(),
    stateIds: allStateIds(fixture),
    mode: 'progress' as const,
    options: { rateLimit: 60_000, ...(skipSent === undefined ? {} : { skipSent }) },
  }
}

describe('skipping the orders already sent', () => {
  it('counts them in the summary, leaves them out of the estimate, and sends none again', async () => {
    const profileId = await saveProfile('Shop')
    const before = ok(await call('sending:summary', summaryRequest(profileId, true)))
    expect(before.ordersToSend).toBe(inRange)
    expect(before.alreadySent).toBe(0)
    expect(before.estimatedMinutes).toBeCloseTo(inRange / 100)

    // Sent once, with the option off (the contract's default): every order is recorded.
    const first = ok(await call('sending:start', startRequest(profileId)))
    const firstEnd = await finished(first.sendingId)
    expect(firstEnd.state).toBe('completed')
    expect(firstEnd.counts.created).toBe(expected.ready.size)
    expect(firstEnd.alreadySent).toBeUndefined()

    // The created orders are already sent; the skipped ones (no e-mail…) are not.
    const after = ok(await call('sending:summary', summaryRequest(profileId, true)))
    expect(after.ordersToSend).toBe(inRange)
    expect(after.alreadySent).toBe(expected.ready.size)
    expect(after.estimatedMinutes).toBeCloseTo((inRange - expected.ready.size) / 100)
    // Not asked: not counted, the whole range is estimated.
    const notAsked = ok(await call('sending:summary', summaryRequest(profileId)))
    expect(notAsked.alreadySent).toBe(0)
    expect(notAsked.estimatedMinutes).toBeCloseTo(inRange / 100)

    const account = app.simulator.account('shop')
    const requestsBefore = account.stats.counted
    const second = ok(await call('sending:start', startRequest(profileId, true)))
    const secondEnd = await finished(second.sendingId)
    expect(secondEnd.state).toBe('completed')
    expect(secondEnd.alreadySent).toBe(expected.ready.size)
    expect(secondEnd.counts).toMatchObject({
      total: inRange - expected.ready.size,
      created: 0,
      alreadyExisted: 0,
      skipped: expected.skipped.length,
    })
    expect(account.stats.counted).toBe(requestsBefore)
    expect(account.stats.duplicates).toBe(0)

    const [latest, earlier] = ok(await call('history:list', { profileId }))
    expect(latest).toMatchObject({
      id: second.sendingId,
      alreadySent: expected.ready.size,
      origin: 'manual',
      options: { skipSent: true },
    })
    expect(earlier).toMatchObject({
      id: first.sendingId,
      alreadySent: 0,
      origin: 'manual',
      options: { skipSent: false },
    })
    // Progress leaves the already-sent orders out of the total it expects.
    const progress = app.events.filter(
      (event) => event.type === 'progress' && event.sendingId === second.sendingId,
    )
    expect(progress.length).toBeGreaterThan(0)
    const last = progress.at(-1)
    expect(last?.type === 'progress' && last.alreadySent).toBe(expected.ready.size)
    expect(last?.type === 'progress' && last.expectedTotal).toBe(inRange - expected.ready.size)
  })

  it('follows the Connectif account, whichever profile sent to it', async () => {
    const sender = await saveProfile('Sender')
    const sameAccount = await saveProfile('Same account')
    const otherAccount = await saveProfile('Other account', OTHER_KEY)
    const sent = ok(await call('sending:start', startRequest(sender, true)))
    expect((await finished(sent.sendingId)).state).toBe('completed')

    const same = ok(await call('sending:summary', summaryRequest(sameAccount, true)))
    expect(same.alreadySent).toBe(expected.ready.size)
    const other = ok(await call('sending:summary', summaryRequest(otherAccount, true)))
    expect(other.alreadySent).toBe(0)
  })

  it('needs the Connectif key to count them, as the sending will', async () => {
    const profileId = await saveProfile('Keyless')
    app.secrets.values.delete(`${profileId}:connectifKey`)
    expect(ok(await call('sending:summary', summaryRequest(profileId, false))).alreadySent).toBe(0)
    const refused = failure(await call('sending:summary', summaryRequest(profileId, true)))
    expect(refused.code).toBe('secret_missing')
  })
})
