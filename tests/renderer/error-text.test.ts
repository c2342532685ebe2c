import { describe, expect, it } from 'vitest'
import { errorText } from '../../renderer/i18n/error-text'
import { translator } from '../store/translatable-errors'

describe('errorText', () => {
  const es = translator('es').t
  const en = translator('en').t

  it('says a store error in Spanish with its params', () => {
    expect(
      errorText(es, {
        code: 'store_access_denied',
        message: 'The database refused the user "shop" with this password (…)',
        params: { reason: 'db_user', user: 'shop' },
      }),
    ).toBe(
      'La base de datos rechazó al usuario "shop" con esta contraseña (desde la dirección de este ordenador). Comprueba el usuario y la contraseña, y que el usuario pueda conectarse desde fuera del servidor.',
    )
    expect(
      errorText(es, {
        code: 'store_database_access_denied',
        message: 'The user "shop" has no access to the database "prestashop". …',
        params: { user: 'shop', database: 'prestashop' },
      }),
    ).toBe(
      'El usuario "shop" no tiene acceso a la base de datos "prestashop". Concédele el permiso SELECT sobre esa base de datos.',
    )
  })

  it('agrees with a count', () => {
    const error = (count: string) => ({
      code: 'store_missing_table',
      message: 'This PrestaShop database lacks …',
      params: { tables: 'ps_orders', count },
    })
    expect(errorText(es, error('1'))).toMatch(
      /^A esta base de datos de PrestaShop le falta la tabla ps_orders\./,
    )
    expect(errorText(es, error('2'))).toMatch(/le faltan las tablas ps_orders\./)
    expect(errorText(en, error('1'))).toMatch(/lacks the table ps_orders\./)
    expect(errorText(en, error('2'))).toMatch(/lacks the tables ps_orders\./)
  })

  it("says the code's general sentence for a reason it does not know", () => {
    expect(
      errorText(es, {
        code: 'store_access_denied',
        message: 'Denied.',
        params: { reason: 'new_reason' },
      }),
    ).toBe('La tienda denegó el acceso.')
  })

  it('falls back to the English message for an unknown code', () => {
    const message = 'Something {{odd}} happened.'
    expect(errorText(es, { code: 'store_no_such_code', message })).toBe(message)
    expect(errorText(es, { code: 'no_such_code', message, params: { odd: 'x' } })).toBe(message)
    expect(errorText(en, { code: '', message })).toBe(message)
  })
})
