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
  {
    version: 4,
    name: 'orders already sent to each Connectif account; scheduled sendings',
    up(db) {
      // `account` is the fingerprint of the Connectif account an order went to (its API URL and
      // key, hashed: see main/core/connectif/account-key.ts), so "already sent" follows the
      // account itself, not the profile or target that named it. Rows recorded before this step
      // have none: their orders are requested once more and come back as 409, never lost.
      // The partial index holds only the rows that count as sent, so a sync's lookup of a page of
      // order ids is a few index seeks whatever the size of the history. It also holds what the
      // lookup checks besides (sending_id: a sending's own rows do not count; result: SQLite
      // tests the IN term again), so it answers alone: otherwise every order found costs a read
      // of its table row, which put the first lookup of 20,000 orders in a history of a million
      // rows over 50 ms (npm run bench:sent).
      db.exec(`
        ALTER TABLE sending_orders ADD COLUMN account TEXT;
        CREATE INDEX sending_orders_sent_to_account
          ON sending_orders (account, order_id, sending_id, result)
          WHERE result IN ('created', 'already_exists');
        ALTER TABLE sendings ADD COLUMN already_sent INTEGER NOT NULL DEFAULT 0
          CHECK (already_sent >= 0);
        ALTER TABLE sendings ADD COLUMN origin TEXT NOT NULL DEFAULT 'manual'
          CHECK (origin IN ('manual', 'scheduled'));
      `)
    },
  },
  {
    version: 5,
    name: 'automatic sending per profile',
    up(db) {
      // One schedule per profile, gone with it. Bounds the app may widen (hours, days) are the
      // app's rules, not CHECKs, so widening them needs no migration. `anchor_at`: slots after it
      // count; `last_slot_at`: the slot the last run served, claimed before the run starts so two
      // processes never serve the same slot. The last run's outcome is `started` (the sending's
      // own state is in `sendings`), `busy` (another sending of the profile ran: nothing sent) or
      // `failed_to_start` (with the error's code, English message and params).
      db.exec(`
        CREATE TABLE schedules (
          profile_id INTEGER PRIMARY KEY REFERENCES profiles (id) ON DELETE CASCADE,
          enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
          kind TEXT NOT NULL CHECK (kind IN ('every', 'daily')),
          every_hours INTEGER CHECK (every_hours >= 1),
          daily_time TEXT CHECK (daily_time GLOB '[0-2][0-9]:[0-5][0-9]'),
          time_zone TEXT,
          -- NULL: the profile's default statuses at each run.
          state_ids TEXT CHECK (json_valid(state_ids)),
          days INTEGER NOT NULL CHECK (days >= 1),
          trigger_workflows INTEGER NOT NULL CHECK (trigger_workflows IN (0, 1)),
          create_contacts INTEGER NOT NULL CHECK (create_contacts IN (0, 1)),
          create_products INTEGER NOT NULL CHECK (create_products IN (0, 1)),
          anchor_at TEXT NOT NULL,
          last_slot_at TEXT,
          last_run_at TEXT,
          last_outcome TEXT CHECK (last_outcome IN ('started', 'busy', 'failed_to_start')),
          last_sending_id INTEGER REFERENCES sendings (id) ON DELETE SET NULL,
          last_error_code TEXT,
          last_error_message TEXT,
          last_error_params TEXT CHECK (json_valid(last_error_params)),
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          CHECK ((kind = 'every') = (every_hours IS NOT NULL)),
          CHECK ((kind = 'daily') = (daily_time IS NOT NULL)),
          -- A daily time is on the shop's clock: an enabled one knows its zone.
          CHECK (enabled = 0 OR kind = 'every' OR time_zone IS NOT NULL),
          CHECK ((last_run_at IS NULL) = (last_outcome IS NULL)),
          CHECK ((last_outcome IS 'failed_to_start') = (last_error_code IS NOT NULL)),
          CHECK ((last_error_code IS NULL) = (last_error_message IS NULL))
        );
      `)
    },
  },
  {
    version: 6,
    name: "indexes for a sending's page of orders",
    up(db) {
      // A sending's page lists its orders a page at a time: filtered by result, sorted by order
      // id, order date, time of the answer or attempts, searched by reference or e-mail
      // (order-queries.ts). Each sort has its index, ending with the order id (the tie-break) and
      // the result, so a page, filtered or not, walks one index and reads only its own rows from
      // the table: a deep OFFSET skips index entries, never table rows. Without them, a page of a
      // sending of 100,000 orders sorted by answer time took over half a second; with them, a few
      // milliseconds (npm run bench:history). The search index holds the two searched columns,
      // which are far smaller to scan than the rows with their payloads; they never change once
      // recorded, so writing results does not touch it. The others do change with each result
      // written (result, sent_at, attempts): the price is slower result writes, still far above
      // any pace Connectif allows.
      db.exec(`
        CREATE INDEX sending_orders_by_result ON sending_orders (sending_id, result, order_id);
        CREATE INDEX sending_orders_by_order_date
          ON sending_orders (sending_id, order_date, order_id, result);
        CREATE INDEX sending_orders_by_sent_at
          ON sending_orders (sending_id, sent_at, order_id, result);
        CREATE INDEX sending_orders_by_attempts
          ON sending_orders (sending_id, attempts, order_id, result);
        CREATE INDEX sending_orders_search
          ON sending_orders (sending_id, customer_email, reference);
      `)
    },
  },
  {
    version: 7,
    name: "Connectif imports of a sending's contacts and products",
    up(db) {
      // A sending that creates missing contacts and products imports them first, one import per
      // account and type (more parts only for a file past Connectif's 50 MB): each row is one
      // import, written as soon as Connectif answered its creation, so a resumed sending polls
      // it again instead of importing twice. `import_id` is Connectif's; an import it did not
      // create (403, a full queue, a refused file) is `not_created`, with the notice that says
      // why the sending fell back to creating them one by one. `account` is the account's
      // fingerprint (account-key.ts), `target` its label (`main` or a target's).
      // `connectif_items` holds the contacts (lower-cased e-mails) and products (ids) an import
      // of ours brought into an account, so later sendings (a daily sync) import only what is
      // new there. A contact or product deleted in Connectif since is caught at sending time
      // (E0101, E0102) and created one by one.
      db.exec(`
        CREATE TABLE sending_imports (
          id INTEGER PRIMARY KEY,
          sending_id INTEGER NOT NULL REFERENCES sendings (id) ON DELETE CASCADE,
          account TEXT NOT NULL,
          target TEXT NOT NULL,
          type TEXT NOT NULL CHECK (type IN ('contacts', 'products')),
          part INTEGER NOT NULL CHECK (part >= 1),
          parts INTEGER NOT NULL CHECK (parts >= part),
          items INTEGER NOT NULL CHECK (items >= 0),
          import_id TEXT,
          status TEXT NOT NULL CHECK (status IN ('queued', 'inProgress', 'finished', 'error',
            'cancelled', 'abandoned', 'not_created')),
          total INTEGER CHECK (total >= 0),
          success INTEGER CHECK (success >= 0),
          errors INTEGER CHECK (errors >= 0),
          error_report_url TEXT,
          notice_code TEXT,
          notice_message TEXT,
          notice_params TEXT CHECK (json_valid(notice_params)),
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          finished_at TEXT,
          UNIQUE (sending_id, account, type, part),
          CHECK ((status = 'not_created') = (import_id IS NULL)),
          CHECK ((notice_code IS NULL) = (notice_message IS NULL))
        );
        CREATE TABLE connectif_items (
          account TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('contact', 'product')),
          item TEXT NOT NULL,
          known_at TEXT NOT NULL,
          PRIMARY KEY (account, kind, item)
        ) WITHOUT ROWID;
      `)
    },
  },
  {
    version: 8,
    name: 'app settings, upkeep runs, sendings whose details were removed',
    up(db) {
      // `app_settings`: the settings that belong to the history rather than to the computer
      // (how many days payloads and answers are kept, for now), one JSON value per key.
      // `maintenance_runs`: what each retention run or erasure of a customer did and the bytes
      // of the database file and its WAL before and after, for the screens and diagnostics; it
      // never holds what was erased (no e-mail). `sendings.details_removed_at`: when a finished
      // sending's payloads and answers were removed; a sending finished again since (resumed,
      // retried) has `finished_at` after it and is looked at again.
      db.exec(`
        CREATE TABLE app_settings (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL CHECK (json_valid(value)),
          updated_at TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE maintenance_runs (
          id INTEGER PRIMARY KEY,
          kind TEXT NOT NULL CHECK (kind IN ('retention', 'forget')),
          ran_at TEXT NOT NULL,
          days INTEGER CHECK (days >= 1),
          sendings INTEGER NOT NULL CHECK (sendings >= 0),
          orders INTEGER NOT NULL CHECK (orders >= 0),
          bytes_before INTEGER NOT NULL CHECK (bytes_before >= 0),
          bytes_after INTEGER NOT NULL CHECK (bytes_after >= 0),
          vacuumed INTEGER NOT NULL CHECK (vacuumed IN (0, 1)),
          CHECK ((kind = 'retention') = (days IS NOT NULL))
        );
        CREATE INDEX maintenance_runs_by_kind ON maintenance_runs (kind, id);
        ALTER TABLE sendings ADD COLUMN details_removed_at TEXT;
      `)
    },
  },
  {
    version: 9,
    name: "another integration sharing a sending's Connectif budget",
    up(db) {
      // A sending slows down while another consumer of its account's rate limit (the live
      // shop's Connectif module, another key) is active (docs/connectif-api.md §8). It keeps
      // when that was first seen (`shared_since`), and the highest rate observed of the other
      // consumer, in requests a minute, with when (`shared_peak_*`). All NULL: never shared.
      db.exec(`
        ALTER TABLE sendings ADD COLUMN shared_since TEXT;
        ALTER TABLE sendings ADD COLUMN shared_peak_per_minute INTEGER
          CHECK (shared_peak_per_minute >= 1);
        ALTER TABLE sendings ADD COLUMN shared_peak_at TEXT;
      `)
    },
  },
  {
    version: 10,
    name: "a sending's status names",
    up(db) {
      // The names and colours of a sending's order statuses when it was created, in the
      // profile's language, as a JSON array of {id, name, color}: the history names them
      // without the store, after a restart too. NULL for the sendings recorded before.
      db.exec(`
        ALTER TABLE sendings ADD COLUMN state_names TEXT
          CHECK (state_names IS NULL OR json_valid(state_names));
      `)
    },
  },
  {
    version: 11,
    name: 'contacts and products a sending created one by one; orders by reason',
    up(db) {
      // The contacts and products Connectif lacked that a sending created one at a time (its
      // imports are counted in sending_imports), each counted once, by the order whose request
      // created it, in the transaction that records that order's result: a crash loses neither.
      // 0 for the sendings recorded before. The index answers a sending's skipped and failed
      // orders counted by reason, and its page filtered to one (outcome-reasons.ts), from the
      // index alone: every sending of the history shows its reasons.
      db.exec(`
        ALTER TABLE sendings ADD COLUMN contacts_created INTEGER NOT NULL DEFAULT 0
          CHECK (contacts_created >= 0);
        ALTER TABLE sendings ADD COLUMN products_created INTEGER NOT NULL DEFAULT 0
          CHECK (products_created >= 0);
        CREATE INDEX sending_orders_by_reason
          ON sending_orders (sending_id, result, error_code, http_status);
      `)
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
