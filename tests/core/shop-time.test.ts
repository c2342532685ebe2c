import { describe, expect, it } from 'vitest'
import { isCalendarDay, rangeToLocalBounds, shopLocalToIso } from '../../main/core/time/shop-time'

describe('shop time', () => {
  it('turns an inclusive day range into half-open wall-clock bounds', () => {
    expect(rangeToLocalBounds({ from: '2024-02-01', to: '2024-02-29' })).toEqual({
      start: '2024-02-01 00:00:00',
      endExclusive: '2024-03-01 00:00:00',
    })
    expect(rangeToLocalBounds({ from: '2024-12-31', to: '2024-12-31' })).toEqual({
      start: '2024-12-31 00:00:00',
      endExclusive: '2025-01-01 00:00:00',
    })
  })

  it('refuses days that do not exist', () => {
    expect(isCalendarDay('2025-02-29')).toBe(false)
    expect(isCalendarDay('2024-02-29')).toBe(true)
    expect(isCalendarDay('2024-2-9')).toBe(false)
    expect(() => rangeToLocalBounds({ from: '2025-02-30', to: '2025-03-01' })).toThrow(/YYYY-MM-DD/)
  })

  it('gives each shop-local time the offset the zone had at that instant', () => {
    expect(shopLocalToIso('2025-01-15 10:00:00', 'Europe/Madrid')).toBe('2025-01-15T10:00:00+01:00')
    expect(shopLocalToIso('2025-07-15 10:00:00', 'Europe/Madrid')).toBe('2025-07-15T10:00:00+02:00')
    expect(shopLocalToIso('2025-07-15 10:00:00', 'America/New_York')).toBe(
      '2025-07-15T10:00:00-04:00',
    )
    expect(shopLocalToIso('2025-07-15 10:00:00', 'UTC')).toBe('2025-07-15T10:00:00Z')
  })

  it('handles the daylight-saving changes of the shop zone', () => {
    // Last second before the spring change, and the first second after it (02:00 became 03:00).
    expect(shopLocalToIso('2025-03-30 01:59:59', 'Europe/Madrid')).toBe('2025-03-30T01:59:59+01:00')
    expect(shopLocalToIso('2025-03-30 03:00:00', 'Europe/Madrid')).toBe('2025-03-30T03:00:00+02:00')
    // 02:30 on the autumn change happened twice; the first occurrence is still summer time.
    expect(shopLocalToIso('2025-10-26 02:30:00', 'Europe/Madrid')).toBe('2025-10-26T02:30:00+02:00')
    expect(shopLocalToIso('2025-10-26 03:00:00', 'Europe/Madrid')).toBe('2025-10-26T03:00:00+01:00')
    expect(shopLocalToIso('2025-10-26 01:59:59', 'Europe/Madrid')).toBe('2025-10-26T01:59:59+02:00')
    // Lord Howe Island moves its clocks by half an hour.
    expect(shopLocalToIso('2025-04-06 01:45:00', 'Australia/Lord_Howe')).toBe(
      '2025-04-06T01:45:00+11:00',
    )
  })

  it('rejects the zero dates PrestaShop stores for unset dates', () => {
    expect(() => shopLocalToIso('0000-00-00 00:00:00', 'Europe/Madrid')).toThrow(
      /Invalid shop date/,
    )
  })
})
