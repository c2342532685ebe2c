/**
 * How the command line speaks: one JSON document on stdout with `--json`, readable text
 * otherwise; logs and progress always on stderr; the exit codes of the contract
 * (docs/cli-contract.md).
 */

export const EXIT = {
  /** Done (purchases that already existed in Connectif count as done). */
  ok: 0,
  /** Done, with orders that failed. */
  failedOrders: 1,
  /** Invalid input; nothing was sent or written. */
  invalidInput: 2,
  /** The store or Connectif could not be reached or rejected the credentials. */
  fatal: 3,
  /** Interrupted (Ctrl-C); the sending is saved and `resume` finishes it. */
  interrupted: 130,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** An error the command line reports as is, with the exit code it means. */
export class CliError extends Error {
  override readonly name = 'CliError'
  /** Printed after the message (a command's usage, a hint). */
  readonly detail: string | undefined
  /** For programs: the store's or Connectif's error code, when there is one. */
  readonly code: string | undefined

  constructor(
    readonly exitCode: ExitCode,
    message: string,
    options: { readonly detail?: string; readonly code?: string } = {},
  ) {
    super(message)
    this.detail = options.detail
    this.code = options.code
  }
}

/** Invalid input: exit 2, nothing sent or written. */
export function invalidInput(message: string, detail?: string): CliError {
  return new CliError(EXIT.invalidInput, message, { detail })
}

/** The store or Connectif cannot be used: exit 3. */
export function fatal(message: string, code?: string): CliError {
  return new CliError(EXIT.fatal, message, { code })
}

export interface OutputStreams {
  readonly stdout: NodeJS.WritableStream
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean }
}

export class Output {
  readonly json: boolean
  readonly #streams: OutputStreams

  constructor(json: boolean, streams: OutputStreams = process) {
    this.json = json
    this.#streams = streams
  }

  get stderr(): OutputStreams['stderr'] {
    return this.#streams.stderr
  }

  /** Whether stderr is a terminal (progress bars are drawn only there). */
  get interactive(): boolean {
    return this.#streams.stderr.isTTY === true
  }

  /** The command's result: `value` as JSON with `--json`, else the human rendering. */
  result(value: unknown, human: () => string): void {
    if (this.json) this.#streams.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
    else {
      const text = human()
      if (text !== '') this.#streams.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
    }
  }

  /**
   * Part of a result written in pieces (a long list, page by page), as is: waits while stdout is
   * full, so a slow reader (a pipe, a terminal) holds the reading back instead of memory growing.
   * False once the reader has gone (`| head` closed the pipe: EPIPE), so the command can stop
   * quietly; any other failure of stdout is thrown.
   */
  async write(text: string): Promise<boolean> {
    const stdout = this.#streams.stdout
    if (!this.#watchingStdout) {
      this.#watchingStdout = true
      // Kept for the whole run: a write that fails after it returned would otherwise be an
      // unhandled 'error' event.
      stdout.on('error', (error: NodeJS.ErrnoException) => (this.#stdoutError ??= error))
    }
    if (this.#stdoutError === null && !stdout.write(text))
      await new Promise<void>((resolve) => {
        const done = (): void => {
          stdout.off('drain', done)
          stdout.off('error', done)
          resolve()
        }
        stdout.on('drain', done)
        stdout.on('error', done)
      })
    const error = this.#stdoutError
    if (error === null) return true
    if (error.code === 'EPIPE') return false
    throw error
  }

  #watchingStdout = false
  #stdoutError: NodeJS.ErrnoException | null = null

  /** A line for people: stderr with `--json` (stdout stays one JSON document), stdout otherwise. */
  info(message: string): void {
    const stream = this.json ? this.#streams.stderr : this.#streams.stdout
    stream.write(`${message}\n`)
  }

  /** A log line, always on stderr. */
  log(message: string): void {
    this.#streams.stderr.write(`${message}\n`)
  }

  error(message: string, detail?: string): void {
    this.#streams.stderr.write(`purchase-sender: ${message}\n`)
    if (detail) this.#streams.stderr.write(`\n${detail.trimEnd()}\n`)
  }
}

/** A plain text table with aligned columns; numbers right-aligned. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const cells = rows.map((row) => row.map((cell) => String(cell)))
  const numeric = headers.map(
    (_, column) =>
      rows.length > 0 && rows.every((row) => typeof row[column] === 'number' || row[column] === ''),
  )
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...cells.map((row) => (row[column] ?? '').length)),
  )
  const line = (row: readonly string[]): string =>
    row
      .map((cell, column) => {
        const width = widths[column] ?? 0
        return numeric[column] ? cell.padStart(width) : cell.padEnd(width)
      })
      .join('  ')
      .trimEnd()
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join(
    '\n',
  )
}

/** Seconds as "1 h 02 min", "3 min 05 s", "42 s". */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds))
  const hours = Math.floor(seconds / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  const rest = seconds % 60
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} min`
  if (minutes > 0) return `${minutes} min ${String(rest).padStart(2, '0')} s`
  return `${rest} s`
}
