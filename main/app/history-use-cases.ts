/**
 * The sending history as the screens and the command line see it: every sending with its counts
 * (per Connectif account for a routed one) and what can be done with it, and its CSV report.
 */
import type { Writable } from 'node:stream'
import type { ImportView, SendingBlockView, SendingView } from '../../preload/contract'
import type { CreatedItems, SendingRecord } from '../core/history/history-types'
import type { Profile } from '../core/profiles/profile-types'
import type { ImportRecord } from '../core/history/import-records'
import { writeSendingReport } from '../core/reports/csv-report'
import { AppError } from './app-errors'
import type { AppContext } from './app-context'
import type { MissingSecretParams } from './profile-secrets'
import { missingSecretOf, sendingBlock } from './sending-blockers'

/** Whether the sending routed its orders to several Connectif accounts. */
export function isRouted(sending: SendingRecord): boolean {
  return (sending.options.routing?.targets.length ?? 0) > 0
}

/**
 * The sendings, newest first (of one profile when given). Sendings whose process died are marked
 * interrupted first, so they show as resumable.
 */
export function listSendings(context: AppContext, profileId?: number | null): SendingRecord[] {
  context.history.markInterrupted()
  return context.history.listSendings(
    profileId === undefined || profileId === null ? {} : { profileId },
  )
}

/**
 * The sendings for the screens, each with what must be mended before it can go on
 * (sending-blockers.ts); `isRunning` tells whether this process runs one now.
 */
export async function sendingViews(
  context: AppContext,
  sendings: readonly SendingRecord[],
  isRunning: (sendingId: number) => boolean,
): Promise<SendingView[]> {
  const profiles = new Map<number, Profile>(
    context.profiles.list().map((profile) => [profile.id, profile]),
  )
  // One look at a profile's secrets per routing, and only for sendings that could go on.
  const missing = new Map<string, Promise<MissingSecretParams | null>>()
  return Promise.all(
    sendings.map(async (sending) => {
      const runningHere = isRunning(sending.id)
      const profile = sending.profileId === null ? null : (profiles.get(sending.profileId) ?? null)
      let lacking: MissingSecretParams | null = null
      const could = couldGoOn(sending, runningHere)
      if (profile && (could.resume || could.retry)) {
        const key = `${profile.id} ${JSON.stringify(sending.options.routing ?? null)}`
        let check = missing.get(key)
        if (!check) {
          check = missingSecretOf(context, profile, sending)
          missing.set(key, check)
        }
        lacking = await check
      }
      return sendingView(context, sending, runningHere, sendingBlock(sending, profile, lacking))
    }),
  )
}

/** Whether resuming, or retrying the failed orders, would be offered were nothing to mend first. */
function couldGoOn(
  sending: SendingRecord,
  runningHere: boolean,
): { readonly resume: boolean; readonly retry: boolean } {
  if (runningHere || sending.profileId === null) return { resume: false, retry: false }
  const workLeft = sending.counts.pending > 0 || !sending.readComplete
  const finished = !['queued', 'running'].includes(sending.state)
  return {
    resume:
      sending.state === 'interrupted' ||
      ((sending.state === 'cancelled' || sending.state === 'failed') && workLeft),
    retry: finished && sending.counts.failed > 0,
  }
}

/**
 * A sending for the screens; `runningHere` tells whether this process runs it now, `blockedBy`
 * what must be mended before it can go on (sendingViews).
 */
export function sendingView(
  context: AppContext,
  sending: SendingRecord,
  runningHere: boolean,
  blockedBy: SendingBlockView | null,
): SendingView {
  const counts = sending.counts
  const could = couldGoOn(sending, runningHere)
  const started = sending.startedAt === null ? null : Date.parse(sending.startedAt)
  const ended = sending.finishedAt === null ? context.clock.now() : Date.parse(sending.finishedAt)
  const imports =
    sending.options.createContacts || sending.options.createProducts
      ? context.history.importsOf(sending.id).map(toImportView)
      : []
  return {
    id: sending.id,
    profileId: sending.profileId,
    profileName: sending.profileName,
    from: sending.from,
    to: sending.to,
    stateIds: sending.stateIds,
    states: sending.stateNames,
    shopIds: sending.shopIds,
    mode: sending.mode,
    options: sending.options,
    state: sending.state,
    expectedTotal: sending.expectedTotal,
    counts,
    alreadySent: sending.alreadySent,
    origin: sending.origin,
    createdAt: sending.createdAt,
    startedAt: sending.startedAt,
    finishedAt: sending.finishedAt,
    durationSeconds: started === null ? null : Math.max(0, Math.round((ended - started) / 1000)),
    fatalError: sending.fatalError,
    ...(sending.sharing === undefined ? {} : { sharing: sending.sharing }),
    runningHere,
    canResume: blockedBy === null && could.resume,
    canRetryFailed: blockedBy === null && could.retry,
    blockedBy,
    hasReport: counts.total - counts.created > 0,
    ...(isRouted(sending) ? { byTarget: context.history.countsByTarget(sending.id) } : {}),
    imports,
    reasons: counts.skipped + counts.failed > 0 ? context.history.outcomeReasons(sending.id) : [],
    created: createdItems(sending, imports),
  }
}

/** What the sending created in Connectif: one by one, and what its imports took in. */
function createdItems(sending: SendingRecord, imports: readonly ImportView[]): CreatedItems {
  const imported = (type: ImportView['type']): number =>
    imports.reduce((sum, each) => sum + (each.type === type ? (each.success ?? 0) : 0), 0)
  return {
    contacts: sending.createdOneByOne.contacts + imported('contacts'),
    products: sending.createdOneByOne.products + imported('products'),
  }
}

function toImportView(record: ImportRecord): ImportView {
  return {
    target: record.target,
    type: record.type,
    part: record.part,
    parts: record.parts,
    items: record.items,
    status: record.status,
    total: record.total,
    success: record.success,
    errors: record.errors,
    notice: record.notice,
    createdAt: record.createdAt,
    finishedAt: record.finishedAt,
  }
}

/**
 * The sending, when its report has something in it; `report_empty` says why not, and an unknown
 * sending is `sending_not_found`. Hosts call it before they start writing (a header sent, a file
 * created), so an error can still be answered as one.
 */
export function checkReport(
  context: AppContext,
  sendingId: number,
  options: { readonly all: boolean },
): SendingRecord {
  const sending = context.history.getSending(sendingId)
  if (context.history.reportRows(sending.id, options).next().done)
    throw new AppError(
      'report_empty',
      options.all
        ? `Sending #${sending.id} has no orders yet: there is nothing to report.`
        : `Every order of sending #${sending.id} was created in Connectif: there is nothing to report.`,
      {
        sending: String(sending.id),
        all: String(options.all),
        reason: options.all ? 'no_orders' : 'all_created',
      },
    )
  return sending
}

/** Writes the CSV report of a sending to `sink`; refuses an empty one with why. */
export async function writeReport(
  context: AppContext,
  sendingId: number,
  sink: Writable,
  options: { readonly all: boolean; readonly allowEmpty?: boolean },
): Promise<{ sending: SendingRecord; rows: number }> {
  const sending = options.allowEmpty
    ? context.history.getSending(sendingId)
    : checkReport(context, sendingId, options)
  const { rows } = await writeSendingReport(context.history, sending.id, sink, options)
  return { sending, rows }
}
