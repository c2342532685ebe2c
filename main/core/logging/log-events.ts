/**
 * The diagnostic log's vocabulary: every line is one of these typed events, and the file sink
 * (diagnostic-log.ts) writes only the fields named here, copied one by one (`describeEvent`).
 * Nothing else can reach the log: no request or answer body, no customer e-mail, no key, no
 * password — a value that is not a field below is never written, whatever an object carries.
 * Strings that are sentences (error messages) still go through the last-resort redaction pass
 * (redaction.ts) on their way to the file.
 *
 * Pure: no Node, no Electron. The core takes an `AppLogger` as an optional dependency; its
 * default, `NO_LOGGER`, drops everything, so tests and callers that log nothing need nothing.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error']

/** Where the process runs: the desktop app, browser mode or the command line. */
export type LogMode = 'desktop' | 'browser' | 'cli'

export interface RuntimeVersions {
  readonly app: string
  readonly node: string
  /** Present in the desktop app only. */
  readonly electron?: string
  readonly chrome?: string
  readonly sqlite: string
}

export interface OsDescription {
  readonly platform: string
  readonly release: string
  readonly arch: string
}

/** Counts of a sending, as the history keeps them. */
export interface LoggedCounts {
  readonly total: number
  readonly created: number
  readonly alreadyExisted: number
  readonly failed: number
  readonly skipped: number
  readonly pending: number
}

/** Which Connectif call an answer was to (never its body nor its address's variable part). */
export type ConnectifCall =
  | 'purchase'
  | 'contact'
  | 'product'
  | 'import'
  | 'import_status'
  | 'access_check'
  | 'import_access_check'

export type LogEvent =
  | {
      readonly event: 'app_start'
      readonly mode: LogMode
      readonly versions: RuntimeVersions
      readonly os: OsDescription
      readonly dataDirectory: string
      /** The command line's command (`send`, `profiles list`), never its arguments. */
      readonly command?: string
    }
  | { readonly event: 'app_stop'; readonly mode: LogMode; readonly exitCode?: number }
  | {
      readonly event: 'connection_check'
      readonly profileId: number | null
      readonly store: {
        readonly ok: boolean
        readonly code?: string
        readonly message?: string
        readonly version?: string
      }
      readonly accounts: readonly {
        readonly account: string
        /** The API's host, never the key. */
        readonly host: string
        readonly ok: boolean
        readonly problem: string
        readonly warnings: readonly string[]
      }[]
    }
  | {
      readonly event: 'sending_start'
      readonly sendingId: number
      readonly profileId: number | null
      readonly mode: string
      readonly origin: string
      readonly expectedTotal: number
      /** Resumed, or retried: the sending had answers already. */
      readonly resumed: boolean
      readonly rateLimit: number
      readonly skipSent: boolean
      readonly createContacts: boolean
      readonly createProducts: boolean
      readonly triggerWorkflows: boolean
      readonly targets: number
    }
  | {
      readonly event: 'sending_end'
      readonly sendingId: number
      readonly state: string
      readonly durationMs: number
      readonly counts: LoggedCounts
      readonly alreadySent: number
      readonly fatal: { readonly code: string; readonly message: string } | null
      /** Connectif's final answers by HTTP status (`none`: no answer came). */
      readonly http: Readonly<Record<string, number>>
      /** Requests sent again after a 5xx, a timeout or a dropped connection. */
      readonly retries: number
      /** Rate-limit pauses and retry back-offs. */
      readonly waits: number
    }
  | {
      readonly event: 'connectif_answer'
      readonly sendingId: number | null
      /** `main`, or a routing target's label. */
      readonly account: string
      readonly call: ConnectifCall
      /** The last answer's HTTP status; null when none came. */
      readonly status: number | null
      /** What the answer came to (`created`, `already_exists`, `unavailable`…). */
      readonly outcome: string
      /** Connectif's error code (E0101…), when it gave one. */
      readonly code: string | null
      readonly attempts: number
      readonly durationMs: number
    }
  | {
      readonly event: 'connectif_wait'
      readonly sendingId: number | null
      readonly reason: 'rate-limit' | 'retry'
      readonly waitMs: number
      /** Waits of the same reason not logged since the last line (they are throttled). */
      readonly unlogged: number
    }
  | {
      /** Something a sending works around (contacts created one by one: why). */
      readonly event: 'sending_notice'
      readonly sendingId: number
      readonly code: string
      readonly message: string
      /** A routed sending's account (`main` or a target's label). */
      readonly account?: string
    }
  | {
      /** An expected failure, answered as an error value (a channel, a command). */
      readonly event: 'failure'
      readonly where: string
      readonly code: string
      readonly message: string
    }
  | {
      /** A bug: something thrown that no one expected. */
      readonly event: 'bug'
      readonly where: string
      readonly message: string
      readonly error: unknown
    }

export type LogEventName = LogEvent['event']

/** Where the application and the core send their events. Never throws. */
export interface AppLogger {
  log(event: LogEvent): void
}

/** Drops every event: the default wherever no log is wanted (tests, tools). */
export const NO_LOGGER: AppLogger = { log: () => undefined }

/** A line ready for the sink: its level, a short sentence, and its whitelisted fields. */
export interface DescribedEvent {
  readonly level: LogLevel
  readonly msg: string
  readonly fields: Readonly<Record<string, unknown>>
}

/**
 * The one place an event becomes fields: each field is copied by name (an object with more
 * properties than its type says loses them here), numbers and booleans as such.
 */
export function describeEvent(event: LogEvent): DescribedEvent {
  switch (event.event) {
    case 'app_start':
      return {
        level: 'info',
        msg: `Purchase Sender ${text(event.versions.app)} started (${event.mode}${event.command ? `: ${text(event.command)}` : ''})`,
        fields: {
          mode: event.mode,
          ...(event.command === undefined ? {} : { command: text(event.command) }),
          versions: {
            app: text(event.versions.app),
            node: text(event.versions.node),
            ...(event.versions.electron ? { electron: text(event.versions.electron) } : {}),
            ...(event.versions.chrome ? { chrome: text(event.versions.chrome) } : {}),
            sqlite: text(event.versions.sqlite),
          },
          os: {
            platform: text(event.os.platform),
            release: text(event.os.release),
            arch: text(event.os.arch),
          },
          dataDirectory: text(event.dataDirectory),
        },
      }
    case 'app_stop':
      return {
        level: 'info',
        msg: `Purchase Sender stopped (${event.mode})`,
        fields: {
          mode: event.mode,
          ...(event.exitCode === undefined ? {} : { exitCode: count(event.exitCode) }),
        },
      }
    case 'connection_check': {
      const failed = !event.store.ok || event.accounts.some((account) => !account.ok)
      return {
        level: failed ? 'warn' : 'info',
        msg: `Connection check: store ${event.store.ok ? 'ok' : 'failed'}, ${event.accounts.filter((account) => account.ok).length} of ${event.accounts.length} Connectif accounts ok`,
        fields: {
          profileId: event.profileId === null ? null : count(event.profileId),
          store: {
            ok: event.store.ok === true,
            ...(event.store.code === undefined ? {} : { code: text(event.store.code) }),
            ...(event.store.message === undefined ? {} : { message: text(event.store.message) }),
            ...(event.store.version === undefined ? {} : { version: text(event.store.version) }),
          },
          accounts: event.accounts.map((account) => ({
            account: text(account.account),
            host: text(account.host),
            ok: account.ok === true,
            problem: text(account.problem),
            warnings: account.warnings.map(text),
          })),
          ...(event.store.ok ? {} : { code: text(event.store.code ?? 'store_failed') }),
        },
      }
    }
    case 'sending_start':
      return {
        level: 'info',
        msg: `Sending #${count(event.sendingId)} ${event.resumed ? 'resumed' : 'started'}: ${count(event.expectedTotal)} orders expected`,
        fields: {
          sendingId: count(event.sendingId),
          profileId: event.profileId === null ? null : count(event.profileId),
          mode: text(event.mode),
          origin: text(event.origin),
          expectedTotal: count(event.expectedTotal),
          resumed: event.resumed === true,
          rateLimit: count(event.rateLimit),
          skipSent: event.skipSent === true,
          createContacts: event.createContacts === true,
          createProducts: event.createProducts === true,
          triggerWorkflows: event.triggerWorkflows === true,
          targets: count(event.targets),
        },
      }
    case 'sending_end': {
      const counts = event.counts
      const level: LogLevel =
        event.state === 'failed' ? 'error' : event.state === 'completed' ? 'info' : 'warn'
      return {
        level,
        msg: `Sending #${count(event.sendingId)} ended ${text(event.state)}: ${count(counts.created)} created, ${count(counts.alreadyExisted)} already in Connectif, ${count(counts.failed)} failed, ${count(counts.skipped)} skipped of ${count(counts.total)}`,
        fields: {
          sendingId: count(event.sendingId),
          state: text(event.state),
          durationMs: count(event.durationMs),
          counts: {
            total: count(counts.total),
            created: count(counts.created),
            alreadyExisted: count(counts.alreadyExisted),
            failed: count(counts.failed),
            skipped: count(counts.skipped),
            pending: count(counts.pending),
          },
          alreadySent: count(event.alreadySent),
          http: Object.fromEntries(
            Object.entries(event.http)
              .filter(([status]) => /^(\d{3}|none)$/.test(status))
              .map(([status, n]) => [status, count(n)]),
          ),
          retries: count(event.retries),
          waits: count(event.waits),
          ...(event.fatal
            ? { code: text(event.fatal.code), fatal: { message: text(event.fatal.message) } }
            : {}),
        },
      }
    }
    case 'connectif_answer': {
      // Answers a sending expects (a missing contact or product is created): debug when they
      // came at once, info after retries; anything else is worth a warning.
      const fine = FINE_OUTCOMES.has(event.outcome)
      const level: LogLevel =
        fine && event.attempts <= 1 && !EXPECTED_REFUSALS.has(event.outcome)
          ? 'debug'
          : fine
            ? 'info'
            : 'warn'
      return {
        level,
        msg: `Connectif answered ${event.status === null ? 'nothing' : count(event.status)} to ${event.call} (${text(event.outcome)}${event.attempts > 1 ? `, ${count(event.attempts)} attempts` : ''})`,
        fields: {
          sendingId: event.sendingId === null ? null : count(event.sendingId),
          account: text(event.account),
          call: event.call,
          status: event.status === null ? null : count(event.status),
          outcome: text(event.outcome),
          ...(event.code === null ? {} : { code: text(event.code) }),
          attempts: count(event.attempts),
          durationMs: count(event.durationMs),
        },
      }
    }
    case 'connectif_wait': {
      const waitMs = Math.round(count(event.waitMs))
      return {
        level: 'info',
        msg: `Waiting ${waitMs < 1000 ? `${waitMs} ms` : `${(waitMs / 1000).toFixed(1)} s`} for Connectif (${event.reason === 'retry' ? 'retry' : 'rate limit'})${event.unlogged > 0 ? `; ${count(event.unlogged)} more waits since the last line` : ''}`,
        fields: {
          sendingId: event.sendingId === null ? null : count(event.sendingId),
          reason: event.reason === 'retry' ? 'retry' : 'rate-limit',
          waitMs,
          unlogged: count(event.unlogged),
        },
      }
    }
    case 'sending_notice':
      return {
        level: 'warn',
        msg: text(event.message),
        fields: {
          sendingId: count(event.sendingId),
          code: text(event.code),
          ...(event.account === undefined ? {} : { account: text(event.account) }),
        },
      }
    case 'failure':
      return {
        level: 'warn',
        msg: text(event.message),
        fields: { where: text(event.where), code: text(event.code) },
      }
    case 'bug':
      return {
        level: 'error',
        msg: text(event.message),
        fields: { where: text(event.where), code: 'internal', error: errorFields(event.error) },
      }
  }
}

/** An error as its class, message, code and stack; never its other properties. */
function errorFields(error: unknown): Record<string, string> {
  if (!(error instanceof Error)) return error === undefined ? {} : { message: text(String(error)) }
  const code = (error as { code?: unknown }).code
  return {
    type: text(error.name),
    message: text(error.message),
    ...(typeof code === 'string' ? { errorCode: text(code) } : {}),
    ...(error.stack ? { stack: text(error.stack) } : {}),
  }
}

const MAX_TEXT = 2_000

const EXPECTED_REFUSALS: ReadonlySet<string> = new Set(['unknown_contact', 'unknown_products'])
const FINE_OUTCOMES: ReadonlySet<string> = new Set([
  'created',
  'already_exists',
  'accepted',
  ...EXPECTED_REFUSALS,
])

function text(value: unknown): string {
  const string = typeof value === 'string' ? value : String(value)
  return string.length > MAX_TEXT ? `${string.slice(0, MAX_TEXT)}…` : string
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0
}
