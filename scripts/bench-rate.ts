/**
 * `npm run bench:rate [-- --seconds 8 --limit 10 --latency 30 --workers 4]`: several sendings of
 * one account push purchases through the Connectif client to the simulator, whose fixed 1 s
 * windows allow `--limit` requests each, for `--seconds` of real time; then prints how much of the
 * limit they used and the share of 429 answers.
 *
 * The unit tests check the same on a virtual clock, where the figures cannot depend on the
 * machine; this measures them on the real one, with its timer lag and network round trips.
 */
import { parseArgs } from 'node:util'
import { createConnectifClient } from '../main/core/connectif/connectif-client'
import type { PurchaseCreation } from '../main/core/purchases/purchase'
import { startConnectifSimulator } from '../tests/support/connectif-simulator'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    limit: { type: 'string', default: '10' },
    latency: { type: 'string', default: '30' },
    workers: { type: 'string', default: '4' },
  },
})

function positive(name: string, text: string): number {
  const value = Number.parseInt(text, 10)
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`--${name} must be a positive number, not "${text}"`)
  return value
}

const API_KEY = 'bench:secret'

function purchase(purchaseId: string): PurchaseCreation {
  return {
    purchaseId,
    cartId: purchaseId,
    contactEmail: 'ana@example.com',
    purchaseDate: '2024-05-01T10:00:00+02:00',
    totalPrice: 10,
    totalQuantity: 1,
    products: [
      {
        productId: '1',
        name: 'Mug',
        unitPrice: 10,
        quantity: 1,
        price: 10,
        unitPriceWithoutVAT: 8,
        productDetailUrl: 'https://shop.example/mug',
      },
    ],
  }
}

async function main(): Promise<void> {
  const seconds = positive('seconds', values.seconds)
  const limitPerSecond = positive('limit', values.limit)
  const latencyMs = Number.parseInt(values.latency, 10)
  if (!Number.isInteger(latencyMs) || latencyMs < 0)
    throw new Error(`--latency must be a number of milliseconds, not "${values.latency}"`)
  const workers = positive('workers', values.workers)

  const simulator = await startConnectifSimulator({
    accounts: [
      {
        name: 'bench',
        keys: [{ key: API_KEY }],
        contacts: ['ana@example.com'],
        products: ['1'],
        rateLimit: limitPerSecond,
        rateWindowMs: 1_000,
      },
    ],
    faults: { latencyMs },
  })
  try {
    const api = createConnectifClient({
      account: { apiUrl: simulator.url, apiKey: API_KEY },
      requestsPerMinute: limitPerSecond * 60,
    })
    console.error(
      `Sending for ${seconds} s at up to ${limitPerSecond} requests/s, ${workers} sendings, ${latencyMs} ms latency…`,
    )
    const durationMs = seconds * 1_000
    const started = performance.now()
    let next = 0
    let failed = 0
    const worker = async (): Promise<void> => {
      while (performance.now() - started < durationMs) {
        next += 1
        const result = await api.createPurchase(purchase(`p${next}`), {
          triggerPurchaseEvent: false,
        })
        if (result.outcome.kind !== 'created') failed += 1
      }
    }
    await Promise.all(Array.from({ length: workers }, () => worker()))
    const elapsedS = (performance.now() - started) / 1000

    const stats = simulator.stats()
    const accepted = stats.requests - stats.rateLimited
    const utilisation = accepted / (elapsedS * limitPerSecond)
    const rateLimitedShare = stats.rateLimited / Math.max(1, stats.requests)
    console.log('Rate-limit benchmark (Connectif client → simulator, real clock)')
    console.log(
      `  limit                   : ${limitPerSecond} requests per 1 s window, ${workers} sendings, ${latencyMs} ms latency`,
    )
    console.log(`  wall time               : ${elapsedS.toFixed(2)} s`)
    console.log(
      `  accepted requests       : ${accepted} (${stats.purchasesStored} purchases stored, ${failed} not created)`,
    )
    console.log(`  utilisation             : ${(utilisation * 100).toFixed(1)} %   (target ≥ 90 %)`)
    console.log(
      `  429 answers             : ${stats.rateLimited} of ${stats.requests} requests, ${(rateLimitedShare * 100).toFixed(2)} %   (target ≤ 1 %)`,
    )
  } finally {
    await simulator.close()
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
