/**
 * `purchase-sender sync`: `send --skip-sent` over the last days, for cron, systemd timers and the
 * Task Scheduler (main/app/sync-use-case.ts). Run after run, it sends what is new in the window —
 * orders placed since, orders that moved into a selected status — and never an order its
 * Connectif account already has. A run that finds the profile busy sends nothing and exits 0:
 * the next run catches up.
 */
import { AppError } from '../../app/app-errors'
import { applyRetentionIfSet } from '../../app/privacy-use-cases'
import { checkSyncRequest, startSync, type SyncStart } from '../../app/sync-use-case'
import type { RunningSending } from '../../core/history/history-types'
import type { Profile } from '../../core/profiles/profile-types'
import { SYNC_DAYS } from '../../core/sending/sending-rules'
import type { CliContext } from '../cli-context'
import { EXIT, invalidInput, type ExitCode } from '../cli-output'
import {
  parseIdList,
  parseInteger,
  requiredString,
  stringOption,
  type CommandSpec,
  type ParsedCommand,
} from './command-args'
import { rateLimitFlag } from './preview'
import {
  reportSending,
  runToEnd,
  SENDING_OPTIONS,
  SENDING_OPTIONS_USAGE,
  sendingOptionsOf,
} from './sending-session'

export const SYNC: CommandSpec = {
  name: 'sync',
  usage: `purchase-sender sync --profile NAME [--days ${SYNC_DAYS.default}] [--statuses 2,3,4]
                      [--trigger-workflows] [--no-create-contacts] [--no-create-products]
                      [--rate-limit N]

Sends the orders of the last --days days (today included, on the shop's clock; ${SYNC_DAYS.min} to ${SYNC_DAYS.max},
default ${SYNC_DAYS.default}) whose status is one of --statuses (default: the profile's default statuses)
and that their Connectif account does not have yet, as far as this history knows: orders sent
before are left out without a request. Meant to run on a schedule (cron, a systemd timer, the
Task Scheduler): each run sends what is new since the last one.
${SENDING_OPTIONS_USAGE}
When another sending of the profile is running, nothing is sent and the exit code is 0
(with --json: {"sendingId": null, "busy": true, "running": {...}}).
The result is send's, plus "alreadySent" (orders left out) and "from", "to" (the window).
Ctrl-C stops the sync and saves it: "purchase-sender resume ID" finishes it.`,
  options: {
    profile: { type: 'string' },
    days: { type: 'string' },
    statuses: { type: 'string' },
    ...SENDING_OPTIONS,
  },
}

export async function sync(context: CliContext, parsed: ParsedCommand): Promise<ExitCode> {
  const values = parsed.values
  const profileName = requiredString(values, 'profile', SYNC, 'NAME')
  const daysText = stringOption(values, 'days')
  const days =
    daysText === undefined
      ? undefined
      : parseInteger(daysText, 'days', { min: SYNC_DAYS.min, max: SYNC_DAYS.max })
  const statusesText = stringOption(values, 'statuses')
  const stateIds =
    statusesText === undefined ? undefined : parseIdList(statusesText, 'statuses', 'order status')
  const rateLimit = rateLimitFlag(values)
  const profile = context.profile(profileName)
  const request = {
    profile,
    ...(days === undefined ? {} : { days }),
    ...(stateIds === undefined ? {} : { stateIds }),
  }
  checkStatuses(context, profile, request)

  const outcome: { start?: SyncStart } = {}
  const sending = await runToEnd(context, async (runner, signal) => {
    outcome.start = await startSync(
      context.app,
      runner,
      { ...request, mode: 'cli', options: sendingOptionsOf(values, rateLimit) },
      { signal },
    )
    return outcome.start.kind === 'busy' ? null : outcome.start.launched
  })
  const start = outcome.start
  if (sending === null || start === undefined || start.kind === 'busy')
    return reportBusy(context, profile, start?.kind === 'busy' ? start.running : null)
  const { from, to } = start
  const span = request.days ?? SYNC_DAYS.default
  const code = reportSending(context, sending, {
    fields: { from, to },
    heading: `Sync of the last ${span} day${span === 1 ? '' : 's'} (${from} to ${to}):`,
  })
  // As the app's schedules do: the payloads and answers past the days kept go (when it is on).
  applyRetentionIfSet(context.app)
  return code
}

/** No statuses given and none saved with the profile: exit 2, saying how to give them. */
function checkStatuses(
  context: CliContext,
  profile: Profile,
  request: Parameters<typeof checkSyncRequest>[0],
): void {
  try {
    checkSyncRequest(request)
  } catch (error) {
    if (error instanceof AppError && error.code === 'sync_statuses_missing')
      throw invalidInput(
        `The profile "${profile.name}" has no default statuses: say which to sync with --statuses, e.g. --statuses 2,3,4 ("purchase-sender statuses --profile NAME" lists their ids).`,
      )
    throw context.failure(error)
  }
}

/** Another sending of the profile runs: nothing was sent, which is not a failure (exit 0). */
function reportBusy(
  context: CliContext,
  profile: Profile,
  running: RunningSending | null,
): ExitCode {
  const params = running?.params ?? {}
  const id = Number(params['running'])
  const pid = Number(params['pid'])
  context.output.result(
    {
      sendingId: null,
      busy: true,
      running: {
        sendingId: Number.isSafeInteger(id) ? id : null,
        state: params['state'] ?? null,
        since: params['since'] ?? null,
        pid: params['pid'] && Number.isSafeInteger(pid) ? pid : null,
        origin: params['origin'] ?? null,
      },
    },
    () =>
      `Nothing sent: the profile "${profile.name}" is busy with ${running?.description ?? 'another sending'}. The next sync sends what this one would have.`,
  )
  return EXIT.ok
}
