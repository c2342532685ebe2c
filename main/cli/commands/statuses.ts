/** `purchase-sender statuses`: the store's order states, with order counts for a range. */
import { AppError } from '../../app/app-errors'
import { listStatuses } from '../../app/store-use-cases'
import type { CliContext } from '../cli-context'
import { EXIT, formatTable, invalidInput, type ExitCode } from '../cli-output'
import {
  checkDayFormat,
  requiredString,
  stringOption,
  usageOf,
  type CommandSpec,
  type ParsedCommand,
} from './command-args'

export const STATUSES: CommandSpec = {
  name: 'statuses',
  usage: `purchase-sender statuses --profile NAME [--lang ISO] [--from DATE --to DATE]

Lists the store's order statuses (ids to use with --statuses), named in the given language
(the profile's, else the shop's default); with a range, how many orders each has in it.
DATE is YYYY-MM-DD in the shop's time zone; both ends are included.`,
  options: {
    profile: { type: 'string' },
    lang: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  },
}

export async function statuses(context: CliContext, parsed: ParsedCommand): Promise<ExitCode> {
  const values = parsed.values
  const profileName = requiredString(values, 'profile', STATUSES, 'NAME')
  const from = stringOption(values, 'from')
  const to = stringOption(values, 'to')
  if ((from === undefined) !== (to === undefined))
    throw invalidInput(
      `Give both --from and --to to count orders (only --${from === undefined ? 'to' : 'from'} was given).`,
      usageOf(STATUSES),
    )
  const range =
    from !== undefined && to !== undefined
      ? { from: checkDayFormat(from, 'from'), to: checkDayFormat(to, 'to') }
      : null
  if (range && range.to < range.from)
    throw invalidInput(`The end date ${range.to} is before the start date ${range.from}.`)
  const lang = stringOption(values, 'lang')
  const profile = context.profile(profileName)
  let rows: Awaited<ReturnType<typeof listStatuses>>
  try {
    rows = await listStatuses(context.app, profile, { languageIso: lang, range })
  } catch (error) {
    if (error instanceof AppError && error.code === 'unknown_language')
      throw invalidInput(
        `${lang !== undefined ? '--lang' : "The profile's language"} ${error.message}`,
      )
    throw context.failure(error)
  }

  context.output.result(rows, () =>
    formatTable(
      range
        ? ['ID', 'Status', 'Colour', `Orders ${range.from}..${range.to}`]
        : ['ID', 'Status', 'Colour'],
      rows.map((row) => [
        row.id,
        row.name,
        row.color,
        ...(row.count === undefined ? [] : [row.count]),
      ]),
    ),
  )
  return EXIT.ok
}
