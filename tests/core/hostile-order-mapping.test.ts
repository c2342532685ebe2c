/**
 * "Hostile store data is refused": what a shop's tables may hold that no purchase should carry —
 * negative or absurd amounts, quantities below 1, texts of any length, addresses PrestaShop
 * accepts but a strict validator would not — through the real mapping.
 */
import { describe, expect, it } from 'vitest'
import { isPrestaShopEmail } from '../../main/core/purchases/email-address'
import { capText, FIELD_LIMITS } from '../../main/core/purchases/field-limits'
import { MAX_WHOLE_DIGITS, parseMicros, readMicros } from '../../main/core/purchases/money'
import { mapOrderToPurchase } from '../../main/core/purchases/order-to-purchase'
import type { OrderMapping } from '../../main/core/purchases/purchase'
import type { StoreOrder, StoreOrderLine, StoreProduct } from '../../main/core/store/store-source'

const EUR = { id: 1, isoCode: 'EUR', precision: 2 }
const USD = { id: 2, isoCode: 'USD', precision: 2 }
const HUGE = '9'.repeat(400)

const mug: StoreProduct = {
  name: 'Mug',
  productDetailUrl: 'https://shop.example/home/9-mug.html',
  productBaseUrl: 'https://shop.example/home/9-mug.html',
  imageUrl: 'https://shop.example/9-large_default/mug.jpg',
  categoryPath: ['Home', 'Kitchen'],
  brand: 'Studio Design',
  reference: 'demo_9',
  coverImageUrl: 'https://shop.example/9-large_default/mug.jpg',
  active: true,
  priceTaxExcl: '9.917355',
  priceTaxIncl: '12.000000',
  quantity: 40,
  inStock: true,
}

function line(overrides: Partial<StoreOrderLine> = {}): StoreOrderLine {
  return {
    id: 1,
    productId: 9,
    productAttributeId: 0,
    name: 'Mug',
    quantity: 2,
    unitPriceTaxIncl: '12.000000',
    unitPriceTaxExcl: '9.917355',
    totalPriceTaxIncl: '24.000000',
    totalPriceTaxExcl: '19.834711',
    product: mug,
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
    totalPaidTaxIncl: '24.000000',
    currency: EUR,
    defaultCurrency: EUR,
    conversionRate: '1.000000',
    customer: {
      id: 5,
      email: 'jane@example.com',
      firstname: 'Jane',
      lastname: 'Doe',
      isGuest: false,
      deleted: false,
    },
    lines: [line()],
    ...overrides,
  }
}

function skipped(mapping: OrderMapping): string {
  if (mapping.result !== 'skipped') throw new Error('the order was mapped as ready')
  return mapping.reason
}

function ready(mapping: OrderMapping): Extract<OrderMapping, { result: 'ready' }> {
  if (mapping.result !== 'ready') throw new Error(mapping.reason)
  return mapping
}

describe('amounts a store should never hold', () => {
  it('catches a 400-digit amount while parsing, before it can become Infinity', () => {
    expect(readMicros(HUGE)).toBe('out_of_range')
    expect(readMicros(`-${HUGE}.5`)).toBe('out_of_range')
    expect(() => parseMicros(HUGE)).toThrow(RangeError)
    // decimal(20,6), PrestaShop's amount column, holds 14 digits before the point.
    expect(MAX_WHOLE_DIGITS).toBe(14)
    expect(readMicros('99999999999999.999999')).toBe(99_999_999_999_999_999_999n)
    expect(readMicros('100000000000000')).toBe('out_of_range')
    // Leading zeros are not magnitude.
    expect(readMicros(`${'0'.repeat(300)}12.5`)).toBe(12_500_000n)
    expect(readMicros('Infinity')).toBe('not_a_number')
    expect(readMicros('1e400')).toBe('not_a_number')
  })

  it('skips an order whose total is 400 digits long, with a short reason, instead of sending null', () => {
    const mapping = mapOrderToPurchase(order({ totalPaidTaxIncl: `${HUGE}.000000` }))
    const reason = skipped(mapping)
    expect(reason).toMatch(
      /^The order total is too large to be a real amount: "9{19}…" \(407 characters\)\.$/,
    )
    // What the history keeps of it is capped too.
    expect(mapping.order.total.length).toBeLessThanOrEqual(FIELD_LIMITS.rawAmount)
    expect(mapping.order.total.endsWith('…')).toBe(true)
  })

  it('skips an order with a negative total', () => {
    expect(skipped(mapOrderToPurchase(order({ totalPaidTaxIncl: '-12.500000' })))).toBe(
      'The order total is negative (-12.500000).',
    )
  })

  it.each([
    [
      { quantity: 0 },
      'Line 1 (product 9): the quantity is 0 (it must be a whole number of at least 1).',
    ],
    [
      { quantity: -3 },
      'Line 1 (product 9): the quantity is -3 (it must be a whole number of at least 1).',
    ],
    [
      { quantity: 1.5 },
      'Line 1 (product 9): the quantity is 1.5 (it must be a whole number of at least 1).',
    ],
    [
      { quantity: Number.NaN },
      'Line 1 (product 9): the quantity is NaN (it must be a whole number of at least 1).',
    ],
    [
      { quantity: Infinity },
      'Line 1 (product 9): the quantity is Infinity (it must be a whole number of at least 1).',
    ],
    [
      { unitPriceTaxIncl: '-12.000000' },
      'Line 1 (product 9): the unit price is negative (-12.000000).',
    ],
    [
      { unitPriceTaxExcl: '-9.917355' },
      'Line 1 (product 9): the unit price without tax is negative (-9.917355).',
    ],
    [
      { totalPriceTaxIncl: '-24.000000' },
      'Line 1 (product 9): the line total is negative (-24.000000).',
    ],
    [
      { totalPriceTaxExcl: 'abc' },
      'Line 1 (product 9): the line total without tax is not a number: "abc".',
    ],
    [
      { unitPriceTaxIncl: HUGE },
      'Line 1 (product 9): the unit price is too large to be a real amount: "9999999999999999999…" (400 characters).',
    ],
  ] satisfies [Partial<StoreOrderLine>, string][])(
    'skips an order with a hostile line: %o',
    (overrides, reason) => {
      expect(skipped(mapOrderToPurchase(order({ lines: [line(overrides)] })))).toBe(reason)
    },
  )

  it('names every problem of a line at once, and counts the lines beyond the first three', () => {
    const lines = [1, 2, 3, 4, 5].map((id) =>
      line({ id, productId: id, quantity: 0, unitPriceTaxIncl: '-1' }),
    )
    const reason = skipped(mapOrderToPurchase(order({ totalPaidTaxIncl: '-5', lines })))
    expect(reason).toBe(
      [
        'The order total is negative (-5).',
        'Line 1 (product 1): the quantity is 0 (it must be a whole number of at least 1); the unit price is negative (-1).',
        'Line 2 (product 2): the quantity is 0 (it must be a whole number of at least 1); the unit price is negative (-1).',
        'Line 3 (product 3): the quantity is 0 (it must be a whole number of at least 1); the unit price is negative (-1).',
        'And 2 more lines like them.',
      ].join(' '),
    )
  })

  it('refuses a conversion rate too large to be real, without dividing by it', () => {
    const reason = skipped(mapOrderToPurchase(order({ currency: USD, conversionRate: HUGE })))
    expect(reason).toMatch(/^The order was paid in USD with a conversion rate too large to be real/)
  })

  it('still sends free orders and zero-priced lines', () => {
    const mapping = ready(
      mapOrderToPurchase(
        order({
          totalPaidTaxIncl: '0.000000',
          lines: [
            line({
              unitPriceTaxIncl: '0',
              unitPriceTaxExcl: '0',
              totalPriceTaxIncl: '0',
              totalPriceTaxExcl: '0',
            }),
          ],
        }),
      ),
    )
    expect(mapping.purchase.totalPrice).toBe(0)
  })

  it('sends the largest amount PrestaShop can store as a finite number', () => {
    const top = '99999999999999.999999'
    const mapping = ready(
      mapOrderToPurchase(
        order({
          totalPaidTaxIncl: top,
          lines: [
            line({
              quantity: 1,
              unitPriceTaxIncl: top,
              unitPriceTaxExcl: top,
              totalPriceTaxIncl: top,
              totalPriceTaxExcl: top,
            }),
          ],
        }),
      ),
    )
    expect(Number.isFinite(mapping.purchase.totalPrice)).toBe(true)
    expect(JSON.stringify(mapping.purchase)).not.toContain('null')
  })
})

describe('texts are capped at documented lengths', () => {
  it('cuts a 100,000-character product name to 1,000 characters ending in "…"', () => {
    const name = `Mug ${'x'.repeat(100_000)}`
    const mapping = ready(mapOrderToPurchase(order({ lines: [line({ name })] })))
    const sent = mapping.purchase.products[0]?.name ?? ''
    expect([...sent].length).toBe(FIELD_LIMITS.productName)
    expect(sent.startsWith('Mug xxx')).toBe(true)
    expect(sent.endsWith('…')).toBe(true)
    expect(JSON.stringify(mapping.purchase).length).toBeLessThan(2_000)
  })

  it('never cuts a name PrestaShop could have stored', () => {
    // A 255-character name with a dozen attributes, in four-byte characters.
    const label = `${'🎉'.repeat(255)} (${Array.from({ length: 12 }, (_, i) => `Attribute ${i}: value ${i}`).join(' - ')})`
    const mapping = ready(mapOrderToPurchase(order({ lines: [line({ name: label })] })))
    expect(mapping.purchase.products[0]?.name).toBe(label)
  })

  it('never splits a character when cutting', () => {
    const cut = capText('🎉'.repeat(2_000), FIELD_LIMITS.productName)
    expect([...cut].length).toBe(FIELD_LIMITS.productName)
    expect(cut).toBe(`${'🎉'.repeat(FIELD_LIMITS.productName - 1)}…`)
    expect(Buffer.from(cut, 'utf8').toString('utf8')).toBe(cut)
  })

  it('caps the brand, the payment label, the category names and the reference', () => {
    const mapping = ready(
      mapOrderToPurchase(
        order({
          reference: 'R'.repeat(100_000),
          paymentMethod: `  ${'P'.repeat(100_000)}  `,
          lines: [
            line({
              product: {
                ...mug,
                brand: 'B'.repeat(100_000),
                categoryPath: ['Home', 'C'.repeat(100_000)],
              },
            }),
          ],
        }),
      ),
    )
    const product = mapping.purchase.products[0]
    expect(mapping.purchase.paymentMethod).toBe(`${'P'.repeat(254)}…`)
    expect(product?.brand).toBe(`${'B'.repeat(254)}…`)
    expect(product?.categories).toEqual([`/Home/${'C'.repeat(254)}…`])
    expect(mapping.order.reference).toBe(`${'R'.repeat(254)}…`)
  })

  it('drops the deepest categories of a path too long to send, so it still names a real one', () => {
    const levels = Array.from(
      { length: 20 },
      (_, i) => `${String(i).padStart(2, '0')}${'c'.repeat(198)}`,
    )
    const mapping = ready(
      mapOrderToPurchase(order({ lines: [line({ product: { ...mug, categoryPath: levels } })] })),
    )
    const path = mapping.purchase.products[0]?.categories?.[0] ?? ''
    // Nine levels of 201 characters fit in 2,000; the tenth would not.
    expect(path).toBe(`/${levels.slice(0, 9).join('/')}`)
    expect(path.length).toBeLessThanOrEqual(FIELD_LIMITS.categoryPath)
  })

  it('replaces a product URL too long to send by the plain product link, and leaves out such an image', () => {
    const long = `https://shop.example/${'a'.repeat(5_000)}.html`
    const mapping = ready(
      mapOrderToPurchase(
        order({
          lines: [line({ product: { ...mug, productDetailUrl: long, imageUrl: `${long}.jpg` } })],
        }),
      ),
    )
    const product = mapping.purchase.products[0]
    expect(product?.productDetailUrl).toBe(
      'https://shop.example/index.php?id_product=9&controller=product',
    )
    expect(product && 'imageUrl' in product).toBe(false)
  })

  it('skips an order whose e-mail is longer than PrestaShop keeps, quoting only its beginning', () => {
    const email = `${'a'.repeat(100_000)}@example.com`
    const mapping = mapOrderToPurchase(
      order({
        customer: { id: 5, email, firstname: '', lastname: '', isGuest: false, deleted: false },
      }),
    )
    const reason = skipped(mapping)
    expect(reason).toMatch(
      /^The customer e-mail "a{39}…" \(100012 characters\) is longer than the 255 characters/,
    )
    expect(mapping.order.customerEmail.length).toBeLessThanOrEqual(FIELD_LIMITS.email)
  })
})

describe("e-mail addresses follow PrestaShop's own rule", () => {
  function withEmail(email: string): StoreOrder {
    return order({
      customer: { id: 5, email, firstname: '', lastname: '', isGuest: false, deleted: false },
    })
  }

  it.each(['=1+1@formula.example', "o'brien@example.com", 'muñoz@example.es'])(
    'maps %s as ready, exactly as stored',
    (email) => {
      const mapping = ready(mapOrderToPurchase(withEmail(email)))
      expect(mapping.purchase.contactEmail).toBe(email)
      expect(mapping.order.customerEmail).toBe(email)
    },
  )

  it.each([
    // RFC 5322 atext, each character PrestaShop 1.6's expression and 1.7+'s validator accept.
    "!#$%&'*+/=?^_`{|}~-@example.com",
    'first.last@example.com',
    'user+tag@sub.example.co.uk',
    // 1.6: Unicode letters in the local part, consecutive and final dots, underscores in domains.
    'josé.núñez@ejemplo.es',
    'Ωμέγα@example.gr',
    'a..b@example.com',
    'a.@example.com',
    'x@my_shop.example',
    // 1.7+: quoted local parts, internationalised domains, hosts without a dot, address literals.
    '"john doe"@example.com',
    '"a@b"@example.com',
    'zoe.nunez@exämple.test',
    'инфо@письмо.рф',
    'admin@localhost',
    'user@[192.0.2.1]',
    'user@[IPv6:2001:db8::1]',
  ])('accepts %s', (email) => {
    expect(isPrestaShopEmail(email)).toBe(true)
  })

  it.each([
    'not-an-email',
    '@home',
    'user@',
    '.user@example.com',
    'user@example..com',
    'user@.example.com',
    'user@example.com.',
    'two@at@example.com',
    'john doe@example.com',
    'line\nfeed@example.com',
    'tab\t@example.com',
    '"unterminated@example.com',
    'a(comment)@example.com',
    'user@exa mple.com',
    `${'a'.repeat(250)}@example.com`,
  ])('refuses %j', (email) => {
    expect(isPrestaShopEmail(email)).toBe(false)
  })
})
