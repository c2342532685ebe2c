/**
 * The reason a sending's skipped or failed order is counted and linked under: its recorded code
 * (a skip reason, Connectif's code, `network`), or, for an order recorded without one, `http_<status>`
 * (an answer that carried no code) or `unknown` (orders skipped before reasons had codes). Pure, so
 * the screens read the same codes they are grouped by.
 */
import { SKIP_REASON_CODES } from '../purchases/purchase'

export { SKIP_REASON_CODES }

/** The codes a failed order is recorded with that the screens say in words (others: as is). */
export const FAILURE_REASON_CODES = ['E0101', 'E0102', 'E0103', 'E0201', 'network'] as const

export const UNKNOWN_REASON = 'unknown'

/** What a reason may look like where it comes from outside (a link, a request): E0101, no_email. */
export const REASON_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/

const HTTP_REASON = /^http_(\d{3})$/

/** The HTTP status an `http_<status>` reason stands for, or null for any other reason. */
export function httpStatusOfReason(reason: string): number | null {
  const match = HTTP_REASON.exec(reason)
  return match?.[1] ? Number(match[1]) : null
}

/** A sending_orders row's reason, in SQL (see above): what the summary groups and the filter tests. */
export const REASON_SQL = `COALESCE(error_code, CASE WHEN http_status IS NULL THEN '${UNKNOWN_REASON}'
  ELSE 'http_' || http_status END)`
