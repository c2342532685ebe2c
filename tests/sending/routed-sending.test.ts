import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../main/core/clock'
import { createConnectifClient } from '../../main/core/connectif/connectif-client'
import { resetRateLimiters } from '../../main/core/connectif/rate-limiter'
import { HistoryStore } from '../../main/core/history/history-store'
import { mapOrderToPurchase } from '../../main/core/purchases/order-to-purchase'
import { writeSendingReport } from '../../main/core/reports/csv-report'
import { openDatabaseStore } from '../../main/core/store/database/database-store'
import {
  SendingRequestError,
  startSending,
  type EngineDependencies,
} from '../../main/core/sending/sending-engine'
import type { StoreOrder } from '../../main/core/store/store-source'
import type { SendingEvent } from '../../main/core/sending/sending-events'
import { createTestDatabase, type TestDatabase } from '../support/mysql-server'
import type { StoreFixture } from '../support/prestashop/store-generator'
import { startConnectifSimulator, type ConnectifSimulator } from '../support/connectif-simulator'
import {
  allStateIds,
  databaseOptions,
  databaseSourceSettings,
  recentRange,
  sendingOptions,
} from './engine-harness'
import { accountOf, languageOf, loadRoutedStore, routedAccounts } from './routed-store'
import type { ConnectifTarget, Profile } from '../../main/core/profiles/profile-types'

/**
 * A store in three languages and several currencies sends to two Connectif accounts (Spanish in
 * euros, English in dollars) and, when the profile has one, a main account for the rest.
 */

const KEYS: Record<string, string> = {
  spanish: 'spanish-key:secret',
  english: 'english-key:secret',
  main: 'main-key:secret',
}

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

let db: TestDatabase
let fixture: StoreFixture
let orders: StoreOrder[]
let simulator: ConnectifSimulator
let home: string
let history: HistoryStore

beforeAll(async () => {
  db = await createTestDatabase('routing')
  ;({ fixture, orders } = await loadRoutedStore(db))
})

afterAll(async () => {
  await db.drop()
})

beforeEach(async () => {
  resetRateLimiters()
  simulator = await startConnectifSimulator({ accounts: routedAccounts(orders, KEYS) })
  home = await mkdtemp(join(tmpdir(), 'purchase-sender-routing-'))
  history = HistoryStore.open(join(home, 'history.sqlite3'))
})

afterEach(async () => {
  history.close()
  await rm(home, { recursive: true, force: true })
  await simulator.close()
})

function profileWith(targets: readonly ConnectifTarget[], mainAccount: boolean): Profile {
  return history.profiles.create({
    name: `Routed ${mainAccount ? 'with' : 'without'} main`,
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

function deps(): EngineDependencies {
  return {
    history,
    openStore: () => openDatabaseStore(databaseOptions(db)),
    connectif: (account, { onWait }) =>
      createConnectifClient({
        account: {
          apiUrl: simulator.url,
          apiKey: KEYS[
            account.kind === 'main'
              ? 'main'
              : account.target.id === 'es-eur'
                ? 'spanish'
                : 'english'
          ] as string,
        },
        requestsPerMinute: 60_000,
        onWait,
        retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
      }),
    clock: systemClock,
    pid: process.pid,
  }
}

/** Orders ready to send, by the account they must reach and with the body it must receive. */
function expectedBodies(withMain: boolean): Map<string, Map<string, Record<string, unknown>>> {
  const byAccount = new Map<string, Map<string, Record<string, unknown>>>(
    Object.keys(KEYS).map((name) => [name, new Map()]),
  )
  for (const order of orders) {
    const account = accountOf(fixture, order, withMain)
    if (account === null) continue
    const mapping = mapOrderToPurchase(order, {
      currency: account === 'main' ? 'shop-default' : 'order',
    })
    if (mapping.result === 'ready')
      byAccount.get(account)?.set(mapping.purchase.purchaseId, { ...mapping.purchase })
  }
  return byAccount
}

function received(account: string): Map<string, Record<string, unknown>> {
  const stored = simulator.account(account).purchases
  return new Map([...stored.entries()].map(([id, purchase]) => [id, purchase.body]))
}

async function reportOf(sendingId: number): Promise<string> {
  let text = ''
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString()
      done()
    },
  })
  await writeSendingReport(history, sendingId, sink, { all: true })
  return text
}

describe('a multilingual, multi-currency store routed to several Connectif accounts', () => {
  it('sends every order to the account of its language and currency, with its own URLs and amounts', async () => {
    const expected = expectedBodies(false)
    const spanish = expected.get('spanish') as Map<string, Record<string, unknown>>
    const english = expected.get('english') as Map<string, Record<string, unknown>>
    expect(spanish.size).toBeGreaterThan(5)
    expect(english.size).toBeGreaterThan(1)

    const profile = profileWith([SPANISH_EURO, ENGLISH_DOLLAR], false)
    const events: SendingEvent[] = []
    const sending = await startSending(
      deps(),
      {
        profile,
        ...recentRange(),
        stateIds: allStateIds(fixture),
        mode: 'cli',
        options: sendingOptions(),
      },
      { onEvent: (event) => events.push(event) },
    )
    expect(sending.state).toBe('completed')
    const finished = events.find((event) => event.type === 'finished')
    expect(finished?.type === 'finished' && finished.byTarget).toEqual(
      history.countsByTarget(sending.id),
    )
    expect(events.some((event) => event.type === 'progress' && event.byTarget !== undefined)).toBe(
      true,
    )

    expect(received('spanish')).toEqual(spanish)
    expect(received('english')).toEqual(english)
    expect(simulator.account('main').purchases.size).toBe(0)
    // Spanish orders link to the Spanish pages (deleted products to the plain product URL);
    // dollar amounts stay in dollars.
    for (const body of received('spanish').values()) {
      for (const product of body.products as { productDetailUrl: string }[])
        expect(product.productDetailUrl).toMatch(
          /\/es\/|\/index\.php\?id_product=\d+&controller=product$/,
        )
    }
    const dollarOrder = orders.find(
      (order) => languageOf(fixture, order) === 'en' && order.currency.isoCode === 'USD',
    ) as StoreOrder
    const sentDollars = received('english').get(String(dollarOrder.id))
    if (sentDollars) expect(sentDollars.totalPrice).toBe(Number(dollarOrder.totalPaidTaxIncl))

    const counts = history.countsByTarget(sending.id)
    expect(counts.map((entry) => entry.target).sort()).toEqual(
      ['', 'lang=en,currency=USD', 'lang=es,currency=EUR'].sort(),
    )
    const report = await reportOf(sending.id)
    const lines = report
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(lines[0]).toMatch(/,sent_at,target,preparing$/)
    expect(lines.filter((line) => line.endsWith(',"lang=es,currency=EUR",'))).toHaveLength(
      counts.find((entry) => entry.target === 'lang=es,currency=EUR')?.counts.total ?? 0,
    )
    const unrouted = orders.filter(
      (order) =>
        !(languageOf(fixture, order) === 'es' && order.currency.isoCode === 'EUR') &&
        !(languageOf(fixture, order) === 'en' && order.currency.isoCode === 'USD'),
    )
    expect(unrouted.length).toBeGreaterThan(0)
    expect(report).toContain('No Connectif target of the profile serves this order (language fr')
  })

  it('sends the rest to the main account, converted to the shop currency as before', async () => {
    const expected = expectedBodies(true)
    const profile = profileWith([SPANISH_EURO, ENGLISH_DOLLAR], true)
    const sending = await startSending(deps(), {
      profile,
      ...recentRange(),
      stateIds: allStateIds(fixture),
      mode: 'cli',
      options: sendingOptions(),
    })
    expect(sending.state).toBe('completed')
    for (const account of ['spanish', 'english', 'main'])
      expect(received(account)).toEqual(expected.get(account))
    expect(history.countsByTarget(sending.id).map((entry) => entry.target)).toContain('main')
  })

  it('refuses a target serving what the store does not have, before anything is recorded', async () => {
    const profile = profileWith(
      [{ ...SPANISH_EURO, id: 'de', languages: ['de'], currencies: ['CHF'] }],
      true,
    )
    const failure = await startSending(deps(), {
      profile,
      ...recentRange(),
      stateIds: allStateIds(fixture),
      mode: 'cli',
      options: sendingOptions(),
    }).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(SendingRequestError)
    expect((failure as SendingRequestError).message).toMatch(
      /language "de", which the store does not have \(it has en, es, fr\).*currency "CHF"/,
    )
    expect(history.listSendings()).toEqual([])
  })
})
