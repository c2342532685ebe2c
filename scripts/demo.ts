/**
 * `npm run demo`: browser mode over a complete local sandbox, to try the app without a store or a
 * Connectif account. Starts a throwaway MariaDB (its own `mariadbd` in a temporary folder, on a
 * free port), fills it with a generated PrestaShop 1.7.8.7 store, starts the local Connectif
 * simulator (most contacts and products already there, a few missing so the "create missing
 * contacts/products" options show), opens a fresh history with a ready "Demo store" profile, and
 * serves the app exactly as `npm run web` does. Nothing leaves this computer.
 *
 * Options: `--port N` (default: a free port), `--orders N` (default 300).
 * Ctrl-C stops everything and deletes the temporary folders.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { DateTime } from 'luxon'
import { ensureDataDirectory, historyDatabasePath } from '../main/core/history/data-directory'
import { HistoryStore } from '../main/core/history/history-store'
import { mapOrderToPurchase } from '../main/core/purchases/order-to-purchase'
import { runUntilSignal, startBrowserMode, type BrowserMode } from '../main/web/browser-mode'
import {
  startConnectifSimulator,
  type ConnectifSimulator,
} from '../tests/support/connectif-simulator'
import {
  acquireMysqlServer,
  createTestDatabase,
  type MysqlServer,
  type TestDatabase,
} from '../tests/support/mysql-server'
import { createPrestaShopSchema } from '../tests/support/prestashop/schema-builder'
import { generateStore } from '../tests/support/prestashop/store-generator'
import type { Profile } from '../main/core/profiles/profile-types'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const rendererDir = path.join(root, 'out', 'renderer')

export const DEMO_DB_PASSWORD_ENV = 'PURCHASE_SENDER_DEMO_DB_PASSWORD'
export const DEMO_CONNECTIF_KEY_ENV = 'PURCHASE_SENDER_DEMO_CONNECTIF_KEY'
const VERSION = '1.7.8.7'
/** Every tenth contact and product is left out of the simulator, to be created by the sending. */
const MISSING_EVERY = 10

export interface DemoOptions {
  /** 300 by default. */
  readonly orderCount?: number
  /** 0 (the default) picks a free port. */
  readonly port?: number
  /** Build the renderer when out/renderer is missing; true by default. */
  readonly buildRenderer?: boolean
  readonly log?: (message: string) => void
}

export interface Demo {
  readonly url: string
  readonly profile: Profile
  readonly orderCount: number
  /** `spawned` (our own mariadbd); `env` or `local` when it fell back to an existing server. */
  readonly mysqlOrigin: MysqlServer['origin']
  readonly dataDirectory: string
  readonly mode: BrowserMode
  readonly simulator: ConnectifSimulator
  /** Stops browser mode, then deletes everything the demo made. Safe to call once. */
  stop(): Promise<number[]>
}

/** Our own throwaway mariadbd; the local server (with a note) when mariadbd cannot start. */
async function startMysql(log: (message: string) => void): Promise<MysqlServer> {
  try {
    // acquireMysqlServer has no "always spawn" option: an empty url skips TEST_MYSQL_URL, and a
    // local url nothing listens on (port 1) skips the server on 3306, leaving the spawn path.
    return await acquireMysqlServer({ url: '', localUrl: 'mysql://root@127.0.0.1:1', log })
  } catch (error) {
    log(
      `Could not start a throwaway mariadbd (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); ` +
        'falling back to TEST_MYSQL_URL or the local server on 127.0.0.1:3306 (the demo database is dropped on exit).',
    )
    return acquireMysqlServer({ log })
  }
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const log = options.log ?? ((message: string) => console.log(message))
  const orderCount = options.orderCount ?? 300
  const cleanups: (() => Promise<void> | void)[] = []
  const cleanUp = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup()
      } catch (error) {
        console.error('demo: cleanup step failed:', error)
      }
    }
  }

  try {
    if (!existsSync(path.join(rendererDir, 'index.html'))) {
      if (options.buildRenderer === false) throw new Error('The renderer is not built.')
      log('Building the renderer (npx electron-vite build)…')
      execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' })
    }

    const server = await startMysql((message) => log(`[mysql] ${message}`))
    cleanups.push(() => server.release())
    const db: TestDatabase = await createTestDatabase('demo', { serverUrl: server.url })
    cleanups.push(() => db.drop())

    // Orders over the last eleven months (shop time), so the wizard's date rules accept them.
    const today = DateTime.now().setZone('Europe/Madrid')
    const fixture = generateStore({
      version: VERSION,
      seed: 2024,
      orderCount,
      dateWindow: {
        from: today.minus({ months: 11 }).toISODate() ?? '',
        to: today.minus({ days: 1 }).toISODate() ?? '',
      },
      edgeCases: false,
      friendlyUrls: true,
      chronological: true,
    })
    await createPrestaShopSchema(db.admin, { version: VERSION, prefix: 'ps_' })
    await fixture.load(db.admin)
    const reader = await db.createUser({ privileges: ['SELECT'] })
    log(`[store] PrestaShop ${VERSION} with ${orderCount} orders in database ${db.database}`)

    const emails = new Set<string>()
    const productIds = new Set<string>()
    for (const order of fixture.expectedOrders()) {
      const mapping = mapOrderToPurchase(order)
      if (mapping.result === 'skipped') continue
      emails.add(mapping.purchase.contactEmail)
      for (const product of mapping.purchase.products) productIds.add(product.productId)
    }
    const keep = <T>(values: Iterable<T>): T[] =>
      [...values].filter((_, index) => index % MISSING_EVERY !== MISSING_EVERY - 1)
    const apiKey = `demo:${randomBytes(16).toString('hex')}`
    const simulator = await startConnectifSimulator({
      accounts: [
        {
          name: 'demo',
          keys: [{ key: apiKey }],
          authorisedDomains: ['example.test'],
          contacts: keep(emails),
          products: keep(productIds),
          rateLimit: 600,
        },
      ],
      faults: { latencyMs: 50 },
    })
    cleanups.push(() => simulator.close())
    log(
      `[connectif] Sandbox at ${simulator.url}: ${keep(emails).length}/${emails.size} contacts and ` +
        `${keep(productIds).length}/${productIds.size} products already there, 600 requests/min`,
    )

    process.env[DEMO_DB_PASSWORD_ENV] = reader.password
    process.env[DEMO_CONNECTIF_KEY_ENV] = apiKey

    const dataDirectory = await mkdtemp(path.join(tmpdir(), 'purchase-sender-demo-'))
    cleanups.push(() => rm(dataDirectory, { recursive: true, force: true }))
    ensureDataDirectory(dataDirectory)
    const history = HistoryStore.open(historyDatabasePath(dataDirectory))
    cleanups.push(() => history.close())
    const profile = history.profiles.create({
      name: 'Demo store',
      source: {
        kind: 'database',
        host: db.host,
        port: db.port,
        user: reader.user,
        database: db.database,
        tablePrefix: 'ps_',
        ssl: false,
        passwordEnv: DEMO_DB_PASSWORD_ENV,
      },
      connectif: { apiUrl: simulator.url, keyEnv: DEMO_CONNECTIF_KEY_ENV },
      shopIds: [],
      languageIso: null,
      defaultStateIds: fixture.model.states
        .filter((state) => state.paid && !state.deleted)
        .map((state) => state.id),
    })

    const started = await startBrowserMode({
      history,
      dataDirectory,
      rendererDir,
      port: options.port ?? 0,
    })
    // Stopping browser mode twice (Ctrl-C handler, then demo.stop) must not shut it down twice.
    let modeStopped: Promise<number[]> | undefined
    const mode: BrowserMode = { ...started, stop: () => (modeStopped ??= started.stop()) }
    let stopped = false
    return {
      url: mode.url,
      profile,
      orderCount,
      mysqlOrigin: server.origin,
      dataDirectory,
      mode,
      simulator,
      async stop() {
        if (stopped) return []
        stopped = true
        try {
          return await mode.stop()
        } finally {
          await cleanUp()
        }
      },
    }
  } catch (error) {
    await cleanUp()
    throw error
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, orders: { type: 'string' } },
  })
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`purchase-sender demo: --port "${values.port}" is not a port number.`)
    return 2
  }
  const orderCount = values.orders === undefined ? 300 : Number(values.orders)
  if (!Number.isInteger(orderCount) || orderCount < 1) {
    console.error(`purchase-sender demo: --orders "${values.orders}" is not a positive number.`)
    return 2
  }

  const demo = await startDemo({ port, orderCount })
  if (demo.mysqlOrigin !== 'spawned')
    console.log(
      'Note: mariadbd could not be started, so the demo database lives on the local server.',
    )
  console.log(
    `\nDemo ready: ${demo.url}  (a demo store with ${demo.orderCount} orders and a local Connectif sandbox; nothing leaves this computer)`,
  )
  console.log('Press Ctrl-C to stop and delete the demo store, sandbox and history.')

  // runUntilSignal stops browser mode; demo.stop() then only deletes what the demo made.
  return runUntilSignal(demo.mode, {
    name: 'purchase-sender demo',
    cleanup: async () => {
      await demo.stop()
      console.log('Demo stopped and cleaned up.')
    },
  })
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error('purchase-sender demo:', error instanceof Error ? error.message : error)
      process.exit(1)
    },
  )
}
