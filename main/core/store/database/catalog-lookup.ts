import type { RowDataPacket } from 'mysql2/promise'
import type { StoreProduct } from '../store-source'
import { productImageUrl, productPageUrl } from '../shop-links'
import type { ImageLinkContext, ProductLinkContext } from '../shop-links'

/** Runs one read-only query; the store wraps it with error classification and timeouts. */
export type RunQuery = (sql: string, params: unknown[]) => Promise<RowDataPacket[]>

export interface CatalogTables {
  readonly product: string
  readonly productShop: string
  readonly productLang: string
  readonly manufacturer: string
  readonly image: string
  readonly imageShop: string
  readonly imageShopHasProduct: boolean
  readonly productAttributeImage: string
  readonly category: string
  readonly categoryLang: string
}

/** What a line needs to know about the shop it was sold in. */
export interface LineShopContext {
  readonly shopId: number
  readonly languageId: number
  readonly link: ProductLinkContext
  readonly image: ImageLinkContext
}

interface ProductRecord {
  readonly name: string
  readonly rewrite: string
  readonly ean13: string
  readonly reference: string
  readonly categoryId: number
  readonly manufacturerId: number
  readonly coverImageId: number | null
}

interface CategoryNode {
  readonly parentId: number
  readonly isHome: boolean
}

interface CategoryText {
  readonly name: string
  readonly rewrite: string
}

/** Caches stop growing past this many products: memory stays bounded on huge catalogues. */
const MAX_CACHED_PRODUCTS = 20_000
/** A category tree deeper than this has a cycle (a broken `id_parent`). */
const MAX_CATEGORY_DEPTH = 64

/**
 * Looks up, for the lines of one page of orders, the catalogue data Connectif wants (page URL,
 * cover image, category path, brand) with a few set-based queries per page, caching what repeats
 * across pages (best sellers appear in thousands of orders).
 */
export class CatalogLookup {
  readonly #run: RunQuery
  readonly #tables: CatalogTables
  readonly #products = new Map<string, ProductRecord | null>()
  readonly #combinationImages = new Map<number, number | null>()
  readonly #manufacturers = new Map<number, string | null>()
  readonly #pendingManufacturers = new Set<number>()
  readonly #categoryTexts = new Map<string, CategoryText | null>()
  /** Built products by shop, language, product and combination: best sellers recur on every page. */
  readonly #built = new Map<string, StoreProduct | null>()
  #categoryTree: Map<number, CategoryNode> | null = null

  constructor(run: RunQuery, tables: CatalogTables) {
    this.#run = run
    this.#tables = tables
  }

  /** Loads whatever the given lines need and is not cached yet. */
  async prepare(
    lines: readonly { context: LineShopContext; productId: number; productAttributeId: number }[],
  ): Promise<void> {
    if (this.#products.size > MAX_CACHED_PRODUCTS) {
      this.#products.clear()
      this.#built.clear()
      this.#categoryTexts.clear()
      this.#combinationImages.clear()
    }
    const missingByScope = new Map<
      string,
      { shopId: number; languageId: number; ids: Set<number> }
    >()
    const missingCombinations = new Set<number>()
    for (const line of lines) {
      const { shopId, languageId } = line.context
      if (!this.#products.has(productKey(shopId, languageId, line.productId))) {
        const scope = `${shopId}:${languageId}`
        const entry = missingByScope.get(scope) ?? { shopId, languageId, ids: new Set<number>() }
        entry.ids.add(line.productId)
        missingByScope.set(scope, entry)
      }
      if (line.productAttributeId > 0 && !this.#combinationImages.has(line.productAttributeId)) {
        missingCombinations.add(line.productAttributeId)
      }
    }
    for (const scope of missingByScope.values()) {
      await this.#loadProducts(scope.shopId, scope.languageId, [...scope.ids])
    }
    if (missingCombinations.size > 0) await this.#loadCombinationImages([...missingCombinations])
    await this.#loadManufacturers()
    await this.#loadCategoryTexts(lines)
  }

  /** The line's product as the catalogue describes it now; null when it was deleted. Call `prepare` first. */
  product(
    context: LineShopContext,
    productId: number,
    productAttributeId: number,
  ): StoreProduct | null {
    const key = `${productKey(context.shopId, context.languageId, productId)}:${productAttributeId}`
    const built = this.#built.get(key)
    if (built !== undefined) return built
    const product = this.#build(context, productId, productAttributeId)
    this.#built.set(key, product)
    return product
  }

  #build(
    context: LineShopContext,
    productId: number,
    productAttributeId: number,
  ): StoreProduct | null {
    const record = this.#products.get(productKey(context.shopId, context.languageId, productId))
    if (!record) return null
    const category = this.#categoryText(context, record.categoryId)
    const linkData = {
      productId,
      rewrite: record.rewrite,
      ean13: record.ean13,
      reference: record.reference,
      categoryRewrite: category?.rewrite ?? '',
    }
    const imageId =
      (productAttributeId > 0 ? this.#combinationImages.get(productAttributeId) : null) ??
      record.coverImageId
    return {
      name: record.name,
      productDetailUrl: productPageUrl(context.link, { ...linkData, productAttributeId }),
      productBaseUrl: productPageUrl(context.link, { ...linkData, productAttributeId: 0 }),
      imageUrl: imageId === null ? null : productImageUrl(context.image, imageId, record.rewrite),
      categoryPath: this.#categoryPath(context, record.categoryId),
      brand: this.#manufacturers.get(record.manufacturerId) ?? null,
      reference: record.reference,
    }
  }

  async #loadProducts(shopId: number, languageId: number, ids: number[]): Promise<void> {
    const t = this.#tables
    const rows = await this.#run(
      `SELECT p.id_product, p.ean13, p.reference, p.id_manufacturer,
              COALESCE(ps.id_category_default, p.id_category_default) AS id_category_default,
              pl.name, pl.link_rewrite
         FROM ${t.product} p
         LEFT JOIN ${t.productShop} ps ON ps.id_product = p.id_product AND ps.id_shop = ?
         LEFT JOIN ${t.productLang} pl ON pl.id_product = p.id_product AND pl.id_shop = ? AND pl.id_lang = ?
        WHERE p.id_product IN (?)`,
      [shopId, shopId, languageId, ids],
    )
    const found = new Map<number, RowDataPacket>()
    for (const row of rows) found.set(Number(row.id_product), row)

    // A product translated in another shop only: PrestaShop would show that shop's text.
    const untranslated = [...found.values()]
      .filter((row) => row.name === null)
      .map((row) => Number(row.id_product))
    const fallbackTexts = new Map<number, RowDataPacket>()
    if (untranslated.length > 0) {
      const textRows = await this.#run(
        `SELECT id_product, name, link_rewrite FROM ${t.productLang}
          WHERE id_product IN (?) ORDER BY (id_lang = ?) DESC, id_shop, id_lang`,
        [untranslated, languageId],
      )
      for (const row of textRows) {
        if (!fallbackTexts.has(Number(row.id_product)))
          fallbackTexts.set(Number(row.id_product), row)
      }
    }

    const covers = await this.#loadCovers(shopId, [...found.keys()])
    for (const id of ids) {
      const row = found.get(id)
      if (!row) {
        this.#products.set(productKey(shopId, languageId, id), null)
        continue
      }
      const text = row.name === null ? fallbackTexts.get(id) : row
      const manufacturerId = Number(row.id_manufacturer ?? 0)
      if (manufacturerId > 0 && !this.#manufacturers.has(manufacturerId))
        this.#pendingManufacturers.add(manufacturerId)
      this.#products.set(productKey(shopId, languageId, id), {
        name: String(text?.name ?? ''),
        rewrite: String(text?.link_rewrite ?? ''),
        ean13: String(row.ean13 ?? '').trim(),
        reference: String(row.reference ?? ''),
        categoryId: Number(row.id_category_default ?? 0),
        manufacturerId,
        coverImageId: covers.get(id) ?? null,
      })
    }
  }

  /** The shop's own cover first (image_shop), then the product's global cover. */
  async #loadCovers(shopId: number, ids: number[]): Promise<Map<number, number>> {
    const covers = new Map<number, number>()
    if (ids.length === 0) return covers
    const t = this.#tables
    const shopRows = await this.#run(
      this.#tables.imageShopHasProduct
        ? `SELECT id_product, id_image FROM ${t.imageShop} WHERE id_shop = ? AND cover = 1 AND id_product IN (?)`
        : `SELECT i.id_product, i.id_image FROM ${t.imageShop} s JOIN ${t.image} i ON i.id_image = s.id_image
            WHERE s.id_shop = ? AND s.cover = 1 AND i.id_product IN (?)`,
      [shopId, ids],
    )
    for (const row of shopRows) covers.set(Number(row.id_product), Number(row.id_image))
    const withoutShopCover = ids.filter((id) => !covers.has(id))
    if (withoutShopCover.length > 0) {
      const rows = await this.#run(
        `SELECT id_product, id_image FROM ${t.image} WHERE cover = 1 AND id_product IN (?) ORDER BY id_image`,
        [withoutShopCover],
      )
      for (const row of rows) {
        if (!covers.has(Number(row.id_product)))
          covers.set(Number(row.id_product), Number(row.id_image))
      }
    }
    return covers
  }

  async #loadCombinationImages(ids: number[]): Promise<void> {
    const t = this.#tables
    const rows = await this.#run(
      `SELECT pai.id_product_attribute, pai.id_image
         FROM ${t.productAttributeImage} pai JOIN ${t.image} i ON i.id_image = pai.id_image
        WHERE pai.id_product_attribute IN (?)
        ORDER BY pai.id_product_attribute, i.position, i.id_image`,
      [ids],
    )
    for (const id of ids) this.#combinationImages.set(id, null)
    for (const row of rows) {
      const id = Number(row.id_product_attribute)
      if (this.#combinationImages.get(id) === null)
        this.#combinationImages.set(id, Number(row.id_image))
    }
  }

  async #loadManufacturers(): Promise<void> {
    const pending = [...this.#pendingManufacturers]
    this.#pendingManufacturers.clear()
    if (pending.length === 0) return
    const rows = await this.#run(
      `SELECT id_manufacturer, name FROM ${this.#tables.manufacturer} WHERE id_manufacturer IN (?)`,
      [pending],
    )
    for (const id of pending) this.#manufacturers.set(id, null)
    for (const row of rows) this.#manufacturers.set(Number(row.id_manufacturer), String(row.name))
  }

  async #tree(): Promise<Map<number, CategoryNode>> {
    if (this.#categoryTree) return this.#categoryTree
    const rows = await this.#run(
      `SELECT id_category, id_parent, is_root_category FROM ${this.#tables.category}`,
      [],
    )
    const tree = new Map<number, CategoryNode>()
    for (const row of rows) {
      tree.set(Number(row.id_category), {
        parentId: Number(row.id_parent),
        isHome: Number(row.is_root_category) === 1,
      })
    }
    this.#categoryTree = tree
    return tree
  }

  /** Default category first, then its ancestors up to (not including) Home and Root. */
  #ancestry(categoryId: number): number[] {
    const tree = this.#categoryTree
    const chain: number[] = []
    let current = categoryId
    while (tree && chain.length < MAX_CATEGORY_DEPTH) {
      const node = tree.get(current)
      if (!node || node.isHome || node.parentId === 0) break
      chain.push(current)
      current = node.parentId
    }
    return chain
  }

  async #loadCategoryTexts(
    lines: readonly { context: LineShopContext; productId: number }[],
  ): Promise<void> {
    await this.#tree()
    const needed = new Map<string, { shopId: number; languageId: number; ids: Set<number> }>()
    for (const { context, productId } of lines) {
      const { shopId, languageId } = context
      const record = this.#products.get(productKey(shopId, languageId, productId))
      if (!record) continue
      for (const id of [record.categoryId, ...this.#ancestry(record.categoryId)]) {
        if (this.#categoryTexts.has(categoryKey(shopId, languageId, id))) continue
        const scope = `${shopId}:${languageId}`
        const entry = needed.get(scope) ?? { shopId, languageId, ids: new Set<number>() }
        entry.ids.add(id)
        needed.set(scope, entry)
      }
    }
    const t = this.#tables
    for (const { shopId, languageId, ids } of needed.values()) {
      const list = [...ids]
      const rows = await this.#run(
        `SELECT id_category, name, link_rewrite, id_shop FROM ${t.categoryLang}
          WHERE id_lang = ? AND id_category IN (?) ORDER BY (id_shop = ?) DESC, id_shop`,
        [languageId, list, shopId],
      )
      for (const id of list) this.#categoryTexts.set(categoryKey(shopId, languageId, id), null)
      for (const row of rows) {
        const key = categoryKey(shopId, languageId, Number(row.id_category))
        if (this.#categoryTexts.get(key) === null) {
          this.#categoryTexts.set(key, {
            name: String(row.name),
            rewrite: String(row.link_rewrite),
          })
        }
      }
    }
  }

  #categoryText(context: LineShopContext, categoryId: number): CategoryText | null {
    return (
      this.#categoryTexts.get(categoryKey(context.shopId, context.languageId, categoryId)) ?? null
    )
  }

  #categoryPath(context: LineShopContext, categoryId: number): string[] {
    return this.#ancestry(categoryId)
      .reverse()
      .map((id) => this.#categoryText(context, id)?.name ?? '')
      .filter((name) => name !== '')
  }
}

function productKey(shopId: number, languageId: number, productId: number): string {
  return `${shopId}:${languageId}:${productId}`
}

function categoryKey(shopId: number, languageId: number, categoryId: number): string {
  return `${shopId}:${languageId}:${categoryId}`
}
