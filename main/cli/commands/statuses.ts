/** `purchase-sender statuses`: the store's order states, with order counts for a range. */
import type { StoreOverview, StoreSource } from '../../core/store/store-source'
import { storeFailure, type CliContext } from '../cli-context'
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

/** The language id of an ISO code ("es", "es-ES"); unknown → exit 2 naming those there are. */
export function languageIdOf(overview: StoreOverview, iso: string, flag: string): number {
  const wanted = iso.trim().toLowerCase()
  const base = wanted.split(/[-_]/)[0] ?? wanted
  const language =
    overview.languages.find((candidate) => candidate.isoCode.toLowerCase() === wanted) ??
    overview.languages.find((candidate) => candidate.isoCode.toLowerCase() === base)
  if (language) return language.id
  throw invalidInput(
    `${flag} "${iso}" is not a language of this store. Its languages are ${overview.languages
      .map((candidate) => candidate.isoCode)
      .join(', ')}.`,
  )
}

/** Runs `body` on the profile's store and closes it; read errors become exit 3. */
export async function withStore<T>(
  context: CliContext,
  openStore: () => Promise<StoreSource>,
  body: (store: StoreSource) => Promise<T>,
): Promise<T> {
  const store = await openStore()
  try {
    return await body(store)
  } catch (error) {
    throw storeFailure(error)
  } finally {
    await store.close().catch(() => undefined)
  }
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
  const openStore = context.storeOpener(profile)

  const rows = await withStore(context, openStore, async (store) => {
    const overview = await store.overview()
    const iso = lang ?? profile.languageIso
    const languageId =
      iso === null || iso === undefined
        ? undefined
        : languageIdOf(overview, iso, lang !== undefined ? '--lang' : `The profile's language`)
    const states = await store.orderStates(languageId)
    const counts = range ? await store.countOrders({ range, shopIds: profile.shopIds }) : null
    return states.map((state) => ({
      id: state.id,
      name: state.name,
      color: state.color,
      ...(counts ? { count: counts.byState[state.id] ?? 0 } : {}),
    }))
  })

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
