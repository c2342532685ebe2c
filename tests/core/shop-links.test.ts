import { describe, expect, it } from 'vitest'
import {
  chooseProductImageType,
  fillRoute,
  productImageUrl,
  productPageUrl,
  shopBaseUrl,
} from '../../main/core/store/shop-links'
import type { ProductLinkContext } from '../../main/core/store/shop-links'

const tshirt = {
  productId: 1,
  productAttributeId: 0,
  rewrite: 'hummingbird-printed-t-shirt',
  ean13: '',
  reference: 'demo_1',
  categoryRewrite: 'men',
}

function context(overrides: Partial<ProductLinkContext> = {}): ProductLinkContext {
  return {
    family: '1.7',
    baseUrl: 'https://shop.example/',
    friendlyUrls: true,
    multilingual: false,
    languageId: 1,
    languageIso: 'en',
    customRoute: null,
    ...overrides,
  }
}

describe('shop base URL', () => {
  const row = {
    domain: 'shop.example',
    domainSsl: 'secure.shop.example',
    physicalUri: '/',
    virtualUri: '',
  }
  it('uses https and the SSL domain only when SSL is on everywhere', () => {
    expect(shopBaseUrl(row, true)).toBe('https://secure.shop.example/')
    expect(shopBaseUrl(row, false)).toBe('http://shop.example/')
  })
  it('joins the physical and virtual URIs of multistore shops', () => {
    expect(shopBaseUrl({ ...row, physicalUri: '/shop/', virtualUri: 'fr/' }, false)).toBe(
      'http://shop.example/shop/fr/',
    )
    expect(shopBaseUrl({ ...row, physicalUri: 'shop', virtualUri: '' }, false)).toBe(
      'http://shop.example/shop/',
    )
  })
})

describe('product page URL', () => {
  it('follows the 1.7+ default route, with the combination and EAN13 when present', () => {
    expect(productPageUrl(context(), tshirt)).toBe(
      'https://shop.example/men/1-hummingbird-printed-t-shirt.html',
    )
    expect(
      productPageUrl(context(), { ...tshirt, productAttributeId: 5, ean13: '3700000000017' }),
    ).toBe('https://shop.example/men/1-5-hummingbird-printed-t-shirt-3700000000017.html')
  })

  it('follows the 1.6 route, which ignores combinations', () => {
    expect(productPageUrl(context({ family: '1.6' }), { ...tshirt, productAttributeId: 5 })).toBe(
      'https://shop.example/men/1-hummingbird-printed-t-shirt.html',
    )
  })

  it('adds the language segment only for multilingual shops', () => {
    expect(productPageUrl(context({ multilingual: true, languageIso: 'es' }), tshirt)).toBe(
      'https://shop.example/es/men/1-hummingbird-printed-t-shirt.html',
    )
  })

  it('drops an empty category part with its slash', () => {
    expect(productPageUrl(context(), { ...tshirt, categoryRewrite: '' })).toBe(
      'https://shop.example/1-hummingbird-printed-t-shirt.html',
    )
  })

  it('uses index.php links when friendly URLs are off', () => {
    expect(productPageUrl(context({ friendlyUrls: false }), tshirt)).toBe(
      'https://shop.example/index.php?id_product=1&rewrite=hummingbird-printed-t-shirt&controller=product',
    )
    expect(
      productPageUrl(context({ friendlyUrls: false, multilingual: true, languageId: 3 }), {
        ...tshirt,
        productAttributeId: 5,
      }),
    ).toBe(
      'https://shop.example/index.php?id_product=1&id_product_attribute=5&rewrite=hummingbird-printed-t-shirt&controller=product&id_lang=3',
    )
    expect(
      productPageUrl(context({ family: '1.6', friendlyUrls: false, multilingual: true }), tshirt),
    ).toBe('https://shop.example/index.php?id_product=1&controller=product&id_lang=1')
  })

  it("honours the merchant's own product route, and falls back when it names unknown keywords", () => {
    expect(
      productPageUrl(context({ customRoute: 'product/{id}/{rewrite}{-:reference}' }), tshirt),
    ).toBe('https://shop.example/product/1/hummingbird-printed-t-shirt-demo_1')
    expect(
      productPageUrl(context({ customRoute: '{categories:/}{id}-{rewrite}.html' }), tshirt),
    ).toBe(
      'https://shop.example/index.php?id_product=1&rewrite=hummingbird-printed-t-shirt&controller=product',
    )
  })

  it('fills optional route parts only when they have a value', () => {
    const keywords = new Map([
      ['id', '7'],
      ['ean13', ''],
    ])
    expect(fillRoute('{id}{-:ean13}.html', keywords)).toBe('7.html')
    expect(fillRoute('{id}{-:ean13}.html', new Map([...keywords, ['ean13', '123']]))).toBe(
      '7-123.html',
    )
    expect(fillRoute('{id}{-:unknown}.html', keywords)).toBeNull()
  })
})

describe('product image URL', () => {
  it('uses the rewritten image path with friendly URLs', () => {
    expect(
      productImageUrl(
        { baseUrl: 'https://shop.example/', friendlyUrls: true, imageType: 'large_default' },
        12,
        'tee',
      ),
    ).toBe('https://shop.example/12-large_default/tee.jpg')
  })
  it('splits the image id into one folder per digit without them', () => {
    expect(
      productImageUrl(
        { baseUrl: 'http://shop.example/', friendlyUrls: false, imageType: 'home_default' },
        123,
        'tee',
      ),
    ).toBe('http://shop.example/img/p/1/2/3/123-home_default.jpg')
  })
  it('prefers the large product image type, then home, then the largest', () => {
    const types = [
      { name: 'cart_default', width: 125, height: 125 },
      { name: 'home_default', width: 250, height: 250 },
      { name: 'large_default', width: 800, height: 800 },
    ]
    expect(chooseProductImageType(types)).toBe('large_default')
    expect(chooseProductImageType(types.slice(0, 2))).toBe('home_default')
    expect(
      chooseProductImageType([
        { name: 'a', width: 10, height: 10 },
        { name: 'b', width: 99, height: 99 },
      ]),
    ).toBe('b')
  })
})
