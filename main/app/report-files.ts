/**
 * A sending's CSV report written straight from the history to a file (the desktop app's "Save
 * as…") or to any stream (browser mode's download): row by row with back-pressure, so a report of
 * a hundred thousand orders never sits in memory.
 *
 * The file is written next to its target under a temporary name and renamed over it only once
 * complete, so a failure (disk full, a folder that cannot be written, the app closing) leaves no
 * half report behind, and an existing file is replaced only by a whole one.
 */
import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import path from 'node:path'
import type { Writable } from 'node:stream'
import type { ReportSaved } from '../../preload/contract'
import { reportFileName } from '../core/reports/csv-report'
import type { AppContext } from './app-context'
import { AppError } from './app-errors'
import { checkReport, writeReport } from './history-use-cases'

/**
 * Where the desktop shell asks the user to save a report: its native save dialog
 * (main/shell/report-save-dialog.ts). Browser mode has none: the browser downloads the report.
 */
export interface ReportSaveDialog {
  /** The file the user chose for `defaultFileName`, or null when they cancelled. */
  chooseReportPath(defaultFileName: string): Promise<string | null>
}

/** A report checked (its sending known, something to report), ready to be streamed. */
export interface PreparedReport {
  readonly sendingId: number
  readonly all: boolean
  /** The default file name (reportFileName): lower-case ASCII. */
  readonly fileName: string
  /** Writes the CSV to `sink` and ends it; rejects when the sink fails. */
  write(sink: Writable): Promise<{ readonly rows: number }>
}

/**
 * Checks the report before anything is written, so a host can still answer with an error (a
 * 404, an error value) instead of a half-sent file.
 */
export function prepareReport(
  context: AppContext,
  sendingId: number,
  options: { readonly all: boolean },
): PreparedReport {
  const sending = checkReport(context, sendingId, options)
  return {
    sendingId: sending.id,
    all: options.all,
    fileName: reportFileName(sending.profileName, sending),
    write: async (sink) => {
      const { rows } = await writeReport(context, sending.id, sink, {
        all: options.all,
        // Checked above; the rows of a sending are never removed in between.
        allowEmpty: true,
      })
      return { rows }
    },
  }
}

/**
 * Writes the report to `file` through a temporary file beside it, renamed over `file` at the end.
 * Any failure to write becomes `report_write_failed` naming the file, and removes the temporary
 * file.
 */
export async function writeReportFile(
  context: AppContext,
  report: PreparedReport,
  file: string,
): Promise<{ readonly rows: number }> {
  const target = path.resolve(file)
  // Hidden and unique: never mistaken for the report, never clashing with a second save.
  const temporary = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString('hex')}.part`,
  )
  // `wx`: never follows or reuses a file someone placed there; `flush`: the data is on disk
  // before the rename makes it the report.
  const output = createWriteStream(temporary, { flags: 'wx', flush: true })
  // Only a file that was created is removed (in a folder that is missing there is none).
  let created = false
  output.once('open', () => {
    created = true
  })
  try {
    const { rows } = await report.write(output)
    await rename(temporary, target)
    return { rows }
  } catch (error) {
    // Closed before it is removed (Windows cannot remove an open file).
    await new Promise<void>((resolve) => {
      if (output.closed) resolve()
      else output.once('close', () => resolve()).destroy()
    })
    if (created)
      await rm(temporary, { force: true }).catch((cleanup: unknown) =>
        context.log(`Could not remove the temporary report ${temporary}`, cleanup),
      )
    throw writeFailed(target, error)
  }
}

function writeFailed(file: string, error: unknown): AppError {
  const cause =
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string'
      ? (error as { code: string }).code
      : 'EIO'
  const detail = error instanceof Error ? error.message : String(error)
  return new AppError(
    'report_write_failed',
    `The report could not be saved to ${file}: ${detail}. Nothing was written there.`,
    { path: file, cause },
  )
}

/**
 * `report:save`: asks the shell's dialog where to save the report (the default file name
 * offered), then writes it there. A cancelled dialog is `{ saved: false }`, not an error. Checked
 * before the dialog opens: nobody is asked where to save a report that cannot be made.
 */
export async function saveReport(
  context: AppContext,
  dialog: ReportSaveDialog | null,
  request: { readonly sendingId: number; readonly all: boolean },
): Promise<ReportSaved> {
  if (dialog === null)
    throw new AppError(
      'report_save_unavailable',
      'Only the desktop app saves reports through a dialog: in browser mode, download the report instead.',
    )
  const report = prepareReport(context, request.sendingId, { all: request.all })
  const file = await dialog.chooseReportPath(report.fileName)
  if (file === null) return { saved: false }
  const { rows } = await writeReportFile(context, report, file)
  return { saved: true, path: path.resolve(file), rows }
}
