/**
 * The send wizard's store sessions: one open store per profile, kept between the wizard's steps
 * so that each step answers at once instead of connecting again (a database handshake, the
 * read-only statement, the schema and the settings; through the Webservice, the probe and a
 * handful of settings requests).
 *
 * A session is keyed by the profile's id and a version of what it was opened with (the source
 * settings, the profile's last change and a digest of the secret: never the secret itself), so a
 * profile saved or a secret changed since is never read through the old connection. It closes
 * after a few idle minutes (a timer on the injected clock that never keeps the process alive),
 * when the profile is saved or deleted, and when the app shuts down. Calls that arrive together
 * share one opening, and a session whose connection broke is dropped and opened again, once.
 */
import { createHash } from 'node:crypto'
import type { Clock } from '../core/clock'
import type { Profile } from '../core/profiles/profile-types'
import { isStoreError } from '../core/store/store-errors'
import type { StoreSource } from '../core/store/store-source'

/** How long an unused session stays open: a wizard's pauses between steps, not a coffee break. */
export const STORE_SESSION_IDLE_MS = 3 * 60_000

export interface StoreSessionsOptions {
  readonly clock: Clock
  /** Reads the secret the profile's store opens with, now (it may have changed since). */
  readonly secret: (profile: Profile) => Promise<string>
  /** Opens the profile's store with that secret. */
  readonly open: (profile: Profile, secret: string) => Promise<StoreSource>
  readonly idleMs?: number
}

interface Session {
  readonly profileId: number
  readonly version: string
  readonly store: Promise<StoreSource>
  /** Calls running on it now: it is never closed under them. */
  users: number
  /** Stops the idle timer running while nobody uses it. */
  idle: AbortController | null
  /** Dropped: no new call gets it, and it closes when its last user leaves. */
  dropped: boolean
  closing: Promise<void> | null
}

/** What a session was opened with, as a digest: a change of any of it needs a new session. */
function versionOf(profile: Profile, secret: string): string {
  return createHash('sha256')
    .update(JSON.stringify([profile.updatedAt, profile.source]))
    .update('\0')
    .update(secret)
    .digest('hex')
}

/** The connection itself broke (a server restart, a dropped socket): another one may work. */
function isBrokenConnection(error: unknown): boolean {
  return isStoreError(error) && error.code === 'connection_lost'
}

export class StoreSessions {
  readonly #options: StoreSessionsOptions
  readonly #idleMs: number
  readonly #sessions = new Map<number, Session>()
  readonly #closing = new Set<Promise<void>>()

  constructor(options: StoreSessionsOptions) {
    this.#options = options
    this.#idleMs = options.idleMs ?? STORE_SESSION_IDLE_MS
  }

  /** Profiles with a session open (or opening) now. */
  get profileIds(): number[] {
    return [...this.#sessions.keys()]
  }

  /**
   * Runs `body` on the profile's session, opening it if needed. A body that fails because the
   * connection broke runs once more on a new session; any other failure is the body's own.
   */
  async use<T>(profile: Profile, body: (store: StoreSource) => Promise<T>): Promise<T> {
    let secret: string
    try {
      secret = await this.#options.secret(profile)
    } catch (error) {
      // The secret went (removed, its variable unset): nothing more is read with the old one.
      void this.drop(profile.id)
      throw error
    }
    const version = versionOf(profile, secret)
    for (let attempt = 1; ; attempt++) {
      const session = this.#enter(profile, secret, version)
      try {
        let store: StoreSource
        try {
          store = await session.store
        } catch (error) {
          // Not kept: the next call tries to open it again.
          this.#drop(session)
          throw error
        }
        return await body(store)
      } catch (error) {
        if (!isBrokenConnection(error)) throw error
        this.#drop(session)
        if (attempt > 1) throw error
      } finally {
        this.#leave(session)
      }
    }
  }

  /** Closes the profile's session (once the calls on it end): its profile changed or went. */
  drop(profileId: number): Promise<void> {
    const session = this.#sessions.get(profileId)
    if (session) this.#drop(session)
    return session?.closing ?? Promise.resolve()
  }

  /** Closes every session now, in use or not (the app is shutting down), and waits for them. */
  async closeAll(): Promise<void> {
    for (const session of [...this.#sessions.values()]) {
      this.#drop(session)
      this.#close(session)
    }
    await Promise.all([...this.#closing])
  }

  #enter(profile: Profile, secret: string, version: string): Session {
    let session = this.#sessions.get(profile.id)
    if (session && session.version !== version) {
      this.#drop(session)
      session = undefined
    }
    if (!session) {
      const store = this.#options.open(profile, secret)
      // Awaited by the calls that use it; a session dropped before any did must not leave it unheard.
      store.catch(() => undefined)
      session = {
        profileId: profile.id,
        version,
        store,
        users: 0,
        idle: null,
        dropped: false,
        closing: null,
      }
      this.#sessions.set(profile.id, session)
    }
    session.users += 1
    session.idle?.abort()
    session.idle = null
    return session
  }

  #leave(session: Session): void {
    session.users -= 1
    if (session.users > 0) return
    if (session.dropped) {
      this.#close(session)
      return
    }
    const idle = new AbortController()
    session.idle = idle
    this.#options.clock.sleep(this.#idleMs, idle.signal, { unref: true }).then(
      () => {
        if (session.idle === idle) this.#drop(session)
      },
      () => undefined,
    )
  }

  #drop(session: Session): void {
    if (this.#sessions.get(session.profileId) === session) this.#sessions.delete(session.profileId)
    session.dropped = true
    session.idle?.abort()
    session.idle = null
    if (session.users === 0) this.#close(session)
  }

  #close(session: Session): void {
    if (session.closing) return
    const closing = session.store.then(
      (store) => store.close().catch(() => undefined),
      // It never opened: nothing to close.
      () => undefined,
    )
    session.closing = closing
    this.#closing.add(closing)
    void closing.then(() => this.#closing.delete(closing))
  }
}
