import { StoreError } from '../store-errors'

/**
 * Reading the Webservice's JSON defensively (docs/prestashop.md §3.5): values arrive as
 * strings or as numbers depending on the PHP version, 8.x drops falsy fields, multilingual fields
 * are an array of `{ id, value }` or a plain string when one language is returned, and 1.6/1.7
 * answer an empty list as a bare `[]`.
 */

export type WebserviceEntity = Readonly<Record<string, unknown>>

/** The entities of a list answer (`{"orders":[…]}`, or `[]` when 1.6/1.7 found none). */
export function entitiesOf(body: unknown, resource: string): WebserviceEntity[] {
  if (Array.isArray(body) && body.length === 0) return []
  if (isRecord(body)) {
    const list = body[resource]
    if (Array.isArray(list)) return list.filter(isRecord)
    // 8.x can render an empty list as an empty object.
    if (list === undefined && Object.keys(body).length === 0) return []
    if (isRecord(list) && Object.keys(list).length === 0) return []
  }
  throw new StoreError(
    'not_webservice',
    `The shop answered the "${resource}" list in a shape PrestaShop's Webservice does not use, so it cannot be read. A module or proxy may be rewriting the answers.`,
    { params: { reason: 'list_shape', resource } },
  )
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A text field; missing (dropped as falsy) or null reads as "". */
export function text(entity: WebserviceEntity, field: string): string {
  const value = entity[field]
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return ''
}

/** An integer field, sent as "12" or 12; missing reads as 0. */
export function integer(entity: WebserviceEntity, field: string): number {
  const value = entity[field]
  const parsed = typeof value === 'number' ? value : Number.parseInt(text(entity, field), 10)
  return Number.isFinite(parsed) ? Math.trunc(parsed) : 0
}

/** A 0/1 flag, sent as "1", 1 or true; missing reads as false. */
export function flag(entity: WebserviceEntity, field: string): boolean {
  const value = entity[field]
  return value === true || value === 1 || value === '1'
}

/** A decimal amount kept as a decimal string; missing reads as "0". */
export function decimal(entity: WebserviceEntity, field: string): string {
  const value = text(entity, field).trim()
  return value === '' ? '0' : value
}

/**
 * A multilingual field's value per language id. A plain string (one language returned) belongs to
 * `onlyLanguageId`, the language the request asked for or the store's only one.
 */
export function translations(
  entity: WebserviceEntity,
  field: string,
  onlyLanguageId: number | null,
): Map<number, string> {
  const value = entity[field]
  const names = new Map<number, string>()
  if (Array.isArray(value)) {
    for (const item of value) {
      if (!isRecord(item)) continue
      const id = integer(item, 'id')
      if (id > 0) names.set(id, text(item, 'value'))
    }
  } else if ((typeof value === 'string' || typeof value === 'number') && onlyLanguageId !== null) {
    names.set(onlyLanguageId, String(value))
  }
  return names
}

/** A multilingual field in one language, when the request restricted it with `language=`. */
export function translation(entity: WebserviceEntity, field: string, languageId: number): string {
  return translations(entity, field, languageId).get(languageId) ?? ''
}

/** The ids of an association (`associations.images: [{id}]`), in the order given. */
export function associationIds(entity: WebserviceEntity, association: string): number[] {
  const associations = entity.associations
  if (!isRecord(associations)) return []
  const list = associations[association]
  if (!Array.isArray(list)) return []
  return list.filter(isRecord).map((item) => integer(item, 'id'))
}
