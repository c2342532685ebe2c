/**
 * Loads the built main process (out/main/index.js) in plain Node with a fake `electron` module
 * (Electron's binary cannot run on CI or the development machines): the bundle must start, register
 * every contract channel, answer a trusted sender and refuse forged ones, and show a startup error
 * instead of crashing when the history cannot be opened.
 *
 * The app is built once before the run, by the vitest globalSetup (tests/support/global-setup.ts),
 * when out/ is missing or older than the sources (CI runs `npm run build` before `npm test`); this
 * file only loads it. The app:// handler the bundle registers is called too, over out/renderer.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  contentSecurityPolicy,
  CSP_NONCE_PLACEHOLDER,
} from '../../main/app/content-security-policy'
import { CHANNELS } from '../../preload/contract'

const root = path.resolve(import.meta.dirname, '../..')
const bundle = path.join(root, 'out/main/index.js')
const preloadBundle = path.join(root, 'out/preload/index.cjs')
const rendererPage = path.join(root, 'out/renderer/index.html')
const script = path.join(import.meta.dirname, 'fixtures/smoke-main.mjs')

interface Fetched {
  status: number
  csp: string | null
  contentType: string | null
  body: string
}

interface SmokeResult {
  channels: string[]
  windows: number
  webPreferences: Record<string, unknown> | null
  sandboxEnabled: boolean
  loaded: string | null
  privilegedSchemes: { scheme: string; privileges: Record<string, boolean> }[]
  appProtocol: Partial<Record<'page' | 'pageAgain' | 'traversal' | 'missing', Fetched>> & {
    script?: Fetched | null
  }
  errorBoxes: { title: string; content: string }[]
  exitCode: number | null
  results: Record<string, { ok: boolean; data?: unknown; error?: { code: string } }>
}

function runSmoke(home: string): SmokeResult {
  const { ELECTRON_RENDERER_URL: _devServer, ...inherited } = process.env
  const env = { ...inherited, PURCHASE_SENDER_HOME: home }
  const run = spawnSync(process.execPath, [script, bundle], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 30_000,
  })
  if (run.status !== 0) throw new Error(`smoke-main.mjs failed (${run.status}):\n${run.stderr}`)
  const line = run.stdout.trim().split('\n').at(-1) ?? ''
  return JSON.parse(line) as SmokeResult
}

let home: string

beforeAll(() => {
  const missing = [bundle, preloadBundle, rendererPage].filter((file) => !existsSync(file))
  if (missing.length > 0)
    throw new Error(`The app is not built (${missing.join(', ')}): run npm run build.`)
})

const nonceOf = (html: string): string | undefined =>
  /<meta property="csp-nonce" nonce="([^"]+)"/.exec(html)?.[1]

afterEach(() => {
  if (home) rmSync(home, { recursive: true, force: true })
})

describe('built main bundle (fake electron)', () => {
  it('registers every contract channel and checks the sender of each call', () => {
    home = mkdtempSync(path.join(tmpdir(), 'ps-smoke-'))
    const smoke = runSmoke(home)
    expect(smoke.errorBoxes).toEqual([])
    expect(smoke.exitCode).toBeNull()
    expect([...smoke.channels].sort()).toEqual([...CHANNELS].sort())
    expect(smoke.windows).toBe(1)
    expect(smoke.sandboxEnabled).toBe(true)
    expect(smoke.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: preloadBundle,
    })

    // The renderer loads from app://, served by the registered handler from out/renderer.
    expect(smoke.loaded).toBe('app://purchase-sender/index.html')
    expect(smoke.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true } },
    ])
    const { page, pageAgain, script, traversal, missing } = smoke.appProtocol
    expect(page?.status).toBe(200)
    expect(page?.contentType).toBe('text/html; charset=utf-8')
    const nonce = nonceOf(page?.body ?? '')
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/)
    expect(page?.csp).toBe(contentSecurityPolicy(nonce))
    expect(page?.body).toContain(`'nonce-${nonce}'`)
    expect(page?.body).not.toContain(CSP_NONCE_PLACEHOLDER)
    expect(nonceOf(pageAgain?.body ?? '')).not.toBe(nonce)
    expect(script).toMatchObject({
      status: 200,
      contentType: 'text/javascript; charset=utf-8',
      csp: contentSecurityPolicy(),
    })
    expect(traversal?.status).toBe(403)
    expect(missing?.status).toBe(404)

    const { results } = smoke
    expect(results['trustedInfo']).toMatchObject({
      ok: true,
      data: { mode: 'electron', dataDirectory: home, secretStorage: { ok: false } },
    })
    expect(results['trustedProfiles']).toEqual({ ok: true, data: [] })
    expect(results['invalid']).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    for (const forged of ['otherWindow', 'foreignUrl', 'subframe'])
      expect(results[forged], forged).toMatchObject({
        ok: false,
        error: { code: 'forbidden_sender' },
      })
    // The fake safeStorage is Linux basic_text: secrets are refused, as values.
    expect(results['saveSecret']).toMatchObject({
      ok: false,
      error: { code: 'secrets_unavailable' },
    })
    expect(existsSync(path.join(home, 'history.sqlite3'))).toBe(true)
    expect(existsSync(path.join(home, 'secrets.json'))).toBe(false)
  })

  it('shows a startup error, not a crash, for a history written by a newer app', () => {
    home = mkdtempSync(path.join(tmpdir(), 'ps-smoke-'))
    const db = new Database(path.join(home, 'history.sqlite3'))
    db.pragma('user_version = 9999')
    db.close()
    const smoke = runSmoke(home)
    expect(smoke.channels).toEqual([])
    expect(smoke.windows).toBe(0)
    expect(smoke.exitCode).toBe(1)
    expect(smoke.errorBoxes).toHaveLength(1)
    expect(smoke.errorBoxes[0]!.title).toMatch(/cannot open its history/)
    expect(smoke.errorBoxes[0]!.content).toMatch(/newer/)
  })
})
