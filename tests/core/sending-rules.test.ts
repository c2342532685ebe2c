import { describe, expect, it } from 'vitest'
import {
  checkSendingRules,
  earliestStart,
  latestEnd,
  todayInZone,
} from '../../main/core/sending/sending-rules'

const context = { today: '2026-11-27', knownStateIds: [1, 2, 3, 4, 5, 18] }
const codes = (draft: Parameters<typeof checkSendingRules>[0]): string[] =>
  checkSendingRules(draft, context).map((violation) => violation.code)

describe('sending rules', () => {
  it('accepts a range of up to one year, both ends included', () => {
    expect(codes({ from: '2025-11-28', to: '2026-11-27', stateIds: [2] })).toEqual([])
    expect(codes({ from: '2026-11-27', to: '2026-11-27', stateIds: [2, 18] })).toEqual([])
    expect(codes({ from: '2025-11-27', to: '2026-11-27', stateIds: [2] })).toEqual([
      'range_over_one_year',
    ])
  })

  it('requires both dates, real ones, in order', () => {
    expect(codes({ stateIds: [2] })).toEqual(['from_missing', 'to_missing'])
    expect(codes({ from: '2026-02-30', to: '2026-13-01', stateIds: [2] })).toEqual([
      'from_invalid',
      'to_invalid',
    ])
    expect(codes({ from: '2026-03-02', to: '2026-03-01', stateIds: [2] })).toEqual([
      'to_before_from',
    ])
  })

  it('keeps the range within the last five years and not in the future', () => {
    expect(codes({ from: '2021-11-27', to: '2022-01-01', stateIds: [2] })).toEqual([])
    expect(codes({ from: '2021-11-26', to: '2022-01-01', stateIds: [2] })).toEqual([
      'from_over_five_years_ago',
    ])
    expect(codes({ from: '2026-11-01', to: '2026-11-28', stateIds: [2] })).toEqual(['to_in_future'])
  })

  it('requires known statuses and names the unknown ones', () => {
    expect(codes({ from: '2026-01-01', to: '2026-01-31', stateIds: [] })).toEqual(['no_states'])
    const [violation] = checkSendingRules(
      { from: '2026-01-01', to: '2026-01-31', stateIds: [2, 99, 99] },
      context,
    )
    expect(violation?.code).toBe('unknown_states')
    expect(violation?.message).toContain('99')
    expect(violation?.message).not.toContain('99, 99')
  })

  it('gives the date limits the wizard shows while picking', () => {
    expect(earliestStart('2026-11-27')).toBe('2021-11-27')
    expect(latestEnd('2025-12-01', '2026-11-27')).toBe('2026-11-27')
    expect(latestEnd('2025-03-01', '2026-11-27')).toBe('2026-02-28')
  })

  it("takes today on the shop's clock", () => {
    const lateEvening = Date.UTC(2026, 10, 27, 23, 30)
    expect(todayInZone(lateEvening, 'Europe/Madrid')).toBe('2026-11-28')
    expect(todayInZone(lateEvening, 'America/New_York')).toBe('2026-11-27')
  })
})
