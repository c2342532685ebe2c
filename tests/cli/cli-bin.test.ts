/**
 * The `purchase-sender` executable itself, spawned: the checkout's bin (the build of `npm run
 * build` when there is one) runs a command and exits with its code; and right after `npm install`,
 * with no build, the bin runs the sources through tsx (the checkout's own copy of bin/ is used,
 * beside a folder without `out/`). The other command-line tests call `main` in-process.
 */
import { execFile } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import packageJson from '../../package.json'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '..', '..')
let checkout: string

beforeAll(async () => {
  checkout = await mkdtemp(path.join(tmpdir(), 'purchase-sender-bin-'))
  await mkdir(path.join(checkout, 'bin'))
  await copyFile(
    path.join(root, 'bin', 'purchase-sender.js'),
    path.join(checkout, 'bin', 'purchase-sender.js'),
  )
  await copyFile(path.join(root, 'package.json'), path.join(checkout, 'package.json'))
  for (const linked of ['main', 'preload', 'node_modules'])
    await symlink(path.join(root, linked), path.join(checkout, linked), 'dir')
})

afterAll(async () => {
  await rm(checkout, { recursive: true, force: true })
})

it('runs the command line from the sources when nothing is built', async () => {
  const bin = path.join(checkout, 'bin', 'purchase-sender.js')
  const version = await run(process.execPath, [bin, '--version'])
  expect(version.stdout.trim()).toBe(packageJson.version)
  const help = await run(process.execPath, [bin, '--help'])
  expect(help.stdout).toMatch(/^Usage: purchase-sender/)
}, 60_000)

it('runs a command from the checkout and exits with its code', async () => {
  const bin = path.join(root, 'bin', 'purchase-sender.js')
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PURCHASE_SENDER_HOME: path.join(checkout, 'home'),
  }
  delete env['NODE_OPTIONS']
  const list = await run(process.execPath, [bin, '--json', 'profiles', 'list'], { env })
  expect(JSON.parse(list.stdout)).toEqual([])
  const wrong = await run(process.execPath, [bin, 'sned'], { env }).then(
    () => null,
    (error: { code?: number; stdout?: string; stderr?: string }) => error,
  )
  expect(wrong?.code).toBe(2)
  expect(wrong?.stdout).toBe('')
  expect(wrong?.stderr).toMatch(/^purchase-sender: Unknown command "sned"/)
}, 60_000)
