import type { DateRange, OrderCursor } from '../store-source'
import type { QueryParameters } from './webservice-client'
import { list, MAX_REQUESTS_IN_FLIGHT } from './webservice-listing'
import { dateInterval } from './webservice-order-records'
import { integer, text, type WebserviceEntity } from './webservice-values'

/**
 * The `orders` of a date range through the Webservice, in (date_add, id) order, in pages that
 * follow the keyset through the date filter (so orders placed meanwhile never shift them).
 *
 * A keyset walk is one request after another, each waiting for the last; the Webservice has no
 * aggregates, so counting a busy year means listing tens of thousands of rows. So a range is read
 * in slices of days walked side by side, a few at a time, and put back in order: the first page
 * covers the whole range (a range smaller than a page still costs one request), and what is left
 * after it is cut into up to MAX_SLICES slices, at most MAX_REQUESTS_IN_FLIGHT of them being read.
 */

/** A list request that can be cancelled. */
export type SignalledList = (
  resource: string,
  parameters: QueryParameters,
  signal?: AbortSignal,
) => Promise<WebserviceEntity[]>

export interface RangeListing {
  /** Must include `id` and `date_add`: the keyset's position. */
  readonly fields: readonly string[]
  readonly range: DateRange
  /** Only orders in these states (`filter[current_state]`); null for every state. */
  readonly stateIds: readonly number[] | null
  /** All shops when empty. */
  readonly shopIds: readonly number[]
  readonly pageSize: number
  /** Start after this order. */
  readonly after?: OrderCursor | null
  readonly signal?: AbortSignal
}

/**
 * Slices of about this many pages: the slices in flight even out the busy and the quiet weeks of
 * a range, and few requests are spent on the short page that ends each slice.
 */
const SLICE_PAGES = 2
const MAX_SLICES = 256
/** Pages a slice reads ahead of the one handing out its pages: what bounds the memory used. */
const MAX_BUFFERED_PAGES = 3

/** Where a row stands in the (date_add, id) order. */
function positionOf(row: WebserviceEntity): OrderCursor {
  return { placedAt: text(row, 'date_add'), id: integer(row, 'id') }
}

/**
 * The first page of rows after `cursor` between two shop-local wall-clock times (both
 * inclusive, as the Webservice's date filter is). Each page starts at the cursor's second and
 * skips the orders of that second already read; `last`: no row follows.
 */
export async function pageAfter(
  listOrders: SignalledList,
  listing: RangeListing,
  bounds: { readonly from: string; readonly to: string },
  cursor: OrderCursor | null,
  signal: AbortSignal | undefined,
): Promise<{ rows: WebserviceEntity[]; last: boolean }> {
  const from = cursor && cursor.placedAt > bounds.from ? cursor.placedAt : bounds.from
  const isAfterCursor = (row: WebserviceEntity): boolean => {
    if (cursor === null) return true
    const placedAt = text(row, 'date_add')
    return (
      placedAt > cursor.placedAt || (placedAt === cursor.placedAt && integer(row, 'id') > cursor.id)
    )
  }
  const { pageSize } = listing
  for (let offset = 0; ; offset += pageSize) {
    const rows = await listOrders(
      'orders',
      {
        display: list(listing.fields),
        date: '1',
        'filter[date_add]': dateInterval(from, bounds.to),
        ...(listing.stateIds ? { 'filter[current_state]': list(listing.stateIds, '|') } : {}),
        ...(listing.shopIds.length > 0 ? { 'filter[id_shop]': list(listing.shopIds, '|') } : {}),
        sort: '[date_add_ASC,id_ASC]',
        limit: `${offset},${pageSize}`,
      },
      signal,
    )
    const after = rows.filter(isAfterCursor)
    const last = rows.length < pageSize
    if (after.length > 0 || last) return { rows: after, last }
    // A whole page of orders of the cursor's very second, all read already: look further.
  }
}

const DAY_MS = 86_400_000

/** Calendar days from `first` to `last`, both counted (YYYY-MM-DD, or a `date_add`). */
function daysFrom(first: string, last: string): number {
  const day = (value: string) => Date.parse(`${value.slice(0, 10)}T00:00:00Z`)
  return Math.round((day(last) - day(first)) / DAY_MS) + 1
}

/** Days from `first` to `last` (inclusive, YYYY-MM-DD) cut into up to `count` runs of days. */
export function sliceDays(first: string, last: string, count: number): [string, string][] {
  const dayMs = DAY_MS
  const start = Date.parse(`${first}T00:00:00Z`)
  const days = daysFrom(first, last)
  const slices = Math.max(1, Math.min(count, days))
  const day = (offset: number) => new Date(start + offset * dayMs).toISOString().slice(0, 10)
  const result: [string, string][] = []
  for (let index = 0; index < slices; index++) {
    const from = Math.floor((index * days) / slices)
    const to = Math.floor(((index + 1) * days) / slices) - 1
    result.push([day(from), day(to)])
  }
  return result
}

/**
 * One slice walked by keyset from its cursor, its pages handed out in order. It reads ahead of
 * its reader by at most MAX_BUFFERED_PAGES pages, then waits for room: memory stays bounded
 * however many orders the slice holds.
 */
class SliceReader {
  readonly #pages: WebserviceEntity[][] = []
  #done = false
  #failure: { readonly error: unknown } | null = null
  #stopped = false
  /** Wakes the reader waiting for a page, or the walk waiting for room. */
  #pageAdded: (() => void) | null = null
  #roomMade: (() => void) | null = null

  constructor(
    listOrders: SignalledList,
    listing: RangeListing,
    slice: { readonly from: string; readonly to: string; readonly cursor: OrderCursor | null },
    signal: AbortSignal,
  ) {
    void this.#walk(listOrders, listing, slice, signal).then(
      () => this.#settle(null),
      (error: unknown) => this.#settle({ error }),
    )
  }

  /** The next page; null once the slice is read. */
  async next(): Promise<WebserviceEntity[] | null> {
    for (;;) {
      const page = this.#pages.shift()
      if (page) {
        this.#roomMade?.()
        return page
      }
      if (this.#failure) throw this.#failure.error
      if (this.#done) return null
      await new Promise<void>((resolve) => (this.#pageAdded = resolve))
    }
  }

  /** Nobody will read on: a walk waiting for room ends. */
  stop(): void {
    this.#stopped = true
    this.#roomMade?.()
  }

  async #walk(
    listOrders: SignalledList,
    listing: RangeListing,
    slice: { readonly from: string; readonly to: string; readonly cursor: OrderCursor | null },
    signal: AbortSignal,
  ): Promise<void> {
    const bounds = { from: `${slice.from} 00:00:00`, to: `${slice.to} 23:59:59` }
    let cursor = slice.cursor
    for (;;) {
      while (this.#pages.length >= MAX_BUFFERED_PAGES && !this.#stopped)
        await new Promise<void>((resolve) => (this.#roomMade = resolve))
      if (this.#stopped) return
      const { rows, last } = await pageAfter(listOrders, listing, bounds, cursor, signal)
      const lastRow = rows[rows.length - 1]
      if (lastRow) {
        this.#pages.push(rows)
        cursor = positionOf(lastRow)
        this.#pageAdded?.()
      }
      if (last || !lastRow) return
    }
  }

  #settle(failure: { readonly error: unknown } | null): void {
    this.#done = true
    this.#failure = failure
    this.#pageAdded?.()
  }
}

/**
 * How many slices the rest of a range is cut into: about SLICE_PAGES pages each, by the density
 * of the first page (orders a day), so the slices in flight stay busy whatever the range's size.
 */
function sliceCount(
  firstRows: readonly WebserviceEntity[],
  days: number,
  pageSize: number,
): number {
  const first = firstRows[0]
  const last = firstRows[firstRows.length - 1]
  if (!first || !last) return 1
  const perDay = firstRows.length / daysFrom(text(first, 'date_add'), text(last, 'date_add'))
  const pages = (perDay * days) / pageSize
  return Math.max(1, Math.min(MAX_SLICES, days, Math.ceil(pages / SLICE_PAGES)))
}

/**
 * The range's rows in (date_add, id) order, non-empty pages only. Slices are read ahead of the
 * one being handed out, at most MAX_REQUESTS_IN_FLIGHT at once, each a few pages ahead at most;
 * stopping early (or the signal) cancels those still being read.
 */
export async function* listOrderRange(
  listOrders: SignalledList,
  listing: RangeListing,
): AsyncGenerator<WebserviceEntity[]> {
  const stop = new AbortController()
  const signal = listing.signal ? AbortSignal.any([listing.signal, stop.signal]) : stop.signal
  const readers: SliceReader[] = []
  try {
    const whole = { from: `${listing.range.from} 00:00:00`, to: `${listing.range.to} 23:59:59` }
    const first = await pageAfter(listOrders, listing, whole, listing.after ?? null, signal)
    const lastRow = first.rows[first.rows.length - 1]
    if (lastRow) {
      listing.signal?.throwIfAborted()
      yield first.rows
    }
    if (first.last || !lastRow) return

    const cursor = positionOf(lastRow)
    const firstDay = cursor.placedAt.slice(0, 10)
    const days = daysFrom(firstDay, listing.range.to)
    const slices = sliceDays(
      firstDay,
      listing.range.to,
      sliceCount(first.rows, days, listing.pageSize),
    ).map(([from, to], index) => ({ from, to, cursor: index === 0 ? cursor : null }))
    const startSlice = (index: number): void => {
      const slice = slices[index]
      if (slice) readers[index] = new SliceReader(listOrders, listing, slice, signal)
    }
    for (let index = 0; index < MAX_REQUESTS_IN_FLIGHT; index++) startSlice(index)
    for (let index = 0; index < slices.length; index++) {
      const reader = readers[index]
      for (let page = await reader?.next(); page; page = await reader?.next()) {
        listing.signal?.throwIfAborted()
        yield page
      }
      startSlice(index + MAX_REQUESTS_IN_FLIGHT)
    }
  } finally {
    // A caller that stops early leaves nothing reading behind it.
    stop.abort()
    for (const reader of readers) reader?.stop()
  }
}
