/**
 * A real store (MariaDB), a real Connectif (the simulator over HTTP) and a real history (SQLite in
 * a temporary folder), wired to the engine the way the app and the command line wire it.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import { systemClock, type Clock } from '../../main/core/clock'
import { createConnectifClient } from '../../main/core/connectif/connectif-client'
import { resetRateLimiters } from '../../main/core/connectif/rate-limiter'
import { HistoryStore } from '../../main/core/history/history-store'
import type { SendingOptions } from '../../main/core/history/history-types'
import { mapOrderToPurchase } from '../../main/core/purchases/order-to-purchase'
import { openDatabaseStore } from '../../main/core/store/database/database-store'
import type { DatabaseConnectionOptions } from '../../main/core/store/database/database-connection'
import type { EngineDependencies } from '../../main/core/sending/sending-engine'
import type { TestDatabase } from '../support/mysql-server'
import { createPrestaShopSchema } from '../support/prestashop/schema-builder'
import { generateStore } from '../support/prestashop/store-generator'
import type { StoreFixture } from '../support/prestashop/store-generator'
import type { ConnectifSimulator, SimulatorAccountSpec } from '../support/connectif-simulator'
import type { DatabaseSourceSettings, Profile } from '../../main/core/profiles/profile-types'

export const API_KEY = 'purchase-sender-test:secret'

/** Orders dated in the last months, so the five-year rule holds whenever the tests run. */
export function recentRange(): { from: string; to: string } {
  const today = DateTime.now().setZone('Europe/Madrid')
  return {
    from: today.minus({ days: 200 }).toISODate() ?? '',
    to: today.minus({ days: 2 }).toISODate() ?? '',
  }
}

export async function loadStore(db: TestDatabase, orderCount: number): Promise<StoreFixture> {
  const fixture = generateStore({
    version: '1.7.8.7',
    seed: 42,
    orderCount,
    dateWindow: recentRange(),
    edgeCases: true,
  })
  await createPrestaShopSchema(db.admin, { version: '1.7.8.7', prefix: 'ps_' })
  await fixture.load(db.admin)
  return fixture
}

export function databaseOptions(db: TestDatabase): DatabaseConnectionOptions {
  return {
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.database,
    tablePrefix: 'ps_',
  }
}

/** A profile's source settings for the test database (its password from the environment). */
export function databaseSourceSettings(db: TestDatabase): DatabaseSourceSettings {
  return {
    kind: 'database',
    host: db.host,
    port: db.port,
    user: db.user,
    database: db.database,
    tablePrefix: 'ps_',
    ssl: false,
    passwordEnv: null,
  }
}

/** What the engine should end with, computed from the generator's own model. */
export function expectedOutcome(fixture: StoreFixture): {
  ready: Map<string, string>
  skipped: number[]
  emails: string[]
  productIds: string[]
} {
  const range = recentRange()
  const orders = fixture.expectedOrders({ range, stateIds: allStateIds(fixture) })
  const ready = new Map<string, string>()
  const skipped: number[] = []
  const emails = new Set<string>()
  const productIds = new Set<string>()
  for (const order of orders) {
    const mapping = mapOrderToPurchase(order)
    if (mapping.result === 'skipped') {
      skipped.push(order.id)
      continue
    }
    ready.set(mapping.purchase.purchaseId, mapping.purchase.contactEmail)
    emails.add(mapping.purchase.contactEmail)
    for (const product of mapping.purchase.products) productIds.add(product.productId)
  }
  return { ready, skipped, emails: [...emails], productIds: [...productIds] }
}

/** A simulated Connectif account of the shop: it knows the products, and the customers unless told. */
export function shopAccount(
  name: string,
  key: string,
  known: { readonly emails: readonly string[]; readonly productIds: readonly string[] },
  contacts: readonly string[] = known.emails,
): SimulatorAccountSpec {
  return {
    name,
    keys: [{ key }],
    authorisedDomains: ['example.test'],
    contacts,
    products: known.productIds,
    rateLimit: 100_000,
  }
}

export function allStateIds(fixture: StoreFixture): number[] {
  return fixture.model.states.map((state) => state.id)
}

export interface Harness {
  readonly history: HistoryStore
  readonly profile: Profile
  readonly home: string
  deps(options?: {
    apiKey?: string
    rateLimit?: number
    concurrency?: number
    /** Tries per request; the fault-injection tests raise it so chance cannot exhaust them. */
    attempts?: number
    /** The engine's and the clients' time (the system's by default). */
    clock?: Clock
    /** False: no import before sending, contacts and products one by one as they are missing. */
    bulkImports?: boolean
  }): EngineDependencies
  close(): Promise<void>
}

export async function openHarness(
  db: TestDatabase,
  simulator: ConnectifSimulator,
): Promise<Harness> {
  resetRateLimiters()
  const home = await mkdtemp(join(tmpdir(), 'purchase-sender-engine-'))
  const history = HistoryStore.open(join(home, 'history.sqlite3'))
  const profile = history.profiles.create({
    name: 'Test shop',
    source: databaseSourceSettings(db),
    connectif: { apiUrl: simulator.url, keyEnv: 'CONNECTIF_KEY' },
    shopIds: [],
    languageIso: null,
    defaultStateIds: [],
  })
  return {
    history,
    profile,
    home,
    deps: (options = {}) => ({
      history,
      openStore: () => openDatabaseStore(databaseOptions(db)),
      connectif: (_account, { onWait }) =>
        createConnectifClient({
          account: { apiUrl: simulator.url, apiKey: options.apiKey ?? API_KEY },
          requestsPerMinute: options.rateLimit ?? 60_000,
          onWait,
          retry: { attempts: options.attempts ?? 5, baseDelayMs: 10, maxDelayMs: 100 },
          timeoutMs: 5_000,
          clock: options.clock ?? systemClock,
        }),
      clock: options.clock ?? systemClock,
      pid: process.pid,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.bulkImports === undefined ? {} : { bulkImports: options.bulkImports }),
    }),
    close: async () => {
      history.close()
      await rm(home, { recursive: true, force: true })
    },
  }
}

export function sendingOptions(overrides: Partial<SendingOptions> = {}): SendingOptions {
  return {
    triggerWorkflows: false,
    createContacts: true,
    createProducts: true,
    rateLimit: 60_000,
    ...overrides,
  }
}
