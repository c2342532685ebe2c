/**
 * What the sending engine's modules share: the dependencies injected into every entry point, and
 * the error that stops a whole sending.
 */
import type { Clock } from '../clock'
import type { ConnectifApi, ConnectifSharing, ConnectifWait } from '../connectif/connectif-api'
import type { HistoryStore } from '../history/history-store'
import type { AppLogger } from '../logging/log-events'
import type { StoreSource } from '../store/store-source'
import type { ConnectifAccountRef } from './connectif-routing'

export interface EngineDependencies {
  readonly history: HistoryStore
  /** Opens the profile's store; called at most once per run, and not at all when nothing is left to read. */
  readonly openStore: () => Promise<StoreSource>
  /**
   * The Connectif client of one of the sending's accounts (the main one, or a routing target);
   * `onWait` reports rate-limit pauses, `onSharing` another integration using the account's
   * budget (or null once it is quiet). Called at most once per account and run.
   */
  readonly connectif: (
    account: ConnectifAccountRef,
    hooks: {
      onWait: (wait: ConnectifWait) => void
      onSharing?: (sharing: ConnectifSharing | null) => void
    },
  ) => ConnectifApi
  readonly clock: Clock
  /** This process, recorded as the sending's owner so a crash can be told from a long run. */
  readonly pid: number
  /** Requests in flight at once (the rate limiter does the pacing). */
  readonly concurrency?: number
  /**
   * Whether a sending that creates missing contacts and products imports them in bulk before
   * sending (bulk-import.ts). Default true; false leaves only the one-by-one upserts while
   * sending, as before the Import API was used (the benchmark's comparison).
   */
  readonly bulkImports?: boolean
  /**
   * The diagnostic log (log-events.ts): each run's start and end with its counts, Connectif's
   * statuses, waits and retries. Nothing is logged without one.
   */
  readonly logger?: AppLogger
}

/** Stops the whole sending: the store or Connectif cannot go on (bad key, store unreachable). */
export class FatalSendingError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}
