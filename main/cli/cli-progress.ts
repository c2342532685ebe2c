/**
 * Progress of a running sending on stderr: a live bar when stderr is a terminal, otherwise a
 * plain line every few seconds (logs of cron jobs and CI stay readable). stdout is never used,
 * so `--json` keeps it to one document.
 */
import cliProgress from 'cli-progress'
import type { ConnectifSharing, ConnectifWait } from '../core/connectif/connectif-api'
import type { SendingCounts } from '../core/history/history-types'
import type { PreparingEvent, SendingEvent, TargetCounts } from '../core/sending/sending-events'
import { formatDuration, type Output } from './cli-output'

/** Plain progress lines are at most this frequent. */
export const PLAIN_INTERVAL_MS = 5_000

interface Snapshot {
  readonly expectedTotal: number
  readonly counts: SendingCounts
  readonly perMinute: number
  readonly etaSeconds: number | null
  readonly waiting: ConnectifWait | null
  /** Another integration using the account's budget now, which the sending slows down for. */
  readonly sharedWith?: ConnectifSharing
  /** Routed sendings: counts per Connectif account. */
  readonly byTarget?: readonly TargetCounts[]
}

export interface ProgressView {
  onEvent(event: SendingEvent): void
  stop(): void
}

export function createProgressView(output: Output, now: () => number = Date.now): ProgressView {
  return output.interactive ? new BarView(output, now) : new PlainView(output, now)
}

function done(counts: SendingCounts): number {
  return counts.total - counts.pending
}

function waitingNote(waiting: ConnectifWait | null, now: number): string {
  if (!waiting || waiting.until <= now) return ''
  const seconds = Math.max(1, Math.ceil((waiting.until - now) / 1000))
  return waiting.reason === 'rate-limit'
    ? `waiting ${seconds} s (Connectif rate limit)`
    : `waiting ${seconds} s (retrying after an error)`
}

/** Another integration sharing the account's budget: "shared with another integration…". */
export function sharedNote(sharedWith: ConnectifSharing | undefined): string {
  if (sharedWith === undefined) return ''
  return `shared with another integration (about ${sharedWith.requestsPerMinute}/min): slowed down to leave it room`
}

/** A routed sending's accounts, each with its orders done out of its orders read so far. */
export function accountsNote(byTarget: readonly TargetCounts[] | undefined): string {
  if (!byTarget || byTarget.length === 0) return ''
  return byTarget
    .map(
      ({ target, counts }) => `${target === '' ? 'none' : target} ${done(counts)}/${counts.total}`,
    )
    .join(', ')
}

const number = (value: number): string => value.toLocaleString('en-US')

/**
 * What a preparing sending is doing, for people: "Reading the orders: 1,204 of 5,000…",
 * "Importing 1,204 contacts… 800 done (main)".
 */
export function preparingNote(event: PreparingEvent): string {
  if (event.step === 'reading')
    return `Reading the orders before sending: ${number(event.count)} of ${number(event.total ?? event.count)}…`
  const what = event.what === 'products' ? 'products' : 'contacts'
  const state =
    event.status === 'queued'
      ? ' queued at Connectif'
      : event.done !== undefined && event.status === 'inProgress'
        ? ` ${number(event.done)} done`
        : ''
  const account = event.account === undefined ? '' : ` (${event.account})`
  return `Importing ${number(event.count)} ${what}…${state}${account}`
}

/** A fallback of the preparing step, as a warning line. */
function noticeLine(event: PreparingEvent): string | null {
  return event.notice === undefined ? null : `purchase-sender: warning: ${event.notice.message}`
}

function describe(snapshot: Snapshot, now: number): string {
  const counts = snapshot.counts
  const total = Math.max(snapshot.expectedTotal, counts.total)
  const parts = [
    `${done(counts)}/${total} done`,
    `created ${counts.created}`,
    `already ${counts.alreadyExisted}`,
    `failed ${counts.failed}`,
    `skipped ${counts.skipped}`,
    `${snapshot.perMinute}/min`,
    `ETA ${snapshot.etaSeconds === null ? '?' : formatDuration(snapshot.etaSeconds)}`,
  ]
  const accounts = accountsNote(snapshot.byTarget)
  if (accounts !== '') parts.push(`accounts: ${accounts}`)
  const shared = sharedNote(snapshot.sharedWith)
  if (shared !== '') parts.push(shared)
  const note = waitingNote(snapshot.waiting, now)
  return note === '' ? parts.join(' · ') : `${parts.join(' · ')} · ${note}`
}

class BarView implements ProgressView {
  readonly #bar: cliProgress.SingleBar
  readonly #output: Output
  readonly #now: () => number
  #started = false
  #snapshot: Snapshot | null = null
  /** While the sending prepares: the bar counts the step's own progress. */
  #preparing: PreparingEvent | null = null
  readonly #ticker: ReturnType<typeof setInterval>

  constructor(output: Output, now: () => number) {
    this.#output = output
    this.#now = now
    this.#bar = new cliProgress.SingleBar(
      {
        stream: output.stderr,
        format:
          '{phase}{bar} {value}/{total} | created {created} · already {already} · failed {failed} · skipped {skipped} | {rate}/min | ETA {eta_text}{accounts}{shared}{wait}',
        barsize: 24,
        hideCursor: true,
        clearOnComplete: false,
        fps: 5,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    )
    // Counts the rate-limit wait down even when no event arrives.
    this.#ticker = setInterval(() => this.#render(), 1000)
    this.#ticker.unref()
  }

  onEvent(event: SendingEvent): void {
    if (event.type === 'preparing') {
      const line = noticeLine(event)
      if (line !== null) this.#output.log(this.#started ? `\n${line}` : line)
      else this.#preparing = event
      this.#render()
      return
    }
    this.#preparing = null
    if (event.type === 'started') {
      this.#snapshot = {
        expectedTotal: event.expectedTotal,
        counts: { total: 0, created: 0, alreadyExisted: 0, failed: 0, skipped: 0, pending: 0 },
        perMinute: 0,
        etaSeconds: null,
        waiting: null,
      }
    } else if (event.type === 'progress') {
      this.#snapshot = event
    } else {
      this.#snapshot = {
        expectedTotal: this.#snapshot?.expectedTotal ?? event.counts.total,
        counts: event.counts,
        perMinute: this.#snapshot?.perMinute ?? 0,
        etaSeconds: 0,
        waiting: null,
        byTarget: event.byTarget ?? this.#snapshot?.byTarget,
      }
    }
    this.#render()
  }

  #render(): void {
    const snapshot = this.#snapshot
    if (!snapshot) return
    const counts = snapshot.counts
    const preparing = this.#preparing
    let total = Math.max(snapshot.expectedTotal, counts.total)
    let value = done(counts)
    if (preparing !== null) {
      const reading = preparing.step === 'reading'
      total = reading ? (preparing.total ?? preparing.count) : preparing.count
      value = reading ? preparing.count : (preparing.done ?? 0)
    }
    const note = waitingNote(snapshot.waiting, this.#now())
    const accounts = accountsNote(snapshot.byTarget)
    const shared = sharedNote(snapshot.sharedWith)
    const payload = {
      phase: preparing === null ? '' : `${preparingNote(preparing)} | `,
      created: counts.created,
      already: counts.alreadyExisted,
      failed: counts.failed,
      skipped: counts.skipped,
      rate: snapshot.perMinute,
      eta_text: snapshot.etaSeconds === null ? '?' : formatDuration(snapshot.etaSeconds),
      wait: note === '' ? '' : ` | ${note}`,
      accounts: accounts === '' ? '' : ` | ${accounts}`,
      shared: shared === '' ? '' : ` | ${shared}`,
    }
    if (!this.#started) {
      this.#bar.start(total, value, payload)
      this.#started = true
      return
    }
    this.#bar.setTotal(total)
    this.#bar.update(value, payload)
  }

  stop(): void {
    clearInterval(this.#ticker)
    if (this.#started) this.#bar.stop()
  }
}

class PlainView implements ProgressView {
  readonly #output: Output
  readonly #now: () => number
  #lastLine = 0
  #lastText = ''
  #sendingId = 0
  #snapshot: Snapshot | null = null
  #preparing: PreparingEvent | null = null
  readonly #ticker: ReturnType<typeof setInterval>

  constructor(output: Output, now: () => number) {
    this.#output = output
    this.#now = now
    // A long rate-limit wait sends no events: say so anyway.
    this.#ticker = setInterval(() => this.#print(), PLAIN_INTERVAL_MS)
    this.#ticker.unref()
  }

  onEvent(event: SendingEvent): void {
    this.#sendingId = event.sendingId
    if (event.type === 'started') {
      this.#output.log(
        `Sending #${event.sendingId} started: ${event.expectedTotal} order${event.expectedTotal === 1 ? '' : 's'} in the range.`,
      )
      this.#lastLine = this.#now()
      return
    }
    if (event.type === 'finished') return
    if (event.type === 'preparing') {
      const line = noticeLine(event)
      if (line !== null) {
        this.#output.log(line)
        return
      }
      // A new step (or another import) is said at once; its progress then every few seconds.
      const changed =
        this.#preparing === null ||
        this.#preparing.step !== event.step ||
        this.#preparing.what !== event.what ||
        this.#preparing.account !== event.account
      this.#preparing = event
      this.#print(changed)
      return
    }
    this.#preparing = null
    this.#snapshot = event
    this.#print()
  }

  /** `atOnce`: a new step, said without waiting for the interval. */
  #print(atOnce = false): void {
    const now = this.#now()
    if (!atOnce && now - this.#lastLine < PLAIN_INTERVAL_MS) return
    const text =
      this.#preparing !== null
        ? preparingNote(this.#preparing)
        : this.#snapshot
          ? describe(this.#snapshot, now)
          : null
    if (text === null || text === this.#lastText) return
    this.#lastLine = now
    this.#lastText = text
    this.#output.log(`[sending #${this.#sendingId}] ${text}`)
  }

  stop(): void {
    clearInterval(this.#ticker)
  }
}
