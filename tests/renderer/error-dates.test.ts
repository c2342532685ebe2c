import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import { errorText } from '../../renderer/i18n/error-text'
import { dayFieldFormat, formatDay } from '../../renderer/i18n/locale-format'
import { profileRuleMessages } from '../../renderer/i18n/profile-rule-messages'
import { ruleMessage } from '../../renderer/i18n/rule-message'
import { translator } from '../store/translatable-errors'

/**
 * Main sends days as `YYYY-MM-DD` and targets by their label; an error or a broken rule says them
 * as the rest of the screens do: days in the locale's own format, targets by what they serve.
 */
describe('days and targets in error texts', () => {
  const en = translator('en').t
  const es = translator('es').t
  const endBeforeStart = {
    code: 'store_invalid_request',
    message: 'The end date 2025-02-01 is before the start date 2025-03-01.',
    params: { reason: 'end_before_start', from: '2025-03-01', to: '2025-02-01' },
  }

  it('say the days of an error in the locale format', () => {
    expect(errorText(en, endBeforeStart)).toBe(
      'The end date 2/1/2025 is before the start date 3/1/2025.',
    )
    expect(errorText(es, endBeforeStart)).toBe(
      'La fecha de fin 1/2/2025 es anterior a la de inicio 1/3/2025.',
    )
    // A language given explicitly wins over the one of `t`.
    expect(errorText(en, endBeforeStart, 'es')).toContain('1/2/2025')
  })

  it('leave a day that does not exist as it was written, without spelling a format', () => {
    const text = errorText(es, {
      code: 'store_invalid_request',
      message: 'Invalid date range 2025-02-30 – 2025-03-01',
      params: { reason: 'invalid_dates', from: '2025-02-30', to: '2025-03-01' },
    })
    expect(text).toBe(
      'El rango de fechas 2025-02-30 – 1/3/2025 no es válido: elige días que existan en el calendario.',
    )
    expect(text).not.toMatch(/AAAA|YYYY/)
  })

  it('say the days of a broken sending rule in the locale format, without being told the language', () => {
    const rule = {
      field: 'to',
      code: 'range_over_one_year',
      message: 'The range covers more than one year…',
      params: { from: '2024-03-01', to: '2025-06-01', limit: '2025-02-28' },
    }
    expect(ruleMessage(es, rule)).toBe(
      'El rango abarca más de un año: empezando el 1/3/2024, debe terminar como tarde el 28/2/2025.',
    )
    expect(ruleMessage(en, rule)).toBe(
      'The range covers more than one year: starting on 3/1/2024, it must end by 2/28/2025.',
    )
    const future = {
      field: 'to',
      code: 'to_in_future',
      message: '…',
      params: { today: '2026-12-05' },
    }
    expect(ruleMessage(es, future)).toBe(
      'La fecha de fin está en el futuro: no puede ser posterior a hoy, 5/12/2026.',
    )
    expect(ruleMessage(en, future)).toBe(
      'The end date is in the future: it cannot be after today, 12/5/2026.',
    )
  })

  it('name a target by what it serves, never by its label', () => {
    const unknownCurrency = {
      field: 'targets',
      code: 'target_unknown_currency',
      message: 'Target 2 (lang=en,currency=GBP) serves the currency "GBP", …',
      params: { position: '2', label: 'lang=en,currency=GBP', value: 'GBP', known: 'EUR, USD' },
    }
    expect(ruleMessage(es, unknownCurrency)).toBe(
      'El destino 2 (inglés · GBP) atiende la moneda "GBP", que la tienda no tiene (tiene EUR, USD).',
    )
    expect(ruleMessage(en, unknownCurrency)).toBe(
      'Target 2 (English · GBP) serves the currency "GBP", which the store does not have (it has EUR, USD).',
    )
    const removed = {
      code: 'target_removed',
      message: '…',
      params: { target: 'lang=es,currency=EUR', position: '2', profile: 'Tienda' },
    }
    expect(errorText(en, removed)).toMatch(
      /^This sending sends orders to target 2 \(Spanish · EUR\),/,
    )
    expect(errorText(es, removed)).toMatch(
      /^Este envío manda pedidos al destino 2 \(español · EUR\),/,
    )
    expect(
      profileRuleMessages(en)('target_repeats_id', { position: '1', label: 'lang=es', id: 'a' }),
    ).toBe('Target 1 (Spanish, any currency) repeats the id "a".')
  })
})

describe('date fields', () => {
  it('write a day as the sentences do, in both languages', () => {
    expect(dayFieldFormat('en')).toBe('M/d/yyyy')
    expect(dayFieldFormat('es')).toBe('d/M/yyyy')
    for (const language of ['en', 'es'])
      for (const day of ['2025-01-03', '2025-05-13', '2025-09-30', '2026-12-05'])
        expect(DateTime.fromISO(day, { locale: language }).toFormat(dayFieldFormat(language))).toBe(
          formatDay(language, day),
        )
  })
})
