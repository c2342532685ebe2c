/**
 * Flag parsing shared by every command: node:util `parseArgs` in strict mode, with errors that
 * name the flag, the value and what is allowed, followed by the command's usage (exit 2).
 */
import { parseArgs } from 'node:util'
import { isCalendarDay } from '../../core/time/shop-time'
import { invalidInput } from '../cli-output'

export interface OptionSpec {
  readonly type: 'string' | 'boolean'
  readonly multiple?: boolean
  readonly short?: string
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>

/** Accepted by every command, before or after the command's name. */
export const GLOBAL_OPTIONS = {
  home: { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs

export const GLOBAL_USAGE = `Global options:
  --home DIR    data directory (default: $PURCHASE_SENDER_HOME, else the app's data directory)
  --json        print one JSON document on stdout; progress and logs go to stderr
  --verbose     also write the diagnostic log's lines to stderr (never to stdout)
  --help, -h    show this help`

export interface CommandSpec {
  /** As typed: "send", "profiles add". */
  readonly name: string
  readonly usage: string
  readonly options: OptionSpecs
  /** Names of the positional arguments, in order (all required). */
  readonly positionals?: readonly string[]
  /** Any number of positional arguments after those (`NAME ...`), named so. */
  readonly rest?: string
}

export type OptionValue = string | boolean | (string | boolean)[] | undefined

export interface ParsedCommand {
  readonly values: Readonly<Record<string, OptionValue>>
  readonly positionals: readonly string[]
  readonly help: boolean
}

export function usageOf(spec: CommandSpec): string {
  return `Usage: ${spec.usage.trimEnd()}\n\n${GLOBAL_USAGE}`
}

export function parseCommand(spec: CommandSpec, args: readonly string[]): ParsedCommand {
  let parsed: { values: Record<string, OptionValue>; positionals: string[] }
  try {
    const result = parseArgs({
      args: [...args],
      options: { ...GLOBAL_OPTIONS, ...spec.options },
      strict: true,
      allowPositionals: true,
    })
    parsed = { values: result.values, positionals: result.positionals }
  } catch (error) {
    throw invalidInput(describeParseError(error, spec), usageOf(spec))
  }
  const help = parsed.values['help'] === true
  const expected = spec.positionals ?? []
  if (!help) {
    if (spec.rest === undefined && parsed.positionals.length > expected.length) {
      const extra = parsed.positionals.slice(expected.length)
      throw invalidInput(
        `Unexpected argument${extra.length > 1 ? 's' : ''} ${extra.map((value) => `"${value}"`).join(', ')} for "purchase-sender ${spec.name}".`,
        usageOf(spec),
      )
    }
    const missing = expected.slice(parsed.positionals.length)
    if (missing.length > 0)
      throw invalidInput(
        `"purchase-sender ${spec.name}" needs ${missing.join(' and ')}.`,
        usageOf(spec),
      )
  }
  return { values: parsed.values, positionals: parsed.positionals, help }
}

function describeParseError(error: unknown, spec: CommandSpec): string {
  const code = (error as { code?: string }).code
  const message = error instanceof Error ? error.message : String(error)
  const flag = /'(-[^' ]+)/.exec(message)?.[1]
  const command = `"purchase-sender ${spec.name}"`
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Unknown option ${flag ?? message} for ${command}.`
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (flag && /argument missing/.test(message)) return `The option ${flag} needs a value.`
      return flag
        ? `The option ${flag} takes no value (it is a switch).`
        : `${message} (${command})`
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Unexpected argument for ${command}: ${message}`
    default:
      return `${message} (${command})`
  }
}

/** The last value of a string option, trimmed; undefined when absent. */
export function stringOption(values: ParsedCommand['values'], name: string): string | undefined {
  const value = values[name]
  const last = Array.isArray(value) ? value[value.length - 1] : value
  return typeof last === 'string' ? last : undefined
}

export function stringOptions(values: ParsedCommand['values'], name: string): string[] {
  const value = values[name]
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string')
  return typeof value === 'string' ? [value] : []
}

export function booleanOption(values: ParsedCommand['values'], name: string): boolean {
  return values[name] === true
}

export function requiredString(
  values: ParsedCommand['values'],
  name: string,
  spec: CommandSpec,
  what: string,
): string {
  const value = stringOption(values, name)?.trim()
  if (value === undefined || value === '')
    throw invalidInput(
      `"purchase-sender ${spec.name}" needs --${name} ${what}.${value === '' ? ` (--${name} was empty.)` : ''}`,
      usageOf(spec),
    )
  return value
}

/** "2,3,4" → [2, 3, 4]; every item a positive integer. */
export function parseIdList(text: string, flag: string, what: string): number[] {
  const items = text.split(',').map((item) => item.trim())
  const bad = items.filter((item) => !/^[1-9][0-9]{0,9}$/.test(item))
  if (items.length === 0 || bad.length > 0)
    throw invalidInput(
      `--${flag} "${text}" is not a comma-separated list of ${what} ids: ${
        bad.length > 0 ? bad.map((item) => `"${item}"`).join(', ') : 'it is empty'
      } ${bad.length === 1 ? 'is' : 'are'} not a positive whole number. Example: --${flag} 2,3,4.`,
    )
  return [...new Set(items.map(Number))]
}

/** A positive whole number within bounds. */
export function parseInteger(
  text: string,
  flag: string,
  bounds: { readonly min: number; readonly max: number },
): number {
  const value = /^[0-9]+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN
  if (!Number.isSafeInteger(value) || value < bounds.min || value > bounds.max)
    throw invalidInput(
      `--${flag} "${text}" must be a whole number from ${bounds.min} to ${bounds.max}.`,
    )
  return value
}

/** A `YYYY-MM-DD` calendar day (the range rules themselves are checkSendingRules'). */
export function checkDayFormat(text: string, flag: string): string {
  if (!isCalendarDay(text))
    throw invalidInput(
      `--${flag} "${text}" is not a real day in the form YYYY-MM-DD (for example 2025-01-31).`,
    )
  return text
}

/** Sending ids are the positive integers the history shows. */
export function parseSendingId(text: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(text.trim()) || !Number.isSafeInteger(Number(text.trim())))
    throw invalidInput(
      `"${text}" is not a sending id: use the number "purchase-sender history" shows.`,
    )
  return Number(text.trim())
}
