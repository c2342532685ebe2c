import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { SendingCounts, SendingRecord } from '../../main/core/history/history-types'
import type { SendingEvent, TargetCounts } from '../../main/core/sending/sending-events'
import { ProgressReporter } from '../../main/core/sending/progress-reporter'
import { ManualClock } from '../support/virtual-clock'

/**
 * The progress throttle on a clock the test moves: the reporter reads the injected clock and
 * waits for its trailing event on it, so time passes only when the test says. Nothing here depends on how fast the machine is.
 */

type ProgressEvent = Extract<SendingEvent, { type: 'progress' }>

const START = Date.parse('2025-03-01T10:00:00.000Z')

let clock: ManualClock

beforeEach(() => {
  clock = new ManualClock(START)
})

/** Moves the clock (and the trailing events due meanwhile) to `ms` after the start. */
async function at(ms: number): Promise<void> {
  await clock.advance(START + ms - clock.now())
}

function sending(): SendingRecord {
  return {
    id: 7,
    profileId: 1,
    profileName: 'Tienda',
    from: '2025-01-01',
    to: '2025-01-31',
    stateIds: [2],
    stateNames: [],
    shopIds: [1],
    mode: 'progress',
    options: {
      triggerWorkflows: false,
      createContacts: true,
      createProducts: true,
      rateLimit: 600,
    },
    state: 'running',
    expectedTotal: 1_000,
    counts: counts(),
    alreadySent: 0,
    origin: 'manual',
    readComplete: false,
    cursor: null,
    createdAt: new Date(START).toISOString(),
    startedAt: new Date(START).toISOString(),
    finishedAt: null,
    fatalError: null,
    ownerPid: process.pid,
    heartbeatAt: null,
    createdOneByOne: { contacts: 0, products: 0 },
  }
}

function counts(overrides: Partial<SendingCounts> = {}): SendingCounts {
  return {
    total: 0,
    created: 0,
    alreadyExisted: 0,
    failed: 0,
    skipped: 0,
    pending: 0,
    ...overrides,
  }
}

/** A reporter over counters the test sets, and the events it published with their clock time. */
function reporter(options: { byTarget?: () => TargetCounts[] } = {}) {
  let current = counts()
  const events: { at: number; event: ProgressEvent }[] = []
  const progress = new ProgressReporter(
    clock,
    sending(),
    () => current,
    (event) => {
      if (event.type === 'progress') events.push({ at: clock.now() - START, event })
    },
    options.byTarget ?? null,
  )
  return {
    progress,
    events,
    set: (next: Partial<SendingCounts>) => (current = counts(next)),
  }
}

describe('the progress throttle', () => {
  it('publishes the first change at once', async () => {
    const { progress, events } = reporter()
    progress.changed()
    expect(events.map(({ at }) => at)).toEqual([0])
  })

  it('publishes at most one event per 100 ms of clock time, however often the counters move', async () => {
    const { progress, events, set } = reporter()
    progress.changed()
    for (let ms = 1; ms <= 1_000; ms++) {
      await at(ms)
      set({ total: ms, pending: ms })
      progress.changed()
    }
    await at(2_000)
    // One event per interval while changes keep coming: throttled, never starved.
    expect(events.map(({ at }) => at)).toEqual([
      0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1_000, 1_100,
    ])
    // The trailing event carries the last counters: a burst's end is never lost.
    expect(events.at(-1)?.event.counts).toEqual(counts({ total: 1_000, pending: 1_000 }))
  })

  it('gathers the changes of one interval into one trailing event, due 100 ms after the last', async () => {
    const { progress, events, set } = reporter()
    progress.changed()
    for (const ms of [10, 20, 30]) {
      await at(ms)
      set({ total: ms })
      progress.changed()
    }
    await at(99)
    expect(events).toHaveLength(1)
    await at(100)
    expect(events.map(({ at }) => at)).toEqual([0, 100])
    expect(events[1]?.event.counts.total).toBe(30)
    await at(1_000)
    expect(events).toHaveLength(2)
  })

  it('publishes at once again after a quiet interval', async () => {
    const { progress, events } = reporter()
    progress.changed()
    await at(500)
    progress.changed()
    expect(events.map(({ at }) => at)).toEqual([0, 500])
  })

  it('publishes nothing once stopped, not even a pending trailing event', async () => {
    const { progress, events } = reporter()
    progress.changed()
    await at(10)
    progress.changed()
    progress.stop()
    await at(1_000)
    progress.changed()
    progress.sent(3)
    await at(2_000)
    expect(events.map(({ at }) => at)).toEqual([0])
  })

  it('reads the per-account counts once a second of clock time at most', async () => {
    const byTarget = vi.fn((): TargetCounts[] => [{ target: 'main', counts: counts() }])
    const { progress, events } = reporter({ byTarget })
    for (let ms = 0; ms <= 2_500; ms += 100) {
      await at(ms)
      progress.changed()
    }
    expect(events).toHaveLength(26)
    expect(events.every(({ event }) => event.byTarget?.[0]?.target === 'main')).toBe(true)
    expect(byTarget).toHaveBeenCalledTimes(3)
  })
})

describe('the pace and the estimate', () => {
  it('count the orders answered in the last minute of clock time', async () => {
    const { progress, events, set } = reporter()
    set({ total: 1_000, pending: 120 })
    progress.sent(10)
    // One answer is no pace yet: the estimate assumes the rate limit (600 a minute).
    expect(events.at(-1)?.event).toMatchObject({ perMinute: 0, etaSeconds: 12 })
    await at(30_000)
    progress.sent(20)
    // 30 orders in half a minute.
    expect(events.at(-1)?.event).toMatchObject({ perMinute: 60, etaSeconds: 120 })
    await at(80_000)
    progress.sent(5)
    // The first answer is over a minute old: 25 orders in the 50 s since the second.
    expect(events.at(-1)?.event).toMatchObject({ perMinute: 30, etaSeconds: 240 })
    set({ total: 1_000, pending: 0 })
    await at(90_000)
    progress.changed()
    expect(events.at(-1)?.event.etaSeconds).toBe(0)
  })

  it('show a wait until the clock passes its end', async () => {
    const { progress, events } = reporter()
    const wait = { reason: 'rate-limit' as const, until: START + 5_000 }
    progress.waiting(wait)
    expect(events.at(-1)?.event.waiting).toEqual(wait)
    await at(4_900)
    progress.changed()
    expect(events.at(-1)?.event.waiting).toEqual(wait)
    await at(5_000)
    progress.sent(1)
    expect(events.map(({ at }) => at)).toEqual([0, 4_900, 5_000])
    expect(events.at(-1)?.event.waiting).toBeNull()
  })

  it('say while another integration shares the account, and stop saying once it is quiet', async () => {
    const { progress, events } = reporter()
    progress.changed()
    expect(events.at(-1)?.event).not.toHaveProperty('sharedWith')
    await at(200)
    progress.sharing({ requestsPerMinute: 30 })
    expect(events.at(-1)?.event.sharedWith).toEqual({ requestsPerMinute: 30 })
    await at(400)
    progress.sharing(null)
    expect(events.at(-1)?.event).not.toHaveProperty('sharedWith')
  })
})
