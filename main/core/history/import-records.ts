/**
 * The Connectif imports of a sending (`sending_imports`) and the contacts and products our
 * imports brought into each account (`connectif_items`): what a resumed sending needs so that it
 * never imports twice, what a later sending needs to import only what is new, and what the
 * sending's page and report show of the preparing step. HistoryStore decides the transactions.
 */
import type Database from 'better-sqlite3'

export type ImportRecordType = 'contacts' | 'products'

/**
 * Connectif's states of an import, and ours: `abandoned` (it never finished while the sending
 * waited; it may still finish at Connectif) and `not_created` (Connectif did not take it).
 */
export type ImportRecordStatus =
  'queued' | 'inProgress' | 'finished' | 'error' | 'cancelled' | 'abandoned' | 'not_created'

/** Why a sending fell back to creating contacts or products one by one. */
export type ImportNoticeCode =
  /** 403: the key lacks the Imports permission. */
  | 'imports_not_allowed'
  /** The import ended in `error` or `cancelled`, or Connectif lost it. */
  | 'import_failed'
  /** Connectif's queue of imports stayed full (400) through every retry. */
  | 'import_queue_full'
  /** Connectif refused the file (413, 415, 422…). */
  | 'import_refused'
  /** Connectif did not answer (5xx, network) through the retries. */
  | 'import_unavailable'
  /** The import did not finish in the time the sending waits for one. */
  | 'import_timeout'

export interface ImportNotice {
  readonly code: ImportNoticeCode
  /** English; `params` has every variable part of it, for the screens to say it themselves. */
  readonly message: string
  readonly params: Readonly<Record<string, string>>
}

export interface ImportRecord {
  readonly id: number
  readonly sendingId: number
  /** The account's fingerprint (main/core/connectif/account-key.ts). */
  readonly account: string
  /** `main` or a routing target's label, as progress and reports name the account. */
  readonly target: string
  readonly type: ImportRecordType
  /** 1 of 1, unless the file was split past Connectif's size limit. */
  readonly part: number
  readonly parts: number
  /** Contacts or products in the file. */
  readonly items: number
  /** Connectif's id; null when Connectif did not create it. */
  readonly importId: string | null
  readonly status: ImportRecordStatus
  readonly total: number | null
  readonly success: number | null
  readonly errors: number | null
  readonly errorReportUrl: string | null
  readonly notice: ImportNotice | null
  readonly createdAt: string
  readonly updatedAt: string
  readonly finishedAt: string | null
}

export interface NewImportRecord {
  readonly account: string
  readonly target: string
  readonly type: ImportRecordType
  readonly part: number
  readonly parts: number
  readonly items: number
  readonly importId: string | null
  readonly status: ImportRecordStatus
  readonly total?: number | null
  readonly success?: number | null
  readonly errors?: number | null
  readonly notice?: ImportNotice | null
}

export interface ImportRecordUpdate {
  readonly status: ImportRecordStatus
  readonly total?: number | null
  readonly success?: number | null
  readonly errors?: number | null
  readonly errorReportUrl?: string | null
  readonly notice?: ImportNotice | null
}

/** `contact` (a lower-cased e-mail) or `product` (a product id). */
export type KnownItemKind = 'contact' | 'product'

const FINAL: ReadonlySet<ImportRecordStatus> = new Set([
  'finished',
  'error',
  'cancelled',
  'abandoned',
  'not_created',
])

interface ImportRow {
  id: number
  sending_id: number
  account: string
  target: string
  type: ImportRecordType
  part: number
  parts: number
  items: number
  import_id: string | null
  status: ImportRecordStatus
  total: number | null
  success: number | null
  errors: number | null
  error_report_url: string | null
  notice_code: ImportNoticeCode | null
  notice_message: string | null
  notice_params: string | null
  created_at: string
  updated_at: string
  finished_at: string | null
}

function prepareStatements(db: Database.Database) {
  return {
    insert: db.prepare<
      {
        sendingId: number
        account: string
        target: string
        type: string
        part: number
        parts: number
        items: number
        importId: string | null
        status: string
        total: number | null
        success: number | null
        errors: number | null
        noticeCode: string | null
        noticeMessage: string | null
        noticeParams: string | null
        now: string
        finishedAt: string | null
      },
      ImportRow
    >(
      `INSERT INTO sending_imports (sending_id, account, target, type, part, parts, items,
         import_id, status, total, success, errors, notice_code, notice_message, notice_params,
         created_at, updated_at, finished_at)
       VALUES (@sendingId, @account, @target, @type, @part, @parts, @items, @importId, @status,
         @total, @success, @errors, @noticeCode, @noticeMessage, @noticeParams, @now, @now,
         @finishedAt)
       RETURNING *`,
    ),
    update: db.prepare<
      {
        id: number
        status: string
        total: number | null
        success: number | null
        errors: number | null
        errorReportUrl: string | null
        noticeCode: string | null
        noticeMessage: string | null
        noticeParams: string | null
        now: string
        final: 0 | 1
      },
      ImportRow
    >(
      // A notice, once given, stays: a later poll without one does not erase why it fell back.
      `UPDATE sending_imports SET status = @status, total = coalesce(@total, total),
         success = coalesce(@success, success), errors = coalesce(@errors, errors),
         error_report_url = coalesce(@errorReportUrl, error_report_url),
         notice_code = coalesce(@noticeCode, notice_code),
         notice_message = coalesce(@noticeMessage, notice_message),
         notice_params = coalesce(@noticeParams, notice_params),
         updated_at = @now,
         finished_at = CASE WHEN @final = 1 THEN coalesce(finished_at, @now) ELSE NULL END
       WHERE id = @id
       RETURNING *`,
    ),
    ofSending: db.prepare<[number], ImportRow>(
      `SELECT * FROM sending_imports WHERE sending_id = ? ORDER BY id`,
    ),
    known: db.prepare<[string, string, string], { item: string }>(
      `SELECT items.value AS item FROM json_each(?) AS items
       WHERE EXISTS (SELECT 1 FROM connectif_items
         WHERE account = ? AND kind = ? AND item = items.value)`,
    ),
    remember: db.prepare<[string, string, string, string]>(
      `INSERT INTO connectif_items (account, kind, item, known_at)
       SELECT ?, ?, items.value, ? FROM json_each(?) AS items WHERE true
       ON CONFLICT (account, kind, item) DO NOTHING`,
    ),
  }
}

/** Items looked up or written per statement: one JSON array parameter each. */
const ITEMS_CHUNK = 5_000

export class ImportRecords {
  readonly #sql: ReturnType<typeof prepareStatements>
  readonly #now: () => string

  constructor(db: Database.Database, options: { readonly now: () => string }) {
    this.#sql = prepareStatements(db)
    this.#now = options.now
  }

  record(sendingId: number, input: NewImportRecord): ImportRecord {
    const notice = input.notice ?? null
    const now = this.#now()
    return toImportRecord(
      this.#sql.insert.get({
        sendingId,
        account: input.account,
        target: input.target,
        type: input.type,
        part: input.part,
        parts: input.parts,
        items: input.items,
        importId: input.importId,
        status: input.status,
        total: input.total ?? null,
        success: input.success ?? null,
        errors: input.errors ?? null,
        noticeCode: notice?.code ?? null,
        noticeMessage: notice?.message ?? null,
        noticeParams: notice === null ? null : JSON.stringify(notice.params),
        now,
        finishedAt: FINAL.has(input.status) ? now : null,
      })!,
    )
  }

  /** The row as it is now; undefined when there is no such import. */
  update(id: number, change: ImportRecordUpdate): ImportRecord | undefined {
    const notice = change.notice ?? null
    const row = this.#sql.update.get({
      id,
      status: change.status,
      total: change.total ?? null,
      success: change.success ?? null,
      errors: change.errors ?? null,
      errorReportUrl: change.errorReportUrl ?? null,
      noticeCode: notice?.code ?? null,
      noticeMessage: notice?.message ?? null,
      noticeParams: notice === null ? null : JSON.stringify(notice.params),
      now: this.#now(),
      final: FINAL.has(change.status) ? 1 : 0,
    })
    return row === undefined ? undefined : toImportRecord(row)
  }

  ofSending(sendingId: number): ImportRecord[] {
    return this.#sql.ofSending.all(sendingId).map(toImportRecord)
  }

  /** Those of `items` an import of ours brought into `account`. */
  known(account: string, kind: KnownItemKind, items: readonly string[]): Set<string> {
    const known = new Set<string>()
    for (let start = 0; start < items.length; start += ITEMS_CHUNK) {
      const chunk = JSON.stringify(items.slice(start, start + ITEMS_CHUNK))
      for (const row of this.#sql.known.all(chunk, account, kind)) known.add(row.item)
    }
    return known
  }

  /** Inside a write transaction: `items` are in `account` now. */
  remember(account: string, kind: KnownItemKind, items: readonly string[]): void {
    const now = this.#now()
    for (let start = 0; start < items.length; start += ITEMS_CHUNK)
      this.#sql.remember.run(
        account,
        kind,
        now,
        JSON.stringify(items.slice(start, start + ITEMS_CHUNK)),
      )
  }
}

/** Whether an import's state can no longer change. */
export function isFinalImportStatus(status: ImportRecordStatus): boolean {
  return FINAL.has(status)
}

function toImportRecord(row: ImportRow): ImportRecord {
  return {
    id: row.id,
    sendingId: row.sending_id,
    account: row.account,
    target: row.target,
    type: row.type,
    part: row.part,
    parts: row.parts,
    items: row.items,
    importId: row.import_id,
    status: row.status,
    total: row.total,
    success: row.success,
    errors: row.errors,
    errorReportUrl: row.error_report_url,
    notice:
      row.notice_code === null || row.notice_message === null
        ? null
        : {
            code: row.notice_code,
            message: row.notice_message,
            params:
              row.notice_params === null
                ? {}
                : (JSON.parse(row.notice_params) as Record<string, string>),
          },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  }
}
