/**
 * The diagnostic log's last line of defence, in one place. The log writes only the whitelisted
 * fields of typed events (log-events.ts), so no secret, e-mail or payload is ever handed to it;
 * but a field that is a sentence (an error's message, Connectif's `detail`) could still quote one.
 * Every record is passed through `redactValue` on its way to the file (and to the command line's
 * --verbose lines), and so is the diagnostics text the app copies:
 *
 * - e-mail addresses → `[email]`;
 * - `Authorization: …`, `apiKey …`, `Basic …`/`Bearer …` credentials → `[secret]`;
 * - `password=…`, `ws_key=…`, `"apiKey": "…"`, `token: …` and the like → `[secret]`;
 * - credentials in an address (`mysql://user:password@host`) → `[secret]@`;
 * - an object's property named like a secret or an e-mail → `[redacted]`, whatever it holds.
 */

export const REDACTED_EMAIL = '[email]'
export const REDACTED_SECRET = '[secret]'
export const REDACTED_FIELD = '[redacted]'

/** Anything@anything-with-no-space: wider than RFC 5322 on purpose (IDN, quotes, plus signs). */
const EMAIL = /[^\s@<>()[\]{}"'`,;:\\]+@[^\s@<>()[\]{}"'`,;:\\/?#&]+/gu
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/giu
const AUTHORIZATION =
  /(\b(?:proxy-)?authorization\b["']?\s*[:=]\s*["']?)(?:(?:apiKey|Basic|Bearer|Digest)\s+)?[^\s"',;}]+/giu
const SCHEME_CREDENTIAL = /\b(apiKey|Basic|Bearer)\s+(?!\[secret\])[A-Za-z0-9+/=._~:-]{6,}/gu
const NAMED_SECRET =
  /(\b(?:api[_-]?key|ws[_-]?key|access[_-]?key|secret|token|password|passwd|pwd)\b["']?\s*[:=]\s*["']?)(?!\[secret\])[^\s"'&,;}]+/giu

const SECRET_PROPERTY =
  /^(?:api[_-]?key|ws[_-]?key|key|authorization|password|passwd|pwd|secret|token|e-?mail|contact[_-]?email|customer[_-]?email|body|payload|purchase|json)$/iu

/** `text` with every e-mail and credential it quotes replaced. */
export function redactText(text: string): string {
  return text
    .replace(URL_CREDENTIALS, `$1${REDACTED_SECRET}@`)
    .replace(AUTHORIZATION, `$1${REDACTED_SECRET}`)
    .replace(SCHEME_CREDENTIAL, `$1 ${REDACTED_SECRET}`)
    .replace(NAMED_SECRET, `$1${REDACTED_SECRET}`)
    .replace(EMAIL, REDACTED_EMAIL)
}

/**
 * A copy of `value` with every string redacted and every property named like a secret, an e-mail
 * or a body replaced; numbers, booleans and null as they are. Cycles and depth are cut.
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value)
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value
  if (value === undefined) return undefined
  if (depth > 6) return REDACTED_FIELD
  if (Array.isArray(value)) return value.slice(0, 100).map((item) => redactValue(item, depth + 1))
  if (typeof value === 'object') {
    const copy: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value as Record<string, unknown>))
      copy[key] = SECRET_PROPERTY.test(key) ? REDACTED_FIELD : redactValue(item, depth + 1)
    return copy
  }
  // Functions, symbols, bigints: nothing a log line needs.
  return typeof value === 'bigint' ? value.toString() : REDACTED_FIELD
}
