/**
 * The measuring half of `npm run bench`, bundled and run by plain Node in a process of its own:
 * real sendings through the engine — to an account that has the shop's contacts and products,
 * then first sendings to accounts that have none (imported in bulk, and one by one) — then the
 * naive baseline, each reported as one JSON line.
 */
import { join } from 'node:path'
import { systemClock } from '../main/core/clock'
import { createConnectifClient } from '../main/core/connectif/connectif-client'
import { HistoryStore } from '../main/core/history/history-store'
import { mapOrderToPurchase } from '../main/core/purchases/order-to-purchase'
import type { PurchaseCreation } from '../main/core/purchases/purchase'
import { prepareSending, runSending } from '../main/core/sending/sending-engine'
import type { EngineDependencies } from '../main/core/sending/sending-engine'
import { openDatabaseStore } from '../main/core/store/database/database-store'
import type { DatabaseConnectionOptions } from '../main/core/store/database/database-connection'

/** One sending to measure. */
export interface BenchSendCase {
  /** Names the line it prints (`kind`). */
  readonly kind: string
  readonly apiKey: string
  readonly from: string
  readonly to: string
  /** False: contacts and products one by one as purchases find them missing (no import). */
  readonly bulkImports: boolean
}

export interface BenchSendConfig {
  readonly database: DatabaseConnectionOptions
  readonly connectifUrl: string
  readonly cases: readonly BenchSendCase[]
  readonly baselineApiKey: string
  readonly rateLimit: number
  readonly home: string
  readonly from: string
  readonly to: string
  readonly baselineSeconds: number
}

const config = JSON.parse(process.argv[2] ?? '{}') as BenchSendConfig

let peakRss = 0
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss)
}, 100)

async function engineRun(history: HistoryStore, bench: BenchSendCase): Promise<void> {
  const profile = history.profiles.create({
    name: `Benchmark ${bench.kind}`,
    source: {
      kind: 'database',
      host: config.database.host,
      port: config.database.port,
      user: config.database.user,
      database: config.database.database,
      tablePrefix: config.database.tablePrefix,
      ssl: false,
      passwordEnv: null,
    },
    connectif: { apiUrl: config.connectifUrl, keyEnv: 'CONNECTIF_KEY' },
    shopIds: [],
    languageIso: null,
    defaultStateIds: [],
  })
  const deps: EngineDependencies = {
    history,
    openStore: () => openDatabaseStore(config.database),
    connectif: (_account, { onWait }) =>
      createConnectifClient({
        account: { apiUrl: config.connectifUrl, apiKey: bench.apiKey },
        requestsPerMinute: config.rateLimit,
        onWait,
      }),
    clock: systemClock,
    pid: process.pid,
    bulkImports: bench.bulkImports,
  }
  const prepareStarted = performance.now()
  const store = await openDatabaseStore(config.database)
  const stateIds = (await store.orderStates()).map((state) => state.id)
  await store.close()
  const prepared = await prepareSending(deps, {
    profile,
    from: bench.from,
    to: bench.to,
    stateIds,
    mode: 'cli',
    options: {
      triggerWorkflows: false,
      createContacts: true,
      createProducts: true,
      rateLimit: config.rateLimit,
    },
  })
  const started = performance.now()
  // The end of the preparing step (reading the range, importing): the first progress after it.
  let sendingFrom: number | null = null
  const sending = await runSending(
    deps,
    prepared.sending.id,
    {
      onEvent: (event) => {
        if (event.type === 'preparing') sendingFrom = null
        else if (event.type === 'progress') sendingFrom ??= performance.now()
      },
    },
    prepared.store,
  )
  const finished = performance.now()
  peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024)
  console.log(
    JSON.stringify({
      kind: bench.kind,
      state: sending.state,
      counts: sending.counts,
      prepareSeconds: (started - prepareStarted) / 1000,
      seconds: (finished - started) / 1000,
      preparingSeconds: ((sendingFrom ?? started) - started) / 1000,
      imports: history.importsOf(sending.id).map((record) => ({
        type: record.type,
        items: record.items,
        status: record.status,
        notice: record.notice?.code ?? null,
      })),
      peakRssMb: peakRss / 1024 / 1024,
    }),
  )
}

/** What a simple module does: read the orders, then POST them one after another, unpaced. */
async function naiveBaseline(): Promise<void> {
  const store = await openDatabaseStore(config.database)
  const stateIds = (await store.orderStates()).map((state) => state.id)
  const purchases: PurchaseCreation[] = []
  for await (const page of store.readOrders({
    range: { from: config.from, to: config.to },
    stateIds,
  })) {
    for (const order of page) {
      const mapping = mapOrderToPurchase(order)
      if (mapping.result === 'ready') purchases.push(mapping.purchase)
    }
    if (purchases.length >= 20_000) break
  }
  await store.close()
  const started = performance.now()
  const deadline = started + config.baselineSeconds * 1000
  let sent = 0
  let created = 0
  let rateLimited = 0
  for (const purchase of purchases) {
    if (performance.now() >= deadline) break
    const response = await fetch(`${config.connectifUrl}/purchases/?triggerPurchaseEvent=false`, {
      method: 'POST',
      headers: {
        authorization: `apiKey ${config.baselineApiKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(purchase),
    })
    await response.text()
    sent++
    if (response.status === 201) created++
    if (response.status === 429) rateLimited++
  }
  console.log(
    JSON.stringify({
      kind: 'baseline',
      sent,
      created,
      rateLimited,
      seconds: (performance.now() - started) / 1000,
    }),
  )
}

try {
  const history = HistoryStore.open(join(config.home, 'history.sqlite3'))
  try {
    for (const bench of config.cases) await engineRun(history, bench)
  } finally {
    history.close()
  }
  await naiveBaseline()
} finally {
  clearInterval(sampler)
}
