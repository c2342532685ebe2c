/**
 * The "send page" half of `npm run bench:read`: what the send page asks main, as the desktop
 * app's service answers it, on one profile's kept store session (main/app/store-sessions.ts), over
 * the seeded one-year range. The first call opens the session (timed on its own); each read is
 * then timed warm, several times: the date rules, the statuses (with the store's order days) and
 * their counts, the weekly counts, a range's reads as the page asks them once the range is picked
 * (counts and weeks at once), and the summary of a skip-sent sending; then, once, the expected
 * skips the confirmation reads (every order of the range mapped, on a store of its own). Prints
 * one JSON object of milliseconds (medians) on stdout.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAppContext, openStoreOf } from '../main/app/app-context'
import { expectedSkips } from '../main/app/preview-use-case'
import { EnvironmentSecretStore } from '../main/app/secret-store'
import {
  countOrders,
  lookupStore,
  sendingRules,
  summariseSending,
  weeklyCounts,
} from '../main/app/store-use-cases'
import { systemClock } from '../main/core/clock'
import { HistoryStore } from '../main/core/history/history-store'
import type { ProfileInput } from '../main/core/profiles/profile-types'

const YEAR = { from: '2025-01-01', to: '2025-12-31' }
const RUNS = 5
/** A fixed "today" shortly after the seeded year, so its dates keep the sending rules. */
const TODAY = Date.parse('2026-01-15T12:00:00Z')

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return Number((sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(1))
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await work()
  return performance.now() - started
}

export async function measureSendPageReads(
  source: 'database' | 'webservice',
  address: string,
  key: string,
): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), 'purchase-sender-bench-send-page-'))
  const history = HistoryStore.open(join(home, 'history.sqlite3'))
  const url = new URL(address)
  let opens = 0
  const env = {
    BENCH_DB_PASSWORD: decodeURIComponent(url.password),
    BENCH_WS_KEY: key,
    BENCH_CONNECTIF_KEY: 'bench-account:secret',
  }
  const context = createAppContext({
    history,
    secrets: new EnvironmentSecretStore({
      env,
      requiredPrefix: null,
      profile: (id) => history.profiles.get(id),
    }),
    clock: { now: () => TODAY, sleep: systemClock.sleep },
    keepStoreSessions: true,
    openStore: (settings, secret) => {
      opens += 1
      return openStoreOf(settings, secret)
    },
  })
  const input: ProfileInput = {
    name: 'Bench',
    source:
      source === 'webservice'
        ? { kind: 'webservice', url: address, keyEnv: 'BENCH_WS_KEY', keyInUrl: false }
        : {
            kind: 'database',
            host: url.hostname,
            port: Number(url.port || 3306),
            user: decodeURIComponent(url.username),
            database: url.pathname.slice(1),
            tablePrefix: 'ps_',
            ssl: false,
            // A user without a password names no variable (an empty one is refused as a mistake).
            passwordEnv: url.password === '' ? null : 'BENCH_DB_PASSWORD',
          },
    connectif: { apiUrl: 'https://api.connectif.cloud', keyEnv: 'BENCH_CONNECTIF_KEY' },
    shopIds: [],
    languageIso: null,
    defaultStateIds: [],
  }
  const profile = context.profiles.create(input)
  try {
    const opening = await timed(() => lookupStore(context, profile))
    const stateIds = (await lookupStore(context, profile)).states.map((state) => state.id)
    const steps: Record<string, () => Promise<unknown>> = {
      rules: () => sendingRules(context, profile, YEAR),
      statusesAndCounts: () =>
        Promise.all([
          lookupStore(context, profile),
          countOrders(context, profile, YEAR.from, YEAR.to),
        ]),
      weeklyCounts: () => weeklyCounts(context, profile, YEAR.from, YEAR.to),
      rangeReads: () =>
        Promise.all([
          countOrders(context, profile, YEAR.from, YEAR.to),
          weeklyCounts(context, profile, YEAR.from, YEAR.to),
        ]),
      summary: () =>
        summariseSending(context, profile, { ...YEAR, stateIds, rateLimit: 300, skipSent: true }),
    }
    const result: Record<string, number> = { openingMs: Number(opening.toFixed(1)) }
    for (const [name, step] of Object.entries(steps)) {
      const times: number[] = []
      for (let run = 0; run < RUNS; run++) times.push(await timed(step))
      result[`${name}Ms`] = median(times)
    }
    // Every read ran on the one store opened first.
    result['storesOpened'] = opens
    // Every order of the year mapped: once, on a store of its own (not the session's).
    result['expectedSkipsMs'] = Number(
      (await timed(() => expectedSkips(context, profile, { ...YEAR, stateIds }))).toFixed(1),
    )
    console.log(JSON.stringify(result))
  } finally {
    await context.storeSessions?.closeAll()
    history.close()
    await rm(home, { recursive: true, force: true })
  }
}
