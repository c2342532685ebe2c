import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import type { CatalogueProduct, PurchaseCreation } from '../../main/core/purchases/purchase'
import { productFiles } from '../../main/core/sending/import-files'
import { catalogueOf, type OrderPayload } from '../../main/core/sending/order-delivery'

const PURCHASE: PurchaseCreation = {
  purchaseId: '42',
  cartId: '7',
  contactEmail: 'ana@example.com',
  purchaseDate: '2025-05-01T10:00:00+02:00',
  totalPrice: 30.5,
  totalQuantity: 2,
  products: [
    {
      productId: '9',
      name: 'Mug (Colour: Red)',
      unitPrice: 15.25,
      quantity: 2,
      price: 30.5,
      unitPriceWithoutVAT: 12.6,
      productDetailUrl: 'https://shop.example/9-1-mug.html',
      categories: ['/Home/Kitchen'],
    },
  ],
}

const DISABLED: CatalogueProduct = {
  productId: '9',
  name: 'Mug',
  unitPrice: 18.15,
  unitPriceWithoutVAT: 15,
  productDetailUrl: 'https://shop.example/9-mug.html',
  categories: ['/Home/Kitchen'],
  availability: 'outofstock',
  isBlacklisted: true,
}

describe('the products a sending creates', () => {
  it('are the catalogue entries its payload recorded', () => {
    const payload: OrderPayload = {
      purchase: PURCHASE,
      contact: { email: 'ana@example.com' },
      catalogue: [DISABLED],
    }
    expect(catalogueOf(payload)).toEqual([DISABLED])
  })

  it('come from the purchase lines of a payload recorded before catalogue entries were', () => {
    const payload: OrderPayload = { purchase: PURCHASE, contact: { email: 'ana@example.com' } }
    // As such a sending sent them then: the line's name, prices and links, Connectif's defaults.
    expect(catalogueOf(payload)).toEqual([
      {
        productId: '9',
        name: 'Mug (Colour: Red)',
        unitPrice: 15.25,
        unitPriceWithoutVAT: 12.6,
        productDetailUrl: 'https://shop.example/9-1-mug.html',
        categories: ['/Home/Kitchen'],
        availability: 'instock',
        isBlacklisted: false,
      },
    ])
  })

  it('go into an import file with their availability and blacklisting, as true/false', () => {
    const [part] = productFiles(
      new Map([
        ['9', DISABLED],
        ['10', { ...DISABLED, productId: '10', availability: 'instock', isBlacklisted: false }],
      ]),
    )
    const rows = parse<Record<string, string>>(part?.csv ?? '', { columns: true })
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'productId',
      'name',
      'productDetailUrl',
      'unitPrice',
      'unitPriceWithoutVAT',
      'availability',
      'isBlacklisted',
      'categories',
    ])
    expect(
      rows.map((row) => [row['productId'], row['availability'], row['isBlacklisted']]),
    ).toEqual([
      ['10', 'instock', 'false'],
      ['9', 'outofstock', 'true'],
    ])
    expect(part?.keys).toEqual(['10', '9'])
  })
})
