/**
 * Issue 17, the command line's diagnostic log: every run writes its lines to
 * `<home>/logs/purchase-sender.log`; `--verbose` (a global option, before or after the command)
 * also writes the same lines to stderr, one readable line each, and never anything to stdout, so
 * a `--json` result stays one JSON document. Against a real MariaDB store and the Connectif
 * simulator; no line holds a customer's e-mail or a secret.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startConnectifSimulator, type ConnectifSimulator } from '../support/connectif-simulator'
import {
  createTestStore,
  databaseProfileFlags,
  json,
  sendArgs,
  useCliHome,
  type SendingJson,
  type TestStore,
} from './cli-harness'

const KEY = 'kid-verbose:verbose-secret'

let store: TestStore
let simulator: ConnectifSimulator
const home = useCliHome()
const { cli } = home

/** A log line as --verbose writes it: `12:03:04.512 INFO  sending_start: Sending #1 started…`. */
const HUMAN_LINE = /^\d{2}:\d{2}:\d{2}\.\d{3} (DEBUG|INFO|WARN|ERROR)\s+([a-z_]+): /

function logFile(): string {
  return join(home.dir, 'logs', 'purchase-sender.log')
}

function logLines(): { event: string; level: string }[] {
  if (!existsSync(logFile())) return []
  return readFileSync(logFile(), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { event: string; level: string })
}

/** The log lines a run wrote to stderr, as [level, event]. */
function humanLines(stderr: string): [string, string][] {
  return stderr.split('\n').flatMap((line) => {
    const match = HUMAN_LINE.exec(line)
    return match ? [[match[1] as string, match[2] as string] as [string, string]] : []
  })
}

beforeAll(async () => {
  store = await createTestStore('cli_verbose', 303)
  const ready = store.mappings.flatMap((mapping) =>
    mapping.result === 'ready' ? [mapping.purchase] : [],
  )
  simulator = await startConnectifSimulator({
    accounts: [
      {
        name: 'main',
        keys: [{ key: KEY }],
        rateLimit: 100_000,
        authorisedDomains: ['shop.example.test'],
        contacts: [...new Set(ready.map((purchase) => purchase.contactEmail))],
        products: [
          ...new Set(ready.flatMap((purchase) => purchase.products.map((p) => p.productId))),
        ],
      },
    ],
  })
  home.env = { VERBOSE_DB_PASSWORD: store.reader.password, VERBOSE_KEY: KEY }
  const added = await cli(
    ...databaseProfileFlags(store, 'Verbose shop', simulator.url, {
      password: 'VERBOSE_DB_PASSWORD',
      key: 'VERBOSE_KEY',
    }),
  )
  expect(added.code, added.stderr).toBe(0)
})

afterAll(async () => {
  await simulator?.close()
  await store?.drop()
})

describe('--verbose', () => {
  it('writes the log lines to stderr and leaves stdout as it was', async () => {
    const quiet = await cli('--json', 'history')
    const verbose = await cli('--json', '--verbose', 'history')
    expect(verbose.code).toBe(0)
    expect(verbose.stdout).toBe(quiet.stdout)
    expect(quiet.stderr).toBe('')
    expect(humanLines(verbose.stderr)).toEqual([
      ['INFO', 'app_start'],
      ['INFO', 'app_stop'],
    ])
    expect(verbose.stderr).toContain('app_start: Purchase Sender')
    expect(verbose.stderr).toContain('(cli: history)')
  })

  it('tells a sending on stderr, line for line as the file, and keeps --json one document', async () => {
    const before = logLines().length
    const run = await cli('--json', ...sendArgs(store, 'Verbose shop', 6000), '--verbose')
    expect(run.code, run.stderr).toBe(0)
    const result = json<SendingJson>(run)
    expect(result.state).toBe('completed')
    expect(run.stdout).not.toMatch(/sending_start|app_start|connectif_/)

    const written = logLines().slice(before)
    const told = humanLines(run.stderr)
    expect(told).toEqual(written.map((line) => [line.level.toUpperCase(), line.event]))
    expect(told.map(([, event]) => event)).toEqual(
      expect.arrayContaining(['app_start', 'sending_start', 'sending_end', 'app_stop']),
    )
    expect(run.stderr).toMatch(
      new RegExp(
        `sending_end: Sending #${result.sendingId} ended completed: ${result.created} created`,
      ),
    )

    for (const mapping of store.mappings) {
      const email = mapping.order.customerEmail
      if (email.includes('@')) expect(run.stderr).not.toContain(email)
    }
    expect(run.stderr).not.toContain(KEY)
    expect(run.stderr).not.toContain(store.reader.password)
  })

  it('is off by default: the file still gets the lines, stderr does not', async () => {
    const before = logLines().length
    const run = await cli('--json', 'profiles', 'show', 'Nobody')
    expect(run.code).toBe(2)
    expect(humanLines(run.stderr)).toEqual([])
    const written = logLines().slice(before)
    expect(written.map((line) => line.event)).toEqual(['app_start', 'failure', 'app_stop'])
  })
})
