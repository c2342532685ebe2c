import { formatMicros, multiplyMicros, ONE_MICROS, readMicros } from '../purchases/money'
import type { StoreProduct } from './store-source'
import { isStoreError } from './store-errors'
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
  /** `product_shop.active` (the product's own row when the shop has none). */
  readonly active: boolean
  /** Base price without tax in the shop's default currency, as stored ("23.900000"). */
  readonly price: string
  readonly taxRulesGroupId: number
}

/**
 * A `tax_rule` of an active tax rules group for one country, with its tax's rate (a percentage as
 * stored, "21.000"; "0" when the tax row is gone).
 */
export interface TaxRuleRecord {
  readonly id: number
  readonly groupId: number
  readonly stateId: number
  readonly zipcodeFrom: string
  readonly zipcodeTo: string
  /** 0: this tax only; 1: added to the others; 2: applied one after another. */
  readonly behavior: number
  readonly rate: string
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
  /**
   * Units available of each product (`stock_available`, `id_product_attribute` 0: every
   * combination together) in the shop, else in its group when the group shares its stock. A
   * product without a row is missing from the answer.
   */
  quantities(
    shopId: number,
    shopGroupId: number,
    ids: readonly number[],
  ): Promise<ReadonlyMap<number, number>>
  /** The rules of the given tax rules groups for a country, active groups only, by rule id. */
  taxRules(countryId: number, groupIds: readonly number[]): Promise<readonly TaxRuleRecord[]>
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
  /** Units available by shop and product; null: no stock row. */
  readonly #quantities = new Map<string, number | null>()
  /** False once the store refused to tell stock (a Webservice key without `stock_availables`). */
  #stockReadable = true
  /** False once the store refused to tell tax rules (a Webservice key without them). */
  #taxesReadable = true
  /** Price factors (micros) by country and tax rules group. */
  readonly #taxFactors = new Map<string, bigint>()
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
      this.#quantities.clear()
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
    await this.#loadQuantities(lines)
    await this.#loadTaxFactors(lines)
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
    const imageUrl = (id: number | null): string | null =>
      id === null ? null : productImageUrl(context.image, id, record.rewrite)
    const quantity = this.#quantities.get(`${context.shopId}:${productId}`) ?? 0
    const taxed = !context.catalogue.taxes || this.#taxesReadable
    const price = readMicros(record.price)
    const priceMicros = typeof price === 'bigint' ? price : 0n
    const factor = context.catalogue.taxes
      ? (this.#taxFactors.get(`${context.catalogue.countryId}:${record.taxRulesGroupId}`) ??
        ONE_MICROS)
      : ONE_MICROS
    return {
      name: record.name,
      productDetailUrl: productPageUrl(context.link, { ...linkData, productAttributeId }),
      productBaseUrl: productPageUrl(context.link, { ...linkData, productAttributeId: 0 }),
      imageUrl: imageUrl(imageId),
      categoryPath: this.#categoryPath(context, record.categoryId),
      brand: this.#manufacturers.get(record.manufacturerId) ?? null,
      reference: record.reference,
      coverImageUrl: imageUrl(record.coverImageId),
      active: record.active,
      priceTaxExcl: formatMicros(priceMicros),
      priceTaxIncl: taxed ? formatMicros(multiplyMicros(priceMicros, factor)) : null,
      quantity,
      inStock: !this.#stockReadable || !context.catalogue.stockManagement || quantity > 0,
    }
  }

  async #loadQuantities(
    lines: readonly { context: LineShopContext; productId: number }[],
  ): Promise<void> {
    const needed = new Map<string, { shopId: number; shopGroupId: number; ids: Set<number> }>()
    for (const { context, productId } of lines) {
      const { shopId, languageId } = context
      if (!this.#products.get(productKey(shopId, languageId, productId))) continue
      if (this.#quantities.has(`${shopId}:${productId}`)) continue
      const entry = needed.get(String(shopId)) ?? {
        shopId,
        shopGroupId: context.catalogue.shopGroupId,
        ids: new Set<number>(),
      }
      entry.ids.add(productId)
      needed.set(String(shopId), entry)
    }
    for (const { shopId, shopGroupId, ids } of needed.values()) {
      const list = [...ids]
      const found = await this.#unlessForbidden(
        () => this.#reader.quantities(shopId, shopGroupId, list),
        () => (this.#stockReadable = false),
      )
      if (found === null) return
      for (const id of list) this.#quantities.set(`${shopId}:${id}`, found.get(id) ?? null)
    }
  }

  async #loadTaxFactors(
    lines: readonly { context: LineShopContext; productId: number }[],
  ): Promise<void> {
    const needed = new Map<number, Set<number>>()
    for (const { context, productId } of lines) {
      const { taxes, countryId } = context.catalogue
      if (!taxes || countryId <= 0) continue
      const record = this.#products.get(productKey(context.shopId, context.languageId, productId))
      if (!record || this.#taxFactors.has(`${countryId}:${record.taxRulesGroupId}`)) continue
      const groups = needed.get(countryId) ?? new Set<number>()
      groups.add(record.taxRulesGroupId)
      needed.set(countryId, groups)
    }
    for (const [countryId, groups] of needed) {
      const list = [...groups]
      const rules = list.some((id) => id > 0)
        ? await this.#unlessForbidden(
            () =>
              this.#reader.taxRules(
                countryId,
                list.filter((id) => id > 0),
              ),
            () => (this.#taxesReadable = false),
          )
        : []
      if (rules === null) return
      for (const groupId of list) {
        this.#taxFactors.set(
          `${countryId}:${groupId}`,
          taxFactor(rules.filter((rule) => rule.groupId === groupId)),
        )
      }
    }
  }

  /**
   * `read()`, or null when the store's key may not read that resource: a Webservice key made
   * before stock and tax rules were read (`onForbidden` notes it, and the products then say what
   * the orders say: in stock, priced as sold). Any other error stops the reading as usual.
   */
  async #unlessForbidden<T>(read: () => Promise<T>, onForbidden: () => void): Promise<T | null> {
    try {
      return await read()
    } catch (error) {
      if (!isStoreError(error) || error.code !== 'missing_permission') throw error
      onForbidden()
      return null
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

/** A postcode bound PrestaShop's rule query treats as "any postcode": empty or zero. */
function noPostcode(value: string): boolean {
  return /^0*$/.test(value.trim())
}

/**
 * What a price without tax is multiplied by (in micros, 1.21 for 21 %) under one tax rules
 * group's rules for a country, as PrestaShop's TaxRulesTaxManager prices it for an address with no
 * state and no postcode (a visitor's): the rules of the whole country, those with an empty lower
 * postcode first; the first rule's behaviour decides how their taxes add up (2: one after another,
 * else summed), and a rule of behaviour 0 ("this tax only") ends the list.
 */
export function taxFactor(rules: readonly TaxRuleRecord[]): bigint {
  const applicable = rules
    .filter(
      (rule) =>
        rule.stateId === 0 &&
        (rule.zipcodeFrom.trim() === '' ||
          (noPostcode(rule.zipcodeFrom) && noPostcode(rule.zipcodeTo))),
    )
    .sort(
      (a, b) =>
        // ORDER BY zipcode_from DESC, zipcode_to DESC; ties by rule id.
        compareText(b.zipcodeFrom, a.zipcodeFrom) ||
        compareText(b.zipcodeTo, a.zipcodeTo) ||
        a.id - b.id,
    )
  const first = applicable[0]
  if (first === undefined) return ONE_MICROS
  const rates: bigint[] = []
  for (const rule of applicable) {
    const rate = readMicros(rule.rate)
    rates.push(typeof rate === 'bigint' ? rate : 0n)
    if (rule.behavior === 0) break
  }
  // A rate in micros of a percent: rate / 100 is its share of one, in micros.
  if (first.behavior === 2) {
    return rates.reduce(
      (factor, rate) => multiplyMicros(factor, ONE_MICROS + (rate < 0n ? -rate : rate) / 100n),
      ONE_MICROS,
    )
  }
  return ONE_MICROS + rates.reduce((sum, rate) => sum + rate, 0n) / 100n
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
