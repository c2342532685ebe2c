import type { PrestaShopFamily } from './store-source'

/**
 * Product page and image URLs built the way PrestaShop's `Link` class builds them
 * (docs/prestashop.md §2), so the URLs we send are the ones the shop really serves.
 */

export interface ShopUrlRow {
  readonly domain: string
  readonly domainSsl: string
  readonly physicalUri: string
  readonly virtualUri: string
}

/** `Link::getBaseLink`: https only when SSL is enabled and enabled everywhere. */
export function shopBaseUrl(row: ShopUrlRow, sslEverywhere: boolean): string {
  const host = sslEverywhere ? row.domainSsl || row.domain : row.domain
  const scheme = sslEverywhere ? 'https://' : 'http://'
  return `${scheme}${host}${joinUri(row.physicalUri, row.virtualUri)}`
}

/** physical_uri + virtual_uri as `Shop::getBaseURI` does, normalised to start and end with "/". */
function joinUri(physical: string, virtual: string): string {
  const path = `/${physical}/${virtual}/`.replace(/\/{2,}/g, '/')
  return path
}

export interface ProductLinkContext {
  readonly family: PrestaShopFamily
  /** Shop base URL ending in "/", no language segment. */
  readonly baseUrl: string
  readonly friendlyUrls: boolean
  /** The shop has more than one active language. */
  readonly multilingual: boolean
  readonly languageId: number
  readonly languageIso: string
  /** The merchant's `PS_ROUTE_product_rule`, when set. */
  readonly customRoute: string | null
}

export interface ProductLinkData {
  readonly productId: number
  /** 0 for no combination. */
  readonly productAttributeId: number
  readonly rewrite: string
  readonly ean13: string
  readonly reference: string
  /** link_rewrite of the product's default category in this language. */
  readonly categoryRewrite: string
}

const DEFAULT_ROUTE_16 = '{category:/}{id}-{rewrite}{-:ean13}.html'
const DEFAULT_ROUTE_17 = '{category:/}{id}{-:id_product_attribute}-{rewrite}{-:ean13}.html'

/** `Link::getProductLink` with the shop's routing settings. */
export function productPageUrl(context: ProductLinkContext, product: ProductLinkData): string {
  if (!context.friendlyUrls) return plainProductUrl(context, product)
  const route =
    context.customRoute?.trim() || (context.family === '1.6' ? DEFAULT_ROUTE_16 : DEFAULT_ROUTE_17)
  const path = fillRoute(route, routeKeywords(context, product))
  // A route naming keywords we cannot fill would give a broken link; the plain URL always resolves.
  if (path === null) return plainProductUrl(context, product)
  const languageSegment = context.multilingual ? `${context.languageIso}/` : ''
  return `${context.baseUrl}${languageSegment}${path}`
}

function routeKeywords(context: ProductLinkContext, product: ProductLinkData): Map<string, string> {
  const keywords = new Map<string, string>([
    ['id', String(product.productId)],
    ['rewrite', product.rewrite],
    ['ean13', product.ean13],
    ['category', product.categoryRewrite],
    ['reference', product.reference],
  ])
  // 1.6 links ignore combinations entirely.
  if (context.family !== '1.6') {
    keywords.set(
      'id_product_attribute',
      product.productAttributeId > 0 ? String(product.productAttributeId) : '',
    )
  }
  return keywords
}

/**
 * Fills `{keyword}` and `{prefix:keyword:suffix}` parts as `Dispatcher::createUrl` does: an optional
 * part disappears with its prefix and suffix when its value is empty. Null when the route uses a
 * keyword we do not know.
 */
export function fillRoute(route: string, keywords: ReadonlyMap<string, string>): string | null {
  let unknown = false
  const filled = route.replace(
    /\{(?:([^:{}]*):)?([a-z0-9_]+)(?::([^:{}]*))?\}/g,
    (_match, prefix: string | undefined, name: string, suffix: string | undefined) => {
      const value = keywords.get(name)
      if (value === undefined) {
        unknown = true
        return ''
      }
      return value === '' ? '' : `${prefix ?? ''}${value}${suffix ?? ''}`
    },
  )
  return unknown ? null : filled
}

function plainProductUrl(context: ProductLinkContext, product: ProductLinkData): string {
  const query = new URLSearchParams()
  query.set('id_product', String(product.productId))
  if (context.family !== '1.6') {
    if (product.productAttributeId > 0)
      query.set('id_product_attribute', String(product.productAttributeId))
    query.set('rewrite', product.rewrite)
  }
  query.set('controller', 'product')
  if (context.multilingual) query.set('id_lang', String(context.languageId))
  return `${context.baseUrl}index.php?${query.toString()}`
}

export interface ImageLinkContext {
  /** Base URL of the shop (or its media server) ending in "/", no language segment. */
  readonly baseUrl: string
  readonly friendlyUrls: boolean
  readonly imageType: string
}

/** `Link::getImageLink` for a product image. */
export function productImageUrl(
  context: ImageLinkContext,
  imageId: number,
  rewrite: string,
): string {
  if (context.friendlyUrls && rewrite !== '') {
    return `${context.baseUrl}${imageId}-${context.imageType}/${rewrite}.jpg`
  }
  // `Image::getImgFolderStatic`: one folder per digit of the id.
  const folder = String(imageId).split('').join('/')
  return `${context.baseUrl}img/p/${folder}/${imageId}-${context.imageType}.jpg`
}

/** Prefer the type themes use for product pages, as docs/prestashop.md §2.3 advises. */
export function chooseProductImageType(
  types: readonly { name: string; width: number; height: number }[],
): string {
  for (const preferred of ['large_default', 'home_default']) {
    if (types.some((type) => type.name === preferred)) return preferred
  }
  const largest = [...types].sort((a, b) => b.width * b.height - a.width * a.height)[0]
  return largest?.name ?? 'large_default'
}
