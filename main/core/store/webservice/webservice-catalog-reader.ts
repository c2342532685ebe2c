import type {
  CatalogReader,
  CategoryNode,
  CategoryText,
  ProductRecord,
  TaxRuleRecord,
} from '../catalog-lookup'
import { list, listByIds, type ListResource } from './webservice-listing'
import { associationIds, decimal, flag, integer, text, translation } from './webservice-values'

/**
 * The catalogue a page of orders needs (products, their combinations' images, manufacturers,
 * categories, stock and tax rules) through the Webservice, in batches of ids; the CatalogLookup
 * above it caches it.
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
  'active',
  'price',
  'id_tax_rules_group',
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
        active: flag(row, 'active'),
        price: decimal(row, 'price'),
        taxRulesGroupId: integer(row, 'id_tax_rules_group'),
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

  async quantities(
    shopId: number,
    shopGroupId: number,
    ids: readonly number[],
  ): Promise<ReadonlyMap<number, number>> {
    const rows = await listByIds(this.#list, 'stock_availables', 'id_product', ids, {
      display: '[id,id_product,id_shop,id_shop_group,quantity]',
      'filter[id_product_attribute]': '[0]',
      id_shop: String(shopId),
    })
    // The shop's own row, else its group's when the group shares its stock (id_shop 0).
    const own = rows.filter((row) => integer(row, 'id_shop') === shopId)
    const shared = rows.filter(
      (row) => integer(row, 'id_shop') === 0 && integer(row, 'id_shop_group') === shopGroupId,
    )
    const quantities = new Map<number, number>()
    for (const row of [...own, ...shared]) {
      const id = integer(row, 'id_product')
      if (!quantities.has(id)) quantities.set(id, integer(row, 'quantity'))
    }
    return quantities
  }

  async taxRules(
    countryId: number,
    groupIds: readonly number[],
  ): Promise<readonly TaxRuleRecord[]> {
    const [rules, groups] = await Promise.all([
      listByIds(this.#list, 'tax_rules', 'id_tax_rules_group', groupIds, {
        display: '[id,id_tax_rules_group,id_state,zipcode_from,zipcode_to,id_tax,behavior]',
        'filter[id_country]': list([countryId]),
      }),
      listByIds(this.#list, 'tax_rule_groups', 'id', groupIds, { display: '[id,active]' }),
    ])
    const active = new Set(
      groups.filter((group) => flag(group, 'active')).map((group) => integer(group, 'id')),
    )
    const wanted = rules.filter((rule) => active.has(integer(rule, 'id_tax_rules_group')))
    const taxIds = [...new Set(wanted.map((rule) => integer(rule, 'id_tax')))].filter(
      (id) => id > 0,
    )
    const taxes =
      taxIds.length === 0
        ? []
        : await listByIds(this.#list, 'taxes', 'id', taxIds, { display: '[id,rate]' })
    const rates = new Map(taxes.map((tax) => [integer(tax, 'id'), decimal(tax, 'rate')]))
    return wanted
      .map((rule) => ({
        id: integer(rule, 'id'),
        groupId: integer(rule, 'id_tax_rules_group'),
        stateId: integer(rule, 'id_state'),
        zipcodeFrom: text(rule, 'zipcode_from'),
        zipcodeTo: text(rule, 'zipcode_to'),
        behavior: integer(rule, 'behavior'),
        rate: rates.get(integer(rule, 'id_tax')) ?? '0',
      }))
      .sort((a, b) => a.id - b.id)
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
