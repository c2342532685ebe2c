import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import {
  decideRun,
  keepsSlots,
  latestSlotAtOrBefore,
  nextRunAt,
  nextSlotAfter,
  timedRule,
  type SlotState,
  type TimedRule,
} from '../../main/core/schedule/schedule-times'
import { SCHEDULE_DAYS } from '../../main/core/schedule/schedule-types'
import { SYNC_DAYS } from '../../main/core/sending/sending-rules'
import { ManualClock } from '../support/virtual-clock'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** An instant given as wall-clock time in a zone, e.g. at('2025-03-30 01:00', 'Europe/Madrid'). */
function at(local: string, zone = 'UTC'): number {
  const instant = DateTime.fromSQL(local, { zone })
  if (!instant.isValid) throw new Error(`bad time ${local}`)
  return instant.toMillis()
}

/** An instant as ISO with the zone's offset, to compare readably. */
function iso(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? ''
}

/**
 * What a running app would do: on a manual clock, look every `step` whether a run is due, and
 * run it (recording its slot) when it is. Returns the instants runs happened at.
 */
async function simulate(
  rule: TimedRule,
  state: SlotState,
  from: number,
  to: number,
  step = 5 * MINUTE,
): Promise<{ runs: number[]; slots: number[]; state: SlotState }> {
  const clock = new ManualClock(from)
  const runs: number[] = []
  const slots: number[] = []
  let current = state
  while (clock.now() <= to) {
    const decision = decideRun(rule, current, clock.now())
    if (decision.due) {
      runs.push(clock.now())
      slots.push(decision.slot)
      current = { ...current, lastSlot: decision.slot }
    }
    await clock.advance(step)
  }
  return { runs, slots, state: current }
}

describe('every N hours', () => {
  const rule: TimedRule = { kind: 'every', hours: 6 }
  const anchor = at('2025-06-01 10:00')

  it('runs first one period after the anchor, then every period', async () => {
    expect(nextSlotAfter(rule, anchor, anchor)).toBe(anchor + 6 * HOUR)
    expect(nextSlotAfter(rule, anchor, anchor + 6 * HOUR)).toBe(anchor + 12 * HOUR)
    expect(latestSlotAtOrBefore(rule, anchor, anchor + 6 * HOUR - 1)).toBeNull()
    const { runs } = await simulate(rule, { anchor, lastSlot: null }, anchor, anchor + 24 * HOUR)
    expect(runs).toEqual([6, 12, 18, 24].map((hours) => anchor + hours * HOUR))
  })

  it('counts elapsed hours, whatever the clocks of a zone do', async () => {
    // Across the spring-forward night in Madrid: still 6 hours apart.
    const madrid = at('2025-03-29 22:00', 'Europe/Madrid')
    const { runs } = await simulate(
      rule,
      { anchor: madrid, lastSlot: null },
      madrid,
      madrid + 12 * HOUR,
    )
    expect(runs.map((run) => iso(run, 'Europe/Madrid'))).toEqual([
      '2025-03-30T05:00:00+02:00',
      '2025-03-30T11:00:00+02:00',
    ])
  })

  it('runs a missed slot once at the next start, then keeps to its grid', () => {
    // Last run at the 6 h slot; the computer was off from 7 h to 31 h (four slots missed).
    const state = { anchor, lastSlot: anchor + 6 * HOUR }
    const now = anchor + 31 * HOUR
    expect(decideRun(rule, state, now)).toEqual({ due: true, slot: anchor + 30 * HOUR })
    const after = { anchor, lastSlot: anchor + 30 * HOUR }
    expect(decideRun(rule, after, now)).toEqual({ due: false, nextAt: anchor + 36 * HOUR })
  })

  it('does not run again when the clock was set back before the last slot', () => {
    const state = { anchor, lastSlot: anchor + 12 * HOUR }
    expect(decideRun(rule, state, anchor + 7 * HOUR)).toEqual({
      due: false,
      nextAt: anchor + 18 * HOUR,
    })
  })
})

describe('daily at a time in a zone', () => {
  const madrid: TimedRule = { kind: 'daily', time: '02:30', zone: 'Europe/Madrid' }
  const newYork: TimedRule = { kind: 'daily', time: '02:30', zone: 'America/New_York' }

  it('runs at that wall-clock time, the day of the anchor when still ahead', () => {
    const anchor = at('2025-06-01 01:00', 'Europe/Madrid')
    expect(iso(nextSlotAfter(madrid, anchor, anchor), 'Europe/Madrid')).toBe(
      '2025-06-01T02:30:00+02:00',
    )
    const later = at('2025-06-01 02:30', 'Europe/Madrid')
    expect(iso(nextSlotAfter(madrid, anchor, later), 'Europe/Madrid')).toBe(
      '2025-06-02T02:30:00+02:00',
    )
    // Saved after today's time: the first run is tomorrow, not at once.
    const afternoon = at('2025-06-01 15:00', 'Europe/Madrid')
    expect(decideRun(madrid, { anchor: afternoon, lastSlot: null }, afternoon + HOUR)).toEqual({
      due: false,
      nextAt: at('2025-06-02 02:30', 'Europe/Madrid'),
    })
  })

  for (const [rule, zone, from, expected] of [
    [
      madrid,
      'Europe/Madrid',
      '2025-03-29 00:00',
      ['2025-03-29T02:30:00+01:00', '2025-03-30T03:30:00+02:00', '2025-03-31T02:30:00+02:00'],
    ],
    [
      newYork,
      'America/New_York',
      '2025-03-08 00:00',
      ['2025-03-08T02:30:00-05:00', '2025-03-09T03:30:00-04:00', '2025-03-10T02:30:00-04:00'],
    ],
  ] as const) {
    it(`on the spring-forward day in ${zone}, runs once, at the shifted time`, async () => {
      const start = at(from, zone)
      const { runs } = await simulate(
        rule,
        { anchor: start, lastSlot: null },
        start,
        start + 72 * HOUR,
      )
      expect(runs.map((run) => iso(run, zone))).toEqual(expected)
    })
  }

  it('on the fall-back day in Europe/Madrid, runs once, at the first 02:30', async () => {
    const from = at('2025-10-25 12:00', 'Europe/Madrid')
    const { runs } = await simulate(
      madrid,
      { anchor: from, lastSlot: null },
      from,
      from + 48 * HOUR,
    )
    expect(runs.map((run) => iso(run, 'Europe/Madrid'))).toEqual([
      '2025-10-26T02:30:00+02:00',
      '2025-10-27T02:30:00+01:00',
    ])
  })

  it('on the fall-back day in America/New_York, runs 01:30 once, at its first occurrence', async () => {
    const rule: TimedRule = { kind: 'daily', time: '01:30', zone: 'America/New_York' }
    const from = at('2025-11-01 12:00', 'America/New_York')
    const { runs } = await simulate(rule, { anchor: from, lastSlot: null }, from, from + 48 * HOUR)
    expect(runs.map((run) => iso(run, 'America/New_York'))).toEqual([
      '2025-11-02T01:30:00-04:00',
      '2025-11-03T01:30:00-05:00',
    ])
    // The second 01:30 (EST) is the same slot: nothing is due.
    const second = at('2025-11-02 06:30') // 01:30 EST
    expect(
      decideRun(rule, { anchor: from, lastSlot: at('2025-11-02 05:30') }, second + MINUTE),
    ).toEqual({ due: false, nextAt: at('2025-11-03 01:30', 'America/New_York') })
  })

  it('runs a run missed while the computer was off once, at the next start', async () => {
    // Last run on June 1st; the computer was off until June 5th at 10:00.
    const anchor = at('2025-05-20 12:00', 'Europe/Madrid')
    const lastSlot = at('2025-06-01 02:30', 'Europe/Madrid')
    const start = at('2025-06-05 10:00', 'Europe/Madrid')
    const { runs, slots } = await simulate(
      madrid,
      { anchor, lastSlot },
      start,
      at('2025-06-06 02:00', 'Europe/Madrid'),
    )
    expect(runs).toEqual([start])
    expect(slots).toEqual([at('2025-06-05 02:30', 'Europe/Madrid')])
    expect(nextRunAt(madrid, { anchor, lastSlot: slots[0]! }, start)).toBe(
      at('2025-06-06 02:30', 'Europe/Madrid'),
    )
  })

  it('runs once after a sleep across several slots, checked only on waking', async () => {
    const anchor = at('2025-06-01 00:00', 'America/New_York')
    // Checked every minute until June 1st 03:00, then asleep (no check) for three days.
    const first = await simulate(newYork, { anchor, lastSlot: null }, anchor, anchor + 3 * HOUR)
    expect(first.runs).toHaveLength(1)
    const woken = anchor + 3 * HOUR + 3 * 24 * HOUR
    const second = await simulate(newYork, first.state, woken, woken + 10 * MINUTE)
    expect(second.runs).toEqual([woken])
  })

  it('says when the next run is: now while one is due', () => {
    const anchor = at('2025-06-01 00:00', 'Europe/Madrid')
    const now = at('2025-06-03 12:00', 'Europe/Madrid')
    expect(nextRunAt(madrid, { anchor, lastSlot: null }, now)).toBe(now)
  })
})

describe('keepsSlots', () => {
  const every = { enabled: true, rule: { kind: 'every', hours: 6 }, zone: null } as const
  const daily = {
    enabled: true,
    rule: { kind: 'daily', time: '02:30' },
    zone: 'Europe/Madrid',
  } as const

  it('keeps them while the rule and zone stay and the schedule stays on', () => {
    expect(keepsSlots(every, { ...every })).toBe(true)
    expect(keepsSlots(daily, { ...daily })).toBe(true)
  })

  it('starts afresh when switched on, or when when it runs changes', () => {
    expect(keepsSlots({ ...every, enabled: false }, every)).toBe(false)
    expect(keepsSlots(every, { ...every, enabled: false })).toBe(false)
    expect(keepsSlots(every, { ...every, rule: { kind: 'every', hours: 2 } })).toBe(false)
    expect(keepsSlots(every, daily)).toBe(false)
    expect(keepsSlots(daily, { ...daily, rule: { kind: 'daily', time: '03:00' } })).toBe(false)
    expect(keepsSlots(daily, { ...daily, zone: 'America/New_York' })).toBe(false)
  })
})

describe('timedRule', () => {
  it('needs the zone for a daily time only', () => {
    expect(timedRule({ kind: 'every', hours: 2 }, null)).toEqual({ kind: 'every', hours: 2 })
    expect(timedRule({ kind: 'daily', time: '08:00' }, 'Europe/Madrid')).toEqual({
      kind: 'daily',
      time: '08:00',
      zone: 'Europe/Madrid',
    })
    expect(() => timedRule({ kind: 'daily', time: '08:00' }, null)).toThrow(RangeError)
  })
})

it("keeps the schedule's window bounds equal to the sync's", () => {
  expect(SCHEDULE_DAYS).toEqual(SYNC_DAYS)
})
