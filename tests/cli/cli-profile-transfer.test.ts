/**
 * `purchase-sender profiles export`, `profiles import` and `forget`: the command line in this
 * process (cli-harness.ts), on data directories of its own. No store and no Connectif: none of
 * these commands touches them.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HistoryStore } from '../../main/core/history/history-store'
import { historyBytes, historyCount, historyFile, json, runCli } from './cli-harness'

let root: string
const homes: string[] = []

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'purchase-sender-cli-transfer-'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

function newHome(): string {
  const home = join(root, `home-${homes.length + 1}`)
  homes.push(home)
  return home
}

const cli = (home: string, ...args: string[]) => runCli(args, { home })

const ADD_DATABASE = [
  'profiles',
  'add',
  '--name',
  'Tienda España',
  '--source',
  'database',
  '--db-host',
  'db.example.com',
  '--db-port',
  '3307',
  '--db-user',
  'reader',
  '--db-password-env',
  'SHOP_DB_PASSWORD',
  '--db-name',
  'prestashop',
  '--db-ssl',
  '--shops',
  '1,2',
  '--lang',
  'es',
  '--connectif-key-env',
  'CONNECTIF_API_KEY',
  '--target',
  'lang=es+ca,currency=EUR,key-env=CONNECTIF_ES_KEY',
]

const ADD_WEBSERVICE = [
  'profiles',
  'add',
  '--name',
  'Other shop',
  '--source',
  'webservice',
  '--ws-url',
  'https://shop.example.com/api/',
  '--ws-key-env',
  'SHOP_WS_KEY',
  '--ws-key-in-url',
  '--connectif-key-env',
  'CONNECTIF_API_KEY',
]

/** A profile as `profiles show --json` prints it, without what differs from one history to another. */
function settings(profile: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, createdAt: _created, updatedAt: _updated, ...rest } = profile
  return rest
}

describe('profiles export and import', () => {
  it('moves profiles to another data directory, names of variables and all', async () => {
    const source = newHome()
    expect((await cli(source, ...ADD_DATABASE)).code).toBe(0)
    expect((await cli(source, ...ADD_WEBSERVICE)).code).toBe(0)
    const file = join(root, 'all.json')

    const exported = await cli(source, '--json', 'profiles', 'export', '--out', file)
    expect(exported.stderr).toBe('')
    expect(exported.code).toBe(0)
    expect(json(exported)).toEqual({ out: file, profiles: ['Other shop', 'Tienda España'] })
    const document = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
    expect(document).toMatchObject({ format: 'purchase-sender-profiles', version: 1 })
    // The command line keeps no secret: nothing was left out.
    expect(document['profiles']).toEqual([
      expect.objectContaining({ name: 'Other shop', secretsLeftOut: [] }),
      expect.objectContaining({ name: 'Tienda España', secretsLeftOut: [] }),
    ])

    const target = newHome()
    const imported = await cli(target, '--json', 'profiles', 'import', file)
    expect(imported.stderr).toBe('')
    expect(imported.code).toBe(0)
    const body = json<{ imported: (Record<string, unknown> & { secretsToEnter: string[] })[] }>(
      imported,
    )
    expect(body.imported.map((profile) => [profile['name'], profile.secretsToEnter])).toEqual([
      // None of the variables is set in this run's environment.
      ['Other shop', ['webserviceKey', 'connectifKey']],
      ['Tienda España', ['dbPassword', 'connectifKey', 'connectifTarget:ca-es-eur']],
    ])
    for (const name of ['Tienda España', 'Other shop']) {
      const before = json<Record<string, unknown>>(
        await cli(source, '--json', 'profiles', 'show', name),
      )
      const after = json<Record<string, unknown>>(
        await cli(target, '--json', 'profiles', 'show', name),
      )
      expect(settings(after)).toEqual(settings(before))
    }

    const human = await runCli(['profiles', 'import', file], {
      home: newHome(),
      env: { SHOP_WS_KEY: 'set', CONNECTIF_API_KEY: 'set' },
    })
    expect(human.code).toBe(0)
    expect(human.stdout).toContain('Imported 2 profiles from')
    expect(human.stdout).toContain(
      '"Tienda España" needs the database password (set SHOP_DB_PASSWORD)',
    )
    expect(human.stdout).not.toContain('"Other shop" needs')
  })

  it('exports the named profiles only, and refuses an unknown one without writing', async () => {
    const home = newHome()
    await cli(home, ...ADD_DATABASE)
    await cli(home, ...ADD_WEBSERVICE)
    const file = join(root, 'one.json')
    const one = await cli(home, '--json', 'profiles', 'export', '--out', file, 'other SHOP')
    expect(one.code).toBe(0)
    expect(json(one)).toEqual({ out: file, profiles: ['Other shop'] })

    const missing = join(root, 'missing.json')
    const unknown = await cli(home, 'profiles', 'export', '--out', missing, 'Nope')
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('There is no profile named "Nope"')
    expect(existsSync(missing)).toBe(false)
    const noOut = await cli(home, 'profiles', 'export')
    expect(noOut.code).toBe(2)
    expect(noOut.stderr).toContain('needs --out FILE.json')
  })

  it('refuses a name that exists here (exit 2) and imports nothing', async () => {
    const source = newHome()
    await cli(source, ...ADD_DATABASE)
    await cli(source, ...ADD_WEBSERVICE)
    const file = join(root, 'clash.json')
    await cli(source, 'profiles', 'export', '--out', file)

    const target = newHome()
    await cli(target, ...ADD_WEBSERVICE.map((arg) => (arg === 'Other shop' ? 'OTHER shop' : arg)))
    const refused = await cli(target, 'profiles', 'import', file)
    expect(refused.code).toBe(2)
    expect(refused.stdout).toBe('')
    expect(refused.stderr).toContain('Nothing was imported')
    expect(refused.stderr).toContain('"OTHER shop"')
    expect(historyCount(target, 'profiles')).toBe(1)
  })

  it('says what is wrong with a malformed file, where, and writes nothing', async () => {
    const home = newHome()
    const file = join(root, 'bad.json')
    writeFileSync(
      file,
      JSON.stringify({
        format: 'purchase-sender-profiles',
        version: 1,
        profiles: [
          {
            name: 'Fine',
            source: { kind: 'webservice', url: 'https://a.example.com/', keyEnv: 'K' },
            connectif: { keyEnv: 'C' },
          },
          {
            name: 'Broken',
            source: { kind: 'database', host: 'h', user: 'u', database: 'd', port: 'x' },
            connectif: { keyEnv: 'C', apiKey: 'secret' },
          },
        ],
      }),
    )
    const run = await cli(home, 'profiles', 'import', file)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(
      'The profiles file bad.json cannot be imported: its profile 2 ("Broken") is not valid: source.port:',
    )
    expect(run.stderr).toContain('connectif: unknown field "apiKey"')
    expect(run.stderr).toContain('Nothing was imported.')
    // Checked before the history is opened: no data directory was made.
    expect(existsSync(historyFile(home))).toBe(false)

    writeFileSync(file, '{"format": "purchase-sender-profiles", "version": 1, "profiles": [')
    const notJson = await cli(home, 'profiles', 'import', file)
    expect(notJson.code).toBe(2)
    expect(notJson.stderr).toContain('cannot be imported: it is not JSON')

    const absent = await cli(home, 'profiles', 'import', join(root, 'absent.json'))
    expect(absent.code).toBe(2)
    expect(absent.stderr).toContain('cannot be read')
    expect(existsSync(historyFile(home))).toBe(false)
  })
})

describe('forget', () => {
  const ANA = 'Ana.Secret@Example.com'

  /** A history with two sendings that have Ana's orders, one of them unfinished. */
  function historyWithAna(home: string): { finished: number; unfinished: number } {
    const history = HistoryStore.open(historyFile(home))
    try {
      const profile = history.profiles.create({
        name: 'Tienda',
        source: {
          kind: 'webservice',
          url: 'https://shop.example.com/',
          keyEnv: 'K',
          keyInUrl: false,
        },
        connectif: { apiUrl: 'https://api.connectif.cloud', keyEnv: 'C' },
        shopIds: [],
        languageIso: null,
        defaultStateIds: [],
      })
      const create = () =>
        history.createSending({
          profileId: profile.id,
          from: '2025-01-01',
          to: '2025-01-31',
          stateIds: [2],
          shopIds: [],
          mode: 'cli',
          options: {
            triggerWorkflows: false,
            createContacts: true,
            createProducts: true,
            rateLimit: 60,
          },
          expectedTotal: 0,
          ownerPid: process.pid,
        }).id
      const row = (orderId: number, email: string) => ({
        orderId,
        reference: `R${orderId}`,
        orderDate: '2025-01-02T10:00:00+01:00',
        customerEmail: email,
        total: '1.00',
        shopId: 1,
        stateId: 2,
        result: 'pending' as const,
        payload: JSON.stringify({ contact: { email: email.toLowerCase() } }),
        message: null,
      })
      const finished = create()
      history.recordOrders(
        finished,
        Array.from({ length: 300 }, (_, index) =>
          row(index + 1, index % 100 === 0 ? ANA : `c${index}@example.com`),
        ),
        null,
        true,
      )
      let after = 0
      for (;;) {
        const page = history.pendingOrders(finished, 50, after)
        if (page.length === 0) break
        after = page[page.length - 1]!.orderId
        history.writeResults(
          finished,
          page.map((order) => ({
            orderId: order.orderId,
            result: 'created' as const,
            httpStatus: 201,
            errorCode: null,
            message: null,
            response: order.payload,
            attempts: 1,
            sentAt: '2025-02-01T10:00:00.000Z',
          })),
        )
      }
      history.finishSending(finished, 'completed')
      const unfinished = create()
      history.recordOrders(
        unfinished,
        [row(500, ANA.toUpperCase()), row(501, 'z@example.com')],
        null,
        true,
      )
      history.finishSending(unfinished, 'interrupted')
      return { finished, unfinished }
    } finally {
      history.close()
    }
  }

  it('erases the customer from every sending and from the file, printing { email, orders }', async () => {
    const home = newHome()
    historyWithAna(home)
    expect(historyBytes(home).toLowerCase()).toContain(ANA.toLowerCase())

    const run = await cli(home, '--json', 'forget', '--email', ANA.toLowerCase())
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(json(run)).toEqual({ email: ANA.toLowerCase(), orders: 4 })

    const bytes = historyBytes(home)
    expect(bytes.toLowerCase()).not.toContain(ANA.toLowerCase())
    expect(bytes).toContain('c1@example.com')

    const history = HistoryStore.open(historyFile(home))
    try {
      const [unfinished, finished] = history.listSendings()
      expect(finished?.counts).toMatchObject({ total: 300, created: 300 })
      expect(unfinished?.counts).toMatchObject({ total: 2, skipped: 1, pending: 1 })
    } finally {
      history.close()
    }

    const human = await cli(home, 'forget', '--email', 'nobody@example.com')
    expect(human.code).toBe(0)
    expect(human.stdout).toContain('Erased nobody@example.com from the history: 0 orders')
    expect(human.stdout).toContain('Connectif and the store were not touched.')
  })

  it('refuses what is not an address (exit 2) without opening the history', async () => {
    const home = newHome()
    for (const args of [['forget'], ['forget', '--email', 'ana'], ['forget', '--email', ' ']]) {
      const run = await cli(home, ...args)
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stdout).toBe('')
    }
    expect((await cli(home, 'forget', '--email', 'ana')).stderr).toContain(
      '"ana" is not an e-mail address',
    )
    expect(existsSync(historyFile(home))).toBe(false)
  })

  it('refuses while a sending runs (exit 2), changing nothing', async () => {
    const home = newHome()
    historyWithAna(home)
    const history = HistoryStore.open(historyFile(home))
    try {
      const profile = history.profiles.list()[0]!
      history.createSending({
        profileId: profile.id,
        from: '2025-01-01',
        to: '2025-01-31',
        stateIds: [2],
        shopIds: [],
        mode: 'cli',
        options: {
          triggerWorkflows: false,
          createContacts: true,
          createProducts: true,
          rateLimit: 60,
        },
        expectedTotal: 0,
        ownerPid: process.pid,
      })
      const run = await cli(home, 'forget', '--email', ANA)
      expect(run.code).toBe(2)
      expect(run.stderr).toContain('A customer cannot be erased while sending #3 running')
      expect(historyBytes(home).toLowerCase()).toContain(ANA.toLowerCase())
    } finally {
      history.close()
    }
  })
})
