/**
 * Where the history database lives. The command line and the desktop app must agree on it, so the
 * default mirrors Electron's `app.getPath('userData')` without importing Electron.
 */
import { mkdirSync } from 'node:fs'
import { homedir as osHomedir } from 'node:os'
import path from 'node:path'

/** Electron names `userData` after package.json's `productName`. */
export const APP_DIRECTORY_NAME = 'Purchase Sender'
export const HISTORY_DATABASE_FILE = 'history.sqlite3'
export const DATA_DIRECTORY_ENV = 'PURCHASE_SENDER_HOME'

export interface DataDirectoryOptions {
  /** `--home DIR` */
  readonly home?: string
  readonly env?: NodeJS.ProcessEnv
  readonly platform?: NodeJS.Platform
  readonly homedir?: string
}

/**
 * `--home DIR`, else `$PURCHASE_SENDER_HOME`, else the OS application-data directory that the
 * desktop app uses. Does not touch the file system.
 */
export function resolveDataDirectory(options: DataDirectoryOptions = {}): string {
  const env = options.env ?? process.env
  const explicit = nonEmpty(options.home) ?? nonEmpty(env[DATA_DIRECTORY_ENV])
  // Relative paths are taken from the working directory, as any other command-line path is.
  if (explicit !== undefined) return path.resolve(explicit)

  const platform = options.platform ?? process.platform
  const home = options.homedir ?? osHomedir()
  switch (platform) {
    case 'win32': {
      const appData = nonEmpty(env['APPDATA']) ?? path.win32.join(home, 'AppData', 'Roaming')
      return path.win32.join(appData, APP_DIRECTORY_NAME)
    }
    case 'darwin':
      return path.posix.join(home, 'Library', 'Application Support', APP_DIRECTORY_NAME)
    default: {
      // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored; Electron
      // (through GLib) does the same.
      const xdg = nonEmpty(env['XDG_CONFIG_HOME'])
      const configHome = xdg !== undefined && path.posix.isAbsolute(xdg) ? xdg : undefined
      return path.posix.join(configHome ?? path.posix.join(home, '.config'), APP_DIRECTORY_NAME)
    }
  }
}

export function historyDatabasePath(dataDirectory: string): string {
  return path.join(dataDirectory, HISTORY_DATABASE_FILE)
}

/**
 * Creates the directory when missing, readable by its owner only: the history holds customer
 * e-mails and order totals. An existing directory keeps the permissions its owner gave it.
 */
export function ensureDataDirectory(dataDirectory: string): void {
  try {
    mkdirSync(dataDirectory, { recursive: true, mode: 0o700 })
  } catch (error) {
    throw new Error(
      `Cannot create the data directory ${dataDirectory}: ${(error as Error).message}. ` +
        `Choose another one with --home DIR or ${DATA_DIRECTORY_ENV}.`,
      { cause: error },
    )
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value
}
