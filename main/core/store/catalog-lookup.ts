import type { StoreProduct } from './store-source'
import { productImageUrl, productPageUrl } from './shop-links'
import type { LineShopContext } from './store-settings'

/** A product's catalogue data in one shop and language. */
export interface ProductRecord {
  readonly name: string
  readonly rewrite: string
  readonly ean13: string
  readonly reference: string
  readonly categoryId: number
  readonly manufacturerId: number
  readonly coverImageId: number | null
}

export interface CategoryNode {
  readonly parentId: number
  readonly isHome: boolean
}

export interface CategoryText {
  readonly name: string
  readonly rewrite: string
}

/**
 * How a reader fetches catalogue rows, a batch of ids at a time. Ids missing from an answer do not
 * exist (deleted products, manufacturers, categories).
 */
export interface CatalogReader {
  products(
    shopId: number,
    languageId: number,
    ids: readonly number[],
  ): Promise<ReadonlyMap<number, ProductRecord>>
  /** The first image of each combination, by image position. */
  combinationImages(ids: readonly number[]): Promise<ReadonlyMap<number, number>>
  manufacturerNames(ids: readonly number[]): Promise<ReadonlyMap<number, string>>
  categoryTree(): Promise<ReadonlyMap<number, CategoryNode>>
  categoryTexts(
    shopId: number,
    languageId: number,
    ids: readonly number[],
  ): Promise<ReadonlyMap<number, CategoryText>>
}

/** Caches stop growing past this many products: memory stays bounded on huge catalogues. */
const MAX_CACHED_PRODUCTS = 20_000
/** A category tree deeper than this has a cycle (a broken `id_parent`). */
const MAX_CATEGORY_DEPTH = 64

/**
 * Looks up, for the lines of one page of orders, the catalogue data Connectif wants (page URL,
 * cover image, category path, brand) with a few batched reads per page, caching what repeats
 * across pages (best sellers appear in thousands of orders).
 */
export class CatalogLookup {
  readonly #reader: CatalogReader
  readonly #products = new Map<string, ProductRecord | null>()
  readonly #combinationImages = new Map<number, number | null>()
  readonly #manufacturers = new Map<number, string | null>()
  readonly #categoryTexts = new Map<string, CategoryText | null>()
  /** Built products by shop, language, product and combination: best sellers recur on every page. */
  readonly #built = new Map<string, StoreProduct | null>()
  #categoryTree: ReadonlyMap<number, CategoryNode> | null = null

  constructor(reader: CatalogReader) {
    this.#reader = reader
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
    for (const { shopId, languageId, ids } of missingByScope.values()) {
      const list = [...ids]
      const found = await this.#reader.products(shopId, languageId, list)
      for (const id of list)
        this.#products.set(productKey(shopId, languageId, id), found.get(id) ?? null)
    }
    if (missingCombinations.size > 0) {
      const list = [...missingCombinations]
      const images = await this.#reader.combinationImages(list)
      for (const id of list) this.#combinationImages.set(id, images.get(id) ?? null)
    }
    await this.#loadManufacturers(lines)
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

  async #loadManufacturers(
    lines: readonly { context: LineShopContext; productId: number }[],
  ): Promise<void> {
    const pending = new Set<number>()
    for (const { context, productId } of lines) {
      const record = this.#products.get(productKey(context.shopId, context.languageId, productId))
      if (record && record.manufacturerId > 0 && !this.#manufacturers.has(record.manufacturerId))
        pending.add(record.manufacturerId)
    }
    if (pending.size === 0) return
    const list = [...pending]
    const names = await this.#reader.manufacturerNames(list)
    for (const id of list) this.#manufacturers.set(id, names.get(id) ?? null)
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
    this.#categoryTree ??= await this.#reader.categoryTree()
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
    for (const { shopId, languageId, ids } of needed.values()) {
      const list = [...ids]
      const texts = await this.#reader.categoryTexts(shopId, languageId, list)
      for (const id of list)
        this.#categoryTexts.set(categoryKey(shopId, languageId, id), texts.get(id) ?? null)
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
