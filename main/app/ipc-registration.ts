/**
 * The one registration path for the contract's channels: every request is checked for its
 * sender, parsed with the channel's zod schema, and only then handed to the application service.
 * Nothing is ever thrown across IPC (custom error fields would be lost): answers are Results.
 *
 * Typed structurally (no electron import): the shell passes Electron's `ipcMain`, tests a fake,
 * and the browser-mode host shares `dispatch`.
 */
import type { z } from 'zod'
import {
  CHANNELS,
  isChannelName,
  REQUEST_SCHEMAS,
  type ChannelName,
  type Result,
} from '../../preload/contract'
import { INTERNAL_ERROR_MESSAGE, type AppService } from './app-service'

/** The channel list, snapshotted by the tests: a change here is a change of the contract. */
export const CHANNEL_NAMES: readonly ChannelName[] = Object.freeze([...CHANNELS])

/** The part of Electron's `ipcMain` used here. */
export interface IpcMainLike<Event> {
  handle(channel: string, listener: (event: Event, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}

export interface RegistrationOptions<Event> {
  /** The main window's WebContents (and, in production, its app:// origin); false refuses. */
  readonly isTrustedSender: (event: Event) => boolean
  readonly log?: (message: string, error?: unknown) => void
}

const MAX_ISSUES = 5

/** Summarises zod issues for people: `options.rateLimit: too big; from: must be a day…`. */
export function summariseIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = issue.path.map(String).join('.')
    return path === '' ? issue.message : `${path}: ${issue.message}`
  })
  if (issues.length > MAX_ISSUES) parts.push(`and ${issues.length - MAX_ISSUES} more`)
  return parts.join('; ')
}

/**
 * Validates `raw` against the channel's schema and calls the service. Never throws: an unknown
 * channel, an invalid payload and a bug in a handler all come back as error values.
 */
export async function dispatch(
  service: AppService,
  channel: string,
  raw: unknown,
  log: (message: string, error?: unknown) => void = (message, error) =>
    console.error(message, error),
): Promise<Result<unknown>> {
  if (!isChannelName(channel))
    return {
      ok: false,
      error: { code: 'unknown_channel', message: `There is no channel "${channel}".` },
    }
  const parsed = REQUEST_SCHEMAS[channel].safeParse(raw ?? {})
  if (!parsed.success)
    return {
      ok: false,
      error: {
        code: 'invalid_request',
        message: `Invalid request for ${channel}: ${summariseIssues(parsed.error.issues)}.`,
        details: parsed.error.issues.slice(0, MAX_ISSUES).map((issue) => ({
          field: issue.path.map(String).join('.'),
          code: issue.code,
          message: issue.message,
        })),
      },
    }
  try {
    const handler = service.channels[channel] as (request: unknown) => Promise<Result<unknown>>
    return await handler(parsed.data)
  } catch (error) {
    // Handlers return errors as values; reaching here is a bug.
    log(`The handler of ${channel} threw`, error)
    return { ok: false, error: { code: 'internal', message: INTERNAL_ERROR_MESSAGE } }
  }
}

/** Registers every channel; returns a function that removes them again. */
export function registerHandlers<Event>(
  ipcMain: IpcMainLike<Event>,
  service: AppService,
  options: RegistrationOptions<Event>,
): () => void {
  const log = options.log ?? ((message, error) => console.error(message, error))
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, async (event, raw) => {
      let trusted = false
      try {
        trusted = options.isTrustedSender(event)
      } catch (error) {
        log(`Checking the sender of ${channel} failed`, error)
      }
      if (!trusted) {
        log(`Refused ${channel} from an untrusted sender`)
        return {
          ok: false,
          error: {
            code: 'forbidden_sender',
            message: `The request ${channel} did not come from the Purchase Sender window.`,
          },
        } satisfies Result<never>
      }
      return dispatch(service, channel, raw, log)
    })
  }
  return () => {
    for (const channel of CHANNEL_NAMES) ipcMain.removeHandler(channel)
  }
}
