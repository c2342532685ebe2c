/**
 * Issue 17, the diagnostic log holds no secret, no customer e-mail and no payload: a whole
 * sending runs through the engine against the real MariaDB store and the Connectif simulator
 * (missing contacts and products imported first, some answers 503 so requests are retried), its
 * log written at `debug` (every Connectif answer) to a temporary folder; the file must tell the
 * sending's start, end, statuses, waits and retries, and nothing of what was sent. Then the two
 * halves of the design on their own: only an event's whitelisted fields reach the file, and the
 * last-resort pass replaces what a message quotes.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { openDiagnosticLog, type DiagnosticLog } from '../../main/core/logging/diagnostic-log'
import type { LogEvent } from '../../main/core/logging/log-events'
import { redactText, redactValue } from '../../main/core/logging/redaction'
import { mapOrderToPurchase } from '../../main/core/purchases/order-to-purchase'
import { startSending } from '../../main/core/sending/sending-engine'
import { openDatabaseStore } from '../../main/core/store/database/database-store'
import { startConnectifSimulator, type ConnectifSimulator } from '../support/connectif-simulator'
import { createTestDatabase, type TestDatabase, type TestUser } from '../support/mysql-server'
import type { StoreFixture } from '../support/prestashop/store-generator'
import {
  allStateIds,
  API_KEY,
  databaseOptions,
  expectedOutcome,
  loadStore,
  openHarness,
  recentRange,
  sendingOptions,
  type Harness,
} from '../sending/engine-harness'

let db: TestDatabase
/** The store's reader, with a password of its own: the sending reads the store as it. */
let reader: TestUser
let fixture: StoreFixture
let expected: ReturnType<typeof expectedOutcome>
let simulator: ConnectifSimulator
let harness: Harness
let logDirectory: string
let log: DiagnosticLog

type LogLine = Record<string, unknown> & { event: string; level: string; msg: string }

async function logLines(): Promise<{ text: string; lines: LogLine[] }> {
  const text = await readFile(log.file, 'utf8')
  return {
    text,
    lines: text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as LogLine),
  }
}

beforeAll(async () => {
  db = await createTestDatabase('log_redaction')
  fixture = await loadStore(db, 60)
  reader = await db.createUser({ privileges: ['SELECT'] })
  expected = expectedOutcome(fixture)
})

afterAll(async () => {
  await db.drop()
})

beforeEach(async () => {
  simulator = await startConnectifSimulator({
    accounts: [
      {
        name: 'shop',
        keys: [{ key: API_KEY }],
        authorisedDomains: ['example.test'],
        // Nothing known: the sending imports its contacts and products first (CSV bodies full
        // of e-mails and product names), then creates the purchases.
        contacts: [],
        products: [],
        rateLimit: 100_000,
      },
    ],
    // Every seventh request fails once: retries and their waits.
    faults: { errorEvery: 7, errorStatus: 503 },
  })
  harness = await openHarness(db, simulator)
  logDirectory = await mkdtemp(join(tmpdir(), 'purchase-sender-log-'))
  log = openDiagnosticLog({ directory: logDirectory, level: 'debug' })
})

afterEach(async () => {
  log.close()
  await harness.close()
  await simulator.close()
  await rm(logDirectory, { recursive: true, force: true })
})

/** Everything of the store's orders and of their purchases that the log must never hold. */
function forbiddenFragments(): string[] {
  const orders = fixture.expectedOrders()
  const fragments = new Set<string>([API_KEY, reader.password])
  for (const order of orders) {
    const email = order.customer?.email.trim() ?? ''
    if (email.includes('@') && email.length > 3) fragments.add(email)
    if (order.reference.trim().length >= 6) fragments.add(order.reference)
    for (const line of order.lines) if (line.name.trim().length >= 6) fragments.add(line.name)
    const mapping = mapOrderToPurchase(order)
    if (mapping.result === 'ready') {
      fragments.add(mapping.purchase.contactEmail)
      for (const product of mapping.purchase.products)
        if (product.name.trim().length >= 6) fragments.add(product.name)
    }
  }
  for (const email of expected.emails) fragments.add(email)
  return [...fragments].filter((fragment) => fragment.trim().length >= 4)
}

describe('the diagnostic log of a sending', () => {
  it('tells its start, end, statuses, waits and retries, and nothing that was sent', async () => {
    const sending = await startSending(
      {
        ...harness.deps({ attempts: 10 }),
        openStore: () =>
          openDatabaseStore({
            ...databaseOptions(db),
            user: reader.user,
            password: reader.password,
          }),
        logger: log,
      },
      {
        profile: harness.profile,
        ...recentRange(),
        stateIds: allStateIds(fixture),
        mode: 'cli',
        options: sendingOptions(),
      },
    )
    expect(sending.counts.created).toBeGreaterThan(0)
    const { text, lines } = await logLines()

    const start = lines.find((line) => line.event === 'sending_start')
    expect(start).toMatchObject({
      level: 'info',
      sendingId: sending.id,
      expectedTotal: sending.expectedTotal,
      resumed: false,
    })
    const end = lines.find((line) => line.event === 'sending_end')
    expect(end).toMatchObject({
      sendingId: sending.id,
      state: sending.state,
      counts: sending.counts,
    })
    // Connectif's statuses: the purchases created (201), the imports, the 503s retried.
    const http = end?.['http'] as Record<string, number>
    expect(http['201']).toBeGreaterThanOrEqual(sending.counts.created)
    expect(end?.['retries']).toBeGreaterThan(0)
    expect(end?.['waits']).toBeGreaterThan(0)
    const answers = lines.filter((line) => line.event === 'connectif_answer')
    expect(answers.some((line) => line['call'] === 'purchase' && line['status'] === 201)).toBe(true)
    expect(answers.some((line) => line['call'] === 'import')).toBe(true)
    expect(answers.some((line) => (line['attempts'] as number) > 1)).toBe(true)
    expect(
      lines.some((line) => line.event === 'connectif_wait' && line['reason'] === 'retry'),
    ).toBe(true)

    // Nothing of what was sent: no e-mail, no key, no password, no product, no reference.
    const lowered = text.toLowerCase()
    const leaked = forbiddenFragments().filter((fragment) =>
      lowered.includes(fragment.toLowerCase()),
    )
    expect(leaked).toEqual([])
    expect(text).not.toMatch(/[^\s"@]+@[^\s"@]+\.[a-z]{2,}/i)
    for (const field of ['"purchaseId"', '"contactEmail"', '"products"', '"cartId"', 'apiKey '])
      expect(text).not.toContain(field)
  })
})

describe('what reaches the file', () => {
  it('is only the whitelisted fields of an event', async () => {
    const event = {
      event: 'failure',
      where: 'sending:start',
      code: 'store_access_denied',
      message: 'The store refused the user.',
      // What a careless caller could spread into an event: never written.
      payload: { contactEmail: 'ana@example.test', products: [{ name: 'Secret mug' }] },
      apiKey: 'kid:very-secret',
    } as unknown as LogEvent
    log.log(event)
    const { text, lines } = await logLines()
    expect(lines).toHaveLength(1)
    expect(Object.keys(lines[0] as object).sort()).toEqual(
      ['code', 'event', 'level', 'msg', 'pid', 'time', 'where'].sort(),
    )
    expect(text).not.toContain('ana@example.test')
    expect(text).not.toContain('Secret mug')
    expect(text).not.toContain('very-secret')
  })

  it('has e-mails, keys and passwords that a message quotes replaced', async () => {
    log.log({
      event: 'failure',
      where: 'profiles:test',
      code: 'store_access_denied',
      message:
        "Access denied for 'reader'@'10.0.0.5' (using password: YES); mysql://reader:hunter2@db.example.test/shop; " +
        'customer Zoë.Núñez+42@exämple.test; Authorization: apiKey kid-main:s3cr3t; ' +
        'https://shop.example.test/api/orders?ws_key=ABCDEF123456&display=full; password=hunter2',
    })
    log.log({
      event: 'bug',
      where: 'app',
      message: 'Unexpected',
      error: new Error('PATCH /contacts/ana.lopez@example.test failed (Bearer abcdefghijklmnop)'),
    })
    const { text } = await logLines()
    for (const secret of [
      'hunter2',
      'Zoë.Núñez+42@exämple.test',
      'kid-main:s3cr3t',
      'ABCDEF123456',
      'ana.lopez@example.test',
      'abcdefghijklmnop',
    ])
      expect(text).not.toContain(secret)
    expect(text).toContain('[email]')
    expect(text).toContain('[secret]')
    // What support needs stays: the code and the sentence around what was replaced.
    expect(text).toContain('"code":"store_access_denied"')
    expect(text).toContain('Access denied for')
  })

  it('redacts in one place, for text and values alike', () => {
    expect(redactText('ws_key=abc123def&x=1')).toBe('ws_key=[secret]&x=1')
    expect(redactText('"apiKey": "kid:secret"')).toBe('"apiKey": "[secret]"')
    expect(redactText('authorization=Basic dXNlcjpwYXNz')).toBe('authorization=[secret]')
    expect(redactText('Sending #3 ended completed: 12 created')).toBe(
      'Sending #3 ended completed: 12 created',
    )
    expect(
      redactValue({
        msg: 'to a@b.co',
        nested: { password: 'x', email: 'a@b.co', count: 3, ok: true },
        list: ['c@d.io'],
      }),
    ).toEqual({
      msg: 'to [email]',
      nested: { password: '[redacted]', email: '[redacted]', count: 3, ok: true },
      list: ['[email]'],
    })
  })
})
