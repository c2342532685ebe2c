import type { CatalogReader, CategoryNode, CategoryText, ProductRecord } from '../catalog-lookup'
import { list, listByIds, type ListResource } from './webservice-listing'
import { associationIds, flag, integer, text, translation } from './webservice-values'

/**
 * The catalogue a page of orders needs (products, their combinations' images, manufacturers,
 * categories) through the Webservice, in batches of ids; the CatalogLookup above it caches it.
 */

const PRODUCT_FIELDS = [
  'id',
  'name',
  'link_rewrite',
  'ean13',
  'reference',
  'id_category_default',
  'id_manufacturer',
  'manufacturer_name',
  'id_default_image',
]

/** The catalogue through `products`, `combinations`, `categories` and `manufacturers`. */
export class WebserviceCatalogReader implements CatalogReader {
  readonly #list: ListResource
  /** Names products carry (`manufacturer_name`) save a `manufacturers` request. */
  readonly #manufacturerNames = new Map<number, string>()

  constructor(list: ListResource) {
    this.#list = list
  }

  async products(
    shopId: number,
    languageId: number,
    ids: readonly number[],
  ): Promise<ReadonlyMap<number, ProductRecord>> {
    const rows = await listByIds(this.#list, 'products', 'id', ids, {
      display: list(PRODUCT_FIELDS),
      language: String(languageId),
      id_shop: String(shopId),
    })
    const products = new Map<number, ProductRecord>()
    for (const row of rows) {
      const manufacturerId = integer(row, 'id_manufacturer')
      const manufacturer = text(row, 'manufacturer_name')
      if (manufacturerId > 0 && manufacturer !== '')
        this.#manufacturerNames.set(manufacturerId, manufacturer)
      const cover = integer(row, 'id_default_image')
      products.set(integer(row, 'id'), {
        name: translation(row, 'name', languageId),
        rewrite: translation(row, 'link_rewrite', languageId),
        ean13: text(row, 'ean13').trim(),
        reference: text(row, 'reference'),
        categoryId: integer(row, 'id_category_default'),
        manufacturerId,
        coverImageId: cover > 0 ? cover : null,
      })
    }
    return products
  }

  async combinationImages(ids: readonly number[]): Promise<ReadonlyMap<number, number>> {
    const rows = await listByIds(this.#list, 'combinations', 'id', ids, { display: 'full' })
    const images = new Map<number, number>()
    for (const row of rows) {
      const first = associationIds(row, 'images').find((id) => id > 0)
      if (first !== undefined) images.set(integer(row, 'id'), first)
    }
    return images
  }

  async manufacturerNames(ids: readonly number[]): Promise<ReadonlyMap<number, string>> {
    const unknown = ids.filter((id) => !this.#manufacturerNames.has(id))
    if (unknown.length > 0) {
      const rows = await listByIds(this.#list, 'manufacturers', 'id', unknown, {
        display: '[id,name]',
      })
      for (const row of rows) this.#manufacturerNames.set(integer(row, 'id'), text(row, 'name'))
    }
    const names = new Map<number, string>()
    for (const id of ids) {
      const name = this.#manufacturerNames.get(id)
      if (name !== undefined) names.set(id, name)
    }
    return names
  }

  async categoryTree(): Promise<ReadonlyMap<number, CategoryNode>> {
    const rows = await this.#list('categories', { display: '[id,id_parent,is_root_category]' })
    return new Map(
      rows.map((row) => [
        integer(row, 'id'),
        { parentId: integer(row, 'id_parent'), isHome: flag(row, 'is_root_category') },
      ]),
    )
  }

  async categoryTexts(
    shopId: number,
    languageId: number,
    ids: readonly number[],
  ): Promise<ReadonlyMap<number, CategoryText>> {
    const rows = await listByIds(this.#list, 'categories', 'id', ids, {
      display: '[id,name,link_rewrite]',
      language: String(languageId),
      id_shop: String(shopId),
    })
    return new Map(
      rows.map((row) => [
        integer(row, 'id'),
        {
          name: translation(row, 'name', languageId),
          rewrite: translation(row, 'link_rewrite', languageId),
        },
      ]),
    )
  }
}
