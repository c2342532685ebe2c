/**
 * Routing to several Connectif accounts through the real command line: a store in three
 * languages and several currencies, Spanish orders in euros to one simulated account, English
 * orders in dollars to another, and the rest to a main account or skipped.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mapOrderToPurchase } from '../../main/core/purchases/order-to-purchase'
import type { StoreOrder } from '../../main/core/store/store-source'
import { startConnectifSimulator, type ConnectifSimulator } from '../support/connectif-simulator'
import { languageOf } from '../sending/routed-store'
import {
  createTestStore,
  databaseProfileFlags,
  historyCount,
  historyFile,
  json,
  previewArgs,
  rangeFlags,
  readJsonLines,
  readReport,
  sendArgs,
  until,
  useCliHome,
  withLatency,
  type SendingJson,
  type TestStore,
} from './cli-harness'

const SPANISH = 'lang=es,currency=EUR,shops=1'
const ENGLISH = 'lang=en,currency=USD'

/** Simulated accounts: name → key. The `*-resume` ones serve the interrupted sending only. */
const KEYS = {
  spanish: 'kid-spanish:routing-secret',
  english: 'kid-english:routing-secret',
  main: 'kid-main:routing-secret',
  'spanish-resume': 'kid-spanish-resume:routing-secret',
  'english-resume': 'kid-english-resume:routing-secret',
} as const
type AccountName = keyof typeof KEYS

interface PreviewLine {
  orderId: number
  result: 'ready' | 'skipped'
  reason?: string
  purchase?: Record<string, unknown>
  target?: string
}

let store: TestStore
let simulator: ConnectifSimulator
const home = useCliHome()
const { cli, cliWith, cliSignalled } = home

/** `profiles add` of the test store without its Connectif flags (they come last). */
const storeFlags = (name: string): string[] => {
  const flags = databaseProfileFlags(store, name, simulator.url, {
    password: 'ROUTING_DB_PASSWORD',
    key: 'UNUSED',
  })
  return flags.slice(0, flags.indexOf('--connectif-key-env'))
}

/** The account label an order must go to, worked out from the store's model. */
function expectedTarget(order: StoreOrder, withMain: boolean): string {
  const language = languageOf(store.fixture, order)
  const currency = order.currency.isoCode
  if (language === 'es' && currency === 'EUR' && order.shopId === 1) return SPANISH
  if (language === 'en' && currency === 'USD') return ENGLISH
  return withMain ? 'main' : ''
}

/** The body an order must reach its account with: amounts as paid for a currency-pinned target. */
function expectedLine(order: StoreOrder, withMain: boolean): PreviewLine {
  const target = expectedTarget(order, withMain)
  if (target === '')
    return {
      orderId: order.id,
      result: 'skipped',
      reason: expect.stringMatching(
        /^No Connectif target of the profile serves this order \(language \w+, currency \w+, shop 1\)/,
      ),
      target,
    }
  const mapping = mapOrderToPurchase(order, {
    currency: target === 'main' ? 'shop-default' : 'order',
  })
  return mapping.result === 'ready'
    ? { orderId: order.id, result: 'ready', purchase: { ...mapping.purchase }, target }
    : { orderId: order.id, result: 'skipped', reason: mapping.reason, target }
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1
  return counts
}

/** What a simulated account holds: purchase id → body. */
function received(account: AccountName): Map<string, Record<string, unknown>> {
  return new Map(
    [...simulator.account(account).purchases.entries()].map(([id, stored]) => [id, stored.body]),
  )
}

/** The ready lines of a preview for one account, as that account must hold them. */
function bodiesFor(lines: readonly PreviewLine[], target: string): Map<string, unknown> {
  return new Map(
    lines
      .filter((line) => line.result === 'ready' && line.target === target)
      .map((line) => [String(line.purchase?.['purchaseId']), line.purchase]),
  )
}

/** The CSV report of a sending, parsed into records (the cells this test looks at have no comma). */
async function reportRecords(sendingId: number): Promise<string[]> {
  const out = join(home.dir, `report-${sendingId}.csv`)
  const run = await cli('report', String(sendingId), '--out', out, '--all')
  expect(run.code, run.stderr).toBe(0)
  return readReport(out)
}

/** A report record's `target` cell (the 13th column). */
function targetOf(record: string): string | undefined {
  const [cells]: string[][] = parse(record)
  return cells?.[12]
}

beforeAll(async () => {
  store = await createTestStore('cli_routing', 606, {
    orderCount: 150,
    languages: ['en', 'es', 'fr'],
  })
  const contacts = store.orders.flatMap((order) => (order.customer ? [order.customer.email] : []))
  const products = store.orders.flatMap((order) =>
    order.lines.map((line) => String(line.productId)),
  )
  simulator = await startConnectifSimulator({
    accounts: (Object.entries(KEYS) as [AccountName, string][]).map(([name, key]) => ({
      name,
      keys: [{ key }],
      rateLimit: 100_000,
      authorisedDomains: ['shop.example.test'],
      // The resume accounts know everyone already: one request per order, each answered as late
      // as the simulator's latency says.
      ...(name.endsWith('-resume') ? { contacts, products } : {}),
    })),
  })
  home.env = {
    ROUTING_DB_PASSWORD: store.reader.password,
    MAIN_KEY: KEYS.main,
    ES_KEY: KEYS.spanish,
    EN_KEY: KEYS.english,
    ES_RESUME_KEY: KEYS['spanish-resume'],
    EN_RESUME_KEY: KEYS['english-resume'],
  }
  const languages = new Set(store.orders.map((order) => languageOf(store.fixture, order)))
  const currencies = new Set(store.orders.map((order) => order.currency.isoCode))
  expect([...languages].sort()).toEqual(['en', 'es', 'fr'])
  expect(currencies.size).toBeGreaterThan(1)
  const targets = countBy(store.orders, (order) => expectedTarget(order, true))
  expect(targets[SPANISH]).toBeGreaterThan(5)
  expect(targets[ENGLISH]).toBeGreaterThan(1)
  expect(targets['main']).toBeGreaterThan(5)
})

afterAll(async () => {
  await simulator?.close()
  await store?.drop()
})

describe('profiles add --target', () => {
  it('saves a profile with a main account and two targets', async () => {
    const run = await cli(
      '--json',
      ...storeFlags('Routed'),
      '--connectif-key-env',
      'MAIN_KEY',
      '--connectif-url',
      simulator.url,
      '--target',
      `${SPANISH},key-env=ES_KEY`,
      '--target',
      `currency=usd,lang=EN,key-env=EN_KEY,url=${simulator.url}`,
    )
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toBe('')
    expect(json(run)).toMatchObject({
      name: 'Routed',
      connectif: {
        apiUrl: simulator.url,
        keyEnv: 'MAIN_KEY',
        mainAccount: true,
        targets: [
          {
            id: 'es-eur-shop1',
            label: SPANISH,
            keyEnv: 'ES_KEY',
            apiUrl: simulator.url,
            languages: ['es'],
            currencies: ['EUR'],
            shopIds: [1],
          },
          {
            id: 'en-usd',
            label: ENGLISH,
            keyEnv: 'EN_KEY',
            apiUrl: simulator.url,
            languages: ['en'],
            currencies: ['USD'],
            shopIds: [],
          },
        ],
      },
    })
  })

  it('saves a profile without a main account, and says its other orders will be skipped', async () => {
    const run = await cli(
      ...storeFlags('Routed only'),
      '--connectif-url',
      simulator.url,
      '--target',
      `${SPANISH},key-env=ES_KEY`,
      '--target',
      `${ENGLISH},key-env=EN_KEY`,
    )
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/Connectif main account:\s+none/)
    expect(run.stdout).toMatch(
      /Orders no target serves:\s+skipped \(the profile has no main Connectif account\)/,
    )
    const shown = json<{ connectif: Record<string, unknown> }>(
      await cli('--json', 'profiles', 'show', 'Routed only'),
    )
    expect(shown.connectif).toMatchObject({ keyEnv: null, mainAccount: false })
    expect(shown.connectif['apiUrl']).toBe(simulator.url)
    // Its targets default to the profile's --connectif-url.
    expect(shown.connectif['targets']).toMatchObject([
      { apiUrl: simulator.url, label: SPANISH },
      { apiUrl: simulator.url, label: ENGLISH },
    ])

    const quiet = await cli(
      '--json',
      ...storeFlags('Routed quiet'),
      '--target',
      'lang=fr,key-env=FR_KEY',
    )
    expect(quiet.code, quiet.stderr).toBe(0)
    expect(quiet.stderr).toMatch(/note: the profile has no main Connectif account/)
    expect(json(quiet)).toMatchObject({
      connectif: { apiUrl: 'https://api.connectif.cloud', mainAccount: false },
    })
    expect((await cli('profiles', 'remove', 'Routed quiet')).code).toBe(0)
  })

  it('saves a resume profile (main account and two targets on their own accounts)', async () => {
    const run = await cli(
      ...storeFlags('Routed resume'),
      '--connectif-key-env',
      'MAIN_KEY',
      '--connectif-url',
      simulator.url,
      '--target',
      `${SPANISH},key-env=ES_RESUME_KEY`,
      '--target',
      `${ENGLISH},key-env=EN_RESUME_KEY`,
    )
    expect(run.code, run.stderr).toBe(0)
  })
})

describe.concurrent(
  'bad --target specs: exit 2, the spec and the problem named, nothing written',
  () => {
    const cases: [string, string[], RegExp][] = [
      [
        'unknown key',
        ['--target', 'lang=es,colour=red,key-env=K'],
        /--target 'lang=es,colour=red,key-env=K' has the unknown key "colour": the keys are lang, currency, shops, key-env and url/,
      ],
      [
        'a look-alike key',
        ['--target', 'language=es,key-env=K'],
        /has the unknown key "language" \(did you mean lang=\?\)/,
      ],
      [
        'missing key-env',
        ['--target', 'lang=es,currency=EUR'],
        /--target 'lang=es,currency=EUR' needs key-env=VAR/,
      ],
      [
        'empty value',
        ['--target', 'lang=,key-env=K'],
        /--target 'lang=,key-env=K' gives lang no value/,
      ],
      [
        'empty value in a list',
        ['--target', 'shops=1+,key-env=K'],
        /has an empty value in "shops=1\+": join values with one "\+"/,
      ],
      ['an empty spec', ['--target', ''], /--target '' is empty/],
      ['an empty item', ['--target', 'lang=es,,key-env=K'], /has an empty item/],
      ['not KEY=VALUE', ['--target', 'es,key-env=K'], /"es" is not KEY=VALUE/],
      [
        'a language name',
        ['--target', 'lang=Spanish,key-env=K'],
        /--target 'lang=Spanish,key-env=K' "Spanish" is not a language ISO code such as "es"/,
      ],
      [
        'a currency name',
        ['--target', 'currency=euro,key-env=K'],
        /"euro" is not a currency ISO code such as "EUR"/,
      ],
      ['a shop name', ['--target', 'shops=main,key-env=K'], /"main" is not a shop id/],
      [
        'a duplicate key',
        ['--target', 'lang=es,lang=ca,key-env=K'],
        /--target 'lang=es,lang=ca,key-env=K' gives lang twice: join several values with "\+", as in lang=es\+ca/,
      ],
      [
        'a bad variable name',
        ['--target', 'lang=es,key-env=1KEY'],
        /--target 'lang=es,key-env=…' key-env is not the name of an environment variable/,
      ],
      [
        'a key instead of a variable name',
        ['--target', 'lang=es,key-env=ABCDEFGHIJKLMNOPQRSTUVWXYZ123456'],
        /--target 'lang=es,key-env=…' key-env looks like a key rather than the name of an environment variable/,
      ],
      [
        'a bad url',
        ['--target', 'lang=es,key-env=K,url=ftp://x'],
        /url "ftp:\/\/x" is not a Connectif API address/,
      ],
      [
        'a url holding credentials',
        ['--target', 'lang=es,key-env=K,url=https://user:pw@connectif.example'],
        /--target 'lang=es,key-env=K,url=https:\/\/…@connectif\.example': url must not contain a user name or password/,
      ],
      [
        'overlapping targets',
        ['--target', 'lang=es,key-env=A', '--target', 'lang=es+ca,currency=EUR,key-env=B'],
        /--target 'lang=es,key-env=A' and --target 'lang=es\+ca,currency=EUR,key-env=B' would both serve some orders \(language es, currency EUR, shop any\); each order must have exactly one target/,
      ],
      [
        'a target serving every order, with a main account',
        ['--target', 'key-env=A'],
        /--target 'key-env=A' names no language, currency or shop, so it would serve every order: that is what the main Connectif account \(--connectif-key-env\) does/,
      ],
      [
        'an empty --connectif-key-env with targets',
        ['--target', 'lang=es,key-env=A'],
        /--connectif-key-env was empty/,
      ],
    ]

    for (const [name, flags, message] of cases) {
      it(name, async () => {
        const profiles = historyCount(home.dir, 'profiles')
        const main =
          name === 'an empty --connectif-key-env with targets'
            ? ['--connectif-key-env', '']
            : ['--connectif-key-env', 'MAIN_KEY']
        const run = await cli(...storeFlags(`Bad ${name}`), ...main, ...flags)
        expect(run.code, run.stderr).toBe(2)
        expect(run.stderr).toMatch(message)
        expect(run.stdout).toBe('')
        expect(historyCount(home.dir, 'profiles')).toBe(profiles)
      })
    }

    it('never repeats a key given where a variable name belongs', async () => {
      const run = await cli(
        ...storeFlags('Bad pasted key'),
        '--connectif-key-env',
        'MAIN_KEY',
        '--target',
        'lang=es,key-env=kid:supersecret',
      )
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(/key-env is not the name of an environment variable/)
      expect(run.stderr).not.toContain('supersecret')
    })

    it('says every problem of every spec at once', async () => {
      const run = await cli(
        ...storeFlags('Bad many'),
        '--target',
        'lang=Spanish,foo=1',
        '--target',
        'currency=euro,key-env=K',
      )
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(/'lang=Spanish,foo=1' has the unknown key "foo"/)
      expect(run.stderr).toMatch(/'lang=Spanish,foo=1' "Spanish" is not a language ISO code/)
      expect(run.stderr).toMatch(/'lang=Spanish,foo=1' needs key-env=VAR/)
      expect(run.stderr).toMatch(/'currency=euro,key-env=K' "euro" is not a currency ISO code/)
    })

    it('never echoes what looks like a key given in a spec', async () => {
      const run = await cli(...storeFlags('Bad key'), '--target', 'lang=es,key=kid-x:very-secret')
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(/unknown key "key" \(did you mean key-env=\?\)/)
      expect(run.stderr).toMatch(/put it in an environment variable and name it with key-env=VAR/)
      expect(run.stderr).not.toContain('very-secret')
    })

    it('without --target, --connectif-key-env stays required', async () => {
      const run = await cli(...storeFlags('Bad no account'))
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(/needs --connectif-key-env VAR/)
    })

    it('a target alone serving every order, without a main account', async () => {
      const run = await cli(...storeFlags('Bad every'), '--target', 'key-env=A')
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(
        /--target 'key-env=A' names no language, currency or shop, so it would serve every order: make it the main Connectif account \(--connectif-key-env VAR\) instead/,
      )
    })
  },
)

describe('profiles show, list and test', () => {
  it('shows the targets with their key variable and address, and who serves the rest', async () => {
    const show = await cli('profiles', 'show', 'Routed')
    expect(show.code, show.stderr).toBe(0)
    expect(show.stdout).toMatch(/Connectif key variable:\s+MAIN_KEY/)
    expect(show.stdout).toContain(
      `Connectif targets:       ${SPANISH}  key ES_KEY  ${simulator.url}`,
    )
    expect(show.stdout).toContain(`${ENGLISH}  key EN_KEY  ${simulator.url}`)
    expect(show.stdout).toMatch(/Orders no target serves:\s+sent to the main account/)

    const list = await cli('profiles', 'list')
    expect(list.stdout.split('\n')[0]).toMatch(/Connectif key variable\s+Connectif targets$/)
    expect(list.stdout).toMatch(
      /Routed only .*\(no main account\)\s+lang=es,currency=EUR,shops=1 \(ES_KEY\); lang=en,currency=USD \(EN_KEY\)/,
    )
    const listed = json<{ name: string; connectif: { targets: { label: string }[] } }[]>(
      await cli('--json', 'profiles', 'list'),
    )
    expect(
      listed.find((profile) => profile.name === 'Routed')?.connectif.targets.map((t) => t.label),
    ).toEqual([SPANISH, ENGLISH])
  })

  it('checks the key of every account, naming each', async () => {
    const run = await cli('--json', 'profiles', 'test', 'Routed')
    expect(run.code, run.stderr).toBe(0)
    const result = json<{
      store: { ok: boolean }
      connectif: { ok: boolean; message: string }
      accounts: { account: string; keyEnv: string; ok: boolean }[]
    }>(run)
    expect(result.store.ok).toBe(true)
    expect(result.connectif).toMatchObject({
      ok: true,
      message: 'All 3 Connectif accounts accept their key.',
    })
    expect(result.accounts.map(({ account, keyEnv, ok }) => ({ account, keyEnv, ok }))).toEqual([
      { account: 'main', keyEnv: 'MAIN_KEY', ok: true },
      { account: SPANISH, keyEnv: 'ES_KEY', ok: true },
      { account: ENGLISH, keyEnv: 'EN_KEY', ok: true },
    ])
    const human = await cli('profiles', 'test', 'Routed only')
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout).toMatch(new RegExp(`Connectif ${SPANISH}:\\s+OK`))
    expect(human.stdout).toMatch(new RegExp(`Connectif ${ENGLISH}:\\s+OK`))
    expect(human.stdout).not.toMatch(/Connectif main/)
    expect(human.stdout).toMatch(/Orders no target serves: skipped/)
  })

  it("says which account's key Connectif refused (exit 3)", async () => {
    const run = await cliWith({ EN_KEY: 'kid-english:wrong' }, [
      '--json',
      'profiles',
      'test',
      'Routed',
    ])
    expect(run.code).toBe(3)
    const result = json<{
      connectif: { ok: boolean; message: string }
      accounts: { account: string; ok: boolean; message: string }[]
    }>(run)
    expect(result.connectif.ok).toBe(false)
    expect(result.connectif.message).toMatch(/^2 of 3 Connectif accounts accept their key/)
    expect(result.accounts.find((account) => account.account === ENGLISH)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/401/),
    })
    expect(run.stderr).toMatch(new RegExp(`the check of Connectif \\(${ENGLISH}\\) failed`))
  })

  it("names the variable and the target when a target's key is missing (exit 2)", async () => {
    const run = await cliWith({ ES_KEY: undefined }, ['profiles', 'test', 'Routed only'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(
      new RegExp(
        `environment variable ES_KEY \\(--target ${SPANISH} key-env of profile "Routed only"\\) is not set`,
      ),
    )
  })
})

describe('preview', () => {
  it('splits the orders by account and writes each line with its target and exact body', async () => {
    const out = join(home.dir, 'routed-only.jsonl')
    const run = await cli('--json', ...previewArgs(store, 'Routed only', out))
    expect(run.code, run.stderr).toBe(0)
    const expected = store.orders.map((order) => expectedLine(order, false))
    const summary = json<Record<string, unknown>>(run)
    const byTarget = countBy(expected, (line) =>
      line.target === '' ? 'none' : (line.target as string),
    )
    expect(summary).toMatchObject({
      total: store.orders.length,
      ready: expected.filter((line) => line.result === 'ready').length,
      skipped: expected.filter((line) => line.result === 'skipped').length,
      byTarget,
    })
    expect(Object.keys(summary)).toEqual([
      'total',
      'byStatus',
      'ready',
      'skipped',
      'estimatedSeconds',
      'byTarget',
    ])
    expect(readJsonLines<PreviewLine>(out)).toEqual(expected)
    // Dollar orders keep their dollars for the dollar account: not what the main account gets.
    const dollars = store.orders.filter((order) => expectedTarget(order, false) === ENGLISH)
    const asPaid = dollars.filter((order) => {
      const own = mapOrderToPurchase(order, { currency: 'order' })
      const converted = mapOrderToPurchase(order)
      return (
        own.result === 'ready' &&
        converted.result === 'ready' &&
        own.purchase.totalPrice !== converted.purchase.totalPrice
      )
    })
    expect(asPaid.length).toBeGreaterThan(0)
    expect(historyCount(home.dir, 'sendings')).toBe(0)
    expect(simulator.stats().purchasesStored).toBe(0)
  })

  it('counts the main account for a profile that has one, for people too', async () => {
    const out = join(home.dir, 'routed.jsonl')
    const run = await cli('--json', ...previewArgs(store, 'Routed', out))
    expect(run.code, run.stderr).toBe(0)
    const expected = store.orders.map((order) => expectedLine(order, true))
    expect(json<{ byTarget: Record<string, number> }>(run).byTarget).toEqual(
      countBy(expected, (line) => line.target as string),
    )
    expect(readJsonLines<PreviewLine>(out)).toEqual(expected)

    const human = await cli(...previewArgs(store, 'Routed only'))
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout).toMatch(/Orders per Connectif account:/)
    expect(human.stdout).toMatch(new RegExp(`  ${SPANISH}: \\d+`))
    expect(human.stdout).toMatch(
      / {2}none \(skipped: no target serves them and the profile has no main account\): \d+/,
    )
  })

  it('refuses targets the store lacks, like send (exit 2, nothing recorded)', async () => {
    const added = await cli(
      ...storeFlags('German'),
      '--connectif-key-env',
      'MAIN_KEY',
      '--connectif-url',
      simulator.url,
      '--target',
      'lang=de,currency=CHF,shops=7,key-env=ES_KEY',
    )
    expect(added.code, added.stderr).toBe(0)
    for (const command of ['preview', 'send']) {
      const run = await cli(command, '--profile', 'German', ...rangeFlags(store))
      expect(run.code, run.stderr).toBe(2)
      expect(run.stderr).toMatch(
        /--target: Target 1 \(lang=de,currency=CHF,shops=7\) serves the language "de", which the store does not have \(it has en, es, fr\)/,
      )
      expect(run.stderr).toMatch(/serves the currency "CHF"/)
      expect(run.stderr).toMatch(/serves shop 7, which the store does not have/)
    }
    expect(historyCount(home.dir, 'sendings')).toBe(0)
    expect((await cli('profiles', 'remove', 'German')).code).toBe(0)
  })
})

describe('send', () => {
  it('sends each order to its account only; the rest are skipped with the reason', async () => {
    const run = await cli('--json', ...sendArgs(store, 'Routed only', 6000))
    expect(run.code, run.stderr).toBe(0)
    const lines = readJsonLines<PreviewLine>(join(home.dir, 'routed-only.jsonl'))
    const sending = json<SendingJson>(run)
    const unrouted = lines.filter((line) => line.target === '')
    expect(unrouted.length).toBeGreaterThan(0)
    expect(sending).toMatchObject({
      state: 'completed',
      total: lines.length,
      created: lines.filter((line) => line.result === 'ready').length,
      alreadyExisted: 0,
      failed: 0,
      skipped: lines.filter((line) => line.result === 'skipped').length,
    })
    // What preview wrote for each account is exactly what that account received.
    expect(received('spanish')).toEqual(bodiesFor(lines, SPANISH))
    expect(received('english')).toEqual(bodiesFor(lines, ENGLISH))
    expect(received('main').size).toBe(0)
    const forTarget = (target: string) => lines.filter((line) => line.target === target)
    const ready = (target: string) => forTarget(target).filter((l) => l.result === 'ready').length
    expect(sending.byTarget).toEqual({
      [SPANISH]: {
        total: forTarget(SPANISH).length,
        created: ready(SPANISH),
        alreadyExisted: 0,
        failed: 0,
        skipped: forTarget(SPANISH).length - ready(SPANISH),
      },
      [ENGLISH]: {
        total: forTarget(ENGLISH).length,
        created: ready(ENGLISH),
        alreadyExisted: 0,
        failed: 0,
        skipped: forTarget(ENGLISH).length - ready(ENGLISH),
      },
      none: {
        total: unrouted.length,
        created: 0,
        alreadyExisted: 0,
        failed: 0,
        skipped: unrouted.length,
      },
    })

    // The report names each order's account; the unrouted ones have an empty target.
    const records = await reportRecords(sending.sendingId)
    expect(records[0]).toMatch(/,sent_at,target,preparing$/)
    expect(records).toHaveLength(1 + lines.length)
    for (const line of unrouted) {
      const record = records.find((row) => row.startsWith(`${line.orderId},`)) ?? ''
      expect(record).toMatch(
        /,skipped,,no_account,"?No Connectif target of the profile serves this order \(language/,
      )
      expect(record.endsWith(',')).toBe(true)
    }
    expect(records.filter((row) => targetOf(row) === SPANISH)).toHaveLength(
      forTarget(SPANISH).length,
    )
    expect(records.filter((row) => targetOf(row) === ENGLISH)).toHaveLength(
      forTarget(ENGLISH).length,
    )

    // history shows the same counts per account.
    const history = json<SendingJson[]>(await cli('--json', 'history', '--profile', 'Routed only'))
    expect(history[0]?.byTarget).toEqual(sending.byTarget)
  })

  it('sends the rest to the main account in the shop currency; the targets already have theirs', async () => {
    const run = await cli('--json', ...sendArgs(store, 'Routed', 6000))
    expect(run.code, run.stderr).toBe(0)
    const lines = readJsonLines<PreviewLine>(join(home.dir, 'routed.jsonl'))
    const sending = json<SendingJson>(run)
    const main = bodiesFor(lines, 'main')
    expect(sending).toMatchObject({ state: 'completed', created: main.size, failed: 0 })
    expect(sending.byTarget?.['main']).toMatchObject({ created: main.size, alreadyExisted: 0 })
    expect(sending.byTarget?.[SPANISH]).toMatchObject({
      created: 0,
      alreadyExisted: bodiesFor(lines, SPANISH).size,
    })
    expect(sending.byTarget).not.toHaveProperty('none')
    expect(received('main')).toEqual(main)
    expect(received('spanish')).toEqual(bodiesFor(lines, SPANISH))
    for (const account of ['spanish', 'english', 'main'] as const)
      for (const count of simulator.account(account).creations.values()) expect(count).toBe(1)
  })

  it('a profile without targets prints no byTarget', async () => {
    const added = await cli(
      ...storeFlags('Single'),
      '--connectif-key-env',
      'MAIN_KEY',
      '--connectif-url',
      simulator.url,
    )
    expect(added.code, added.stderr).toBe(0)
    const preview = await cli('--json', ...previewArgs(store, 'Single'))
    expect(json(preview)).not.toHaveProperty('byTarget')
    const run = await cli('--json', ...sendArgs(store, 'Single', 6000))
    expect(run.code, run.stderr).toBe(0)
    const sending = json<SendingJson>(run)
    expect(sending).not.toHaveProperty('byTarget')
    expect(sending.total).toBe(store.orders.length)
  })
})

describe('resume', () => {
  it(
    'finishes an interrupted routed sending with the routing it started with',
    { timeout: 150_000 },
    async () => {
      const lines = readJsonLines<PreviewLine>(join(home.dir, 'routed.jsonl'))
      const spanish = bodiesFor(lines, SPANISH).size
      let atSignal = 0
      // As fast as the command line allows, since the resume keeps the recorded pace: the
      // simulator's latency keeps the first run going long enough to be stopped half-way.
      const stopped = await withLatency(simulator, 300, () =>
        cliSignalled(
          ['--json', ...sendArgs(store, 'Routed resume', 60_000)],
          'SIGINT',
          async () => {
            await until(
              () => simulator.account('spanish-resume').purchases.size >= 2,
              'no purchase reached the Spanish account',
            )
            atSignal = simulator.account('spanish-resume').purchases.size
          },
        ),
      )
      expect(stopped.code, stopped.stderr).toBe(130)
      const interrupted = json<SendingJson>(stopped)
      expect(interrupted.state).toBe('interrupted')
      expect(interrupted.byTarget).toBeDefined()
      // Stopped half-way: the Spanish account has some of its orders, the resume sends the rest.
      expect(atSignal).toBeLessThan(spanish)
      expect(interrupted.byTarget?.[SPANISH]?.created ?? 0).toBeGreaterThan(0)
      expect(simulator.account('spanish-resume').purchases.size).toBeLessThan(spanish)

      // The profile loses its targets meanwhile: the sending still routes as it began.
      const db = new Database(historyFile(home.dir))
      try {
        db.prepare(
          `UPDATE profiles SET connectif_settings = json_set(connectif_settings, '$.targets', json('[]'))
           WHERE name = 'Routed resume'`,
        ).run()
      } finally {
        db.close()
      }
      const shown = json<{ connectif: { targets: unknown[] } }>(
        await cli('--json', 'profiles', 'show', 'Routed resume'),
      )
      expect(shown.connectif.targets).toEqual([])

      const resumed = await cli('--json', 'resume', String(interrupted.sendingId))
      expect(resumed.code, resumed.stderr).toBe(0)
      const done = json<SendingJson>(resumed)
      expect(done).toMatchObject({
        sendingId: interrupted.sendingId,
        state: 'completed',
        failed: 0,
      })
      expect(received('spanish-resume')).toEqual(bodiesFor(lines, SPANISH))
      expect(received('english-resume')).toEqual(bodiesFor(lines, ENGLISH))
      for (const account of ['spanish-resume', 'english-resume'] as const)
        for (const count of simulator.account(account).creations.values()) expect(count).toBe(1)
      expect(Object.keys(done.byTarget ?? {}).sort()).toEqual([ENGLISH, SPANISH, 'main'].sort())
      expect(done.byTarget?.[SPANISH]?.created ?? 0).toBeGreaterThan(0)
      const records = await reportRecords(done.sendingId)
      expect(records.filter((row) => targetOf(row) === SPANISH)).toHaveLength(
        lines.filter((line) => line.target === SPANISH).length,
      )
    },
  )
})
