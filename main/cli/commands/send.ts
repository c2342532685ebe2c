/**
 * `purchase-sender send` and `purchase-sender resume`: the sending engine, run to its end in
 * this process, with progress on stderr and Ctrl-C (or SIGTERM) saving the sending for `resume`
 * (sending-session.ts).
 */
import type { CliContext } from '../cli-context'
import type { ExitCode } from '../cli-output'
import { booleanOption, parseSendingId, type CommandSpec, type ParsedCommand } from './command-args'
import { sendingFlags } from './preview'
import {
  reportSending,
  runToEnd,
  SENDING_OPTIONS,
  SENDING_OPTIONS_USAGE,
  sendingOptionsOf,
} from './sending-session'

export const SEND: CommandSpec = {
  name: 'send',
  usage: `purchase-sender send --profile NAME --from DATE --to DATE --statuses 2,3,4
                      [--skip-sent] [--trigger-workflows] [--no-create-contacts]
                      [--no-create-products] [--rate-limit N]

Sends the orders of the range whose current status is one of --statuses to Connectif as
purchases, and records every result in the history.
  --skip-sent             leave out the orders this history already records as sent to their
                          Connectif account (created or already there): no request for them;
                          the result adds "alreadySent", how many were left out
${SENDING_OPTIONS_USAGE}
Ctrl-C stops the sending and saves it: "purchase-sender resume ID" finishes it.
A profile with --target accounts sends each order to the account serving it (see "profiles add
--help"); the result then adds "byTarget", the counts per account.`,
  options: {
    profile: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    statuses: { type: 'string' },
    'skip-sent': { type: 'boolean' },
    ...SENDING_OPTIONS,
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

export async function send(context: CliContext, parsed: ParsedCommand): Promise<ExitCode> {
  const flags = sendingFlags(parsed, SEND)
  const values = parsed.values
  const profile = context.profile(flags.profileName)
  // Without the flag the options stay as they always were recorded.
  const skipSent = booleanOption(values, 'skip-sent') ? { skipSent: true } : {}
  const sending = await runToEnd(context, (runner, signal) =>
    runner.start(
      {
        profileId: profile.id,
        from: flags.from,
        to: flags.to,
        stateIds: flags.stateIds,
        mode: 'cli',
        options: { ...sendingOptionsOf(values, flags.rateLimit), ...skipSent },
      },
      { signal },
    ),
  )
  return reportSending(context, sending)
}

export async function resume(context: CliContext, parsed: ParsedCommand): Promise<ExitCode> {
  const id = parseSendingId(parsed.positionals[0] ?? '')
  const sending = await runToEnd(context, (runner, signal) => runner.resume(id, { signal }))
  return reportSending(context, sending)
}
