import { describe, expect, it } from 'vitest'
import { tallyWeeks, WeekTally, weekStartOf } from '../../main/core/store/week-counts'

describe('weeks on the shop clock', () => {
  it('starts each week on its Monday, across months, years and leap days', () => {
    expect(weekStartOf('2025-06-16')).toBe('2025-06-16') // a Monday
    expect(weekStartOf('2025-06-22 23:59:59')).toBe('2025-06-16') // its Sunday, last second
    expect(weekStartOf('2025-06-23 00:00:00')).toBe('2025-06-23') // the next Monday
    expect(weekStartOf('2025-01-01')).toBe('2024-12-30') // a week across the new year
    expect(weekStartOf('2024-03-02')).toBe('2024-02-26') // a week across a leap day
    expect(() => weekStartOf('June 16')).toThrow(RangeError)
  })

  it('adds up groups by week then state, leaving out empty ones', () => {
    expect(
      tallyWeeks([
        { weekStart: '2025-06-23', stateId: 2, orders: 1 },
        { weekStart: '2025-06-16', stateId: 4, orders: 2 },
        { weekStart: '2025-06-16', stateId: 2, orders: 3 },
        { weekStart: '2025-06-23', stateId: 2, orders: 4 },
        { weekStart: '2025-06-30', stateId: 2, orders: 0 },
      ]),
    ).toEqual([
      { weekStart: '2025-06-16', stateId: 2, orders: 3 },
      { weekStart: '2025-06-16', stateId: 4, orders: 2 },
      { weekStart: '2025-06-23', stateId: 2, orders: 5 },
    ])
  })

  it('counts orders one at a time by the day they were placed', () => {
    const tally = new WeekTally()
    tally.add('2025-06-22 23:59:59', 2)
    tally.add('2025-06-23 00:00:00', 2)
    tally.add('2025-06-17 10:00:00', 2)
    tally.add('2025-06-17 11:00:00', 6)
    expect(tally.result()).toEqual([
      { weekStart: '2025-06-16', stateId: 2, orders: 2 },
      { weekStart: '2025-06-16', stateId: 6, orders: 1 },
      { weekStart: '2025-06-23', stateId: 2, orders: 1 },
    ])
  })
})
