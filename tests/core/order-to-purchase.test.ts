import { describe, expect, it } from 'vitest'
import { mapOrderToPurchase } from '../../main/core/purchases/order-to-purchase'
import type { StoreOrder, StoreOrderLine, StoreProduct } from '../../main/core/store/store-source'

const EUR = { id: 1, isoCode: 'EUR', precision: 2 }
const USD = { id: 2, isoCode: 'USD', precision: 2 }
const JPY = { id: 3, isoCode: 'JPY', precision: 0 }

const shirt: StoreProduct = {
  name: 'Hummingbird printed t-shirt',
  productDetailUrl: 'https://shop.example/men/1-1-hummingbird-printed-t-shirt.html',
  productBaseUrl: 'https://shop.example/men/1-hummingbird-printed-t-shirt.html',
  imageUrl: 'https://shop.example/2-large_default/hummingbird-printed-t-shirt.jpg',
  categoryPath: ['Clothes', 'Men'],
  brand: 'Studio Design',
  reference: 'demo_1',
  coverImageUrl: 'https://shop.example/1-large_default/hummingbird-printed-t-shirt.jpg',
  active: true,
  // Its price since: 25.00 without tax, 30.25 with Spain's 21 %.
  priceTaxExcl: '25.000000',
  priceTaxIncl: '30.250000',
  quantity: 12,
  inStock: true,
}

function line(overrides: Partial<StoreOrderLine>): StoreOrderLine {
  return {
    id: 1,
    productId: 1,
    productAttributeId: 1,
    name: 'Hummingbird printed t-shirt (Size: S - Color: White)',
    quantity: 1,
    unitPriceTaxIncl: '23.900000',
    unitPriceTaxExcl: '19.752066',
    totalPriceTaxIncl: '23.900000',
    totalPriceTaxExcl: '19.752066',
    product: shirt,
    ...overrides,
  }
}

function order(overrides: Partial<StoreOrder> = {}): StoreOrder {
  return {
    id: 42,
    reference: 'XKBKNABJK',
    cartId: 77,
    shopId: 1,
    languageId: 1,
    stateId: 2,
    placedAt: '2025-07-01 18:30:00',
    timezone: 'Europe/Madrid',
    shopUrl: 'https://shop.example/',
    paymentMethod: 'Bank wire',
    totalPaidTaxIncl: '30.900000',
    currency: EUR,
    defaultCurrency: EUR,
    conversionRate: '1.000000',
    customer: {
      id: 5,
      email: '  Jane.Doe@example.com ',
      firstname: 'Jane',
      lastname: 'Doe',
      isGuest: false,
      deleted: false,
    },
    lines: [line({})],
    ...overrides,
  }
}

describe('mapping an order to a Connectif purchase', () => {
  it('produces exactly the PurchaseCreation body', () => {
    const mapping = mapOrderToPurchase(order())
    expect(mapping).toEqual({
      result: 'ready',
      order: {
        orderId: 42,
        reference: 'XKBKNABJK',
        orderDate: '2025-07-01T18:30:00+02:00',
        customerEmail: 'Jane.Doe@example.com',
        total: '30.90',
        shopId: 1,
        stateId: 2,
      },
      purchase: {
        purchaseId: '42',
        cartId: '77',
        contactEmail: 'Jane.Doe@example.com',
        purchaseDate: '2025-07-01T18:30:00+02:00',
        paymentMethod: 'Bank wire',
        totalPrice: 30.9,
        totalQuantity: 1,
        products: [
          {
            productId: '1',
            name: 'Hummingbird printed t-shirt (Size: S - Color: White)',
            unitPrice: 23.9,
            quantity: 1,
            price: 23.9,
            unitPriceWithoutVAT: 19.75,
            productDetailUrl: 'https://shop.example/men/1-1-hummingbird-printed-t-shirt.html',
            imageUrl: 'https://shop.example/2-large_default/hummingbird-printed-t-shirt.jpg',
            categories: ['/Clothes/Men'],
            brand: 'Studio Design',
          },
        ],
      },
      // The product as the catalogue has it now: its own name, price, page and cover.
      catalogue: [
        {
          productId: '1',
          name: 'Hummingbird printed t-shirt',
          unitPrice: 30.25,
          unitPriceWithoutVAT: 25,
          productDetailUrl: 'https://shop.example/men/1-hummingbird-printed-t-shirt.html',
          imageUrl: 'https://shop.example/1-large_default/hummingbird-printed-t-shirt.jpg',
          categories: ['/Clothes/Men'],
          brand: 'Studio Design',
          availability: 'instock',
          isBlacklisted: false,
        },
      ],
    })
  })

  it('shows combinations of one product as one product with summed quantities and totals', () => {
    const mapping = mapOrderToPurchase(
      order({
        totalPaidTaxIncl: '110.500000',
        lines: [
          line({
            id: 1,
            productAttributeId: 1,
            quantity: 2,
            totalPriceTaxIncl: '47.800000',
            totalPriceTaxExcl: '39.504132',
          }),
          line({
            id: 2,
            productId: 9,
            productAttributeId: 0,
            name: 'Mug',
            quantity: 1,
            unitPriceTaxIncl: '11.900000',
            unitPriceTaxExcl: '9.834711',
            totalPriceTaxIncl: '11.900000',
            totalPriceTaxExcl: '9.834711',
            product: null,
          }),
          line({
            id: 3,
            productAttributeId: 2,
            name: 'Hummingbird printed t-shirt (Size: M - Color: Black)',
            quantity: 1,
            unitPriceTaxIncl: '25.900000',
            unitPriceTaxExcl: '21.404959',
            totalPriceTaxIncl: '25.900000',
            totalPriceTaxExcl: '21.404959',
          }),
        ],
      }),
    )
    if (mapping.result !== 'ready') throw new Error(mapping.reason)
    expect(mapping.purchase.totalQuantity).toBe(4)
    expect(mapping.purchase.products).toHaveLength(2)
    const [tshirts, mug] = mapping.purchase.products
    // 47.80 + 25.90 = 73.70 for 3 units: 24.5666… a unit.
    expect(tshirts).toMatchObject({
      productId: '1',
      name: 'Hummingbird printed t-shirt',
      quantity: 3,
      price: 73.7,
      unitPrice: 24.57,
      unitPriceWithoutVAT: 20.3, // (39.504132 + 21.404959) / 3 = 20.30303
      productDetailUrl: shirt.productBaseUrl,
    })
    // A deleted product keeps the name stored on the order line, and links to PrestaShop's plain
    // product URL on the shop: no image, category or brand.
    expect(mug).toEqual({
      productId: '9',
      name: 'Mug',
      unitPrice: 11.9,
      quantity: 1,
      price: 11.9,
      unitPriceWithoutVAT: 9.83,
      productDetailUrl: 'https://shop.example/index.php?id_product=9&controller=product',
    })
  })

  it('creates products as the catalogue has them now, whatever the order paid', () => {
    const mapping = mapOrderToPurchase(
      order({
        totalPaidTaxIncl: '100.000000',
        lines: [
          line({ id: 1 }),
          line({
            id: 2,
            productId: 3,
            productAttributeId: 0,
            name: 'Summer dress',
            product: { ...shirt, name: 'Summer dress', active: false },
          }),
          line({
            id: 3,
            productId: 12,
            productAttributeId: 0,
            name: 'Framed poster',
            product: { ...shirt, name: 'Framed poster', quantity: 0, inStock: false },
          }),
          line({ id: 4, productId: 900, name: 'Discontinued scarf', product: null }),
        ],
      }),
    )
    if (mapping.result !== 'ready') throw new Error(mapping.reason)
    const [sold, disabled, soldOut, deleted] = mapping.catalogue
    // Purchase lines keep the order's prices; the catalogue entry has today's.
    expect(mapping.purchase.products[0]).toMatchObject({ unitPrice: 23.9 })
    expect(sold).toMatchObject({ unitPrice: 30.25, availability: 'instock', isBlacklisted: false })
    expect(disabled).toMatchObject({
      name: 'Summer dress',
      availability: 'outofstock',
      isBlacklisted: true,
    })
    expect(soldOut).toMatchObject({ availability: 'outofstock', isBlacklisted: false })
    // Deleted: what the order says of it, the plain product link, never recommended.
    expect(deleted).toEqual({
      productId: '900',
      name: 'Discontinued scarf',
      unitPrice: 23.9,
      unitPriceWithoutVAT: 19.75,
      productDetailUrl: 'https://shop.example/index.php?id_product=900&controller=product',
      availability: 'outofstock',
      isBlacklisted: true,
    })
  })

  it('prices catalogue entries in the account’s currency', () => {
    const usd = order({ currency: USD, conversionRate: '1.080000' })
    const inEuros = mapOrderToPurchase(usd)
    if (inEuros.result !== 'ready') throw new Error(inEuros.reason)
    // Catalogue prices are in the shop's default currency already.
    expect(inEuros.catalogue[0]).toMatchObject({ unitPrice: 30.25, unitPriceWithoutVAT: 25 })
    // An account in dollars: at the rate the order recorded (30.25 × 1.08 = 32.67).
    const inDollars = mapOrderToPurchase(usd, { currency: 'order' })
    if (inDollars.result !== 'ready') throw new Error(inDollars.reason)
    expect(inDollars.catalogue[0]).toMatchObject({ unitPrice: 32.67, unitPriceWithoutVAT: 27 })
    // Without a usable rate, the order's own prices stand in.
    const noRate = mapOrderToPurchase(order({ currency: USD, conversionRate: '0.000000' }), {
      currency: 'order',
    })
    if (noRate.result !== 'ready') throw new Error(noRate.reason)
    expect(noRate.catalogue[0]).toMatchObject({ unitPrice: 23.9, unitPriceWithoutVAT: 19.75 })
  })

  it('converts amounts of another currency with the rate stored on the order', () => {
    const mapping = mapOrderToPurchase(
      order({
        currency: USD,
        conversionRate: '1.080000',
        totalPaidTaxIncl: '108.000000',
        lines: [
          line({
            quantity: 3,
            unitPriceTaxIncl: '30.000000',
            unitPriceTaxExcl: '25.000000',
            totalPriceTaxIncl: '90.000000',
            totalPriceTaxExcl: '75.000000',
          }),
        ],
      }),
    )
    if (mapping.result !== 'ready') throw new Error(mapping.reason)
    expect(mapping.purchase.totalPrice).toBe(100)
    expect(mapping.order.total).toBe('100.00')
    expect(mapping.purchase.products[0]).toMatchObject({
      unitPrice: 27.78,
      price: 83.33,
      unitPriceWithoutVAT: 23.15,
    })
    // Sent to an account in the order's own currency, nothing is converted.
    const asPaid = mapOrderToPurchase(
      order({ currency: USD, conversionRate: '1.080000', totalPaidTaxIncl: '108.000000' }),
      { currency: 'order' },
    )
    if (asPaid.result !== 'ready') throw new Error(asPaid.reason)
    expect(asPaid.purchase.totalPrice).toBe(108)
  })

  it('rounds to the precision of the target currency', () => {
    const mapping = mapOrderToPurchase(
      order({
        currency: JPY,
        defaultCurrency: JPY,
        totalPaidTaxIncl: '1234.500000',
        lines: [line({ unitPriceTaxIncl: '1234.500000', totalPriceTaxIncl: '1234.500000' })],
      }),
    )
    if (mapping.result !== 'ready') throw new Error(mapping.reason)
    expect(mapping.purchase.totalPrice).toBe(1235)
    expect(mapping.order.total).toBe('1235')
  })

  it('keeps free orders and the payment label out when there is none', () => {
    const mapping = mapOrderToPurchase(
      order({
        paymentMethod: '',
        totalPaidTaxIncl: '0.000000',
        lines: [
          line({
            unitPriceTaxIncl: '0.000000',
            unitPriceTaxExcl: '0.000000',
            totalPriceTaxIncl: '0.000000',
            totalPriceTaxExcl: '0.000000',
          }),
        ],
      }),
    )
    if (mapping.result !== 'ready') throw new Error(mapping.reason)
    expect(mapping.purchase.totalPrice).toBe(0)
    expect('paymentMethod' in mapping.purchase).toBe(false)
  })

  it.each([
    [{ customer: null }, /no longer exists/],
    [
      {
        customer: {
          id: 5,
          email: 'x@example.com',
          firstname: '',
          lastname: '',
          isGuest: false,
          deleted: true,
        },
      },
      /was deleted/,
    ],
    [
      {
        customer: {
          id: 5,
          email: '   ',
          firstname: '',
          lastname: '',
          isGuest: true,
          deleted: false,
        },
      },
      /no customer e-mail/,
    ],
    [
      {
        customer: {
          id: 5,
          email: 'not-an-email',
          firstname: '',
          lastname: '',
          isGuest: true,
          deleted: false,
        },
      },
      /"not-an-email" is not a valid e-mail/,
    ],
    [{ lines: [] }, /no product lines/],
    [{ placedAt: '0000-00-00 00:00:00' }, /not a valid date/],
    [{ currency: USD, conversionRate: '0.000000' }, /no conversion rate/],
  ] satisfies [Partial<StoreOrder>, RegExp][])(
    'never drops an order silently: %#',
    (overrides, reason) => {
      const mapping = mapOrderToPurchase(order(overrides))
      expect(mapping.result).toBe('skipped')
      if (mapping.result === 'skipped') {
        expect(mapping.reason).toMatch(reason)
        expect(mapping.order.orderId).toBe(42)
      }
    },
  )
})

describe('the code of a skipped order', () => {
  const customer = { id: 5, firstname: '', lastname: '', isGuest: true, deleted: false }
  it.each([
    [{ customer: null }, 'customer_missing'],
    [{ customer: { ...customer, email: 'a@example.com', deleted: true } }, 'customer_deleted'],
    [{ customer: { ...customer, email: '  ' } }, 'no_email'],
    [{ customer: { ...customer, email: `${'a'.repeat(250)}@example.com` } }, 'email_too_long'],
    [{ customer: { ...customer, email: 'not-an-email' } }, 'invalid_email'],
    [{ lines: [] }, 'no_lines'],
    [{ placedAt: '0000-00-00 00:00:00' }, 'invalid_date'],
    [{ currency: USD, conversionRate: '0.000000' }, 'no_conversion_rate'],
    [{ totalPaidTaxIncl: '-5.000000' }, 'invalid_amounts'],
  ] satisfies [Partial<StoreOrder>, string][])(
    'names its first reason: %j → %s',
    (overrides, code) => {
      const mapping = mapOrderToPurchase(order(overrides))
      expect(mapping.result === 'skipped' ? mapping.reasonCode : 'ready').toBe(code)
    },
  )

  it('is the first of several reasons, while the message keeps them all', () => {
    const mapping = mapOrderToPurchase(
      order({ customer: { ...customer, email: '' }, lines: [], placedAt: 'never' }),
    )
    expect(mapping.result).toBe('skipped')
    if (mapping.result !== 'skipped') return
    expect(mapping.reasonCode).toBe('no_email')
    expect(mapping.reason).toMatch(/no customer e-mail.*no product lines.*not a valid date/)
  })
})
