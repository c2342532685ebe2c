import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createConnectifClient } from '../../main/core/connectif/connectif-client'
import { parseImport } from '../../main/core/connectif/connectif-imports'
import { resetRateLimiters } from '../../main/core/connectif/rate-limiter'
import {
  SCOPES_WITHOUT_IMPORTS,
  startConnectifSimulator,
  type ConnectifSimulator,
  type SimulatorOptions,
} from '../support/connectif-simulator'

const KEY = 'key1:secret1'
const NO_IMPORTS_KEY = 'key2:secret2'
const READ_IMPORTS_KEY = 'key3:secret3'

let sim: ConnectifSimulator | undefined

async function start(overrides: Partial<SimulatorOptions> = {}): Promise<ConnectifSimulator> {
  sim = await startConnectifSimulator({
    accounts: [
      {
        name: 'shop',
        keys: [
          { key: KEY },
          { key: NO_IMPORTS_KEY, scopes: SCOPES_WITHOUT_IMPORTS },
          { key: READ_IMPORTS_KEY, scopes: [...SCOPES_WITHOUT_IMPORTS, 'read:imports'] },
        ],
        contacts: [],
        products: [],
        rateLimit: 1_000,
      },
    ],
    ...overrides,
  })
  return sim
}

function client(apiKey = KEY) {
  if (sim === undefined) throw new Error('start the simulator first')
  return createConnectifClient({
    account: { apiUrl: sim.url, apiKey },
    requestsPerMinute: 60_000,
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
  })
}

const CONTACTS = {
  type: 'contacts',
  csv: '_email,_name\nzoe@example.com,"Zoë, Ann"\n',
  fileName: 'c.csv',
} as const

beforeEach(() => resetRateLimiters())
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

describe("the client's Import API", () => {
  it('uploads a CSV as multipart, never overriding, and reads the import back', async () => {
    const s = await start({ imports: { queuedMs: 60_000 } })
    const created = await client().createImport(CONTACTS)
    expect(created.outcome).toMatchObject({
      kind: 'accepted',
      import: { status: 'queued', total: 1, success: 0, errors: 0, errorReportFileUrl: null },
    })
    expect(created).toMatchObject({ status: 201, attempts: 1 })
    const [view] = s.account('shop').imports()
    expect(view).toMatchObject({
      type: 'contacts',
      overrideExisting: false,
      fileName: 'c.csv',
      rows: 1,
      columns: ['_email', '_name'],
    })
    const id = created.outcome.kind === 'accepted' ? created.outcome.import.id : ''
    const read = await client().getImport(id)
    expect(read.outcome).toMatchObject({ kind: 'accepted', import: { id, status: 'queued' } })
    expect((await client().getImport('0123456789abcdef01234567')).outcome).toEqual({
      kind: 'not_found',
    })
  })

  it('tells a full queue, a missing permission, a refused file and a wrong key apart', async () => {
    const s = await start({ imports: { maxFileBytes: 60 } })
    s.account('shop').addForeignImports(11, 600_000)
    const full = await client().createImport(CONTACTS)
    expect(full.outcome).toEqual({ kind: 'queue_full' })
    expect(full.message).toContain('more than 10 imports queued')
    expect((await client(NO_IMPORTS_KEY).createImport(CONTACTS)).outcome).toEqual({
      kind: 'not_allowed',
    })
    const large = await client().createImport({
      ...CONTACTS,
      csv: `_email\n${'a'.repeat(60)}@b.c\n`,
    })
    expect(large.outcome).toEqual({ kind: 'rejected' })
    expect(large.message).toContain('too large (413)')
    const invalid = await client().createImport({ ...CONTACTS, csv: 'email\nzoe@example.com\n' })
    expect(invalid).toMatchObject({ outcome: { kind: 'rejected' }, status: 422 })
    expect((await client('nobody:secret').createImport(CONTACTS)).outcome).toEqual({
      kind: 'auth_failed',
      status: 401,
    })
  })

  it('retries 5xx, then says unavailable', async () => {
    const s = await start()
    s.queueFaults('error', 'error', 'error')
    const result = await client().createImport(CONTACTS)
    expect(result).toMatchObject({ outcome: { kind: 'unavailable' }, attempts: 3, status: 503 })
    s.queueFaults('error')
    expect((await client().createImport(CONTACTS)).outcome.kind).toBe('accepted')
  })

  it('checks the Imports permission without creating anything', async () => {
    const s = await start()
    expect(await client().checkImportAccess()).toMatchObject({ allowed: true })
    const refused = await client(NO_IMPORTS_KEY).checkImportAccess()
    expect(refused.allowed).toBe(false)
    expect(refused.message).toContain('Imports permission')
    // Listing needs only the read scope: the check cannot see a missing write scope.
    expect((await client(READ_IMPORTS_KEY).checkImportAccess()).allowed).toBe(true)
    expect(s.account('shop').imports()).toEqual([])
    expect(s.account('shop').stats.imports).toMatchObject({ created: 0, lists: 2 })
  })
})

describe('an import in an answer', () => {
  it('is read leniently: an unknown status is still under way, odd counts are unknown', () => {
    expect(parseImport('{"id":"a","status":"validating","total":"x","success":3}')).toEqual({
      id: 'a',
      status: 'inProgress',
      total: null,
      success: 3,
      errors: null,
      errorReportFileUrl: null,
    })
    expect(parseImport('{"id":7,"status":"finished"}')?.id).toBe('7')
    expect(parseImport('not json')).toBeNull()
    expect(parseImport('{"status":"finished"}')).toBeNull()
  })
})
