/**
 * What the diagnostics say about the history: its schema version, the SQLite library's version,
 * and how many profiles, sendings and order rows it holds. Counts only: nothing it returns names
 * a customer or a profile.
 */
import Database from 'better-sqlite3'
import { LATEST_SCHEMA_VERSION, schemaVersion } from './migrations'

export interface HistoryFacts {
  /** The schema version of this database (`PRAGMA user_version`). */
  readonly schemaVersion: number
  /** The newest schema version this Purchase Sender knows. */
  readonly latestSchemaVersion: number
  readonly sqliteVersion: string
  readonly profiles: number
  readonly sendings: number
  readonly orders: number
}

export function historyFacts(db: Database.Database): HistoryFacts {
  const count = (table: string): number =>
    (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
  return {
    schemaVersion: schemaVersion(db),
    latestSchemaVersion: LATEST_SCHEMA_VERSION,
    sqliteVersion: sqliteVersionOf(db),
    profiles: count('profiles'),
    sendings: count('sendings'),
    orders: count('sending_orders'),
  }
}

function sqliteVersionOf(db: Database.Database): string {
  return (db.prepare('SELECT sqlite_version() AS version').get() as { version: string }).version
}

/** The version of SQLite better-sqlite3 was built with, without any history open. */
export function sqliteVersion(): string {
  const db = new Database(':memory:')
  try {
    return sqliteVersionOf(db)
  } finally {
    db.close()
  }
}
