/**
 * `purchase-sender`: the command line of Purchase Sender, for headless and scheduled runs. It
 * runs the same core as the desktop app on plain Node. The names, flags, JSON fields, CSV columns
 * and exit codes are a contract (docs/cli-contract.md).
 */
import packageJson from '../../package.json'
import { CliContext } from './cli-context'
import {
  CliError,
  EXIT,
  invalidInput,
  Output,
  type ExitCode,
  type OutputStreams,
} from './cli-output'
import {
  GLOBAL_USAGE,
  parseCommand,
  stringOption,
  usageOf,
  type CommandSpec,
  type ParsedCommand,
} from './commands/command-args'
import { forget, FORGET } from './commands/forget'
import { history, HISTORY, report, REPORT } from './commands/history'
import { orders, ORDERS } from './commands/orders'
import { preview, PREVIEW } from './commands/preview'
import {
  PROFILES_ADD,
  PROFILES_LIST,
  PROFILES_REMOVE,
  PROFILES_SHOW,
  PROFILES_USAGE,
  profilesAdd,
  profilesList,
  profilesRemove,
  profilesShow,
} from './commands/profiles'
import { PROFILES_TEST, profilesTest } from './commands/profiles-test'
import {
  PROFILES_EXPORT,
  PROFILES_IMPORT,
  profilesExport,
  profilesImport,
} from './commands/profiles-transfer'
import { resume, RESUME, send, SEND } from './commands/send'
import { statuses, STATUSES } from './commands/statuses'
import { sync, SYNC } from './commands/sync'

interface Command {
  readonly spec: CommandSpec
  readonly run: (context: CliContext, parsed: ParsedCommand) => ExitCode | Promise<ExitCode>
}

const COMMANDS: Readonly<Record<string, Command>> = {
  'profiles add': { spec: PROFILES_ADD, run: profilesAdd },
  'profiles list': { spec: PROFILES_LIST, run: profilesList },
  'profiles show': { spec: PROFILES_SHOW, run: profilesShow },
  'profiles remove': { spec: PROFILES_REMOVE, run: profilesRemove },
  'profiles test': { spec: PROFILES_TEST, run: profilesTest },
  'profiles export': { spec: PROFILES_EXPORT, run: profilesExport },
  'profiles import': { spec: PROFILES_IMPORT, run: profilesImport },
  statuses: { spec: STATUSES, run: statuses },
  preview: { spec: PREVIEW, run: preview },
  send: { spec: SEND, run: send },
  history: { spec: HISTORY, run: history },
  report: { spec: REPORT, run: report },
  orders: { spec: ORDERS, run: orders },
  resume: { spec: RESUME, run: resume },
  sync: { spec: SYNC, run: sync },
  forget: { spec: FORGET, run: forget },
}

const MAIN_USAGE = `Usage: purchase-sender [--home DIR] [--json] [--verbose] COMMAND ...

Sends a PrestaShop store's past orders to Connectif as purchases.

Commands:
  profiles add|list|show|remove|test   manage the saved store + Connectif profiles
  profiles export|import               move profiles in a file that holds no secret
  statuses   the store's order statuses (ids for --statuses), with counts for a range
  preview    what a sending would send, without sending anything
  send       send a range of orders to Connectif
  history    the sendings, newest first
  report     the CSV report of a sending
  orders     the orders of a sending, with their results
  resume     finish an interrupted sending
  sync       send the last days' orders not sent yet (for cron and other schedulers)
  forget     erase a customer's e-mail, payloads and answers from the history

"purchase-sender COMMAND --help" shows a command's options.

${GLOBAL_USAGE}
  --version     print the version

Exit codes: 0 done · 1 done with failed orders · 2 invalid input (nothing sent or written)
            3 the store or Connectif failed · 130 interrupted (resume finishes it)`

/** Global flags that may come before the command; --home takes a value. */
function globalFlagWidth(token: string): number {
  if (token === '--home') return 2
  if (token.startsWith('--home=') || token === '--json' || token === '--verbose') return 1
  if (token === '--help' || token === '-h' || token === '--version') return 1
  return 0
}

interface Located {
  readonly name: string | null
  /** The arguments without the command's words. */
  readonly args: readonly string[]
  /** `purchase-sender profiles` with no or an unknown subcommand. */
  readonly group: string | null
}

/** Finds the command's words: the first non-flag tokens after the global flags. */
function locateCommand(argv: readonly string[]): Located {
  let index = 0
  while (index < argv.length) {
    const token = argv[index] as string
    const width = globalFlagWidth(token)
    if (width > 0) {
      index += width
      continue
    }
    if (token.startsWith('-'))
      throw invalidInput(
        `Unknown option ${token.split('=')[0]} before the command: only --home DIR, --json and --verbose may come before it.`,
        MAIN_USAGE,
      )
    break
  }
  const first = argv[index]
  if (first === undefined) return { name: null, args: argv, group: null }
  const without = (count: number): string[] => [
    ...argv.slice(0, index),
    ...argv.slice(index + count),
  ]
  if (first === 'profiles') {
    const second = argv[index + 1]
    if (second !== undefined && !second.startsWith('-')) {
      const name = `profiles ${second}`
      if (COMMANDS[name]) return { name, args: without(2), group: null }
      throw invalidInput(
        `Unknown command "profiles ${second}": use profiles add, list, show, remove, test, export or import.`,
        `Usage: ${PROFILES_USAGE}`,
      )
    }
    return { name: null, args: without(1), group: 'profiles' }
  }
  if (COMMANDS[first]) return { name: first, args: without(1), group: null }
  throw invalidInput(
    `Unknown command "${first}". The commands are: profiles, statuses, preview, send, history, report, orders, resume, sync, forget.`,
    MAIN_USAGE,
  )
}

function has(argv: readonly string[], ...flags: string[]): boolean {
  const end = argv.indexOf('--')
  return (end === -1 ? argv : argv.slice(0, end)).some((token) => flags.includes(token))
}

/**
 * What a run reads and writes besides its arguments: the process's own streams and environment
 * by default; tests pass their own to run the command line in-process.
 */
export interface CliIo extends OutputStreams {
  readonly env: NodeJS.ProcessEnv
}

/** The process's streams and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env }
}

/**
 * Runs one command line and returns its exit code; never exits the process itself (main/cli/run.ts
 * is the executable that does). Importing this module runs nothing.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  const output = new Output(has(argv, '--json'), io)
  let context: CliContext | null = null
  let exitCode: ExitCode | undefined
  try {
    const located = locateCommand(argv)
    if (located.name === null) {
      if (has(located.args, '--version')) {
        io.stdout.write(`${packageJson.version}\n`)
        return EXIT.ok
      }
      if (located.group === 'profiles') {
        if (has(located.args, '--help', '-h')) {
          io.stdout.write(`Usage: ${PROFILES_USAGE}\n`)
          return EXIT.ok
        }
        throw invalidInput(
          '"purchase-sender profiles" needs a subcommand: add, list, show, remove, test, export or import.',
          `Usage: ${PROFILES_USAGE}`,
        )
      }
      if (has(located.args, '--help', '-h')) {
        io.stdout.write(`${MAIN_USAGE}\n`)
        return EXIT.ok
      }
      throw invalidInput('Say which command to run.', MAIN_USAGE)
    }
    const command = COMMANDS[located.name] as Command
    const parsed = parseCommand(command.spec, located.args)
    if (parsed.help) {
      io.stdout.write(`${usageOf(command.spec)}\n`)
      return EXIT.ok
    }
    const home = stringOption(parsed.values, 'home')
    if (home !== undefined && home.trim() === '')
      throw invalidInput('--home needs a directory.', usageOf(command.spec))
    context = new CliContext({
      output,
      home,
      env: io.env,
      verbose: has(argv, '--verbose'),
      command: located.name,
    })
    return (exitCode = await command.run(context, parsed))
  } catch (caught) {
    const error = context ? context.failure(caught) : caught
    if (error instanceof CliError) {
      context?.logFailure(error)
      output.error(error.message, error.detail)
      return (exitCode = error.exitCode)
    }
    exitCode = EXIT.fatal
    context?.logBug(error)
    const message = error instanceof Error ? error.message : String(error)
    output.error(`unexpected error: ${message}`)
    if (io.env['PURCHASE_SENDER_DEBUG'] && error instanceof Error && error.stack)
      output.log(error.stack)
    return EXIT.fatal
  } finally {
    context?.close(exitCode)
  }
}
