/**
 * Resume and "Retry failed orders" are offered only when they can help: after a failure the
 * merchant must mend first (a refused Connectif key, a refused database password, a wrong store
 * address, a missing secret), the sending says what to mend instead, until the profile is saved
 * again. Over a real history (SQLite in a temporary folder) and the in-memory secret store.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAppContext, type AppContext } from '../../main/app/app-context'
import { sendingViews } from '../../main/app/history-use-cases'
import { fixOfFatal, refusedAccount } from '../../main/app/sending-blockers'
import type { Clock } from '../../main/core/clock'
import type { FinalSendingState } from '../../main/core/history/history-store'
import { HistoryStore } from '../../main/core/history/history-store'
import type { NewOrderRow, SendingRecord } from '../../main/core/history/history-types'
import type { Profile, ProfileInput } from '../../main/core/profiles/profile-types'
import { authFailure } from '../../main/core/sending/order-delivery'
import type { SendingView } from '../../preload/contract'
import { MemorySecretStore } from './memory-secret-store'

class StepClock implements Clock {
  time = Date.parse('2025-03-01T10:00:00.000Z')
  now(): number {
    return this.time
  }
  async sleep(ms: number): Promise<void> {
    this.time += ms
  }
}

let directory: string
let history: HistoryStore
let secrets: MemorySecretStore
let clock: StepClock
let context: AppContext
let profile: Profile

const INPUT: ProfileInput = {
  name: 'Tienda',
  source: {
    kind: 'database',
    host: '127.0.0.1',
    port: 3306,
    user: 'prestashop',
    database: 'prestashop',
    tablePrefix: 'ps_',
    ssl: false,
    passwordEnv: null,
  },
  connectif: { apiUrl: 'https://api.connectif.cloud', keyEnv: null },
  shopIds: [1],
  languageIso: 'es',
  defaultStateIds: [2],
}

beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'purchase-sender-blockers-'))
  clock = new StepClock()
  history = HistoryStore.open(path.join(directory, 'history.sqlite3'), {
    clock,
    isProcessAlive: () => true,
  })
  secrets = new MemorySecretStore()
  context = createAppContext({ history, secrets, clock })
  profile = history.profiles.create(INPUT)
  await secrets.set(profile.id, 'dbPassword', 'database password')
  await secrets.set(profile.id, 'connectifKey', 'key-id:key-secret')
})

afterEach(async () => {
  history.close()
  await rm(directory, { recursive: true, force: true })
})

function order(orderId: number): NewOrderRow {
  return {
    orderId,
    reference: `REF${orderId}`,
    orderDate: '2025-01-02T10:00:00+01:00',
    customerEmail: `customer${orderId}@example.com`,
    total: '10.00',
    shopId: 1,
    stateId: 2,
    result: 'pending',
    payload: JSON.stringify({ purchaseId: String(orderId) }),
    message: null,
  }
}

/**
 * A sending of three orders that ended `state`, the first created, the second `failed` when asked
 * (else created), the third still pending unless `all` are answered; `fatal` its fatal error.
 */
function endedSending(
  state: FinalSendingState,
  fatal: { code: string; message: string } | null = null,
  options: { readonly failed?: boolean; readonly all?: boolean } = {},
): SendingRecord {
  const sending = history.createSending({
    profileId: profile.id,
    from: '2025-01-01',
    to: '2025-01-31',
    stateIds: [2],
    shopIds: [1],
    mode: 'background',
    options: {
      triggerWorkflows: false,
      createContacts: false,
      createProducts: false,
      rateLimit: 60,
    },
    expectedTotal: 3,
    ownerPid: process.pid,
  })
  history.recordOrders(sending.id, [order(1), order(2), order(3)], null, true)
  const answer = { httpStatus: 201, errorCode: null, message: null, response: null, attempts: 1 }
  history.writeResults(sending.id, [
    { orderId: 1, result: 'created', ...answer, sentAt: new Date(clock.now()).toISOString() },
    options.failed
      ? {
          orderId: 2,
          result: 'failed',
          ...answer,
          httpStatus: 400,
          errorCode: 'invalid_purchase',
          message: 'refused',
          sentAt: new Date(clock.now()).toISOString(),
        }
      : { orderId: 2, result: 'created', ...answer, sentAt: new Date(clock.now()).toISOString() },
    ...(options.all
      ? [
          {
            orderId: 3,
            result: 'created' as const,
            ...answer,
            sentAt: new Date(clock.now()).toISOString(),
          },
        ]
      : []),
  ])
  clock.time += 4_000
  history.finishSending(sending.id, state, fatal)
  return history.getSending(sending.id)
}

async function viewOf(sending: SendingRecord, running = false): Promise<SendingView> {
  const [view] = await sendingViews(context, [history.getSending(sending.id)], () => running)
  return view as SendingView
}

/** The profile saved again a minute later, as the editor saves it. */
function saveProfileLater(): void {
  clock.time += 60_000
  history.profiles.update(profile.id, INPUT)
}

describe('what must be mended before a sending can go on', () => {
  it('a key Connectif refused: no Resume nor Retry, the main account named, until the profile is saved again', async () => {
    const fatal = authFailure(401, { message: 'Unauthorized.' }, 'main')
    const sending = endedSending(
      'failed',
      { code: fatal.code, message: fatal.message },
      { failed: true },
    )

    const blocked = await viewOf(sending)
    expect(blocked).toMatchObject({
      canResume: false,
      canRetryFailed: false,
      blockedBy: {
        code: 'connectif_unauthorized',
        fix: 'connectif_key',
        profileId: profile.id,
        account: 'main',
      },
    })

    saveProfileLater()
    expect(await viewOf(sending)).toMatchObject({
      canResume: true,
      canRetryFailed: true,
      blockedBy: null,
    })
  })

  it("names a routing target's refused key, and a profile with one account names none", async () => {
    const target = authFailure(403, { message: 'Forbidden.' }, 'lang=es,currency=EUR')
    expect(refusedAccount(target.message)).toBe('lang=es,currency=EUR')
    expect(refusedAccount(authFailure(401, { message: '' }, 'lang=en').message)).toBe('lang=en')
    expect(refusedAccount(authFailure(403, { message: '' }, 'main').message)).toBe('main')
    expect(refusedAccount(authFailure(401, { message: '' }, null).message)).toBeNull()

    const sending = endedSending('failed', { code: target.code, message: target.message })
    expect((await viewOf(sending)).blockedBy).toMatchObject({
      fix: 'connectif_permission',
      account: 'lang=es,currency=EUR',
    })
  })

  it('a refused database password or an unreachable store is mended first; a lost connection is not', async () => {
    expect(fixOfFatal('store_access_denied')).toBe('store_access')
    expect(fixOfFatal('store_host_unreachable')).toBe('store_address')
    expect(fixOfFatal('store_unknown_database')).toBe('store_address')
    expect(fixOfFatal('store_connection_lost')).toBeNull()
    expect(fixOfFatal('internal')).toBeNull()
    expect(fixOfFatal('toString')).toBeNull()

    const refused = endedSending('failed', {
      code: 'store_access_denied',
      message: 'The database refused the user "prestashop" with this password.',
    })
    expect(await viewOf(refused)).toMatchObject({
      canResume: false,
      blockedBy: { fix: 'store_access', account: null },
    })

    const lost = endedSending('failed', {
      code: 'store_connection_lost',
      message: 'The connection to the database was lost.',
    })
    expect(await viewOf(lost)).toMatchObject({ canResume: true, blockedBy: null })
  })

  it('a missing secret blocks an interrupted sending until it is saved, whenever it went missing', async () => {
    const sending = endedSending('interrupted')
    expect(await viewOf(sending)).toMatchObject({ canResume: true, blockedBy: null })

    await secrets.remove(profile.id, 'connectifKey')
    expect(await viewOf(sending)).toMatchObject({
      canResume: false,
      blockedBy: { code: 'secret_missing', fix: 'secret_missing', secret: 'connectifKey' },
    })

    // Saving the profile without the key mends nothing.
    saveProfileLater()
    expect((await viewOf(sending)).blockedBy).toMatchObject({ fix: 'secret_missing' })

    await secrets.set(profile.id, 'connectifKey', 'key-id:new-secret')
    expect(await viewOf(sending)).toMatchObject({ canResume: true, blockedBy: null })
  })

  it('a running or finished sending with nothing to offer is never blocked, nor one of a removed profile', async () => {
    const completed = endedSending('completed', null, { all: true })
    await secrets.remove(profile.id, 'connectifKey')
    expect(await viewOf(completed)).toMatchObject({
      canResume: false,
      canRetryFailed: false,
      blockedBy: null,
    })
    const running = endedSending('interrupted')
    expect(await viewOf(running, true)).toMatchObject({
      runningHere: true,
      canResume: false,
      blockedBy: null,
    })

    const fatal = authFailure(401, { message: 'Unauthorized.' }, null)
    const failed = endedSending('failed', { code: fatal.code, message: fatal.message })
    history.profiles.remove(profile.id)
    expect(await viewOf(failed)).toMatchObject({ canResume: false, blockedBy: null })
  })
})
