/**
 * The command line's profiles, store checks, statuses and its refusal of bad input: the real
 * process against a real MariaDB store and the Connectif simulator.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  SCOPES_WITHOUT_IMPORTS,
  startConnectifSimulator,
  type ConnectifSimulator,
} from '../support/connectif-simulator'
import {
  createTestStore,
  databaseProfileFlags,
  historyBytes,
  historyCount,
  json,
  useCliHome,
  type TestStore,
} from './cli-harness'

const CONNECTIF_KEY = 'kid-profiles:connectif-secret-4f1e'
const NO_IMPORTS_KEY = 'kid-no-imports:connectif-secret-77a0'

let store: TestStore
let simulator: ConnectifSimulator
const home = useCliHome()
const { cli, cliWith } = home

beforeAll(async () => {
  store = await createTestStore('cli_profiles', 101)
  simulator = await startConnectifSimulator({
    accounts: [
      {
        name: 'main',
        keys: [{ key: CONNECTIF_KEY }, { key: NO_IMPORTS_KEY, scopes: SCOPES_WITHOUT_IMPORTS }],
        rateLimit: 100_000,
      },
    ],
  })
  home.env = { SHOP_DB_PASSWORD: store.reader.password, SHOP_CONNECTIF_KEY: CONNECTIF_KEY }
  const added = await cli(
    ...databaseProfileFlags(store, 'Main shop', simulator.url, {
      password: 'SHOP_DB_PASSWORD',
      key: 'SHOP_CONNECTIF_KEY',
    }),
  )
  expect(added.stderr).toBe('')
  expect(added.code).toBe(0)
})

afterAll(async () => {
  await simulator?.close()
  await store?.drop()
})

describe('profiles', () => {
  it('adds, lists, shows and removes a profile; names are unique ignoring case', async () => {
    const add = await cli(
      '--json',
      'profiles',
      'add',
      '--name',
      'Outlet',
      '--source',
      'webservice',
      '--ws-url',
      'https://outlet.example.test',
      '--ws-key-env',
      'OUTLET_WS_KEY',
      '--shops',
      '2,1',
      '--lang',
      'es',
      '--connectif-key-env',
      'OUTLET_CONNECTIF_KEY',
    )
    expect(add.code).toBe(0)
    expect(json(add)).toMatchObject({
      name: 'Outlet',
      // Saved normalised: the shop's address with a final "/".
      source: { kind: 'webservice', url: 'https://outlet.example.test/', keyEnv: 'OUTLET_WS_KEY' },
      connectif: { apiUrl: 'https://api.connectif.cloud', keyEnv: 'OUTLET_CONNECTIF_KEY' },
      shops: [1, 2],
      lang: 'es',
    })

    const duplicate = await cli(
      ...databaseProfileFlags(store, 'OUTLET', simulator.url, { password: 'P', key: 'K' }),
    )
    expect(duplicate.code).toBe(2)
    expect(duplicate.stderr).toMatch(/already exists/)

    const list = await cli('--json', 'profiles', 'list')
    expect(list.code).toBe(0)
    expect(json<{ name: string }[]>(list).map((profile) => profile.name)).toEqual([
      'Main shop',
      'Outlet',
    ])
    const human = await cli('profiles', 'list')
    expect(human.stdout).toMatch(/^Name\s+Source/)
    expect(human.stdout).toMatch(/Outlet\s+webservice https:\/\/outlet\.example\.test/)

    const show = await cli('--json', 'profiles', 'show', 'outlet')
    expect(show.code).toBe(0)
    expect(json(show)).toMatchObject({ name: 'Outlet', shops: [1, 2] })

    const remove = await cli('profiles', 'remove', 'Outlet')
    expect(remove.code).toBe(0)
    expect(remove.stdout).toMatch(/Removed the profile "Outlet"/)
    const again = await cli('profiles', 'show', 'Outlet')
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(
      /There is no profile named "Outlet"\. The profiles are "Main shop"/,
    )
  })

  it('never stores a secret: only the names of the variables that hold them', async () => {
    const bytes = historyBytes(home.dir)
    expect(bytes).toContain('SHOP_DB_PASSWORD')
    expect(bytes).not.toContain(store.reader.password)
    expect(bytes).not.toContain(CONNECTIF_KEY)
    expect(bytes).not.toContain('connectif-secret')
  })

  it('refuses a malformed --target and writes nothing (routing: cli-routing.test.ts)', async () => {
    const run = await cli(
      ...databaseProfileFlags(store, 'Routed', simulator.url, { password: 'P', key: 'K' }),
      '--target',
      'lang=es,currency=EUR,shops=1',
    )
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/--target 'lang=es,currency=EUR,shops=1' needs key-env=VAR/)
    expect(historyCount(home.dir, 'profiles')).toBe(1)
  })
})

describe('profiles test', () => {
  it('says the store and the key work, with the store version, shops and languages', async () => {
    const run = await cli('--json', 'profiles', 'test', 'Main shop')
    expect(run.code).toBe(0)
    const result = json<{
      store: { ok: boolean; version: string; shops: unknown[]; languages: unknown[] }
      connectif: { ok: boolean; message: string }
    }>(run)
    expect(result.store).toMatchObject({ ok: true, version: '8.2.0' })
    expect(result.store.shops).toHaveLength(1)
    expect(result.store.languages.length).toBeGreaterThan(0)
    expect(result.connectif.ok).toBe(true)
    const human = await cli('profiles', 'test', 'Main shop')
    expect(human.stdout).toMatch(/Store:\s+OK — PrestaShop 8\.2\.0/)
    expect(human.stdout).toMatch(/Connectif: OK/)
  })

  it('warns of a key without the Imports permission, which still works (exit 0)', async () => {
    const run = await cliWith({ SHOP_CONNECTIF_KEY: NO_IMPORTS_KEY }, [
      '--json',
      'profiles',
      'test',
      'Main shop',
    ])
    expect(run.code, run.stderr).toBe(0)
    const result = json<{
      connectif: { ok: boolean }
      accounts: { account: string; ok: boolean; warnings?: { code: string; message: string }[] }[]
    }>(run)
    expect(result.connectif.ok).toBe(true)
    expect(result.accounts[0]?.warnings?.map((warning) => warning.code)).toEqual([
      'imports_not_allowed',
    ])
    expect(run.stderr).toMatch(/warning: .*Imports permission/)
    const human = await cliWith({ SHOP_CONNECTIF_KEY: NO_IMPORTS_KEY }, [
      'profiles',
      'test',
      'Main shop',
    ])
    expect(human.stdout).toMatch(/Connectif: OK[^\n]*\n\s+warning: .*Imports permission/)
    // A key with it has no warning at all.
    const good = json<{ accounts: { warnings?: unknown }[] }>(
      await cli('--json', 'profiles', 'test', 'Main shop'),
    )
    expect(good.accounts[0]?.warnings).toBeUndefined()
  })

  it('says Connectif failed, and why, when the key is wrong (exit 3)', async () => {
    const run = await cliWith({ SHOP_CONNECTIF_KEY: 'kid-profiles:wrong' }, [
      '--json',
      'profiles',
      'test',
      'Main shop',
    ])
    expect(run.code).toBe(3)
    const result = json<{ store: { ok: boolean }; connectif: { ok: boolean; message: string } }>(
      run,
    )
    expect(result.store.ok).toBe(true)
    expect(result.connectif.ok).toBe(false)
    expect(result.connectif.message).toMatch(/401/)
    expect(run.stderr).toMatch(/the check of Connectif failed/)
  })

  it('says the store failed, and why, when the database password is wrong (exit 3)', async () => {
    const run = await cliWith({ SHOP_DB_PASSWORD: 'not-the-password' }, [
      'profiles',
      'test',
      'Main shop',
    ])
    expect(run.code).toBe(3)
    expect(run.stdout).toMatch(/Store:\s+FAILED — The database refused the user/)
    expect(run.stdout).toMatch(/Connectif: OK/)
    expect(run.stderr).toMatch(/the check of the store failed/)
  })

  it('names the variable and the profile when a secret is missing (exit 2)', async () => {
    const run = await cliWith({ SHOP_DB_PASSWORD: undefined }, ['profiles', 'test', 'Main shop'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(
      /environment variable SHOP_DB_PASSWORD \(--db-password-env of profile "Main shop"\) is not set/,
    )
    const empty = await cliWith({ SHOP_CONNECTIF_KEY: '' }, ['profiles', 'test', 'Main shop'])
    expect(empty.code).toBe(2)
    expect(empty.stderr).toMatch(/SHOP_CONNECTIF_KEY .* is empty/)
  })
})

describe('statuses', () => {
  it('lists the order states with their counts in a range', async () => {
    const run = await cli(
      '--json',
      'statuses',
      '--profile',
      'Main shop',
      '--from',
      store.range.from,
      '--to',
      store.range.to,
    )
    expect(run.code).toBe(0)
    const rows = json<{ id: number; name: string; color: string; count: number }[]>(run)
    const expected = store.fixture.expectedStates()
    expect(rows.map((row) => row.id)).toEqual(expected.map((state) => state.id))
    expect(rows.map((row) => row.name)).toEqual(expected.map((state) => state.name))
    expect(rows.map((row) => row.color)).toEqual(expected.map((state) => state.color))
    const counts = store.fixture.expectedCounts({ range: store.range })
    // One order of the fixture was moved out of the range (see createTestStore).
    const total = rows.reduce((sum, row) => sum + row.count, 0)
    expect(total).toBe(store.mappings.length)
    expect(total).toBeLessThanOrEqual(counts.total)
  })

  it('lists them without counts, and as a table for people', async () => {
    const run = await cli('--json', 'statuses', '--profile', 'Main shop')
    expect(run.code).toBe(0)
    expect(json<object[]>(run)[0]).not.toHaveProperty('count')
    const human = await cli('statuses', '--profile', 'Main shop', '--lang', 'en')
    expect(human.code).toBe(0)
    expect(human.stdout.split('\n')[0]).toMatch(/^ID\s+Status\s+Colour$/)
  })
})

describe.concurrent('bad input: exit 2, a clear message, nothing written', () => {
  const base = (): string[] => ['--profile', 'Main shop']
  const range = (): string[] => ['--from', store.range.from, '--to', store.range.to]

  const cases: [string, () => string[], RegExp][] = [
    [
      'unknown flag (send)',
      () => ['send', '--bogus'],
      /Unknown option --bogus for "purchase-sender send"[\s\S]*Usage: purchase-sender send/,
    ],
    [
      'unknown flag (preview)',
      () => ['preview', '--frm', '2025-01-01'],
      /Unknown option --frm for "purchase-sender preview"/,
    ],
    ['unknown flag (statuses)', () => ['statuses', '--profil', 'x'], /Unknown option --profil/],
    [
      'unknown flag (history)',
      () => ['history', '--all'],
      /Unknown option --all for "purchase-sender history"/,
    ],
    [
      'unknown flag (report)',
      () => ['report', '1', '--out', 'x.csv', '--every'],
      /Unknown option --every/,
    ],
    ['unknown flag (resume)', () => ['resume', '1', '--force'], /Unknown option --force/],
    [
      'unknown flag (profiles add)',
      () => ['profiles', 'add', '--password', 'x'],
      /Unknown option --password/,
    ],
    ['unknown flag (profiles list)', () => ['profiles', 'list', '-x'], /Unknown option -x/],
    ['unknown command', () => ['sned'], /Unknown command "sned"/],
    [
      'unknown profiles subcommand',
      () => ['profiles', 'edit', 'x'],
      /Unknown command "profiles edit"/,
    ],
    ['missing --profile', () => ['send', ...range(), '--statuses', '2'], /needs --profile NAME/],
    ['missing --statuses', () => ['send', ...base(), ...range()], /needs --statuses/],
    [
      'missing --from',
      () => ['preview', ...base(), '--to', store.range.to, '--statuses', '2'],
      /needs --from DATE/,
    ],
    [
      'missing value',
      () => ['send', ...base(), ...range(), '--statuses'],
      /--statuses needs a value/,
    ],
    ['missing NAME (profiles show)', () => ['profiles', 'show'], /needs NAME/],
    ['missing --out (report)', () => ['report', '1'], /needs --out FILE\.csv/],
    [
      'missing --name (profiles add)',
      () => ['profiles', 'add', '--source', 'database'],
      /needs --name NAME/,
    ],
    [
      'bad --source',
      () => ['profiles', 'add', '--name', 'X', '--source', 'ftp'],
      /--source "ftp" is not a source/,
    ],
    [
      'bad --db-port',
      () => [
        ...databaseProfileFlags(store, 'X', 'https://c.test', { password: 'P', key: 'K' }),
        '--db-port',
        '70000',
      ],
      /--db-port "70000" must be a whole number from 1 to 65535/,
    ],
    [
      'a key given as a variable name',
      () => [
        ...databaseProfileFlags(store, 'X', 'https://c.test', { password: 'P', key: 'K' }).slice(
          0,
          -4,
        ),
        '--connectif-key-env',
        'kid:secret',
      ],
      /--connectif-key-env must be the name of an environment variable(?![^]*kid:secret)/,
    ],
    [
      'bad date',
      () => ['send', ...base(), '--from', '2025-02-30', '--to', store.range.to, '--statuses', '2'],
      /--from: The start date "2025-02-30" is not a real day/,
    ],
    [
      'bad date (statuses)',
      () => ['statuses', ...base(), '--from', '2025/01/01', '--to', '2025-01-31'],
      /--from "2025\/01\/01" is not a real day/,
    ],
    [
      'range over one year',
      () => [
        'send',
        ...base(),
        '--from',
        yearsBefore(store.range.to, 1, -1),
        '--to',
        store.range.to,
        '--statuses',
        '2',
      ],
      /--to: The range covers more than one year/,
    ],
    [
      'start more than 5 years ago',
      () => [
        'preview',
        ...base(),
        '--from',
        yearsBefore(store.range.to, 6, 0),
        '--to',
        yearsBefore(store.range.to, 6, 10),
        '--statuses',
        '2',
      ],
      /--from: The start date .* is more than 5 years ago/,
    ],
    [
      'end before start',
      () => [
        'send',
        ...base(),
        '--from',
        store.range.to,
        '--to',
        store.range.from,
        '--statuses',
        '2',
      ],
      /--to: The end date .* is before the start date/,
    ],
    [
      'unknown status',
      () => ['send', ...base(), ...range(), '--statuses', '2,999'],
      /--statuses: The store has no order status with the id 999/,
    ],
    [
      'malformed statuses',
      () => ['preview', ...base(), ...range(), '--statuses', '2;3'],
      /--statuses "2;3" is not a comma-separated list/,
    ],
    [
      'bad --rate-limit',
      () => ['send', ...base(), ...range(), '--statuses', '2', '--rate-limit', '0'],
      /--rate-limit "0" must be a whole number from 1/,
    ],
    [
      'unknown profile (send)',
      () => ['send', '--profile', 'Nope', ...range(), '--statuses', '2'],
      /There is no profile named "Nope"/,
    ],
    [
      'unknown profile (statuses)',
      () => ['statuses', '--profile', 'Nope'],
      /There is no profile named "Nope"/,
    ],
    [
      'unknown profile (history)',
      () => ['history', '--profile', 'Nope'],
      /There is no profile named "Nope"/,
    ],
    [
      'unknown profile (profiles test)',
      () => ['profiles', 'test', 'Nope'],
      /There is no profile named "Nope"/,
    ],
    [
      'unknown profile (profiles remove)',
      () => ['profiles', 'remove', 'Nope'],
      /There is no profile named "Nope"/,
    ],
    [
      'unknown language',
      () => ['statuses', ...base(), '--lang', 'xx'],
      /--lang "xx" is not a language of this store/,
    ],
    [
      'unknown sending id (report)',
      () => ['report', '4242', '--out', join(home.dir, 'r.csv')],
      /There is no sending #4242/,
    ],
    ['unknown sending id (resume)', () => ['resume', '4242'], /There is no sending #4242/],
    ['not a sending id', () => ['resume', 'last'], /"last" is not a sending id/],
  ]

  it.each(cases)('%s', async (_label, args, message) => {
    const sendings = historyCount(home.dir, 'sendings')
    const profiles = historyCount(home.dir, 'profiles')
    const out = join(home.dir, 'preview-out.jsonl')
    const run = await cli(...args(), ...(args()[0] === 'preview' ? ['--out', out] : []))
    expect(run.stderr).toMatch(message)
    expect(run.stderr).toMatch(/^purchase-sender: /)
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(historyCount(home.dir, 'sendings')).toBe(sendings)
    expect(historyCount(home.dir, 'profiles')).toBe(profiles)
    expect(existsSync(out)).toBe(false)
    expect(existsSync(join(home.dir, 'r.csv'))).toBe(false)
  })

  it('prints help for every command (exit 0) and the version', async () => {
    for (const command of [['send'], ['preview'], ['profiles', 'add'], ['report'], ['resume']]) {
      const run = await cli(...command, '--help')
      expect(run.code).toBe(0)
      expect(run.stdout).toMatch(new RegExp(`^Usage: purchase-sender ${command.join(' ')}`))
    }
    const version = await cli('--version')
    expect(version.code).toBe(0)
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
  })
})

/** A day `years` years before `day`, `days` days later. */
function yearsBefore(day: string, years: number, days: number): string {
  const date = new Date(`${day}T00:00:00Z`)
  date.setUTCFullYear(date.getUTCFullYear() - years)
  date.setUTCDate(date.getUTCDate() + days)
  return date.toISOString().slice(0, 10)
}
