import type { TFunction } from 'i18next'
import {
  FAILURE_REASON_CODES,
  httpStatusOfReason,
  SKIP_REASON_CODES,
  UNKNOWN_REASON,
} from '../../main/core/history/outcome-reasons'

/**
 * Why a sending's orders were skipped or failed, counted, in the user's language: "20 orders of
 * deleted customers", "3 orders whose contact is not in Connectif". The one place that says a
 * reason, so the progress window, the sending's page and the send page say it alike.
 *
 * `code` is the reason the history groups the orders by (SendingView's `reasons`, see
 * main/core/history/outcome-reasons.ts); null reads as `unknown`. A code without a sentence of its
 * own (one Connectif adds later) still reads "N orders failed (E0999)".
 */

export type OutcomeResult = 'skipped' | 'failed'

const KNOWN: Readonly<Record<OutcomeResult, readonly string[]>> = {
  skipped: [...SKIP_REASON_CODES, UNKNOWN_REASON],
  failed: [...FAILURE_REASON_CODES, UNKNOWN_REASON],
}

export function outcomeReasonText(
  t: TFunction,
  result: OutcomeResult,
  code: string | null,
  count: number,
): string {
  const reason = code ?? UNKNOWN_REASON
  if (KNOWN[result].includes(reason)) return t(`outcome.${result}.${reason}`, { count })
  const status = result === 'failed' ? httpStatusOfReason(reason) : null
  if (status !== null) {
    const key = status >= 500 ? 'outcome.failed.http_server' : 'outcome.failed.http'
    return t(key, { count, status })
  }
  return t(`outcome.${result}.other`, { count, code: reason })
}
