/**
 * Skip-sent sendings (`send --skip-sent`, `sync`) on the engine, with a real store (MariaDB), a
 * real Connectif (the simulator over HTTP) and a real history: which orders count as already
 * sent, to which account, and how many were left out, also across a crash and its resume.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../main/core/clock'
import { connectifAccountKey } from '../../main/core/connectif/account-key'
import { createConnectifClient } from '../../main/core/connectif/connectif-client'
import { resetRateLimiters } from '../../main/core/connectif/rate-limiter'
import { HistoryStore } from '../../main/core/history/history-store'
import type { SendingOptions } from '../../main/core/history/history-types'
import type { ConnectifTarget, Profile } from '../../main/core/profiles/profile-types'
import { mapOrderToPurchase } from '../../main/core/purchases/order-to-purchase'
import {
  resumeSending,
  runSending,
  prepareSending,
  SendingStop,
  startSending,
  type EngineDependencies,
} from '../../main/core/sending/sending-engine'
import { openDatabaseStore } from '../../main/core/store/database/database-store'
import type { StoreOrder, StoreSource } from '../../main/core/store/store-source'
import { startConnectifSimulator, type ConnectifSimulator } from '../support/connectif-simulator'
import { createTestDatabase, type TestDatabase } from '../support/mysql-server'
import type { StoreFixture } from '../support/prestashop/store-generator'
import {
  allStateIds,
  databaseOptions,
  databaseSourceSettings,
  recentRange,
  sendingOptions,
} from './engine-harness'
import {
  accountOf,
  languageOf,
  loadRoutedStore,
  routedAccounts,
  type RoutedAccount,
} from './routed-store'

const KEYS = {
  spanish: 'spanish-key:secret',
  english: 'english-key:secret',
  main: 'main-key:secret',
} as const
/** The Spanish account's key after a rotation: same key id, so the same account. */
const SPANISH_ROTATED = 'spanish-key:rotated'

const SPANISH_EURO: ConnectifTarget = {
  id: 'es-eur',
  apiUrl: '',
  keyEnv: 'SPANISH_KEY',
  languages: ['es'],
  currencies: ['EUR'],
  shopIds: [],
}
const ENGLISH_DOLLAR: ConnectifTarget = {
  id: 'en-usd',
  apiUrl: '',
  keyEnv: 'ENGLISH_KEY',
  languages: ['en'],
  currencies: ['USD'],
  shopIds: [],
}
/** Every Spanish order, whatever its currency, to the Spanish account with the rotated key. */
const SPANISH_ANY: ConnectifTarget = {
  id: 'es-any',
  apiUrl: '',
  keyEnv: 'SPANISH_ROTATED_KEY',
  languages: ['es'],
  currencies: [],
  shopIds: [],
}
const TARGET_KEYS: Readonly<Record<string, string>> = {
  'es-eur': KEYS.spanish,
  'en-usd': KEYS.english,
  'es-any': SPANISH_ROTATED,
}

let db: TestDatabase
let fixture: StoreFixture
let orders: StoreOrder[]
let simulator: ConnectifSimulator
let home: string
let history: HistoryStore

beforeAll(async () => {
  db = await createTestDatabase('skip_sent')
  ;({ fixture, orders } = await loadRoutedStore(db))
})

afterAll(async () => {
  await db.drop()
})

beforeEach(async () => {
  resetRateLimiters()
  const accounts = routedAccounts(orders, KEYS).map((spec) =>
    spec.name === 'spanish' ? { ...spec, keys: [...spec.keys, { key: SPANISH_ROTATED }] } : spec,
  )
  simulator = await startConnectifSimulator({ accounts })
  home = await mkdtemp(join(tmpdir(), 'purchase-sender-skip-sent-'))
  history = HistoryStore.open(join(home, 'history.sqlite3'))
})

afterEach(async () => {
  history.close()
  await rm(home, { recursive: true, force: true })
  await simulator.close()
})

function profileWith(
  name: string,
  targets: readonly ConnectifTarget[],
  mainAccount: boolean,
): Profile {
  return history.profiles.create({
    name,
    source: databaseSourceSettings(db),
    connectif: {
      apiUrl: simulator.url,
      keyEnv: 'MAIN_KEY',
      mainAccount,
      targets: targets.map((target) => ({ ...target, apiUrl: simulator.url })),
    },
    shopIds: [],
    languageIso: null,
    defaultStateIds: [],
  })
}

function deps(openStore: () => Promise<StoreSource> = storeOpener()): EngineDependencies {
  return {
    history,
    openStore,
    connectif: (ref, { onWait }) =>
      createConnectifClient({
        account: {
          apiUrl: simulator.url,
          apiKey: ref.kind === 'main' ? KEYS.main : (TARGET_KEYS[ref.target.id] as string),
        },
        requestsPerMinute: 60_000,
        onWait,
        retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
      }),
    clock: systemClock,
    pid: process.pid,
  }
}

function storeOpener(): () => Promise<StoreSource> {
  return () => openDatabaseStore(databaseOptions(db))
}

function request(
  profile: Profile,
  options: Partial<SendingOptions> = {},
  stateIds: readonly number[] = allStateIds(fixture),
) {
  return {
    profile,
    ...recentRange(),
    stateIds,
    mode: 'cli' as const,
    options: sendingOptions(options),
  }
}

/** The history's fingerprint of a simulated account, as the engine records it. */
function fingerprint(apiKey: string): string {
  return connectifAccountKey({ apiUrl: simulator.url, apiKey })
}

/** Whether an order can be sent to an account (in the account's currency for a target). */
function sendableTo(order: StoreOrder, account: RoutedAccount): boolean {
  return (
    mapOrderToPurchase(order, { currency: account === 'main' ? 'shop-default' : 'order' })
      .result === 'ready'
  )
}

/** Ids of the orders a profile with both targets and a main account sends to `account`. */
function routedTo(account: RoutedAccount, among: readonly StoreOrder[] = orders): number[] {
  return among
    .filter((order) => accountOf(fixture, order, true) === account && sendableTo(order, account))
    .map((order) => order.id)
}

function expectCreatedOnce(account: string): void {
  for (const [id, count] of simulator.account(account).creations)
    expect(count, `${account}: purchase ${id}`).toBe(1)
}

describe('orders already sent', () => {
  it('are looked up per Connectif account, shared by every profile and target using it', async () => {
    const routed = profileWith('Routed', [SPANISH_EURO, ENGLISH_DOLLAR], true)
    const first = await startSending(deps(), request(routed))
    expect(first.state).toBe('completed')
    const spanish = routedTo('spanish')
    const english = routedTo('english')
    const main = routedTo('main')
    expect(spanish.length).toBeGreaterThan(5)
    expect(english.length).toBeGreaterThan(1)
    expect(first.counts.created).toBe(spanish.length + english.length + main.length)

    // The history knows each order for the account it went to, and for no other.
    expect([...history.alreadySent(fingerprint(KEYS.spanish), spanish)].sort()).toEqual(
      [...spanish].sort(),
    )
    expect(history.alreadySent(fingerprint(KEYS.english), spanish).size).toBe(0)
    expect(history.alreadySent(fingerprint(KEYS.main), [...spanish, ...english]).size).toBe(0)
    // Another secret of the same key id opens the same account.
    expect(history.alreadySent(fingerprint(SPANISH_ROTATED), spanish).size).toBe(spanish.length)
    // Except for the sending that recorded them: its own rows are its own business.
    expect(history.alreadySent(fingerprint(KEYS.spanish), spanish, first.id).size).toBe(0)

    // Another profile sends everything to the main account: only what went there is left out.
    const mainOnly = profileWith('Main only', [], true)
    // Purchases only: the imports of what the new orders may lack are requests of their own.
    const mainBefore = simulator.account('main').stats.purchaseRequests
    const toMain = await startSending(deps(), request(mainOnly, { skipSent: true }))
    const nowToMain = orders
      .filter((order) => accountOf(fixture, order, true) !== 'main' && sendableTo(order, 'main'))
      .map((order) => order.id)
    expect(toMain).toMatchObject({ state: 'completed', alreadySent: main.length })
    expect(toMain.counts).toMatchObject({ created: nowToMain.length, alreadyExisted: 0 })
    expect(toMain.counts.total).toBe(orders.length - main.length)
    expect(simulator.account('main').stats.purchaseRequests - mainBefore).toBe(nowToMain.length)

    // A target of a third profile serving every Spanish order with the rotated key: the euro
    // ones are the Spanish account's already, the others are new to it.
    const spanishOnly = profileWith('Spanish only', [SPANISH_ANY], false)
    const spanishBefore = simulator.account('spanish').stats.purchaseRequests
    const toSpanish = await startSending(deps(), request(spanishOnly, { skipSent: true }))
    const otherCurrencies = orders
      .filter(
        (order) =>
          languageOf(fixture, order) === 'es' &&
          order.currency.isoCode !== 'EUR' &&
          sendableTo(order, 'spanish'),
      )
      .map((order) => order.id)
    expect(otherCurrencies.length).toBeGreaterThan(0)
    expect(toSpanish).toMatchObject({ state: 'completed', alreadySent: spanish.length })
    expect(toSpanish.counts).toMatchObject({ created: otherCurrencies.length, alreadyExisted: 0 })
    expect(simulator.account('spanish').stats.purchaseRequests - spanishBefore).toBe(
      otherCurrencies.length,
    )

    for (const account of ['spanish', 'english', 'main']) expectCreatedOnce(account)
    // Sendings without the option count nothing as already sent.
    expect(first.alreadySent).toBe(0)
  })

  it('are only the created and already existing ones: failed and skipped orders are sent again', async () => {
    const routed = profileWith('Routed', [SPANISH_EURO, ENGLISH_DOLLAR], true)
    // A Spanish customer Connectif does not know, and the sending may not create contacts.
    const stranger = orders.find((order) => routedTo('spanish').includes(order.id))?.customer
      ?.email as string
    simulator.account('spanish').removeContact(stranger)
    const first = await startSending(deps(), request(routed, { createContacts: false }))
    expect(first.state).toBe('completed_with_errors')
    expect(first.counts.failed).toBeGreaterThan(0)
    expect(first.counts.skipped).toBeGreaterThan(0)

    const again = await startSending(deps(), request(routed, { skipSent: true }))
    expect(again.state).toBe('completed')
    expect(again.alreadySent).toBe(first.counts.created)
    expect(again.counts).toEqual({
      total: first.counts.failed + first.counts.skipped,
      created: first.counts.failed,
      alreadyExisted: 0,
      failed: 0,
      skipped: first.counts.skipped,
      pending: 0,
    })
    expect(simulator.account('spanish').contacts.has(stranger.toLowerCase())).toBe(true)
    for (const account of ['spanish', 'english', 'main']) expectCreatedOnce(account)
  })

  it('are counted once when a sending stopped half-way by a crash is resumed', async () => {
    const routed = profileWith('Routed', [SPANISH_EURO, ENGLISH_DOLLAR], true)
    const states = allStateIds(fixture)
    const someStates = states.filter((_, index) => index % 2 === 0)
    const earlier = await startSending(deps(), request(routed, {}, someStates))
    expect(earlier.counts.created).toBeGreaterThan(0)

    // The store is read in pages of 40, and the process "dies" after the second one: the
    // sending is left with part of the range recorded (and counted), as a crash leaves it.
    const controller = new AbortController()
    const crashing = storeStoppingAfter(2, () => controller.abort(new SendingStop('interrupted')))
    const prepared = await prepareSending(deps(crashing), request(routed, { skipSent: true }))
    const stopped = await runSending(deps(crashing), prepared.sending.id, {
      signal: controller.signal,
    })
    expect(stopped.state).toBe('interrupted')
    expect(stopped.readComplete).toBe(false)
    expect(stopped.alreadySent).toBeGreaterThan(0)
    expect(stopped.alreadySent).toBeLessThan(earlier.counts.created)
    expect(stopped.alreadySent + stopped.counts.total).toBe(80)

    const resumed = await resumeSending(deps(), stopped.id)
    expect(resumed.state).toBe('completed')
    expect(resumed.alreadySent).toBe(earlier.counts.created)
    expect(resumed.counts.total).toBe(orders.length - earlier.counts.created)
    expect(resumed.counts.created + resumed.counts.alreadyExisted).toBe(
      orders.length - earlier.counts.created - resumed.counts.skipped,
    )
    for (const account of ['spanish', 'english', 'main']) expectCreatedOnce(account)
    const everySendable = (['spanish', 'english', 'main'] as const).reduce(
      (sum, account) => sum + routedTo(account).length,
      0,
    )
    expect(
      ['spanish', 'english', 'main'].reduce(
        (sum, account) => sum + simulator.account(account).purchases.size,
        0,
      ),
    ).toBe(everySendable)
  })
})

/**
 * The test store read in pages of 40, whose reading stops for good after `pages` pages: `stop`
 * is called and the reader then waits to be aborted, as a process that died mid-read would never
 * read on.
 */
function storeStoppingAfter(pages: number, stop: () => void): () => Promise<StoreSource> {
  return async () => {
    const real = await openDatabaseStore(databaseOptions(db))
    return {
      notices: real.notices,
      overview: () => real.overview(),
      orderStates: (languageId) => real.orderStates(languageId),
      countOrders: (filter) => real.countOrders(filter),
      orderDays: (shopIds) => real.orderDays(shopIds),
      countOrdersByWeek: (filter) => real.countOrdersByWeek(filter),
      orderKeys: (filter, options) => real.orderKeys(filter, options),
      close: () => real.close(),
      async *readOrders(filter, options) {
        let read = 0
        for await (const page of real.readOrders(filter, { ...options, pageSize: 40 })) {
          yield page
          read += 1
          if (read < pages) continue
          stop()
          const signal = options?.signal
          if (signal && !signal.aborted)
            await new Promise((resolve) =>
              signal.addEventListener('abort', resolve, { once: true }),
            )
          throw signal?.reason ?? new Error('stopped')
        }
      },
    }
  }
}
