/**
 * The diagnostic log: what a support person reads when something went wrong on a merchant's
 * computer. One JSON line per event (pino), in `<data directory>/logs/purchase-sender.log`,
 * rotated by size: when the file would pass `maxFileBytes` it becomes `purchase-sender.1.log`
 * (the older ones move up, the oldest beyond `maxFiles` is deleted), so the log never takes more
 * than about `maxFiles × maxFileBytes` (5 × 2 MB by default).
 *
 * Written synchronously (pino's own destination, sync), so a crash still leaves every line
 * written before it. Several processes may share the folder (the desktop app and a scheduled
 * command line): each appends; before rotating, one checks the file is still the one it writes
 * to (another process may have rotated it) and only reopens then.
 *
 * What it holds is decided by log-events.ts (whitelisted fields of typed events) and, as a last
 * resort, redaction.ts (applied here to every record, in pino's `formatters.log`).
 */
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync } from 'node:fs'
import { statSync, type Stats } from 'node:fs'
import path from 'node:path'
import pino from 'pino'
import {
  describeEvent,
  LOG_LEVELS,
  type AppLogger,
  type LogEvent,
  type LogLevel,
} from './log-events'
import { redactText, redactValue } from './redaction'

export const LOG_DIRECTORY = 'logs'
export const LOG_FILE_NAME = 'purchase-sender.log'
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024
export const DEFAULT_MAX_FILES = 5
/** `debug` also writes every Connectif answer (statuses of successful requests included). */
export const LOG_LEVEL_ENV = 'PURCHASE_SENDER_LOG_LEVEL'

export interface DiagnosticLogOptions {
  /** The folder of the log files (`logDirectoryOf(dataDirectory)`); created when missing. */
  readonly directory: string
  /** `info` by default (or `$PURCHASE_SENDER_LOG_LEVEL` when the caller passes it). */
  readonly level?: LogLevel
  readonly maxFileBytes?: number
  /** The current file and the rotated ones, together. */
  readonly maxFiles?: number
  /**
   * Also told every line, once redacted, as one human-readable line (the command line's
   * `--verbose` passes stderr). Never stdout.
   */
  readonly mirror?: { write(text: string): unknown }
}

export interface DiagnosticLog extends AppLogger {
  readonly directory: string
  /** The file written now. */
  readonly file: string
  readonly level: LogLevel
  readonly maxFiles: number
  readonly maxFileBytes: number
  /** Writes what is left and closes the file; later events are dropped. */
  close(): void
}

/** A problem the log recorded (a warning or an error), as the diagnostics show it. */
export interface LoggedProblem {
  readonly time: string
  readonly level: 'warn' | 'error'
  readonly event: string
  readonly code: string | null
  readonly message: string
}

export function logDirectoryOf(dataDirectory: string): string {
  return path.join(dataDirectory, LOG_DIRECTORY)
}

/** The log's files, newest first: `purchase-sender.log`, `purchase-sender.1.log`… */
export function logFiles(directory: string, maxFiles = DEFAULT_MAX_FILES): string[] {
  const { name, ext } = path.parse(LOG_FILE_NAME)
  return Array.from({ length: maxFiles }, (_, index) =>
    path.join(directory, index === 0 ? LOG_FILE_NAME : `${name}.${index}${ext}`),
  )
}

/** A level name from the environment; undefined when it is not one. */
export function logLevelFrom(value: string | undefined): LogLevel | undefined {
  const level = value?.trim().toLowerCase()
  return LOG_LEVELS.find((known) => known === level)
}

/**
 * Opens (creating) the log in `directory`. Throws when the folder cannot be made or the file
 * opened; after that, a write that fails is dropped: the log never breaks what it watches.
 */
export function openDiagnosticLog(options: DiagnosticLogOptions): DiagnosticLog {
  const maxFiles = Math.max(1, Math.floor(options.maxFiles ?? DEFAULT_MAX_FILES))
  const maxFileBytes = Math.max(1024, Math.floor(options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES))
  const level = options.level ?? 'info'
  mkdirSync(options.directory, { recursive: true, mode: 0o700 })
  const files = logFiles(options.directory, maxFiles)
  const sink = new RotatingSink(files, maxFileBytes, options.mirror)
  const logger = pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      formatters: {
        level: (label) => ({ level: label }),
        // The last-resort redaction: every record, whoever built it, passes here.
        log: (object) => redactValue(object) as Record<string, unknown>,
      },
    },
    sink,
  )
  let closed = false
  return {
    directory: options.directory,
    file: files[0] as string,
    level,
    maxFiles,
    maxFileBytes,
    log(event: LogEvent) {
      if (closed) return
      try {
        const described = describeEvent(event)
        logger[described.level]({ event: event.event, ...described.fields, msg: described.msg })
      } catch {
        // A log line that cannot be built is lost; the work it describes goes on.
      }
    },
    close() {
      if (closed) return
      closed = true
      sink.close()
    },
  }
}

/** pino.destination()'s sonic-boom, with the parts used here. */
type FileDestination = pino.DestinationStream &
  Pick<NodeJS.EventEmitter, 'on'> & {
    readonly fd: number
    flushSync(): void
    end(): void
  }

/**
 * pino's destination: its own sonic-boom file (sync), rotated by size. The size is the file's
 * own (fstat of the open file, appends of other processes included) before each line: a log
 * line is rare enough for one system call.
 */
class RotatingSink {
  readonly #files: readonly string[]
  readonly #maxBytes: number
  readonly #mirror: DiagnosticLogOptions['mirror']
  #destination: FileDestination
  #open = true

  constructor(files: readonly string[], maxBytes: number, mirror: DiagnosticLogOptions['mirror']) {
    this.#files = files
    this.#maxBytes = maxBytes
    this.#mirror = mirror
    this.#destination = this.#openFile()
  }

  #openFile(): FileDestination {
    const destination = pino.destination({
      dest: this.#current,
      sync: true,
      append: true,
      mkdir: true,
      mode: 0o600,
    }) as unknown as FileDestination
    // A write error after open (a full disk) must not become an uncaught 'error' event.
    destination.on('error', () => undefined)
    return destination
  }

  /** Closes the file written now (sync writes: nothing is left in memory) and opens it anew. */
  #reopen(): void {
    const previous = this.#destination
    this.#destination = this.#openFile()
    try {
      previous.end()
    } catch {
      // Already closed.
    }
  }

  get #current(): string {
    return this.#files[0] as string
  }

  write(line: string): void {
    if (!this.#open) return
    const length = Buffer.byteLength(line)
    try {
      const size = fstatSync(this.#destination.fd).size
      if (size > 0 && size + length > this.#maxBytes) this.#rotate(length)
      this.#destination.write(line)
    } catch {
      // Dropped: see openDiagnosticLog.
    }
    if (this.#mirror) {
      try {
        this.#mirror.write(`${humanLine(line)}\n`)
      } catch {
        // The mirror (stderr) gone is no reason to stop logging to the file.
      }
    }
  }

  close(): void {
    if (!this.#open) return
    this.#open = false
    try {
      this.#destination.flushSync()
    } catch {
      // Nothing buffered (sync), or the file is gone.
    }
    try {
      this.#destination.end()
    } catch {
      // Already closed.
    }
  }

  /** Rotates unless another process already did (then writes on in its new file). */
  #rotate(length: number): void {
    const onDisk = statOrNull(this.#current)
    const mine = fstatSync(this.#destination.fd)
    if (onDisk === null || onDisk.ino !== mine.ino || onDisk.dev !== mine.dev) {
      // Rotated (or removed) by another process: follow the file by its name.
      this.#reopen()
      const size = sizeOf(this.#current)
      if (size === 0 || size + length <= this.#maxBytes) return
    }
    const files = this.#files
    rmSync(files[files.length - 1] as string, { force: true })
    for (let index = files.length - 1; index > 0; index--) {
      const from = files[index - 1] as string
      if (statOrNull(from)) renameSync(from, files[index] as string)
    }
    this.#reopen()
  }
}

function statOrNull(file: string): Stats | null {
  try {
    return statSync(file)
  } catch {
    return null
  }
}

function sizeOf(file: string): number {
  return statOrNull(file)?.size ?? 0
}

/** A JSON line as people read it: `12:03:04.512 WARN  connectif_answer: … [E0101]`. */
export function humanLine(line: string): string {
  try {
    const record = JSON.parse(line) as Record<string, unknown>
    const time = typeof record['time'] === 'string' ? record['time'].slice(11, 23) : ''
    const level = String(record['level'] ?? '').toUpperCase()
    const code = typeof record['code'] === 'string' ? ` [${record['code']}]` : ''
    return `${time} ${level.padEnd(5)} ${String(record['event'] ?? '')}: ${String(record['msg'] ?? '')}${code}`
  } catch {
    return line.trimEnd()
  }
}

const TAIL_BYTES = 256 * 1024

/**
 * The last warnings and errors of the log in `directory`, newest first, redacted again (a file
 * written by an older version, or edited by hand, is not trusted).
 */
export function recentProblems(
  directory: string,
  limit = 10,
  maxFiles = DEFAULT_MAX_FILES,
): LoggedProblem[] {
  const problems: LoggedProblem[] = []
  for (const file of logFiles(directory, maxFiles)) {
    const lines = tailLines(file, TAIL_BYTES)
    for (let index = lines.length - 1; index >= 0 && problems.length < limit; index--) {
      const problem = problemOf(lines[index] as string)
      if (problem) problems.push(problem)
    }
    if (problems.length >= limit) break
  }
  return problems
}

function problemOf(line: string): LoggedProblem | null {
  let record: Record<string, unknown>
  try {
    record = JSON.parse(line) as Record<string, unknown>
  } catch {
    return null
  }
  const level = record['level']
  if (level !== 'warn' && level !== 'error') return null
  const string = (value: unknown): string | null =>
    typeof value === 'string' ? redactText(value).slice(0, 500) : null
  return {
    time: string(record['time']) ?? '',
    level,
    event: string(record['event']) ?? '',
    code: string(record['code']),
    message: string(record['msg']) ?? '',
  }
}

/** The whole lines among the last `bytes` of `file` ([] when it does not exist). */
function tailLines(file: string, bytes: number): string[] {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch {
    return []
  }
  try {
    const size = fstatSync(fd).size
    const start = Math.max(0, size - bytes)
    const buffer = Buffer.alloc(size - start)
    let read = 0
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, start + read)
      if (n === 0) break
      read += n
    }
    const lines = buffer.subarray(0, read).toString('utf8').split('\n')
    // The first line may be cut in the middle, unless the tail is the whole file.
    if (start > 0) lines.shift()
    return lines.filter((line) => line.trim() !== '')
  } finally {
    closeSync(fd)
  }
}
