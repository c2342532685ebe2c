/**
 * Issue 17, the diagnostic log's size bound: files rotate by size (`purchase-sender.log`, then
 * `.1.log`…), the oldest beyond the limit is deleted, so the folder never holds more than
 * maxFiles × maxFileBytes, also with two processes' logs appending to the same folder. And what
 * the diagnostics read back from it: the last warnings and errors, newest first.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  LOG_FILE_NAME,
  logFiles,
  openDiagnosticLog,
  recentProblems,
} from '../../main/core/logging/diagnostic-log'
import type { LogEvent } from '../../main/core/logging/log-events'

let directory: string

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'purchase-sender-rotation-'))
})

afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

const MAX_FILE_BYTES = 4_096
const MAX_FILES = 3

function failure(index: number): LogEvent {
  return {
    event: 'failure',
    where: 'sending:start',
    code: `code_${index}`,
    message: `Failure number ${index}, with a sentence long enough to fill a file soon.`,
  }
}

function sizes(): Record<string, number> {
  return Object.fromEntries(
    readdirSync(directory).map((name) => [name, statSync(join(directory, name)).size]),
  )
}

describe('the diagnostic log', () => {
  it('rotates by size and keeps at most maxFiles files of maxFileBytes', () => {
    const log = openDiagnosticLog({ directory, maxFileBytes: MAX_FILE_BYTES, maxFiles: MAX_FILES })
    for (let index = 0; index < 500; index++) log.log(failure(index))
    log.close()

    const files = sizes()
    expect(Object.keys(files).sort()).toEqual(
      ['purchase-sender.1.log', 'purchase-sender.2.log', LOG_FILE_NAME].sort(),
    )
    for (const size of Object.values(files)) expect(size).toBeLessThanOrEqual(MAX_FILE_BYTES)
    const total = Object.values(files).reduce((sum, size) => sum + size, 0)
    expect(total).toBeLessThanOrEqual(MAX_FILES * MAX_FILE_BYTES)
    // Rotated files are full (nearly: a line never straddles two files), not a line each.
    expect(files['purchase-sender.1.log']).toBeGreaterThan(MAX_FILE_BYTES / 2)

    // Newest in the current file, older ones in order behind it, every line whole.
    const codes = logFiles(directory, MAX_FILES)
      .reverse()
      .flatMap((file) => readFileSync(file, 'utf8').trimEnd().split('\n'))
      .map((line) => (JSON.parse(line) as { code: string }).code)
    expect(codes.at(-1)).toBe('code_499')
    const numbers = codes.map((code) => Number(code.slice('code_'.length)))
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b))
    expect(numbers[0]).toBeGreaterThan(0)
  })

  it('stays bounded when two processes append to the same folder', () => {
    const first = openDiagnosticLog({
      directory,
      maxFileBytes: MAX_FILE_BYTES,
      maxFiles: MAX_FILES,
    })
    const second = openDiagnosticLog({
      directory,
      maxFileBytes: MAX_FILE_BYTES,
      maxFiles: MAX_FILES,
    })
    for (let index = 0; index < 400; index++) (index % 2 === 0 ? first : second).log(failure(index))
    first.close()
    second.close()

    const files = sizes()
    expect(Object.keys(files).length).toBeLessThanOrEqual(MAX_FILES)
    const line = Buffer.byteLength(`${JSON.stringify({ level: 'warn' })}`) + 300
    // Each may pass the bound by the lines the other wrote since it last looked: never by much.
    for (const size of Object.values(files)) expect(size).toBeLessThanOrEqual(MAX_FILE_BYTES + line)
    const current = readFileSync(join(directory, LOG_FILE_NAME), 'utf8').trimEnd().split('\n')
    expect(current.every((text) => JSON.parse(text) !== null)).toBe(true)
  })

  it('reads back its last problems, newest first, across rotated files', () => {
    const log = openDiagnosticLog({ directory, maxFileBytes: MAX_FILE_BYTES, maxFiles: MAX_FILES })
    for (let index = 0; index < 60; index++) log.log(failure(index))
    log.log({
      event: 'app_start',
      mode: 'cli',
      versions: { app: '0.1.0', node: '20.19.0', sqlite: '3.50.4' },
      os: { platform: 'linux', release: '6.8.0', arch: 'x64' },
      dataDirectory: directory,
    })
    log.close()
    const problems = recentProblems(directory, 40, MAX_FILES)
    expect(problems).toHaveLength(40)
    expect(problems[0]).toMatchObject({ level: 'warn', event: 'failure', code: 'code_59' })
    expect(problems.map((problem) => problem.code)).toEqual(
      Array.from({ length: 40 }, (_, index) => `code_${59 - index}`),
    )
  })
})
