/**
 * `npm run bench:history [-- --orders 100000 --page 500 --batch 50 --size-orders 20000]`: runs a
 * sending's whole life
 * through the history (SQLite in a temporary folder) without a store or Connectif, and prints how
 * fast each step goes: recording the pages read, taking the pending orders and writing their
 * results back as the workers do, the counters the progress events read, the report's rows, and
 * the sending's page: a page of its orders (first, middle, last; filtered, searched, sorted), one
 * order, its results over time, and every order read in pages as `purchase-sender orders` does.
 *
 * Then the history's size: a sending of `--size-orders` orders with payloads and answers of a real
 * size (a purchase of two or three products with their names, links and categories; Connectif's
 * answer echoes it), and the bytes the history takes per order sent (database file and WAL after
 * a checkpoint), then after retention removed their payloads and answers, and how long erasing one
 * customer (which rebuilds the file) takes.
 *
 * The counters are checked against the rows at the end, so a fast but wrong history shows as an
 * error rather than a figure.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { HistoryStore } from '../main/core/history/history-store'
import type { NewOrderRow, OrderResultUpdate } from '../main/core/history/history-types'
import type { OrderPageQuery } from '../main/core/history/order-queries'
import { benchAnswer, benchOrder, createBenchSending } from './bench-history-fixture'

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '100000' },
    page: { type: 'string', default: '500' },
    batch: { type: 'string', default: '50' },
    'size-orders': { type: 'string', default: '20000' },
  },
})

function positive(name: string, text: string): number {
  const value = Number.parseInt(text, 10)
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`--${name} must be a positive number, not "${text}"`)
  return value
}

/** Runs `body` `runs` times: the median and the slowest run, in milliseconds. */
function timedMany(runs: number, body: () => unknown): { median: number; max: number } {
  const times: number[] = []
  for (let run = 0; run < runs; run++) {
    const started = performance.now()
    body()
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  return { median: times[Math.floor(runs / 2)]!, max: times[runs - 1]! }
}

/** Runs `body` and returns its result with the seconds it took. */
function timed<T>(body: () => T): { value: T; seconds: number } {
  const started = performance.now()
  const value = body()
  return { value, seconds: (performance.now() - started) / 1000 }
}

const perSecond = (count: number, seconds: number): string =>
  Math.round(count / Math.max(seconds, 1e-9)).toLocaleString('en')

async function main(): Promise<void> {
  const orderCount = positive('orders', values.orders)
  const pageSize = positive('page', values.page)
  const batchSize = positive('batch', values.batch)
  const home = await mkdtemp(join(tmpdir(), 'purchase-sender-bench-history-'))
  const store = HistoryStore.open(join(home, 'history.sqlite3'))
  try {
    const id = createBenchSending(store, orderCount)

    // Pages are built before the clock starts: the figure is the history's, not the generator's.
    const pages: NewOrderRow[][] = []
    for (let first = 1; first <= orderCount; first += pageSize) {
      const last = Math.min(orderCount, first + pageSize - 1)
      pages.push(Array.from({ length: last - first + 1 }, (_, index) => benchOrder(first + index)))
    }
    const recorded = timed(() => {
      let rows = 0
      pages.forEach((page, index) => {
        const last = page[page.length - 1]!
        rows += store.recordOrders(
          id,
          page,
          { placedAt: last.orderDate, orderId: last.orderId },
          index === pages.length - 1,
        )
      })
      return rows
    })

    const sent = timed(() => {
      let rows = 0
      let after = 0
      for (;;) {
        const batch = store.pendingOrders(id, batchSize, after)
        if (batch.length === 0) return rows
        after = batch[batch.length - 1]!.orderId
        rows += store.writeResults(
          id,
          batch.map((row) => benchAnswer(row.orderId)),
        )
      }
    })

    const countReads = 200
    const counted = timed(() => {
      let counts = store.counts(id)
      for (let read = 1; read < countReads; read++) counts = store.counts(id)
      return counts
    })

    const fromRows = { created: 0, already_exists: 0, failed: 0, skipped: 0, pending: 0 }
    const reported = timed(() => {
      let rows = 0
      for (const row of store.reportRows(id, { all: true })) {
        fromRows[row.result]++
        rows++
      }
      return rows
    })
    const problems = timed(() => [...store.reportRows(id, { all: false })].length)

    // The sending's page, as the screens ask for it (pages of 50) and as the command line reads
    // every order (keyset pages of 500).
    const pageSizeShown = 50
    const lastPage = Math.floor((orderCount - 1) / pageSizeShown)
    const failedTotal = store.counts(id).failed
    const pageOf = (query: Partial<OrderPageQuery> & { page?: number }) => () =>
      store.orderPage(id, {
        ...query,
        limit: pageSizeShown,
        offset: (query.page ?? 0) * pageSizeShown,
      })
    const pageRuns = 20
    const pageCases: [string, () => unknown][] = [
      ['page, first', pageOf({})],
      ['page, middle', pageOf({ page: Math.floor(lastPage / 2) })],
      ['page, last', pageOf({ page: lastPage })],
      ['failed, first page', pageOf({ result: 'failed' })],
      [
        'failed, last page',
        pageOf({ result: 'failed', page: Math.floor((failedTotal - 1) / pageSizeShown) }),
      ],
      ['search e-mail', pageOf({ search: 'CUSTOMER4242@' })],
      ['search reference part', pageOf({ search: 'ref777' })],
      // Matches every order: past the few-matches shortcut, the sort's index is walked.
      [
        'search all, middle page',
        pageOf({ search: 'example.com', page: Math.floor(lastPage / 2) }),
      ],
      ['search order id', pageOf({ search: String(Math.floor(orderCount / 3)) })],
      ['sentAt desc, first page', pageOf({ sort: { field: 'sentAt', direction: 'desc' } })],
      [
        'sentAt desc, last page',
        pageOf({ sort: { field: 'sentAt', direction: 'desc' }, page: lastPage }),
      ],
      [
        'orderDate desc, middle page',
        pageOf({ sort: { field: 'orderDate', direction: 'desc' }, page: Math.floor(lastPage / 2) }),
      ],
      ['attempts desc, first page', pageOf({ sort: { field: 'attempts', direction: 'desc' } })],
      [
        'failed by sentAt desc, last',
        pageOf({
          result: 'failed',
          sort: { field: 'sentAt', direction: 'desc' },
          page: Math.floor((failedTotal - 1) / pageSizeShown),
        }),
      ],
      ['order detail', () => store.orderDetail(id, Math.floor(orderCount / 2))],
      ['timeline', () => store.resultTimeline(id)],
    ]
    const pageTimes = pageCases.map(([name, body]) => ({ name, ...timedMany(pageRuns, body) }))
    const streamed = timed(() => {
      let rows = 0
      let after = 0
      for (;;) {
        const page = store.orderPage(id, { limit: 500, afterOrderId: after }).rows
        rows += page.length
        const last = page[page.length - 1]
        if (last === undefined || page.length < 500) return rows
        after = last.orderId
      }
    })

    const counts = counted.value
    const agree =
      counts.total === orderCount &&
      counts.pending === 0 &&
      counts.created === fromRows.created &&
      counts.alreadyExisted === fromRows.already_exists &&
      counts.failed === fromRows.failed &&
      counts.skipped === fromRows.skipped &&
      reported.value === orderCount &&
      streamed.value === orderCount
    if (!agree)
      throw new Error(
        `the counters disagree with the rows: ${JSON.stringify(counts)} against ${JSON.stringify(fromRows)}`,
      )

    console.log(
      `History benchmark (SQLite, ${orderCount.toLocaleString('en')} orders, pages of ${pageSize}, batches of ${batchSize})`,
    )
    console.log(
      `  recordOrders                 : ${recorded.value} rows in ${recorded.seconds.toFixed(2)} s, ${perSecond(recorded.value, recorded.seconds)} rows/s`,
    )
    console.log(
      `  pendingOrders + writeResults : ${sent.value} rows in ${sent.seconds.toFixed(2)} s, ${perSecond(sent.value, sent.seconds)} rows/s`,
    )
    console.log(
      `  counts (progress events)     : ${((counted.seconds * 1000) / countReads).toFixed(3)} ms a read`,
    )
    console.log(
      `  report rows, all             : ${reported.value} rows in ${reported.seconds.toFixed(2)} s, ${perSecond(reported.value, reported.seconds)} rows/s`,
    )
    console.log(
      `  report rows, not created     : ${problems.value} rows in ${problems.seconds.toFixed(2)} s, ${perSecond(problems.value, problems.seconds)} rows/s`,
    )
    console.log(
      `  orders read as the CLI does  : ${streamed.value} rows in ${streamed.seconds.toFixed(2)} s (keyset pages of 500), ${perSecond(streamed.value, streamed.seconds)} rows/s`,
    )
    console.log(
      `  sending's page (pages of ${pageSizeShown}; median and slowest of ${pageRuns} runs):`,
    )
    for (const time of pageTimes)
      console.log(
        `    ${time.name.padEnd(28)}: ${time.median.toFixed(2)} ms (slowest ${time.max.toFixed(2)} ms)`,
      )
    console.log(
      `  counters                     : ${counts.created} created, ${counts.alreadyExisted} already existed, ${counts.failed} failed, ${counts.skipped} skipped (match the rows)`,
    )
  } finally {
    store.close()
    await rm(home, { recursive: true, force: true })
  }
}

const DAY_MS = 86_400_000

/** An order as the engine records it: its purchase and contact, as sent (order-delivery.ts). */
function sizedOrder(orderId: number): NewOrderRow {
  const base = benchOrder(orderId)
  if (base.result === 'skipped') return base
  const lines = 2 + (orderId % 2)
  const products = Array.from({ length: lines }, (_, line) => {
    const productId = String(1 + ((orderId * 7 + line * 13) % 900))
    return {
      productId,
      name: `Camiseta de algodón orgánico modelo ${productId} - Talla M - Color azul marino`,
      unitPrice: 24.95,
      quantity: 1 + (line % 2),
      price: 24.95 * (1 + (line % 2)),
      unitPriceWithoutVAT: 20.62,
      productDetailUrl: `https://www.tienda-ejemplo.es/es/camisetas/${productId}-camiseta-algodon-organico.html`,
      imageUrl: `https://www.tienda-ejemplo.es/${productId}-large_default/camiseta-algodon-organico.jpg`,
      categories: ['Ropa', 'Camisetas', 'Algodón orgánico'],
      brand: 'Tienda Ejemplo',
    }
  })
  const payload = {
    purchase: {
      purchaseId: String(orderId),
      cartId: String(orderId + 500_000),
      contactEmail: base.customerEmail,
      purchaseDate: base.orderDate,
      paymentMethod: 'Tarjeta de crédito',
      totalPrice: Number(base.total),
      totalQuantity: lines + 1,
      products,
    },
    contact: { email: base.customerEmail, firstname: 'Ana', lastname: 'García López' },
  }
  return { ...base, payload: JSON.stringify(payload) }
}

/** Connectif's answer to a created purchase: the purchase with its ids (the simulator's shape). */
function sizedAnswer(order: NewOrderRow): OrderResultUpdate {
  const answer = benchAnswer(order.orderId)
  if (answer.result !== 'created' || order.payload === null) return answer
  const { purchase } = JSON.parse(order.payload) as {
    purchase: { products: Record<string, unknown>[] }
  }
  const id = order.orderId.toString(16).padStart(24, '0')
  return {
    ...answer,
    response: JSON.stringify({
      ...purchase,
      products: purchase.products.map((product, index) => ({ id: `${id}${index}`, ...product })),
      id,
      contactId: `c${id}`.slice(0, 24),
      createdAt: answer.sentAt,
      updatedAt: answer.sentAt,
    }),
  }
}

/** The bytes the history takes per order sent, before and after retention (see the top). */
async function sizeBench(orderCount: number): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), 'purchase-sender-bench-size-'))
  const file = join(home, 'history.sqlite3')
  let now = Date.UTC(2025, 2, 1, 10)
  const clock = { now: () => now, sleep: () => Promise.resolve() }
  let store = HistoryStore.open(file, { clock })
  try {
    const id = createBenchSending(store, orderCount)
    for (let first = 1; first <= orderCount; first += 500) {
      const rows = Array.from({ length: Math.min(500, orderCount - first + 1) }, (_, index) =>
        sizedOrder(first + index),
      )
      const last = rows[rows.length - 1]!
      store.recordOrders(
        id,
        rows,
        { placedAt: last.orderDate, orderId: last.orderId },
        last.orderId === orderCount,
      )
      for (let start = 0; start < rows.length; start += 50)
        store.writeResults(
          id,
          rows
            .slice(start, start + 50)
            .filter((row) => row.result === 'pending')
            .map(sizedAnswer),
        )
    }
    store.finishSending(id, 'completed_with_errors')
    // Closing checkpoints the WAL into the file and removes it: what the history keeps for good.
    store.close()
    store = HistoryStore.open(file, { clock })
    const sent = store.historyBytes()
    now += 2 * DAY_MS
    const retention = timed(() => store.applyRetention(1))
    const after = store.historyBytes()
    const forget = timed(() => store.forgetCustomer('customer.4242@example.com'))
    const perOrder = (bytes: number): string => Math.round(bytes / orderCount).toLocaleString('en')
    const mb = (bytes: number): string => `${(bytes / 1_000_000).toFixed(1)} MB`
    console.log(
      `History size (${orderCount.toLocaleString('en')} orders with payloads and answers of a real size)`,
    )
    console.log(
      `  after sending                : ${perOrder(sent.database + sent.wal)} bytes per order (${mb(sent.database + sent.wal)}: file ${mb(sent.database)}, WAL ${mb(sent.wal)}, after a checkpoint)`,
    )
    console.log(
      `  after retention              : ${perOrder(after.database + after.wal)} bytes per order (${mb(after.database + after.wal)}; ${retention.value.orders} orders lightened in ${retention.seconds.toFixed(2)} s, ${retention.value.vacuumed ? 'file rebuilt' : 'file not rebuilt'})`,
    )
    console.log(
      `  forget one customer          : ${forget.seconds.toFixed(2)} s (${forget.value.orders} order; the file rebuilt, its WAL emptied)`,
    )
  } finally {
    store.close()
    await rm(home, { recursive: true, force: true })
  }
}

main()
  .then(() => sizeBench(positive('size-orders', values['size-orders'])))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  })
