/**
 * `npm run bench [-- --orders 20000 --rate 6000 --latency 30]`: sends N orders (about three lines
 * each) from a PrestaShop database to the Connectif simulator, its rate limit scaled up so the run
 * takes minutes instead of hours, and prints how much of the limit the sending used, the share of
 * 429 answers, requests per purchase, peak memory and wall time; then, in the same run, the naive
 * baseline: one unpaced request at a time, as a simple module would send.
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

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '20000' },
    rate: { type: 'string', default: '6000' },
    latency: { type: 'string', default: '30' },
    'baseline-seconds': { type: 'string', default: '60' },
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

async function main(): Promise<void> {
  const orderCount = positive('orders', values.orders)
  const rate = positive('rate', values.rate)
  const latencyMs = Number.parseInt(values.latency, 10)
  const baselineSeconds = positive('baseline-seconds', values['baseline-seconds'])
  const today = DateTime.now().setZone('Europe/Madrid')
  const range = {
    from: today.minus({ days: 360 }).toISODate() ?? '',
    to: today.minus({ days: 1 }).toISODate() ?? '',
  }

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
    const account = (name: string, key: string) => ({
      name,
      keys: [{ key }],
      authorisedDomains: ['example.test'],
      contacts: [...contacts],
      products: [...products],
      rateLimit: rate,
      rateWindowMs: 60_000,
    })
    const simulator = await startConnectifSimulator({
      accounts: [account('bench', API_KEY), account('baseline', BASELINE_KEY)],
      faults: { latencyMs },
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
        apiKey: API_KEY,
        baselineApiKey: BASELINE_KEY,
        rateLimit: rate,
        home,
        ...range,
        baselineSeconds,
      }
      console.error(`Sending at up to ${rate} requests/min with ${latencyMs} ms latency…`)
      const lines = await runWorker(worker, config)
      const engine = lines.find((line) => line['kind'] === 'engine') as EngineLine | undefined
      const baseline = lines.find((line) => line['kind'] === 'baseline') as BaselineLine | undefined
      if (!engine || !baseline) throw new Error('the benchmark worker did not report')

      const stats = simulator.account('bench').stats
      const requests = stats.counted + stats.rateLimited
      const minutes = engine.seconds / 60
      const purchasesPerMinute = engine.counts.created / minutes
      const baselinePerMinute = baseline.created / (baseline.seconds / 60)
      const ready = engine.counts.created + engine.counts.alreadyExisted + engine.counts.failed
      console.log('Sending benchmark (PrestaShop 8.2 database → Connectif simulator)')
      console.log(
        `  orders                  : ${engine.counts.total} (${engine.counts.created} created, ${engine.counts.skipped} skipped, ${engine.counts.failed} failed), state ${engine.state}`,
      )
      console.log(
        `  wall time               : ${engine.seconds.toFixed(1)} s sending (+ ${engine.prepareSeconds.toFixed(1)} s to check and count)`,
      )
      console.log(
        `  purchases per minute    : ${purchasesPerMinute.toFixed(0)} of a ${rate}/min limit`,
      )
      console.log(
        `  utilisation             : ${((100 * stats.counted) / (rate * minutes)).toFixed(1)} %   (target ≥ 95 %)`,
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
  readonly kind: 'engine'
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
  readonly peakRssMb: number
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
