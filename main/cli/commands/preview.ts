/**
 * `purchase-sender preview`: what `send` would do, without sending or recording anything. The
 * store is read and mapped as the engine does (streamed, page by page: memory stays flat), and
 * `--out` gets one JSON line per order with exactly the body `send` would POST.
 */
import { once } from 'node:events'
import type { WriteStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { previewSending, type PreviewSummary } from '../../app/preview-use-case'
import { DEFAULT_RATE_LIMIT, MAX_RATE_LIMIT } from '../../core/connectif/connectif-defaults'
import { checkSendingRules } from '../../core/sending/sending-rules'
import { rulesError, type CliContext } from '../cli-context'
import { EXIT, formatDuration, invalidInput, type ExitCode } from '../cli-output'
import {
  parseIdList,
  parseInteger,
  requiredString,
  stringOption,
  type CommandSpec,
  type ParsedCommand,
} from './command-args'

export const PREVIEW: CommandSpec = {
  name: 'preview',
  usage: `purchase-sender preview --profile NAME --from DATE --to DATE --statuses 2,3,4
                         [--out FILE.jsonl] [--rate-limit N]

Reads the orders a sending would send, without sending or recording anything: how many there
are per status, how many are ready and how many would be skipped (and why, with --out), and an
estimate of the time at N requests per minute (default ${DEFAULT_RATE_LIMIT}).
--out writes one JSON line per order: { "orderId", "result", "reason"?, "purchase"? }, where
"purchase" is exactly the body send would POST. For a profile with --target accounts, the
summary adds the orders per account ("byTarget": main, a target such as lang=es,currency=EUR,
or none for the orders no account serves) and each line its "target".`,
  options: {
    profile: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    statuses: { type: 'string' },
    out: { type: 'string' },
    'rate-limit': { type: 'string' },
  },
}

export interface SendingFlags {
  readonly profileName: string
  readonly from: string
  readonly to: string
  readonly stateIds: readonly number[]
  readonly rateLimit: number
}

/** `--rate-limit N` (preview, send, sync), else the default pace. */
export function rateLimitFlag(values: ParsedCommand['values']): number {
  const rate = stringOption(values, 'rate-limit')
  return rate === undefined
    ? DEFAULT_RATE_LIMIT
    : parseInteger(rate, 'rate-limit', { min: 1, max: MAX_RATE_LIMIT })
}

/** The flags shared by preview and send, checked for form (the store checks the rest). */
export function sendingFlags(parsed: ParsedCommand, spec: CommandSpec): SendingFlags {
  const values = parsed.values
  const profileName = requiredString(values, 'profile', spec, 'NAME')
  const from = requiredString(values, 'from', spec, 'DATE (YYYY-MM-DD, the first day)')
  const to = requiredString(values, 'to', spec, 'DATE (YYYY-MM-DD, the last day)')
  const statuses = requiredString(
    values,
    'statuses',
    spec,
    'IDS (order status ids, e.g. 2,3,4; see "purchase-sender statuses")',
  )
  const stateIds = parseIdList(statuses, 'statuses', 'order status')
  const rateLimit = rateLimitFlag(values)
  // Form errors of both dates at once; the range rules need the store's clock and states.
  const violations = checkSendingRules(
    { from, to, stateIds },
    { today: '9999-12-31', knownStateIds: stateIds },
  ).filter((violation) => violation.code === 'from_invalid' || violation.code === 'to_invalid')
  if (violations.length > 0) throw rulesError(violations)
  return { profileName, from, to, stateIds, rateLimit }
}

/** The key of `byTarget` for the orders no account serves (core's '' label). */
export const NO_ACCOUNT_KEY = 'none'

async function openOut(path: string): Promise<WriteStream> {
  // Opened before reading, so a bad path fails at once; truncates an existing file on purpose.
  try {
    return (await open(path, 'w')).createWriteStream({ encoding: 'utf8' })
  } catch (error) {
    throw invalidInput(`--out "${path}" cannot be written: ${(error as Error).message}`)
  }
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain')
}

export async function preview(context: CliContext, parsed: ParsedCommand): Promise<ExitCode> {
  const flags = sendingFlags(parsed, PREVIEW)
  const outPath = stringOption(parsed.values, 'out')
  const profile = context.profile(flags.profileName)
  let out: WriteStream | null = null
  let summary: PreviewSummary
  try {
    summary = await previewSending(context.app, profile, flags, {
      // Opened once the request passed its checks: a refused one writes nothing.
      onChecked: async () => {
        if (outPath !== undefined) out = await openOut(outPath)
      },
      onLines: async (lines) => {
        if (out) await write(out, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`)
      },
    })
  } catch (error) {
    throw context.failure(error)
  } finally {
    const stream = out as WriteStream | null
    if (stream) {
      stream.end()
      await once(stream, 'close')
    }
  }
  const byTarget = summary.byTarget
    ? Object.fromEntries(
        summary.byTarget.map(({ target, orders }) => [
          target === '' ? NO_ACCOUNT_KEY : target,
          orders,
        ]),
      )
    : undefined
  const result = {
    total: summary.total,
    byStatus: summary.byStatus,
    ready: summary.ready,
    skipped: summary.skipped,
    estimatedSeconds: summary.estimatedSeconds,
    ...(byTarget ? { byTarget } : {}),
  }

  context.output.result(result, () => {
    const lines = [
      `Orders from ${flags.from} to ${flags.to} with the statuses ${flags.stateIds.join(', ')}: ${summary.total}`,
      ...Object.entries(summary.byStatus).map(([id, count]) => `  status ${id}: ${count}`),
    ]
    if (byTarget) {
      lines.push('Orders per Connectif account:')
      for (const [target, count] of Object.entries(byTarget))
        lines.push(
          `  ${target === NO_ACCOUNT_KEY ? 'none (skipped: no target serves them and the profile has no main account)' : target}: ${count}`,
        )
    }
    lines.push(
      `Ready to send: ${summary.ready}`,
      `Would be skipped: ${summary.skipped}`,
      ...summary.skipReasons.slice(0, 5).map(({ reason, orders }) => `  ${orders} × ${reason}`),
      `Estimated sending time at ${flags.rateLimit} requests/min: ${formatDuration(summary.estimatedSeconds)}`,
    )
    if (outPath !== undefined) lines.push(`One line per order written to ${outPath}.`)
    return lines.join('\n')
  })
  return EXIT.ok
}
