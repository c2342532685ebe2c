/**
 * What the screens say of a sending's preparing step: the line of the step under way ("Importing
 * 1,204 contacts into Connectif…") and the notices of the imports that fell back to creating
 * contacts or products one by one. Pure: the progress window and a sending's page share it.
 */
import type { TFunction } from 'i18next'
import type { ImportView } from '../../../preload/contract'
import type { PreparingEventView } from '../../api/sending-events'
import { accountName, conditionName, formatNumber } from '../format'

/** A notice of the preparing step, from a live event or from the history's imports. */
export interface ImportNoticeItem {
  /** The same notice heard live and read from the history has the same key. */
  readonly key: string
  readonly code: string
  /** English: said when the code has no translation. */
  readonly message: string
  readonly params: Readonly<Record<string, string>>
  /** What the import was to create: `contacts` or `products`. */
  readonly what: string
  /** Routed sendings: the account (`main` or a target's label); null otherwise. */
  readonly account: string | null
}

/**
 * The translation of each code. A 403 says what the profile's connection check already says of
 * the key (the permission covers contacts and products alike), so it reuses that text.
 */
const NOTICE_KEYS: Readonly<Record<string, string>> = {
  imports_not_allowed: 'connectionCheck.warnings.imports_not_allowed',
  import_failed: 'importNotices.import_failed',
  import_queue_full: 'importNotices.import_queue_full',
  import_refused: 'importNotices.import_refused',
  import_unavailable: 'importNotices.import_unavailable',
  import_timeout: 'importNotices.import_timeout',
}

function noticeItem(
  notice: { code: string; message: string; params: Readonly<Record<string, string>> },
  what: string,
  account: string | null,
): ImportNoticeItem {
  // A 403 or a full queue is met once per account and the same notice recorded for every type:
  // keyed by its code and its params, it shows once however often it is heard.
  const params = Object.entries(notice.params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return {
    key: `${notice.code}|${JSON.stringify(params)}`,
    code: notice.code,
    message: notice.message,
    params: notice.params,
    what: notice.params['type'] ?? what,
    account,
  }
}

/** The notice an event carries, if it does. */
export function noticeOfEvent(event: PreparingEventView): ImportNoticeItem | null {
  if (!event.notice) return null
  return noticeItem(event.notice, event.what ?? '', event.account ?? null)
}

/** The notice the history recorded with an import, if any. */
export function noticeOfImport(record: ImportView, routed: boolean): ImportNoticeItem | null {
  return record.notice
    ? noticeItem(record.notice, record.type, routed ? record.target : null)
    : null
}

/** The notices the history recorded with a sending's imports, in order. */
export function noticesOfImports(
  imports: readonly ImportView[],
  routed: boolean,
): ImportNoticeItem[] {
  return imports.flatMap((record) => noticeOfImport(record, routed) ?? [])
}

/** `lists` one after another, each notice once (the first time it comes). */
export function mergeNotices(
  ...lists: readonly (readonly ImportNoticeItem[])[]
): readonly ImportNoticeItem[] {
  const seen = new Set<string>()
  const merged: ImportNoticeItem[] = []
  for (const notice of lists.flat())
    if (!seen.has(notice.key)) {
      seen.add(notice.key)
      merged.push(notice)
    }
  return merged
}

/** What `what` names (contacts, products), lower-case, to go inside a sentence. */
function whatText(t: TFunction, what: string): string {
  return what === 'contacts' || what === 'products' ? t(`importNotices.what.${what}`) : what
}

/**
 * A notice in the UI's language, from its code and params; its English message when the code
 * has no translation (a newer main than this renderer). `withAccount`: prefixed with the account
 * of a routed sending (not in a table that has a column for it).
 */
export function noticeText(t: TFunction, notice: ImportNoticeItem, withAccount = true): string {
  const key = NOTICE_KEYS[notice.code]
  const text = key
    ? t(key, { ...notice.params, what: whatText(t, notice.what), defaultValue: notice.message })
    : notice.message
  if (!withAccount || notice.account === null) return text
  return t('importNotices.inAccount', { account: accountName(t, notice.account), text })
}

/** "Reading the orders of the range: 1,204 of 5,000…", "Importing 1,204 contacts… (queued)". */
export function preparingText(t: TFunction, language: string, event: PreparingEventView): string {
  const number = (value: number) => formatNumber(language, value)
  if (event.step === 'reading')
    return event.total !== undefined
      ? t('preparing.reading', { done: number(event.count), total: number(event.total) })
      : t('preparing.readingSoFar', { done: number(event.count) })
  const what = event.what === 'contacts' || event.what === 'products' ? event.what : 'items'
  // `count` picks the plural; `number` is what is shown, grouped as the language does.
  const amount = { count: event.count, number: number(event.count) }
  const step =
    event.account === undefined
      ? t(`preparing.importing.${what}`, amount)
      : t(`preparing.importingInto.${what}`, {
          ...amount,
          account:
            event.account === 'main'
              ? t('preparing.mainAccount')
              : t('preparing.account', { account: conditionName(t, event.account) }),
        })
  if (event.status === undefined) return step
  const status =
    event.status === 'inProgress' && event.done !== undefined
      ? t('preparing.status.inProgressDone', { done: number(event.done) })
      : t(`preparing.status.${event.status}`)
  return t('preparing.withStatus', { step, status })
}
