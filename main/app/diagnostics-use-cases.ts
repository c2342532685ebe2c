/**
 * Help and diagnostics, for every entry point: the versions a support person asks for, the data
 * directory, the history's schema version and size, the diagnostic log's place and its last
 * problems, and the same as a text to copy. Plus what each entry point writes to the log when it
 * starts (`logAppStart`) and the failures the channels answer with (`logChannelFailures`).
 *
 * Nothing here names a customer or holds a secret: counts, sizes, versions, paths, and the log's
 * own lines (already redacted when written, redacted again when read).
 */
import os from 'node:os'
import type { ChannelName, DiagnosticsView, LogFolderOpened, Result } from '../../preload/contract'
import { sqliteVersion } from '../core/history/history-facts'
import { totalBytes } from '../core/history/history-maintenance'
import { maintenanceRunView } from './privacy-use-cases'
import {
  LOG_LEVEL_ENV,
  logDirectoryOf,
  logLevelFrom,
  openDiagnosticLog,
  recentProblems,
  type DiagnosticLog,
} from '../core/logging/diagnostic-log'
import type { AppLogger, LogMode, OsDescription, RuntimeVersions } from '../core/logging/log-events'
import { redactText } from '../core/logging/redaction'
import type { AppContext } from './app-context'
import { AppError } from './app-errors'

/** How many of the log's last warnings and errors the diagnostics show. */
export const RECENT_PROBLEMS = 10

export interface DiagnosticsHost {
  readonly mode: 'electron' | 'browser'
  readonly version: string
  readonly dataDirectory: string | null
  /** The log this process writes; null when it writes none. */
  readonly log: Pick<DiagnosticLog, 'directory' | 'file' | 'maxFiles' | 'maxFileBytes'> | null
  /**
   * Opens a folder in the system's file manager (Electron's `shell.openPath`: '' when it
   * opened, else why not). Absent in browser mode.
   */
  readonly openPath?: (path: string) => Promise<string>
}

/** The versions of what runs now: the app's, Node's, Electron's and Chrome's (desktop), SQLite's. */
export function runtimeVersions(
  appVersion: string,
  sqlite: string = sqliteVersion(),
): RuntimeVersions {
  const { node, electron, chrome } = process.versions as NodeJS.ProcessVersions & {
    readonly electron?: string
    readonly chrome?: string
  }
  return {
    app: appVersion,
    node,
    ...(electron ? { electron } : {}),
    ...(chrome ? { chrome } : {}),
    sqlite,
  }
}

export function osDescription(): OsDescription {
  return { platform: process.platform, release: os.release(), arch: process.arch }
}

/** The log's first line of a run: who started, with which versions, on which system. */
export function logAppStart(
  logger: AppLogger,
  start: {
    readonly mode: LogMode
    readonly appVersion: string
    readonly dataDirectory: string
    readonly command?: string
  },
): void {
  try {
    logger.log({
      event: 'app_start',
      mode: start.mode,
      versions: runtimeVersions(start.appVersion),
      os: osDescription(),
      dataDirectory: start.dataDirectory,
      ...(start.command === undefined ? {} : { command: start.command }),
    })
  } catch {
    // SQLite's version could not be read: the log's first line is not worth failing a start for.
  }
}

type Handlers = {
  readonly [C in ChannelName]: (request: never) => Promise<Result<unknown>>
}

/**
 * The channels, each failure they answer with written to the log (its code and message; a bug,
 * answered `internal`, was logged with its stack where it was caught).
 */
export function logChannelFailures<H extends Handlers>(handlers: H, logger: AppLogger): H {
  const logged: Record<string, (request: never) => Promise<Result<unknown>>> = {}
  for (const [channel, handler] of Object.entries(handlers) as [
    string,
    (request: never) => Promise<Result<unknown>>,
  ][])
    logged[channel] = async (request) => {
      const result = await handler(request)
      if (!result.ok && result.error.code !== 'internal')
        logger.log({
          event: 'failure',
          where: channel,
          code: result.error.code,
          message: result.error.message,
        })
      return result
    }
  return logged as H
}

/** What the Help and diagnostics dialog shows, and the text it copies. */
export function getDiagnostics(context: AppContext, host: DiagnosticsHost): DiagnosticsView {
  const facts = context.history.facts()
  const bytes = context.history.historyBytes()
  const lastRetention = context.history.lastMaintenanceRun('retention')
  const versions = runtimeVersions(host.version, facts.sqliteVersion)
  const log = host.log
  const view: Omit<DiagnosticsView, 'text'> = {
    version: host.version,
    mode: host.mode,
    dataDirectory: host.dataDirectory,
    versions: {
      app: versions.app,
      node: versions.node,
      electron: versions.electron ?? null,
      chrome: versions.chrome ?? null,
      sqlite: versions.sqlite,
    },
    os: osDescription(),
    history: {
      schemaVersion: facts.schemaVersion,
      latestSchemaVersion: facts.latestSchemaVersion,
      databaseBytes: bytes.database,
      walBytes: bytes.wal,
      totalBytes: totalBytes(bytes),
      lastRetention: lastRetention === null ? null : maintenanceRunView(lastRetention),
    },
    counts: { profiles: facts.profiles, sendings: facts.sendings, orders: facts.orders },
    log: log
      ? {
          directory: log.directory,
          file: log.file,
          maxFiles: log.maxFiles,
          maxFileBytes: log.maxFileBytes,
        }
      : null,
    canOpenLogFolder: host.mode === 'electron' && log !== null && host.openPath !== undefined,
    recentProblems: log ? recentProblems(log.directory, RECENT_PROBLEMS, log.maxFiles) : [],
  }
  return { ...view, text: diagnosticsText(view) }
}

/** Opens the log's folder in the desktop app; browser mode cannot open folders. */
export async function openLogFolder(host: DiagnosticsHost): Promise<LogFolderOpened> {
  const directory = host.log?.directory ?? ''
  if (host.mode === 'browser' || host.openPath === undefined)
    throw new AppError(
      'not_available_in_browser',
      `Browser mode cannot open folders on this computer: open ${directory || 'the log folder'} yourself.`,
      { path: directory },
    )
  if (host.log === null)
    throw new AppError('log_unavailable', 'This Purchase Sender writes no diagnostic log.')
  const failure = await host.openPath(directory)
  if (failure !== '')
    throw new AppError(
      'log_folder_open_failed',
      `The log folder ${directory} could not be opened: ${failure}`,
      { path: directory, reason: failure },
    )
  return { opened: true, path: directory }
}

/** The diagnostics as plain English text for support, redacted once more as a whole. */
export function diagnosticsText(view: Omit<DiagnosticsView, 'text'>): string {
  const number = (value: number): string => value.toLocaleString('en-US')
  const versions = view.versions
  const lines = [
    `Purchase Sender ${view.version} (${view.mode === 'electron' ? 'desktop app' : 'browser mode'})`,
    `Versions: Node ${versions.node}${versions.electron ? `, Electron ${versions.electron}` : ''}${versions.chrome ? `, Chrome ${versions.chrome}` : ''}, SQLite ${versions.sqlite}`,
    `System: ${view.os.platform} ${view.os.release} (${view.os.arch})`,
    `Data directory: ${view.dataDirectory ?? 'unknown'}`,
    `History: schema version ${view.history.schemaVersion} (this app knows up to ${view.history.latestSchemaVersion}), ${bytesText(view.history.totalBytes)} (database ${number(view.history.databaseBytes)} bytes, write-ahead log ${number(view.history.walBytes)} bytes)`,
    view.history.lastRetention
      ? `Last retention run: ${view.history.lastRetention.at}, payloads and answers of ${number(view.history.lastRetention.orders)} orders older than ${view.history.lastRetention.days ?? '?'} days removed, ${bytesText(view.history.lastRetention.bytesBefore)} before, ${bytesText(view.history.lastRetention.bytesAfter)} after${view.history.lastRetention.vacuumed ? ' (file rebuilt)' : ''}`
      : 'Last retention run: none (payloads and answers are kept)',
    `Profiles: ${number(view.counts.profiles)} · sendings: ${number(view.counts.sendings)} · orders: ${number(view.counts.orders)}`,
    view.log
      ? `Log: ${view.log.file} (at most ${view.log.maxFiles} files of ${bytesText(view.log.maxFileBytes)})`
      : 'Log: none',
    view.recentProblems.length === 0
      ? 'Last problems: none in the log'
      : 'Last problems (newest first):',
    ...view.recentProblems.map(
      (problem) =>
        `  ${problem.time} ${problem.level.toUpperCase()} ${problem.code ?? problem.event}: ${problem.message}`,
    ),
  ]
  return redactText(lines.join('\n'))
}

/** Bytes in kB, MB or GB (powers of 1,000, as the screens and disks count them). */
function bytesText(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`
}

/**
 * Opens the diagnostic log of a data directory (`<dir>/logs`), at `$PURCHASE_SENDER_LOG_LEVEL`
 * (else info); null when it cannot be written (a read-only folder): the app runs without it, and
 * `onError` says why.
 */
export function openDiagnosticLogIn(
  dataDirectory: string,
  options: {
    readonly env?: NodeJS.ProcessEnv
    readonly mirror?: { write(text: string): unknown }
    readonly onError?: (error: unknown) => void
  } = {},
): DiagnosticLog | null {
  const level = logLevelFrom((options.env ?? process.env)[LOG_LEVEL_ENV])
  try {
    return openDiagnosticLog({
      directory: logDirectoryOf(dataDirectory),
      ...(level ? { level } : {}),
      ...(options.mirror ? { mirror: options.mirror } : {}),
    })
  } catch (error) {
    options.onError?.(error)
    return null
  }
}
