import { describe, expect, it } from 'vitest'
import {
  checkTargetsAgainstStore,
  ConnectifRouter,
  routeLabel,
  splitOrdersByTarget,
} from '../../main/core/sending/connectif-routing'
import type { StoreOverview } from '../../main/core/store/store-source'
import type { ConnectifTarget } from '../../main/core/profiles/profile-types'
import { checkTargets } from '../../main/core/profiles/profile-rules'

const overview = {
  languages: [
    { id: 1, isoCode: 'en', name: 'English', active: true, shopIds: [1, 2] },
    { id: 2, isoCode: 'es', name: 'Español', active: true, shopIds: [1, 2] },
    { id: 3, isoCode: 'fr', name: 'Français', active: true, shopIds: [1] },
  ],
  currencies: [
    { id: 1, isoCode: 'EUR', precision: 2, name: 'Euro', active: true, deleted: false },
    { id: 2, isoCode: 'USD', precision: 2, name: 'Dollar', active: true, deleted: false },
  ],
  shops: [{ id: 1 }, { id: 2 }],
} as unknown as StoreOverview

function target(id: string, fields: Partial<ConnectifTarget>): ConnectifTarget {
  return {
    id,
    apiUrl: 'https://api.connectif.cloud',
    keyEnv: `KEY_${id}`,
    languages: [],
    currencies: [],
    shopIds: [],
    ...fields,
  }
}

const spanishEuro = target('es', { languages: ['es'], currencies: ['EUR'] })
const englishDollar = target('en', { languages: ['en'], currencies: ['USD'] })
const order = (languageId: number, currency: string, shopId = 1) => ({
  languageId,
  shopId,
  currency: { isoCode: currency },
})

describe('routing orders to Connectif accounts', () => {
  it('sends everything to the main account when the profile has no targets', () => {
    const router = new ConnectifRouter([], true, overview)
    expect(router.routed).toBe(false)
    expect(router.route(order(3, 'USD'))).toEqual({ kind: 'main' })
  })

  it('picks the one target serving the order language, currency and shop, amounts as paid', () => {
    const router = new ConnectifRouter([spanishEuro, englishDollar], true, overview)
    expect(router.route(order(2, 'EUR'))).toEqual({
      kind: 'target',
      target: spanishEuro,
      currency: 'order',
    })
    expect(routeLabel(router.route(order(1, 'USD')))).toBe('lang=en,currency=USD')
  })

  it('sends the rest to the main account, or skips it with the reason when there is none', () => {
    expect(new ConnectifRouter([spanishEuro], true, overview).route(order(3, 'EUR'))).toEqual({
      kind: 'main',
    })
    const route = new ConnectifRouter([spanishEuro], false, overview).route(order(3, 'EUR'))
    expect(route.kind).toBe('unrouted')
    expect(route.kind === 'unrouted' && route.reason).toMatch(/language fr, currency EUR, shop 1/)
  })

  it('converts to the shop currency for a target that serves any currency', () => {
    const byShop = target('shop2', { shopIds: [2] })
    expect(new ConnectifRouter([byShop], false, overview).route(order(1, 'USD', 2))).toEqual({
      kind: 'target',
      target: byShop,
      currency: 'shop-default',
    })
  })

  it('refuses overlapping, empty and malformed targets, saying which and why', () => {
    expect(checkTargets([spanishEuro, englishDollar], true)).toEqual([])
    expect(checkTargets([spanishEuro, target('es2', { languages: ['es'] })], true)).toEqual([
      expect.stringMatching(/Targets 1 .* and 2 .*language es, currency EUR, shop any/),
    ])
    expect(checkTargets([target('all', {})], true)[0]).toMatch(/main Connectif account does/)
    const problems = checkTargets(
      [target('bad', { languages: ['Spanish'], currencies: ['eur'], apiUrl: 'nope' })],
      false,
    )
    // The address is the schema's to check (profile-schema.test.ts): routing checks conditions.
    expect(problems).toHaveLength(2)
    expect(problems.join(' ')).toMatch(/"Spanish" is not a language ISO code/)
    expect(problems.join(' ')).toMatch(/"eur" is not a currency ISO code/)
  })

  it('names what a target serves that the store does not have', () => {
    expect(checkTargetsAgainstStore([spanishEuro], overview)).toEqual([])
    expect(
      checkTargetsAgainstStore([target('de', { languages: ['de'], shopIds: [9] })], overview),
    ).toEqual([
      expect.objectContaining({
        code: 'target_unknown_language',
        params: expect.objectContaining({ value: 'de', known: 'en, es, fr', position: '1' }),
        message: expect.stringMatching(
          /language "de", which the store does not have \(it has en, es, fr\)/,
        ),
      }),
      expect.objectContaining({
        code: 'target_unknown_shop',
        message: expect.stringMatching(/shop 9/),
      }),
    ])
  })
})

describe('splitting a range across accounts', () => {
  it('adds up the store counts of the chosen states per account, unserved ones under ""', () => {
    const router = new ConnectifRouter([spanishEuro, englishDollar], false, overview)
    const groups = [
      { stateId: 2, shopId: 1, languageId: 2, currencyId: 1, orders: 5 },
      { stateId: 2, shopId: 1, languageId: 1, currencyId: 2, orders: 3 },
      { stateId: 2, shopId: 1, languageId: 3, currencyId: 1, orders: 2 },
      { stateId: 6, shopId: 1, languageId: 2, currencyId: 1, orders: 9 },
    ]
    expect(splitOrdersByTarget(groups, [2], router, overview)).toEqual([
      { target: 'lang=es,currency=EUR', orders: 5 },
      { target: 'lang=en,currency=USD', orders: 3 },
      { target: '', orders: 2 },
    ])
  })
})
