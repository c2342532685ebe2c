/**
 * `purchase-sender sync` through the real command line, against a real MariaDB store and the
 * Connectif simulator: runs repeated while the store changes (new orders, an order moving into a
 * selected status, one order already in Connectif through the shop's tracking tag), a busy
 * profile, invalid input, and a kill -9 in the middle of a sync.
 */
import { DateTime } from 'luxon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HistoryStore } from '../../main/core/history/history-store'
import type { PurchaseCreation } from '../../main/core/purchases/purchase'
import type { StoreOrder } from '../../main/core/store/store-source'
import {
  startConnectifSimulator,
  type ConnectifSimulator,
  type SimulatorAccount,
} from '../support/connectif-simulator'
import {
  createTestStore,
  databaseProfileFlags,
  historyCount,
  historyFile,
  json,
  recordedResults,
  untilHistory,
  useCliHome,
  withLatency,
  type SendingJson,
  type TestStore,
} from './cli-harness'

const KEYS = {
  main: 'kid-sync:sync-secret',
  kill: 'kid-sync-kill:sync-secret',
  busy: 'kid-sync-busy:sync-secret',
} as const
type AccountName = keyof typeof KEYS

/** The window every run here covers; the test store's orders reach 120 days back. */
const DAYS = 60
const ZONE = 'Europe/Madrid'

interface SyncJson extends SendingJson {
  alreadySent: number
  from: string
  to: string
}

let store: TestStore
let simulator: ConnectifSimulator
const home = useCliHome()
const { cli, cliSignalled } = home

/** The shop's calendar, as the sync computes its window. */
const today = (): DateTime => DateTime.now().setZone(ZONE)
const window = () => ({
  from: today()
    .minus({ days: DAYS - 1 })
    .toISODate() as string,
  to: today().toISODate() as string,
})

/** The statuses synced: every one but `held`, whose orders wait outside the selection. */
let held: number
let selected: number[]
/** Orders placed after the first runs: hidden out of the window until they "arrive". */
let arriving: StoreOrder[]
/** Where each arriving order really belongs (its date_add). */
const realDates = new Map<number, string>()
/** An order of the held status that moves into a selected one after the first runs. */
let moving: StoreOrder
/** An arriving order the shop's tracking tag had already sent to Connectif. */
let tracked: StoreOrder
/** How the store looks now. */
const storeState = { arrived: false, moved: false }

/** The body the engine sends for an order, null for one it skips (the harness maps them). */
const purchaseOf = (order: StoreOrder): PurchaseCreation | null => {
  const mapping = store.mappings[store.orders.indexOf(order)]
  return mapping?.result === 'ready' ? mapping.purchase : null
}

const inWindow = (order: StoreOrder): boolean => order.placedAt.slice(0, 10) >= window().from

/** The orders a sync reads now: in the window and in a selected status. */
function ordersSyncedNow(): StoreOrder[] {
  return store.orders.filter((order) => {
    if (!storeState.arrived && arriving.includes(order)) return false
    if (!inWindow(order)) return false
    if (order === moving) return storeState.moved
    return selected.includes(order.stateId)
  })
}

/** Ids (as Connectif's purchaseId) of the orders of a sync that can be sent. */
function sendableIds(): string[] {
  return ordersSyncedNow()
    .filter((order) => purchaseOf(order) !== null)
    .map((order) => String(order.id))
    .sort()
}

function skippedNow(): number {
  return ordersSyncedNow().filter((order) => purchaseOf(order) === null).length
}

function syncArgs(profile: string, ...more: string[]): string[] {
  return [
    'sync',
    '--profile',
    profile,
    '--days',
    String(DAYS),
    '--statuses',
    selected.join(','),
    // Fast, unless `more` says otherwise (the last --rate-limit counts).
    '--rate-limit',
    '6000',
    ...more,
  ]
}

function account(name: AccountName): SimulatorAccount {
  return simulator.account(name)
}

/**
 * What an account received during `action`: requests (but the imports of contacts and products a
 * sync makes before sending what is new), purchases created, 409s.
 */
async function observe<T>(
  name: AccountName,
  action: () => Promise<T>,
): Promise<{ result: T; requests: number; createdIds: string[]; duplicates: number }> {
  const target = account(name)
  const sent = (): number => target.stats.counted - target.stats.importRequests
  const before = { counted: sent(), duplicates: target.stats.duplicates }
  const known = new Set(target.purchases.keys())
  const result = await action()
  return {
    result,
    requests: sent() - before.counted,
    createdIds: [...target.purchases.keys()].filter((id) => !known.has(id)).sort(),
    duplicates: target.stats.duplicates - before.duplicates,
  }
}

function expectEachOnce(name: AccountName, ids: readonly string[]): void {
  const target = account(name)
  expect([...target.purchases.keys()].sort()).toEqual([...ids].sort())
  for (const id of ids) expect(target.creations.get(id), `purchase ${id}`).toBe(1)
}

beforeAll(async () => {
  store = await createTestStore('cli_sync', 313, { orderCount: 80 })
  const ready = store.orders.filter((order) => inWindow(order) && purchaseOf(order) !== null)
  // Hold back the status with the fewest sendable orders in the window (at least one).
  const byState = new Map<number, StoreOrder[]>()
  for (const order of ready)
    byState.set(order.stateId, [...(byState.get(order.stateId) ?? []), order])
  const [heldState, heldOrders] = [...byState.entries()].sort(
    (a, b) => a[1].length - b[1].length || a[0] - b[0],
  )[0] as [number, StoreOrder[]]
  held = heldState
  selected = store.stateIds.filter((id) => id !== held)
  moving = heldOrders[0] as StoreOrder
  arriving = ready.filter((order) => order.stateId !== held).slice(-3)
  tracked = arriving[1] as StoreOrder
  expect(arriving).toHaveLength(3)

  // The arriving orders are placed after the first runs: until then they sit a year back.
  const [rows] = await store.db.admin.query(
    `SELECT id_order, DATE_FORMAT(date_add, '%Y-%m-%d %H:%i:%s') AS placed FROM ps_orders
     WHERE id_order IN (?)`,
    [arriving.map((order) => order.id)],
  )
  for (const row of rows as { id_order: number; placed: string }[])
    realDates.set(Number(row.id_order), row.placed)
  await store.db.admin.query('UPDATE ps_orders SET date_add = ? WHERE id_order IN (?)', [
    `${today().minus({ days: 365 }).toISODate()} 12:00:00`,
    arriving.map((order) => order.id),
  ])

  // The accounts know every customer and product: one request per order sent.
  const purchases = store.mappings.flatMap((mapping) =>
    mapping.result === 'ready' ? [mapping.purchase] : [],
  )
  const contacts = [...new Set(purchases.map((purchase) => purchase.contactEmail))]
  const products = [
    ...new Set(purchases.flatMap((purchase) => purchase.products.map((p) => p.productId))),
  ]
  simulator = await startConnectifSimulator({
    accounts: (Object.keys(KEYS) as AccountName[]).map((name) => ({
      name,
      keys: [{ key: KEYS[name] }],
      rateLimit: 100_000,
      authorisedDomains: ['shop.example.test'],
      contacts,
      products,
    })),
  })
  home.env = {
    SYNC_DB_PASSWORD: store.reader.password,
    SYNC_KEY: KEYS.main,
    KILL_KEY: KEYS.kill,
    BUSY_KEY: KEYS.busy,
  }
  for (const [name, key] of [
    ['Sync shop', 'SYNC_KEY'],
    ['Kill shop', 'KILL_KEY'],
    ['Busy shop', 'BUSY_KEY'],
  ] as const) {
    const added = await cli(
      ...databaseProfileFlags(store, name, simulator.url, { password: 'SYNC_DB_PASSWORD', key }),
    )
    expect(added.code, added.stderr).toBe(0)
  }
  expect(sendableIds().length).toBeGreaterThan(5)
  expect(skippedNow()).toBeGreaterThan(0)
})

afterAll(async () => {
  await simulator?.close()
  await store?.drop()
})

describe('invalid input: exit 2, nothing recorded', () => {
  it.each([
    ['0', /--days "0" must be a whole number from 1 to 365/],
    ['366', /--days "366" must be a whole number from 1 to 365/],
    ['1.5', /--days "1\.5" must be a whole number from 1 to 365/],
    ['soon', /--days "soon" must be a whole number from 1 to 365/],
  ])('refuses --days %s', async (days, message) => {
    const run = await cli('sync', '--profile', 'Sync shop', '--days', days, '--statuses', '2')
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(message)
    expect(historyCount(home.dir, 'sendings')).toBe(0)
  })

  it('needs statuses when the profile has no default ones', async () => {
    const run = await cli('--json', 'sync', '--profile', 'Sync shop')
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(
      /The profile "Sync shop" has no default statuses: say which to sync with --statuses/,
    )
    expect(historyCount(home.dir, 'sendings')).toBe(0)
  })

  it('refuses an unknown profile', async () => {
    const run = await cli('sync', '--profile', 'Nope', '--statuses', '2')
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/no profile named "Nope"/i)
  })
})

describe('a profile already sending', () => {
  it('sends nothing, says it is busy, and exits 0', async () => {
    const history = HistoryStore.open(historyFile(home.dir))
    try {
      const profile = history.profiles.findByName('Busy shop')!
      // A sending of the profile running in a live process (this one) with a fresh heartbeat.
      const running = history.createSending({
        profileId: profile.id,
        from: window().from,
        to: window().to,
        stateIds: selected,
        shopIds: [],
        mode: 'progress',
        options: {
          triggerWorkflows: false,
          createContacts: true,
          createProducts: true,
          rateLimit: 100,
        },
        expectedTotal: 10,
        ownerPid: process.pid,
      })
      const sendings = historyCount(home.dir, 'sendings')

      const seen = await observe('busy', () => cli('--json', ...syncArgs('Busy shop')))
      expect(seen.result.code, seen.result.stderr).toBe(0)
      expect(json(seen.result)).toEqual({
        sendingId: null,
        busy: true,
        running: {
          sendingId: running.id,
          state: 'running',
          since: running.startedAt,
          pid: process.pid,
          origin: 'manual',
        },
      })
      expect(seen.requests).toBe(0)
      expect(historyCount(home.dir, 'sendings')).toBe(sendings)

      const text = await cli(...syncArgs('Busy shop'))
      expect(text.code, text.stderr).toBe(0)
      expect(text.stdout).toMatch(
        new RegExp(
          `^Nothing sent: the profile "Busy shop" is busy with sending #${running.id} running since .*\\(process ${process.pid}\\)\\. The next sync sends what this one would have\\.`,
        ),
      )
      history.finishSending(running.id, 'cancelled')
    } finally {
      history.close()
    }

    // Once it ended, the next sync runs.
    const after = await cli('--json', ...syncArgs('Busy shop'))
    expect(after.code, after.stderr).toBe(0)
    expect(json<SyncJson>(after)).toMatchObject({ state: 'completed', alreadySent: 0 })
    expectEachOnce('busy', sendableIds())
  })
})

describe('kill -9 in the middle of a sync', () => {
  it(
    'leaves the sync interrupted, and the next one sends what is left: nothing lost or doubled',
    { timeout: 120_000 },
    async () => {
      const expected = sendableIds()
      // At syncArgs' fast pace, which the resume below keeps, but with each answer 300 ms late:
      // the kill lands once the sync has recorded some creations, with more requests on their
      // way and most orders still to send.
      const killed = await withLatency(simulator, 300, () =>
        cliSignalled(['--json', ...syncArgs('Kill shop')], 'SIGKILL', () =>
          untilHistory(
            home.dir,
            // Past the first order, sent alone to learn whether the account needs imports.
            (db) => (recordedResults(db, 'Kill shop')['created'] ?? 0) > 1,
            'Kill shop: no creation recorded after 60 s',
          ),
        ),
      )
      expect(killed.signal).toBe('SIGKILL')
      const sentBefore = account('kill').purchases.size
      expect(sentBefore).toBeLessThan(expected.length)

      const history = json<(SyncJson & { origin: string })[]>(
        await cli('--json', 'history', '--profile', 'Kill shop'),
      )
      expect(history).toHaveLength(1)
      expect(history[0]).toMatchObject({ state: 'interrupted', origin: 'scheduled' })
      const killedId = history[0]!.sendingId

      const next = await cli('--json', ...syncArgs('Kill shop'))
      expect(next.code, next.stderr).toBe(0)
      const done = json<SyncJson>(next)
      expect(done.state).toBe('completed')
      expect(done.sendingId).not.toBe(killedId)
      // Every order is either left out (its creation was recorded before the kill) or requested:
      // created, or answered 409 when its answer was lost in the kill.
      expect(done.alreadySent + done.created + done.alreadyExisted).toBe(expected.length)
      expect(done.alreadySent).toBeGreaterThan(0)
      expect(done.alreadyExisted).toBeGreaterThan(0)
      expectEachOnce('kill', expected)

      // The killed sync can still be finished: what it had pending exists by now (409s).
      const resumed = await cli('--json', 'resume', String(killedId))
      expect(resumed.code, resumed.stderr).toBe(0)
      const finished = json<SyncJson>(resumed)
      expect(finished).toMatchObject({ sendingId: killedId, state: 'completed', failed: 0 })
      // A skip-sent sending says what it left out, resumed too.
      expect(finished.alreadySent).toBeTypeOf('number')
      expectEachOnce('kill', expected)
    },
  )
})

describe('repeated syncs while the store changes', () => {
  it('first sends every order of the window in the selected statuses', async () => {
    const expected = sendableIds()
    const seen = await observe('main', () => cli('--json', ...syncArgs('Sync shop')))
    expect(seen.result.code, seen.result.stderr).toBe(0)
    const run = json<SyncJson>(seen.result)
    expect(run).toMatchObject({
      state: 'completed',
      total: expected.length + skippedNow(),
      created: expected.length,
      alreadyExisted: 0,
      failed: 0,
      skipped: skippedNow(),
      alreadySent: 0,
      ...window(),
    })
    expect(seen.requests).toBe(expected.length)
    expect(seen.createdIds).toEqual(expected)
    expect(account('main').purchases.has(String(moving.id))).toBe(false)
  })

  it('then, with nothing new, sends no purchase request at all', async () => {
    const sent = sendableIds()
    const seen = await observe('main', () => cli('--json', ...syncArgs('Sync shop')))
    expect(seen.result.code, seen.result.stderr).toBe(0)
    expect(json<SyncJson>(seen.result)).toMatchObject({
      state: 'completed',
      total: skippedNow(),
      created: 0,
      alreadyExisted: 0,
      skipped: skippedNow(),
      alreadySent: sent.length,
    })
    expect(seen.requests).toBe(0)
  })

  it('sends only the new orders and the one that moved into a selected status', async () => {
    const before = new Set(sendableIds())
    for (const [id, date] of realDates)
      await store.db.admin.query('UPDATE ps_orders SET date_add = ? WHERE id_order = ?', [date, id])
    await store.db.admin.query('UPDATE ps_orders SET current_state = ? WHERE id_order = ?', [
      selected[0],
      moving.id,
    ])
    storeState.arrived = true
    storeState.moved = true
    // The shop's tracking tag created one of the new orders in Connectif as it was placed.
    const trackedPurchase = purchaseOf(tracked)!
    const tag = await fetch(`${simulator.url}/purchases/?triggerPurchaseEvent=true`, {
      method: 'POST',
      headers: { Authorization: `apiKey ${KEYS.main}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(trackedPurchase),
    })
    expect(tag.status).toBe(201)

    const fresh = sendableIds().filter((id) => !before.has(id))
    expect(fresh.sort()).toEqual(
      [...arriving.map((order) => String(order.id)), String(moving.id)].sort(),
    )
    const seen = await observe('main', () => cli('--json', ...syncArgs('Sync shop')))
    expect(seen.result.code, seen.result.stderr).toBe(0)
    expect(json<SyncJson>(seen.result)).toMatchObject({
      state: 'completed',
      total: fresh.length + skippedNow(),
      created: fresh.length - 1,
      alreadyExisted: 1,
      failed: 0,
      alreadySent: before.size,
    })
    // Exactly the new ones were requested; the tracked one answered 409 and stays as the tag
    // created it.
    expect(seen.requests).toBe(fresh.length)
    expect(seen.duplicates).toBe(1)
    expect(seen.createdIds).toEqual(fresh.filter((id) => id !== String(tracked.id)).sort())
    expect(account('main').purchases.get(String(tracked.id))?.triggerPurchaseEvent).toBe(true)
    expectEachOnce('main', sendableIds())
  })

  it('then leaves everything out, the order found in Connectif included, and says so', async () => {
    const all = sendableIds()
    const seen = await observe('main', () => cli(...syncArgs('Sync shop')))
    expect(seen.result.code, seen.result.stderr).toBe(0)
    expect(seen.requests).toBe(0)
    const { from, to } = window()
    expect(seen.result.stdout).toContain(`Sync of the last ${DAYS} days (${from} to ${to}):`)
    expect(seen.result.stdout).toMatch(/: completed\./)
    expect(seen.result.stdout).toContain(
      `${all.length} orders were already sent to their Connectif account before: left out, no request made.`,
    )

    // The history lists the syncs as scheduled, with what each left out.
    const history = json<(SyncJson & { origin: string })[]>(
      await cli('--json', 'history', '--profile', 'Sync shop'),
    )
    expect(history.map((row) => [row.origin, row.alreadySent])).toEqual([
      ['scheduled', all.length],
      ['scheduled', all.length - 4],
      ['scheduled', all.length - 4],
      ['scheduled', 0],
    ])
  })

  it('uses the profile default statuses when --statuses is left out', async () => {
    const history = HistoryStore.open(historyFile(home.dir))
    try {
      const profile = history.profiles.findByName('Sync shop')!
      const { id: _id, createdAt: _created, updatedAt: _updated, ...input } = profile
      history.profiles.update(profile.id, { ...input, defaultStateIds: selected })
    } finally {
      history.close()
    }
    const seen = await observe('main', () =>
      cli('--json', 'sync', '--profile', 'Sync shop', '--days', String(DAYS)),
    )
    expect(seen.result.code, seen.result.stderr).toBe(0)
    expect(json<SyncJson>(seen.result)).toMatchObject({
      state: 'completed',
      created: 0,
      alreadySent: sendableIds().length,
    })
    expect(seen.requests).toBe(0)
  })
})

describe('send --skip-sent', () => {
  const sendArgs = (...more: string[]) => [
    'send',
    '--profile',
    'Sync shop',
    '--from',
    store.range.from,
    '--to',
    store.range.to,
    '--statuses',
    selected.join(','),
    '--rate-limit',
    '6000',
    ...more,
  ]

  it('sends only what the syncs left: the orders before their window', async () => {
    const older = store.orders
      .filter((order) => !inWindow(order) && selected.includes(order.stateId))
      .filter((order) => purchaseOf(order) !== null)
      .map((order) => String(order.id))
      .sort()
    expect(older.length).toBeGreaterThan(0)
    const seen = await observe('main', () => cli('--json', ...sendArgs('--skip-sent')))
    expect(seen.result.code, seen.result.stderr).toBe(0)
    const run = json<SyncJson>(seen.result)
    expect(run).toMatchObject({
      state: 'completed',
      created: older.length,
      alreadyExisted: 0,
      failed: 0,
      alreadySent: sendableIds().length,
    })
    expect(run).not.toHaveProperty('from')
    expect(seen.requests).toBe(older.length)
    expect(seen.createdIds).toEqual(older)

    const text = await observe('main', () => cli(...sendArgs('--skip-sent')))
    expect(text.result.code, text.result.stderr).toBe(0)
    expect(text.requests).toBe(0)
    expect(text.result.stdout).toContain(
      `${older.length + sendableIds().length} orders were already sent to their Connectif account before: left out, no request made.`,
    )
  })

  it('without the flag, requests every order as before and says nothing of it', async () => {
    const all = store.orders.filter(
      (order) =>
        (selected.includes(order.stateId) || order === moving) && purchaseOf(order) !== null,
    )
    const seen = await observe('main', () => cli('--json', ...sendArgs()))
    expect(seen.result.code, seen.result.stderr).toBe(0)
    const run = json<SyncJson>(seen.result)
    expect(run).toMatchObject({ state: 'completed', created: 0, alreadyExisted: all.length })
    expect(run).not.toHaveProperty('alreadySent')
    expect(seen.requests).toBe(all.length)
    expect(seen.createdIds).toEqual([])
  })
})
