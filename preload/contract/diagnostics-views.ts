/**
 * Part of the main ⇄ renderer contract (preload/contract.ts): the Help and diagnostics dialog's
 * view. It holds versions, sizes, counts and the log's last problems (codes and redacted
 * messages): never a secret, a customer's e-mail or a payload.
 */

import type { MaintenanceRunView } from './privacy-views'

export interface DiagnosticsView {
  readonly version: string
  readonly mode: 'electron' | 'browser'
  readonly dataDirectory: string | null
  readonly versions: {
    readonly app: string
    readonly node: string
    /** The desktop app only (null in browser mode). */
    readonly electron: string | null
    readonly chrome: string | null
    readonly sqlite: string
  }
  readonly os: { readonly platform: string; readonly release: string; readonly arch: string }
  readonly history: {
    /** This history's schema version, and the newest this app knows. */
    readonly schemaVersion: number
    readonly latestSchemaVersion: number
    /** Bytes on disk: the database file, its write-ahead log, both. */
    readonly databaseBytes: number
    readonly walBytes: number
    readonly totalBytes: number
    /** The last retention run (privacy-views.ts): when, and the bytes before and after; null: none. */
    readonly lastRetention: MaintenanceRunView | null
  }
  readonly counts: {
    readonly profiles: number
    readonly sendings: number
    readonly orders: number
  }
  /** The diagnostic log; null when this process writes none. */
  readonly log: {
    readonly directory: string
    readonly file: string
    readonly maxFiles: number
    readonly maxFileBytes: number
  } | null
  /** Whether `diagnostics:open-log-folder` can open it (the desktop app). */
  readonly canOpenLogFolder: boolean
  /** The log's last warnings and errors, newest first. */
  readonly recentProblems: readonly LoggedProblemView[]
  /**
   * Everything above as plain English text for a support person, redacted: what "Copy
   * diagnostics" puts on the clipboard.
   */
  readonly text: string
}

export interface LoggedProblemView {
  readonly time: string
  readonly level: 'warn' | 'error'
  readonly event: string
  readonly code: string | null
  readonly message: string
}

export interface LogFolderOpened {
  readonly opened: true
  readonly path: string
}
