import { describe, expect, it } from 'vitest'
import { targetLabel } from '../../main/core/profiles/profile-rules'
import {
  accountName,
  conditionName,
  parseTargetLabel,
  targetName,
} from '../../renderer/i18n/account-name'
import { languageOf } from '../../renderer/i18n/language-of'
import { translator } from '../store/translatable-errors'

/**
 * A routing target's label (`lang=es,currency=EUR`, for reports and the command line) is said on
 * screen by what the target serves, in the UI's language.
 */
describe('account names', () => {
  const en = translator('en').t
  const es = translator('es').t

  it('say a target by its language and currency', () => {
    expect(accountName(en, 'lang=es,currency=EUR')).toBe('Spanish · EUR')
    expect(accountName(es, 'lang=es,currency=EUR')).toBe('Español · EUR')
  })

  it('say which condition a target leaves open', () => {
    expect(accountName(en, 'lang=es')).toBe('Spanish, any currency')
    expect(accountName(es, 'lang=es')).toBe('Español, cualquier moneda')
    expect(accountName(en, 'currency=USD')).toBe('USD, any language')
    expect(accountName(es, 'currency=USD')).toBe('USD, cualquier idioma')
  })

  it('say several languages, currencies and shops as alternatives, shops agreeing in number', () => {
    const label = 'lang=es+ca,currency=EUR+USD,shops=1+2'
    expect(accountName(en, label)).toBe('Spanish or Catalan · EUR or USD · shops 1 or 2')
    expect(accountName(es, label)).toBe('Español o catalán · EUR o USD · tiendas 1 o 2')
    expect(accountName(en, 'shops=3')).toBe('Shop 3')
    expect(accountName(es, 'lang=pt-br,shops=3')).toBe(
      'Portugués de Brasil, cualquier moneda · tienda 3',
    )
  })

  it('say the main account and no account in words', () => {
    expect(accountName(en, 'main')).toBe('Main account')
    expect(accountName(es, 'main')).toBe('Cuenta principal')
    expect(accountName(en, '')).toBe('No account (not sent)')
    expect(accountName(es, '')).toBe('Sin cuenta (no se envían)')
  })

  it('go inside a sentence in lower case where the language writes it so', () => {
    expect(conditionName(es, 'lang=es,currency=EUR')).toBe('español · EUR')
    expect(conditionName(en, 'lang=es,currency=EUR')).toBe('Spanish · EUR')
    expect(conditionName(es, '')).toBe('sin condición')
    expect(targetName(es, '')).toBe('Sin condición')
  })

  it('read back every label main writes, and show anything else as it is', () => {
    const target = { languages: ['es', 'ca'], currencies: ['EUR'], shopIds: [1, 2] }
    expect(parseTargetLabel(targetLabel(target))).toEqual({
      languages: ['es', 'ca'],
      currencies: ['EUR'],
      shops: ['1', '2'],
    })
    expect(
      parseTargetLabel(targetLabel({ languages: [], currencies: ['USD'], shopIds: [] })),
    ).toEqual({ languages: [], currencies: ['USD'], shops: [] })
    expect(parseTargetLabel('lang=es,lang=en')).toBeNull()
    expect(parseTargetLabel('region=eu')).toBeNull()
    expect(accountName(en, 'region=eu')).toBe('region=eu')
  })

  it('follow the language of the t they are given, fixed or not', () => {
    expect(languageOf(es)).toBe('es')
    expect(languageOf(translator('es').getFixedT('en'))).toBe('en')
    expect(accountName(translator('en').getFixedT('es'), 'lang=en')).toBe(
      'Inglés, cualquier moneda',
    )
  })
})
