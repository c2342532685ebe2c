/**
 * What a PrestaShop database says of its store once, at opening: its configuration, languages,
 * currencies, shops and their addresses, and image sizes (the database counterpart of
 * ../webservice/webservice-settings.ts). The reading itself is in database-store.ts.
 */
import type { RowDataPacket } from 'mysql2/promise'
import type { CurrencyInfo, LanguageInfo } from '../store-source'
import { CONFIGURATION_KEYS, normaliseScopeId, StoreConfiguration } from '../store-configuration'
import { parseVersion, StoreSettings } from '../store-settings'
import type { ReadOnlyPool } from './database-connection'
import { quoteIdentifier } from './schema-discovery'
import type { DiscoveredSchema, StoreTable } from './schema-discovery'

export async function loadStoreSettings(
  pool: ReadOnlyPool,
  schema: DiscoveredSchema,
): Promise<StoreSettings> {
  const t = (table: StoreTable): string => quoteIdentifier(`${schema.prefix}${table}`)
  const has = (table: StoreTable, column: string): boolean =>
    schema.columns.get(table)?.has(column) ?? false
  const select = (sql: string, params: unknown[] = []): Promise<RowDataPacket[]> =>
    pool.select(sql, params)

  const configurationRows = await select(
    `SELECT name, value, id_shop, id_shop_group FROM ${t('configuration')} WHERE name IN (?)`,
    [CONFIGURATION_KEYS],
  )
  const configuration = new StoreConfiguration(
    configurationRows.map((row) => ({
      name: String(row.name),
      value: row.value === null ? null : String(row.value),
      shopId: normaliseScopeId(row.id_shop),
      shopGroupId: normaliseScopeId(row.id_shop_group),
    })),
  )
  const version = parseVersion(
    configuration.get('PS_VERSION_DB') ?? configuration.get('PS_INSTALL_VERSION'),
  )

  const languageRows = await select(
    `SELECT id_lang, name, active, iso_code FROM ${t('lang')} ORDER BY id_lang`,
  )
  const languageShopRows = await select(`SELECT id_lang, id_shop FROM ${t('lang_shop')}`)
  const languages: LanguageInfo[] = languageRows.map((row) => {
    const id = Number(row.id_lang)
    return {
      id,
      name: String(row.name),
      isoCode: String(row.iso_code),
      active: Number(row.active) === 1,
      shopIds: languageShopRows
        .filter((link) => Number(link.id_lang) === id)
        .map((link) => Number(link.id_shop)),
    }
  })

  const currencies = await loadCurrencies(
    select,
    t,
    has,
    configuration.integer('PS_LANG_DEFAULT') ?? 1,
  )

  const shopRows = await select(
    `SELECT id_shop, id_shop_group, name, active${has('shop', 'deleted') ? ', deleted' : ', 0 AS deleted'} FROM ${t('shop')} ORDER BY id_shop`,
  )
  const urlRows = await select(
    `SELECT id_shop, domain, domain_ssl, physical_uri, virtual_uri, main, active FROM ${t('shop_url')} ORDER BY main DESC, active DESC, id_shop_url`,
  )
  const imageTypes = await select(
    `SELECT name, width, height FROM ${t('image_type')} WHERE products = 1`,
  )
  return new StoreSettings({
    version,
    configuration,
    languages,
    currencies,
    shops: shopRows.map((row) => ({
      id: Number(row.id_shop),
      groupId: Number(row.id_shop_group),
      name: String(row.name),
      active: Number(row.active) === 1,
      deleted: Number(row.deleted) === 1,
    })),
    shopUrls: urlRows.map((row) => ({
      shopId: Number(row.id_shop),
      domain: String(row.domain ?? ''),
      domainSsl: String(row.domain_ssl ?? ''),
      physicalUri: String(row.physical_uri ?? '/'),
      virtualUri: String(row.virtual_uri ?? ''),
    })),
    imageTypes: imageTypes.map((row) => ({
      name: String(row.name),
      width: Number(row.width),
      height: Number(row.height),
    })),
  })
}

type Select = (sql: string, params?: unknown[]) => Promise<RowDataPacket[]>

async function loadCurrencies(
  select: Select,
  t: (table: StoreTable) => string,
  has: (table: StoreTable, column: string) => boolean,
  defaultLanguageId: number,
): Promise<CurrencyInfo[]> {
  // 1.7.6+ has `precision`; 1.6 a `decimals` switch (2 places or none); 1.7.0–1.7.5 neither, so 2.
  const precision = has('currency', 'precision')
    ? 'c.`precision`'
    : has('currency', 'decimals')
      ? 'IF(c.decimals = 1, 2, 0)'
      : '2'
  const name = has('currency', 'name') ? 'c.name' : "''"
  const rows = await select(
    `SELECT c.id_currency, c.iso_code, ${precision} AS currency_precision, ${name} AS name, c.active, c.deleted FROM ${t('currency')} c ORDER BY c.id_currency`,
  )
  const localNames = new Map<number, string>()
  if (has('currency_lang', 'name')) {
    const nameRows = await select(
      `SELECT id_currency, name FROM ${t('currency_lang')} ORDER BY (id_lang = ?) DESC, id_lang`,
      [defaultLanguageId],
    )
    for (const row of nameRows) {
      if (!localNames.has(Number(row.id_currency)))
        localNames.set(Number(row.id_currency), String(row.name))
    }
  }
  return rows.map((row) => {
    const id = Number(row.id_currency)
    return {
      id,
      isoCode: String(row.iso_code),
      precision: Number(row.currency_precision),
      name: localNames.get(id) ?? String(row.name),
      active: Number(row.active) === 1,
      deleted: Number(row.deleted) === 1,
    }
  })
}
