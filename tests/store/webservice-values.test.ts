import { describe, expect, it } from 'vitest'
import { normaliseShopUrl } from '../../main/core/store/webservice/webservice-client'
import {
  associationIds,
  decimal,
  entitiesOf,
  flag,
  integer,
  text,
  translation,
  translations,
} from '../../main/core/store/webservice/webservice-values'
import { StoreError } from '../../main/core/store/store-errors'

describe('Webservice JSON values', () => {
  it('reads a list, the bare [] of 1.6/1.7 and the {"orders":[]} of 8/9 alike', () => {
    expect(entitiesOf({ orders: [{ id: 1 }, { id: 2 }] }, 'orders')).toEqual([{ id: 1 }, { id: 2 }])
    expect(entitiesOf([], 'orders')).toEqual([])
    expect(entitiesOf({ orders: [] }, 'orders')).toEqual([])
    expect(entitiesOf({}, 'orders')).toEqual([])
  })

  it('refuses an answer in no shape the Webservice uses, naming the resource', () => {
    expect(() => entitiesOf({ products: [] }, 'orders')).toThrowError(StoreError)
    expect(() => entitiesOf('<html>', 'orders')).toThrowError(/"orders" list/)
  })

  it('parses numbers sent as strings or as numbers, and fields 8.x dropped as falsy', () => {
    const entity = { id: 7, id_shop: '2', current_state: 3, total: '55.200000', valid: '1' }
    expect(integer(entity, 'id')).toBe(7)
    expect(integer(entity, 'id_shop')).toBe(2)
    expect(integer(entity, 'current_state')).toBe(3)
    expect(integer(entity, 'missing')).toBe(0)
    expect(decimal(entity, 'total')).toBe('55.200000')
    expect(decimal(entity, 'missing')).toBe('0')
    expect(flag(entity, 'valid')).toBe(true)
    expect(flag({ valid: 1 }, 'valid')).toBe(true)
    expect(flag({}, 'valid')).toBe(false)
    expect(text({ name: null }, 'name')).toBe('')
  })

  it('reads a multilingual field as an array or as the one language asked for', () => {
    const many = {
      name: [
        { id: '1', value: 'Shirt' },
        { id: '2', value: 'Camisa' },
      ],
    }
    expect(translations(many, 'name', null)).toEqual(
      new Map([
        [1, 'Shirt'],
        [2, 'Camisa'],
      ]),
    )
    expect(translation(many, 'name', 2)).toBe('Camisa')
    expect(translation({ name: 'Camisa' }, 'name', 2)).toBe('Camisa')
    expect(translations({ name: 'Shirt' }, 'name', null).size).toBe(0)
  })

  it('reads association ids in order', () => {
    expect(
      associationIds({ associations: { images: [{ id: '9' }, { id: 4 }] } }, 'images'),
    ).toEqual([9, 4])
    expect(associationIds({}, 'images')).toEqual([])
  })
})

describe('shop address', () => {
  it('accepts what merchants paste and keeps the shop folder', () => {
    expect(normaliseShopUrl('https://shop.example.com').href).toBe('https://shop.example.com/')
    expect(normaliseShopUrl(' shop.example.com/boutique ').href).toBe(
      'https://shop.example.com/boutique/',
    )
    expect(normaliseShopUrl('https://shop.example.com/api/').href).toBe('https://shop.example.com/')
    expect(
      normaliseShopUrl('http://shop.example.com/fr/webservice/dispatcher.php?url=orders').href,
    ).toBe('http://shop.example.com/fr/')
  })

  it('refuses what cannot be a shop address, saying why', () => {
    expect(() => normaliseShopUrl('ftp://shop.example.com')).toThrowError(/http:\/\/ or https:\/\//)
    expect(() => normaliseShopUrl('https://user:pass@shop.example.com')).toThrowError(
      /user name or password/,
    )
    expect(() => normaliseShopUrl('http://')).toThrowError(/not a web address/)
  })
})
