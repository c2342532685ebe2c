/**
 * What every command works with: the data directory and its history database, and the
 * application layer's context over it, with secrets read from the environment variables each
 * profile names. Commands call the same use cases as the desktop app; this module turns their
 * errors into the command line's words and exit codes.
 */
import { format } from 'node:util'
import packageJson from '../../package.json'
import { createAppContext, type AppContext } from '../app/app-context'
import { AppError, toErrorValue } from '../app/app-errors'
import { MissingSecretError, type MissingSecretParams } from '../app/profile-secrets'
import { profileNamed } from '../app/profile-use-cases'
import { EnvironmentSecretStore } from '../app/secret-store'
import { logAppStart, openDiagnosticLogIn } from '../app/diagnostics-use-cases'
import type { DiagnosticLog } from '../core/logging/diagnostic-log'
import { systemClock, type Clock } from '../core/clock'
import { historyDatabasePath, resolveDataDirectory } from '../core/history/data-directory'
import { HistoryStore } from '../core/history/history-store'
import { HistoryError } from '../core/history/history-types'
import type { Profile } from '../core/profiles/profile-types'
import { SendingRequestError } from '../core/sending/sending-engine'
import type { RuleViolation } from '../core/sending/sending-rules'
import { isStoreError } from '../core/store/store-errors'
import { CliError, EXIT, invalidInput, type ExitCode, type Output } from './cli-output'

export interface CliContextOptions {
  readonly output: Output
  readonly home?: string
  readonly env?: NodeJS.ProcessEnv
  readonly clock?: Clock
  /** `--verbose`: the diagnostic log's lines also go to stderr, one readable line each. */
  readonly verbose?: boolean
  /** The command run (`send`, `profiles list`), for the log's first line; never its arguments. */
  readonly command?: string
}

export class CliContext {
  readonly output: Output
  readonly env: NodeJS.ProcessEnv
  readonly clock: Clock
  /** The `--home` given on the command line, to repeat it in the hints printed. */
  readonly homeFlag: string | undefined
  readonly dataDirectory: string
  /** While false, store notices are left to the command (which shows them in its result). */
  printNotices = true
  #history: HistoryStore | null = null
  #app: AppContext | null = null
  /** The data directory's diagnostic log (`logs/`); null when it cannot be written. */
  readonly diagnosticLog: DiagnosticLog | null
  /** Notices already printed: a store opened twice in one run warns once. */
  readonly #noticesShown = new Set<string>()

  constructor(options: CliContextOptions) {
    this.output = options.output
    this.env = options.env ?? process.env
    this.clock = options.clock ?? systemClock
    this.homeFlag = options.home
    this.dataDirectory = resolveDataDirectory({ home: options.home, env: this.env })
    const verbose = options.verbose === true
    this.diagnosticLog = openDiagnosticLogIn(this.dataDirectory, {
      env: this.env,
      // Never stdout: it carries the command's result (--json's one document).
      ...(verbose ? { mirror: this.output.stderr } : {}),
      ...(verbose
        ? {
            onError: (error: unknown) =>
              this.output.log(
                `purchase-sender: the diagnostic log cannot be written: ${error instanceof Error ? error.message : String(error)}`,
              ),
          }
        : {}),
    })
    if (this.diagnosticLog)
      logAppStart(this.diagnosticLog, {
        mode: 'cli',
        appVersion: packageJson.version,
        dataDirectory: this.dataDirectory,
        ...(options.command === undefined ? {} : { command: options.command }),
      })
  }

  /** Opens the history database on first use (creating the data directory when missing). */
  get history(): HistoryStore {
    this.#history ??= HistoryStore.open(historyDatabasePath(this.dataDirectory))
    return this.#history
  }

  /** The application layer, its secrets read from the environment variables profiles name. */
  get app(): AppContext {
    const history = this.history
    this.#app ??= createAppContext({
      history,
      secrets: new EnvironmentSecretStore({
        requiredPrefix: null,
        env: this.env,
        profile: (id) => history.profiles.get(id),
      }),
      clock: this.clock,
      // Bugs are logged on this run's stderr (console.error's own formatting).
      log: (message, error) => this.output.stderr.write(`${format(message, error)}\n`),
      ...(this.diagnosticLog ? { logger: this.diagnosticLog } : {}),
      onStoreOpened: (store) => {
        if (this.printNotices) this.warnNotices(store.notices)
      },
    })
    return this.#app
  }

  /** Closes the history, and the log after its last line (the run's exit code). */
  close(exitCode?: number): void {
    this.#history?.close()
    this.#history = null
    this.#app = null
    this.diagnosticLog?.log({
      event: 'app_stop',
      mode: 'cli',
      ...(exitCode === undefined ? {} : { exitCode }),
    })
    this.diagnosticLog?.close()
  }

  /** A failure the command line reports (its code, else what its exit code means), in the log. */
  logFailure(error: CliError): void {
    this.diagnosticLog?.log({
      event: 'failure',
      where: 'cli',
      code: error.code ?? EXIT_CODE_NAMES[error.exitCode],
      message: error.message,
    })
  }

  /** An unexpected error, with its stack, in the log. */
  logBug(error: unknown): void {
    this.diagnosticLog?.log({
      event: 'bug',
      where: 'cli',
      message: 'The command stopped on an unexpected error',
      error,
    })
  }

  /** How to call this program again with the same data directory, for hints. */
  command(rest: string): string {
    const home = this.homeFlag === undefined ? '' : ` --home ${shellQuote(this.homeFlag)}`
    return `purchase-sender${home} ${rest}`
  }

  /** The named profile; unknown → exit 2 with the names that exist. */
  profile(name: string): Profile {
    try {
      return profileNamed(this.app, name)
    } catch (error) {
      if (error instanceof AppError && error.code === 'profile_not_found')
        throw invalidInput(
          error.params?.['profiles']
            ? error.message
            : `There is no profile named "${name}". There are no profiles yet in ${this.dataDirectory}: create one with "purchase-sender profiles add".`,
        )
      throw error
    }
  }

  /** Prints each notice once per run, on stderr (stdout stays the command's result). */
  warnNotices(notices: readonly { readonly code: string; readonly message: string }[]): void {
    for (const notice of notices) {
      if (this.#noticesShown.has(notice.code)) continue
      this.#noticesShown.add(notice.code)
      this.output.log(`purchase-sender: warning: ${notice.message}`)
    }
  }

  /** Any error of a use case as the command line reports it: message and exit code. */
  failure(error: unknown): unknown {
    return cliFailure(error, this.dataDirectory)
  }
}

/** What an exit code means, as the log's code of a failure that has none of its own. */
const EXIT_CODE_NAMES: Readonly<Record<ExitCode, string>> = {
  [EXIT.ok]: 'ok',
  [EXIT.failedOrders]: 'failed_orders',
  [EXIT.invalidInput]: 'invalid_input',
  [EXIT.fatal]: 'fatal',
  [EXIT.interrupted]: 'interrupted',
}

/** The flag that names each secret's environment variable. */
function secretFlag(missing: MissingSecretParams): string {
  switch (missing.secret) {
    case 'dbPassword':
      return '--db-password-env'
    case 'webserviceKey':
      return '--ws-key-env'
    case 'connectifKey':
      return '--connectif-key-env'
    case 'targetKey':
      return `--target ${missing.target} key-env`
  }
}

/** A missing secret in the command line's words: the variable, the flag and what to do. */
export function missingSecretMessage(missing: MissingSecretParams): string {
  const flag = secretFlag(missing)
  if (missing.reason === 'unset' || missing.reason === 'empty')
    return `The environment variable ${missing.variable} (${flag} of profile "${missing.profile}") is ${
      missing.reason === 'unset' ? 'not set' : 'empty'
    }. Set it to the secret before running this command.`
  switch (missing.secret) {
    case 'webserviceKey':
      return `The profile "${missing.profile}" names no environment variable for the Webservice key (the desktop app keeps it in its own secret storage). Remove it and add it again with --ws-key-env VAR.`
    case 'targetKey':
      return `The Connectif target ${missing.target} of profile "${missing.profile}" names no environment variable for its API key. Remove the profile and add it again with --target '…,key-env=VAR'.`
    default:
      return `The profile "${missing.profile}" names no environment variable for the ${
        missing.secret === 'dbPassword' ? 'database password' : 'Connectif API key'
      }. Remove it and add it again with ${flag} VAR.`
  }
}

/** The sending rules' verdict as exit 2, one line per broken rule, naming the flag. */
export function rulesError(
  violations: readonly Pick<RuleViolation, 'field' | 'message'>[],
): CliError {
  const flag = { from: '--from', to: '--to', stateIds: '--statuses', targets: '--target' } as const
  return invalidInput(
    violations
      .map((violation) => `${flag[violation.field] ?? violation.field}: ${violation.message}`)
      .join('\n'),
  )
}

/** History errors a person can act on: invalid input, or a database of a newer app (fatal). */
export function historyFailure(error: unknown): CliError | null {
  if (!(error instanceof HistoryError)) return null
  if (error.code === 'database_newer_than_app') return new CliError(EXIT.fatal, error.message)
  return invalidInput(error.message)
}

/** Errors that a person fixes in the command or the profile: exit 2. */
const INPUT_ERRORS: ReadonlySet<string> = new Set([
  'profile_not_found',
  'profile_removed',
  'invalid_profile',
  'invalid_url',
  'invalid_range',
  'unknown_language',
  'nothing_to_retry',
  'target_removed',
  'sending_in_progress',
  'sync_days_invalid',
  'sync_statuses_missing',
  'profiles_file_invalid',
  'profiles_file_unreadable',
  'profiles_file_write_failed',
  'profiles_import_exists',
  'forget_email_invalid',
])

function cliFailure(error: unknown, dataDirectory: string): unknown {
  if (error instanceof CliError) return error
  if (error instanceof MissingSecretError) return invalidInput(missingSecretMessage(error.missing))
  if (error instanceof SendingRequestError) return rulesError(error.violations)
  if (error instanceof HistoryError && error.code === 'sending_not_found')
    return invalidInput(
      `${error.message.replace(/\.$/, '')} in ${dataDirectory}. "purchase-sender history" lists them.`,
    )
  const history = historyFailure(error)
  if (history) return history
  if (isStoreError(error))
    return new CliError(EXIT.fatal, `The store failed: ${error.message}`, {
      code: `store_${error.code}`,
    })
  if (error instanceof AppError) {
    if (INPUT_ERRORS.has(error.code)) return invalidInput(error.message)
    const value = toErrorValue(error, () => undefined)
    return new CliError(EXIT.fatal, value.message, { code: value.code })
  }
  return error
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`
}
