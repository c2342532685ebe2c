/**
 * The saved store profiles, in the `profiles` table of the history database. Every statement on
 * that table lives here; the sendings' statements live beside it (sending-lifecycle.ts,
 * order-records.ts, report-rows.ts), and history-store.ts opens the database and hands this
 * repository its connection.
 *
 * Synchronous like the rest of the history: a transaction is a plain function call (never make
 * its body async, or better-sqlite3 commits at the first `await`).
 */
import type Database from 'better-sqlite3'
import { parseProfileInput } from '../profiles/profile-schema'
import type { Profile, ProfileInput } from '../profiles/profile-types'
import { HistoryError, type RunningSending } from './history-types'

interface ProfileRow {
  id: number
  name: string
  source_settings: string
  connectif_settings: string
  shop_ids: string
  language_iso: string | null
  default_state_ids: string
  created_at: string
  updated_at: string
}

interface ProfileParams {
  name: string
  nameKey: string
  source: string
  connectif: string
  shopIds: string
  languageIso: string | null
  defaultStateIds: string
  now: string
}

function prepareStatements(db: Database.Database) {
  return {
    insert: db.prepare<ProfileParams, ProfileRow>(
      `INSERT INTO profiles (name, name_key, source_settings, connectif_settings, shop_ids,
         language_iso, default_state_ids, created_at, updated_at)
       VALUES (@name, @nameKey, @source, @connectif, @shopIds, @languageIso, @defaultStateIds,
         @now, @now)
       RETURNING *`,
    ),
    update: db.prepare<ProfileParams & { id: number }, ProfileRow>(
      `UPDATE profiles SET name = @name, name_key = @nameKey, source_settings = @source,
         connectif_settings = @connectif, shop_ids = @shopIds, language_iso = @languageIso,
         default_state_ids = @defaultStateIds, updated_at = @now
       WHERE id = @id
       RETURNING *`,
    ),
    byId: db.prepare<[number], ProfileRow>(`SELECT * FROM profiles WHERE id = ?`),
    byKey: db.prepare<[string], ProfileRow>(`SELECT * FROM profiles WHERE name_key = ?`),
    list: db.prepare<[], ProfileRow>(`SELECT * FROM profiles ORDER BY name_key, id`),
    remove: db.prepare<[number]>(`DELETE FROM profiles WHERE id = ?`),
  }
}

export interface ProfileRepositoryOptions {
  /** The current time as an ISO string. */
  readonly now: () => string
  /**
   * Inside a write transaction: the sending of this profile that is running now, described
   * ("sending #4 running since … (process 123)") and as params (`running`: its id, `state`,
   * `since`, `pid`), or null. A profile is not removed while one runs.
   */
  readonly runningSendingOf: (profileId: number) => RunningSending | null
}

export class ProfileRepository {
  readonly #db: Database.Database
  readonly #sql: ReturnType<typeof prepareStatements>
  readonly #options: ProfileRepositoryOptions

  constructor(db: Database.Database, options: ProfileRepositoryOptions) {
    this.#db = db
    this.#sql = prepareStatements(db)
    this.#options = options
  }

  /** Throws InvalidProfileError, or HistoryError 'profile_exists' (names compare ignoring case). */
  create(input: ProfileInput): Profile {
    const profile = parseProfileInput(input)
    return this.#immediate(() => {
      this.#refuseTakenName(profile.name, null)
      return toProfile(this.#sql.insert.get(this.#params(profile))!)
    })
  }

  /**
   * Creates every profile or none (one transaction): throws InvalidProfileError, or HistoryError
   * 'profile_exists' for the first name taken (by a saved profile or an earlier one of the list).
   */
  createAll(inputs: readonly ProfileInput[]): Profile[] {
    const profiles = inputs.map((input) => parseProfileInput(input))
    return this.#immediate(() =>
      profiles.map((profile) => {
        this.#refuseTakenName(profile.name, null)
        return toProfile(this.#sql.insert.get(this.#params(profile))!)
      }),
    )
  }

  /** Replaces every setting of the profile; its sendings keep the name they were made under. */
  update(id: number, input: ProfileInput): Profile {
    const profile = parseProfileInput(input)
    return this.#immediate(() => {
      this.#require(id)
      this.#refuseTakenName(profile.name, id)
      return toProfile(this.#sql.update.get({ id, ...this.#params(profile) })!)
    })
  }

  /** HistoryError 'profile_not_found' when there is none. */
  get(id: number): Profile {
    return toProfile(this.#require(id))
  }

  /** Case-insensitive, as names are unique. */
  findByName(name: string): Profile | null {
    const row = this.#sql.byKey.get(nameKey(name))
    return row === undefined ? null : toProfile(row)
  }

  list(): Profile[] {
    return this.#sql.list.all().map(toProfile)
  }

  /** Its sendings stay in the history under the profile's name. Refused while one runs. */
  remove(id: number): void {
    this.#immediate(() => {
      const profile = this.#require(id)
      const running = this.#options.runningSendingOf(id)
      if (running !== null)
        throw new HistoryError(
          'sending_in_progress',
          `Profile "${profile.name}" cannot be removed while ${running.description}.`,
          { reason: 'remove', profile: profile.name, ...running.params },
        )
      this.#sql.remove.run(id)
    })
  }

  #immediate<T>(body: () => T): T {
    return this.#db.transaction(body).immediate()
  }

  #params(profile: ProfileInput): ProfileParams {
    return {
      name: profile.name,
      nameKey: nameKey(profile.name),
      source: JSON.stringify(profile.source),
      connectif: JSON.stringify(profile.connectif),
      shopIds: JSON.stringify(profile.shopIds),
      languageIso: profile.languageIso,
      defaultStateIds: JSON.stringify(profile.defaultStateIds),
      now: this.#options.now(),
    }
  }

  #refuseTakenName(name: string, exceptId: number | null): void {
    const existing = this.#sql.byKey.get(nameKey(name))
    if (existing !== undefined && existing.id !== exceptId)
      throw new HistoryError(
        'profile_exists',
        `A profile named "${existing.name}" already exists (names ignore case); choose another name.`,
        { profile: existing.name },
      )
  }

  #require(id: number): ProfileRow {
    const row = this.#sql.byId.get(id)
    if (row === undefined)
      throw new HistoryError('profile_not_found', `There is no profile #${id}.`, {
        reason: 'id',
        profileId: String(id),
      })
    return row
  }
}

function nameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase()
}

/** Profiles saved before routing existed have neither field: one main account. */
function withRoutingDefaults(connectif: Profile['connectif']): Profile['connectif'] {
  return {
    ...connectif,
    mainAccount: connectif.mainAccount ?? true,
    targets: connectif.targets ?? [],
  }
}

function toProfile(row: ProfileRow): Profile {
  return {
    id: row.id,
    name: row.name,
    source: JSON.parse(row.source_settings) as Profile['source'],
    connectif: withRoutingDefaults(JSON.parse(row.connectif_settings) as Profile['connectif']),
    shopIds: JSON.parse(row.shop_ids) as number[],
    languageIso: row.language_iso,
    defaultStateIds: JSON.parse(row.default_state_ids) as number[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}
