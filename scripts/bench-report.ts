/**
 * `npm run bench:report [-- --orders 100000]`: writes the CSV report of a sending of 100,000
 * orders (every order, `--all`) the ways the app does, and prints how long each took and how much
 * memory the process needed:
 *
 * - `report:save`: the desktop app's save, from the history to a file (writeReport's sink is a
 *   file write stream, through a temporary file);
 * - `HTTP GET`: browser mode's download, streamed by the web host to a client saving it to a file;
 * - `in memory`: the report built as one string, as the screens got it before reports were
 *   streamed (for comparison).
 *
 * Each runs in a fresh process over the same history (built first, outside the figures), so one's
 * peak does not hide another's: the resident set size (RSS) before the report, its peak while the
 * report is written (sampled every 5 ms, and the kernel's maxRSS), and the growth.
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createAppService, type AppService } from '../main/app/app-service'
import { EnvironmentSecretStore } from '../main/app/secret-store'
import { historyDatabasePath } from '../main/core/history/data-directory'
import { HistoryStore } from '../main/core/history/history-store'
import type { NewOrderRow } from '../main/core/history/history-types'
import { startWebHost } from '../main/web/web-host'
import { benchAnswer, benchOrder, createBenchSending } from './bench-history-fixture'
import { TOKEN_HEADER } from '../preload/contract'

const MODES = ['save', 'http', 'memory'] as const
type Mode = (typeof MODES)[number]

const LABELS: Record<Mode, string> = {
  save: 'report:save to a file',
  http: 'HTTP GET to a file',
  memory: 'in memory (before)',
}

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '100000' },
    child: { type: 'string' },
    home: { type: 'string' },
    sending: { type: 'string' },
  },
})

interface Measure {
  readonly mode: Mode
  readonly rows: number
  readonly bytes: number
  readonly seconds: number
  readonly rssBefore: number
  readonly rssPeak: number
  readonly maxRssBefore: number
  readonly maxRssAfter: number
}

const MB = 1024 * 1024

// --- The history: one sending of `orders` orders, every one answered --------------------------

function buildHistory(home: string, orders: number): number {
  const store = HistoryStore.open(historyDatabasePath(home))
  try {
    const id = createBenchSending(store, orders)
    for (let first = 1; first <= orders; first += 500) {
      const page = Array.from({ length: Math.min(500, orders - first + 1) }, (_, index) =>
        benchOrder(first + index),
      )
      const last = page[page.length - 1] as NewOrderRow
      store.recordOrders(
        id,
        page,
        { placedAt: last.orderDate, orderId: last.orderId },
        last.orderId === orders,
      )
      store.writeResults(
        id,
        page.filter((row) => row.result === 'pending').map((row) => benchAnswer(row.orderId)),
      )
    }
    store.finishSending(id, 'completed_with_errors')
    return id
  } finally {
    store.close()
  }
}

// --- One measure, in a process of its own ------------------------------------------------------

function download(port: number, token: string, path: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { [TOKEN_HEADER]: token } },
      (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`HTTP ${response.statusCode}`))
          response.resume()
          return
        }
        pipeline(response, createWriteStream(file)).then(resolve, reject)
      },
    )
    req.on('error', reject)
    req.end()
  })
}

/** The rows of the bench's CSV file: one line each (none of its cells holds a line break). */
async function countRows(file: string): Promise<number> {
  let lines = 0
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>)
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++
  return lines - 1
}

/** Writes the report one way; its rows (null when only the file can tell) and bytes. */
async function write(
  mode: Mode,
  service: AppService,
  sendingId: number,
  target: string,
  port: number,
  token: string,
): Promise<{ rows: number | null; bytes: number }> {
  if (mode === 'save') {
    const saved = await service.channels['report:save']({ sendingId, all: true })
    if (!saved.ok || !saved.data.saved) throw new Error(JSON.stringify(saved))
    return { rows: saved.data.rows, bytes: (await stat(target)).size }
  }
  if (mode === 'http') {
    await download(port, token, `/api/reports/${sendingId}.csv?all=1`, target)
    // The client sees bytes, not rows: counted after the clock stops (countRows).
    return { rows: null, bytes: (await stat(target)).size }
  }
  // What `report:export` did: every chunk kept, then one string for the screens.
  const chunks: Buffer[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk)
      callback()
    },
  })
  const prepared = service.prepareReport(sendingId, { all: true })
  if (!prepared.ok) throw new Error(prepared.error.message)
  const { rows } = await prepared.data.write(sink)
  const csv = Buffer.concat(chunks).toString('utf8')
  return { rows, bytes: Buffer.byteLength(csv) }
}

async function measure(mode: Mode, home: string, sendingId: number): Promise<Measure> {
  const history = HistoryStore.open(historyDatabasePath(home))
  const target = join(home, `report-${mode}.csv`)
  const service = createAppService({
    history,
    secrets: new EnvironmentSecretStore({ env: {}, profile: () => null }),
    host: { mode: mode === 'http' ? 'browser' : 'electron', dataDirectory: home },
    reportDialog: { chooseReportPath: () => Promise.resolve(target) },
  })
  const token = randomBytes(24).toString('base64url')
  const host =
    mode === 'http'
      ? await startWebHost({ service, rendererDir: home, port: 0, host: '127.0.0.1', token })
      : null

  const rssBefore = process.memoryUsage.rss()
  const maxRssBefore = process.resourceUsage().maxRSS * 1024
  let rssPeak = rssBefore
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss())
  }, 5)
  const started = performance.now()
  const written = await write(mode, service, sendingId, target, host?.port ?? 0, token)
  const seconds = (performance.now() - started) / 1000
  clearInterval(sampler)
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss())
  const maxRssAfter = process.resourceUsage().maxRSS * 1024
  const rows = written.rows ?? (await countRows(target))
  await host?.close()
  await service.shutdown()
  history.close()
  return {
    mode,
    rows,
    bytes: written.bytes,
    seconds,
    rssBefore,
    rssPeak,
    maxRssBefore,
    maxRssAfter,
  }
}

function runChild(mode: Mode, home: string, sendingId: number): Measure {
  const script = fileURLToPath(import.meta.url)
  const run = spawnSync(
    process.execPath,
    [...process.execArgv, script, '--child', mode, '--home', home, '--sending', String(sendingId)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  )
  if (run.status !== 0) throw new Error(`the ${mode} measure failed (${run.status})`)
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as Measure
}

const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`

async function main(): Promise<void> {
  if (values.child !== undefined) {
    const mode = values.child as Mode
    if (!MODES.includes(mode) || !values.home || !values.sending)
      throw new Error('--child needs a mode, --home and --sending')
    console.log(JSON.stringify(await measure(mode, values.home, Number(values.sending))))
    return
  }
  const orders = Number.parseInt(values.orders, 10)
  if (!Number.isInteger(orders) || orders <= 0)
    throw new Error(`--orders must be a positive number, not "${values.orders}"`)
  const home = await mkdtemp(join(tmpdir(), 'purchase-sender-bench-report-'))
  try {
    const built = performance.now()
    const sendingId = buildHistory(home, orders)
    console.log(
      `Report benchmark: ${orders.toLocaleString('en')} orders, every order in the report (history built in ${((performance.now() - built) / 1000).toFixed(1)} s)`,
    )
    console.log(
      `  ${'way'.padEnd(24)} ${'rows'.padStart(8)} ${'size'.padStart(9)} ${'time'.padStart(7)} ${'RSS before'.padStart(11)} ${'peak RSS'.padStart(9)} ${'growth'.padStart(9)} ${'maxRSS before → after'.padStart(23)}`,
    )
    for (const mode of MODES) {
      const m = runChild(mode, home, sendingId)
      console.log(
        `  ${LABELS[mode].padEnd(24)} ${String(m.rows).padStart(8)} ${mb(m.bytes).padStart(9)} ${`${m.seconds.toFixed(2)} s`.padStart(7)} ${mb(m.rssBefore).padStart(11)} ${mb(m.rssPeak).padStart(9)} ${`+${mb(m.rssPeak - m.rssBefore)}`.padStart(9)} ${`${mb(m.maxRssBefore)} → ${mb(m.maxRssAfter)}`.padStart(23)}`,
      )
    }
  } finally {
    await rm(home, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
