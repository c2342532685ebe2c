import { describe, expect, it } from 'vitest'
import {
  divideRounded,
  ONE_MICROS,
  parseMicros,
  quantityMicros,
} from '../../main/core/purchases/money'

describe('money', () => {
  it('reads decimal strings exactly', () => {
    expect(parseMicros('55.200000')).toBe(55_200_000n)
    expect(parseMicros('0.000001')).toBe(1n)
    expect(parseMicros('12')).toBe(12_000_000n)
    expect(parseMicros('-3.5')).toBe(-3_500_000n)
    expect(parseMicros('.25')).toBe(250_000n)
    expect(parseMicros('1.0000005')).toBe(1_000_001n)
    expect(parseMicros('99999999999999.999999')).toBe(99_999_999_999_999_999_999n)
  })

  it('refuses what is not a decimal number', () => {
    for (const text of ['', '.', 'abc', '1,5', '1e3', '--1'])
      expect(() => parseMicros(text)).toThrow(RangeError)
  })

  it('rounds half away from zero at the requested precision', () => {
    expect(divideRounded(parseMicros('1234.500000'), ONE_MICROS, 0)).toEqual({
      value: 1235,
      text: '1235',
    })
    expect(divideRounded(parseMicros('19.755000'), ONE_MICROS, 2)).toEqual({
      value: 19.76,
      text: '19.76',
    })
    expect(divideRounded(parseMicros('19.754999'), ONE_MICROS, 2)).toEqual({
      value: 19.75,
      text: '19.75',
    })
    expect(divideRounded(parseMicros('-0.005000'), ONE_MICROS, 2)).toEqual({
      value: -0.01,
      text: '-0.01',
    })
    expect(divideRounded(parseMicros('0.040000'), ONE_MICROS, 2)).toEqual({
      value: 0.04,
      text: '0.04',
    })
  })

  it('divides by rates and quantities exactly before rounding once', () => {
    // 108 USD at 1.08 USD per EUR is exactly 100 EUR.
    expect(divideRounded(parseMicros('108.000000'), parseMicros('1.080000'), 2)).toEqual({
      value: 100,
      text: '100.00',
    })
    // 73.70 for 3 units: 24.5666… a unit.
    expect(divideRounded(parseMicros('73.700000'), quantityMicros(3), 2)).toEqual({
      value: 24.57,
      text: '24.57',
    })
    expect(() => divideRounded(1n, 0n, 2)).toThrow(RangeError)
  })
})
