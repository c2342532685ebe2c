/**
 * Secrets go only where the user points them. A capture server on loopback stands for a server an
 * attacker controls: whoever holds the browser-mode token, or edits a saved profile's draft, must
 * not be able to have a secret sent there — neither a host variable named in a profile
 * (`AWS_SECRET_ACCESS_KEY`) nor a saved secret whose profile is re-pointed.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProfileDraft } from '../../preload/contract'
import { TOKEN_HEADER } from '../../preload/contract'
import { startBrowserMode, type BrowserMode } from '../../main/web/browser-mode'
import { createTestDatabase, type TestDatabase, type TestUser } from '../support/mysql-server'
import { API_KEY, expectedOutcome, loadStore, shopAccount } from '../sending/engine-harness'
import { databaseSource, failure, ok, useAppHarness } from './app-harness'

const HOST_SECRET = 'aws-secret-that-must-never-leave'

let db: TestDatabase
let reader: TestUser
let expected: ReturnType<typeof expectedOutcome>
let capture: { server: Server; url: string; seen: IncomingHttpHeaders[] }

beforeAll(async () => {
  db = await createTestDatabase('secret_deputy')
  expected = expectedOutcome(await loadStore(db, 5))
  reader = await db.createUser({ privileges: ['SELECT'] })
  const seen: IncomingHttpHeaders[] = []
  const server = createServer((request, response) => {
    seen.push(request.headers)
    response.writeHead(401, { 'content-type': 'application/json' }).end('{}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  capture = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
})

afterAll(async () => {
  await new Promise((resolve) => capture.server.close(resolve))
  await db.drop()
})

const app = useAppHarness({
  home: 'secret-deputy',
  accounts: () => [shopAccount('shop', API_KEY, expected)],
  secretValues: () => [reader.password, API_KEY, HOST_SECRET],
  quiet: true,
})

/** Every value a capture server must never see. */
function expectNothingCaptured(): void {
  const everything = JSON.stringify(capture.seen)
  expect(everything).not.toContain(HOST_SECRET)
  expect(everything).not.toContain(API_KEY)
  expect(everything).not.toContain(reader.password)
}

function draft(name: string, apiUrl: string, keyEnv: string | null): ProfileDraft['profile'] {
  return {
    name,
    source: { ...databaseSource(db, reader), passwordEnv: null },
    connectif: { apiUrl, keyEnv },
  }
}

describe('the desktop app: a saved secret goes only where it was saved for', () => {
  it('refuses to test or save a re-pointed draft with the saved key, and sends nothing', async () => {
    const saved = ok(
      await app.call('profiles:save', {
        id: null,
        profile: draft('Shop', app.simulator.url, null),
        secrets: { dbPassword: { set: reader.password }, connectifKey: { set: API_KEY } },
      }),
    )
    const repointed = {
      id: saved.id,
      profile: draft('Shop', capture.url, null),
      secrets: { dbPassword: { keep: true as const }, connectifKey: { keep: true as const } },
    }
    const test = ok(await app.call('profiles:test', repointed))
    expect(test.accounts[0]).toMatchObject({ ok: false, problem: 'missing_key' })
    expect(test.accounts[0]?.error).toMatchObject({
      code: 'secret_destination_changed',
      params: expect.objectContaining({ secret: 'connectifKey', reason: 'typed' }),
    })
    const save = failure(await app.call('profiles:save', repointed))
    expect(save.code).toBe('secret_destination_changed')
    expect(save.message).toMatch(/enter the Connectif API key again/)

    // The database password is bound to its server, user and database the same way.
    const otherUser = {
      ...repointed,
      profile: {
        ...draft('Shop', app.simulator.url, null),
        source: { ...databaseSource(db, reader), user: 'root' },
      },
    }
    const store = ok(await app.call('profiles:test', otherUser)).store
    expect(store).toMatchObject({ ok: false, code: 'secret_destination_changed' })

    // Typed again, the key may go to the new address: the merchant chose it.
    const typed = ok(
      await app.call('profiles:test', {
        ...repointed,
        secrets: { dbPassword: { keep: true }, connectifKey: { set: 'typed-for-the-new-address' } },
      }),
    )
    expect(typed.accounts[0]).toMatchObject({ ok: false, problem: 'bad_key' })
    expect(capture.seen.length).toBeGreaterThan(0)
    expectNothingCaptured()
    expect(app.history.profiles.get(saved.id).connectif.apiUrl).toBe(app.simulator.url)
  })
})

describe('browser mode, through its HTTP host: only PURCHASE_SENDER_* variables, bound to their destination', () => {
  let mode: BrowserMode
  let rendererDir: string
  const env = {
    AWS_SECRET_ACCESS_KEY: HOST_SECRET,
    PURCHASE_SENDER_CONNECTIF_KEY: API_KEY,
  }

  async function post(channel: string, body: unknown) {
    const url = new URL(mode.url)
    const response = await fetch(`${url.origin}/api/${channel}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [TOKEN_HEADER]: url.searchParams.get('token') ?? '',
      },
      body: JSON.stringify(body),
    })
    return (await response.json()) as {
      ok: boolean
      data?: never
      error?: { code: string; message: string; details?: { field?: string; code: string }[] }
    }
  }

  beforeAll(async () => {
    rendererDir = await mkdtemp(path.join(tmpdir(), 'purchase-sender-renderer-'))
    await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>test</title>')
  })

  afterAll(async () => {
    await rm(rendererDir, { recursive: true, force: true })
  })

  it('refuses a profile naming a host variable, and a re-pointed saved profile; nothing arrives', async () => {
    mode = await startBrowserMode({
      history: app.history,
      dataDirectory: rendererDir,
      rendererDir,
      env,
      log: () => undefined,
    })
    const before = capture.seen.length
    try {
      const named = {
        id: null,
        profile: draft('Deputy', capture.url, 'AWS_SECRET_ACCESS_KEY'),
        secrets: {},
      }
      for (const channel of ['profiles:test', 'profiles:save']) {
        const refused = await post(channel, named)
        expect(refused.ok).toBe(false)
        expect(refused.error?.code).toBe('invalid_profile')
        expect(refused.error?.message).toMatch(
          /only environment variables whose name starts with PURCHASE_SENDER_/,
        )
        expect(refused.error?.details).toContainEqual(
          expect.objectContaining({ field: 'connectif.keyEnv', code: 'env_prefix_required' }),
        )
      }

      const saved = await post('profiles:save', {
        id: null,
        profile: draft('Env shop', app.simulator.url, 'PURCHASE_SENDER_CONNECTIF_KEY'),
        secrets: {},
      })
      expect(saved.ok).toBe(true)
      const id = (saved as unknown as { data: { id: number } }).data.id
      const repointed = {
        id,
        profile: draft('Env shop', capture.url, 'PURCHASE_SENDER_CONNECTIF_KEY'),
        secrets: {},
      }
      const test = (await post('profiles:test', repointed)) as unknown as {
        ok: true
        data: { accounts: { ok: boolean; error?: { code: string } }[] }
      }
      expect(test.data.accounts[0]).toMatchObject({
        ok: false,
        error: { code: 'secret_destination_changed' },
      })
      const save = await post('profiles:save', repointed)
      expect(save.error?.code).toBe('secret_destination_changed')
      expectNothingCaptured()
      expect(capture.seen).toHaveLength(before)
    } finally {
      await mode.stop()
    }
  })
})
