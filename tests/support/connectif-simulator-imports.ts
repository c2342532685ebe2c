/**
 * The Import API of the Connectif simulator (docs/connectif-api.md §13), one desk per account:
 * `POST /imports/` (multipart: type, overrideExisting, updateOnlyEmptyFields, delimiter, a CSV
 * file), `GET /imports/{id}` and `GET /imports/?limit=N`.
 *
 * An account processes its imports one after another, on the simulator's clock: each waits
 * `queuedMs` in the queue, then takes `rows ÷ rowsPerSecond`; its state is a function of the
 * time alone, so a test's virtual clock decides when an import is done, and its contacts or
 * products exist from that instant on (for every request, read or not). With the defaults an
 * import is finished as soon as it is created. Free of vitest imports, like the simulator.
 */
import { parse } from 'csv-parse/sync'

export type SimulatorImportStatus = 'queued' | 'inProgress' | 'finished' | 'error' | 'cancelled'

export interface SimulatorImportOptions {
  /** How long an import waits queued before the account starts it. Default 0. */
  readonly queuedMs?: number
  /** Rows processed a second once started. Default Infinity: done as soon as it starts. */
  readonly rowsPerSecond?: number
  /** The largest file accepted; 413 beyond. Default 50 MB. */
  readonly maxFileBytes?: number
  /** Imports an account may have queued; one more is refused with 400. Default 10. */
  readonly maxQueued?: number
}

/** The error code of the 400 that refuses an import when the queue is full (made up: E04xx). */
export const IMPORT_QUEUE_FULL_CODE = 'E0401'

/** What a test sees of an import. */
export interface SimulatorImportView {
  readonly id: string
  readonly type: string
  readonly overrideExisting: boolean
  readonly fileName: string
  /** Rows of the file; 0 for another integration's import (`addForeignImports`). */
  readonly rows: number
  readonly foreign: boolean
  readonly status: SimulatorImportStatus
  /** The header row, as sent. */
  readonly columns: readonly string[]
}

export interface ImportStats {
  /** `POST /imports/` answered 201. */
  created: number
  /** `POST /imports/` refused (400, 413, 415, 422). */
  refused: number
  /** `GET /imports/{id}`. */
  polls: number
  /** `GET /imports/`. */
  lists: number
}

/** The answer of an Import API request, for the simulator to send. */
export interface ImportReply {
  readonly status: number
  readonly body: unknown
}

/** The account's contacts (by lower-cased e-mail) and catalogue, which finished imports fill. */
export interface ImportAccount {
  readonly contacts: Map<string, Record<string, unknown>>
  readonly products: Map<string, Record<string, unknown>>
}

type ErrorReply = (status: number, detail: string, extra?: Record<string, unknown>) => ImportReply

type Row = Record<string, string>

interface Job {
  readonly id: string
  readonly type: string
  readonly overrideExisting: boolean
  readonly updateOnlyEmptyFields: boolean
  readonly delimiter: string
  readonly fileName: string
  readonly columns: readonly string[]
  readonly rows: readonly Row[]
  /** Per row: whether the import can take it. */
  readonly valid: readonly boolean[]
  readonly foreign: boolean
  readonly createdAt: number
  readonly startAt: number
  readonly finishAt: number
  /** Set by `failNextImports`: how it ends instead of `finished`. */
  readonly ending: 'error' | 'cancelled' | null
  applied: boolean
}

const REQUIRED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  contacts: ['_email'],
  products: ['productId', 'name', 'unitPrice', 'productDetailUrl'],
}
const NUMERIC_PRODUCT_FIELDS: ReadonlySet<string> = new Set([
  'unitPrice',
  'unitPriceWithoutVAT',
  'unitPriceOriginal',
  'discountedAmount',
  'discountedPercentage',
  'rating',
  'ratingCount',
  'reviewCount',
  'priority',
])
const LIST_PRODUCT_FIELDS: ReadonlySet<string> = new Set([
  'categories',
  'tags',
  'relatedProductIds',
])
/** Written `true` or `false` in a file; read as booleans, as a PATCH would send them. */
const BOOLEAN_PRODUCT_FIELDS: ReadonlySet<string> = new Set(['isBlacklisted'])
/** Connectif's availabilities for a product being created (docs/connectif-api.md §4a). */
const AVAILABILITIES: ReadonlySet<string> = new Set(['instock', 'outofstock'])
const EMAIL = /^[^@\s]+@[^@\s]+$/

export class SimulatorImports {
  readonly stats: ImportStats = { created: 0, refused: 0, polls: 0, lists: 0 }
  readonly #account: ImportAccount
  readonly #queuedMs: number
  readonly #rowsPerSecond: number
  readonly #maxFileBytes: number
  readonly #maxQueued: number
  readonly #newId: () => string
  readonly #error: ErrorReply
  readonly #jobs: Job[] = []
  readonly #endings: ('error' | 'cancelled')[] = []
  #rowFilter: ((type: string, row: Readonly<Row>) => boolean) | null = null
  /** When the account is done with every import it has: the next one starts after that. */
  #busyUntil = 0

  constructor(
    account: ImportAccount,
    options: SimulatorImportOptions,
    newId: () => string,
    error: ErrorReply,
  ) {
    this.#account = account
    this.#queuedMs = Math.max(0, options.queuedMs ?? 0)
    this.#rowsPerSecond = options.rowsPerSecond ?? Infinity
    this.#maxFileBytes = options.maxFileBytes ?? 50 * 1024 * 1024
    this.#maxQueued = options.maxQueued ?? 10
    this.#newId = newId
    this.#error = error
  }

  /** Applies the imports finished by `now`, in the order they finished. */
  advance(now: number): void {
    for (const job of this.#jobs) {
      if (job.applied || job.finishAt > now) continue
      job.applied = true
      if (job.ending === null) this.#apply(job)
    }
  }

  /** `POST /imports/`. */
  async create(contentType: string, body: Buffer, now: number): Promise<ImportReply> {
    const reply = await this.#create(contentType, body, now)
    if (reply.status === 201) this.stats.created += 1
    else this.stats.refused += 1
    return reply
  }

  /** `GET /imports/{id}`. */
  get(id: string, now: number): ImportReply {
    this.stats.polls += 1
    const job = this.#jobs.find((candidate) => candidate.id === id)
    return job === undefined
      ? this.#error(404, `Import ${id} not found.`)
      : { status: 200, body: this.#resource(job, now) }
  }

  /** `GET /imports/?limit=N`: the newest first. */
  list(limit: number, now: number): ImportReply {
    this.stats.lists += 1
    const newest = [...this.#jobs].reverse().slice(0, Math.max(0, limit))
    return { status: 200, body: newest.map((job) => this.#resource(job, now)) }
  }

  /** Imports of another integration, each taking `durationMs` once started, ahead of ours. */
  addForeign(count: number, durationMs: number, now: number): void {
    for (let i = 0; i < count; i += 1)
      this.#enqueue(
        {
          type: 'contacts',
          overrideExisting: false,
          updateOnlyEmptyFields: false,
          delimiter: ',',
          fileName: 'other-integration.csv',
          columns: ['_email'],
          rows: [],
          valid: [],
          foreign: true,
        },
        now,
        durationMs,
      )
  }

  /** The next imports created end this way instead of `finished` (nothing imported). */
  failNext(...endings: ('error' | 'cancelled')[]): void {
    this.#endings.push(...endings)
  }

  /** Rows it refuses count as the import's errors (Connectif's error report). */
  setRowFilter(filter: ((type: string, row: Readonly<Row>) => boolean) | null): void {
    this.#rowFilter = filter
  }

  views(now: number): SimulatorImportView[] {
    return this.#jobs.map((job) => ({
      id: job.id,
      type: job.type,
      overrideExisting: job.overrideExisting,
      fileName: job.fileName,
      rows: job.rows.length,
      foreign: job.foreign,
      status: this.#status(job, now),
      columns: job.columns,
    }))
  }

  async #create(contentType: string, body: Buffer, now: number): Promise<ImportReply> {
    if (!/^multipart\/form-data\b/i.test(contentType))
      return this.#error(415, 'An import is sent as multipart/form-data.')
    let form: FormData
    try {
      form = await new Request('http://simulator/imports/', {
        method: 'POST',
        headers: { 'content-type': contentType },
        body,
      }).formData()
    } catch {
      return this.#invalid([{ path: 'body', reason: 'is not a valid multipart/form-data body' }])
    }
    const field = (name: string): string | null => {
      const value = form.get(name)
      return typeof value === 'string' ? value : null
    }
    const problems: { path: string; reason: string }[] = []
    const type = field('type')
    if (type !== 'contacts' && type !== 'products')
      problems.push({
        path: 'type',
        reason:
          type === 'coupons'
            ? 'coupons are not simulated'
            : 'must be one of contacts, products, coupons',
      })
    const overrideExisting = booleanField(field('overrideExisting'), false)
    const updateOnlyEmptyFields = booleanField(field('updateOnlyEmptyFields'), false)
    if (overrideExisting === null) problems.push({ path: 'overrideExisting', reason: 'boolean' })
    if (updateOnlyEmptyFields === null)
      problems.push({ path: 'updateOnlyEmptyFields', reason: 'boolean' })
    if (updateOnlyEmptyFields === true && overrideExisting !== true)
      problems.push({
        path: 'updateOnlyEmptyFields',
        reason: 'may only be true with overrideExisting',
      })
    const delimiter = field('delimiter') ?? ','
    if (delimiter !== ',' && delimiter !== ';')
      problems.push({ path: 'delimiter', reason: 'must be "," or ";"' })
    const file = form.get('file')
    if (!(file instanceof Blob)) problems.push({ path: 'file', reason: 'is required' })
    else if (!/^text\/csv\b/i.test(file.type))
      problems.push({ path: 'file', reason: 'must be sent as text/csv' })
    if (problems.length > 0 || !(file instanceof Blob) || type === null)
      return this.#invalid(problems)
    if (file.size > this.#maxFileBytes)
      return this.#error(413, `The file has ${file.size} bytes; at most ${this.#maxFileBytes}.`)

    let columns: string[] = []
    let rows: Row[]
    try {
      rows = parse<Row>(await file.text(), {
        delimiter,
        bom: true,
        skip_empty_lines: true,
        columns: (header: string[]) => (columns = header.map((name) => name.trim())),
      })
    } catch (failure) {
      return this.#invalid([{ path: 'file', reason: `is not valid CSV: ${String(failure)}` }])
    }
    const missing = (REQUIRED_COLUMNS[type] ?? []).filter((column) => !columns.includes(column))
    if (missing.length > 0)
      return this.#invalid(missing.map((column) => ({ path: 'file', reason: `lacks ${column}` })))
    if (rows.length === 0) return this.#invalid([{ path: 'file', reason: 'has no rows' }])

    const queued = this.#jobs.filter((job) => this.#status(job, now) === 'queued').length
    if (queued >= this.#maxQueued)
      return this.#error(400, `There are already ${queued} imports queued for this account.`, {
        code: IMPORT_QUEUE_FULL_CODE,
      })

    const filter = this.#rowFilter
    const valid = rows.map((row) => validRow(type, row) && (filter === null || filter(type, row)))
    const job = this.#enqueue(
      {
        type,
        overrideExisting: overrideExisting === true,
        updateOnlyEmptyFields: updateOnlyEmptyFields === true,
        delimiter,
        fileName: file instanceof File ? file.name : 'import.csv',
        columns,
        rows,
        valid,
        foreign: false,
      },
      now,
      this.#rowsPerSecond === Infinity ? 0 : (rows.length / this.#rowsPerSecond) * 1000,
    )
    this.advance(now)
    return { status: 201, body: this.#resource(job, now) }
  }

  #enqueue(
    spec: Omit<Job, 'id' | 'createdAt' | 'startAt' | 'finishAt' | 'ending' | 'applied'>,
    now: number,
    durationMs: number,
  ): Job {
    const startAt = Math.max(now + this.#queuedMs, this.#busyUntil)
    const finishAt = startAt + Math.ceil(durationMs)
    this.#busyUntil = finishAt
    const job: Job = {
      ...spec,
      id: this.#newId(),
      createdAt: now,
      startAt,
      finishAt,
      ending: spec.foreign ? null : (this.#endings.shift() ?? null),
      applied: false,
    }
    this.#jobs.push(job)
    return job
  }

  #status(job: Job, now: number): SimulatorImportStatus {
    if (now < job.startAt) return 'queued'
    if (now < job.finishAt) return 'inProgress'
    return job.ending ?? 'finished'
  }

  #resource(job: Job, now: number): Record<string, unknown> {
    const status = this.#status(job, now)
    // Rows are taken in file order at an even pace; an import that ends badly reports none.
    const done =
      status === 'queued' || job.ending !== null
        ? 0
        : status === 'inProgress'
          ? Math.floor(
              (job.rows.length * (now - job.startAt)) / Math.max(1, job.finishAt - job.startAt),
            )
          : job.rows.length
    const success = job.valid.slice(0, done).filter(Boolean).length
    const errors = done - success
    const final = status !== 'queued' && status !== 'inProgress'
    return {
      id: job.id,
      type: job.type,
      options: {
        overrideExisting: job.overrideExisting,
        updateOnlyEmptyFields: job.updateOnlyEmptyFields,
        delimiter: job.delimiter,
      },
      origin: job.foreign ? 'ui' : 'api',
      status,
      total: job.rows.length,
      success,
      errors,
      ...(final && errors > 0
        ? { errorReportFileUrl: `https://files.connectif.test/imports/${job.id}/errors.csv` }
        : {}),
      createdAt: new Date(job.createdAt).toISOString(),
      ...(now >= job.startAt ? { startedAt: new Date(job.startAt).toISOString() } : {}),
      ...(final ? { finishedAt: new Date(job.finishAt).toISOString() } : {}),
    }
  }

  #apply(job: Job): void {
    job.rows.forEach((row, index) => {
      if (!job.valid[index]) return
      if (job.type === 'contacts') {
        const email = (row['_email'] ?? '').trim().toLowerCase()
        this.#merge(this.#account.contacts, email, contactFields(row), job)
      } else if (job.type === 'products') {
        const productId = (row['productId'] ?? '').trim()
        this.#merge(this.#account.products, productId, productFields(row), job)
      }
    })
  }

  /** New items are created; existing ones change only when the import overrides them. */
  #merge(
    items: Map<string, Record<string, unknown>>,
    key: string,
    fields: Record<string, unknown>,
    job: Job,
  ): void {
    const existing = items.get(key)
    if (existing === undefined) {
      items.set(key, fields)
      return
    }
    if (!job.overrideExisting) return
    const merged = { ...existing }
    for (const [name, value] of Object.entries(fields)) {
      const current = merged[name]
      if (job.updateOnlyEmptyFields && current !== undefined && current !== '') continue
      merged[name] = value
    }
    items.set(key, merged)
  }

  #invalid(problems: readonly { path: string; reason: string }[]): ImportReply {
    return this.#error(422, 'The import is not valid.', { validationErrors: problems })
  }
}

/** `"true"`/`"false"`, `fallback` when absent, null for anything else. */
function booleanField(value: string | null, fallback: boolean): boolean | null {
  if (value === null) return fallback
  if (value === 'true') return true
  if (value === 'false') return false
  return null
}

function validRow(type: string, row: Readonly<Row>): boolean {
  if (type === 'contacts') return EMAIL.test((row['_email'] ?? '').trim())
  const price = Number(row['unitPrice'])
  const availability = (row['availability'] ?? '').trim()
  const blacklisted = (row['isBlacklisted'] ?? '').trim()
  return (
    (availability === '' || AVAILABILITIES.has(availability)) &&
    (blacklisted === '' || booleanField(blacklisted, false) !== null) &&
    (row['productId'] ?? '').trim() !== '' &&
    (row['name'] ?? '').trim() !== '' &&
    (row['unitPrice'] ?? '').trim() !== '' &&
    Number.isFinite(price) &&
    URL.canParse((row['productDetailUrl'] ?? '').trim())
  )
}

/** A contact's fields as a PATCH would set them: the row's non-empty cells but the e-mail. */
function contactFields(row: Readonly<Row>): Record<string, unknown> {
  const fields: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(row))
    if (name !== '_email' && value.trim() !== '') fields[name] = value.trim()
  return fields
}

/** A product's fields as a PATCH would set them: numbers as numbers, lists split on `|`. */
function productFields(row: Readonly<Row>): Record<string, unknown> {
  const fields: Record<string, unknown> = {}
  for (const [name, raw] of Object.entries(row)) {
    const value = raw.trim()
    if (name === 'productId' || value === '') continue
    if (NUMERIC_PRODUCT_FIELDS.has(name)) fields[name] = Number(value)
    else if (BOOLEAN_PRODUCT_FIELDS.has(name)) fields[name] = value === 'true'
    else if (LIST_PRODUCT_FIELDS.has(name))
      fields[name] = value.split('|').map((part) => part.trim())
    else fields[name] = value
  }
  return fields
}
