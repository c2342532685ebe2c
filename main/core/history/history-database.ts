/**
 * Opening the history database: its folder, the connection, the pragmas the history relies on
 * (busy timeout, WAL, synchronous, foreign keys) and the migrations (migrations.ts), with the
 * errors that name the file when it cannot be opened.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { ensureDataDirectory } from './data-directory'
import { HistoryError } from './history-types'
import { migrate } from './migrations'

/**
 * Opens (creating when missing) the history database at `databasePath`, brings its schema up to
 * date and hands the connection to `build`, whose result it returns. When anything fails, `build`
 * included, the connection is closed again. Throws HistoryError 'database_newer_than_app' for a
 * database of a newer app, and an Error naming the file for any other failure.
 */
export function openHistoryDatabase<T>(
  databasePath: string,
  build: (db: Database.Database) => T,
): T {
  const inMemory = databasePath === ':memory:'
  if (!inMemory) ensureDataDirectory(path.dirname(databasePath))
  let db: Database.Database
  try {
    db = new Database(databasePath)
  } catch (error) {
    throw openError(databasePath, error)
  }
  try {
    // First, so that the pragmas and migrations below wait for another process's lock.
    db.pragma('busy_timeout = 5000')
    const journalMode = db.pragma('journal_mode = WAL', { simple: true })
    if (!inMemory && journalMode !== 'wal')
      throw new Error(`SQLite kept the journal mode "${String(journalMode)}" instead of WAL`)
    // With WAL, NORMAL loses at most the last commits on a power cut, never consistency; a
    // lost result is re-sent on resume and Connectif answers 409, which counts as done.
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    migrate(db)
    return build(db)
  } catch (error) {
    db.close()
    throw error instanceof HistoryError ? error : openError(databasePath, error)
  }
}

function openError(databasePath: string, error: unknown): Error {
  return new Error(
    `Cannot open the history database ${databasePath}: ${(error as Error).message}`,
    { cause: error },
  )
}
