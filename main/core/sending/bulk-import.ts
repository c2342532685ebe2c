/**
 * The importing half of a sending's preparing step: once the whole range is in the history, the
 * contacts and products its pending orders need are created through Connectif's Import API —
 * one import per type and account (more only past Connectif's file size limit) — instead of one
 * request each while sending (docs/connectif-api.md §13).
 *
 * - Only what may be missing is imported: the items our earlier imports brought into the account
 *   (HistoryStore.knownItems) are left out, and with nothing left nothing is imported.
 * - Every import is recorded as soon as Connectif answers its creation, and its state as it
 *   changes, so a resumed sending watches the imports it made instead of making them again.
 * - Connectif is asked how an import is doing at most once every 5 s per account, less often
 *   while nothing changes, and about one import at a time (an account works through its imports
 *   one after another); only `GET /imports/{id}`.
 * - Anything short of a finished import falls back to today's path: the orders whose contact or
 *   products are still missing get E0101/E0102 and order-delivery creates them one by one. The
 *   fallback is recorded with a notice (and sent as an event): a key without the Imports
 *   permission (403), an import ending in `error` or `cancelled`, a file Connectif refuses, a
 *   queue that stays full, an import that never finishes.
 * - A full queue (400: ten imports already queued for the account) is waited out: the import is
 *   tried again after 30 s, 1, 2, 4 and 5 minutes, as Connectif works through the queue, and
 *   falls back after that.
 * - A wrong key (401) stops the sending as it would at its first purchase.
 */
import type { Clock } from '../clock'
import type {
  ConnectifApi,
  ConnectifImport,
  ImportCallResult,
  ImportType,
} from '../connectif/connectif-api'
import type {
  HistoryStore,
  ImportNotice,
  ImportNoticeCode,
  ImportRecord,
} from '../history/history-store'
import type { SendingRecord } from '../history/history-types'
import { isFinalImportStatus } from '../history/import-records'
import { authFailure } from './order-delivery'
import {
  collectItems,
  importFiles,
  itemKindOf,
  type AccountItems,
  type ImportPart,
} from './import-files'
import type { PreparingState } from './progress-reporter'
import type { PreparingEvent } from './sending-events'

/** The shortest time between two questions to Connectif about an account's imports. */
export const IMPORT_POLL_MIN_MS = 5_000
/** The longest: an import that takes long is still noticed within a minute of its end. */
export const IMPORT_POLL_MAX_MS = 60_000
/** How long a sending waits for one import before it falls back. */
export const IMPORT_WAIT_MAX_MS = 60 * 60_000
/** The waits before each new try of an import refused because the queue was full. */
export const QUEUE_FULL_RETRY_MS: readonly number[] = [30_000, 60_000, 120_000, 240_000, 300_000]
/** Polls in a row that got no answer (after the client's own retries) before it falls back. */
const POLL_FAILURES_MAX = 5
/** While nothing changes, each wait is this much longer than the last. */
const POLL_BACKOFF = 1.5

export interface ImportAccount {
  readonly api: ConnectifApi
  /** `main` or the target's label. */
  readonly label: string
}

export interface BulkImportContext {
  readonly history: HistoryStore
  readonly clock: Clock
  readonly sending: SendingRecord
  /** The client and label of a target's account; null for the main account. */
  readonly accountOf: (targetId: string | null) => ImportAccount
  /** A routed sending names the account in its events. */
  readonly routed: boolean
  readonly signal: AbortSignal
  /** The import under way, for the throttled preparing events. */
  readonly onStep: (state: PreparingState) => void
  /** A fallback, said at once. */
  readonly onNotice: (event: Omit<PreparingEvent, 'type' | 'sendingId'>) => void
}

/** The imports of one type into one account: its files and its records, part by part. */
interface TypePlan {
  readonly type: ImportType
  readonly parts: readonly ImportPart[]
  /** By part number (1…). */
  readonly records: Map<number, ImportRecord>
}

/**
 * Imports what the sending's pending orders may lack, per account, and waits for the imports to
 * end. Resolves when every import is over (finished, or fallen back); rejects with the signal's
 * reason when the sending stops, or a FatalSendingError for a refused key.
 */
export async function importBeforeSending(context: BulkImportContext): Promise<void> {
  const { sending, history } = context
  const types: ImportType[] = [
    ...(sending.options.createContacts ? (['contacts'] as const) : []),
    ...(sending.options.createProducts ? (['products'] as const) : []),
  ]
  if (types.length === 0) return
  const records = history.importsOf(sending.id)
  const groups = collectItems(
    history,
    sending.id,
    (targetId) => context.accountOf(targetId).api.accountKey,
  )
  await Promise.all(
    groups.map((group) =>
      new AccountImports(
        context,
        group,
        records.filter((r) => r.account === group.account),
      ).run(types),
    ),
  )
}

/** One account's imports: made (or found in the history), then watched to their end. */
class AccountImports {
  readonly #context: BulkImportContext
  readonly #group: AccountItems
  readonly #recorded: readonly ImportRecord[]
  readonly #api: ConnectifApi
  readonly #label: string
  /**
   * Set by a 403 (the key may not import) or a queue that stayed full through every retry: no
   * other type is tried for the account, it would meet the same answer.
   */
  #refusal: ImportNotice | null
  /** When this run last asked Connectif something about the account's imports. */
  #lastCall = -Infinity

  constructor(context: BulkImportContext, group: AccountItems, recorded: readonly ImportRecord[]) {
    this.#context = context
    this.#group = group
    this.#recorded = recorded
    const { api, label } = context.accountOf(group.targetId)
    this.#api = api
    this.#label = label
    this.#refusal =
      recorded.find(
        (record) =>
          record.notice?.code === 'imports_not_allowed' ||
          record.notice?.code === 'import_queue_full',
      )?.notice ?? null
  }

  async run(types: readonly ImportType[]): Promise<void> {
    const plans: TypePlan[] = []
    for (const type of types) {
      const plan = this.#plan(type)
      if (plan === null) continue
      plans.push(plan)
      await this.#create(plan)
    }
    await this.#watch(plans)
  }

  /**
   * The files of a type: its items the account may lack, split as before, so a resumed sending
   * finds its recorded parts again (nothing is sent, nor remembered, until its imports end).
   */
  #plan(type: ImportType): TypePlan | null {
    const kind = itemKindOf(type)
    const items = type === 'contacts' ? this.#group.contacts : this.#group.products
    const known = this.#context.history.knownItems(this.#group.account, kind, [...items.keys()])
    const missing: AccountItems = {
      ...this.#group,
      contacts: type === 'contacts' ? without(this.#group.contacts, known) : new Map(),
      products: type === 'products' ? without(this.#group.products, known) : new Map(),
    }
    const parts = importFiles(type, missing)
    const records = new Map(
      this.#recorded.filter((record) => record.type === type).map((r) => [r.part, r]),
    )
    if (parts.length === 0 && records.size === 0) return null
    return { type, parts, records }
  }

  async #create(plan: TypePlan): Promise<void> {
    // A type that fell back before stays that way: its orders are already on the other path.
    if ([...plan.records.values()].some((record) => isFallback(record))) return
    const count = plan.parts.reduce((sum, part) => sum + part.keys.length, 0)
    for (const [index, part] of plan.parts.entries()) {
      const number = index + 1
      if (plan.records.has(number)) continue
      this.#step({ what: plan.type, count })
      const record =
        this.#refusal === null
          ? await this.#createPart(plan, part, number)
          : this.#notCreated(plan, part, number, this.#refusal)
      plan.records.set(number, record)
      if (isFallback(record)) return
    }
  }

  async #createPart(plan: TypePlan, part: ImportPart, number: number): Promise<ImportRecord> {
    const { clock, signal, sending } = this.#context
    const parts = plan.parts.length
    const fileName = `purchase-sender-${sending.id}-${plan.type}${parts > 1 ? `-${number}-of-${parts}` : ''}.csv`
    for (let retry = 0; ; retry += 1) {
      // Finish in flight: an import Connectif created must be recorded, or a resume makes it again.
      const result = await this.#api.createImport(
        { type: plan.type, csv: part.csv, fileName },
        { signal, finishInFlight: true },
      )
      this.#lastCall = clock.now()
      const outcome = result.outcome
      if (outcome.kind === 'accepted') {
        const record = this.#context.history.recordImport(sending.id, {
          ...this.#base(plan, part, number),
          importId: outcome.import.id,
          status: outcome.import.status,
          total: outcome.import.total,
          success: outcome.import.success,
          errors: outcome.import.errors,
        })
        this.#step({
          what: plan.type,
          count: part.keys.length,
          status: outcome.import.status,
          ...done(outcome.import),
        })
        signal.throwIfAborted()
        return record
      }
      signal.throwIfAborted()
      if (outcome.kind === 'auth_failed') throw authFailure(401, result, this.#accountName())
      const delay = QUEUE_FULL_RETRY_MS[retry]
      if (outcome.kind === 'queue_full' && delay !== undefined) {
        await clock.sleep(delay, signal)
        continue
      }
      const notice = this.#notice(noticeCodeOf(outcome.kind), plan.type, result)
      if (outcome.kind === 'not_allowed' || outcome.kind === 'queue_full') this.#refusal = notice
      return this.#notCreated(plan, part, number, notice)
    }
  }

  #notCreated(plan: TypePlan, part: ImportPart, number: number, notice: ImportNotice) {
    const record = this.#context.history.recordImport(this.#context.sending.id, {
      ...this.#base(plan, part, number),
      importId: null,
      status: 'not_created',
      notice,
    })
    this.#say(plan.type, part.keys.length, notice)
    return record
  }

  #base(plan: TypePlan, part: ImportPart, number: number) {
    return {
      account: this.#group.account,
      target: this.#label,
      type: plan.type,
      part: number,
      parts: plan.parts.length,
      items: part.keys.length,
    }
  }

  /**
   * Asks Connectif about the unfinished imports, the oldest first, until each has ended; then
   * remembers the items of every type whose imports all finished.
   */
  async #watch(plans: readonly TypePlan[]): Promise<void> {
    const { clock, signal } = this.#context
    const waiting = plans
      .flatMap((plan) => [...plan.records.values()].map((record) => ({ plan, record })))
      .filter(({ record }) => !isFinalImportStatus(record.status))
      .sort((a, b) => a.record.id - b.record.id)
    for (const plan of plans) this.#settle(plan)
    let interval = IMPORT_POLL_MIN_MS
    let failures = 0
    let seen: { readonly at: number; readonly done: number } | null = null
    let since = clock.now()
    for (;;) {
      const head = waiting[0]
      if (head === undefined) return
      const { plan, record } = head
      const wait = this.#lastCall + interval - clock.now()
      if (wait > 0) await clock.sleep(wait, signal)
      const result = await this.#api.getImport(record.importId ?? '', { signal })
      this.#lastCall = clock.now()
      const outcome = result.outcome
      if (outcome.kind === 'auth_failed') throw authFailure(401, result, this.#accountName())
      let ended: ImportRecord | null = null
      if (outcome.kind === 'accepted') {
        failures = 0
        const answer = outcome.import
        const final = isFinalImportStatus(answer.status)
        const failed = answer.status === 'error' || answer.status === 'cancelled'
        const notice = failed ? this.#notice('import_failed', plan.type, result, answer) : null
        const updated = this.#update(record, answer.status, answer, notice)
        plan.records.set(record.part, updated)
        this.#step({
          what: plan.type,
          count: record.items,
          status: answer.status,
          ...done(answer),
        })
        if (notice !== null) this.#say(plan.type, record.items, notice)
        if (final) ended = updated
        else {
          const now = clock.now()
          const processed = done(answer).done
          interval = nextInterval(interval, answer, processed, seen, now)
          seen = processed === undefined ? null : { at: now, done: processed }
          if (now - since >= IMPORT_WAIT_MAX_MS)
            ended = this.#abandon(plan, record, this.#notice('import_timeout', plan.type, result))
        }
      } else if (outcome.kind === 'unavailable' && ++failures < POLL_FAILURES_MAX) {
        interval = Math.min(IMPORT_POLL_MAX_MS, interval * 2)
      } else {
        const code: ImportNoticeCode =
          outcome.kind === 'unavailable'
            ? 'import_unavailable'
            : outcome.kind === 'not_allowed'
              ? 'imports_not_allowed'
              : 'import_failed'
        ended = this.#abandon(plan, record, this.#notice(code, plan.type, result))
      }
      if (ended !== null) {
        waiting.shift()
        this.#settle(plan)
        interval = IMPORT_POLL_MIN_MS
        failures = 0
        seen = null
        since = clock.now()
      }
    }
  }

  #update(
    record: ImportRecord,
    status: ImportRecord['status'],
    answer: ConnectifImport | null,
    notice: ImportNotice | null,
  ): ImportRecord {
    return this.#context.history.updateImport(record.id, {
      status,
      ...(answer === null
        ? {}
        : {
            total: answer.total,
            success: answer.success,
            errors: answer.errors,
            errorReportUrl: answer.errorReportFileUrl,
          }),
      notice,
    })
  }

  #abandon(plan: TypePlan, record: ImportRecord, notice: ImportNotice): ImportRecord {
    const updated = this.#update(record, 'abandoned', null, notice)
    plan.records.set(record.part, updated)
    this.#say(plan.type, record.items, notice)
    return updated
  }

  /**
   * When every part of a type has finished, its items are in the account: later sendings leave
   * them out. (Rows Connectif refused are among them; the sending still creates one by one what
   * a purchase finds missing.)
   */
  #settle(plan: TypePlan): void {
    if (plan.parts.length === 0) return
    for (let number = 1; number <= plan.parts.length; number += 1)
      if (plan.records.get(number)?.status !== 'finished') return
    this.#context.history.rememberItems(
      this.#group.account,
      itemKindOf(plan.type),
      plan.parts.flatMap((part) => part.keys),
    )
  }

  #notice(
    code: ImportNoticeCode,
    type: ImportType,
    result: ImportCallResult,
    answer?: ConnectifImport,
  ): ImportNotice {
    const account = this.#label
    const where = this.#context.routed ? ` of the Connectif account ${account}` : ''
    const what = type === 'contacts' ? 'contacts' : 'products'
    const after = `Missing ${what}${where} are created one by one while sending instead (slower).`
    const id = answer?.id ?? ''
    const messages: Record<ImportNoticeCode, string> = {
      imports_not_allowed: `The API key${where} lacks the Imports permission (403). ${after} Give the key the Imports permission to create them in bulk.`,
      import_failed:
        answer === undefined
          ? `Connectif lost the import of ${what}${where}: ${result.message} ${after}`
          : `Connectif's import ${id} of ${what}${where} ended as ${answer.status}. ${after}`,
      import_queue_full: `Connectif kept more than 10 imports queued for the account${where} through every retry. ${after}`,
      import_refused: `Connectif refused the import of ${what}${where}: ${result.message} ${after}`,
      import_unavailable: `Connectif did not answer about the import of ${what}${where}: ${result.message} ${after}`,
      import_timeout: `Connectif's import of ${what}${where} did not finish within ${IMPORT_WAIT_MAX_MS / 60_000} minutes. ${after}`,
    }
    return {
      code,
      message: messages[code],
      params: {
        account,
        type,
        ...(id === '' ? {} : { importId: id }),
        ...(answer === undefined ? {} : { status: answer.status }),
        ...(result.status === null ? {} : { httpStatus: String(result.status) }),
      },
    }
  }

  #say(type: ImportType, count: number, notice: ImportNotice): void {
    this.#context.onNotice({
      step: 'importing',
      what: type,
      count,
      ...this.#accountField(),
      notice,
    })
  }

  #step(state: { what: ImportType; count: number } & Partial<PreparingEvent>): void {
    this.#context.onStep({ step: 'importing', ...state, ...this.#accountField() })
  }

  #accountField(): { account?: string } {
    return this.#context.routed ? { account: this.#label } : {}
  }

  /** As authFailure names it: null for a profile with one account. */
  #accountName(): string | null {
    return this.#context.routed ? this.#label : null
  }
}

function without<T>(items: ReadonlyMap<string, T>, known: ReadonlySet<string>): Map<string, T> {
  return new Map([...items].filter(([key]) => !known.has(key)))
}

function isFallback(record: ImportRecord): boolean {
  return isFinalImportStatus(record.status) && record.status !== 'finished'
}

function noticeCodeOf(kind: ImportCallResult['outcome']['kind']): ImportNoticeCode {
  if (kind === 'not_allowed') return 'imports_not_allowed'
  if (kind === 'queue_full') return 'import_queue_full'
  if (kind === 'unavailable') return 'import_unavailable'
  return 'import_refused'
}

function done(answer: ConnectifImport): { done?: number } {
  if (answer.success === null && answer.errors === null) return {}
  return { done: (answer.success ?? 0) + (answer.errors ?? 0) }
}

/**
 * The wait before the next question: at Connectif's pace when an import in progress shows one
 * (the time its rows left should take), else longer each time, within 5 s to a minute.
 */
function nextInterval(
  interval: number,
  answer: ConnectifImport,
  processed: number | undefined,
  seen: { readonly at: number; readonly done: number } | null,
  now: number,
): number {
  const clamp = (ms: number): number =>
    Math.min(IMPORT_POLL_MAX_MS, Math.max(IMPORT_POLL_MIN_MS, ms))
  if (
    answer.status === 'inProgress' &&
    answer.total !== null &&
    processed !== undefined &&
    seen !== null &&
    processed > seen.done &&
    now > seen.at
  ) {
    const perMs = (processed - seen.done) / (now - seen.at)
    return clamp((answer.total - processed) / perMs)
  }
  return clamp(interval * POLL_BACKOFF)
}
