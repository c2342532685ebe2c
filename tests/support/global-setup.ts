/**
 * vitest globalSetup: picks the MySQL/MariaDB server once for the whole run and hands its URL to
 * the test files (`inject('mysqlUrl')`), so parallel workers share one server; and builds the app
 * (`electron-vite build`) once, before any test, when the run includes the built-bundle smoke test
 * (tests/shell/main-bundle-smoke.test.ts) and out/ is missing or older than the sources. CI runs
 * `npm run build` before `npm test`, so there it builds nothing.
 */
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import type { TestProject } from 'vitest/node'
import { acquireMysqlServer } from './mysql-server'

declare module 'vitest' {
  export interface ProvidedContext {
    mysqlUrl: string
  }
}

const root = path.resolve(import.meta.dirname, '../..')
const SMOKE_TEST = 'tests/shell/main-bundle-smoke.test.ts'

/** What the smoke test loads: the main bundle, the preload and the renderer's page. */
export const BUILT_APP = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']

function newestSource(directory: string): number {
  let newest = 0
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(ts|tsx|html)$/.test(entry.name)) continue
    newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

/** Whether out/ is missing a file the smoke test loads, or is older than the sources. */
function isAppBuildStale(): boolean {
  const outputs = BUILT_APP.map((file) => path.join(root, file))
  if (!outputs.every((file) => existsSync(file))) return true
  const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs))
  const sources = Math.max(
    newestSource(path.join(root, 'main')),
    newestSource(path.join(root, 'preload')),
    newestSource(path.join(root, 'renderer')),
    statSync(path.join(root, 'electron.vite.config.ts')).mtimeMs,
  )
  return sources > built
}

/**
 * Whether this run includes the smoke test: every file when no filter was given, else a filter
 * that is part of its path (as vitest matches filters). vitest does not expose the filters to
 * globalSetup publicly; when they cannot be read, the run counts as including it.
 */
function runsSmokeTest(project: TestProject): boolean {
  const filters = (project.vitest as unknown as { filenamePattern?: unknown }).filenamePattern
  if (!Array.isArray(filters) || filters.length === 0) return true
  const file = path.join(root, SMOKE_TEST)
  return filters.some(
    (filter) =>
      typeof filter !== 'string' ||
      file.includes(filter) ||
      file.includes(path.resolve(root, filter)) ||
      SMOKE_TEST.includes(filter),
  )
}

async function buildAppIfStale(project: TestProject): Promise<void> {
  if (!runsSmokeTest(project) || !isAppBuildStale()) return
  console.log('[build] out/ is missing or older than the sources: electron-vite build…')
  await promisify(execFile)('npx', ['electron-vite', 'build'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  })
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [acquired, built] = await Promise.allSettled([
    acquireMysqlServer({ log: (message) => console.log(`[mysql] ${message}`) }),
    buildAppIfStale(project),
  ])
  if (acquired.status === 'rejected') throw acquired.reason
  const server = acquired.value
  if (built.status === 'rejected') {
    await server.release()
    throw built.reason
  }
  project.provide('mysqlUrl', server.url)
  return async () => {
    await server.release()
  }
}
