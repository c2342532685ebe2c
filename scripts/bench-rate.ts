/**
 * `npm run bench:rate [-- --seconds 8 --limit 10 --window 1 --latency 30 --workers 4]`: several
 * sendings of one account push purchases through the Connectif client to the simulator, whose
 * fixed windows of `--window` seconds allow `--limit` requests each, for `--seconds` of real time;
 * then prints how much of the limit they used and the share of 429 answers.
 *
 * `--other 0.3` adds another integration of the account (the live shop's Connectif module), with
 * its own key, sending steadily at that share of the limit throughout: then it prints how much
 * of what that integration leaves the sendings used, and how many of its requests were refused.
 * Its defaults are Connectif's window scaled down, 100 requests per 10 s window, for 60 s: the
 * margin left to the other integration is a share of what it uses in a window, which a 1 s
 * window of 10 requests cannot express.
 *
 * The unit tests check the same on a virtual clock, where the figures cannot depend on the
 * machine; this measures them on the real one, with its timer lag and network round trips.
 */
import { parseArgs } from 'node:util'
import { createConnectifClient } from '../main/core/connectif/connectif-client'
import type { PurchaseCreation } from '../main/core/purchases/purchase'
import { systemClock } from '../main/core/clock'
import { startConnectifSimulator } from '../tests/support/connectif-simulator'
import { startOtherConsumer } from '../tests/support/other-consumer'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    limit: { type: 'string' },
    latency: { type: 'string', default: '30' },
    workers: { type: 'string', default: '4' },
    other: { type: 'string', default: '0' },
    window: { type: 'string' },
  },
})

function positive(name: string, text: string): number {
  const value = Number.parseInt(text, 10)
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`--${name} must be a positive number, not "${text}"`)
  return value
}

const API_KEY = 'bench:secret'
const OTHER_KEY = 'live-shop:secret'

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
  const otherShare = Number(values.other)
  if (!Number.isFinite(otherShare) || otherShare < 0 || otherShare >= 1)
    throw new Error(`--other must be a share of the limit from 0 to below 1, not "${values.other}"`)
  const shared = otherShare > 0
  const seconds = positive('seconds', values.seconds ?? (shared ? '60' : '8'))
  const perWindow = positive('limit', values.limit ?? (shared ? '100' : '10'))
  const windowSeconds = positive('window', values.window ?? (shared ? '10' : '1'))
  const perSecond = perWindow / windowSeconds
  const latencyMs = Number.parseInt(values.latency, 10)
  if (!Number.isInteger(latencyMs) || latencyMs < 0)
    throw new Error(`--latency must be a number of milliseconds, not "${values.latency}"`)
  const workers = positive('workers', values.workers)

  const simulator = await startConnectifSimulator({
    accounts: [
      {
        name: 'bench',
        keys: [{ key: API_KEY }, { key: OTHER_KEY }],
        contacts: ['ana@example.com'],
        products: ['1'],
        rateLimit: perWindow,
        rateWindowMs: windowSeconds * 1_000,
      },
    ],
    faults: { latencyMs },
  })
  try {
    const api = createConnectifClient({
      account: { apiUrl: simulator.url, apiKey: API_KEY },
      requestsPerMinute: perSecond * 60,
    })
    console.error(
      `Sending for ${seconds} s at up to ${perWindow} requests per ${windowSeconds} s, ${workers} sendings, ${latencyMs} ms latency${otherShare > 0 ? `, another integration at ${Math.round(otherShare * 100)} % of the limit` : ''}…`,
    )
    const other = shared
      ? startOtherConsumer({
          url: simulator.url,
          apiKey: OTHER_KEY,
          requestsPerMinute: otherShare * perSecond * 60,
          clock: systemClock,
        })
      : null
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
    await other?.stop()

    const stats = simulator.stats()
    const theirs = other?.stats() ?? { answered: 0, rateLimited: 0, failed: 0 }
    const ourRequests = stats.requests - theirs.answered - theirs.failed
    const ourRateLimited = stats.rateLimited - theirs.rateLimited
    const accepted = ourRequests - ourRateLimited
    const utilisation = accepted / (elapsedS * perSecond)
    const rateLimitedShare = ourRateLimited / Math.max(1, ourRequests)
    console.log('Rate-limit benchmark (Connectif client → simulator, real clock)')
    console.log(
      `  limit                   : ${perWindow} requests per ${windowSeconds} s window, ${workers} sendings, ${latencyMs} ms latency`,
    )
    console.log(`  wall time               : ${elapsedS.toFixed(2)} s`)
    console.log(
      `  accepted requests       : ${accepted} (${stats.purchasesStored} purchases stored, ${failed} not created)`,
    )
    console.log(
      `  utilisation             : ${(utilisation * 100).toFixed(1)} %   ${shared ? '(of the whole limit: the other integration had its share)' : '(target ≥ 90 %)'}`,
    )
    console.log(
      `  429 answers             : ${ourRateLimited} of ${ourRequests} requests, ${(rateLimitedShare * 100).toFixed(2)} %   (target ≤ 1 %)`,
    )
    if (other !== null) {
      const theirsAccepted = theirs.answered - theirs.rateLimited
      const left = elapsedS * perSecond - theirsAccepted
      console.log(
        `  other integration       : ${theirs.answered} requests at ${Math.round(otherShare * 100)} % of the limit, ${theirs.rateLimited} answered 429 (${((theirs.rateLimited / Math.max(1, theirs.answered)) * 100).toFixed(2)} %)   (target ≤ 1 %)`,
      )
      console.log(
        `  our share of what it left: ${((accepted / left) * 100).toFixed(1)} %   (target ≥ 80 %)`,
      )
    }
  } finally {
    await simulator.close()
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
