/**
 * The sending history as the screens and the command line see it: every sending with its counts
 * (per Connectif account for a routed one) and what can be done with it, and its CSV report.
 */
import type { Writable } from 'node:stream'
import type { ImportView, SendingView } from '../../preload/contract'
import type { SendingRecord } from '../core/history/history-types'
import type { ImportRecord } from '../core/history/import-records'
import { writeSendingReport } from '../core/reports/csv-report'
import { AppError } from './app-errors'
import type { AppContext } from './app-context'

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

/** A sending for the screens; `runningHere` tells whether this process runs it now. */
export function sendingView(
  context: AppContext,
  sending: SendingRecord,
  runningHere: boolean,
): SendingView {
  const counts = sending.counts
  const finished = !['queued', 'running'].includes(sending.state)
  const workLeft = counts.pending > 0 || !sending.readComplete
  const started = sending.startedAt === null ? null : Date.parse(sending.startedAt)
  const ended = sending.finishedAt === null ? context.clock.now() : Date.parse(sending.finishedAt)
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
    canResume:
      !runningHere &&
      sending.profileId !== null &&
      (sending.state === 'interrupted' ||
        ((sending.state === 'cancelled' || sending.state === 'failed') && workLeft)),
    canRetryFailed: !runningHere && finished && sending.profileId !== null && counts.failed > 0,
    hasReport: counts.total - counts.created > 0,
    ...(isRouted(sending) ? { byTarget: context.history.countsByTarget(sending.id) } : {}),
    imports:
      sending.options.createContacts || sending.options.createProducts
        ? context.history.importsOf(sending.id).map(toImportView)
        : [],
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
