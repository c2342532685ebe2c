import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Writable } from 'node:stream'
import { parse } from 'csv-parse/sync'
import { createConnectifClient } from '../../main/core/connectif/connectif-client'
import { resetRateLimiters } from '../../main/core/connectif/rate-limiter'
import { writeSendingReport } from '../../main/core/reports/csv-report'
import type { ConnectifTarget } from '../../main/core/profiles/profile-types'
import { mapOrderToPurchase } from '../../main/core/purchases/order-to-purchase'
import type { SendingOptions } from '../../main/core/history/history-types'
import {
  resumeSending,
  SendingStop,
  startSending,
  type EngineDependencies,
} from '../../main/core/sending/sending-engine'
import type { PreparingEvent, SendingEvent } from '../../main/core/sending/sending-events'
import {
  SCOPES_WITHOUT_IMPORTS,
  startConnectifSimulator,
  type ConnectifSimulator,
  type SimulatorImportOptions,
} from '../support/connectif-simulator'
import { createTestDatabase, type TestDatabase } from '../support/mysql-server'
import type { StoreFixture } from '../support/prestashop/store-generator'
import { VirtualClock } from '../support/virtual-clock'
import {
  allStateIds,
  API_KEY,
  databaseSourceSettings,
  expectedOutcome,
  loadStore,
  openHarness,
  recentRange,
  sendingOptions,
  type Harness,
} from './engine-harness'
import { accountOf, loadRoutedStore, type RoutedStore } from './routed-store'

/**
 * A sending that creates missing contacts and products imports them through Connectif's Import
 * API before it sends (main/core/sending/bulk-import.ts), against the simulator's Import API on
 * a virtual clock: Connectif's imports take their (simulated) time, and the engine's polls wait
 * theirs, without the test waiting for either.
 */

/** Connectif's pace for imports in these tests: a queue of 2 s, then 100 rows a second. */
const IMPORT_PACE: SimulatorImportOptions = { queuedMs: 2_000, rowsPerSecond: 100 }

let db: TestDatabase
let fixture: StoreFixture
let expected: ReturnType<typeof expectedOutcome>
let simulator: ConnectifSimulator
let harness: Harness
let clock: VirtualClock

beforeAll(async () => {
  db = await createTestDatabase('imports')
  // About as many purchases as the sending the issue measured (131).
  fixture = await loadStore(db, 160)
  expected = expectedOutcome(fixture)
})

afterAll(async () => {
  await db.drop()
})

async function startEmpty(
  options: { imports?: SimulatorImportOptions; withImports?: boolean } = {},
): Promise<void> {
  // Today, as the sending rules check the range against the engine's clock.
  clock = new VirtualClock({ start: Math.floor(Date.now() / 1000) * 1000 })
  simulator = await startConnectifSimulator({
    accounts: [
      {
        name: 'shop',
        keys: [
          {
            key: API_KEY,
            ...(options.withImports === false ? { scopes: SCOPES_WITHOUT_IMPORTS } : {}),
          },
        ],
        authorisedDomains: ['example.test'],
        contacts: [],
        products: [],
        rateLimit: 100_000,
      },
    ],
    clock,
    imports: options.imports ?? IMPORT_PACE,
  })
  harness = await openHarness(db, simulator)
}

beforeEach(() => resetRateLimiters())

afterEach(async () => {
  clock.stop()
  await harness.close()
  await simulator.close()
})

function request(overrides: Partial<SendingOptions> = {}) {
  return {
    profile: harness.profile,
    ...recentRange(),
    stateIds: allStateIds(fixture),
    mode: 'cli' as const,
    options: sendingOptions({ rateLimit: 6_000, ...overrides }),
  }
}

function deps(overrides: Parameters<Harness['deps']>[0] = {}) {
  return harness.deps({ rateLimit: 6_000, clock, ...overrides })
}

/** Every purchase the store has ready is in Connectif, each created once. */
function createdOnce(): void {
  const account = simulator.account('shop')
  expect([...account.purchases.keys()].sort()).toEqual([...expected.ready.keys()].sort())
  expect([...account.creations.values()].every((count) => count === 1)).toBe(true)
}

async function reportOf(sendingId: number): Promise<string> {
  let text = ''
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString()
      done()
    },
  })
  await writeSendingReport(harness.history, sendingId, sink, { all: true })
  return text
}

function preparing(events: readonly SendingEvent[]): PreparingEvent[] {
  return events.filter((event): event is PreparingEvent => event.type === 'preparing')
}

describe('a first sending to an account without the shop’s contacts and products', () => {
  it('imports them once, then creates every purchase once, at ≤ 1.05 requests a purchase', async () => {
    await startEmpty()
    const events: SendingEvent[] = []
    const sending = await startSending(deps(), request(), { onEvent: (e) => events.push(e) })

    expect(sending.state).toBe('completed')
    expect(sending.counts).toMatchObject({ created: expected.ready.size, failed: 0 })
    createdOnce()
    const stats = simulator.account('shop').stats
    // Nothing one by one: the imports brought every contact and product in.
    expect(stats.contactRequests).toBe(0)
    expect(stats.productRequests).toBe(0)
    // One more: the first order, sent as it was to learn that the account lacks them (E0101).
    expect(stats.purchaseRequests).toBe(expected.ready.size + 1)
    expect(stats.imports).toMatchObject({ created: 2, refused: 0, lists: 0 })
    // One GET per import at least; never more than one every 5 s for the account.
    expect(stats.imports.polls).toBeGreaterThanOrEqual(2)
    expect(stats.counted / expected.ready.size).toBeLessThanOrEqual(1.05)
    expect(stats.rateLimited).toBe(0)

    const account = simulator.account('shop')
    expect(account.contacts.size).toBe(expected.emails.length)
    // The upsert's fields: the customer's names.
    expect(
      [...account.contacts.values()].some((fields) => typeof fields['_name'] === 'string'),
    ).toBe(true)
    const views = account.imports()
    expect(views.map((view) => [view.type, view.overrideExisting, view.status])).toEqual([
      ['contacts', false, 'finished'],
      ['products', false, 'finished'],
    ])
    expect(views[1]?.columns.slice(0, 5)).toEqual([
      'productId',
      'name',
      'productDetailUrl',
      'unitPrice',
      'unitPriceWithoutVAT',
    ])

    const records = harness.history.importsOf(sending.id)
    expect(records.map((record) => [record.type, record.status, record.target])).toEqual([
      ['contacts', 'finished', 'main'],
      ['products', 'finished', 'main'],
    ])
    expect(records[0]?.items).toBe(expected.emails.length)
    expect(records.every((record) => record.importId !== null && record.notice === null)).toBe(true)
    const reported = parse<Record<string, string>>(await reportOf(sending.id), {
      bom: true,
      columns: true,
    })
    expect(reported.find((row) => row['result'] === 'created')?.['preparing']).toBe(
      `contacts imported (${expected.emails.length} in the file); products imported (${records[1]?.items} in the file)`,
    )

    // Started, asked, read, imported, then sent: the preparing events come before any progress
    // (this range is read before the first order's answer, so there is no reading step).
    const steps = preparing(events)
    expect(steps.every((event) => event.sendingId === sending.id)).toBe(true)
    expect(steps.some((e) => e.step === 'importing' && e.what === 'contacts')).toBe(true)
    expect(steps.some((e) => e.step === 'importing' && e.what === 'products')).toBe(true)
    const lastPreparing = events.lastIndexOf(steps.at(-1) as SendingEvent)
    const firstCreated = events.findIndex(
      (event) => event.type === 'progress' && event.counts.created > 0,
    )
    expect(firstCreated).toBeGreaterThan(lastPreparing)
    expect(steps.some((event) => event.notice !== undefined)).toBe(false)
  })

  it('imports products as the catalogue has them now: deleted or disabled ones blacklisted', async () => {
    await startEmpty()
    const sending = await startSending(deps(), request())
    expect(sending.state).toBe('completed')
    const account = simulator.account('shop')
    expect(account.imports()[1]?.columns.slice(5, 7)).toEqual(['availability', 'isBlacklisted'])
    // The generator's `deletedProducts` order bought 900 (deleted since), 3 (disabled since) and
    // 12 (out of stock now); the simulator parsed the file into the fields a PATCH would set.
    const edge = fixture
      .expectedOrders()
      .find((order) => order.id === fixture.model.specialOrders.deletedProducts)
    const mapping = edge && mapOrderToPurchase(edge)
    if (mapping?.result !== 'ready') throw new Error('the deletedProducts order is not sendable')
    const entry = (id: string): Record<string, unknown> => {
      const { productId: _id, ...fields } = mapping.catalogue.find((p) => p.productId === id) ?? {}
      return fields
    }
    expect(account.products.get('3')).toEqual(entry('3'))
    expect(account.products.get('3')).toMatchObject({
      name: 'Summer dress',
      unitPrice: 60.49,
      unitPriceWithoutVAT: 49.99,
      availability: 'outofstock',
      isBlacklisted: true,
    })
    expect(account.products.get('12')).toEqual(entry('12'))
    expect(account.products.get('12')).toMatchObject({
      availability: 'outofstock',
      isBlacklisted: false,
    })
    expect(account.products.get('900')).toMatchObject({
      name: 'Discontinued scarf',
      productDetailUrl:
        'https://secure.shop.example.test/index.php?id_product=900&controller=product',
      availability: 'outofstock',
      isBlacklisted: true,
    })
    // A product the store sells: in stock, not blacklisted.
    expect(account.products.get('1')).toMatchObject({
      availability: 'instock',
      isBlacklisted: false,
    })
  })

  it('imports nothing the next time: what its imports brought in is remembered', async () => {
    await startEmpty()
    await startSending(deps(), request())
    const before = simulator.account('shop').stats.importRequests
    const events: SendingEvent[] = []
    const again = await startSending(deps(), request(), { onEvent: (e) => events.push(e) })
    expect(again.counts.alreadyExisted).toBe(expected.ready.size)
    expect(simulator.account('shop').stats.importRequests).toBe(before)
    expect(harness.history.importsOf(again.id)).toEqual([])
    expect(preparing(events).some((event) => event.step === 'importing')).toBe(false)
  })

  it('imports nothing, and sends as it reads, when neither option is on', async () => {
    await startEmpty()
    for (const email of expected.emails) simulator.account('shop').addContact(email)
    for (const id of expected.productIds) simulator.account('shop').addProduct(id)
    const events: SendingEvent[] = []
    const sending = await startSending(
      deps(),
      request({ createContacts: false, createProducts: false }),
      { onEvent: (e) => events.push(e) },
    )
    expect(sending.state).toBe('completed')
    createdOnce()
    expect(simulator.account('shop').stats.importRequests).toBe(0)
    expect(simulator.account('shop').stats.counted).toBe(expected.ready.size)
    expect(preparing(events)).toEqual([])
  })

  it('compares with the one-by-one path, which costs far more requests', async () => {
    await startEmpty()
    const sending = await startSending(deps({ bulkImports: false }), request())
    expect(sending.state).toBe('completed')
    createdOnce()
    const stats = simulator.account('shop').stats
    expect(stats.importRequests).toBe(0)
    expect(stats.contactRequests).toBe(expected.emails.length)
    expect(stats.counted / expected.ready.size).toBeGreaterThan(1.5)
  })
})

describe('falling back to creating contacts and products one by one', () => {
  it('when the key lacks the Imports permission (403), with a notice', async () => {
    await startEmpty({ withImports: false })
    const events: SendingEvent[] = []
    const sending = await startSending(deps(), request(), { onEvent: (e) => events.push(e) })
    expect(sending.state).toBe('completed')
    createdOnce()
    const stats = simulator.account('shop').stats
    // One refused import: the other type is not even tried with that key.
    expect(stats.imports).toMatchObject({ created: 0 })
    expect(stats.importRequests).toBe(0)
    expect(stats.contactRequests).toBe(expected.emails.length)
    const records = harness.history.importsOf(sending.id)
    expect(records.map((record) => [record.type, record.status, record.notice?.code])).toEqual([
      ['contacts', 'not_created', 'imports_not_allowed'],
      ['products', 'not_created', 'imports_not_allowed'],
    ])
    const notices = preparing(events).filter((event) => event.notice !== undefined)
    expect(notices.map((event) => [event.what, event.notice?.code])).toEqual([
      ['contacts', 'imports_not_allowed'],
      ['products', 'imports_not_allowed'],
    ])
    expect(notices[0]?.notice?.message).toMatch(/Imports permission/)

    // The report says it on every sent row: how the row's contact and products were created.
    const rows = parse<Record<string, string>>(await reportOf(sending.id), {
      bom: true,
      columns: true,
    })
    const sent = rows.filter((row) => row['result'] !== 'skipped')
    expect(sent.length).toBe(expected.ready.size)
    for (const row of sent) {
      expect(row['preparing']).toMatch(/^contacts created one by one: .*Imports permission/)
      expect(row['preparing']).toMatch(/; products created one by one: /)
    }
  })

  it('when an import ends in error, for that type only', async () => {
    await startEmpty()
    simulator.account('shop').failNextImports('error')
    const events: SendingEvent[] = []
    const sending = await startSending(deps(), request(), { onEvent: (e) => events.push(e) })
    expect(sending.state).toBe('completed')
    createdOnce()
    const stats = simulator.account('shop').stats
    expect(stats.contactRequests).toBe(expected.emails.length)
    expect(stats.productRequests).toBe(0)
    const records = harness.history.importsOf(sending.id)
    expect(records.map((record) => [record.type, record.status, record.notice?.code])).toEqual([
      ['contacts', 'error', 'import_failed'],
      ['products', 'finished', undefined],
    ])
    expect(preparing(events).filter((event) => event.notice !== undefined)).toHaveLength(1)
    // Nothing of a failed import is remembered: the next sending imports those contacts again.
    expect(
      harness.history.knownItems(records[0]?.account ?? '', 'contact', expected.emails).size,
    ).toBe(0)
  })

  it('for the orders whose contact Connectif still lacks after the import (E0101)', async () => {
    await startEmpty()
    const refused = expected.emails.slice(0, 2).map((email) => email.toLowerCase())
    simulator
      .account('shop')
      .setImportRowFilter(
        (type, row) =>
          type !== 'contacts' || !refused.includes((row['_email'] ?? '').toLowerCase()),
      )
    const sending = await startSending(deps(), request())
    expect(sending.state).toBe('completed')
    createdOnce()
    const stats = simulator.account('shop').stats
    expect(stats.contactRequests).toBe(refused.length)
    const [contacts] = harness.history.importsOf(sending.id)
    expect(contacts).toMatchObject({ status: 'finished', errors: refused.length })
  })

  it('waits out a full queue of imports (400), then imports', async () => {
    await startEmpty({ imports: { queuedMs: 0, rowsPerSecond: 100 } })
    // Another integration keeps one import running and ten queued, 20 s each.
    simulator.account('shop').addForeignImports(11, 20_000)
    const sending = await startSending(deps(), request())
    expect(sending.state).toBe('completed')
    createdOnce()
    const stats = simulator.account('shop').stats
    expect(stats.imports.refused).toBeGreaterThanOrEqual(1)
    expect(stats.imports.created).toBe(2)
    expect(stats.contactRequests + stats.productRequests).toBe(0)
    expect(harness.history.importsOf(sending.id).every((record) => record.notice === null)).toBe(
      true,
    )
  })

  it('when the queue stays full through every retry, with a notice', async () => {
    await startEmpty({ imports: { queuedMs: 0, rowsPerSecond: 100 } })
    simulator.account('shop').addForeignImports(11, 3_600_000)
    const sending = await startSending(deps(), request())
    expect(sending.state).toBe('completed')
    createdOnce()
    const stats = simulator.account('shop').stats
    // Tried, then five more times over about 12 minutes; the products were not tried at all.
    expect(stats.imports.refused).toBe(6)
    expect(stats.imports.created).toBe(0)
    expect(stats.contactRequests).toBe(expected.emails.length)
    expect(
      harness.history.importsOf(sending.id).map((record) => [record.status, record.notice?.code]),
    ).toEqual([
      ['not_created', 'import_queue_full'],
      ['not_created', 'import_queue_full'],
    ])
  })
})

describe('a sending stopped while it prepares', () => {
  it('resumes watching the imports it made, never making them again', async () => {
    // Imports that take a minute in the queue: the sending is stopped while they wait.
    await startEmpty({ imports: { queuedMs: 60_000, rowsPerSecond: 100 } })
    const controller = new AbortController()
    const stopped = await startSending(deps(), request(), {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'preparing' && event.what === 'products' && event.status === 'queued')
          controller.abort(new SendingStop('interrupted'))
      },
    })
    expect(stopped.state).toBe('interrupted')
    expect(stopped.counts.created).toBe(0)
    expect(harness.history.importsOf(stopped.id).map((record) => record.status)).toEqual([
      'queued',
      'queued',
    ])
    expect(simulator.account('shop').stats.imports.created).toBe(2)

    const resumed = await resumeSending(deps(), stopped.id)
    expect(resumed.state).toBe('completed')
    createdOnce()
    const stats = simulator.account('shop').stats
    expect(stats.imports.created).toBe(2)
    expect(stats.contactRequests + stats.productRequests).toBe(0)
    expect(harness.history.importsOf(stopped.id).map((record) => record.status)).toEqual([
      'finished',
      'finished',
    ])
  })

  it('stopped before it read the range, reads it, imports once, then sends', async () => {
    await startEmpty()
    const controller = new AbortController()
    const stopped = await startSending(deps(), request(), {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'started') controller.abort(new SendingStop('interrupted'))
      },
    })
    expect(stopped.state).toBe('interrupted')
    expect(simulator.account('shop').stats.counted).toBe(0)
    const resumed = await resumeSending(deps(), stopped.id)
    expect(resumed.state).toBe('completed')
    createdOnce()
    expect(simulator.account('shop').stats.imports.created).toBe(2)
    expect(simulator.account('shop').stats.contactRequests).toBe(0)
    expect(simulator.account('shop').stats.purchaseRequests).toBe(expected.ready.size + 1)
  })
})

describe('a routed profile', () => {
  const KEYS = {
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
  let routedDb: TestDatabase
  let routed: RoutedStore

  beforeAll(async () => {
    routedDb = await createTestDatabase('imports_routed')
    routed = await loadRoutedStore(routedDb)
  })

  afterAll(async () => {
    await routedDb.drop()
  })

  it('imports into each account what its own orders need, and nothing one by one', async () => {
    clock = new VirtualClock({ start: Math.floor(Date.now() / 1000) * 1000 })
    simulator = await startConnectifSimulator({
      accounts: Object.entries(KEYS).map(([name, key]) => ({
        name,
        keys: [{ key }],
        authorisedDomains: ['example.test'],
        rateLimit: 100_000,
      })),
      clock,
      imports: IMPORT_PACE,
    })
    harness = await openHarness(routedDb, simulator)
    const profile = harness.history.profiles.create({
      name: 'Routed imports',
      source: databaseSourceSettings(routedDb),
      connectif: {
        apiUrl: simulator.url,
        keyEnv: 'MAIN_KEY',
        mainAccount: true,
        targets: [{ ...SPANISH_EURO, apiUrl: simulator.url }],
      },
      shopIds: [],
      languageIso: null,
      defaultStateIds: [],
    })
    const engine: EngineDependencies = {
      ...harness.deps({ clock }),
      connectif: (account, { onWait }) =>
        createConnectifClient({
          account: {
            apiUrl: simulator.url,
            apiKey: account.kind === 'main' ? KEYS.main : KEYS.spanish,
          },
          requestsPerMinute: 6_000,
          onWait,
          clock,
        }),
    }
    const events: SendingEvent[] = []
    const sending = await startSending(
      engine,
      {
        profile,
        ...recentRange(),
        stateIds: allStateIds(routed.fixture),
        mode: 'cli',
        options: sendingOptions({ rateLimit: 6_000 }),
      },
      { onEvent: (event) => events.push(event) },
    )
    expect(sending.state).toBe('completed')

    // What each account must end with: its orders' purchases, contacts and products.
    const wanted = new Map<string, { purchases: Set<string>; emails: Set<string> }>()
    for (const order of routed.orders) {
      const account = accountOf(routed.fixture, order, true)
      if (account === null) continue
      // Only the Spanish target: the English orders in dollars go to the main account too.
      const name = account === 'spanish' ? 'spanish' : 'main'
      const mapping = mapOrderToPurchase(order, {
        currency: name === 'main' ? 'shop-default' : 'order',
      })
      if (mapping.result !== 'ready') continue
      const entry = wanted.get(name) ?? { purchases: new Set(), emails: new Set() }
      entry.purchases.add(mapping.purchase.purchaseId)
      entry.emails.add(mapping.purchase.contactEmail.toLowerCase())
      wanted.set(name, entry)
    }
    let asked = 0
    for (const [name, { purchases, emails }] of wanted) {
      const account = simulator.account(name)
      expect(new Set(account.purchases.keys())).toEqual(purchases)
      expect([...account.creations.values()].every((count) => count === 1)).toBe(true)
      // Only its own customers: another account's are not its business.
      expect(new Set(account.contacts.keys())).toEqual(emails)
      expect(account.stats.contactRequests + account.stats.productRequests).toBe(0)
      expect(account.stats.imports.created).toBe(2)
      // A purchase each, and the few requests of its two imports (created, then asked about).
      expect(account.stats.counted - account.stats.purchaseRequests).toBe(
        account.stats.importRequests,
      )
      expect(account.stats.importRequests).toBeLessThanOrEqual(5)
      asked += account.stats.purchaseRequests - purchases.size
    }
    // The sending's first order asked once whether contacts and products were missing.
    expect(asked).toBe(1)
    expect(simulator.account('english').stats.counted).toBe(0)
    const records = harness.history.importsOf(sending.id)
    expect(records.map((record) => [record.target, record.type, record.status]).sort()).toEqual(
      [
        ['lang=es,currency=EUR', 'contacts', 'finished'],
        ['lang=es,currency=EUR', 'products', 'finished'],
        ['main', 'contacts', 'finished'],
        ['main', 'products', 'finished'],
      ].sort(),
    )
    // Routed: the events say which account imports.
    const accounts = new Set(
      preparing(events)
        .filter((event) => event.step === 'importing')
        .map((event) => event.account),
    )
    expect(accounts).toEqual(new Set(['main', 'lang=es,currency=EUR']))
  })
})
