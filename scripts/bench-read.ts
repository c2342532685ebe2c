/**
 * `npm run bench:read [-- --orders 100000] [--source database|webservice|both]`: seeds a
 * PrestaShop 8.2 store with N orders (about three lines each) and measures each reader plus the
 * purchase mapping: orders per second, peak memory, and how long the preview count of a
 * one-year range takes; then what the send page asks on a warm store session, each source
 * (bench-send-page-reads.ts). The Webservice reader reads the same store through the Webservice
 * simulator, so its figure includes the simulator's own work on the same two cores.
 *
 * The reading runs in a child process of its own so the seeding (which builds rows in memory)
 * does not count towards its peak RSS.
 */
import { spawn } from 'node:child_process'
import { parseArgs } from 'node:util'
import { bundleForNode } from './bundle-for-node'
import { acquireMysqlServer, createTestDatabase } from '../tests/support/mysql-server'
import { createPrestaShopSchema } from '../tests/support/prestashop/schema-builder'
import { generateStore } from '../tests/support/prestashop/store-generator'
import { startWebserviceSimulator } from '../tests/support/prestashop/webservice-simulator'

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '100000' },
    source: { type: 'string', default: 'both' },
  },
})

const YEAR = { from: '2025-01-01', to: '2025-12-31' }

async function main(): Promise<void> {
  const orderCount = Number.parseInt(values.orders, 10)
  if (!Number.isInteger(orderCount) || orderCount <= 0)
    throw new Error(`--orders must be a positive number, not "${values.orders}"`)
  if (!['database', 'webservice', 'both'].includes(values.source))
    throw new Error(`--source must be database, webservice or both, not "${values.source}"`)
  const server = await acquireMysqlServer({ log: (message) => console.error(`[mysql] ${message}`) })
  const db = await createTestDatabase('bench_read', { serverUrl: server.url })
  try {
    const fixture = generateStore({
      version: '8.2.0',
      seed: 7,
      orderCount,
      linesPerOrder: [2, 4],
      dateWindow: YEAR,
      chronological: true,
    })
    console.error(`Seeding ${orderCount} orders…`)
    const seedStarted = performance.now()
    await createPrestaShopSchema(db.admin, { version: '8.2.0', prefix: 'ps_' })
    await fixture.load(db.admin)
    console.error(
      `Seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s; reading in a fresh process…`,
    )

    const worker = await bundleForNode(
      new URL('./bench-read-worker.ts', import.meta.url),
      new URL('../out/bench', import.meta.url),
      'bench-read-worker.js',
    )
    const runWorker = (args: string[]): Promise<Record<string, number>> =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, [worker, ...args], {
          stdio: ['ignore', 'pipe', 'inherit'],
        })
        let text = ''
        child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()))
        child.on('error', reject)
        child.on('exit', (code) =>
          code === 0 ? resolve(text) : reject(new Error(`reader exited with ${code}`)),
        )
      }).then((output) => JSON.parse(output.trim()) as Record<string, number>)

    const sendPage: Record<string, Record<string, number>> = {}
    if (values.source !== 'webservice') {
      report(
        'Database reader benchmark (PrestaShop 8.2, one shop)',
        await runWorker(['database', db.url]),
      )
      sendPage['database'] = await runWorker(['page', 'database', db.url])
    }
    if (values.source !== 'database') {
      const address = new URL(db.url)
      const simulator = await startWebserviceSimulator({
        database: {
          host: address.hostname,
          port: Number(address.port || 3306),
          user: decodeURIComponent(address.username),
          password: decodeURIComponent(address.password),
          database: address.pathname.slice(1),
        },
        version: '8.2.0',
      })
      try {
        const result = await runWorker(['webservice', simulator.url, simulator.key])
        report(
          'Webservice reader benchmark (PrestaShop 8.2 Webservice simulator, one shop)',
          result,
        )
        console.log(
          `  requests               : ${result['requests']} (${(((result['requests'] ?? 0) / (result['orders'] || 1)) * 100).toFixed(1)} per 100 orders)`,
        )
        sendPage['webservice'] = await runWorker([
          'page',
          'webservice',
          simulator.url,
          simulator.key,
        ])
      } finally {
        await simulator.close()
      }
    }
    reportSendPage(sendPage)
  } finally {
    await db.drop()
    await server.release()
  }
}

function report(title: string, result: Record<string, number>): void {
  console.log(title)
  console.log(
    `  orders read and mapped : ${result['orders']} (${result['lines']} lines, ${result['ready']} ready to send)`,
  )
  console.log(`  time                   : ${result['seconds']} s`)
  console.log(
    `  throughput             : ${result['ordersPerSecond']} orders/s   (target ≥ 10,000 for the database)`,
  )
  console.log(`  peak RSS               : ${result['peakRssMb']} MB   (target < 200 MB)`)
  console.log(
    `  one-year preview count : ${result['previewCountMs']} ms for ${result['previewCountTotal']} orders   (target < 1,000 ms for the database)`,
  )
}

const SEND_PAGE_READS: readonly [string, string][] = [
  ['openingMs', 'opening the store (first read)'],
  ['rulesMs', 'date rules'],
  ['statusesAndCountsMs', 'statuses with counts'],
  ['weeklyCountsMs', 'weekly counts'],
  ['rangeReadsMs', 'a range picked (counts and weeks)'],
  ['summaryMs', 'summary (skip sent)'],
  ['expectedSkipsMs', 'expected skips (once, cold)'],
]

/** The send page's reads side by side for each source measured, in milliseconds (medians of 5). */
function reportSendPage(results: Record<string, Record<string, number>>): void {
  const sources = Object.keys(results)
  if (sources.length === 0) return
  const cell = (value: string) => value.padStart(12)
  console.log('Send page reads on a warm store session (one-year range, median of 5 runs, ms)')
  console.log(`  ${''.padEnd(34)}${sources.map(cell).join('')}`)
  for (const [key, label] of SEND_PAGE_READS)
    console.log(
      `  ${label.padEnd(34)}${sources.map((source) => cell(String(results[source]?.[key] ?? '—'))).join('')}`,
    )
  console.log(
    `  ${'stores opened'.padEnd(34)}${sources.map((source) => cell(String(results[source]?.['storesOpened'] ?? '—'))).join('')}`,
  )
  console.log(
    '  targets: every warm read < 300 ms through the database, < 2,000 ms through the Webservice',
  )
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
