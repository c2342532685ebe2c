/**
 * The history database's schema, as numbered steps. `PRAGMA user_version` holds the last step
 * applied. A step, once released, is never edited: a change is a new step (and a new test in
 * tests/history/migrations.test.ts).
 */
import type Database from 'better-sqlite3'
import { HistoryError } from './history-types'

export interface Migration {
  readonly version: number
  readonly name: string
  /** Runs inside the step's transaction: synchronous statements only. */
  up(db: Database.Database): void
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'profiles, sendings and their orders',
    up(db) {
      db.exec(`
        CREATE TABLE profiles (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL CHECK (length(trim(name)) > 0),
          -- Lower-cased NFC name, computed by the app: SQLite's NOCASE folds ASCII only, and
          -- "Tienda España" and "TIENDA ESPAÑA" must collide.
          name_key TEXT NOT NULL UNIQUE,
          source_settings TEXT NOT NULL CHECK (json_valid(source_settings)),
          connectif_settings TEXT NOT NULL CHECK (json_valid(connectif_settings)),
          shop_ids TEXT NOT NULL CHECK (json_valid(shop_ids)),
          language_iso TEXT,
          default_state_ids TEXT NOT NULL CHECK (json_valid(default_state_ids)),
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );

        CREATE TABLE sendings (
          id INTEGER PRIMARY KEY,
          -- A deleted profile keeps its history: the name below still tells whose it was.
          profile_id INTEGER REFERENCES profiles (id) ON DELETE SET NULL,
          profile_name TEXT NOT NULL,
          range_from TEXT NOT NULL,
          range_to TEXT NOT NULL CHECK (range_to >= range_from),
          state_ids TEXT NOT NULL CHECK (json_valid(state_ids)),
          shop_ids TEXT NOT NULL CHECK (json_valid(shop_ids)),
          mode TEXT NOT NULL CHECK (mode IN ('progress', 'background', 'cli')),
          options TEXT NOT NULL CHECK (json_valid(options)),
          state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'completed',
            'completed_with_errors', 'failed', 'cancelled', 'interrupted')),
          expected_total INTEGER NOT NULL DEFAULT 0 CHECK (expected_total >= 0),
          -- Kept in step with sending_orders in the same transactions, so progress and history
          -- never count tens of thousands of rows.
          total INTEGER NOT NULL DEFAULT 0 CHECK (total >= 0),
          created INTEGER NOT NULL DEFAULT 0 CHECK (created >= 0),
          already_existed INTEGER NOT NULL DEFAULT 0 CHECK (already_existed >= 0),
          failed INTEGER NOT NULL DEFAULT 0 CHECK (failed >= 0),
          skipped INTEGER NOT NULL DEFAULT 0 CHECK (skipped >= 0),
          pending INTEGER NOT NULL DEFAULT 0 CHECK (pending >= 0),
          read_complete INTEGER NOT NULL DEFAULT 0 CHECK (read_complete IN (0, 1)),
          cursor_placed_at TEXT,
          cursor_order_id INTEGER,
          owner_pid INTEGER,
          heartbeat_at TEXT,
          fatal_error_code TEXT,
          fatal_error_message TEXT,
          created_at TEXT NOT NULL,
          started_at TEXT,
          finished_at TEXT,
          CHECK ((cursor_placed_at IS NULL) = (cursor_order_id IS NULL)),
          CHECK ((fatal_error_code IS NULL) = (fatal_error_message IS NULL)),
          CHECK (total = created + already_existed + failed + skipped + pending)
        );
        CREATE INDEX sendings_by_profile ON sendings (profile_id, created_at);

        CREATE TABLE sending_orders (
          sending_id INTEGER NOT NULL REFERENCES sendings (id) ON DELETE CASCADE,
          order_id INTEGER NOT NULL,
          reference TEXT NOT NULL,
          order_date TEXT NOT NULL,
          customer_email TEXT NOT NULL,
          total TEXT NOT NULL,
          shop_id INTEGER NOT NULL,
          state_id INTEGER NOT NULL,
          result TEXT NOT NULL CHECK (result IN ('pending', 'created', 'already_exists',
            'failed', 'skipped')),
          payload TEXT,
          http_status INTEGER,
          error_code TEXT,
          message TEXT,
          response TEXT,
          attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
          sent_at TEXT,
          PRIMARY KEY (sending_id, order_id),
          -- A pending row is sent from its payload alone, after any restart.
          CHECK (result <> 'pending' OR payload IS NOT NULL)
        );
        CREATE INDEX sending_orders_by_result ON sending_orders (sending_id, result);
      `)
    },
  },
  {
    version: 2,
    name: 'index of pending orders by order id',
    up(db) {
      // The sender pages through a sending's pending orders by order id (keyset). Step 1's index
      // found them but made SQLite sort them all again for every page; this one is a range seek.
      // Partial, because only pending rows are ever looked up by result (the counters on
      // `sendings` answer every "how many"), so sent and skipped rows cost it nothing once out:
      // each result written updates one index less.
      db.exec(`
        CREATE INDEX sending_orders_pending ON sending_orders (sending_id, order_id)
          WHERE result = 'pending';
        DROP INDEX sending_orders_by_result;
      `)
    },
  },
  {
    version: 3,
    name: 'the Connectif account of each order',
    up(db) {
      // `main` or a routing target's label; NULL for orders recorded before routing existed,
      // which all went to the profile's one account.
      db.exec(`ALTER TABLE sending_orders ADD COLUMN target TEXT`)
    },
  },
]

export const LATEST_SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Brings the database up to `toVersion` (the latest by default), one transaction per step, and
 * refuses a database written by a newer app: its schema may mean things this app would break.
 * Foreign keys must be switched on by the caller, outside any transaction (SQLite ignores the
 * pragma inside one).
 */
export function migrate(
  db: Database.Database,
  options: { readonly toVersion?: number } = {},
): { readonly from: number; readonly to: number } {
  const target = options.toVersion ?? LATEST_SCHEMA_VERSION
  if (target > LATEST_SCHEMA_VERSION)
    throw new RangeError(`Unknown history schema version ${target}.`)
  const from = schemaVersion(db)
  if (from > LATEST_SCHEMA_VERSION)
    throw new HistoryError(
      'database_newer_than_app',
      `The history database ${describe(db)} has schema version ${from}, but this version of ` +
        `Purchase Sender knows versions up to ${LATEST_SCHEMA_VERSION}. It was written by a ` +
        `newer Purchase Sender: update the app (or use another data directory with --home).`,
      { database: describe(db), version: String(from), supported: String(LATEST_SCHEMA_VERSION) },
    )

  for (const migration of MIGRATIONS) {
    if (migration.version > target) break
    db.transaction(() => {
      // Read again under the write lock: another process may have applied it meanwhile.
      if (schemaVersion(db) >= migration.version) return
      migration.up(db)
      const violations = db.pragma('foreign_key_check') as unknown[]
      if (violations.length > 0)
        throw new Error(
          `History migration ${migration.version} (${migration.name}) left ` +
            `${violations.length} rows pointing at missing rows; nothing was changed.`,
        )
      // A pragma cannot take a bound parameter; the version is a number from the list above.
      db.pragma(`user_version = ${migration.version}`)
    }).immediate()
  }
  return { from, to: Math.max(from, schemaVersion(db)) }
}

function describe(db: Database.Database): string {
  return db.memory ? '(in memory)' : db.name
}
