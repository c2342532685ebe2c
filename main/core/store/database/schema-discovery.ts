import type { DatabaseConnectionOptions, ReadOnlyPool } from './database-connection'
import { StoreError } from '../store-errors'

/** Tables the reader cannot work without (names without the prefix). */
export const REQUIRED_TABLES = [
  'configuration',
  'shop',
  'shop_url',
  'lang',
  'lang_shop',
  'currency',
  'orders',
  'order_detail',
  'customer',
  'order_state',
  'order_state_lang',
  'product',
  'product_shop',
  'product_lang',
  'category',
  'category_lang',
  'manufacturer',
  'image',
  'image_shop',
  'image_type',
  'product_attribute_image',
  'stock_available',
  'tax',
  'tax_rule',
  'tax_rules_group',
] as const

/** Tables some versions lack; the reader adapts when they are absent. */
export const OPTIONAL_TABLES = ['currency_lang', 'shop_group'] as const

export type StoreTable = (typeof REQUIRED_TABLES)[number] | (typeof OPTIONAL_TABLES)[number]

export interface DiscoveredSchema {
  readonly prefix: string
  /** Columns of each table present, by unprefixed table name. */
  readonly columns: ReadonlyMap<StoreTable, ReadonlySet<string>>
}

const ER_TABLEACCESS_DENIED_ERROR = 1142
const ER_NO_SUCH_TABLE = 1146

export function quoteIdentifier(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``
}

/** Whether `table` can be read, and why not: absent and unreadable tables look alike in information_schema. */
async function probeTable(
  pool: ReadOnlyPool,
  table: string,
): Promise<'readable' | 'denied' | 'absent'> {
  try {
    await pool.select(`SELECT 1 FROM ${quoteIdentifier(table)} LIMIT 0`)
    return 'readable'
  } catch (error) {
    const errno = (error as { errno?: number }).errno
    if (errno === ER_TABLEACCESS_DENIED_ERROR) return 'denied'
    if (errno === ER_NO_SUCH_TABLE) return 'absent'
    throw error
  }
}

/**
 * Finds the PrestaShop tables under the configured prefix and the columns this version has, and
 * explains precisely when they are not there: wrong prefix (naming the prefixes that exist), a user
 * without SELECT on some tables, or a database that is not PrestaShop's at all.
 */
export async function discoverSchema(
  pool: ReadOnlyPool,
  options: DatabaseConnectionOptions,
): Promise<DiscoveredSchema> {
  const prefix = options.tablePrefix
  const tableRows = await pool.select(
    'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()',
  )
  const visible = new Set(tableRows.map((row) => String(row.name)))

  // Every PrestaShop has a configuration table; a bare `orders` table proves nothing.
  const plausible =
    visible.has(`${prefix}configuration`) ||
    (await probeTable(pool, `${prefix}configuration`)) === 'denied'
  if (!plausible) throw explainMissingPrefix(visible, options)

  const denied: string[] = []
  const absent: string[] = []
  for (const table of REQUIRED_TABLES) {
    const name = `${prefix}${table}`
    if (visible.has(name)) continue
    const state = await probeTable(pool, name)
    if (state === 'denied') denied.push(name)
    else if (state === 'absent') absent.push(name)
  }
  if (denied.length > 0) {
    throw new StoreError(
      'missing_select_privilege',
      `The user "${options.user}" may not read ${denied.length === 1 ? 'the table' : 'the tables'} ${denied.join(', ')}. Grant it SELECT on the database "${options.database}".`,
      {
        params: {
          reason: 'tables',
          user: options.user,
          tables: denied.join(', '),
          count: String(denied.length),
          database: options.database,
        },
      },
    )
  }
  if (absent.length > REQUIRED_TABLES.length / 2) {
    throw new StoreError(
      'not_prestashop',
      `The tables starting with "${prefix}" in the database "${options.database}" are not PrestaShop's: ${absent.length} of the ${REQUIRED_TABLES.length} tables it needs are missing.`,
      {
        params: {
          reason: 'foreign_tables',
          prefix,
          database: options.database,
          missing: String(absent.length),
          required: String(REQUIRED_TABLES.length),
        },
      },
    )
  }
  if (absent.length > 0) {
    throw new StoreError(
      'missing_table',
      `This PrestaShop database lacks ${absent.length === 1 ? 'the table' : 'the tables'} ${absent.join(', ')}. It may be damaged, or from a version Purchase Sender does not support.`,
      { params: { tables: absent.join(', '), count: String(absent.length) } },
    )
  }

  const present = [...REQUIRED_TABLES, ...OPTIONAL_TABLES].filter((table) =>
    visible.has(`${prefix}${table}`),
  )
  const columnRows = await pool.select(
    'SELECT TABLE_NAME AS tableName, COLUMN_NAME AS columnName FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?)',
    [present.map((table) => `${prefix}${table}`)],
  )
  const columns = new Map<StoreTable, Set<string>>()
  for (const table of present) columns.set(table, new Set())
  for (const row of columnRows) {
    const table = String(row.tableName).slice(prefix.length) as StoreTable
    columns.get(table)?.add(String(row.columnName).toLowerCase())
  }
  return { prefix, columns }
}

function explainMissingPrefix(
  visible: ReadonlySet<string>,
  options: DatabaseConnectionOptions,
): StoreError {
  const prefixes = [...visible]
    .filter((name) => name.endsWith('configuration'))
    .map((name) => name.slice(0, -'configuration'.length))
    .filter((candidate) => visible.has(`${candidate}orders`))
    .sort()
  if (prefixes.length > 0) {
    const list = prefixes.map((candidate) => `"${candidate}"`).join(', ')
    return new StoreError(
      'no_tables_with_prefix',
      `No PrestaShop tables start with "${options.tablePrefix}" in the database "${options.database}". PrestaShop tables there start with ${list}: set the table prefix to ${prefixes.length === 1 ? 'it' : 'one of them'}.`,
      {
        params: {
          prefix: options.tablePrefix,
          database: options.database,
          prefixes: list,
          count: String(prefixes.length),
        },
      },
    )
  }
  if (visible.size === 0) {
    return new StoreError(
      'not_prestashop',
      `The database "${options.database}" has no tables that the user "${options.user}" can see. Check the database name, and that the user has SELECT on it.`,
      { params: { reason: 'no_visible_tables', database: options.database, user: options.user } },
    )
  }
  return new StoreError(
    'not_prestashop',
    `The database "${options.database}" does not look like a PrestaShop database: it has no configuration and orders tables under any prefix.`,
    { params: { reason: 'no_prestashop_tables', database: options.database } },
  )
}
