/**
 * What `send`, `resume` and `sync` share: a sending run to its end in this process, with progress
 * on stderr and Ctrl-C (or SIGTERM) saving it for `resume`; the sending's JSON, its summary for
 * people and its exit code; and the flags of a sending's options.
 */
import { isRouted } from '../../app/history-use-cases'
import { SendingRunner, type LaunchedSending } from '../../app/sending-runner'
import { fixOfFatal } from '../../app/sending-blockers'
import { DEFAULT_RATE_LIMIT } from '../../core/connectif/connectif-defaults'
import type { HistoryStore, ImportRecord } from '../../core/history/history-store'
import type { SendingCounts, SendingOptions, SendingRecord } from '../../core/history/history-types'
import { SendingStop } from '../../core/sending/sending-engine'
import type { SendingEvent, TargetCounts } from '../../core/sending/sending-events'
import type { CliContext } from '../cli-context'
import { CliError, EXIT, type ExitCode } from '../cli-output'
import { createProgressView } from '../cli-progress'
import { booleanOption, type OptionSpecs, type ParsedCommand } from './command-args'
import { NO_ACCOUNT_KEY } from './preview'

/** The flags of a sending's options, as `send` and `sync` take them. */
export const SENDING_OPTIONS: OptionSpecs = {
  'trigger-workflows': { type: 'boolean' },
  'no-create-contacts': { type: 'boolean' },
  'no-create-products': { type: 'boolean' },
  'rate-limit': { type: 'string' },
}

export const SENDING_OPTIONS_USAGE = `  --trigger-workflows     fire Connectif's "On purchase" workflows (off: these are past orders)
  --no-create-contacts    do not create contacts Connectif does not know (those orders fail)
  --no-create-products    do not create products missing from Connectif's catalogue
  --rate-limit N          requests per minute for each Connectif account (default ${DEFAULT_RATE_LIMIT})`

/** The options SENDING_OPTIONS set, at `rateLimit` requests a minute. */
export function sendingOptionsOf(
  values: ParsedCommand['values'],
  rateLimit: number,
): Omit<SendingOptions, 'routing' | 'skipSent'> {
  return {
    triggerWorkflows: booleanOption(values, 'trigger-workflows'),
    createContacts: !booleanOption(values, 'no-create-contacts'),
    createProducts: !booleanOption(values, 'no-create-products'),
    rateLimit,
  }
}

/**
 * The JSON of a sending, as `send`, `resume`, `sync` and `history` print it. A routed sending (its
 * profile had targets) adds `byTarget`: the same counts per Connectif account, keyed `main`, a
 * target's label, or `none` for the orders no account served. A sending that left out the
 * orders already sent (`send --skip-sent`, `sync`) adds how many as `alreadySent`. With the
 * history at hand, `imports` lists the Connectif imports its preparing step made ([] for none).
 */
export function sendingView(
  sending: SendingRecord,
  history?: HistoryStore,
): Record<string, unknown> {
  const view: Record<string, unknown> = {
    sendingId: sending.id,
    state: sending.state,
    total: sending.counts.total,
    created: sending.counts.created,
    alreadyExisted: sending.counts.alreadyExisted,
    failed: sending.counts.failed,
    skipped: sending.counts.skipped,
    startedAt: sending.startedAt,
    finishedAt: sending.finishedAt,
  }
  if (sending.options.skipSent === true) view['alreadySent'] = sending.alreadySent
  if (history && isRouted(sending))
    view['byTarget'] = byTargetView(history.countsByTarget(sending.id))
  if (history) view['imports'] = history.importsOf(sending.id).map(importView)
  if (sending.sharing) view['sharing'] = sending.sharing
  return view
}

/**
 * One import of the preparing step: its account (`main` or a target's label), what it created,
 * Connectif's id and counts, and the notice when the sending fell back to one by one.
 */
function importView(record: ImportRecord): Record<string, unknown> {
  return {
    account: record.target,
    type: record.type,
    part: record.part,
    parts: record.parts,
    items: record.items,
    importId: record.importId,
    status: record.status,
    total: record.total,
    success: record.success,
    errors: record.errors,
    errorReportUrl: record.errorReportUrl,
    notice:
      record.notice === null ? null : { code: record.notice.code, message: record.notice.message },
  }
}

/** The imports for people: what each brought in, or why it fell back. */
function importLines(records: readonly ImportRecord[], routed: boolean): string[] {
  return records.map((record) => {
    const where = routed ? ` (${record.target})` : ''
    const part = record.parts > 1 ? `, part ${record.part} of ${record.parts}` : ''
    const what = `${record.items.toLocaleString('en-US')} ${record.type}${part}${where}`
    if (record.status === 'finished')
      return `  imported before sending: ${what}${record.errors ? ` · ${record.errors} refused by Connectif` : ''}`
    return `  import of ${what}: ${record.status.replace(/_/g, ' ')}${record.notice ? ` — ${record.notice.message}` : ''}`
  })
}

function byTargetView(
  byTarget: readonly TargetCounts[],
): Record<string, Omit<SendingCounts, 'pending'>> {
  return Object.fromEntries(
    byTarget.map(({ target, counts }) => [
      target === '' ? NO_ACCOUNT_KEY : target,
      {
        total: counts.total,
        created: counts.created,
        alreadyExisted: counts.alreadyExisted,
        failed: counts.failed,
        skipped: counts.skipped,
      },
    ]),
  )
}

export function exitCodeOf(sending: SendingRecord): ExitCode {
  switch (sending.state) {
    case 'completed':
      return EXIT.ok
    case 'completed_with_errors':
      return EXIT.failedOrders
    case 'failed':
      return EXIT.fatal
    default:
      return EXIT.interrupted
  }
}

/**
 * Ctrl-C and SIGTERM: the first aborts the run with `SendingStop('interrupted')` (the engine
 * saves the sending as resumable), a second one exits at once.
 */
export class StopSignals {
  readonly controller = new AbortController()
  readonly #context: CliContext
  #count = 0
  readonly #handler = (signal: NodeJS.Signals): void => {
    this.#count++
    if (this.#count > 1) {
      this.#context.output.log('purchase-sender: stopped at once.')
      process.exit(EXIT.interrupted)
    }
    this.#context.output.log(
      `\npurchase-sender: ${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping after the requests in flight and saving the sending… (press Ctrl-C again to quit at once)`,
    )
    this.controller.abort(new SendingStop('interrupted'))
  }

  constructor(context: CliContext) {
    this.#context = context
    process.on('SIGINT', this.#handler)
    process.on('SIGTERM', this.#handler)
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  dispose(): void {
    process.off('SIGINT', this.#handler)
    process.off('SIGTERM', this.#handler)
  }
}

/**
 * Runs a sending to its end in this process, with progress on stderr and Ctrl-C listened to:
 * `launch` starts it through the application layer's runner (whose events feed the progress
 * view) with the stop signal it is given, or returns null when it started nothing (a busy
 * `sync`). Resolves to the sending as it ended, or null.
 */
export async function runToEnd(
  context: CliContext,
  launch: (runner: SendingRunner, signal: AbortSignal) => Promise<LaunchedSending>,
): Promise<SendingRecord>
export async function runToEnd(
  context: CliContext,
  launch: (runner: SendingRunner, signal: AbortSignal) => Promise<LaunchedSending | null>,
): Promise<SendingRecord | null>
export async function runToEnd(
  context: CliContext,
  launch: (runner: SendingRunner, signal: AbortSignal) => Promise<LaunchedSending | null>,
): Promise<SendingRecord | null> {
  const signals = new StopSignals(context)
  const view = createProgressView(context.output, () => context.clock.now())
  const runner = new SendingRunner(context.app, (event: SendingEvent) => view.onEvent(event))
  try {
    const launched = await launch(runner, signals.signal)
    return launched === null ? null : await launched.done
  } catch (error) {
    if (error instanceof SendingStop)
      throw new CliError(EXIT.interrupted, 'Stopped before the sending started; nothing was sent.')
    throw context.failure(error)
  } finally {
    view.stop()
    signals.dispose()
  }
}

export interface ReportExtras {
  /** Fields added to the JSON (sync's window). */
  readonly fields?: Readonly<Record<string, unknown>>
  /** A line said before the summary, for people. */
  readonly heading?: string
}

/** Prints how a sending ended (JSON or a summary) and the hints that follow; its exit code. */
export function reportSending(
  context: CliContext,
  sending: SendingRecord,
  extras: ReportExtras = {},
): ExitCode {
  const counts = sending.counts
  const byTarget = isRouted(sending) ? context.history.countsByTarget(sending.id) : []
  const leftOut = sending.alreadySent
  context.output.result({ ...sendingView(sending, context.history), ...extras.fields }, () =>
    [
      ...(extras.heading === undefined ? [] : [extras.heading]),
      `Sending #${sending.id}: ${sending.state.replace(/_/g, ' ')}.`,
      `  orders ${counts.total} · created ${counts.created} · already in Connectif ${counts.alreadyExisted} · failed ${counts.failed} · skipped ${counts.skipped}${counts.pending > 0 ? ` · not sent yet ${counts.pending}` : ''}`,
      ...importLines(context.history.importsOf(sending.id), byTarget.length > 0),
      ...byTarget.map(
        ({ target, counts: account }) =>
          `  ${target === '' ? 'no account (skipped)' : target}: orders ${account.total} · created ${account.created} · already ${account.alreadyExisted} · failed ${account.failed} · skipped ${account.skipped}${account.pending > 0 ? ` · not sent yet ${account.pending}` : ''}`,
      ),
      ...(sending.options.skipSent === true
        ? [
            leftOut === 0
              ? '  No order of the range had been sent before.'
              : `  ${leftOut} order${leftOut === 1 ? ' was' : 's were'} already sent to ${leftOut === 1 ? 'its' : 'their'} Connectif account before: left out, no request made.`,
          ]
        : []),
      ...(sending.sharing
        ? [
            `  Shared with another integration using up to about ${sending.sharing.peakPerMinute} requests a minute: the sending slowed down to leave it room.`,
          ]
        : []),
    ].join('\n'),
  )
  if (sending.state === 'failed' && sending.fatalError)
    context.output.error(`the sending stopped: ${sending.fatalError.message}`)
  if (
    sending.state === 'interrupted' ||
    sending.state === 'cancelled' ||
    sending.state === 'failed'
  )
    context.output.log(
      // Resuming before the refused key, password or address is corrected would fail again.
      sending.fatalError && fixOfFatal(sending.fatalError.code) !== null
        ? `The sending is saved. Correct the profile first, then finish it with: ${context.command(`resume ${sending.id}`)}`
        : `The sending is saved. Finish it with: ${context.command(`resume ${sending.id}`)}`,
    )
  if (counts.failed > 0 || counts.skipped > 0)
    context.output.log(
      `Report of the orders not created: ${context.command(`report ${sending.id} --out sending-${sending.id}.csv`)}`,
    )
  return exitCodeOf(sending)
}
