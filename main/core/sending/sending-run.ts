/**
 * Running a recorded sending: reading what is left to read into the history (a bounded lookahead
 * ahead of the senders), handing pending orders to concurrent workers, writing their results in
 * batches, keeping the heartbeat, and recording how the sending ended.
 *
 * A sending that creates missing contacts or products first asks whether the account needs them:
 * its first order is sent without creating anything. Created, the account has the shop's contacts
 * and products, and the sending goes on as any other (the few it lacks are created one by one).
 * Refused for a missing contact or product (E0101/E0102), the sending prepares instead: it reads
 * the whole range, imports what its orders need (bulk-import.ts), then sends — the asking costs
 * one request. Resumed, it goes on from the step it was at: read the rest, watch its recorded
 * imports (never making them again), send.
 */
import type { FinalSendingState, HistoryStore } from '../history/history-store'
import type {
  NewOrderRow,
  OrderResultUpdate,
  PendingOrder,
  SendingRecord,
} from '../history/history-types'
import type { ConnectifSharing } from '../connectif/connectif-api'
import { SendingLog } from '../logging/sending-log'
import type { ConnectifAccountRef } from './connectif-routing'
import type { ConnectifTarget } from '../profiles/profile-types'
import { isStoreError } from '../store/store-errors'
import type { OrderCursor, StoreOrder, StoreSource } from '../store/store-source'
import { importBeforeSending } from './bulk-import'
import { ConnectifRouter } from './connectif-routing'
import { OrderDelivery, toOrderRow } from './order-delivery'
import { ProgressReporter } from './progress-reporter'
import type { SendingEvent, SendingEventListener } from './sending-events'
import { routingOfSending } from './sending-request'
import { FatalSendingError } from './sending-types'
import type { EngineDependencies } from './sending-types'

export interface RunHooks {
  readonly onEvent?: SendingEventListener
  /** Abort with a `SendingStop` to say whether the sending was cancelled or interrupted. */
  readonly signal?: AbortSignal
}

/** Why a sending stops before its end: `cancelled` by the merchant, or `interrupted` (Ctrl-C, quitting). */
export class SendingStop extends Error {
  override readonly name = 'SendingStop'
  constructor(readonly state: 'cancelled' | 'interrupted') {
    super(state === 'cancelled' ? 'The sending was cancelled.' : 'The sending was interrupted.')
  }
}

const LOOKAHEAD_ORDERS = 2_000
const RESULT_BATCH = 25
const RESULT_FLUSH_MS = 50
const HEARTBEAT_MS = 5_000
const PENDING_BATCH = 200
/**
 * Orders asked before deciding whether to import: an answer other than created, exists or missing
 * (a rejected purchase, Connectif not answering) says nothing about the account, so the next order
 * is asked; after this many the sending goes on without imports.
 */
const PROBE_ORDERS_MAX = 5

/** Runs a recorded sending: reads what is left to read, sends what is pending, records the end. */
export async function runSending(
  deps: EngineDependencies,
  sendingId: number,
  hooks: RunHooks = {},
  openedStore?: StoreSource,
): Promise<SendingRecord> {
  return new SendingRun(deps, sendingId, hooks, openedStore).run()
}

class SendingRun {
  readonly #deps: EngineDependencies
  readonly #history: HistoryStore
  readonly #id: number
  readonly #hooks: RunHooks
  readonly #abort = new AbortController()
  readonly #routing: { readonly mainAccount: boolean; readonly targets: readonly ConnectifTarget[] }
  readonly #sending: SendingRecord
  #store: StoreSource | undefined

  #readDone: boolean
  /** The sending may import the contacts and products its account lacks (bulk-import.ts). */
  readonly #mayImport: boolean
  /** Reading runs ahead of the senders by at most LOOKAHEAD_ORDERS, unless preparing imports. */
  #readAllFirst = false
  #wake: (() => void) | null = null
  #fatal: FatalSendingError | null = null

  /** Orders handed to a worker and not yet written back: never handed out twice. */
  readonly #claimed = new Set<number>()
  readonly #queue: PendingOrder[] = []
  #scanAfter = 0
  readonly #results: OrderResultUpdate[] = []
  #flushTimer: ReturnType<typeof setTimeout> | null = null

  readonly #progress: ProgressReporter
  readonly #delivery: OrderDelivery
  readonly #log: SendingLog
  /** Another integration's rate on each account that has one now (`main` or a target's id). */
  readonly #sharing = new Map<string, ConnectifSharing>()

  constructor(deps: EngineDependencies, sendingId: number, hooks: RunHooks, store?: StoreSource) {
    this.#deps = deps
    this.#history = deps.history
    this.#id = sendingId
    this.#hooks = hooks
    this.#sending = deps.history.getSending(sendingId)
    this.#store = store
    this.#readDone = this.#sending.readComplete
    const routed = (this.#sending.options.routing?.targets.length ?? 0) > 0
    this.#progress = new ProgressReporter(
      deps.clock,
      this.#sending,
      () => this.#history.counts(sendingId),
      (event) => this.#emit(event),
      routed ? () => this.#history.countsByTarget(sendingId) : null,
      this.#sending.options.skipSent === true
        ? () => this.#history.getSending(sendingId).alreadySent
        : undefined,
    )
    this.#routing = routingOfSending(this.#sending)
    const options = this.#sending.options
    this.#mayImport =
      deps.bulkImports !== false && (options.createContacts || options.createProducts)
    this.#log = new SendingLog(deps, this.#sending)
    const logged = this.#log.loggedDependencies()
    this.#delivery = new OrderDelivery(
      {
        ...logged,
        connectif: (ref, hooks) =>
          logged.connectif(ref, {
            ...hooks,
            onSharing: (sharing) => this.#shared(ref, sharing),
          }),
      },
      this.#sending.options,
      this.#routing,
      this.#abort.signal,
      (wait) => {
        this.#log.wait(wait)
        this.#progress.waiting(wait)
      },
    )
  }

  async run(): Promise<SendingRecord> {
    const external = this.#hooks.signal
    const onExternalAbort = (): void => this.#abort.abort(external?.reason)
    if (external?.aborted) onExternalAbort()
    else external?.addEventListener('abort', onExternalAbort, { once: true })
    const heartbeat = setInterval(() => this.#history.heartbeat(this.#id), HEARTBEAT_MS)
    heartbeat.unref()

    this.#log.started(this.#routing.targets.length)
    this.#emit({ type: 'started', sendingId: this.#id, expectedTotal: this.#sending.expectedTotal })
    try {
      if (this.#mayImport) await this.#probeThenSend()
      else await Promise.all([this.#read(), this.#sendAll()])
    } catch (error) {
      this.#noteFailure(error)
    } finally {
      clearInterval(heartbeat)
      external?.removeEventListener('abort', onExternalAbort)
      this.#flushResults()
      // The run owns its store, also one handed over by prepareSending.
      if (this.#store) await this.#store.close().catch(() => undefined)
    }

    const state = this.#finalState()
    const fatal = this.#fatal ? { code: this.#fatal.code, message: this.#fatal.message } : null
    this.#history.finishSending(this.#id, state, fatal)
    const finished = this.#history.getSending(this.#id)
    this.#log.ended(state, finished, fatal)
    this.#progress.stop()
    this.#emit({
      type: 'finished',
      sendingId: this.#id,
      state,
      counts: finished.counts,
      fatalError: fatal,
      ...(this.#routing.targets.length > 0
        ? { byTarget: this.#history.countsByTarget(this.#id) }
        : {}),
      ...(this.#sending.options.skipSent === true ? { alreadySent: finished.alreadySent } : {}),
    })
    return finished
  }

  /**
   * Decides between importing and sending as the orders are read: a resumed sending keeps the
   * path it was on (imports recorded: importing; purchases answered: sending), a new one asks its
   * first orders.
   */
  async #probeThenSend(): Promise<void> {
    if (this.#history.importsOf(this.#id).length > 0) return this.#prepareThenSend(this.#read())
    const counts = this.#history.counts(this.#id)
    const answered = counts.created + counts.alreadyExisted + counts.failed
    if (answered === 0) {
      const reading = this.#read()
      let needsImports: boolean
      try {
        needsImports = await this.#probe()
      } catch (error) {
        this.#noteFailure(error)
        await reading
        return
      }
      if (needsImports) return this.#prepareThenSend(reading)
      await Promise.all([reading, this.#sendAll()])
      return
    }
    await Promise.all([this.#read(), this.#sendAll()])
  }

  /**
   * Sends the first pending orders without creating what they lack: true as soon as one is
   * refused for a missing contact or product (it stays pending, first in line), false when one is
   * created or already there, or nothing told after PROBE_ORDERS_MAX.
   */
  async #probe(): Promise<boolean> {
    for (let asked = 0; asked < PROBE_ORDERS_MAX; asked++) {
      const order = await this.#next()
      if (!order) return false
      let update: OrderResultUpdate | null
      try {
        update = await this.#delivery.probe(order)
      } catch (error) {
        this.#claimed.delete(order.orderId)
        throw error
      }
      if (update === null) {
        this.#queue.unshift(order)
        return true
      }
      this.#results.push(update)
      this.#flushResults()
      if (update.result !== 'failed') return false
    }
    return false
  }

  /** Reads the whole range (`reading` is its read under way), imports what its orders need, then sends. */
  async #prepareThenSend(reading: Promise<void>): Promise<void> {
    this.#readAllFirst = true
    // A reader waiting for room ahead of the senders goes on now.
    this.#notify()
    if (!this.#readDone) this.#progress.preparing({ step: 'reading' })
    await reading
    if (this.#abort.signal.aborted || !this.#readDone) return
    await importBeforeSending({
      history: this.#history,
      clock: this.#deps.clock,
      sending: this.#sending,
      accountOf: (targetId) => this.#delivery.account(targetId),
      routed: this.#routing.targets.length > 0,
      signal: this.#abort.signal,
      onStep: (state) => this.#progress.preparing(state),
      onNotice: (event) => {
        if (event.notice) this.#log.notice(event.notice, event.account)
        this.#progress.notice(event)
      },
    })
    this.#progress.preparing(null)
    await this.#sendAll()
  }

  /**
   * Another integration uses an account's budget (or, null, no longer does): the progress says
   * so, with the highest rate of the sending's accounts, and the history keeps the highest seen.
   */
  #shared(ref: ConnectifAccountRef, sharing: ConnectifSharing | null): void {
    const key = ref.kind === 'main' ? '' : ref.target.id
    if (sharing === null) this.#sharing.delete(key)
    else this.#sharing.set(key, sharing)
    let highest: ConnectifSharing | null = null
    for (const each of this.#sharing.values())
      if (highest === null || each.requestsPerMinute > highest.requestsPerMinute) highest = each
    this.#progress.sharing(highest)
    if (sharing === null) return
    try {
      this.#history.noteSharing(this.#id, sharing.requestsPerMinute)
    } catch {
      // A note for the record: a busy database must not stop the sending for it.
    }
  }

  #emit(event: SendingEvent): void {
    try {
      this.#hooks.onEvent?.(event)
    } catch {
      // A broken listener must not break the sending.
    }
  }

  #stopReason(): SendingStop | null {
    const reason: unknown = this.#abort.signal.reason
    return reason instanceof SendingStop ? reason : null
  }

  #finalState(): FinalSendingState {
    if (this.#fatal) return 'failed'
    const stop = this.#stopReason()
    const counts = this.#history.counts(this.#id)
    if (stop && (counts.pending > 0 || !this.#readDone)) return stop.state
    if (this.#abort.signal.aborted && (counts.pending > 0 || !this.#readDone)) return 'interrupted'
    return counts.failed > 0 ? 'completed_with_errors' : 'completed'
  }

  #noteFailure(error: unknown): void {
    if (this.#abort.signal.aborted && !this.#fatal) return
    if (error instanceof FatalSendingError) this.#fatal ??= error
    else if (isStoreError(error))
      this.#fatal ??= new FatalSendingError(`store_${error.code}`, error.message)
    else {
      const message = error instanceof Error ? error.message : String(error)
      this.#fatal ??= new FatalSendingError(
        'internal',
        `The sending stopped on an unexpected error: ${message}`,
      )
    }
    this.#abort.abort(this.#fatal)
  }

  #notify(): void {
    const wake = this.#wake
    this.#wake = null
    wake?.()
  }

  /** Waits until the reader records more orders or the sender frees room, or the run stops. */
  #waitForChange(): Promise<void> {
    return new Promise<void>((resolve) => {
      const previous = this.#wake
      this.#wake = () => {
        previous?.()
        resolve()
      }
      if (this.#abort.signal.aborted) this.#notify()
    })
  }

  async #read(): Promise<void> {
    if (this.#readDone) return
    try {
      this.#store ??= await this.#deps.openStore()
      const router = new ConnectifRouter(
        this.#routing.targets,
        this.#routing.mainAccount,
        await this.#store.overview(),
      )
      const sending = this.#sending
      const start = sending.cursor
      let cursor: { placedAt: string; orderId: number } | null = start
      const after: OrderCursor | null = start
        ? { placedAt: start.placedAt, id: start.orderId }
        : null
      for await (const page of this.#store.readOrders(
        {
          range: { from: sending.from, to: sending.to },
          stateIds: sending.stateIds,
          shopIds: sending.shopIds,
        },
        { after, signal: this.#abort.signal },
      )) {
        const last = page[page.length - 1] as StoreOrder
        cursor = { placedAt: last.placedAt, orderId: last.id }
        const { rows, alreadySent } = this.#rowsToRecord(page, router)
        this.#history.recordOrders(this.#id, rows, cursor, false, alreadySent)
        this.#progress.changed()
        this.#notify()
        while (
          !this.#readAllFirst &&
          !this.#abort.signal.aborted &&
          this.#history.counts(this.#id).pending > LOOKAHEAD_ORDERS
        ) {
          await this.#waitForChange()
        }
      }
      this.#history.recordOrders(this.#id, [], cursor, true)
      this.#readDone = true
      this.#progress.changed()
    } catch (error) {
      if (!this.#abort.signal.aborted) this.#noteFailure(error)
    } finally {
      this.#notify()
    }
  }

  /**
   * A page's rows, each with the fingerprint of the account it goes to; in a skip-sent sending,
   * without the orders that account already has (they are only counted).
   */
  #rowsToRecord(
    page: readonly StoreOrder[],
    router: ConnectifRouter,
  ): { rows: NewOrderRow[]; alreadySent: number } {
    const routed = page.map((order) => {
      const route = router.route(order)
      const account =
        route.kind === 'unrouted'
          ? undefined
          : this.#delivery.accountKey(route.kind === 'target' ? route.target.id : null)
      return { order, route, account }
    })
    let kept = routed
    if (this.#sending.options.skipSent === true) {
      const idsByAccount = new Map<string, number[]>()
      for (const { order, account } of routed) {
        if (account === undefined) continue
        const ids = idsByAccount.get(account)
        if (ids) ids.push(order.id)
        else idsByAccount.set(account, [order.id])
      }
      const sent = new Set<string>()
      for (const [account, ids] of idsByAccount)
        for (const id of this.#history.alreadySent(account, ids, this.#id))
          sent.add(`${account} ${id}`)
      kept = routed.filter(({ order, account }) => !sent.has(`${account} ${order.id}`))
    }
    return {
      rows: kept.map(({ order, route, account }) => toOrderRow(order, route, account)),
      alreadySent: routed.length - kept.length,
    }
  }

  async #sendAll(): Promise<void> {
    const workers = Array.from({ length: Math.max(1, this.#deps.concurrency ?? 8) }, () =>
      this.#work(),
    )
    await Promise.all(workers)
  }

  async #work(): Promise<void> {
    for (;;) {
      const order = await this.#next()
      if (!order) return
      try {
        const update = await this.#delivery.send(order)
        this.#results.push(update)
        this.#scheduleFlush()
      } catch (error) {
        this.#claimed.delete(order.orderId)
        if (!this.#abort.signal.aborted || error instanceof FatalSendingError)
          this.#noteFailure(error)
        return
      }
    }
  }

  /** The next pending order no worker holds; null when everything is sent or the run stops. */
  async #next(): Promise<PendingOrder | null> {
    for (;;) {
      if (this.#abort.signal.aborted) return null
      const queued = this.#queue.shift()
      if (queued) return queued
      const rows = this.#history
        .pendingOrders(this.#id, PENDING_BATCH, this.#scanAfter)
        .filter((row) => !this.#claimed.has(row.orderId))
      if (rows.length > 0) {
        this.#scanAfter = (rows[rows.length - 1] as PendingOrder).orderId
        for (const row of rows) this.#claimed.add(row.orderId)
        this.#queue.push(...rows)
        continue
      }
      if (this.#scanAfter > 0) {
        // The reader records orders in date order, not id order: look again from the start.
        this.#scanAfter = 0
        if (this.#history.counts(this.#id).pending > this.#claimed.size) continue
      }
      if (this.#readDone) return null
      // Only the reader (new orders) or a flush (room for more) has news; idle workers just wait.
      await this.#waitForChange()
    }
  }

  #scheduleFlush(): void {
    if (this.#results.length >= RESULT_BATCH) {
      this.#flushResults()
      return
    }
    this.#flushTimer ??= setTimeout(() => this.#flushResults(), RESULT_FLUSH_MS)
  }

  #flushResults(): void {
    if (this.#flushTimer) clearTimeout(this.#flushTimer)
    this.#flushTimer = null
    if (this.#results.length === 0) return
    const batch = this.#results.splice(0, this.#results.length)
    this.#history.writeResults(this.#id, batch)
    for (const update of batch) this.#claimed.delete(update.orderId)
    this.#progress.sent(batch.length)
    this.#notify()
  }
}
