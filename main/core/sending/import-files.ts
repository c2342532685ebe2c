/**
 * What a sending imports before it sends: the distinct contacts and products of its pending
 * orders, per Connectif account, and the CSV files of Connectif's Import API that carry them
 * (docs/connectif-api.md §13) — the same fields the one-by-one upserts send
 * (connectif-client.ts), split only past Connectif's size limit.
 */
import { stringify } from 'csv-stringify/sync'
import type { ContactUpsert, ImportType } from '../connectif/connectif-api'
import type { HistoryStore } from '../history/history-store'
import type { CatalogueProduct } from '../purchases/purchase'
import { catalogueOf, type OrderPayload } from './order-delivery'

/** Connectif takes files of up to 50 MB; kept under both readings of "MB". */
export const MAX_IMPORT_FILE_BYTES = 50_000_000

/** Pending orders read per page while collecting (their payloads are parsed one by one). */
const PAGE = 1_000

/** The contacts and products of one Connectif account's pending orders. */
export interface AccountItems {
  /** The account's fingerprint (account-key.ts). */
  readonly account: string
  /** The routing target whose client reaches it; null for the main account. */
  readonly targetId: string | null
  /** Keyed by lower-cased e-mail; the latest order's names win. */
  readonly contacts: Map<string, ContactUpsert>
  /** Keyed by product id; the latest order's catalogue entry wins. */
  readonly products: Map<string, CatalogueProduct>
}

/**
 * The items of the sending's pending orders, per account (`accountOf` gives a target's account
 * fingerprint), in the order the accounts first appear. Orders go by id, so for an item in
 * several orders the most recent order's data is kept: the closest to the catalogue today.
 */
export function collectItems(
  history: HistoryStore,
  sendingId: number,
  accountOf: (targetId: string | null) => string,
): AccountItems[] {
  const byAccount = new Map<string, AccountItems>()
  let after = 0
  for (;;) {
    const page = history.pendingOrders(sendingId, PAGE, after)
    for (const order of page) {
      const payload = JSON.parse(order.payload) as OrderPayload
      const targetId = payload.targetId ?? null
      const account = accountOf(targetId)
      let items = byAccount.get(account)
      if (items === undefined) {
        items = { account, targetId, contacts: new Map(), products: new Map() }
        byAccount.set(account, items)
      }
      items.contacts.set(payload.contact.email.toLowerCase(), payload.contact)
      for (const product of catalogueOf(payload)) items.products.set(product.productId, product)
    }
    const last = page[page.length - 1]
    if (last === undefined || page.length < PAGE) break
    after = last.orderId
  }
  return [...byAccount.values()]
}

/** One file of an import, and the keys of the items in it. */
export interface ImportPart {
  readonly csv: string
  readonly keys: readonly string[]
}

/**
 * The contacts as import files: `_email`, and `_name` / `_surname` when any contact has one (as
 * the upsert sends them only when known). Sorted by e-mail, so the same contacts always make the
 * same files: a resumed sending recognises the parts it already imported.
 */
export function contactFiles(
  contacts: ReadonlyMap<string, ContactUpsert>,
  maxBytes = MAX_IMPORT_FILE_BYTES,
): ImportPart[] {
  const entries = sortedEntries(contacts)
  const named = (value: string | undefined): string => value?.trim() ?? ''
  const columns = [
    '_email',
    ...(entries.some(([, contact]) => named(contact.firstname) !== '') ? ['_name'] : []),
    ...(entries.some(([, contact]) => named(contact.lastname) !== '') ? ['_surname'] : []),
  ]
  return split(
    columns,
    entries.map(([key, contact]) => ({
      key,
      cells: {
        _email: contact.email,
        _name: named(contact.firstname),
        _surname: named(contact.lastname),
      },
    })),
    maxBytes,
  )
}

/**
 * The products as import files, with the fields the upsert sends (the catalogue entry, never a
 * line's quantity or total): `availability` and `isBlacklisted` (`true`/`false`) always, so a
 * product deleted or disabled in the store arrives blacklisted and out of stock. Connectif requires
 * a product page in an import: a product without one (a store without a base URL) is left out,
 * for the one-by-one path to try. Optional columns appear when some product has a value. Sorted by
 * product id.
 */
export function productFiles(
  products: ReadonlyMap<string, CatalogueProduct>,
  maxBytes = MAX_IMPORT_FILE_BYTES,
): ImportPart[] {
  const entries = sortedEntries(products).filter(
    ([, product]) => (product.productDetailUrl ?? '') !== '',
  )
  const has = (field: (product: CatalogueProduct) => string): boolean =>
    entries.some(([, product]) => field(product) !== '')
  const optional: Record<string, (product: CatalogueProduct) => string> = {
    imageUrl: (product) => product.imageUrl ?? '',
    // Connectif's list fields separate their values with "|".
    categories: (product) => (product.categories ?? []).join('|'),
    brand: (product) => product.brand ?? '',
  }
  const columns = [
    'productId',
    'name',
    'productDetailUrl',
    'unitPrice',
    'unitPriceWithoutVAT',
    'availability',
    'isBlacklisted',
    ...Object.keys(optional).filter((name) =>
      has(optional[name] as (p: CatalogueProduct) => string),
    ),
  ]
  return split(
    columns,
    entries.map(([key, product]) => ({
      key,
      cells: {
        productId: product.productId,
        name: product.name,
        productDetailUrl: product.productDetailUrl ?? '',
        unitPrice: String(product.unitPrice),
        unitPriceWithoutVAT: String(product.unitPriceWithoutVAT),
        availability: product.availability,
        isBlacklisted: String(product.isBlacklisted),
        ...Object.fromEntries(
          Object.entries(optional).map(([name, value]) => [name, value(product)]),
        ),
      },
    })),
    maxBytes,
  )
}

/** The files of one type of item. */
export function importFiles(
  type: ImportType,
  items: AccountItems,
  maxBytes = MAX_IMPORT_FILE_BYTES,
): ImportPart[] {
  return type === 'contacts'
    ? contactFiles(items.contacts, maxBytes)
    : productFiles(items.products, maxBytes)
}

/** The kind of item an import type creates, as the history remembers them. */
export function itemKindOf(type: ImportType): 'contact' | 'product' {
  return type === 'contacts' ? 'contact' : 'product'
}

function sortedEntries<T>(items: ReadonlyMap<string, T>): [string, T][] {
  return [...items.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * The rows as CSV files of at most `maxBytes` each, every one with the header row. Written whole
 * when they fit (the usual case); only a larger set is written row by row to find the cuts.
 */
function split(
  columns: readonly string[],
  rows: readonly { readonly key: string; readonly cells: Record<string, string> }[],
  maxBytes: number,
): ImportPart[] {
  if (rows.length === 0) return []
  const options = { columns: [...columns], record_delimiter: '\n' } as const
  const whole = stringify(
    rows.map((row) => row.cells),
    { ...options, header: true },
  )
  if (Buffer.byteLength(whole) <= maxBytes)
    return [{ csv: whole, keys: rows.map((row) => row.key) }]
  const header = stringify([], { ...options, header: true })
  const headerBytes = Buffer.byteLength(header)
  const parts: ImportPart[] = []
  let lines: string[] = []
  let keys: string[] = []
  let bytes = headerBytes
  for (const row of rows) {
    const line = stringify([row.cells], options)
    const size = Buffer.byteLength(line)
    if (keys.length > 0 && bytes + size > maxBytes) {
      parts.push({ csv: header + lines.join(''), keys })
      lines = []
      keys = []
      bytes = headerBytes
    }
    // A single row over the limit still goes alone: Connectif's 413 then says so.
    lines.push(line)
    keys.push(row.key)
    bytes += size
  }
  parts.push({ csv: header + lines.join(''), keys })
  return parts
}
