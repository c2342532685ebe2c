/**
 * Browser mode's report downloads: `GET /api/reports/<id>.csv?all=0|1` streams a sending's CSV
 * report from the history to the browser, row by row with back-pressure (memory stays flat
 * whatever the report's size), as an attachment.
 *
 * Who may download (reports are customer data):
 * - with the host token in its header, as every /api request (scripts, tests);
 * - or with a one-use ticket in `?ticket=`: a browser downloads a file by following a link, which
 *   cannot carry a header, and the host token must never sit in an address (the browser keeps a
 *   download's address in its downloads list). The page asks for a ticket with
 *   `POST /api/reports/link` (token header, so only the page can); the ticket is random (256
 *   bits), works once, for a minute, for that sending and `all` only, and only from the page's own
 *   origin (`Sec-Fetch-Site`). A spent ticket in the downloads list opens nothing.
 *
 * Errors are JSON Results like the channels': an unknown sending is 404 (`sending_not_found`), a
 * report with nothing in it 409 (`report_empty`), checked before any header is sent.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'
import type { ReportLink, Result } from '../../preload/contract'
import type { AppService } from '../app/app-service'
import { summariseIssues } from '../app/ipc-registration'
import { COMMON_HEADERS, forbidden, invalidRequest, sendJson } from './http-answers'

/** `POST /api/<this>`: a ticket for one download. */
export const REPORT_LINK_ROUTE = 'reports/link'

/** How long a ticket waits to be used: the page follows it at once. */
export const TICKET_LIFETIME_MS = 60_000
/** Tickets not used yet, at most; the oldest go first (nobody asks for a hundred at once). */
const MAX_TICKETS = 100

const REPORT_PATH = /^\/api\/reports\/(\d{1,15})\.csv$/

const linkRequest = z.strictObject({
  sendingId: z.number().int().positive(),
  all: z.boolean().default(false),
})

/** The sending id of a report download's path, or null for any other path. */
export function reportPathSendingId(pathname: string): number | null {
  const match = REPORT_PATH.exec(pathname)
  return match ? Number(match[1]) : null
}

/**
 * `attachment` with the file name twice (RFC 6266): `filename="…"` in plain ASCII for old
 * clients, and `filename*=UTF-8''…` (RFC 5987 percent-encoding) with the name as it is, which
 * every current browser prefers. Report names are ASCII already (reportFileName); a name with
 * other characters still arrives whole.
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    // Quotes and backslashes would end or escape the quoted string; `%` some clients decode.
    .replace(/[^\x20-\x7e]|["\\%]/g, '_')
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}

interface Ticket {
  readonly sendingId: number
  readonly all: boolean
  readonly expiresAt: number
}

export interface ReportDownloadsOptions {
  readonly service: Pick<AppService, 'prepareReport'>
  readonly now: () => number
  readonly log: (message: string, error?: unknown) => void
}

export interface ReportDownloads {
  /** `POST /api/reports/link` (token checked): the report checked, then a ticket for it. */
  link(body: unknown): Result<ReportLink>
  /**
   * `GET /api/reports/<id>.csv`, the token checked (`ticket` null) or to be redeemed from
   * `?ticket=`.
   */
  serve(
    request: IncomingMessage,
    response: ServerResponse,
    sendingId: number,
    url: URL,
    ticket: string | null,
  ): Promise<void>
}

export function createReportDownloads(options: ReportDownloadsOptions): ReportDownloads {
  // Kept by their hash: looking one up never compares the secret itself.
  const tickets = new Map<string, Ticket>()
  const hash = (ticket: string): string => createHash('sha256').update(ticket).digest('hex')

  const prune = (): void => {
    const now = options.now()
    for (const [key, ticket] of tickets) if (ticket.expiresAt <= now) tickets.delete(key)
    while (tickets.size >= MAX_TICKETS) tickets.delete(tickets.keys().next().value as string)
  }

  /** Spends the ticket, whatever the answer: one that failed once is not tried again. */
  const redeem = (ticket: string, sendingId: number, all: boolean): boolean => {
    const key = hash(ticket)
    const found = tickets.get(key)
    tickets.delete(key)
    return (
      found !== undefined &&
      found.expiresAt > options.now() &&
      found.sendingId === sendingId &&
      found.all === all
    )
  }

  return {
    link(body) {
      const parsed = linkRequest.safeParse(body ?? {})
      if (!parsed.success)
        return invalidRequest(
          `Invalid request for a report link: ${summariseIssues(parsed.error.issues)}.`,
        )
      const { sendingId, all } = parsed.data
      const prepared = options.service.prepareReport(sendingId, { all })
      if (!prepared.ok) return prepared
      prune()
      const ticket = randomBytes(32).toString('base64url')
      tickets.set(hash(ticket), { sendingId, all, expiresAt: options.now() + TICKET_LIFETIME_MS })
      return {
        ok: true,
        data: {
          url: `/api/reports/${sendingId}.csv?all=${all ? 1 : 0}&ticket=${ticket}`,
          fileName: prepared.data.fileName,
        },
      }
    },

    async serve(request, response, sendingId, url, ticket) {
      const allParam = url.searchParams.get('all')
      if (allParam !== null && allParam !== '0' && allParam !== '1') {
        sendJson(response, 400, invalidRequest('all must be 0 (the orders not created) or 1.'))
        return
      }
      const all = allParam === '1'
      if (ticket !== null) {
        // Set by every current browser: a page of another site (or another port of this
        // computer) following a leaked link is refused even before the ticket is looked at.
        const site = request.headers['sec-fetch-site']
        if (site !== undefined && site !== 'same-origin' && site !== 'none') {
          sendJson(response, 403, forbidden('Reports download only from the Purchase Sender page.'))
          return
        }
        if (!redeem(ticket, sendingId, all)) {
          sendJson(
            response,
            403,
            forbidden(
              'This download link was already used or has expired: download the report again from the page.',
            ),
          )
          return
        }
      }
      const prepared = options.service.prepareReport(sendingId, { all })
      if (!prepared.ok) {
        const code = prepared.error.code
        const status =
          code === 'sending_not_found'
            ? 404
            : code === 'report_empty'
              ? 409
              : code === 'internal'
                ? 500
                : 400
        sendJson(response, status, prepared)
        return
      }
      response.writeHead(200, {
        ...COMMON_HEADERS,
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': contentDisposition(prepared.data.fileName),
        // Customer data: never kept in a cache, never readable by another origin's page.
        'cache-control': 'no-store',
        'cross-origin-resource-policy': 'same-origin',
      })
      try {
        await prepared.data.write(response)
      } catch (error) {
        // The browser cancelled the download (or went away): nothing failed here.
        if ((error as { code?: unknown }).code !== 'ERR_STREAM_PREMATURE_CLOSE')
          options.log(`Streaming the report of sending #${sendingId} failed`, error)
        // Cut short, never ended: the browser marks the download failed, not complete.
        response.destroy()
      }
    },
  }
}
