/**
 * preview, send, report, history and resume through the real command line, against a real
 * MariaDB store and the Connectif simulator; Ctrl-C and kill -9 in the middle of a sending.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PurchaseCreation } from '../../main/core/purchases/purchase'
import {
  startConnectifSimulator,
  type ConnectifSimulator,
  type SimulatorAccount,
} from '../support/connectif-simulator'
import {
  createTestStore,
  databaseProfileFlags,
  historyCount,
  json,
  previewArgs,
  previewLines,
  readJsonLines,
  readReport,
  recordedResults,
  sendArgs,
  until,
  untilHistory,
  useCliHome,
  withLatency,
  type SendingJson,
  type TestStore,
} from './cli-harness'

const KEYS = {
  main: 'kid-main:send-secret',
  interrupt: 'kid-interrupt:send-secret',
  kill: 'kid-kill:send-secret',
} as const

const REPORT_HEADER =
  'order_id,order_reference,order_date,customer_email,total,result,http_status,error_code,message,response,attempts,sent_at,target,preparing'

let store: TestStore
let simulator: ConnectifSimulator
let ready: PurchaseCreation[]
let skipped: number
const home = useCliHome()
const { cli, cliWith, cliSignalled } = home

beforeAll(async () => {
  store = await createTestStore('cli_send', 202)
  ready = store.mappings.flatMap((mapping) =>
    mapping.result === 'ready' ? [mapping.purchase] : [],
  )
  skipped = store.mappings.length - ready.length
  // The signal tests' accounts know every contact and product already: one request per order,
  // so their pace is the simulator's latency alone (see SIGNALLED_RATE).
  const contacts = [...new Set(ready.map((purchase) => purchase.contactEmail))]
  const products = [
    ...new Set(ready.flatMap((purchase) => purchase.products.map((p) => p.productId))),
  ]
  simulator = await startConnectifSimulator({
    accounts: [
      {
        name: 'main',
        keys: [{ key: KEYS.main }],
        rateLimit: 100_000,
        authorisedDomains: ['shop.example.test'],
      },
      {
        name: 'interrupt',
        keys: [{ key: KEYS.interrupt }],
        rateLimit: 100_000,
        authorisedDomains: ['shop.example.test'],
        contacts,
        products,
      },
      {
        name: 'kill',
        keys: [{ key: KEYS.kill }],
        rateLimit: 100_000,
        authorisedDomains: ['shop.example.test'],
        contacts,
        products,
      },
    ],
  })
  home.env = {
    SEND_DB_PASSWORD: store.reader.password,
    MAIN_KEY: KEYS.main,
    INTERRUPT_KEY: KEYS.interrupt,
    KILL_KEY: KEYS.kill,
  }
  for (const [name, key] of [
    ['Main shop', 'MAIN_KEY'],
    ['Interrupt shop', 'INTERRUPT_KEY'],
    ['Kill shop', 'KILL_KEY'],
  ] as const) {
    const added = await cli(
      ...databaseProfileFlags(store, name, simulator.url, { password: 'SEND_DB_PASSWORD', key }),
    )
    expect(added.code, added.stderr).toBe(0)
  }
  expect(ready.length).toBeGreaterThan(10)
  expect(skipped).toBeGreaterThan(0)
})

afterAll(async () => {
  await simulator?.close()
  await store?.drop()
})

function account(name: keyof typeof KEYS): SimulatorAccount {
  return simulator.account(name)
}

describe('preview', () => {
  it('counts, maps and writes one line per order with the body send will POST', async () => {
    const out = join(home.dir, 'preview.jsonl')
    const run = await cli('--json', ...previewArgs(store, 'Main shop', out), '--rate-limit', '120')
    expect(run.code, run.stderr).toBe(0)
    const byStatus: Record<string, number> = Object.fromEntries(
      store.stateIds.map((id) => [String(id), 0]),
    )
    for (const mapping of store.mappings) byStatus[String(mapping.order.stateId)]! += 1
    expect(json(run)).toEqual({
      total: store.mappings.length,
      byStatus,
      ready: ready.length,
      skipped,
      estimatedSeconds: Math.ceil((ready.length / 120) * 60),
    })
    const lines = readJsonLines<Record<string, unknown>>(out)
    expect(lines).toHaveLength(store.mappings.length)
    const expected = previewLines(store.mappings)
    expect(lines).toEqual(expected)
    expect(historyCount(home.dir, 'sendings')).toBe(0)
    expect(simulator.stats().purchasesStored).toBe(0)
  })

  it('prints a readable summary for people', async () => {
    const run = await cli(...previewArgs(store, 'Main shop'))
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(new RegExp(`Ready to send: ${ready.length}`))
    expect(run.stdout).toMatch(new RegExp(`Would be skipped: ${skipped}`))
    expect(run.stdout).toMatch(/Estimated sending time at 100 requests\/min/)
  })
})

describe('send, report and history', () => {
  let first: SendingJson

  it('sends every ready order once, counts the skipped ones and exits 0', async () => {
    const run = await cli('--json', ...sendArgs(store, 'Main shop', 6000))
    expect(run.code, run.stderr).toBe(0)
    first = json<SendingJson>(run)
    expect(first).toMatchObject({
      state: 'completed',
      total: store.mappings.length,
      created: ready.length,
      alreadyExisted: 0,
      failed: 0,
      skipped,
    })
    expect(first.startedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    expect(first.finishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    // Progress and logs went to stderr only.
    expect(run.stderr).toMatch(new RegExp(`Sending #${first.sendingId} started`))
    // The account had none of the shop's contacts and products: imported before sending.
    expect(run.stderr).toMatch(/Importing [\d,]+ contacts…/)
    expect(
      first.imports?.map(({ account, type, status, notice }) => [account, type, status, notice]),
    ).toEqual([
      ['main', 'contacts', 'finished', null],
      ['main', 'products', 'finished', null],
    ])
    expect(account('main').stats.contactRequests + account('main').stats.productRequests).toBe(0)

    const purchases = account('main').purchases
    expect(purchases.size).toBe(ready.length)
    for (const purchase of ready) {
      // What preview --out shows is exactly what was POSTed.
      expect(purchases.get(purchase.purchaseId)?.body).toEqual(purchase)
      expect(purchases.get(purchase.purchaseId)?.triggerPurchaseEvent).toBe(false)
    }
  })

  it('sends the same range again: everything already exists, which counts as done', async () => {
    const run = await cli('--json', ...sendArgs(store, 'Main shop', 6000))
    expect(run.code, run.stderr).toBe(0)
    const second = json<SendingJson>(run)
    expect(second).toMatchObject({
      state: 'completed',
      total: store.mappings.length,
      created: 0,
      alreadyExisted: ready.length,
      failed: 0,
      skipped,
    })
    expect(account('main').purchases.size).toBe(ready.length)
    for (const count of account('main').creations.values()) expect(count).toBe(1)

    const out = join(home.dir, 'second.csv')
    const report = await cli('--json', 'report', String(second.sendingId), '--out', out)
    expect(report.code, report.stderr).toBe(0)
    expect(json(report)).toMatchObject({ rows: store.mappings.length, all: false })
    const text = readFileSync(out, 'utf8')
    expect(text.startsWith('\uFEFF')).toBe(true)
    const records = text.slice(1).trimEnd().split('\r\n')
    expect(records[0]).toBe(REPORT_HEADER)
    const already = records.filter((line) => line.includes(',already_exists,409,'))
    expect(already).toHaveLength(ready.length)
    for (const line of already) expect(line).toMatch(/"\{""status"":409,.*already exists/)
    expect(records.filter((line) => line.includes(',skipped,'))).toHaveLength(skipped)
  })

  it('reports only the orders not created by default, every order with --all', async () => {
    const out = join(home.dir, 'first.csv')
    const byDefault = await cli('report', String(first.sendingId), '--out', out)
    expect(byDefault.code, byDefault.stderr).toBe(0)
    expect(byDefault.stdout).toMatch(new RegExp(`Wrote ${skipped} orders`))
    let records = readReport(out)
    expect(records).toHaveLength(1 + skipped)
    expect(records.slice(1).every((line) => line.includes(',skipped,'))).toBe(true)

    // The named file is replaced: scripts rerun the same command.
    const all = await cli('report', String(first.sendingId), '--out', out, '--all')
    expect(all.code, all.stderr).toBe(0)
    records = readReport(out)
    expect(records).toHaveLength(1 + store.mappings.length)
    expect(records.filter((line) => line.includes(',created,201,'))).toHaveLength(ready.length)
  })

  it('lists the sendings newest first, with their profile, range and statuses', async () => {
    const run = await cli('--json', 'history', '--profile', 'Main shop')
    expect(run.code, run.stderr).toBe(0)
    const rows = json<(SendingJson & Record<string, unknown>)[]>(run)
    expect(rows).toHaveLength(2)
    expect(rows[1]).toEqual({
      ...first,
      alreadySent: 0,
      origin: 'manual',
      profile: 'Main shop',
      from: store.range.from,
      to: store.range.to,
      statuses: [...store.stateIds].sort((a, b) => a - b),
    })
    expect(rows[0]!.sendingId).toBeGreaterThan(first.sendingId)
    const human = await cli('history')
    expect(human.stdout.split('\n')[0]).toMatch(/^ID\s+Started\s+Profile\s+Range/)
  })
})

/**
 * The pace of the signalled sendings: as fast as the command line allows. A resume keeps the pace
 * recorded at the start, so a slow one would slow the resume too; the first run is kept slow
 * enough to be signalled half-way by the simulator's latency instead (SIGNALLED_LATENCY_MS).
 */
const SIGNALLED_RATE = 60_000
/**
 * Each answer of the signalled runs is this late: the sending's workers wait on Connectif, a few
 * rounds of them at least before the last order, while the signal lands at once.
 */
const SIGNALLED_LATENCY_MS = 300

/** Resolves once the account holds at least `count` purchases. */
function untilPurchases(name: keyof typeof KEYS, count: number): Promise<void> {
  return until(
    () => account(name).purchases.size >= count,
    `${name}: fewer than ${count} purchases after 60 s`,
  )
}

function expectEveryOrderCreatedOnce(name: keyof typeof KEYS): void {
  const target = account(name)
  expect([...target.purchases.keys()].sort()).toEqual(
    ready.map((purchase) => purchase.purchaseId).sort(),
  )
  for (const count of target.creations.values()) expect(count).toBe(1)
}

describe('stopping and resuming', () => {
  it(
    'Ctrl-C saves the sending (exit 130) and resume finishes it',
    { timeout: 120_000 },
    async () => {
      let atSignal = 0
      const run = await withLatency(simulator, SIGNALLED_LATENCY_MS, () =>
        cliSignalled(
          ['--json', ...sendArgs(store, 'Interrupt shop', SIGNALLED_RATE)],
          'SIGINT',
          async () => {
            await untilPurchases('interrupt', 2)
            atSignal = account('interrupt').purchases.size
          },
        ),
      )
      // Signalled half-way: some orders had reached Connectif, not all.
      expect(atSignal).toBeLessThan(ready.length)
      expect(run.code, run.stderr).toBe(130)
      const stopped = json<SendingJson>(run)
      expect(stopped.state).toBe('interrupted')
      // The requests in flight were answered and recorded before it stopped; no more were made.
      expect(stopped.created).toBeGreaterThan(0)
      expect(stopped.created).toBeLessThan(ready.length)
      expect(stopped.created).toBe(account('interrupt').purchases.size)
      expect(run.stderr).toMatch(new RegExp(`resume ${stopped.sendingId}`))

      const resumed = await cli('--json', 'resume', String(stopped.sendingId))
      expect(resumed.code, resumed.stderr).toBe(0)
      const done = json<SendingJson>(resumed)
      expect(done).toMatchObject({
        sendingId: stopped.sendingId,
        state: 'completed',
        skipped,
        failed: 0,
      })
      expect(done.created + done.alreadyExisted).toBe(ready.length)
      expectEveryOrderCreatedOnce('interrupt')

      const again = await cli('resume', String(stopped.sendingId))
      expect(again.code).toBe(2)
      expect(again.stderr).toMatch(/is completed/)
    },
  )

  it(
    'after a kill -9, the sending shows as interrupted and resume sends each order once',
    { timeout: 120_000 },
    async () => {
      let atKill = 0
      const run = await withLatency(simulator, SIGNALLED_LATENCY_MS, () =>
        cliSignalled(sendArgs(store, 'Kill shop', SIGNALLED_RATE), 'SIGKILL', async () => {
          // Killed once some answers are recorded, with more requests on their way: past the
          // first order, which is sent alone to learn whether the account needs imports.
          await untilHistory(
            home.dir,
            (db) => (recordedResults(db, 'Kill shop')['created'] ?? 0) > 1,
            'Kill shop: no creation recorded after 60 s',
          )
          atKill = account('kill').purchases.size
        }),
      )
      expect(run.signal).toBe('SIGKILL')
      expect(atKill).toBeLessThan(ready.length)

      const history = json<(SendingJson & { profile: string })[]>(
        await cli('--json', 'history', '--profile', 'Kill shop'),
      )
      expect(history).toHaveLength(1)
      expect(history[0]!.state).toBe('interrupted')
      const id = history[0]!.sendingId

      const resumed = await cli('--json', 'resume', String(id))
      expect(resumed.code, resumed.stderr).toBe(0)
      const done = json<SendingJson>(resumed)
      expect(done).toMatchObject({ state: 'completed', skipped, failed: 0 })
      expect(done.created + done.alreadyExisted).toBe(ready.length)
      // The requests in flight at the kill reached Connectif, their answers did not: resumed,
      // they are answered 409 and count as done, not created twice.
      expect(done.alreadyExisted).toBeGreaterThan(0)
      expectEveryOrderCreatedOnce('kill')
    },
  )
})

describe('fatal errors: exit 3 with the reason', () => {
  it('stops at once when Connectif refuses the key', async () => {
    const run = await cliWith({ KILL_KEY: 'kid-kill:wrong' }, [
      '--json',
      ...sendArgs(store, 'Kill shop', 6000),
    ])
    expect(run.code).toBe(3)
    expect(json<SendingJson>(run)).toMatchObject({ state: 'failed', created: 0 })
    expect(run.stderr).toMatch(/Connectif refused the API key \(401\)/)
    // Resuming before the key is corrected would fail the same way.
    expect(run.stderr).toMatch(/Correct the profile first, then finish it with: .*resume \d+/)
  })

  it('says why the store cannot be read, and records nothing', async () => {
    const sendings = historyCount(home.dir, 'sendings')
    const run = await cliWith({ SEND_DB_PASSWORD: 'wrong' }, sendArgs(store, 'Kill shop'))
    expect(run.code).toBe(3)
    expect(run.stderr).toMatch(/The store failed: The database refused the user/)
    expect(historyCount(home.dir, 'sendings')).toBe(sendings)
  })
})
