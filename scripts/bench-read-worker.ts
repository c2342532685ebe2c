/**
 * The measuring half of `npm run bench:read`, bundled and run by plain Node in a process of its
 * own, so that neither the seeding, the Webservice simulator nor a TypeScript loader counts
 * towards its memory. `page` measures what the send page asks instead (bench-send-page-reads.ts).
 */
import { measureSendPageReads } from './bench-send-page-reads'
import { openDatabaseStore } from '../main/core/store/database/database-store'
import { openWebserviceStore } from '../main/core/store/webservice/webservice-store'
import type { StoreSource } from '../main/core/store/store-source'
import { mapOrderToPurchase } from '../main/core/purchases/order-to-purchase'

const YEAR = { from: '2025-01-01', to: '2025-12-31' }

async function openStore(source: string, address: string, key: string): Promise<StoreSource> {
  if (source === 'webservice') return openWebserviceStore({ url: address, key })
  const url = new URL(address)
  return openDatabaseStore({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1),
    tablePrefix: 'ps_',
  })
}

async function measureRead(source: string, address: string, key: string): Promise<void> {
  const store = await openStore(source, address, key)
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
        ...('requestCount' in store ? { requests: store.requestCount } : {}),
      }),
    )
  } finally {
    await store.close()
  }
}

const sendPage = process.argv[2] === 'page'
const [source, address, key = ''] = process.argv.slice(sendPage ? 3 : 2)
if ((source !== 'database' && source !== 'webservice') || !address) {
  console.error(
    'usage: bench-read-worker [page] database DATABASE_URL | [page] webservice SHOP_URL KEY',
  )
  process.exitCode = 2
} else {
  ;(sendPage
    ? measureSendPageReads(source, address, key)
    : measureRead(source, address, key)
  ).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  })
}
