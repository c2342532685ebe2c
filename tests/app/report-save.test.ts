/**
 * `report:save`, the desktop app's "Save report as…": the shell's dialog (a fake here) says where,
 * and the report is written there from the history through a temporary file, so a cancelled
 * dialog, an unknown sending, an empty report or a folder that cannot be written leave nothing
 * behind and answer with a value.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAppService, type AppService } from '../../main/app/app-service'
import { writeReport } from '../../main/app/history-use-cases'
import { dispatch } from '../../main/app/ipc-registration'
import { createAppContext } from '../../main/app/app-context'
import { EnvironmentSecretStore } from '../../main/app/secret-store'
import { HistoryStore } from '../../main/core/history/history-store'
import type { ChannelResponse, Result } from '../../preload/contract'
import { recordReportSendings, type ReportSending } from '../support/report-sending'
import { MemorySecretStore } from './memory-secret-store'

let home: string
let out: string
let history: HistoryStore
let sendings: ReportSending
let service: AppService
/** What the fake dialog answers, and the default names it was offered. */
let choice: string | null
let offered: string[]
const logged: unknown[] = []

const save = (sendingId: number, all = false) =>
  dispatch(service, 'report:save', { sendingId, all }) as Promise<
    Result<ChannelResponse<'report:save'>>
  >

/** The report as writeReport streams it to any sink (what the CLI writes). */
async function expected(sendingId: number, all: boolean): Promise<Buffer> {
  const chunks: Buffer[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk)
      callback()
    },
  })
  const context = createAppContext({ history, secrets: new MemorySecretStore() })
  await writeReport(context, sendingId, sink, { all })
  return Buffer.concat(chunks)
}

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'purchase-sender-report-save-'))
  out = join(home, 'reports')
  await mkdir(out)
  history = HistoryStore.open(join(home, 'history.sqlite3'))
  sendings = recordReportSendings(history)
  choice = null
  offered = []
  logged.length = 0
  service = createAppService({
    history,
    secrets: new MemorySecretStore(),
    host: { mode: 'electron', dataDirectory: home },
    log: (message, error) => logged.push([message, error]),
    reportDialog: {
      chooseReportPath: (defaultFileName) => {
        offered.push(defaultFileName)
        return Promise.resolve(choice)
      },
    },
  })
})

afterEach(async () => {
  await service.shutdown()
  history.close()
  await rm(home, { recursive: true, force: true })
  expect(logged).toEqual([])
})

describe('report:save', () => {
  it('writes the report where the user chose, offering its default name', async () => {
    const { sendingId } = sendings
    choice = join(out, 'chosen.csv')
    const answer = await save(sendingId, true)
    expect(answer).toEqual({ ok: true, data: { saved: true, path: choice, rows: 40 } })
    expect(offered).toEqual([
      `purchase-sender_tienda-espana_2025-01-01_2025-01-31_sending-${sendingId}.csv`,
    ])
    expect((await readFile(choice)).equals(await expected(sendingId, true))).toBe(true)

    // The default report (orders not created) replaces an existing file, whole.
    await writeFile(choice, 'an older file, much longer than nothing '.repeat(1000))
    expect(await save(sendingId)).toEqual({
      ok: true,
      data: { saved: true, path: choice, rows: 12 },
    })
    expect((await readFile(choice)).equals(await expected(sendingId, false))).toBe(true)
    // No temporary file is left beside it.
    expect(await readdir(out)).toEqual(['chosen.csv'])
  })

  it('answers a cancelled dialog with saved: false and writes nothing', async () => {
    choice = null
    expect(await save(sendings.sendingId)).toEqual({ ok: true, data: { saved: false } })
    expect(offered).toHaveLength(1)
    expect(await readdir(out)).toEqual([])
  })

  it('does not open the dialog for an unknown sending or an empty report', async () => {
    choice = join(out, 'never.csv')
    expect(await save(4242)).toMatchObject({
      ok: false,
      error: { code: 'sending_not_found', params: { sending: '4242' } },
    })
    expect(await save(sendings.emptySendingId, true)).toMatchObject({
      ok: false,
      error: { code: 'report_empty', params: { reason: 'no_orders' } },
    })
    expect(await save(sendings.allCreatedSendingId)).toMatchObject({
      ok: false,
      error: { code: 'report_empty', params: { reason: 'all_created' } },
    })
    expect(offered).toEqual([])
    expect(await readdir(out)).toEqual([])
  })

  it('answers report_write_failed with the path when the folder cannot be written', async () => {
    // A folder that does not exist (running as root, permissions would not stop the write).
    choice = join(out, 'missing', 'report.csv')
    const missing = await save(sendings.sendingId)
    expect(missing).toEqual({
      ok: false,
      error: {
        code: 'report_write_failed',
        message: expect.stringMatching(/^The report could not be saved to .*report\.csv: ENOENT/),
        params: { path: choice, cause: 'ENOENT' },
      },
    })
    // A "folder" that is a file.
    await writeFile(join(out, 'file'), 'not a folder')
    choice = join(out, 'file', 'report.csv')
    expect(await save(sendings.sendingId)).toMatchObject({
      ok: false,
      error: { code: 'report_write_failed', params: { path: choice, cause: 'ENOTDIR' } },
    })
    expect(await readdir(out)).toEqual(['file'])
  })

  it('removes the whole written report when it cannot take the chosen name', async () => {
    // Written in full, then the rename fails: the target is a folder.
    choice = join(out, 'taken')
    await mkdir(choice)
    await writeFile(join(choice, 'inside.txt'), 'kept')
    const answer = await save(sendings.sendingId, true)
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'report_write_failed', params: { path: choice } },
    })
    expect(await readdir(out)).toEqual(['taken'])
    expect(await readdir(choice)).toEqual(['inside.txt'])
  })

  it('is refused in browser mode, where the browser downloads reports', async () => {
    const browser = createAppService({
      history,
      secrets: new EnvironmentSecretStore({ env: {}, profile: () => null }),
      host: { mode: 'browser' },
    })
    expect(await dispatch(browser, 'report:save', { sendingId: sendings.sendingId })).toEqual({
      ok: false,
      error: {
        code: 'report_save_unavailable',
        message:
          'Only the desktop app saves reports through a dialog: in browser mode, download the report instead.',
      },
    })
    await browser.shutdown()
  })
})

describe('prepareReport', () => {
  it('checks the report before anything is written, and answers errors as values', async () => {
    const prepared = service.prepareReport(sendings.sendingId, { all: false })
    if (!prepared.ok) throw new Error(prepared.error.message)
    expect(prepared.data).toMatchObject({ sendingId: sendings.sendingId, all: false })
    expect(service.prepareReport(4242, { all: true })).toMatchObject({
      ok: false,
      error: { code: 'sending_not_found' },
    })
  })
})
