import type { RowDataPacket } from 'mysql2/promise'
import type {
  CatalogReader,
  CategoryNode,
  CategoryText,
  ProductRecord,
  TaxRuleRecord,
} from '../catalog-lookup'

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
  readonly stockAvailable: string
  readonly tax: string
  readonly taxRule: string
  readonly taxRulesGroup: string
}

/** The catalogue read with set-based SQL, one query per batch of ids. */
export class DatabaseCatalogReader implements CatalogReader {
  readonly #run: RunQuery
  readonly #tables: CatalogTables

  constructor(run: RunQuery, tables: CatalogTables) {
    this.#run = run
    this.#tables = tables
  }

  async products(
    shopId: number,
    languageId: number,
    ids: readonly number[],
  ): Promise<ReadonlyMap<number, ProductRecord>> {
    const t = this.#tables
    const rows = await this.#run(
      `SELECT p.id_product, p.ean13, p.reference, p.id_manufacturer,
              COALESCE(ps.id_category_default, p.id_category_default) AS id_category_default,
              COALESCE(ps.active, p.active) AS active, COALESCE(ps.price, p.price) AS price,
              COALESCE(ps.id_tax_rules_group, p.id_tax_rules_group) AS id_tax_rules_group,
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

    const covers = await this.#covers(shopId, [...found.keys()])
    const products = new Map<number, ProductRecord>()
    for (const [id, row] of found) {
      const text = row.name === null ? fallbackTexts.get(id) : row
      products.set(id, {
        name: String(text?.name ?? ''),
        rewrite: String(text?.link_rewrite ?? ''),
        ean13: String(row.ean13 ?? '').trim(),
        reference: String(row.reference ?? ''),
        categoryId: Number(row.id_category_default ?? 0),
        manufacturerId: Number(row.id_manufacturer ?? 0),
        coverImageId: covers.get(id) ?? null,
        active: Number(row.active) === 1,
        price: String(row.price ?? '0'),
        taxRulesGroupId: Number(row.id_tax_rules_group ?? 0),
      })
    }
    return products
  }

  /** The shop's own cover first (image_shop), then the product's global cover. */
  async #covers(shopId: number, ids: number[]): Promise<Map<number, number>> {
    const covers = new Map<number, number>()
    if (ids.length === 0) return covers
    const t = this.#tables
    const shopRows = await this.#run(
      t.imageShopHasProduct
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

  async combinationImages(ids: readonly number[]): Promise<ReadonlyMap<number, number>> {
    const t = this.#tables
    const rows = await this.#run(
      `SELECT pai.id_product_attribute, pai.id_image
         FROM ${t.productAttributeImage} pai JOIN ${t.image} i ON i.id_image = pai.id_image
        WHERE pai.id_product_attribute IN (?)
        ORDER BY pai.id_product_attribute, i.position, i.id_image`,
      [ids],
    )
    const images = new Map<number, number>()
    for (const row of rows) {
      const id = Number(row.id_product_attribute)
      if (!images.has(id)) images.set(id, Number(row.id_image))
    }
    return images
  }

  async manufacturerNames(ids: readonly number[]): Promise<ReadonlyMap<number, string>> {
    const rows = await this.#run(
      `SELECT id_manufacturer, name FROM ${this.#tables.manufacturer} WHERE id_manufacturer IN (?)`,
      [ids],
    )
    return new Map(rows.map((row) => [Number(row.id_manufacturer), String(row.name)]))
  }

  async categoryTree(): Promise<ReadonlyMap<number, CategoryNode>> {
    const rows = await this.#run(
      `SELECT id_category, id_parent, is_root_category FROM ${this.#tables.category}`,
      [],
    )
    return new Map(
      rows.map((row) => [
        Number(row.id_category),
        { parentId: Number(row.id_parent), isHome: Number(row.is_root_category) === 1 },
      ]),
    )
  }

  async quantities(
    shopId: number,
    shopGroupId: number,
    ids: readonly number[],
  ): Promise<ReadonlyMap<number, number>> {
    // A group that shares its stock keeps one row with id_shop 0 (StockAvailable::addSqlShopRestriction).
    const rows = await this.#run(
      `SELECT id_product, quantity FROM ${this.#tables.stockAvailable}
        WHERE id_product IN (?) AND id_product_attribute = 0
          AND (id_shop = ? OR (id_shop = 0 AND id_shop_group = ?))
        ORDER BY id_shop DESC, id_stock_available`,
      [ids, shopId, shopGroupId],
    )
    const quantities = new Map<number, number>()
    for (const row of rows) {
      const id = Number(row.id_product)
      if (!quantities.has(id)) quantities.set(id, Number(row.quantity))
    }
    return quantities
  }

  async taxRules(
    countryId: number,
    groupIds: readonly number[],
  ): Promise<readonly TaxRuleRecord[]> {
    const t = this.#tables
    const rows = await this.#run(
      `SELECT tr.id_tax_rule, tr.id_tax_rules_group, tr.id_state, tr.zipcode_from, tr.zipcode_to,
              tr.behavior, t.rate
         FROM ${t.taxRule} tr
         JOIN ${t.taxRulesGroup} trg ON trg.id_tax_rules_group = tr.id_tax_rules_group
         LEFT JOIN ${t.tax} t ON t.id_tax = tr.id_tax
        WHERE trg.active = 1 AND tr.id_country = ? AND tr.id_tax_rules_group IN (?)
        ORDER BY tr.id_tax_rule`,
      [countryId, groupIds],
    )
    return rows.map((row) => ({
      id: Number(row.id_tax_rule),
      groupId: Number(row.id_tax_rules_group),
      stateId: Number(row.id_state),
      zipcodeFrom: String(row.zipcode_from ?? ''),
      zipcodeTo: String(row.zipcode_to ?? ''),
      behavior: Number(row.behavior),
      rate: row.rate === null ? '0' : String(row.rate),
    }))
  }

  async categoryTexts(
    shopId: number,
    languageId: number,
    ids: readonly number[],
  ): Promise<ReadonlyMap<number, CategoryText>> {
    const rows = await this.#run(
      `SELECT id_category, name, link_rewrite, id_shop FROM ${this.#tables.categoryLang}
        WHERE id_lang = ? AND id_category IN (?) ORDER BY (id_shop = ?) DESC, id_shop`,
      [languageId, ids, shopId],
    )
    const texts = new Map<number, CategoryText>()
    for (const row of rows) {
      const id = Number(row.id_category)
      if (!texts.has(id))
        texts.set(id, { name: String(row.name), rewrite: String(row.link_rewrite) })
    }
    return texts
  }
}
