/**
 * The app's automatic sendings: while the desktop app (window or tray) or browser mode runs, each
 * profile's schedule fires a sync (sync-use-case.ts) at its slots. The command line has its own
 * `sync` and never starts this.
 *
 * One timer, to the earliest next run, re-armed whenever a schedule is saved and at least every
 * `recheckMs` (a minute): timers do not run while the computer sleeps, so a machine back from
 * sleep catches up within that minute. When does a run fall due, and why a run missed while the
 * computer was off or asleep runs once rather than once per slot, is schedule-times.ts's.
 *
 * Each run first claims its slot in the history, so two processes on one history (the desktop
 * app and browser mode) never both serve it. A profile whose sending runs is `busy`: the slot is
 * recorded as such and nothing else happens. A sending that cannot start is recorded with its
 * error, and told (`onRun`) like a sending's end, which the desktop shell notifies when it went
 * wrong.
 */
import type { AppErrorValue, ScheduledRunEvent } from '../../preload/contract'
import type { Clock } from '../core/clock'
import { DEFAULT_RATE_LIMIT } from '../core/connectif/connectif-defaults'
import type { SendingRecord } from '../core/history/history-types'
import type { Profile } from '../core/profiles/profile-types'
import { decideRun, timedRule, type RunDecision } from '../core/schedule/schedule-times'
import type { ScheduleRecord } from '../core/schedule/schedule-types'
import type { AppContext } from './app-context'
import { toErrorValue } from './app-errors'
import type { SendingRunner } from './sending-runner'
import { applyRetentionIfSet } from './privacy-use-cases'
import { startSync } from './sync-use-case'

/** The longest the scheduler waits between two looks at the schedules. */
export const RECHECK_MS = 60_000
/** The shortest: a schedule that stays due (its run could not be recorded) must not spin. */
const MIN_WAIT_MS = 1_000

export interface SchedulerOptions {
  readonly context: AppContext
  readonly runner: SendingRunner
  /** The context's clock by default. */
  readonly clock?: Clock
  /** Told when a scheduled run ends: its sending's end, or no sending (busy, failed to start). */
  readonly onRun?: (event: ScheduledRunEvent) => void
  readonly recheckMs?: number
}

export class Scheduler {
  readonly #context: AppContext
  readonly #runner: SendingRunner
  readonly #clock: Clock
  readonly #onRun: (event: ScheduledRunEvent) => void
  readonly #recheckMs: number
  #loop: Promise<void> | null = null
  #stopped = false
  /** Aborted to wake the timer early: a schedule changed, or the scheduler stops. */
  #wake = new AbortController()
  /** A change came while no timer was armed: look again before arming one. */
  #dirty = false

  constructor(options: SchedulerOptions) {
    this.#context = options.context
    this.#runner = options.runner
    this.#clock = options.clock ?? options.context.clock
    this.#onRun = options.onRun ?? (() => undefined)
    this.#recheckMs = options.recheckMs ?? RECHECK_MS
  }

  /** Now on the scheduler's clock: what schedules are saved and shown against. */
  now(): number {
    return this.#clock.now()
  }

  /** Starts firing due schedules (a run missed before the start is due at once). Idempotent. */
  start(): void {
    if (this.#loop !== null || this.#stopped) return
    this.#loop = this.#run()
  }

  /** A schedule was saved (or a profile removed): re-arm the timer. */
  changed(): void {
    this.#dirty = true
    this.#wake.abort()
  }

  /**
   * Stops the timer and waits for the runs being started to be recorded; sendings already
   * running are the runner's to stop.
   */
  async stop(): Promise<void> {
    this.#stopped = true
    this.#wake.abort()
    await this.#loop
  }

  /**
   * Fires every schedule due now, and resolves once each has started its sending, been found
   * busy or failed to start (not when the sendings end).
   */
  async runDue(): Promise<void> {
    const now = this.#clock.now()
    const runs: Promise<void>[] = []
    for (const schedule of this.#context.history.schedules.listEnabled()) {
      const decision = this.#decide(schedule, now)
      if (decision?.due) runs.push(this.#fire(schedule, decision.slot, now))
    }
    await Promise.all(runs)
  }

  /** The earliest next run of the schedules switched on (now when one is due); null: none. */
  nextRunAt(): number | null {
    const now = this.#clock.now()
    let earliest: number | null = null
    for (const schedule of this.#context.history.schedules.listEnabled()) {
      const decision = this.#decide(schedule, now)
      if (decision === null) continue
      const at = decision.due ? now : decision.nextAt
      if (earliest === null || at < earliest) earliest = at
    }
    return earliest
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      this.#dirty = false
      try {
        await this.runDue()
      } catch (error) {
        this.#context.log('Checking the schedules failed', error)
      }
      if (this.#stopped) return
      if (this.#dirty) continue
      let wait = this.#recheckMs
      try {
        const next = this.nextRunAt()
        if (next !== null) wait = Math.min(wait, Math.max(MIN_WAIT_MS, next - this.#clock.now()))
      } catch (error) {
        this.#context.log('Reading the schedules failed', error)
      }
      this.#wake = new AbortController()
      if (this.#dirty || this.#stopped) continue
      try {
        await this.#clock.sleep(wait, this.#wake.signal)
      } catch {
        // Woken early: look again.
      }
    }
  }

  #decide(schedule: ScheduleRecord, now: number): RunDecision | null {
    try {
      return decideRun(
        timedRule(schedule.rule, schedule.timeZone),
        {
          anchor: Date.parse(schedule.anchorAt),
          lastSlot: schedule.lastSlotAt === null ? null : Date.parse(schedule.lastSlotAt),
        },
        now,
      )
    } catch (error) {
      // A saved schedule always has what it needs: reaching here is a bug, not a reason to stop.
      this.#context.log(`The schedule of profile #${schedule.profileId} cannot be read`, error)
      return null
    }
  }

  async #fire(schedule: ScheduleRecord, slot: number, now: number): Promise<void> {
    const context = this.#context
    const schedules = context.history.schedules
    const slotAt = new Date(slot).toISOString()
    const at = new Date(now).toISOString()
    if (!schedules.claimSlot(schedule, slotAt)) return
    let profile: Profile
    try {
      profile = context.profiles.get(schedule.profileId)
    } catch {
      // Removed meanwhile: its schedule went with it.
      return
    }
    const told = { profileId: profile.id, profileName: profile.name }
    try {
      const start = await startSync(context, this.#runner, {
        profile,
        days: schedule.days,
        ...(schedule.stateIds === null ? {} : { stateIds: schedule.stateIds }),
        mode: 'background',
        options: { ...schedule.options, rateLimit: DEFAULT_RATE_LIMIT },
      })
      if (start.kind === 'busy') {
        schedules.recordRun(profile.id, { at, outcome: 'busy', sendingId: null, error: null })
        this.#tell({ ...told, outcome: 'busy', sendingId: null, counts: null, error: null })
        return
      }
      const { sending, done } = start.launched
      schedules.recordRun(profile.id, {
        at,
        outcome: 'started',
        sendingId: sending.id,
        error: null,
      })
      done.then(
        (ended) => {
          this.#tell({ ...told, ...endOf(ended) })
          // After each sync, the payloads and answers past the days kept go (when it is on).
          applyRetentionIfSet(context)
        },
        (error: unknown) =>
          context.log(`Scheduled sending #${sending.id} stopped on an unexpected error`, error),
      )
    } catch (error) {
      const value = toErrorValue(error, context.log)
      if (value.code === 'shutting_down') {
        // The app is closing: the slot is left for the next start to catch up.
        schedules.releaseSlot(profile.id, slotAt, schedule.lastSlotAt)
        return
      }
      schedules.recordRun(profile.id, {
        at,
        outcome: 'failed_to_start',
        sendingId: null,
        error: value,
      })
      this.#tell({
        ...told,
        outcome: 'failed_to_start',
        sendingId: null,
        counts: null,
        error: value,
      })
    }
  }

  #tell(event: ScheduledRunEvent): void {
    try {
      this.#onRun(event)
    } catch (error) {
      this.#context.log('A scheduled-run listener failed', error)
    }
  }
}

function endOf(
  sending: SendingRecord,
): Pick<ScheduledRunEvent, 'outcome' | 'sendingId' | 'counts' | 'error'> {
  const error: AppErrorValue | null = sending.fatalError
    ? { code: sending.fatalError.code, message: sending.fatalError.message }
    : null
  return { outcome: sending.state, sendingId: sending.id, counts: sending.counts, error }
}
