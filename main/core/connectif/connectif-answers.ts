/**
 * What Connectif's answers mean (docs/connectif-api.md §7): the error body read leniently, the
 * outcome of an answer for the engine, and the message the report shows for it.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { z } from 'zod'
import type { ConnectifOutcome } from './connectif-api'
import type { HttpAnswer } from './connectif-http'

const idList = z
  .union([z.array(z.union([z.string(), z.number()])), z.string(), z.number()])
  .transform((value) =>
    Array.isArray(value)
      ? value.map(String)
      : String(value)
          .split(',')
          .map((id) => id.trim())
          .filter((id) => id !== ''),
  )

// Each field falls back on its own, so one odd field does not hide the others.
const errorBodySchema = z.object({
  detail: z.string().optional().catch(undefined),
  title: z.string().optional().catch(undefined),
  code: z.string().optional().catch(undefined),
  productIds: idList.optional().catch(undefined),
  productsId: idList.optional().catch(undefined),
  allowedDomains: idList.optional().catch(undefined),
  validationErrors: z
    .array(
      z.object({
        path: z.union([z.string(), z.array(z.union([z.string(), z.number()]))]).optional(),
        reason: z.string().optional(),
        message: z.string().optional(),
      }),
    )
    .optional()
    .catch(undefined),
})

export type ErrorBody = z.infer<typeof errorBodySchema>

export interface Answer {
  readonly status: number
  readonly body: string
  /** The body as read (up to PARSED_RESPONSE_BYTES), for answers that carry a resource. */
  readonly text: string
  readonly parsed: ErrorBody
}

export function toAnswer(response: HttpAnswer): Answer {
  return {
    status: response.statusCode,
    body: response.stored,
    text: response.text,
    parsed: parseErrorBody(response.text),
  }
}

/** Whatever the content type says: Connectif's error media type is not documented. */
export function parseErrorBody(body: string): ErrorBody {
  const text = body.trim()
  if (!text.startsWith('{')) return {}
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return {}
  }
  const parsed = errorBodySchema.safeParse(json)
  return parsed.success ? parsed.data : {}
}

export function classify(answer: Answer): ConnectifOutcome {
  const { status, parsed } = answer
  if (status >= 200 && status < 300) return { kind: 'created' }
  if (status === 409) return { kind: 'already_exists' }
  if (status === 401 || status === 403) return { kind: 'auth_failed', status }
  if (status === 400 && parsed.code === 'E0101') return { kind: 'unknown_contact' }
  // The documented example spells the field `productsId`, the table `productIds`.
  const productIds = parsed.productIds ?? parsed.productsId ?? []
  if (status === 400 && parsed.code === 'E0102') return { kind: 'unknown_products', productIds }
  // E0103 refuses a purchase, E0201 a product being created ("product had URL from non
  // authorized domain"): the same setting of the Connectif store fixes both.
  if (status === 400 && (parsed.code === 'E0103' || parsed.code === 'E0201')) {
    return { kind: 'unauthorised_domain', productIds, allowedDomains: parsed.allowedDomains ?? [] }
  }
  return { kind: 'rejected' }
}

export function messageFor(outcome: ConnectifOutcome, answer: Answer, what: string): string {
  const detail = answer.parsed.detail?.trim()
  switch (outcome.kind) {
    case 'created':
      return `Connectif accepted ${what.replace(/^\w+ /, '')} (${answer.status}).`
    case 'already_exists':
      return detail ?? `Connectif already has this purchase (409).`
    case 'unknown_contact':
      return detail ?? 'Connectif does not know the contact; it must be created first.'
    case 'unknown_products':
      return detail ?? `Connectif does not know product ${outcome.productIds.join(', ')}.`
    case 'unauthorised_domain':
      return (
        detail ??
        (outcome.productIds.length > 0
          ? `The URL of product ${outcome.productIds.join(', ')} is not on an authorised domain of the Connectif store.`
          : `Connectif refused ${what}: a product URL is not on an authorised domain of the Connectif store.`)
      )
    case 'auth_failed':
      return outcome.status === 401
        ? `Connectif does not recognise the API key (401)${detailSuffix(answer.parsed)}.`
        : `The API key lacks a permission, or the Connectif account is blocked (403)${detailSuffix(answer.parsed)}.`
    case 'rejected': {
      const reasons = (answer.parsed.validationErrors ?? [])
        .map((error) => {
          const path = Array.isArray(error.path) ? error.path.join('.') : (error.path ?? '')
          const reason = error.reason ?? error.message ?? 'invalid'
          return path === '' ? reason : `${path}: ${reason}`
        })
        .join('; ')
      const base =
        detail ??
        (answer.status >= 300 && answer.status < 400
          ? `Connectif answered with a redirect (${answer.status}) at ${what}; check the API URL.`
          : `Connectif refused ${what} (${answer.status}).`)
      return reasons === '' ? base : `${base} (${reasons})`
    }
    case 'unavailable':
      return detail ?? `Connectif could not be reached at ${what}.`
  }
}

export function detailSuffix(parsed: ErrorBody): string {
  const detail = parsed.detail?.trim()
  return detail === undefined || detail === '' ? '' : `: "${detail}"`
}

/** Connectif's rate-limit headers, on every answer (§8), and the draft names the client reads. */
const RATE_LIMIT_HEADERS = [
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
] as const

/**
 * What of Connectif's signature an answer lacks (docs/connectif-api.md §3, access check): its
 * JSON error body (`title` and `detail`, §6) and its rate-limit headers (§8). Empty when it has
 * both. A 404 without them comes from something else at that address (a web server, a proxy,
 * another API), which would answer 404 to any key.
 */
export function missingConnectifSignature(
  answer: Answer,
  headers: IncomingHttpHeaders,
): readonly ('error body' | 'rate-limit headers')[] {
  const missing: ('error body' | 'rate-limit headers')[] = []
  const { title, detail } = answer.parsed
  if ((title ?? '').trim() === '' && (detail ?? '').trim() === '') missing.push('error body')
  if (!RATE_LIMIT_HEADERS.some((name) => headers[name] !== undefined))
    missing.push('rate-limit headers')
  return missing
}
