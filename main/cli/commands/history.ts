/** `purchase-sender history` and `purchase-sender report`. */
import type { WriteStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { listSendings, writeReport } from '../../app/history-use-cases'
import type { CliContext } from '../cli-context'
import { EXIT, formatTable, invalidInput, type ExitCode } from '../cli-output'
import {
  booleanOption,
  parseSendingId,
  requiredString,
  stringOption,
  type CommandSpec,
  type ParsedCommand,
} from './command-args'
import { sendingView } from './sending-session'

export const HISTORY: CommandSpec = {
  name: 'history',
  usage: `purchase-sender history [--profile NAME]

Lists the sendings, newest first (a sending whose process died shows as interrupted).`,
  options: { profile: { type: 'string' } },
}

export const REPORT: CommandSpec = {
  name: 'report',
  usage: `purchase-sender report SENDING_ID --out FILE.csv [--all]

Writes the CSV report of a sending (UTF-8 with a BOM): the orders not created, or every order
with --all. An existing FILE is replaced.`,
  options: { out: { type: 'string' }, all: { type: 'boolean' } },
  positionals: ['SENDING_ID'],
}

export function history(context: CliContext, parsed: ParsedCommand): ExitCode {
  const name = stringOption(parsed.values, 'profile')
  const profile = name === undefined ? null : context.profile(name)
  const sendings = listSendings(context.app, profile?.id)
  const rows = sendings.map((sending) => ({
    ...sendingView(sending, context.history),
    // Every sending says these, 0 and `manual` for one that sent every order it read.
    alreadySent: sending.alreadySent,
    origin: sending.origin,
    profile: sending.profileName,
    from: sending.from,
    to: sending.to,
    statuses: sending.stateIds,
  }))
  context.output.result(rows, () =>
    sendings.length === 0
      ? `No sendings yet${profile ? ` for the profile "${profile.name}"` : ''}.`
      : formatTable(
          [
            'ID',
            'Started',
            'Profile',
            'Range',
            'Statuses',
            'State',
            'Orders',
            'Created',
            'Already',
            'Failed',
            'Skipped',
          ],
          sendings.map((sending) => [
            sending.id,
            (sending.startedAt ?? sending.createdAt).replace('T', ' ').slice(0, 19),
            sending.profileName,
            `${sending.from}..${sending.to}`,
            sending.stateIds.join(','),
            sending.state,
            sending.counts.total,
            sending.counts.created,
            sending.counts.alreadyExisted,
            sending.counts.failed,
            sending.counts.skipped,
          ]),
        ),
  )
  return EXIT.ok
}

export async function report(context: CliContext, parsed: ParsedCommand): Promise<ExitCode> {
  const id = parseSendingId(parsed.positionals[0] ?? '')
  const out = requiredString(parsed.values, 'out', REPORT, 'FILE.csv (where to write the report)')
  const all = booleanOption(parsed.values, 'all')
  try {
    context.app.history.getSending(id)
  } catch (error) {
    throw context.failure(error)
  }
  let stream: WriteStream
  try {
    stream = (await open(out, 'w')).createWriteStream()
  } catch (error) {
    throw invalidInput(`--out "${out}" cannot be written: ${(error as Error).message}`)
  }
  const { rows } = await writeReport(context.app, id, stream, { all, allowEmpty: true })
  context.output.result(
    { sendingId: id, out, rows, all },
    () =>
      `Wrote ${rows} order${rows === 1 ? '' : 's'} (${all ? 'every order' : 'the orders not created'}) of sending #${id} to ${out}.`,
  )
  return EXIT.ok
}
