/**
 * `npm run bench [-- --orders 20000 --rate 6000 --latency 30 --first-days 30]`: sends N orders
 * (about three lines each) from a PrestaShop database to the Connectif simulator, its rate limit
 * scaled up so the run takes minutes instead of hours, and prints how much of the limit the
 * sending used, the share of 429 answers, requests per purchase, peak memory and wall time, for an
 * account that already has the shop's contacts and products. Then a first sending of the last
 * `--first-days` days to accounts that have none, creating them through the Import API and, for
 * comparison, one by one as before; then the naive baseline: one unpaced request at a time, as a
 * simple module would send.
 *
 * The sending runs in a bundled child process so the seeding and the simulator, which live here,
 * do not count towards its memory.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { DateTime } from 'luxon'
import { startConnectifSimulator } from '../tests/support/connectif-simulator'
import { acquireMysqlServer, createTestDatabase } from '../tests/support/mysql-server'
import { createPrestaShopSchema } from '../tests/support/prestashop/schema-builder'
import { generateStore } from '../tests/support/prestashop/store-generator'
import { bundleForNode } from './bundle-for-node'
import type { BenchSendConfig } from './bench-send-worker'
import type { SimulatorAccount } from '../tests/support/connectif-simulator'

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '20000' },
    rate: { type: 'string', default: '6000' },
    latency: { type: 'string', default: '30' },
    'baseline-seconds': { type: 'string', default: '60' },
    'first-days': { type: 'string', default: '30' },
  },
})

function positive(name: string, text: string): number {
  const value = Number.parseInt(text, 10)
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`--${name} must be a positive number, not "${text}"`)
  return value
}

const API_KEY = 'bench:secret'
const BASELINE_KEY = 'baseline:secret'
const FIRST_KEY = 'first:secret'
const ONE_BY_ONE_KEY = 'one-by-one:secret'

async function main(): Promise<void> {
  const orderCount = positive('orders', values.orders)
  const rate = positive('rate', values.rate)
  const latencyMs = Number.parseInt(values.latency, 10)
  const baselineSeconds = positive('baseline-seconds', values['baseline-seconds'])
  const firstDays = positive('first-days', values['first-days'])
  const today = DateTime.now().setZone('Europe/Madrid')
  const range = {
    from: today.minus({ days: 360 }).toISODate() ?? '',
    to: today.minus({ days: 1 }).toISODate() ?? '',
  }
  const firstRange = { from: today.minus({ days: firstDays }).toISODate() ?? '', to: range.to }

  const server = await acquireMysqlServer({ log: (message) => console.error(`[mysql] ${message}`) })
  const db = await createTestDatabase('bench_send', { serverUrl: server.url })
  const home = await mkdtemp(join(tmpdir(), 'purchase-sender-bench-'))
  try {
    console.error(`Seeding ${orderCount} orders…`)
    const fixture = generateStore({
      version: '8.2.0',
      seed: 11,
      orderCount,
      linesPerOrder: [2, 4],
      dateWindow: range,
      chronological: true,
      edgeCases: false,
    })
    await createPrestaShopSchema(db.admin, { version: '8.2.0', prefix: 'ps_' })
    await fixture.load(db.admin)

    // Contacts and products already in Connectif, as for a shop whose catalogue is synchronised.
    const contacts = new Set<string>()
    const products = new Set<string>()
    for (const order of fixture.orders()) {
      if (order.customer) contacts.add(order.customer.email.trim())
      for (const line of order.lines) products.add(String(line.productId))
    }
    const account = (name: string, key: string, known = true) => ({
      name,
      keys: [{ key }],
      authorisedDomains: ['example.test'],
      contacts: known ? [...contacts] : [],
      products: known ? [...products] : [],
      rateLimit: rate,
      rateWindowMs: 60_000,
    })
    const simulator = await startConnectifSimulator({
      accounts: [
        account('bench', API_KEY),
        account('baseline', BASELINE_KEY),
        // First sendings: accounts without any of the shop's contacts and products.
        account('first', FIRST_KEY, false),
        account('one-by-one', ONE_BY_ONE_KEY, false),
      ],
      faults: { latencyMs },
      // Connectif's pace for imports is not published: a second in the queue, then 2,000 rows
      // a second, so the imports take seconds as the sendings at this scaled-up rate do.
      imports: { queuedMs: 1_000, rowsPerSecond: 2_000 },
    })
    try {
      const worker = await bundleForNode(
        new URL('./bench-send-worker.ts', import.meta.url),
        new URL('../out/bench', import.meta.url),
        'bench-send-worker.js',
      )
      const config: BenchSendConfig = {
        database: {
          host: db.host,
          port: db.port,
          user: db.user,
          password: db.password,
          database: db.database,
          tablePrefix: 'ps_',
        },
        connectifUrl: simulator.url,
        cases: [
          { kind: 'engine', apiKey: API_KEY, ...range, bulkImports: true },
          { kind: 'first-imports', apiKey: FIRST_KEY, ...firstRange, bulkImports: true },
          { kind: 'first-one-by-one', apiKey: ONE_BY_ONE_KEY, ...firstRange, bulkImports: false },
        ],
        baselineApiKey: BASELINE_KEY,
        rateLimit: rate,
        home,
        ...range,
        baselineSeconds,
      }
      console.error(`Sending at up to ${rate} requests/min with ${latencyMs} ms latency…`)
      const lines = await runWorker(worker, config)
      const line = (kind: string): EngineLine => {
        const found = lines.find((candidate) => candidate['kind'] === kind)
        if (!found) throw new Error(`the benchmark worker did not report ${kind}`)
        return found as unknown as EngineLine
      }
      const engine = line('engine')
      const withImports = line('first-imports')
      const oneByOne = line('first-one-by-one')
      const baseline = lines.find((line) => line['kind'] === 'baseline') as BaselineLine | undefined
      if (!baseline) throw new Error('the benchmark worker did not report')

      const stats = simulator.account('bench').stats
      const requests = stats.counted + stats.rateLimited
      const minutes = engine.seconds / 60
      // The limit used while purchases were being sent, once the range was read and imported.
      const sendingMinutes = (engine.seconds - engine.preparingSeconds) / 60
      const purchasesPerMinute = engine.counts.created / minutes
      const baselinePerMinute = baseline.created / (baseline.seconds / 60)
      const ready = engine.counts.created + engine.counts.alreadyExisted + engine.counts.failed
      console.log('Sending benchmark (PrestaShop 8.2 database → Connectif simulator)')
      console.log('Contacts and products already in Connectif')
      console.log(
        `  orders                  : ${engine.counts.total} (${engine.counts.created} created, ${engine.counts.skipped} skipped, ${engine.counts.failed} failed), state ${engine.state}`,
      )
      console.log(
        `  wall time               : ${engine.seconds.toFixed(1)} s (${engine.preparingSeconds.toFixed(1)} s of it reading the range and importing, + ${engine.prepareSeconds.toFixed(1)} s to check and count)`,
      )
      console.log(
        `  purchases per minute    : ${purchasesPerMinute.toFixed(0)} of a ${rate}/min limit`,
      )
      console.log(
        `  utilisation             : ${((100 * (stats.counted - stats.importRequests)) / (rate * sendingMinutes)).toFixed(1)} % while sending, ${((100 * stats.counted) / (rate * minutes)).toFixed(1)} % over the whole run   (target ≥ 99 %)`,
      )
      console.log(
        `  imports                 : ${importsText(engine)}; ${stats.importRequests} import requests`,
      )
      console.log(
        `  429 answers             : ${stats.rateLimited} of ${requests} requests, ${((100 * stats.rateLimited) / Math.max(1, requests)).toFixed(2)} %   (target ≤ 1 %)`,
      )
      console.log(
        `  requests per purchase   : ${(requests / Math.max(1, ready)).toFixed(3)}   (target ≤ 1.01)`,
      )
      console.log(
        `  peak RSS                : ${engine.peakRssMb.toFixed(1)} MB   (target < 250 MB)`,
      )
      console.log(
        `First sending to an account without the shop's contacts and products (last ${firstDays} days)`,
      )
      printFirstSending('imported in bulk', withImports, simulator.account('first'))
      printFirstSending('one by one       ', oneByOne, simulator.account('one-by-one'))
      console.log('Naive baseline (one unpaced request at a time)')
      console.log(
        `  sent                    : ${baseline.sent} in ${baseline.seconds.toFixed(1)} s (${baseline.rateLimited} answered 429)`,
      )
      console.log(
        `  purchases per minute    : ${baselinePerMinute.toFixed(0)} (${((100 * baselinePerMinute) / rate).toFixed(1)} % of the limit)`,
      )
      console.log(
        `  time for ${engine.counts.created} purchases : ${((engine.counts.created / baselinePerMinute) * 60).toFixed(0)} s at that pace, against ${engine.seconds.toFixed(0)} s`,
      )
    } finally {
      await simulator.close()
    }
  } finally {
    await rm(home, { recursive: true, force: true })
    await db.drop()
    await server.release()
  }
}

interface EngineLine {
  readonly kind: string
  readonly state: string
  readonly counts: {
    total: number
    created: number
    alreadyExisted: number
    failed: number
    skipped: number
  }
  readonly prepareSeconds: number
  readonly seconds: number
  readonly preparingSeconds: number
  readonly imports: readonly {
    type: string
    items: number
    status: string
    notice: string | null
  }[]
  readonly peakRssMb: number
}

function importsText(engine: EngineLine): string {
  return engine.imports.length === 0
    ? 'none'
    : engine.imports
        .map(
          (record) =>
            `${record.items} ${record.type} ${record.status}${record.notice ? ` (${record.notice})` : ''}`,
        )
        .join(', ')
}

/** A first sending's cost: requests of each kind per purchase, and whether each was created once. */
function printFirstSending(label: string, engine: EngineLine, account: SimulatorAccount): void {
  const stats = account.stats
  const created = engine.counts.created
  const once =
    account.purchases.size === created && [...account.creations.values()].every((n) => n === 1)
  console.log(
    `  ${label}: ${(stats.counted / Math.max(1, created)).toFixed(3)} requests per purchase (${stats.counted} for ${created} purchases: ${stats.purchaseRequests} purchase POSTs, ${stats.contactRequests} contact PATCHes, ${stats.productRequests} product PATCHes, ${stats.importRequests} import requests), ${stats.rateLimited} answered 429, ${once ? 'every purchase created once' : 'NOT every purchase created once'}; ${engine.seconds.toFixed(1)} s (${engine.preparingSeconds.toFixed(1)} s preparing), state ${engine.state}`,
  )
  if (engine.imports.length > 0) console.log(`    imports: ${importsText(engine)}`)
}

interface BaselineLine {
  readonly kind: 'baseline'
  readonly sent: number
  readonly created: number
  readonly rateLimited: number
  readonly seconds: number
}

function runWorker(worker: string, config: BenchSendConfig): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let text = ''
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`the benchmark worker exited with ${code}`))
        return
      }
      resolve(
        text
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      )
    })
  })
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
