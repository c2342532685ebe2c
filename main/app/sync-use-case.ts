/**
 * Sync: a skip-sent sending over a moving window of days ending today on the shop's clock, for
 * the command line's `sync` and the app's schedules. Orders already sent to their Connectif
 * account cost no request; an order that moved into a selected status since the last run is in
 * the window and not yet sent, so this run sends it.
 */
import type { Profile } from '../core/profiles/profile-types'
import type { RunningSending, SendingOptions, SendingRecord } from '../core/history/history-types'
import { SYNC_DAYS, syncWindow, todayInZone } from '../core/sending/sending-rules'
import { withProfileStore, type AppContext } from './app-context'
import { AppError } from './app-errors'
import type { LaunchedSending, LaunchOptions, SendingRunner } from './sending-runner'
import { zoneOf } from './store-views'

export interface SyncRequest {
  readonly profile: Profile
  /** The window's length in days, today included (SYNC_DAYS). */
  readonly days?: number
  /** Order states to send; the profile's default statuses when absent. */
  readonly stateIds?: readonly number[]
  readonly mode: SendingRecord['mode']
  readonly options: Omit<SendingOptions, 'routing' | 'skipSent'>
}

export type SyncStart =
  | {
      /** Another sending of the profile runs (in this process or another): nothing was sent. */
      readonly kind: 'busy'
      readonly running: RunningSending
    }
  | {
      readonly kind: 'started'
      readonly from: string
      readonly to: string
      readonly launched: LaunchedSending
    }

/** Checks the request's own fields (before anything opens the store); AppError when wrong. */
export function checkSyncRequest(request: Pick<SyncRequest, 'profile' | 'days' | 'stateIds'>): {
  days: number
  stateIds: readonly number[]
} {
  const days = request.days ?? SYNC_DAYS.default
  if (!Number.isInteger(days) || days < SYNC_DAYS.min || days > SYNC_DAYS.max)
    throw new AppError(
      'sync_days_invalid',
      `A sync covers ${SYNC_DAYS.min} to ${SYNC_DAYS.max} days (today included); ${String(days)} is not allowed.`,
      { days: String(days), min: String(SYNC_DAYS.min), max: String(SYNC_DAYS.max) },
    )
  const stateIds = request.stateIds ?? request.profile.defaultStateIds
  if (stateIds.length === 0)
    throw new AppError(
      'sync_statuses_missing',
      `The profile "${request.profile.name}" has no default statuses: name the statuses to sync.`,
      { profile: request.profile.name },
    )
  return { days, stateIds }
}

/**
 * Starts a sync of the profile, or says it is busy. The window ends today in the shop's time
 * zone; the sending is recorded as scheduled and leaves out the orders already sent.
 */
export async function startSync(
  context: AppContext,
  runner: SendingRunner,
  request: SyncRequest,
  launchOptions: LaunchOptions = {},
): Promise<SyncStart> {
  const { days, stateIds } = checkSyncRequest(request)
  const busy = (): SyncStart | null => {
    const running = context.history.runningSendingOf(request.profile.id)
    return running === null ? null : { kind: 'busy', running }
  }
  const early = busy()
  if (early) return early
  const zone = await withProfileStore(context, request.profile, async (store) =>
    zoneOf(await store.overview()),
  )
  const window = syncWindow(todayInZone(context.clock.now(), zone), days)
  try {
    const launched = await runner.start(
      {
        profileId: request.profile.id,
        from: window.from,
        to: window.to,
        stateIds,
        mode: request.mode,
        origin: 'scheduled',
        options: { ...request.options, skipSent: true },
      },
      launchOptions,
    )
    return { kind: 'started', ...window, launched }
  } catch (error) {
    // Another process started a sending of the profile between the check and ours.
    if (error instanceof Error && 'code' in error && error.code === 'sending_in_progress') {
      const raced = busy()
      if (raced) return raced
    }
    throw error
  }
}
