/**
 * A PrestaShop legacy Webservice (`/api/...`) for tests and benchmarks: a real HTTP(S) server on
 * 127.0.0.1 that reads a generated store from the test database the way PrestaShop's PHP reads its
 * own tables, and answers with PrestaShop's shapes, status codes, error codes and quirks
 * (docs/prestashop.md §3).
 *
 * What it follows, in order of authority: prestashop.md §3; then the brief's choices (the
 * simulator must carry the same catalogue data as the database reader: a product's cover is its
 * image_shop cover for the context shop, else its global image.cover); then PrestaShop's PHP
 * (dispatcher.php, WebserviceRequest, SQLUtils::getSQLRetrieveFilter, WebserviceOutputBuilder,
 * WebserviceOutputJSON) as read for this file. Places where it departs from the PHP or had to guess
 * say so in a comment.
 *
 * Deterministic (lists without `sort` come in primary-key order) and free of vitest imports so the
 * benchmark scripts can start it. Each request runs a handful of set-based queries on one mysql2
 * pool: a page of 100 orders with display=full is three queries (context, orders, order rows).
 */
import { createHash } from 'node:crypto'
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import mysql, { type Pool, type RowDataPacket } from 'mysql2/promise'
import { systemClock, type Clock } from '../../../main/core/clock'
import { versionAtLeast, type PrestaShopVersion } from './schema-builder'

// ---------------------------------------------------------------------------------------------
// Public API

export const WEBSERVICE_TEST_KEY = 'PSWSTESTKEY0123456789ABCDEFGHIJK'

export interface WebserviceSimulatorOptions {
  /** Pool or connection options (mysql2) of the database the generator loaded. */
  readonly database: {
    host: string
    port: number
    user: string
    password: string
    database: string
  }
  /** Table prefix, `ps_` by default. */
  readonly prefix?: string
  /** Decides the family shapes (empty lists, dropped fields, value types, PATCH). */
  readonly version: PrestaShopVersion
  /** 32 characters; WEBSERVICE_TEST_KEY by default. */
  readonly key?: string
  readonly quirks?: Partial<WebserviceQuirks>
  /** Serve HTTPS with this key/cert (PEM). */
  readonly tls?: { key: string; cert: string }
  /** Path the shop lives under, default '/' (e.g. '/shop/' serves /shop/api/...). */
  readonly basePath?: string
  /** Time for `delayMs` and the Access-Time header; the system clock by default. */
  readonly clock?: Clock
}

export interface WebserviceQuirks {
  /** Apache + PHP-CGI: the Authorization header never reaches PHP; only ?ws_key= works. */
  stripAuthorization: boolean
  /** .htaccess not applied: /api/... answers 404 with the shop's HTML page; only /webservice/dispatcher.php?url=... works. */
  rewriteOff: boolean
  /** Webservice switched off in the back office: 503 code 22. */
  disabled: boolean
  /** Every request answers the shop's HTML maintenance page, 503 text/html. */
  maintenance: boolean
  /** A firewall/WAF answers 403 text/html before PrestaShop. */
  firewall: boolean
  /** 302 to this absolute URL (used verbatim as Location) for every request. */
  redirectTo: string | null
  /** Resources the key has no permission on: 401 code 26 'Resource of type "x" is not allowed with this authentication key'. */
  deniedResources: readonly string[]
  /** Shops the key is associated with; null = all. Otherwise 403 code 132 "No permission for this key on this shop". */
  keyShopIds: readonly number[] | null
  /** 'strings': every value a string except top-level "id"; 'native': int columns as JSON numbers, decimals still strings. */
  valueTypes: 'strings' | 'native'
  /** Milliseconds to wait (on the simulator's clock) before answering each request. */
  delayMs: number
}

export interface WebserviceRequestRecord {
  method: string
  /** URL path without the query string. */
  path: string
  /** The resource asked for (first URL segment), null for the resource list or a non-API path. */
  resource: string | null
  query: Record<string, string>
  auth: 'header' | 'query' | 'none'
  /** 0 when the socket was dropped. */
  status: number
}

export interface WebserviceSimulator {
  /** Shop base URL ending in '/', e.g. http://127.0.0.1:PORT/ (+ basePath). */
  readonly url: string
  readonly key: string
  readonly requests: readonly WebserviceRequestRecord[]
  /** Requests being answered now (received, not yet answered nor dropped). */
  readonly inFlight: number
  /** The most requests answered at once since the start (or the last `resetRequests`). */
  readonly maxInFlight: number
  setQuirks(quirks: Partial<WebserviceQuirks>): void
  /** The next `count` requests answer `status` (500 by default; 500/502/503/504) with an HTML or empty body, doing nothing. */
  failNext(count: number, status?: number): void
  /** The next `count` requests get their socket destroyed without an answer. */
  dropNext(count: number): void
  resetRequests(): void
  close(): Promise<void>
}

// ---------------------------------------------------------------------------------------------
// Resources

/** Every resource of `WebserviceRequest::getResources()` (C82/C91), for "did you mean" and code 26. */
const PRESTASHOP_RESOURCES = [
  'addresses',
  'attachments',
  'carriers',
  'cart_rules',
  'carts',
  'categories',
  'combinations',
  'configurations',
  'contacts',
  'content_management_system',
  'countries',
  'currencies',
  'customer_messages',
  'customer_threads',
  'customers',
  'customizations',
  'deliveries',
  'employees',
  'groups',
  'guests',
  'image_types',
  'images',
  'languages',
  'manufacturers',
  'messages',
  'order_carriers',
  'order_cart_rules',
  'order_details',
  'order_histories',
  'order_invoices',
  'order_payments',
  'order_slip',
  'order_states',
  'orders',
  'price_ranges',
  'product_customization_fields',
  'product_feature_values',
  'product_features',
  'product_option_values',
  'product_options',
  'product_suppliers',
  'products',
  'search',
  'shop_groups',
  'shop_urls',
  'shops',
  'specific_price_rules',
  'specific_prices',
  'states',
  'stock_availables',
  'stock_movement_reasons',
  'stock_movements',
  'stocks',
  'stores',
  'suppliers',
  'supply_order_details',
  'supply_order_histories',
  'supply_order_receipt_histories',
  'supply_order_states',
  'supply_orders',
  'tags',
  'tax_rule_groups',
  'tax_rules',
  'taxes',
  'translated_configurations',
  'warehouse_product_locations',
  'warehouses',
  'weight_ranges',
  'zones',
]

type VirtualField = 'shipping_number' | 'id_default_image' | 'manufacturer_name'
type AssociationName =
  | 'order_rows'
  | 'product_categories'
  | 'product_images'
  | 'product_combinations'
  | 'combination_images'
  | 'category_children'
  | 'category_products'

interface ResourceDef {
  /** Singular node name: {"order":{…}}. */
  readonly node: string
  /** ObjectModel class, for messages. */
  readonly className: string
  readonly table: string
  readonly primary: string
  /**
   * `Shop::$asso_tables` type 'shop': lists only show rows linked to the context shop, single
   * reads answer 404 code 131 for an object outside the request's shops, and the table's columns
   * override the main row's (EntityMapper joins `<table>_shop` for the context shop).
   */
  readonly shopTable?: string
  readonly langTable?: string
  readonly virtualFields?: readonly VirtualField[]
  /** Output key → association. */
  readonly associations?: Readonly<Record<string, AssociationName>>
  /** Configuration::getWebserviceObjectList leaves out the rows that have translations. */
  readonly untranslatedOnly?: boolean
  /**
   * `Shop::$asso_tables` type 'fk_shop' (stock_available): lists keep the rows of the request's
   * shops, and the shared rows (id_shop 0) of their groups.
   */
  readonly fkShop?: boolean
}

const RESOURCES: Readonly<Record<string, ResourceDef>> = {
  orders: {
    node: 'order',
    className: 'Order',
    table: 'orders',
    primary: 'id_order',
    // Order's webserviceParameters: a getter (order_carrier tracking number, else the column).
    virtualFields: ['shipping_number'],
    associations: { order_rows: 'order_rows' },
  },
  order_details: {
    node: 'order_detail',
    className: 'OrderDetail',
    table: 'order_detail',
    primary: 'id_order_detail',
  },
  order_states: {
    node: 'order_state',
    className: 'OrderState',
    table: 'order_state',
    primary: 'id_order_state',
    langTable: 'order_state_lang',
  },
  order_histories: {
    node: 'order_history',
    className: 'OrderHistory',
    table: 'order_history',
    primary: 'id_order_history',
  },
  customers: { node: 'customer', className: 'Customer', table: 'customer', primary: 'id_customer' },
  currencies: {
    node: 'currency',
    className: 'Currency',
    table: 'currency',
    primary: 'id_currency',
    shopTable: 'currency_shop',
    langTable: 'currency_lang',
  },
  languages: {
    node: 'language',
    className: 'Language',
    table: 'lang',
    primary: 'id_lang',
    shopTable: 'lang_shop',
  },
  shops: { node: 'shop', className: 'Shop', table: 'shop', primary: 'id_shop' },
  shop_urls: { node: 'shop_url', className: 'ShopUrl', table: 'shop_url', primary: 'id_shop_url' },
  shop_groups: {
    node: 'shop_group',
    className: 'ShopGroup',
    table: 'shop_group',
    primary: 'id_shop_group',
  },
  configurations: {
    node: 'configuration',
    className: 'Configuration',
    table: 'configuration',
    primary: 'id_configuration',
    untranslatedOnly: true,
  },
  products: {
    node: 'product',
    className: 'Product',
    table: 'product',
    primary: 'id_product',
    shopTable: 'product_shop',
    langTable: 'product_lang',
    virtualFields: ['id_default_image', 'manufacturer_name'],
    associations: {
      categories: 'product_categories',
      images: 'product_images',
      combinations: 'product_combinations',
    },
  },
  combinations: {
    node: 'combination',
    className: 'Combination',
    table: 'product_attribute',
    primary: 'id_product_attribute',
    shopTable: 'product_attribute_shop',
    associations: { images: 'combination_images' },
  },
  categories: {
    node: 'category',
    className: 'Category',
    table: 'category',
    primary: 'id_category',
    shopTable: 'category_shop',
    langTable: 'category_lang',
    associations: { categories: 'category_children', products: 'category_products' },
  },
  manufacturers: {
    node: 'manufacturer',
    className: 'Manufacturer',
    table: 'manufacturer',
    primary: 'id_manufacturer',
    shopTable: 'manufacturer_shop',
    langTable: 'manufacturer_lang',
  },
  image_types: {
    node: 'image_type',
    className: 'ImageType',
    table: 'image_type',
    primary: 'id_image_type',
  },
  stock_availables: {
    node: 'stock_available',
    className: 'StockAvailable',
    table: 'stock_available',
    primary: 'id_stock_available',
    fkShop: true,
  },
  tax_rule_groups: {
    node: 'tax_rule_group',
    className: 'TaxRulesGroup',
    table: 'tax_rules_group',
    primary: 'id_tax_rules_group',
  },
  tax_rules: { node: 'tax_rule', className: 'TaxRule', table: 'tax_rule', primary: 'id_tax_rule' },
  taxes: { node: 'tax', className: 'Tax', table: 'tax', primary: 'id_tax' },
}

const DEFAULT_FAIL_STATUS = 500
const WWW_AUTHENTICATE =
  'Basic realm="Welcome to PrestaShop Webservice, please enter the authentication key as the login. No password required."'
const INT_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint'])
const FLOAT_TYPES = new Set(['float', 'double', 'real'])

// ---------------------------------------------------------------------------------------------
// Schema and resource shapes

interface TableInfo {
  readonly columns: readonly string[]
  /** Columns PHP ≥ 8.1 PDO returns as numbers. */
  readonly numeric: ReadonlySet<string>
}

type Schema = ReadonlyMap<string, TableInfo>

interface FieldSpec {
  readonly name: string
  readonly kind: 'id' | 'column' | 'lang' | 'virtual'
  readonly numeric: boolean
}

interface ResourceShape {
  readonly name: string
  readonly def: ResourceDef
  readonly fields: readonly FieldSpec[]
  readonly fieldByName: ReadonlyMap<string, FieldSpec>
  readonly mainColumns: readonly string[]
  /** Columns present in both the shop table and the main table (overlaid on the main row). */
  readonly overlay: ReadonlySet<string>
  readonly hasShopTable: boolean
  readonly langColumns: readonly string[]
  readonly langHasShop: boolean
  readonly associations: readonly { key: string; kind: AssociationName; fields: string[] }[]
}

function buildShape(name: string, def: ResourceDef, schema: Schema): ResourceShape | null {
  const main = schema.get(def.table)
  if (main === undefined) return null
  const shop = def.shopTable === undefined ? undefined : schema.get(def.shopTable)
  const lang = def.langTable === undefined ? undefined : schema.get(def.langTable)
  const langColumns = (lang?.columns ?? []).filter(
    (column) => column !== def.primary && column !== 'id_lang' && column !== 'id_shop',
  )
  const virtual = new Set<string>(def.virtualFields ?? [])
  const fields: FieldSpec[] = [{ name: 'id', kind: 'id', numeric: true }]
  const placed = new Set<string>()
  for (const column of main.columns) {
    if (column === def.primary) continue
    // A translated field replaces the deprecated plain column (currency.name from 1.7.6).
    if (langColumns.includes(column)) {
      fields.push({ name: column, kind: 'lang', numeric: lang?.numeric.has(column) ?? false })
    } else if (virtual.has(column)) {
      fields.push({ name: column, kind: 'virtual', numeric: main.numeric.has(column) })
    } else {
      fields.push({ name: column, kind: 'column', numeric: main.numeric.has(column) })
    }
    placed.add(column)
  }
  for (const field of virtual) {
    if (!placed.has(field)) {
      fields.push({ name: field, kind: 'virtual', numeric: field === 'id_default_image' })
    }
  }
  for (const column of langColumns) {
    if (!placed.has(column)) {
      fields.push({ name: column, kind: 'lang', numeric: lang?.numeric.has(column) ?? false })
    }
  }
  const overlay = new Set(
    (shop?.columns ?? []).filter(
      (column) => column !== def.primary && column !== 'id_shop' && main.columns.includes(column),
    ),
  )
  const associations = Object.entries(def.associations ?? {}).map(([key, kind]) => ({
    key,
    kind,
    fields: associationFields(kind, schema),
  }))
  return {
    name,
    def,
    fields,
    fieldByName: new Map(fields.map((field) => [field.name, field])),
    mainColumns: main.columns,
    overlay,
    hasShopTable: shop !== undefined,
    langColumns,
    langHasShop: lang?.columns.includes('id_shop') ?? false,
    associations,
  }
}

/** Output fields of an association, `id` first (Order::$webserviceParameters for order_rows). */
function associationFields(kind: AssociationName, schema: Schema): string[] {
  if (kind !== 'order_rows') return ['id']
  const columns = schema.get('order_detail')?.columns ?? []
  const has = (column: string): boolean => columns.includes(column)
  return [
    'id',
    'product_id',
    'product_attribute_id',
    'product_quantity',
    'product_name',
    'product_reference',
    'product_ean13',
    ...(has('product_isbn') ? ['product_isbn'] : []),
    'product_upc',
    'product_price',
    ...(has('id_customization') ? ['id_customization'] : []),
    'unit_price_tax_incl',
    'unit_price_tax_excl',
  ]
}

// ---------------------------------------------------------------------------------------------
// Output model

type Scalar = string | number | null

class LangValue {
  constructor(
    readonly values: readonly { readonly id: string | number; readonly value: Scalar }[],
  ) {}
}

type FieldValue = Scalar | LangValue

interface Entity {
  readonly id: number
  readonly fields: ReadonlyArray<readonly [string, FieldValue]>
  readonly associations: ReadonlyArray<readonly [string, readonly Record<string, Scalar>[]]>
}

type Content =
  | { readonly kind: 'resources'; readonly names: readonly string[] }
  | { readonly kind: 'ids'; readonly plural: string; readonly node: string; readonly ids: number[] }
  | {
      readonly kind: 'list'
      readonly plural: string
      readonly node: string
      readonly entities: Entity[]
    }
  | {
      readonly kind: 'single'
      readonly plural: string
      readonly node: string
      readonly entity: Entity
    }

class WsError {
  constructor(
    readonly status: number,
    readonly errors: readonly (readonly [number, string])[],
    readonly wwwAuthenticate = false,
  ) {}
}

function wsError(status: number, code: number, message: string): WsError {
  return new WsError(status, [[code, message]])
}

/** PHP's `empty()`/falsy test, as `array_filter` applies it. */
function phpFalsy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return true
  if (typeof value === 'number') return value === 0
  if (typeof value === 'string') return value === '' || value === '0'
  if (value instanceof LangValue) return value.values.length === 0
  if (Array.isArray(value)) return value.length === 0
  return false
}

/** PHP `trim()`: spaces, tabs, newlines, NUL and vertical tabs. */
function phpTrim(value: string): string {
  const blank = ' \t\n\r\u0000\u000b'
  let start = 0
  let end = value.length
  while (start < end && blank.includes(value.charAt(start))) start++
  while (end > start && blank.includes(value.charAt(end - 1))) end--
  return value.slice(start, end)
}

/** PHP `is_numeric`. */
function phpIsNumeric(value: string): boolean {
  return /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)
}

/** PHP `(int)` on a string. */
function phpInt(value: string): number {
  const match = /^\s*([+-]?\d+)/.exec(value)
  return match?.[1] === undefined ? 0 : Number(match[1])
}

/** PHP 8 `sort()` of two strings: numeric strings compare as numbers, others as strings. */
function phpSortPair(a: string, b: string): [string, string] {
  const bothNumeric = phpIsNumeric(a) && phpIsNumeric(b)
  const aFirst = bothNumeric ? Number(a) <= Number(b) : a <= b
  return aFirst ? [a, b] : [b, a]
}

function levenshtein(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] ?? 0
    previous[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] ?? 0
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      previous[j] = Math.min(above + 1, (previous[j - 1] ?? 0) + 1, diagonal + cost)
      diagonal = above
    }
  }
  return previous[b.length] ?? 0
}

/** WebserviceRequest::setErrorDidYouMean's wording. */
function didYouMean(label: string, value: string, available: readonly string[]): string {
  let closest = ''
  let shortest = -1
  for (const word of available) {
    const distance = levenshtein(value, word)
    if (distance === 0) {
      closest = word
      break
    }
    if (distance <= shortest || shortest < 0) {
      closest = word
      shortest = distance
    }
  }
  return (
    `${label}. Did you mean: "${closest}"?` +
    (available.length > 1 ? ` The full list is: "${available.join('", "')}"` : '')
  )
}

/** PHP `var_export` of a list of strings, as error 35 prints it. */
function varExport(values: readonly string[]): string {
  return `array (\n${values.map((value, index) => `  ${index} => '${value}',\n`).join('')})`
}

// ---------------------------------------------------------------------------------------------
// PHP-like query parsing

type PhpParam = string | PhpParams
interface PhpParams {
  [key: string]: PhpParam
}

/** `$_GET` as parse_str builds it: `filter[id]=1` becomes `{ filter: { id: '1' } }`. */
function parsePhpQuery(search: URLSearchParams): PhpParams {
  const out: PhpParams = {}
  for (const [rawKey, value] of search) {
    const match = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(rawKey)
    if (match === null || match[1] === undefined) {
      out[rawKey] = value
      continue
    }
    // PHP turns spaces and dots of the base name into underscores.
    const base = match[1].replace(/[ .]/g, '_')
    const subs = [...(match[2] ?? '').matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? '')
    if (subs.length === 0) {
      out[base] = value
      continue
    }
    let target = out[base]
    if (typeof target !== 'object') {
      target = {}
      out[base] = target
    }
    for (let i = 0; i < subs.length; i++) {
      let sub = subs[i] ?? ''
      if (sub === '') sub = String(Object.keys(target).length)
      if (i === subs.length - 1) {
        target[sub] = value
      } else {
        let next: PhpParam | undefined = target[sub]
        if (typeof next !== 'object') {
          next = {}
          target[sub] = next
        }
        target = next
      }
    }
  }
  return out
}

function stringParam(params: PhpParams, name: string): string | undefined {
  const value = params[name]
  return typeof value === 'string' ? value : undefined
}

// ---------------------------------------------------------------------------------------------
// Pages that are not the Webservice

function htmlPage(title: string, body: string): string {
  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<title>${title}</title>\n</head>\n${body}\n</html>\n`
  )
}

const SHOP_NOT_FOUND_PAGE = htmlPage(
  'The page you are looking for was not found.',
  '<body id="pagenotfound" class="lang-en country-us page-pagenotfound">\n' +
    '<main><header id="header"><a href="/">Purchase Sender test shop</a></header>\n' +
    '<section id="main"><h1>The page you are looking for was not found.</h1>\n' +
    '<p>Sorry for the inconvenience.</p><p>Search again what you are looking for</p></section>\n' +
    '<footer id="footer">© 2025 - Ecommerce software by PrestaShop™</footer></main>\n</body>',
)

const MAINTENANCE_PAGE = htmlPage(
  'Purchase Sender test shop',
  '<body id="maintenance" class="page-maintenance">\n<section id="wrapper"><div id="content">\n' +
    "<h1>We'll be back soon.</h1>\n" +
    '<p>We are currently updating our shop and will be back really soon.<br>Thanks for your patience.</p>\n' +
    '</div></section>\n</body>',
)

const FIREWALL_PAGE =
  '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>403 Forbidden</title>\n' +
  "</head><body>\n<h1>Forbidden</h1>\n<p>You don't have permission to access this resource.</p>\n" +
  '<p>Additionally, a 403 Forbidden error was encountered while trying to use an ErrorDocument to handle the request.</p>\n' +
  '<hr>\n<address>Apache Server at shop.example.test Port 443</address>\n</body></html>\n'

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

/** A proxy's error page (502/503/504), or nothing at all for a PHP fatal error (500). */
function failurePage(status: number): string {
  if (status === 500) return ''
  const title = `${status} ${REASONS[status] ?? 'Error'}`
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
}

// ---------------------------------------------------------------------------------------------
// Rendering

function jsonScalarOrLang(value: FieldValue): unknown {
  if (!(value instanceof LangValue)) return value
  const first = value.values[0]
  // WebserviceOutputJSON::renderField: one language → the plain value.
  if (value.values.length === 1 && first !== undefined) return first.value
  return value.values.map((entry) => ({ id: entry.id, value: entry.value }))
}

function jsonEntity(entity: Entity, dropFalsy: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, value] of entity.fields) {
    const rendered = jsonScalarOrLang(value)
    // 8.0+ overrideContent: array_filter on each top-level entry, i.e. on a single entity.
    if (dropFalsy && phpFalsy(rendered)) continue
    out[name] = rendered
  }
  if (entity.associations.length > 0) {
    const associations: Record<string, unknown> = {}
    for (const [name, rows] of entity.associations) associations[name] = rows
    out['associations'] = associations
  }
  return out
}

/** PHP json_encode escapes "/" unless JSON_UNESCAPED_SLASHES. */
function phpJson(value: unknown): string {
  return JSON.stringify(value).replace(/\//g, '\\/')
}

function renderJson(content: Content, modern: boolean): string {
  switch (content.kind) {
    case 'resources':
      // The 1.7 renderer lists the node names; 8.x's array_filter would choke on them (a PHP
      // TypeError), which is not modelled.
      return phpJson(content.names)
    case 'ids':
    case 'list': {
      const items =
        content.kind === 'ids'
          ? content.ids.map((id) => ({ id }))
          : content.entities.map((entity) => jsonEntity(entity, false))
      // 1.6/1.7 render an empty list as a bare [] (issues #10172, #22760); 8.0 fixed it.
      if (items.length === 0 && !modern) return '[]'
      return phpJson({ [content.plural]: items })
    }
    case 'single':
      return phpJson({ [content.node]: jsonEntity(content.entity, modern) })
  }
}

function cdata(value: Scalar): string {
  if (value === null) return ''
  return `<![CDATA[${String(value).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`
}

function xmlAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
}

function xmlEntity(entity: Entity, node: string, indent: string): string {
  const lines: string[] = [`${indent}<${node}>`]
  for (const [name, value] of entity.fields) {
    if (value instanceof LangValue) {
      const languages = value.values
        .map(
          (entry) => `<language id="${xmlAttr(String(entry.id))}">${cdata(entry.value)}</language>`,
        )
        .join('')
      lines.push(`${indent}\t<${name}>${languages}</${name}>`)
    } else {
      lines.push(`${indent}\t<${name}>${cdata(value)}</${name}>`)
    }
  }
  if (entity.associations.length > 0) {
    lines.push(`${indent}\t<associations>`)
    for (const [name, rows] of entity.associations) {
      lines.push(`${indent}\t\t<${name}>`)
      for (const row of rows) {
        const inner = Object.entries(row)
          .map(([key, value]) => `<${key}>${cdata(value)}</${key}>`)
          .join('')
        const item = ASSOCIATION_NODES[name] ?? name
        lines.push(`${indent}\t\t\t<${item}>${inner}</${item}>`)
      }
      lines.push(`${indent}\t\t</${name}>`)
    }
    lines.push(`${indent}\t</associations>`)
  }
  lines.push(`${indent}</${node}>`)
  return lines.join('\n')
}

const ASSOCIATION_NODES: Readonly<Record<string, string>> = {
  order_rows: 'order_row',
  categories: 'category',
  images: 'image',
  combinations: 'combination',
  products: 'product',
}

const XML_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">\n'

function renderXml(content: Content, apiUrl: string): string {
  let body = ''
  switch (content.kind) {
    case 'resources':
      body = `<api shopName="Purchase Sender test shop">\n${content.names
        .map(
          (name) =>
            `<${name} xlink:href="${apiUrl}${name}" get="true" put="false" post="false" patch="false" delete="false" head="true"></${name}>`,
        )
        .join('\n')}\n</api>`
      break
    case 'ids':
      body = `<${content.plural}>\n${content.ids
        .map(
          (id) => `\t<${content.node} id="${id}" xlink:href="${apiUrl}${content.plural}/${id}"/>`,
        )
        .join('\n')}\n</${content.plural}>`
      break
    case 'list':
      body = `<${content.plural}>\n${content.entities
        .map((entity) => xmlEntity(entity, content.node, '\t'))
        .join('\n')}\n</${content.plural}>`
      break
    case 'single':
      body = xmlEntity(content.entity, content.node, '')
      break
  }
  return `${XML_HEAD}${body}\n</prestashop>\n`
}

function renderErrors(error: WsError, json: boolean): string {
  if (json) {
    return phpJson({ errors: error.errors.map(([code, message]) => ({ code, message })) })
  }
  const items = error.errors
    .map(
      ([code, message]) =>
        `<error>\n<code>${cdata(code)}</code>\n<message>${cdata(message)}</message>\n</error>`,
    )
    .join('\n')
  return `${XML_HEAD}<errors>\n${items}\n</errors>\n</prestashop>\n`
}

// ---------------------------------------------------------------------------------------------
// The request pipeline

type Row = Record<string, string | null>

interface Reply {
  readonly status: number
  readonly headers: Record<string, string>
  readonly body: string
}

interface ShopRow {
  readonly id: number
  readonly groupId: number
  readonly active: boolean
  readonly deleted: boolean
}

interface RequestContext {
  readonly native: boolean
  /** The shop whose product_shop/product_lang/image_shop rows the data comes from. */
  readonly shopId: number
  /** The request's shops (Webservice::$shopIDs), for the 131 check. */
  readonly shopIds: readonly number[]
  /** Languages of multilingual fields, as WebserviceOutputJSON prints their ids. */
  readonly languages: readonly (string | number)[]
  readonly dateFilters: boolean
}

type FieldsToDisplay = 'full' | 'minimum' | Map<string, string[] | null>

class Webservice {
  readonly #pool: Pool
  readonly #prefix: string
  readonly #version: PrestaShopVersion
  readonly #key: string
  readonly #schema: Schema
  readonly #shapes = new Map<string, ResourceShape | null>()

  constructor(pool: Pool, prefix: string, version: PrestaShopVersion, key: string, schema: Schema) {
    this.#pool = pool
    this.#prefix = prefix
    this.#version = version
    this.#key = key
    this.#schema = schema
  }

  get modern(): boolean {
    return versionAtLeast(this.#version, '8.0.0')
  }

  #t(table: string): string {
    return this.#pool.escapeId(this.#prefix + table)
  }

  #has(table: string): boolean {
    return this.#schema.has(table)
  }

  async #rows(sql: string, params: unknown[] = []): Promise<Row[]> {
    const [rows] = await this.#pool.query<RowDataPacket[]>(sql, params)
    return rows
  }

  #shape(name: string): ResourceShape | null {
    if (!this.#shapes.has(name)) {
      const def = RESOURCES[name]
      this.#shapes.set(name, def === undefined ? null : buildShape(name, def, this.#schema))
    }
    return this.#shapes.get(name) ?? null
  }

  /** Resources the key may GET: the simulated ones, minus the denied. */
  permittedResources(quirks: WebserviceQuirks): string[] {
    return Object.keys(RESOURCES)
      .filter((name) => this.#shape(name) !== null && !quirks.deniedResources.includes(name))
      .sort()
  }

  /**
   * dispatcher.php + WebserviceRequest::fetch, from the key on. Returns the content or an error;
   * `authenticated` tells whether PSWS-Version may be sent.
   */
  async fetch(
    key: string,
    method: string,
    url: string,
    params: PhpParams,
    quirks: WebserviceQuirks,
  ): Promise<{ authenticated: boolean; result: Content | WsError | 'not-found' }> {
    // webserviceChecks(): isActivated, authenticate, groupShopExists, shopExists, shopHasRight.
    if (quirks.disabled) {
      return {
        authenticated: false,
        result: wsError(
          503,
          22,
          'The PrestaShop webservice is disabled. Please activate it in the PrestaShop Back Office',
        ),
      }
    }
    const trimmed = phpTrim(key)
    if (trimmed === '') {
      return {
        authenticated: false,
        result: new WsError(401, [[17, 'Authentication key is empty']], true),
      }
    }
    if (Buffer.byteLength(trimmed) !== 32) {
      return {
        authenticated: false,
        result: new WsError(401, [[18, 'Invalid authentication key format']], true),
      }
    }
    if (trimmed !== this.#key) {
      // isKeyActive() is false for an unknown key too, and it then has no permissions.
      return {
        authenticated: false,
        result: new WsError(
          401,
          [
            [20, 'Authentification key is not active'],
            [21, 'No permission for this authentication key'],
          ],
          true,
        ),
      }
    }

    const { shops, languages, defaultShopId } = await this.#loadContext()
    const activeShops = shops.filter((shop) => shop.active && !shop.deleted)
    let shopIds: number[] = []
    let shopId = defaultShopId
    const groupParam = stringParam(params, 'id_shop_group') ?? stringParam(params, 'id_group_shop')
    if (groupParam !== undefined && phpIsNumeric(groupParam)) {
      const groupId = phpInt(groupParam)
      shopIds = activeShops.filter((shop) => shop.groupId === groupId).map((shop) => shop.id)
      if (shopIds.length === 0) {
        return {
          authenticated: true,
          result: wsError(500, 999, "This shop group doesn't have shops"),
        }
      }
    }
    if (shopIds.length === 0) {
      const shopParam = stringParam(params, 'id_shop')
      if (shopParam === undefined) {
        shopIds = [defaultShopId]
      } else if (shopParam !== 'all' && phpIsNumeric(shopParam)) {
        shopId = phpInt(shopParam)
        shopIds = [shopId]
      } else if (shopParam === 'all') {
        // Shop::CONTEXT_ALL: the objects are still read in the shop of the called domain.
        shopIds = activeShops.map((shop) => shop.id)
      } else {
        return { authenticated: true, result: wsError(404, 999, 'This shop id does not exist') }
      }
    }
    const keyShops = quirks.keyShopIds ?? shops.map((shop) => shop.id)
    if (!shopIds.some((id) => keyShops.includes(id))) {
      return {
        authenticated: true,
        result: wsError(403, 132, 'No permission for this key on this shop'),
      }
    }

    const native = quirks.valueTypes === 'native'
    let requestLanguages: (string | number)[]
    const languageParam = stringParam(params, 'language')
    if (languageParam !== undefined) {
      const filtered = filterLanguage(languageParam, new Set(languages.map((l) => l.id)))
      if (filtered instanceof WsError) return { authenticated: true, result: filtered }
      requestLanguages = filtered
    } else {
      // Language::getIDs(): every active language, whatever the shop.
      requestLanguages = languages
        .filter((language) => language.active)
        .map((language) => (native ? language.id : String(language.id)))
    }
    if (requestLanguages.length === 0) {
      return { authenticated: true, result: wsError(400, 81, 'language is not available') }
    }

    const segments = url.split('/')
    const resource = segments[0] ?? ''
    const permitted = this.permittedResources(quirks)
    // checkResource()
    if (resource !== '') {
      if (!PRESTASHOP_RESOURCES.includes(resource)) {
        return {
          authenticated: true,
          result: wsError(
            400,
            27,
            didYouMean(
              `Resource of type "${resource}" does not exists`,
              resource,
              PRESTASHOP_RESOURCES,
            ),
          ),
        }
      }
      if (!permitted.includes(resource)) {
        return {
          authenticated: true,
          result: wsError(
            401,
            26,
            `Resource of type "${resource}" is not allowed with this authentication key`,
          ),
        }
      }
    }
    // checkHTTPMethod(): the key may only GET and HEAD.
    const methods = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD', ...(this.modern ? ['PATCH'] : [])]
    if (!methods.includes(method)) {
      return {
        authenticated: true,
        result: wsError(405, 23, `Method ${method} is not valid`),
      }
    }
    if (method !== 'GET' && method !== 'HEAD') {
      return {
        authenticated: true,
        result: wsError(
          405,
          25,
          `Method ${method} is not allowed for the resource ${resource} with this authentication key`,
        ),
      }
    }
    if (resource === '')
      return { authenticated: true, result: { kind: 'resources', names: permitted } }

    const shape = this.#shape(resource)
    if (shape === null) throw new Error(`No table for the resource ${resource}`)
    const dateParam = stringParam(params, 'date')
    const context: RequestContext = {
      native,
      shopId,
      shopIds,
      languages: requestLanguages,
      dateFilters: dateParam !== undefined && dateParam !== '' && dateParam !== '0',
    }
    const idSegment = segments[1]
    const result =
      idSegment === undefined || idSegment === ''
        ? await this.#list(shape, params, context)
        : await this.#details(shape, phpInt(idSegment), params, context)
    return { authenticated: true, result }
  }

  async #loadContext(): Promise<{
    shops: ShopRow[]
    languages: { id: number; active: boolean }[]
    defaultShopId: number
  }> {
    const deleted = this.#schema.get('shop')?.columns.includes('deleted') ? 'deleted' : '0'
    const rows = await this.#rows(
      `SELECT 's' AS k, id_shop AS a, id_shop_group AS b, active AS c, ${deleted} AS d FROM ${this.#t('shop')}
       UNION ALL SELECT 'l', id_lang, 0, active, 0 FROM ${this.#t('lang')}
       UNION ALL SELECT 'c', value, 0, 0, 0 FROM ${this.#t('configuration')}
        WHERE name = 'PS_SHOP_DEFAULT' AND id_shop IS NULL AND id_shop_group IS NULL`,
    )
    const shops: ShopRow[] = []
    const languages: { id: number; active: boolean }[] = []
    let configured: number | null = null
    for (const row of rows) {
      if (row['k'] === 's') {
        shops.push({
          id: Number(row['a']),
          groupId: Number(row['b']),
          active: row['c'] === '1',
          deleted: row['d'] === '1',
        })
      } else if (row['k'] === 'l') {
        languages.push({ id: Number(row['a']), active: row['c'] === '1' })
      } else {
        configured = phpInt(row['a'] ?? '')
      }
    }
    shops.sort((a, b) => a.id - b.id)
    languages.sort((a, b) => a.id - b.id)
    const defaultShopId =
      configured !== null && shops.some((shop) => shop.id === configured)
        ? configured
        : (shops[0]?.id ?? 1)
    return { shops, languages, defaultShopId }
  }

  // -------------------------------------------------------------------------------------------
  // Lists: manageFilters() + getWebserviceObjectList()

  async #list(
    shape: ResourceShape,
    params: PhpParams,
    context: RequestContext,
  ): Promise<Content | WsError> {
    const { def } = shape
    const available: string[] = []
    const i18n: string[] = []
    for (const field of shape.fields) {
      if (field.kind === 'lang') i18n.push(field.name)
      else available.push(field.name)
    }
    const filterable = context.dateFilters
      ? available
      : available.filter((name) => name !== 'date_add' && name !== 'date_upd')

    /** Conditions, each starting with " AND " as SQLUtils writes them. */
    const where: string[] = []
    const whereParams: unknown[] = []
    const filters = params['filter']
    if (typeof filters === 'object') {
      for (const [field, value] of Object.entries(filters)) {
        if (field === 'sort' || field === 'limit') continue
        if (!filterable.includes(field)) {
          if (typeof value === 'string' && value !== '' && i18n.includes(field)) {
            where.push(this.#i18nFilter(shape, field, value, context, whereParams))
            continue
          }
          if (typeof value === 'object') {
            return wsError(400, 31, 'There is no existing linked table for this resource')
          }
          return wsError(400, 32, didYouMean('This filter does not exist', field, filterable))
        }
        if (typeof value === 'object') {
          return wsError(400, 31, 'There is no existing linked table for this resource')
        }
        if (value === '') return wsError(400, 33, `The filter "${field}" is malformed.`)
        const spec = shape.fieldByName.get(field)
        if (spec?.kind === 'virtual') {
          return wsError(
            400,
            34,
            `The field "${field}" is dynamic. It is not possible to filter GET query with this field.`,
          )
        }
        where.push(retrieveFilter(this.#column(shape, field), value, whereParams))
      }
    }

    const display = parseDisplay(shape, params)
    if (display instanceof WsError) return display

    const order: string[] = []
    const orderParams: unknown[] = []
    const sort = stringParam(params, 'sort')
    if (sort !== undefined) {
      const bracketed = /^\[(.*)\]$/.exec(sort)
      const sorts = bracketed?.[1] !== undefined ? bracketed[1].split(',') : [sort]
      for (const item of sorts) {
        const at = item.lastIndexOf('_')
        const fieldName = at < 0 ? '' : item.slice(0, at)
        const direction = at < 0 ? '' : item.slice(at + 1).toUpperCase()
        if (at < 0 || (direction !== 'ASC' && direction !== 'DESC')) {
          return wsError(
            400,
            37,
            'The "sort" value has to be formed as this example: "field_ASC" or \'[field_1_DESC,field_2_ASC,field_3_ASC,...]\' ("field" has to be an available field)',
          )
        }
        const spec = shape.fieldByName.get(fieldName)
        // PrestaShop accepts a getter field here and then fails in SQL; refused up front instead.
        if (
          (!filterable.includes(fieldName) && !i18n.includes(fieldName)) ||
          spec?.kind === 'virtual'
        ) {
          return wsError(
            400,
            38,
            `Unable to filter by this field. However, these are available: ${filterable.join(', ')}, for i18n fields:${i18n.join(', ')}`,
          )
        }
        if (spec?.kind === 'lang') {
          order.push(`${this.#i18nSortKey(shape, fieldName, context, orderParams)} ${direction}`)
        } else if (shape.overlay.has(fieldName)) {
          order.push(`ms.${this.#pool.escapeId(fieldName)} ${direction}`)
        } else {
          order.push(`${this.#column(shape, fieldName)} ${direction}`)
        }
      }
    }

    let limit = ''
    const limitParam = stringParam(params, 'limit')
    if (limitParam !== undefined) {
      const args = limitParam.split(',')
      const numbers = args.map(phpInt)
      // PrestaShop casts to int; a negative value then breaks its SQL. Refused as malformed here.
      if (args.length > 2 || numbers.some((n) => n < 0)) {
        return wsError(
          400,
          39,
          'The "limit" value has to be formed as this example: "5,25" or "10"',
        )
      }
      limit = ` LIMIT ${numbers.join(', ')}`
    }

    const pk = `main.${this.#pool.escapeId(def.primary)}`
    const joinParams: unknown[] = []
    let join = ''
    if (shape.hasShopTable && def.shopTable !== undefined) {
      join = ` INNER JOIN ${this.#t(def.shopTable)} ms ON ms.${this.#pool.escapeId(def.primary)} = ${pk} AND ms.id_shop = ?`
      joinParams.push(context.shopId)
    }
    if (def.fkShop === true) {
      where.unshift(
        ` AND (main.id_shop IN (?) OR (main.id_shop = 0 AND main.id_shop_group IN (SELECT id_shop_group FROM ${this.#t('shop')} WHERE id_shop IN (?))))`,
      )
      whereParams.unshift(context.shopIds, context.shopIds)
    }
    if (def.untranslatedOnly && this.#has('configuration_lang')) {
      where.unshift(
        ` AND ${pk} NOT IN (SELECT id_configuration FROM ${this.#t('configuration_lang')})`,
      )
    }
    const select = display === 'minimum' ? `${pk} AS __id` : this.#selectList(shape)
    // PrestaShop adds no ORDER BY without `sort`; the engine then returns primary-key order,
    // which the simulator makes explicit so pages are deterministic.
    const sql =
      `SELECT ${select} FROM ${this.#t(def.table)} main${join}` +
      ` WHERE 1${where.join('')}` +
      ` ORDER BY ${order.length === 0 ? `${pk} ASC` : order.join(', ')}${limit}`
    const rows = await this.#rows(sql, [...joinParams, ...whereParams, ...orderParams])
    if (display === 'minimum') {
      return {
        kind: 'ids',
        plural: shape.name,
        node: def.node,
        ids: rows.map((r) => Number(r['__id'])),
      }
    }
    const entities = await this.#entities(shape, rows, display, context)
    return { kind: 'list', plural: shape.name, node: def.node, entities }
  }

  async #details(
    shape: ResourceShape,
    id: number,
    params: PhpParams,
    context: RequestContext,
  ): Promise<Content | WsError | 'not-found'> {
    const { def } = shape
    const display = parseDisplay(shape, params)
    if (display instanceof WsError) return display
    const pk = `main.${this.#pool.escapeId(def.primary)}`
    let join = ''
    let inShop = '1'
    const selectParams: unknown[] = []
    const joinParams: unknown[] = []
    if (shape.hasShopTable && def.shopTable !== undefined) {
      const shopTable = this.#t(def.shopTable)
      const primary = this.#pool.escapeId(def.primary)
      join = ` LEFT JOIN ${shopTable} ms ON ms.${primary} = ${pk} AND ms.id_shop = ?`
      joinParams.push(context.shopId)
      inShop = `(SELECT COUNT(*) FROM ${shopTable} x WHERE x.${primary} = ${pk} AND x.id_shop IN (?))`
      selectParams.push(context.shopIds)
    }
    const rows = await this.#rows(
      `SELECT ${this.#selectList(shape)}, ${inShop} AS __in_shop FROM ${this.#t(def.table)} main${join} WHERE ${pk} = ?`,
      [...selectParams, ...joinParams, id],
    )
    const row = rows[0]
    // getFilteredObjectDetails(): a missing id is a bare 404 with no content at all.
    if (row === undefined || id <= 0) return 'not-found'
    if (row['__in_shop'] === '0') {
      return wsError(404, 131, `This ${def.className} (${id}) does not exists on this shop`)
    }
    const fields = display === 'minimum' ? 'full' : display
    const [entity] = await this.#entities(shape, [row], fields, context)
    if (entity === undefined) return 'not-found'
    // WebserviceOutputJSON::renderNodeFooter checks `display` in $_GET, not the view: a single
    // resource asked with any display comes back shaped as a list.
    if (params['display'] !== undefined) {
      if (display === 'minimum')
        return { kind: 'ids', plural: shape.name, node: def.node, ids: [id] }
      return { kind: 'list', plural: shape.name, node: def.node, entities: [entity] }
    }
    return { kind: 'single', plural: shape.name, node: def.node, entity }
  }

  #column(shape: ResourceShape, field: string): string {
    return `main.${this.#pool.escapeId(field === 'id' ? shape.def.primary : field)}`
  }

  #selectList(shape: ResourceShape): string {
    return shape.mainColumns
      .map((column) => {
        const quoted = this.#pool.escapeId(column)
        // EntityMapper: the shop row overrides the main row. COALESCE keeps the main value where
        // the shop row has NULL, as the database reader does for id_category_default.
        return shape.overlay.has(column)
          ? `COALESCE(ms.${quoted}, main.${quoted}) AS ${quoted}`
          : `main.${quoted}`
      })
      .join(', ')
  }

  #langIds(context: RequestContext): number[] {
    return context.languages.map((id) => (typeof id === 'number' ? id : phpInt(id)))
  }

  /** `filter[name]=…`: PrestaShop joins `<table>_lang` (any shop) restricted to the request languages. */
  #i18nFilter(
    shape: ResourceShape,
    field: string,
    value: string,
    context: RequestContext,
    params: unknown[],
  ): string {
    const langTable = shape.def.langTable ?? ''
    const primary = this.#pool.escapeId(shape.def.primary)
    const inner: unknown[] = []
    const condition = retrieveFilter(`l.${this.#pool.escapeId(field)}`, value, inner)
    params.push(...inner, this.#langIds(context))
    return ` AND EXISTS (SELECT 1 FROM ${this.#t(langTable)} l WHERE l.${primary} = main.${primary}${condition} AND l.id_lang IN (?))`
  }

  #i18nSortKey(
    shape: ResourceShape,
    field: string,
    context: RequestContext,
    params: unknown[],
  ): string {
    const langTable = shape.def.langTable ?? ''
    const primary = this.#pool.escapeId(shape.def.primary)
    params.push(this.#langIds(context))
    let shop = ''
    if (shape.langHasShop) {
      shop = ' AND l.id_shop = ?'
      params.push(context.shopId)
    }
    return `(SELECT MIN(l.${this.#pool.escapeId(field)}) FROM ${this.#t(langTable)} l WHERE l.${primary} = main.${primary} AND l.id_lang IN (?)${shop})`
  }

  // -------------------------------------------------------------------------------------------
  // Entities: rows + translations + virtual fields + associations, each batched over the page

  async #entities(
    shape: ResourceShape,
    rows: readonly Row[],
    display: 'full' | Map<string, string[] | null>,
    context: RequestContext,
  ): Promise<Entity[]> {
    if (rows.length === 0) return []
    const { def } = shape
    const ids = rows.map((row) => Number(row[def.primary]))
    const shown = (name: string): boolean => display === 'full' || display.has(name)
    const shownFields = shape.fields.filter((field) => shown(field.name))

    const translations = new Map<number, Map<number, Row>>()
    if (shownFields.some((field) => field.kind === 'lang') && def.langTable !== undefined) {
      const langRows = await this.#rows(
        `SELECT * FROM ${this.#t(def.langTable)} WHERE ${this.#pool.escapeId(def.primary)} IN (?) AND id_lang IN (?)${shape.langHasShop ? ' AND id_shop = ?' : ''}`,
        [ids, this.#langIds(context), ...(shape.langHasShop ? [context.shopId] : [])],
      )
      for (const row of langRows) {
        const id = Number(row[def.primary])
        const byLang = translations.get(id) ?? new Map<number, Row>()
        byLang.set(Number(row['id_lang']), row)
        translations.set(id, byLang)
      }
    }

    const virtual = new Map<string, Map<number, Scalar>>()
    for (const field of shownFields) {
      if (field.kind === 'virtual') {
        virtual.set(field.name, await this.#virtual(field.name as VirtualField, rows, ids, context))
      }
    }

    const associations = new Map<string, Map<number, Record<string, Scalar>[]>>()
    for (const association of shape.associations) {
      const wanted = display === 'full' ? null : display.get(association.key)
      if (display !== 'full' && !Array.isArray(wanted)) continue
      const fields = wanted === null || wanted === undefined ? association.fields : wanted
      associations.set(
        association.key,
        await this.#association(association.kind, ids, fields, context),
      )
    }

    return rows.map((row, index) => {
      const id = ids[index] ?? 0
      const fields: (readonly [string, FieldValue])[] = []
      for (const field of shownFields) {
        let value: FieldValue
        if (field.kind === 'id') {
          value = id
        } else if (field.kind === 'lang') {
          const byLang = translations.get(id)
          value = new LangValue(
            context.languages.map((languageId) => {
              const langId = typeof languageId === 'number' ? languageId : phpInt(languageId)
              // A language without a row is an undefined index in PHP; rendered as "" here.
              const raw = byLang?.get(langId)?.[field.name] ?? ''
              return { id: languageId, value: typed(raw, field.numeric, context.native) }
            }),
          )
        } else if (field.kind === 'virtual') {
          const values = virtual.get(field.name)
          value = values?.has(id) === true ? (values.get(id) ?? null) : ''
        } else {
          value = typed(row[field.name] ?? null, field.numeric, context.native)
        }
        // WebserviceOutputBuilder::renderField: an id_* field holding null is shown as "".
        if (field.name.startsWith('id_') && value === null) value = ''
        fields.push([field.name, value])
      }
      const entityAssociations: (readonly [string, readonly Record<string, Scalar>[]])[] = []
      for (const [key, byId] of associations) {
        const list = byId.get(id)
        if (list !== undefined && list.length > 0) entityAssociations.push([key, list])
      }
      return { id, fields, associations: entityAssociations }
    })
  }

  async #virtual(
    name: VirtualField,
    rows: readonly Row[],
    ids: readonly number[],
    context: RequestContext,
  ): Promise<Map<number, Scalar>> {
    const result = new Map<number, Scalar>()
    if (name === 'shipping_number') {
      // No order_carrier table here: the column where it still exists (1.6/1.7), else "".
      for (const row of rows) {
        const value = 'shipping_number' in row ? (row['shipping_number'] ?? null) : ''
        result.set(Number(row['id_order']), value)
      }
      return result
    }
    if (name === 'manufacturer_name') {
      // Manufacturer::getNameById (which also wants active = 1; the database reader does not).
      const manufacturerIds = [...new Set(rows.map((row) => phpInt(row['id_manufacturer'] ?? '')))]
      const names = new Map<number, string>()
      const wanted = manufacturerIds.filter((id) => id > 0)
      if (wanted.length > 0) {
        const found = await this.#rows(
          `SELECT id_manufacturer, name FROM ${this.#t('manufacturer')} WHERE id_manufacturer IN (?)`,
          [wanted],
        )
        for (const row of found) names.set(Number(row['id_manufacturer']), row['name'] ?? '')
      }
      for (const row of rows) {
        result.set(Number(row['id_product']), names.get(phpInt(row['id_manufacturer'] ?? '')) ?? '')
      }
      return result
    }
    // id_default_image. PrestaShop's Product::getCover reads only image_shop (cover = 1 in the
    // context shop); as the brief asks, the simulator falls back to image.cover like the
    // database reader does, so both readers see the same image.
    const covers = new Map<number, number>()
    if (this.#has('image_shop')) {
      const shopRows = this.#schema.get('image_shop')?.columns.includes('id_product')
        ? await this.#rows(
            `SELECT id_product, id_image FROM ${this.#t('image_shop')} WHERE id_shop = ? AND cover = 1 AND id_product IN (?)`,
            [context.shopId, ids],
          )
        : await this.#rows(
            `SELECT i.id_product, i.id_image FROM ${this.#t('image_shop')} s JOIN ${this.#t('image')} i ON i.id_image = s.id_image
              WHERE s.id_shop = ? AND s.cover = 1 AND i.id_product IN (?)`,
            [context.shopId, ids],
          )
      for (const row of shopRows) covers.set(Number(row['id_product']), Number(row['id_image']))
    }
    const missing = ids.filter((id) => !covers.has(id))
    if (missing.length > 0) {
      const globalRows = await this.#rows(
        `SELECT id_product, MIN(id_image) AS id_image FROM ${this.#t('image')} WHERE cover = 1 AND id_product IN (?) GROUP BY id_product`,
        [missing],
      )
      for (const row of globalRows) covers.set(Number(row['id_product']), Number(row['id_image']))
    }
    for (const id of ids) {
      const cover = covers.get(id)
      result.set(id, cover === undefined ? '' : context.native ? cover : String(cover))
    }
    return result
  }

  async #association(
    kind: AssociationName,
    ids: readonly number[],
    fields: readonly string[],
    context: RequestContext,
  ): Promise<Map<number, Record<string, Scalar>[]>> {
    let rows: Row[] = []
    let owner = ''
    let numeric: ReadonlySet<string> = new Set(['id'])
    switch (kind) {
      case 'order_rows': {
        owner = 'id_order'
        const detail = this.#schema.get('order_detail')
        numeric = new Set(['id', ...(detail?.numeric ?? [])])
        const columns = fields
          .filter((field) => field !== 'id' && detail?.columns.includes(field))
          .map((field) => this.#pool.escapeId(field))
        rows = await this.#rows(
          `SELECT id_order, id_order_detail AS id${columns.map((c) => `, ${c}`).join('')}
             FROM ${this.#t('order_detail')} WHERE id_order IN (?) ORDER BY id_order, id_order_detail`,
          [ids],
        )
        break
      }
      case 'product_categories': {
        owner = 'id_product'
        // Product::getWsCategories: category_product joined to the context shop's categories.
        const shop = this.#has('category_shop')
          ? ` INNER JOIN ${this.#t('category_shop')} cs ON cs.id_category = cp.id_category AND cs.id_shop = ?`
          : ''
        rows = await this.#rows(
          `SELECT cp.id_product, cp.id_category AS id FROM ${this.#t('category_product')} cp${shop}
            WHERE cp.id_product IN (?) ORDER BY cp.id_product, cp.id_category`,
          shop === '' ? [ids] : [context.shopId, ids],
        )
        break
      }
      case 'product_images': {
        owner = 'id_product'
        // Product::getWsImages: the images associated with the context shop, by position.
        const shop = this.#has('image_shop')
          ? ` INNER JOIN ${this.#t('image_shop')} s ON s.id_image = i.id_image AND s.id_shop = ?`
          : ''
        rows = await this.#rows(
          `SELECT i.id_product, i.id_image AS id FROM ${this.#t('image')} i${shop}
            WHERE i.id_product IN (?) ORDER BY i.id_product, i.position, i.id_image`,
          shop === '' ? [ids] : [context.shopId, ids],
        )
        break
      }
      case 'product_combinations': {
        owner = 'id_product'
        rows = await this.#rows(
          `SELECT id_product, id_product_attribute AS id FROM ${this.#t('product_attribute')}
            WHERE id_product IN (?) ORDER BY id_product, id_product_attribute`,
          [ids],
        )
        break
      }
      case 'combination_images': {
        owner = 'id_product_attribute'
        // As the brief and the database reader have it: existing images only, by position.
        rows = await this.#rows(
          `SELECT pai.id_product_attribute, pai.id_image AS id
             FROM ${this.#t('product_attribute_image')} pai JOIN ${this.#t('image')} i ON i.id_image = pai.id_image
            WHERE pai.id_product_attribute IN (?) ORDER BY pai.id_product_attribute, i.position, i.id_image`,
          [ids],
        )
        break
      }
      case 'category_children': {
        owner = 'id_parent'
        // Category::getChildrenWs: active children in the context shop, by their position there.
        const shop = this.#has('category_shop')
          ? ` INNER JOIN ${this.#t('category_shop')} cs ON cs.id_category = c.id_category AND cs.id_shop = ?`
          : ''
        rows = await this.#rows(
          `SELECT c.id_parent, c.id_category AS id FROM ${this.#t('category')} c${shop}
            WHERE c.id_parent IN (?) AND c.active = 1
            ORDER BY c.id_parent, ${shop === '' ? 'c.position' : 'cs.position'}, c.id_category`,
          shop === '' ? [ids] : [context.shopId, ids],
        )
        break
      }
      case 'category_products': {
        owner = 'id_category'
        rows = await this.#rows(
          `SELECT id_category, id_product AS id FROM ${this.#t('category_product')}
            WHERE id_category IN (?) ORDER BY id_category, position, id_product`,
          [ids],
        )
        break
      }
    }
    const result = new Map<number, Record<string, Scalar>[]>()
    for (const row of rows) {
      const ownerId = Number(row[owner])
      const entry: Record<string, Scalar> = {}
      for (const field of fields) {
        entry[field] = typed(row[field] ?? null, numeric.has(field), context.native)
      }
      const list = result.get(ownerId) ?? []
      list.push(entry)
      result.set(ownerId, list)
    }
    return result
  }
}

function typed(raw: string | null, numeric: boolean, native: boolean): Scalar {
  if (!native || !numeric || raw === null || raw === '') return raw
  const value = Number(raw)
  return Number.isFinite(value) ? value : raw
}

/** SQLUtils::getSQLRetrieveFilter, with bound values instead of quoted strings. */
function retrieveFilter(column: string, value: string, params: unknown[]): string {
  const match = /^(.*)\[(.*)\](.*)$/.exec(value)
  if (match === null) {
    params.push(value)
    return ` AND ${column} = ?`
  }
  const before = match[1] ?? ''
  const inner = match[2] ?? ''
  const after = match[3] ?? ''
  if (before === '%' || after === '%') {
    params.push(before + inner + after)
    return ` AND ${column} LIKE ?`
  }
  if (before === '' && after === '') {
    if (inner.indexOf('|') > 0) {
      const values = inner.split('|')
      params.push(...values)
      return ` AND (${values.map(() => `${column} = ?`).join(' OR ')})`
    }
    const interval = /^([\d.:\-\s]+),([\d.:\-\s]+)$/.exec(inner)
    if (interval !== null) {
      // BETWEEN: both bounds inclusive, whatever the documentation says; bounds sorted first.
      params.push(...phpSortPair(interval[1] ?? '', interval[2] ?? ''))
      return ` AND ${column} BETWEEN ? AND ?`
    }
    params.push(inner)
    return ` AND ${column} = ?`
  }
  if (before === '>' || before === '<') {
    params.push(inner)
    return ` AND ${column} ${before} ?`
  }
  if (before === '!') {
    const values = inner.split('|')
    params.push(...values)
    return values.map(() => ` AND ${column} != ?`).join('')
  }
  // Any other prefix adds no condition at all.
  return ''
}

/** WebserviceRequest::filterLanguage. */
function filterLanguage(raw: string, existing: ReadonlySet<number>): (string | number)[] | WsError {
  let languages: (string | number)[] = []
  if (phpIsNumeric(raw)) {
    languages = [phpInt(raw)]
  } else if (raw.startsWith('[') && raw.indexOf(']') === raw.length - 1) {
    const pipe = raw.includes('|')
    const comma = raw.includes(',')
    if (pipe !== comma) {
      const inner = raw.replace(/[[\]]/g, '')
      if (pipe) {
        languages = inner.split('|')
      } else {
        const range = inner.split(',')
        if (range.length !== 2) {
          return wsError(400, 78, 'A range value for a language must contains only 2 values')
        }
        const [from = '', to = ''] = range
        languages = [from]
        if (phpIsNumeric(from) && phpIsNumeric(to)) {
          // PHP's ++ turns the string into an int after the first step.
          for (let i = Number(from) + 1; i <= Number(to); i++) languages.push(i)
        }
      }
    } else {
      // '#\[(\d)+\]#Ui': ungreedy, so the group holds the last digit ("[12]" asks for language 2).
      const match = /\[(\d)+?\]/.exec(raw)
      if (match?.[1] !== undefined) languages = [match[1]]
    }
  } else {
    return wsError(400, 79, 'language value is wrong')
  }
  const firstNonNumeric = languages.findIndex((id) => typeof id === 'string' && !phpIsNumeric(id))
  // array_search(false, …) returns 0 for the first entry, which PHP then reads as "not found".
  if (firstNonNumeric > 0) return wsError(400, 80, 'Language ID must be numeric')
  return languages.filter((id) => existing.has(typeof id === 'number' ? id : phpInt(id)))
}

/** WebserviceRequest::setFieldsToDisplay (+ parseDisplayFields). */
function parseDisplay(shape: ResourceShape, params: PhpParams): FieldsToDisplay | WsError {
  const display = params['display']
  if (display === undefined) return 'minimum'
  if (typeof display !== 'string') return 'minimum'
  if (display === 'full' || display === 'minimum') return display
  const names = shape.fields.map((field) => field.name)
  const bracketed = /^\[(.*)\]$/.exec(display)
  if (bracketed?.[1] === undefined) {
    return wsError(
      400,
      36,
      `The 'display' syntax is wrong. You can set 'full' or '[field_1,field_2,field_3,...]'. These are available: ${names.join(', ')}`,
    )
  }
  const parts: string[] = []
  let level = 0
  let current = ''
  for (const char of bracketed[1]) {
    if (char === ',' && level === 0) {
      parts.push(current)
      current = ''
    } else {
      current += char
    }
    if (char === '[') level++
    if (char === ']') level--
  }
  if (current !== '') parts.push(current)
  const fields = new Map<string, string[] | null>()
  for (const part of parts) {
    const open = part.indexOf('[')
    const name = (open < 0 ? part : part.slice(0, open)).trim()
    if (!fields.has(name)) fields.set(name, null)
    if (open >= 0) {
      const sub = part.slice(open + 1, part.length - 1)
      const list = sub.includes(',') ? sub.split(',') : [sub]
      fields.set(name, [...(fields.get(name) ?? []), ...list])
    }
  }
  for (const [name, sub] of fields) {
    let error: boolean
    if (sub === null) {
      error = !shape.fieldByName.has(name)
    } else {
      const association = shape.associations.find((a) => a.key === name)
      error =
        association === undefined ||
        sub.some((field) => field !== 'id' && !association.fields.includes(field))
    }
    if (error) {
      return wsError(
        400,
        35,
        `Unable to display this field "${name}${sub === null ? '' : ` (details : ${varExport(sub)})`}". However, these are available: ${names.join(', ')}`,
      )
    }
  }
  return fields
}

// ---------------------------------------------------------------------------------------------
// The server

function defaultQuirks(version: PrestaShopVersion): WebserviceQuirks {
  return {
    stripAuthorization: false,
    rewriteOff: false,
    disabled: false,
    maintenance: false,
    firewall: false,
    redirectTo: null,
    deniedResources: [],
    keyShopIds: null,
    valueTypes: versionAtLeast(version, '9.0.0') ? 'native' : 'strings',
    delayMs: 0,
  }
}

function normaliseBasePath(basePath: string | undefined): string {
  const trimmed = (basePath ?? '/').replace(/^\/+|\/+$/g, '')
  return trimmed === '' ? '/' : `/${trimmed}/`
}

async function loadSchema(pool: Pool, database: string, prefix: string): Promise<Schema> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, DATA_TYPE AS d FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = ? AND LEFT(TABLE_NAME, ?) = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [database, prefix.length, prefix],
  )
  const columns = new Map<string, { columns: string[]; numeric: Set<string> }>()
  for (const row of rows as Row[]) {
    const table = String(row['t']).slice(prefix.length)
    const entry = columns.get(table) ?? { columns: [], numeric: new Set<string>() }
    const column = String(row['c'])
    entry.columns.push(column)
    const type = String(row['d']).toLowerCase()
    if (INT_TYPES.has(type) || FLOAT_TYPES.has(type)) entry.numeric.add(column)
    columns.set(table, entry)
  }
  return columns
}

export async function startWebserviceSimulator(
  options: WebserviceSimulatorOptions,
): Promise<WebserviceSimulator> {
  const key = options.key ?? WEBSERVICE_TEST_KEY
  if (Buffer.byteLength(key) !== 32) {
    throw new Error('A PrestaShop Webservice key has exactly 32 characters.')
  }
  const prefix = options.prefix ?? 'ps_'
  const basePath = normaliseBasePath(options.basePath)
  let quirks: WebserviceQuirks = { ...defaultQuirks(options.version), ...options.quirks }
  const clock = options.clock ?? systemClock
  // Aborted on close, so no request waits out its delay on a simulator that is gone.
  const closed = new AbortController()
  const pool = mysql.createPool({
    host: options.database.host,
    port: options.database.port,
    user: options.database.user,
    password: options.database.password,
    database: options.database.database,
    charset: 'utf8mb4',
    connectionLimit: 6,
    // PHP before 8.1 sees every column as a string (or NULL); typing happens per field later.
    typeCast: (field) => field.string(),
  })
  let schema: Schema
  try {
    schema = await loadSchema(pool, options.database.database, prefix)
  } catch (error) {
    await pool.end().catch(() => undefined)
    throw error
  }
  if (!schema.has('orders')) {
    await pool.end().catch(() => undefined)
    throw new Error(
      `No PrestaShop tables with the prefix "${prefix}" in ${options.database.database}.`,
    )
  }
  const webservice = new Webservice(pool, prefix, options.version, key, schema)
  const requests: WebserviceRequestRecord[] = []
  let drops = 0
  const failures: number[] = []
  let baseUrl = ''

  const send = (
    request: IncomingMessage,
    response: ServerResponse,
    record: WebserviceRequestRecord,
    reply: Reply,
  ): void => {
    record.status = reply.status
    requests.push(record)
    const body = Buffer.from(reply.body, 'utf8')
    response.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(body.length) })
    response.end(request.method === 'HEAD' ? undefined : body)
  }

  const html = (status: number, body: string, extra: Record<string, string> = {}): Reply => ({
    status,
    headers: { ...(body === '' ? {} : { 'Content-Type': 'text/html; charset=utf-8' }), ...extra },
    body,
  })

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    // Execution-Time is measured, not simulated: the real time this request took to answer.
    const started = performance.now()
    request.resume()
    const url = new URL(request.url ?? '/', 'http://simulator')
    const record: WebserviceRequestRecord = {
      method: request.method ?? 'GET',
      path: url.pathname,
      resource: null,
      query: Object.fromEntries(url.searchParams),
      auth: 'none',
      status: 0,
    }
    if (quirks.delayMs > 0) {
      try {
        await clock.sleep(quirks.delayMs, closed.signal)
      } catch {
        // Closed meanwhile: nobody is left to answer.
        return
      }
    }
    if (drops > 0) {
      drops -= 1
      requests.push(record)
      request.socket.destroy()
      return
    }
    const failure = failures.shift()
    if (failure !== undefined) {
      send(request, response, record, html(failure, failurePage(failure)))
      return
    }
    if (quirks.redirectTo !== null) {
      send(request, response, record, html(302, '', { Location: quirks.redirectTo }))
      return
    }
    if (quirks.firewall) {
      send(request, response, record, html(403, FIREWALL_PAGE))
      return
    }
    if (quirks.maintenance) {
      // FrontController::displayMaintenancePage sends Retry-After: 3600.
      send(request, response, record, html(503, MAINTENANCE_PAGE, { 'Retry-After': '3600' }))
      return
    }

    let path: string
    try {
      path = decodeURIComponent(url.pathname)
    } catch {
      path = url.pathname
    }
    const params = parsePhpQuery(url.searchParams)
    let resourceUrl: string
    if (!path.startsWith(basePath)) {
      send(request, response, record, html(404, SHOP_NOT_FOUND_PAGE))
      return
    }
    const rest = path.slice(basePath.length)
    const api = /^api(?:\/(.*))?$/s.exec(rest)
    if (api !== null && !quirks.rewriteOff) {
      // .htaccess: RewriteRule ^api(?:/(.*))?$ webservice/dispatcher.php?url=$1 [QSA,L]
      resourceUrl = api[1] ?? ''
    } else if (rest === 'webservice/dispatcher.php') {
      resourceUrl = stringParam(params, 'url') ?? ''
    } else {
      send(request, response, record, html(404, SHOP_NOT_FOUND_PAGE))
      return
    }
    delete params['url']
    record.resource = resourceUrl.split('/')[0] || null

    // dispatcher.php: PHP_AUTH_USER (also decoded from HTTP_AUTHORIZATION for CGI), else ws_key.
    let key: string | null = null
    const authorization = quirks.stripAuthorization ? undefined : request.headers.authorization
    const basic = /^Basic\s+(.*)$/i.exec(authorization ?? '')
    if (basic?.[1] !== undefined) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8')
      key = (decoded.split(':')[0] ?? '').replace(/<[^>]*>/g, '')
      record.auth = 'header'
    } else {
      const wsKey = stringParam(params, 'ws_key')
      if (wsKey !== undefined) {
        key = wsKey
        record.auth = 'query'
      }
    }
    if (key === null) {
      send(
        request,
        response,
        record,
        html(401, '401 Unauthorized', { 'WWW-Authenticate': WWW_AUTHENTICATE }),
      )
      return
    }

    // getOutputObject(): Io-Format header, Output-Format header, output_format, io_format; the
    // switch compares with 'JSON' exactly, so "json" gets XML.
    const format =
      headerValue(request, 'io-format') ??
      headerValue(request, 'output-format') ??
      stringParam(params, 'output_format') ??
      stringParam(params, 'io_format') ??
      'XML'
    const json = format === 'JSON'
    const psMethod = stringParam(params, 'ps_method')
    const method = psMethod ?? request.method ?? 'GET'

    let outcome: Awaited<ReturnType<Webservice['fetch']>>
    try {
      outcome = await webservice.fetch(key, method, resourceUrl, params, quirks)
    } catch (error) {
      outcome = {
        authenticated: true,
        result: wsError(500, 0, `Simulator failure: ${(error as Error).message}`),
      }
    }
    const headers: Record<string, string> = {
      'Access-Time': String(Math.floor(clock.now() / 1000)),
      'X-Powered-By': 'PrestaShop Webservice',
      'Execution-Time': String(Math.round(performance.now() - started) / 1000),
    }
    if (outcome.authenticated) headers['PSWS-Version'] = options.version
    const contentType = json ? 'application/json;charset=utf-8' : 'text/xml;charset=utf-8'
    const { result } = outcome
    if (result === 'not-found') {
      send(request, response, record, { status: 404, headers, body: '' })
      return
    }
    if (result instanceof WsError) {
      if (result.wwwAuthenticate) headers['WWW-Authenticate'] = WWW_AUTHENTICATE
      headers['Content-Type'] = contentType
      send(request, response, record, {
        status: result.status,
        headers,
        body: renderErrors(result, json),
      })
      return
    }
    const body = json ? renderJson(result, webservice.modern) : renderXml(result, `${baseUrl}api/`)
    const sha1 = createHash('sha1').update(body).digest('hex')
    headers['Content-Type'] = contentType
    headers['Content-Sha1'] = sha1
    if (headerValue(request, 'local-content-sha1') === sha1) {
      send(request, response, record, { status: 304, headers, body: '' })
      return
    }
    send(request, response, record, { status: 200, headers, body })
  }

  let inFlight = 0
  let maxInFlight = 0
  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    inFlight += 1
    maxInFlight = Math.max(maxInFlight, inFlight)
    handle(request, response)
      .catch((failure: unknown) => {
        if (!response.headersSent && !response.destroyed) {
          response.writeHead(500, { 'Content-Type': 'text/plain' })
          response.end(`Simulator failure: ${String(failure)}`)
        }
      })
      .finally(() => {
        inFlight -= 1
      })
  }
  const server: Server =
    options.tls === undefined
      ? createHttpServer(listener)
      : createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  baseUrl = `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}${basePath}`
  let closing: Promise<void> | undefined

  return {
    url: baseUrl,
    key,
    requests,
    get inFlight() {
      return inFlight
    },
    get maxInFlight() {
      return maxInFlight
    },
    setQuirks: (changes) => {
      quirks = { ...quirks, ...changes }
    },
    failNext: (count, status = DEFAULT_FAIL_STATUS) => {
      for (let i = 0; i < count; i++) failures.push(status)
    },
    dropNext: (count) => {
      drops += count
    },
    resetRequests: () => {
      requests.length = 0
      maxInFlight = inFlight
    },
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        closed.abort(new Error('The Webservice simulator closed.'))
        server.closeAllConnections()
        server.close((failure) => (failure === undefined ? resolve() : reject(failure)))
      }).finally(() => pool.end())
      return closing
    },
  }
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}
