/**
 * `purchase-sender preview`: what `send` would do, without sending or recording anything. The
 * store is read and mapped as the engine does (streamed, page by page: memory stays flat), and
 * `--out` gets one JSON line per order with exactly the body `send` would POST.
 */
import { once } from 'node:events'
import type { WriteStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { mapOrderToPurchase } from '../../core/purchases/order-to-purchase'
import {
  ConnectifRouter,
  routeLabel,
  splitOrdersByTarget,
} from '../../core/sending/connectif-routing'
import { checkRequestAgainstStore, routingOf } from '../../core/sending/sending-engine'
import { checkSendingRules } from '../../core/sending/sending-rules'
import type { RuleViolation } from '../../core/sending/sending-rules'
import type { StoreOverview, StoreSource } from '../../core/store/store-source'
import type { CliContext } from '../cli-context'
import { EXIT, formatDuration, invalidInput, type ExitCode } from '../cli-output'
import {
  parseIdList,
  parseInteger,
  requiredString,
  stringOption,
  type CommandSpec,
  type ParsedCommand,
} from './command-args'
import { withStore } from './statuses'

export const DEFAULT_RATE_LIMIT = 100
export const MAX_RATE_LIMIT = 100_000

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
  const rate = stringOption(values, 'rate-limit')
  const rateLimit =
    rate === undefined
      ? DEFAULT_RATE_LIMIT
      : parseInteger(rate, 'rate-limit', { min: 1, max: MAX_RATE_LIMIT })
  // Form errors of both dates at once; the range rules need the store's clock and states.
  const violations = checkSendingRules(
    { from, to, stateIds },
    { today: '9999-12-31', knownStateIds: stateIds },
  ).filter((violation) => violation.code === 'from_invalid' || violation.code === 'to_invalid')
  if (violations.length > 0) throw rulesError(violations)
  return { profileName, from, to, stateIds, rateLimit }
}

/** The sending rules' verdict as exit 2, one line per broken rule, naming the flag. */
export function rulesError(violations: readonly RuleViolation[]): Error {
  const flag = { from: '--from', to: '--to', stateIds: '--statuses', targets: '--target' } as const
  return invalidInput(
    violations.map((violation) => `${flag[violation.field]}: ${violation.message}`).join('\n'),
  )
}

/**
 * Checks the request against the store exactly as a sending would (same rules, same today, and
 * the profile's targets against the store's languages, currencies and shops); returns the
 * store's overview.
 */
export async function checkAgainstStore(
  store: StoreSource,
  flags: SendingFlags,
  now: number,
  routing: Routing = { mainAccount: true, targets: [] },
): Promise<StoreOverview> {
  const { overview, violations } = await checkRequestAgainstStore(
    store,
    { from: flags.from, to: flags.to, stateIds: flags.stateIds },
    routing,
    now,
  )
  if (violations.length > 0) throw rulesError(violations)
  return overview
}

type Routing = ReturnType<typeof routingOf>

/** The key of `byTarget` for the orders no account serves (core's '' label). */
export const NO_ACCOUNT_KEY = 'none'

export interface PreviewSummary {
  total: number
  byStatus: Record<string, number>
  ready: number
  skipped: number
  estimatedSeconds: number
  /**
   * Profiles with targets only: orders per Connectif account (`main`, a target's label, or
   * `none` for those no account serves, which are skipped).
   */
  byTarget?: Record<string, number>
}

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
  const openStore = context.storeOpener(profile)
  const routing = routingOf(profile)

  const reasons = new Map<string, number>()
  const summary = await withStore(context, openStore, async (store) => {
    const overview = await checkAgainstStore(store, flags, context.clock.now(), routing)
    // Routed exactly as the engine routes: the same router, the same currency per account.
    const router = new ConnectifRouter(routing.targets, routing.mainAccount, overview)
    let byTarget: Record<string, number> | undefined
    if (router.routed) {
      const counts = await store.countOrders({
        range: { from: flags.from, to: flags.to },
        shopIds: profile.shopIds,
      })
      byTarget = Object.fromEntries(
        splitOrdersByTarget(counts.groups, flags.stateIds, router, overview).map(
          ({ target, orders }) => [target === '' ? NO_ACCOUNT_KEY : target, orders],
        ),
      )
    }
    const out = outPath === undefined ? null : await openOut(outPath)
    const result: PreviewSummary = {
      total: 0,
      byStatus: Object.fromEntries(flags.stateIds.map((id) => [String(id), 0])),
      ready: 0,
      skipped: 0,
      estimatedSeconds: 0,
      ...(byTarget ? { byTarget } : {}),
    }
    try {
      for await (const page of store.readOrders({
        range: { from: flags.from, to: flags.to },
        stateIds: flags.stateIds,
        shopIds: profile.shopIds,
      })) {
        const lines: string[] = []
        for (const order of page) {
          const route = router.route(order)
          // Lines of a routed profile name their account (`target`, as in the report).
          const target = router.routed ? { target: routeLabel(route) } : {}
          const mapping =
            route.kind === 'unrouted'
              ? ({ result: 'skipped', reason: route.reason } as const)
              : mapOrderToPurchase(order, {
                  currency: route.kind === 'target' ? route.currency : 'shop-default',
                })
          result.total++
          result.byStatus[String(order.stateId)] = (result.byStatus[String(order.stateId)] ?? 0) + 1
          if (mapping.result === 'ready') {
            result.ready++
            if (out)
              lines.push(
                JSON.stringify({
                  orderId: order.id,
                  result: 'ready',
                  purchase: mapping.purchase,
                  ...target,
                }),
              )
          } else {
            result.skipped++
            reasons.set(mapping.reason, (reasons.get(mapping.reason) ?? 0) + 1)
            if (out)
              lines.push(
                JSON.stringify({
                  orderId: order.id,
                  result: 'skipped',
                  reason: mapping.reason,
                  ...target,
                }),
              )
          }
        }
        if (out && lines.length > 0) await write(out, `${lines.join('\n')}\n`)
      }
    } finally {
      if (out) {
        out.end()
        await once(out, 'close')
      }
    }
    result.estimatedSeconds = Math.ceil((result.ready / flags.rateLimit) * 60)
    return result
  })

  context.output.result(summary, () => {
    const lines = [
      `Orders from ${flags.from} to ${flags.to} with the statuses ${flags.stateIds.join(', ')}: ${summary.total}`,
      ...Object.entries(summary.byStatus).map(([id, count]) => `  status ${id}: ${count}`),
    ]
    if (summary.byTarget) {
      lines.push('Orders per Connectif account:')
      for (const [target, count] of Object.entries(summary.byTarget))
        lines.push(
          `  ${target === NO_ACCOUNT_KEY ? 'none (skipped: no target serves them and the profile has no main account)' : target}: ${count}`,
        )
    }
    lines.push(
      `Ready to send: ${summary.ready}`,
      `Would be skipped: ${summary.skipped}`,
      ...[...reasons.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([reason, count]) => `  ${count} × ${reason}`),
      `Estimated sending time at ${flags.rateLimit} requests/min: ${formatDuration(summary.estimatedSeconds)}`,
    )
    if (outPath !== undefined) lines.push(`One line per order written to ${outPath}.`)
    return lines.join('\n')
  })
  return EXIT.ok
}
