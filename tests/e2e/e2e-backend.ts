/**
 * The e2e backend: a PrestaShop store in MariaDB (also served by the Webservice simulator, over
 * http://), the Connectif simulator, and the real browser-mode host (scripts/web.ts's wiring) over a history in a temporary folder. The tests get
 * the address and the store's settings through environment variables.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { createAppService } from '../../main/app/app-service'
import { EnvironmentSecretStore } from '../../main/app/secret-store'
import { HistoryStore } from '../../main/core/history/history-store'
import { startWebHost } from '../../main/web/web-host'
import { startConnectifSimulator } from '../support/connectif-simulator'
import { acquireMysqlServer, createTestDatabase } from '../support/mysql-server'
import { startWebserviceSimulator } from '../support/prestashop/webservice-simulator'
import { API_KEY, expectedOutcome, loadStore, shopAccount } from '../sending/engine-harness'
import { startConnectifControl } from './connectif-control'
import { OffsetClock, startSchedulerControl } from './scheduler-control'

export const E2E_ORDER_COUNT = 60
/** The key of a second Connectif account, for the orders paid in dollars (routing.spec.ts). */
const USD_KEY = 'purchase-sender-usd:secret'
/** The key of sending-page.spec.ts's own Connectif account. */
const PAGES_KEY = 'purchase-sender-pages:secret'
/**
 * The key of accessibility.spec.ts's own account on the main simulator: what it sends is never
 * "already sent" for the other specs' account.
 */
const A11Y_KEY = 'purchase-sender-a11y:secret'
/** keyboard.spec.ts's own account on the main simulator, for the same reason. */
const KEYBOARD_KEY = 'purchase-sender-keyboard:secret'
/**
 * running-sending.spec.ts's own account: its sending runs at one request a minute until it is
 * cancelled, and that account's rate limiter is no other spec's.
 */
const RUNNING_KEY = 'purchase-sender-running:secret'
/**
 * finished-dialog.spec.ts's own account on the main simulator: it lacks every other customer and
 * every third product, so a sending creates contacts and fails the orders of missing products.
 */
const OUTCOME_KEY = 'purchase-sender-outcome:secret'

export async function startE2eBackend(): Promise<() => Promise<void>> {
  const root = path.resolve(import.meta.dirname, '..', '..')
  // Another build of the renderer when E2E_RENDERER_DIR names one (a spec run beside a rebuild).
  const rendererDir = process.env['E2E_RENDERER_DIR'] ?? path.join(root, 'out', 'renderer')
  if (!existsSync(path.join(rendererDir, 'index.html')))
    execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' })

  const server = await acquireMysqlServer({ log: (message) => console.log(`[mysql] ${message}`) })
  const db = await createTestDatabase('e2e', { serverUrl: server.url })
  const fixture = await loadStore(db, E2E_ORDER_COUNT)
  const expected = expectedOutcome(fixture)
  const simulator = await startConnectifSimulator({
    accounts: [
      shopAccount('shop', API_KEY, expected),
      shopAccount('usd', USD_KEY, expected),
      shopAccount('a11y', A11Y_KEY, expected),
      shopAccount('keyboard', KEYBOARD_KEY, expected),
      shopAccount('running', RUNNING_KEY, expected),
      shopAccount(
        'outcome',
        OUTCOME_KEY,
        { ...expected, productIds: expected.productIds.filter((_id, index) => index % 3 !== 0) },
        expected.emails.filter((_email, index) => index % 2 === 0),
      ),
    ],
  })
  // sending-page.spec.ts's own Connectif, slowed down or completed through a test-only control
  // (connectif-control.ts) without touching the other specs' accounts: every other customer is
  // unknown there, so a sending that does not create contacts fails their orders.
  const pagesSimulator = await startConnectifSimulator({
    accounts: [
      shopAccount(
        'pages',
        PAGES_KEY,
        expected,
        expected.emails.filter((_email, index) => index % 2 === 0),
      ),
    ],
  })
  const pagesControl = await startConnectifControl(pagesSimulator, 'pages', expected.emails)

  // A read-only login, as a merchant would give; browser mode reads secrets from the environment.
  const reader = await db.createUser({ privileges: ['SELECT'] })
  process.env['PURCHASE_SENDER_E2E_DB_PASSWORD'] = reader.password
  // A password the database refuses (spanish-errors.spec.ts).
  process.env['PURCHASE_SENDER_E2E_DB_WRONG_PASSWORD'] = `${reader.password}-wrong`
  process.env['PURCHASE_SENDER_E2E_CONNECTIF_KEY'] = API_KEY
  process.env['PURCHASE_SENDER_E2E_CONNECTIF_USD_KEY'] = USD_KEY
  process.env['PURCHASE_SENDER_E2E_CONNECTIF_PAGES_KEY'] = PAGES_KEY
  process.env['PURCHASE_SENDER_E2E_CONNECTIF_A11Y_KEY'] = A11Y_KEY
  process.env['PURCHASE_SENDER_E2E_CONNECTIF_KEYBOARD_KEY'] = KEYBOARD_KEY
  process.env['PURCHASE_SENDER_E2E_CONNECTIF_RUNNING_KEY'] = RUNNING_KEY
  process.env['PURCHASE_SENDER_E2E_CONNECTIF_OUTCOME_KEY'] = OUTCOME_KEY
  // The same store through its Webservice (1.7.8.7, as loadStore generates it).
  const webservice = await startWebserviceSimulator({
    database: {
      host: db.host,
      port: db.port,
      user: db.user,
      password: db.password,
      database: db.database,
    },
    version: '1.7.8.7',
  })
  process.env['PURCHASE_SENDER_E2E_WS_KEY'] = webservice.key

  const home = await mkdtemp(path.join(tmpdir(), 'purchase-sender-e2e-'))
  const history = HistoryStore.open(path.join(home, 'history.sqlite3'))
  const secrets = new EnvironmentSecretStore({
    env: process.env,
    profile: (id) => history.profiles.list().find((profile) => profile.id === id) ?? null,
  })
  // The scheduler runs as in browser mode, on a clock schedule.spec.ts moves on (test-only).
  const schedulerClock = new OffsetClock()
  const service = createAppService({
    history,
    secrets,
    host: { mode: 'browser', dataDirectory: home },
    log: (message, error) => console.error(`[app] ${message}`, error),
    schedulerClock,
  })
  service.startScheduler()
  const schedulerControl = await startSchedulerControl(schedulerClock)
  const host = await startWebHost({
    service,
    rendererDir,
    port: 0,
    host: '127.0.0.1',
    token: randomBytes(24).toString('base64url'),
  })

  process.env['E2E_URL'] = host.url
  process.env['E2E_DB_HOST'] = db.host
  process.env['E2E_DB_PORT'] = String(db.port)
  process.env['E2E_DB_USER'] = reader.user
  process.env['E2E_DB_NAME'] = db.database
  process.env['E2E_CONNECTIF_URL'] = simulator.url
  process.env['E2E_PAGES_CONNECTIF_URL'] = pagesSimulator.url
  process.env['E2E_CONNECTIF_CONTROL_URL'] = pagesControl.url
  process.env['E2E_CONNECTIF_CONTROL_TOKEN'] = pagesControl.token
  process.env['E2E_WS_URL'] = webservice.url
  process.env['E2E_SCHEDULER_CONTROL_URL'] = schedulerControl.url
  process.env['E2E_SCHEDULER_CONTROL_TOKEN'] = schedulerControl.token

  return async () => {
    await service.shutdown()
    await schedulerControl.close()
    await host.close()
    history.close()
    await simulator.close()
    await pagesControl.close()
    await pagesSimulator.close()
    await webservice.close()
    await db.drop()
    await server.release()
    await rm(home, { recursive: true, force: true })
  }
}
