/**
 * The measuring half of `npm run bench:read`, bundled and run by plain Node in a process of its
 * own, so that neither the seeding nor a TypeScript loader counts towards its memory.
 */
import { openDatabaseStore } from '../main/core/store/database/database-store'
import { mapOrderToPurchase } from '../main/core/purchases/order-to-purchase'

const YEAR = { from: '2025-01-01', to: '2025-12-31' }

async function measureRead(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl)
  const store = await openDatabaseStore({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1),
    tablePrefix: 'ps_',
  })
  try {
    const countStarted = performance.now()
    const counts = await store.countOrders({ range: YEAR })
    const countMs = performance.now() - countStarted

    const states = (await store.orderStates()).map((state) => state.id)
    let orders = 0
    let lines = 0
    let ready = 0
    let peakRss = process.memoryUsage().rss
    const started = performance.now()
    for await (const page of store.readOrders({ range: YEAR, stateIds: states })) {
      for (const order of page) {
        lines += order.lines.length
        if (mapOrderToPurchase(order).result === 'ready') ready++
      }
      orders += page.length
      peakRss = Math.max(peakRss, process.memoryUsage().rss)
    }
    const seconds = (performance.now() - started) / 1000
    const maxRssMb = Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1024 / 1024
    console.log(
      JSON.stringify({
        orders,
        lines,
        ready,
        seconds: Number(seconds.toFixed(2)),
        ordersPerSecond: Math.round(orders / seconds),
        peakRssMb: Number(maxRssMb.toFixed(1)),
        previewCountMs: Number(countMs.toFixed(1)),
        previewCountTotal: counts.total,
      }),
    )
  } finally {
    await store.close()
  }
}

const databaseUrl = process.argv[2]
if (!databaseUrl) {
  console.error('usage: bench-read-worker DATABASE_URL')
  process.exitCode = 2
} else {
  measureRead(databaseUrl).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  })
}
