import type { CurrencyInfo, LanguageInfo } from '../store-source'
import { CONFIGURATION_KEYS, normaliseScopeId, StoreConfiguration } from '../store-configuration'
import { parseVersion, StoreSettings } from '../store-settings'
import type { QueryParameters, WebserviceClient } from './webservice-client'
import { list } from './webservice-listing'
import { entitiesOf, flag, integer, text, translations } from './webservice-values'
import type { WebserviceEntity } from './webservice-values'

/**
 * The store's settings through the Webservice, read once per connection: configuration values,
 * languages (and which shop has which), shops and their URLs, currencies and image types, in a
 * handful of parallel requests, turned into the StoreSettings every reader shares.
 */

export async function loadSettings(client: WebserviceClient): Promise<StoreSettings> {
  const all = async (resource: string, parameters: QueryParameters): Promise<WebserviceEntity[]> =>
    entitiesOf(await client.get(resource, parameters), resource)

  const [configurationRows, languageRows, shopRows, urlRows, imageTypeRows] = await Promise.all([
    all('configurations', {
      display: list(['id', 'name', 'value', 'id_shop', 'id_shop_group']),
      [`filter[name]`]: list(CONFIGURATION_KEYS, '|'),
    }),
    all('languages', { display: list(['id', 'name', 'iso_code', 'active']) }),
    all('shops', { display: 'full' }),
    all('shop_urls', { display: 'full' }),
    all('image_types', {
      display: list(['id', 'name', 'width', 'height']),
      'filter[products]': '[1]',
    }),
  ])
  const configuration = new StoreConfiguration(
    configurationRows.map((row) => ({
      name: text(row, 'name'),
      value: row.value === null || row.value === undefined ? null : text(row, 'value'),
      shopId: normaliseScopeId(row.id_shop),
      shopGroupId: normaliseScopeId(row.id_shop_group),
    })),
  )
  const version = parseVersion(
    configuration.get('PS_VERSION_DB') ??
      configuration.get('PS_INSTALL_VERSION') ??
      client.shopVersion,
  )

  const shops = shopRows.map((row) => ({
    id: integer(row, 'id'),
    groupId: integer(row, 'id_shop_group'),
    name: text(row, 'name'),
    active: flag(row, 'active'),
    deleted: flag(row, 'deleted'),
  }))
  // `languages` is shop-associated: the list in a shop's context is that shop's languages.
  const languagesOfShop = new Map<number, Set<number>>()
  await Promise.all(
    shops.map(async (shop) => {
      const rows = await all('languages', { display: '[id]', id_shop: String(shop.id) })
      languagesOfShop.set(shop.id, new Set(rows.map((row) => integer(row, 'id'))))
    }),
  )
  const languages: LanguageInfo[] = languageRows
    .map((row) => {
      const id = integer(row, 'id')
      return {
        id,
        name: text(row, 'name'),
        isoCode: text(row, 'iso_code'),
        active: flag(row, 'active'),
        shopIds: shops.filter((shop) => languagesOfShop.get(shop.id)?.has(id)).map((s) => s.id),
      }
    })
    .sort((a, b) => a.id - b.id)

  const defaultLanguageId = configuration.integer('PS_LANG_DEFAULT') ?? languages[0]?.id ?? 1
  const currencyRows = await all('currencies', { display: 'full' })
  const onlyLanguage = languages.length === 1 ? (languages[0]?.id ?? null) : null
  const currencies: CurrencyInfo[] = currencyRows
    .map((row) => {
      const names = translations(row, 'name', onlyLanguage ?? defaultLanguageId)
      return {
        id: integer(row, 'id'),
        isoCode: text(row, 'iso_code'),
        // 1.7.6+ has `precision`; 1.6 a `decimals` switch (2 places or none); 1.7.0–1.7.5 neither.
        precision:
          'precision' in row || version.family === '8' || version.family === '9'
            ? integer(row, 'precision')
            : 'decimals' in row
              ? flag(row, 'decimals')
                ? 2
                : 0
              : 2,
        name: names.get(defaultLanguageId) ?? [...names.values()][0] ?? '',
        active: flag(row, 'active'),
        deleted: flag(row, 'deleted'),
      }
    })
    .sort((a, b) => a.id - b.id)

  const shopUrls = [...urlRows]
    .sort(
      (a, b) =>
        Number(flag(b, 'main')) - Number(flag(a, 'main')) ||
        Number(flag(b, 'active')) - Number(flag(a, 'active')) ||
        integer(a, 'id') - integer(b, 'id'),
    )
    .map((row) => ({
      shopId: integer(row, 'id_shop'),
      domain: text(row, 'domain'),
      domainSsl: text(row, 'domain_ssl'),
      physicalUri: text(row, 'physical_uri') || '/',
      virtualUri: text(row, 'virtual_uri'),
    }))

  return new StoreSettings({
    version,
    configuration,
    languages,
    currencies,
    shops: shops.sort((a, b) => a.id - b.id),
    shopUrls,
    imageTypes: imageTypeRows.map((row) => ({
      name: text(row, 'name'),
      width: integer(row, 'width'),
      height: integer(row, 'height'),
    })),
  })
}
