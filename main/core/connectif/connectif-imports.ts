/**
 * The Import API as the client speaks it (docs/connectif-api.md §13): the multipart form of a
 * CSV file, the import resource Connectif answers with, and what each answer means. The client
 * (connectif-client.ts) does the HTTP, the waiting and the retries.
 */
import { z } from 'zod'
import type { ConnectifImport, ImportFile, ImportOutcome, ImportStatus } from './connectif-api'

/** Connectif accepts `,` or `;`; the files are written with commas (import-files.ts). */
export const IMPORT_DELIMITER = ','

/**
 * The upload may be tens of megabytes: more time than an ordinary request, which must fail fast.
 * Five minutes carry 50 MB at about 170 KB/s.
 */
export const IMPORT_UPLOAD_TIMEOUT_MS = 300_000

const STATUSES: ReadonlySet<string> = new Set<ImportStatus>([
  'queued',
  'inProgress',
  'finished',
  'error',
  'cancelled',
])

const count = z.number().int().nonnegative().nullable().optional().catch(null)

const importSchema = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  status: z.string(),
  total: count,
  success: count,
  errors: count,
  errorReportFileUrl: z.string().nullable().optional().catch(null),
})

/**
 * The form of `POST /imports/`. New contacts and products are created, those the account already
 * has are left exactly as the merchant keeps them: `overrideExisting=false` (and so
 * `updateOnlyEmptyFields=false`, which Connectif only accepts with overriding).
 */
export function importForm(file: ImportFile): FormData {
  const form = new FormData()
  form.append('type', file.type)
  form.append('overrideExisting', 'false')
  form.append('updateOnlyEmptyFields', 'false')
  form.append('delimiter', IMPORT_DELIMITER)
  form.append('file', new Blob([file.csv], { type: 'text/csv' }), file.fileName)
  return form
}

/**
 * The import in an answer's body, or null when there is none. A status Connectif may add later
 * (a validation step…) reads as `inProgress`: not final, so it is asked again.
 */
export function parseImport(text: string): ConnectifImport | null {
  const trimmed = text.trim()
  if (!trimmed.startsWith('{')) return null
  let json: unknown
  try {
    json = JSON.parse(trimmed)
  } catch {
    return null
  }
  const parsed = importSchema.safeParse(json)
  if (!parsed.success) return null
  const data = parsed.data
  return {
    id: data.id,
    status: STATUSES.has(data.status) ? (data.status as ImportStatus) : 'inProgress',
    total: data.total ?? null,
    success: data.success ?? null,
    errors: data.errors ?? null,
    errorReportFileUrl: data.errorReportFileUrl ?? null,
  }
}

/** What an answer to an Import API call means. `creating`: the answer to `POST /imports/`. */
export function classifyImportAnswer(
  status: number,
  text: string,
  creating: boolean,
): ImportOutcome {
  if (status >= 200 && status < 300) {
    const answered = parseImport(text)
    return answered === null ? { kind: 'rejected' } : { kind: 'accepted', import: answered }
  }
  if (status === 401) return { kind: 'auth_failed', status }
  if (status === 403) return { kind: 'not_allowed' }
  if (status === 404 && !creating) return { kind: 'not_found' }
  // Connectif documents one 400 for creating an import: the account's queue is full.
  if (status === 400 && creating) return { kind: 'queue_full' }
  return { kind: 'rejected' }
}

/** One sentence for an Import API answer; `detail` is Connectif's, when its body had one. */
export function importMessage(
  outcome: ImportOutcome,
  status: number,
  detail: string | undefined,
  what: string,
): string {
  const said = detail === undefined || detail === '' ? '' : `: "${detail}"`
  switch (outcome.kind) {
    case 'accepted':
      return `Connectif answered ${status} at ${what}: import ${outcome.import.id} is ${outcome.import.status}.`
    case 'queue_full':
      return `Connectif has more than 10 imports queued for this account (400)${said}.`
    case 'not_allowed':
      return `The API key lacks the Imports permission, or the Connectif account is blocked (403)${said}.`
    case 'not_found':
      return `Connectif does not know this import (404)${said}.`
    case 'auth_failed':
      return `Connectif does not recognise the API key (401)${said}.`
    case 'rejected':
      return status >= 200 && status < 300
        ? `Connectif answered ${status} at ${what} without an import in the body.`
        : status === 413
          ? `Connectif refused the file as too large (413)${said}.`
          : `Connectif refused ${what} (${status})${said}.`
    case 'unavailable':
      return `Connectif could not be reached at ${what}.`
  }
}
