/**
 * A profile that reads the store through the PrestaShop Webservice, through the real command
 * line: against the Webservice simulator (serving a real MariaDB store) and the Connectif
 * simulator. Bad addresses, missing and wrong keys, and the notices a working but imperfect
 * connection gives (on stderr, so `--json` output stays one document).
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HistoryStore } from '../../main/core/history/history-store'
import { startConnectifSimulator, type ConnectifSimulator } from '../support/connectif-simulator'
import {
  startWebserviceSimulator,
  WEBSERVICE_TEST_KEY,
  type WebserviceSimulator,
} from '../support/prestashop/webservice-simulator'
import {
  createTestStore,
  historyBytes,
  historyCount,
  historyFile,
  json,
  previewArgs,
  previewLines,
  readJsonLines,
  sendArgs,
  useCliHome,
  webserviceProfileFlags,
  type TestStore,
} from './cli-harness'

const CONNECTIF_KEY = 'kid-ws:connectif-secret-7c2a'
const WRONG_KEY = 'WRONGKEY0123456789ABCDEFGHIJKLMN'

let store: TestStore
let webservice: WebserviceSimulator
/** A shop behind PHP as CGI: the Authorization header never arrives, the key must go in the URL. */
let cgiWebservice: WebserviceSimulator
let connectif: ConnectifSimulator
const home = useCliHome()
const { cli, cliWith } = home

function profileFlags(name: string, url: string): string[] {
  return webserviceProfileFlags(name, url, connectif.url, {
    wsKey: 'SHOP_WS_KEY',
    key: 'SHOP_CONNECTIF_KEY',
  })
}

beforeAll(async () => {
  expect(WRONG_KEY).toHaveLength(32)
  store = await createTestStore('cli_ws', 303)
  const database = {
    host: store.db.host,
    port: store.db.port,
    user: store.db.user,
    password: store.db.password,
    database: store.db.database,
  }
  webservice = await startWebserviceSimulator({ database, version: '8.2.0' })
  cgiWebservice = await startWebserviceSimulator({
    database,
    version: '8.2.0',
    quirks: { stripAuthorization: true },
  })
  connectif = await startConnectifSimulator({
    accounts: [
      {
        name: 'main',
        keys: [{ key: CONNECTIF_KEY }],
        rateLimit: 100_000,
        authorisedDomains: ['shop.example.test'],
      },
    ],
  })
  home.env = { SHOP_WS_KEY: WEBSERVICE_TEST_KEY, SHOP_CONNECTIF_KEY: CONNECTIF_KEY }
  // The address as merchants paste it: the API's, which is saved as the shop's.
  const added = await cli('--json', ...profileFlags('WS shop', `${webservice.url}api/`))
  expect(added.code, added.stderr).toBe(0)
  expect(json(added)).toMatchObject({
    source: { kind: 'webservice', url: webservice.url, keyEnv: 'SHOP_WS_KEY', keyInUrl: false },
  })
  // The same server that drops the Authorization header, with and without the merchant's consent
  // to send the key in the URL.
  const cgi = await cli(...profileFlags('CGI shop', cgiWebservice.url), '--ws-key-in-url')
  expect(cgi.code, cgi.stderr).toBe(0)
  expect(cgi.stdout).toMatch(/Webservice key variable:\s+SHOP_WS_KEY/)
  expect(cgi.stdout).toMatch(/Webservice key sent:\s+in the URL/)
  const header = await cli(...profileFlags('CGI header shop', cgiWebservice.url))
  expect(header.code, header.stderr).toBe(0)
})

afterAll(async () => {
  await connectif?.close()
  await cgiWebservice?.close()
  await webservice?.close()
  await store?.drop()
})

const INSECURE = /purchase-sender: warning: http:\/\/127\.0\.0\.1:\d+ is an http:\/\/ address/

describe('profiles add --source webservice', () => {
  it.each([
    ['not an address', 'shop example', /--ws-url: "shop example" is not a web address/],
    ['another scheme', 'ftp://shop.example.test', /is not an http:\/\/ or https:\/\/ address/],
    [
      'credentials in the address',
      'https://admin:secret@shop.example.test',
      /must not contain a user name or password/,
    ],
  ])('refuses %s (exit 2, nothing written)', async (_label, url, message) => {
    const profiles = historyCount(home.dir, 'profiles')
    const run = await cli(...profileFlags('Bad address', url))
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/^purchase-sender: /)
    expect(run.stderr).toMatch(message)
    expect(run.stdout).toBe('')
    expect(historyCount(home.dir, 'profiles')).toBe(profiles)
  })

  it('keeps the key out of the history: only the name of its variable', () => {
    const bytes = historyBytes(home.dir)
    expect(bytes).toContain('SHOP_WS_KEY')
    expect(bytes).not.toContain(WEBSERVICE_TEST_KEY)
  })
})

describe('profiles test', () => {
  it('reads the store through the Webservice and reports the http:// notice', async () => {
    const run = await cli('--json', 'profiles', 'test', 'WS shop')
    expect(run.code, run.stderr).toBe(0)
    const result = json<{
      store: {
        ok: boolean
        version: string
        shops: unknown[]
        notices: { code: string; message: string }[]
      }
      connectif: { ok: boolean }
    }>(run)
    expect(result.store).toMatchObject({ ok: true, version: '8.2.0' })
    expect(result.store.shops).toHaveLength(1)
    expect(result.store.notices.map((notice) => notice.code)).toEqual(['insecure_http'])
    expect(result.connectif.ok).toBe(true)
    // With --json the warning is on stderr too, where scripts look for warnings.
    expect(run.stderr).toMatch(INSECURE)

    const human = await cli('profiles', 'test', 'WS shop')
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout).toMatch(/Store:\s+OK — PrestaShop 8\.2\.0/)
    expect(human.stdout).toMatch(/warning: http:\/\/127\.0\.0\.1:\d+ is an http:\/\/ address/)
    // Shown once: in the report, not again on stderr.
    expect(human.stderr).not.toMatch(/warning/)
  })

  it('says the shop refused the key, and why (exit 3)', async () => {
    const run = await cliWith({ SHOP_WS_KEY: WRONG_KEY }, ['profiles', 'test', 'WS shop'])
    expect(run.code).toBe(3)
    expect(run.stdout).toMatch(/Store:\s+FAILED — .*does not know this Webservice key/)
    expect(run.stdout).toMatch(/Connectif: OK/)
    expect(run.stderr).toMatch(/the check of the store failed/)
  })

  it('names the variable and the profile when the key is not set (exit 2)', async () => {
    const run = await cliWith({ SHOP_WS_KEY: undefined }, ['profiles', 'test', 'WS shop'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(
      /environment variable SHOP_WS_KEY \(--ws-key-env of profile "WS shop"\) is not set/,
    )
    expect(run.stdout).toBe('')
  })

  it('asks for --ws-key-env when the profile keeps its key in the desktop app (exit 2)', async () => {
    // The desktop app and the command line share the data directory; its profiles name no variable.
    const history = HistoryStore.open(historyFile(home.dir))
    try {
      history.profiles.create({
        name: 'Desktop shop',
        source: { kind: 'webservice', url: webservice.url, keyEnv: null },
        connectif: { apiUrl: connectif.url, keyEnv: 'SHOP_CONNECTIF_KEY' },
        shopIds: [],
        languageIso: null,
        defaultStateIds: [],
      })
    } finally {
      history.close()
    }
    const show = await cli('profiles', 'show', 'Desktop shop')
    expect(show.stdout).toMatch(
      /Webservice key variable:\s+\(none: the desktop app keeps the key\)/,
    )
    webservice.resetRequests()
    const run = await cli('statuses', '--profile', 'Desktop shop')
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(
      /The profile "Desktop shop" names no environment variable for the Webservice key .*--ws-key-env VAR/,
    )
    expect(webservice.requests).toHaveLength(0)
  })

  it('never puts the key in the URL unasked: a shop that drops the header is an error naming the flag', async () => {
    const before = cgiWebservice.requests.length
    const run = await cli('statuses', '--profile', 'CGI header shop')
    expect(run.code).toBe(3)
    expect(run.stderr).toMatch(/--ws-key-in-url/)
    expect(cgiWebservice.requests.slice(before).some((request) => request.auth === 'query')).toBe(
      false,
    )
  })

  it('sends the key in the URL when the profile asks, with a warning', async () => {
    const run = await cli('--json', 'statuses', '--profile', 'CGI shop')
    expect(run.code, run.stderr).toBe(0)
    expect(json<unknown[]>(run).length).toBeGreaterThan(0)
    expect(run.stderr).toMatch(/purchase-sender: warning: .*URL/)
    expect(run.stderr).toMatch(INSECURE)
    expect(cgiWebservice.requests.some((request) => request.auth === 'query')).toBe(true)
  })
})

describe('statuses, preview and send through the Webservice', () => {
  it('lists the order states with their counts, warning on stderr only', async () => {
    const run = await cli(
      '--json',
      'statuses',
      '--profile',
      'WS shop',
      '--from',
      store.range.from,
      '--to',
      store.range.to,
    )
    expect(run.code, run.stderr).toBe(0)
    const rows = json<{ id: number; name: string; color: string; count: number }[]>(run)
    const expected = store.fixture.expectedStates()
    expect(rows.map((row) => row.id)).toEqual(expected.map((state) => state.id))
    expect(rows.map((row) => row.name)).toEqual(expected.map((state) => state.name))
    expect(rows.reduce((sum, row) => sum + row.count, 0)).toBe(store.mappings.length)
    expect(run.stderr).toMatch(INSECURE)
  })

  it('previews exactly what the database reader maps', async () => {
    const out = join(home.dir, 'preview.jsonl')
    const run = await cli('--json', ...previewArgs(store, 'WS shop', out))
    expect(run.code, run.stderr).toBe(0)
    const ready = store.mappings.filter((mapping) => mapping.result === 'ready').length
    expect(json(run)).toMatchObject({
      total: store.mappings.length,
      ready,
      skipped: store.mappings.length - ready,
    })
    expect(run.stderr).toMatch(INSECURE)
    const lines = readJsonLines(out)
    expect(lines).toEqual(previewLines(store.mappings))
  })

  it('sends every ready order once (exit 0), warning once on stderr', async () => {
    const run = await cli('--json', ...sendArgs(store, 'WS shop', 6000))
    expect(run.code, run.stderr).toBe(0)
    const ready = store.mappings.flatMap((mapping) =>
      mapping.result === 'ready' ? [mapping.purchase] : [],
    )
    expect(json(run)).toMatchObject({
      state: 'completed',
      total: store.mappings.length,
      created: ready.length,
      failed: 0,
      skipped: store.mappings.length - ready.length,
    })
    expect(run.stderr.match(/warning: /g)).toHaveLength(1)
    const purchases = connectif.account('main').purchases
    expect(purchases.size).toBe(ready.length)
    for (const purchase of ready) expect(purchases.get(purchase.purchaseId)?.body).toEqual(purchase)
  })

  it('stops with the shop message when the key is wrong (exit 3), nothing recorded', async () => {
    const sendings = historyCount(home.dir, 'sendings')
    const run = await cliWith({ SHOP_WS_KEY: WRONG_KEY }, sendArgs(store, 'WS shop'))
    expect(run.code).toBe(3)
    expect(run.stderr).toMatch(
      /purchase-sender: The store failed: .*does not know this Webservice key/,
    )
    expect(run.stdout).toBe('')
    expect(historyCount(home.dir, 'sendings')).toBe(sendings)
  })
})
