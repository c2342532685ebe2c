/**
 * `purchase-sender send` and `purchase-sender resume`: the sending engine, run to its end in
 * this process, with progress on stderr and Ctrl-C (or SIGTERM) saving the sending for `resume`.
 */
import type { HistoryStore } from '../../core/history/history-store'
import type { SendingCounts, SendingRecord } from '../../core/history/history-types'
import { isRouted } from '../../app/history-use-cases'
import { SendingRunner, type LaunchedSending } from '../../app/sending-runner'
import { DEFAULT_RATE_LIMIT } from '../../core/connectif/connectif-defaults'
import { SendingStop } from '../../core/sending/sending-engine'
import type { SendingEvent, TargetCounts } from '../../core/sending/sending-events'
import type { CliContext } from '../cli-context'
import { CliError, EXIT, type ExitCode } from '../cli-output'
import { createProgressView } from '../cli-progress'
import { booleanOption, parseSendingId, type CommandSpec, type ParsedCommand } from './command-args'
import { NO_ACCOUNT_KEY, sendingFlags } from './preview'

export const SEND: CommandSpec = {
  name: 'send',
  usage: `purchase-sender send --profile NAME --from DATE --to DATE --statuses 2,3,4
                      [--trigger-workflows] [--no-create-contacts] [--no-create-products]
                      [--rate-limit N]

Sends the orders of the range whose current status is one of --statuses to Connectif as
purchases, and records every result in the history.
  --trigger-workflows     fire Connectif's "On purchase" workflows (off: these are past orders)
  --no-create-contacts    do not create contacts Connectif does not know (those orders fail)
  --no-create-products    do not create products missing from Connectif's catalogue
  --rate-limit N          requests per minute for each Connectif account (default ${DEFAULT_RATE_LIMIT})
Ctrl-C stops the sending and saves it: "purchase-sender resume ID" finishes it.
A profile with --target accounts sends each order to the account serving it (see "profiles add
--help"); the result then adds "byTarget", the counts per account.`,
  options: {
    profile: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    statuses: { type: 'string' },
    'trigger-workflows': { type: 'boolean' },
    'no-create-contacts': { type: 'boolean' },
    'no-create-products': { type: 'boolean' },
    'rate-limit': { type: 'string' },
  },
}

export const RESUME: CommandSpec = {
  name: 'resume',
  usage: `purchase-sender resume SENDING_ID

Finishes an interrupted sending (or a cancelled or failed one with orders left) without sending
any order twice. SENDING_ID is the number "purchase-sender history" shows.`,
  options: {},
  positionals: ['SENDING_ID'],
}

/**
 * The JSON of a sending, as `send`, `resume` and `history` print it. A routed sending (its
 * profile had targets) adds `byTarget`: the same counts per Connectif account, keyed `main`, a
 * target's label, or `none` for the orders no account served.
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
  if (history && isRouted(sending))
    view['byTarget'] = byTargetView(history.countsByTarget(sending.id))
  return view
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
class StopSignals {
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

  get stopped(): boolean {
    return this.#count > 0
  }

  dispose(): void {
    process.off('SIGINT', this.#handler)
    process.off('SIGTERM', this.#handler)
  }
}

/**
 * Runs a sending to its end in this process, with progress on stderr: `launch` starts it through
 * the application layer's runner, whose events feed the progress view.
 */
async function run(
  context: CliContext,
  signals: StopSignals,
  launch: (runner: SendingRunner) => Promise<LaunchedSending>,
): Promise<ExitCode> {
  const view = createProgressView(context.output, () => context.clock.now())
  const runner = new SendingRunner(context.app, (event: SendingEvent) => view.onEvent(event))
  let sending: SendingRecord
  try {
    const launched = await launch(runner)
    sending = await launched.done
  } catch (error) {
    if (error instanceof SendingStop)
      throw new CliError(EXIT.interrupted, 'Stopped before the sending started; nothing was sent.')
    throw context.failure(error)
  } finally {
    view.stop()
  }
  return report(context, sending)
}

function report(context: CliContext, sending: SendingRecord): ExitCode {
  const counts = sending.counts
  const byTarget = isRouted(sending) ? context.history.countsByTarget(sending.id) : []
  context.output.result(sendingView(sending, context.history), () =>
    [
      `Sending #${sending.id}: ${sending.state.replace(/_/g, ' ')}.`,
      `  orders ${counts.total} · created ${counts.created} · already in Connectif ${counts.alreadyExisted} · failed ${counts.failed} · skipped ${counts.skipped}${counts.pending > 0 ? ` · not sent yet ${counts.pending}` : ''}`,
      ...byTarget.map(
        ({ target, counts: account }) =>
          `  ${target === '' ? 'no account (skipped)' : target}: orders ${account.total} · created ${account.created} · already ${account.alreadyExisted} · failed ${account.failed} · skipped ${account.skipped}${account.pending > 0 ? ` · not sent yet ${account.pending}` : ''}`,
      ),
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
      `The sending is saved. Finish it with: ${context.command(`resume ${sending.id}`)}`,
    )
  if (counts.failed > 0 || counts.skipped > 0)
    context.output.log(
      `Report of the orders not created: ${context.command(`report ${sending.id} --out sending-${sending.id}.csv`)}`,
    )
  return exitCodeOf(sending)
}

export async function send(context: CliContext, parsed: ParsedCommand): Promise<ExitCode> {
  const flags = sendingFlags(parsed, SEND)
  const values = parsed.values
  const profile = context.profile(flags.profileName)
  const signals = new StopSignals(context)
  try {
    return await run(context, signals, (runner) =>
      runner.start(
        {
          profileId: profile.id,
          from: flags.from,
          to: flags.to,
          stateIds: flags.stateIds,
          mode: 'cli',
          options: {
            triggerWorkflows: booleanOption(values, 'trigger-workflows'),
            createContacts: !booleanOption(values, 'no-create-contacts'),
            createProducts: !booleanOption(values, 'no-create-products'),
            rateLimit: flags.rateLimit,
          },
        },
        { signal: signals.controller.signal },
      ),
    )
  } finally {
    signals.dispose()
  }
}

export async function resume(context: CliContext, parsed: ParsedCommand): Promise<ExitCode> {
  const id = parseSendingId(parsed.positionals[0] ?? '')
  const signals = new StopSignals(context)
  try {
    return await run(context, signals, (runner) =>
      runner.resume(id, { signal: signals.controller.signal }),
    )
  } finally {
    signals.dispose()
  }
}
