import { describe, expect, it } from 'vitest'
import { outcomeReasonText } from '../../renderer/i18n/outcome-reason'
import {
  FAILURE_REASON_CODES,
  SKIP_REASON_CODES,
  UNKNOWN_REASON,
} from '../../main/core/history/outcome-reasons'
import { translator } from '../store/translatable-errors'

describe('outcomeReasonText', () => {
  const en = translator('en').t
  const es = translator('es').t

  it('says each skip reason with its count, in agreement', () => {
    expect(outcomeReasonText(en, 'skipped', 'customer_deleted', 20)).toBe(
      '20 orders of deleted customers',
    )
    expect(outcomeReasonText(en, 'skipped', 'customer_deleted', 1)).toBe(
      '1 order of a deleted customer',
    )
    expect(outcomeReasonText(es, 'skipped', 'customer_deleted', 20)).toBe(
      '20 pedidos de clientes eliminados',
    )
    expect(outcomeReasonText(es, 'skipped', 'no_email', 1)).toBe('1 pedido sin correo electrónico')
    expect(outcomeReasonText(es, 'skipped', 'no_email', 14)).toBe(
      '14 pedidos sin correo electrónico',
    )
    expect(outcomeReasonText(en, 'skipped', 'no_email', 1234)).toBe('1,234 orders without e-mail')
  })

  it('says Connectif failures, an answer without a code, and a code it does not know', () => {
    expect(outcomeReasonText(en, 'failed', 'E0101', 3)).toBe(
      '3 orders whose contact is not in Connectif',
    )
    expect(outcomeReasonText(es, 'failed', 'network', 1)).toBe(
      '1 pedido no enviado: no se pudo contactar con Connectif',
    )
    expect(outcomeReasonText(en, 'failed', 'http_400', 2)).toBe(
      '2 orders refused by Connectif (HTTP 400)',
    )
    expect(outcomeReasonText(es, 'failed', 'http_503', 2)).toBe(
      '2 pedidos que Connectif no pudo recibir (error del servidor 503)',
    )
    expect(outcomeReasonText(en, 'failed', 'E0999', 5)).toBe('5 orders failed (E0999)')
    expect(outcomeReasonText(es, 'failed', 'E0999', 1)).toBe('1 pedido fallido (E0999)')
    expect(outcomeReasonText(en, 'skipped', null, 2)).toBe('2 orders skipped (each order says why)')
  })

  it('has a sentence in both languages for every known code and count', () => {
    const cases = [
      ...[...SKIP_REASON_CODES, UNKNOWN_REASON].map((code) => ['skipped', code] as const),
      ...[...FAILURE_REASON_CODES, UNKNOWN_REASON].map((code) => ['failed', code] as const),
    ]
    for (const t of [en, es])
      for (const [result, code] of cases)
        for (const count of [1, 2, 1_000_000]) {
          const text = outcomeReasonText(t, result, code, count)
          expect(text).not.toContain('outcome.')
          expect(text).not.toContain('{{')
          expect(text).not.toContain('(' + code + ')')
        }
  })
})
