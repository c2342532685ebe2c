/**
 * PrestaShop tables the store reader touches, per version, written for the tests from the facts in
 * docs/prestashop.md §1.2-§1.3: the real names, types and keys, trimmed to the columns that matter
 * plus the version-specific ones (so a reader that hard-codes a column list breaks here as it
 * would on a real store).
 */
import type { Connection, Pool, PoolConnection } from 'mysql2/promise'

export const PRESTASHOP_VERSIONS = ['1.6.1.24', '1.7.6.9', '1.7.8.7', '8.2.0', '9.1.0'] as const
export type PrestaShopVersion = (typeof PRESTASHOP_VERSIONS)[number]

export type Queryable = Pool | PoolConnection | Connection

export interface SchemaOptions {
  readonly version: PrestaShopVersion
  /** Table prefix, `ps_` by default. */
  readonly prefix?: string
}

/** Numeric comparison of dotted versions ("1.7.10" > "1.7.9"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (diff !== 0) return diff
  }
  return 0
}

export function versionAtLeast(version: string, minimum: string): boolean {
  return compareVersions(version, minimum) >= 0
}

/** utf8mb4 arrived in 1.7.7.0; older installs (and shops upgraded from them) use 3-byte utf8. */
export function usesUtf8mb4(version: string): boolean {
  return versionAtLeast(version, '1.7.7.0')
}

export const PRESTASHOP_TABLES = [
  'configuration',
  'configuration_lang',
  'shop_group',
  'shop',
  'shop_url',
  'lang',
  'lang_shop',
  'currency',
  'currency_lang',
  'currency_shop',
  'customer',
  'orders',
  'order_detail',
  'order_state',
  'order_state_lang',
  'order_history',
  'order_cart_rule',
  'product',
  'product_shop',
  'product_lang',
  'product_attribute',
  'category',
  'category_lang',
  'category_shop',
  'category_product',
  'manufacturer',
  'image',
  'image_shop',
  'image_lang',
  'image_type',
  'product_attribute_image',
  'stock_available',
  'tax',
  'tax_rule',
  'tax_rules_group',
] as const
export type PrestaShopTable = (typeof PRESTASHOP_TABLES)[number]

/** Tables of a version (currency_lang only exists from 1.7.6). */
export function tablesFor(version: PrestaShopVersion): PrestaShopTable[] {
  return PRESTASHOP_TABLES.filter(
    (table) => table !== 'currency_lang' || versionAtLeast(version, '1.7.6.0'),
  )
}

type Line = string | false

function table(name: string, charsetClause: string, lines: readonly Line[]): string {
  const body = lines.filter((line): line is string => line !== false).join(',\n  ')
  return `CREATE TABLE \`${name}\` (\n  ${body}\n) ENGINE=InnoDB ${charsetClause}`
}

function ddl(version: PrestaShopVersion, prefix: string): string[] {
  const ge = (minimum: string): boolean => versionAtLeast(version, minimum)
  const v17 = ge('1.7.0.0')
  const v8 = ge('8.0.0')
  const v9 = ge('9.0.0')
  const mb4 = usesUtf8mb4(version)
  const charset = mb4
    ? 'DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci'
    : 'DEFAULT CHARSET=utf8 COLLATE=utf8_general_ci'
  const t = (name: string, lines: readonly Line[]): string => table(prefix + name, charset, lines)
  const text = v8 ? 'MEDIUMTEXT' : 'text'
  // 1.7 and 8 create lang/shop/shop_group/lang_shop from Doctrine entities (plain INT, no
  // UNSIGNED); 1.6 and 9.x ship them in db_structure.sql.
  const doctrine = v17
  const ean = v9 ? 'varchar(20)' : 'varchar(13)'
  const ref = v17 ? 'varchar(64)' : 'varchar(32)'

  return [
    t('configuration', [
      '`id_configuration` int(10) unsigned NOT NULL AUTO_INCREMENT',
      '`id_shop_group` int(11) unsigned DEFAULT NULL',
      '`id_shop` int(11) unsigned DEFAULT NULL',
      '`name` varchar(254) NOT NULL',
      `\`value\` ${text}`,
      '`date_add` datetime NOT NULL',
      '`date_upd` datetime NOT NULL',
      'PRIMARY KEY (`id_configuration`)',
      'KEY `name` (`name`)',
      'KEY `id_shop` (`id_shop`)',
      'KEY `id_shop_group` (`id_shop_group`)',
    ]),
    t('configuration_lang', [
      '`id_configuration` int(10) unsigned NOT NULL',
      '`id_lang` int(10) unsigned NOT NULL',
      `\`value\` ${text}`,
      '`date_upd` datetime DEFAULT NULL',
      'PRIMARY KEY (`id_configuration`, `id_lang`)',
    ]),
    t(
      'shop_group',
      doctrine
        ? [
            '`id_shop_group` int(11) NOT NULL AUTO_INCREMENT',
            '`name` varchar(64) NOT NULL',
            '`color` varchar(50) NOT NULL',
            '`share_customer` tinyint(1) NOT NULL',
            '`share_order` tinyint(1) NOT NULL',
            '`share_stock` tinyint(1) NOT NULL',
            '`active` tinyint(1) NOT NULL',
            '`deleted` tinyint(1) NOT NULL',
            'PRIMARY KEY (`id_shop_group`)',
          ]
        : [
            '`id_shop_group` int(11) unsigned NOT NULL AUTO_INCREMENT',
            '`name` varchar(64) CHARACTER SET utf8 NOT NULL',
            '`share_customer` tinyint(1) NOT NULL',
            '`share_order` tinyint(1) NOT NULL',
            '`share_stock` tinyint(1) NOT NULL',
            "`active` tinyint(1) NOT NULL DEFAULT '1'",
            "`deleted` tinyint(1) NOT NULL DEFAULT '0'",
            'PRIMARY KEY (`id_shop_group`)',
            'KEY `deleted` (`deleted`, `name`)',
          ],
    ),
    t(
      'shop',
      doctrine
        ? [
            '`id_shop` int(11) NOT NULL AUTO_INCREMENT',
            '`id_shop_group` int(11) NOT NULL',
            '`name` varchar(64) NOT NULL',
            '`color` varchar(50) NOT NULL',
            '`id_category` int(11) NOT NULL',
            '`theme_name` varchar(255) NOT NULL',
            '`active` tinyint(1) NOT NULL',
            '`deleted` tinyint(1) NOT NULL',
            'PRIMARY KEY (`id_shop`)',
            'KEY `IDX_CBDFBB9EF5C9E40` (`id_shop_group`)',
          ]
        : [
            '`id_shop` int(11) unsigned NOT NULL AUTO_INCREMENT',
            '`id_shop_group` int(11) unsigned NOT NULL',
            '`name` varchar(64) CHARACTER SET utf8 NOT NULL',
            "`id_category` int(11) unsigned NOT NULL DEFAULT '1'",
            '`id_theme` int(1) unsigned NOT NULL',
            "`active` tinyint(1) NOT NULL DEFAULT '1'",
            "`deleted` tinyint(1) NOT NULL DEFAULT '0'",
            'PRIMARY KEY (`id_shop`)',
            'KEY `id_shop_group` (`id_shop_group`, `deleted`)',
            'KEY `id_category` (`id_category`)',
            'KEY `id_theme` (`id_theme`)',
          ],
    ),
    t('shop_url', [
      '`id_shop_url` int(11) unsigned NOT NULL AUTO_INCREMENT',
      '`id_shop` int(11) unsigned NOT NULL',
      `\`domain\` varchar(${v9 ? 255 : 150}) NOT NULL`,
      `\`domain_ssl\` varchar(${v9 ? 255 : 150}) NOT NULL`,
      '`physical_uri` varchar(64) NOT NULL',
      '`virtual_uri` varchar(64) NOT NULL',
      '`main` tinyint(1) NOT NULL',
      '`active` tinyint(1) NOT NULL',
      'PRIMARY KEY (`id_shop_url`)',
      'KEY `id_shop` (`id_shop`, `main`)',
      'UNIQUE KEY `full_shop_url` (`domain`, `physical_uri`, `virtual_uri`)',
      'UNIQUE KEY `full_shop_url_ssl` (`domain_ssl`, `physical_uri`, `virtual_uri`)',
    ]),
    t(
      'lang',
      doctrine
        ? [
            '`id_lang` int(11) NOT NULL AUTO_INCREMENT',
            '`name` varchar(32) NOT NULL',
            '`active` tinyint(1) NOT NULL',
            '`iso_code` varchar(2) NOT NULL',
            '`language_code` varchar(5) NOT NULL',
            '`locale` varchar(5) NOT NULL',
            '`date_format_lite` varchar(32) NOT NULL',
            '`date_format_full` varchar(32) NOT NULL',
            '`is_rtl` tinyint(1) NOT NULL',
            'PRIMARY KEY (`id_lang`)',
          ]
        : [
            '`id_lang` int(10) unsigned NOT NULL AUTO_INCREMENT',
            '`name` varchar(32) NOT NULL',
            "`active` tinyint(3) unsigned NOT NULL DEFAULT '0'",
            '`iso_code` char(2) NOT NULL',
            '`language_code` char(5) NOT NULL',
            "`date_format_lite` char(32) NOT NULL DEFAULT 'Y-m-d'",
            "`date_format_full` char(32) NOT NULL DEFAULT 'Y-m-d H:i:s'",
            "`is_rtl` tinyint(1) NOT NULL DEFAULT '0'",
            'PRIMARY KEY (`id_lang`)',
            'KEY `lang_iso_code` (`iso_code`)',
          ],
    ),
    t(
      'lang_shop',
      doctrine
        ? [
            '`id_lang` int(11) NOT NULL',
            '`id_shop` int(11) NOT NULL',
            'PRIMARY KEY (`id_lang`, `id_shop`)',
            'KEY `IDX_2F43BFC7BA299860` (`id_lang`)',
            'KEY `IDX_2F43BFC7274A50A0` (`id_shop`)',
          ]
        : [
            '`id_lang` int(11) unsigned NOT NULL',
            '`id_shop` int(11) unsigned NOT NULL',
            'PRIMARY KEY (`id_lang`, `id_shop`)',
            'KEY `id_shop` (`id_shop`)',
          ],
    ),
    t(
      'currency',
      ge('1.7.6.0')
        ? [
            '`id_currency` int(10) unsigned NOT NULL AUTO_INCREMENT',
            // Deprecated in favour of currency_lang.name, but still filled in.
            '`name` varchar(64) NOT NULL',
            "`iso_code` varchar(3) NOT NULL DEFAULT '0'",
            '`numeric_iso_code` varchar(3)',
            '`precision` int(2) NOT NULL DEFAULT 6',
            '`conversion_rate` decimal(13,6) NOT NULL',
            "`deleted` tinyint(1) unsigned NOT NULL DEFAULT '0'",
            "`active` tinyint(1) unsigned NOT NULL DEFAULT '1'",
            "`unofficial` tinyint(1) unsigned NOT NULL DEFAULT '0'",
            "`modified` tinyint(1) unsigned NOT NULL DEFAULT '0'",
            'PRIMARY KEY (`id_currency`)',
            'KEY `currency_iso_code` (`iso_code`)',
          ]
        : [
            '`id_currency` int(10) unsigned NOT NULL AUTO_INCREMENT',
            '`name` varchar(32) NOT NULL',
            "`iso_code` varchar(3) NOT NULL DEFAULT '0'",
            "`iso_code_num` varchar(3) NOT NULL DEFAULT '0'",
            '`sign` varchar(8) NOT NULL',
            "`blank` tinyint(1) unsigned NOT NULL DEFAULT '0'",
            "`format` tinyint(1) unsigned NOT NULL DEFAULT '0'",
            "`decimals` tinyint(1) unsigned NOT NULL DEFAULT '1'",
            '`conversion_rate` decimal(13,6) NOT NULL',
            "`deleted` tinyint(1) unsigned NOT NULL DEFAULT '0'",
            "`active` tinyint(1) unsigned NOT NULL DEFAULT '1'",
            'PRIMARY KEY (`id_currency`)',
          ],
    ),
    ...(ge('1.7.6.0')
      ? [
          t('currency_lang', [
            '`id_currency` int(10) unsigned NOT NULL',
            '`id_lang` int(10) unsigned NOT NULL',
            '`name` varchar(255) NOT NULL',
            '`symbol` varchar(255) NOT NULL',
            '`pattern` varchar(255) DEFAULT NULL',
            'PRIMARY KEY (`id_currency`, `id_lang`)',
          ]),
        ]
      : []),
    t('currency_shop', [
      '`id_currency` int(11) unsigned NOT NULL',
      '`id_shop` int(11) unsigned NOT NULL',
      '`conversion_rate` decimal(13,6) NOT NULL',
      'PRIMARY KEY (`id_currency`, `id_shop`)',
      'KEY `id_shop` (`id_shop`)',
    ]),
    t('customer', [
      '`id_customer` int(10) unsigned NOT NULL AUTO_INCREMENT',
      "`id_shop_group` int(11) unsigned NOT NULL DEFAULT '1'",
      "`id_shop` int(11) unsigned NOT NULL DEFAULT '1'",
      '`id_gender` int(10) unsigned NOT NULL',
      "`id_default_group` int(10) unsigned NOT NULL DEFAULT '1'",
      '`id_lang` int(10) unsigned NULL',
      "`id_risk` int(10) unsigned NOT NULL DEFAULT '1'",
      `\`company\` varchar(${v17 ? 255 : 64})`,
      `\`firstname\` varchar(${v17 ? 255 : 32}) NOT NULL`,
      `\`lastname\` varchar(${v17 ? 255 : 32}) NOT NULL`,
      `\`email\` varchar(${v17 ? 255 : 128}) NOT NULL`,
      `\`passwd\` varchar(${v17 ? 255 : 32}) NOT NULL`,
      '`last_passwd_gen` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP',
      '`birthday` date DEFAULT NULL',
      "`newsletter` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      '`newsletter_date_add` datetime DEFAULT NULL',
      "`optin` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      "`secure_key` varchar(32) NOT NULL DEFAULT '-1'",
      `\`note\` ${text}`,
      "`active` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      "`is_guest` tinyint(1) NOT NULL DEFAULT '0'",
      "`deleted` tinyint(1) NOT NULL DEFAULT '0'",
      '`date_add` datetime NOT NULL',
      '`date_upd` datetime NOT NULL',
      v17 && '`reset_password_token` varchar(40) DEFAULT NULL',
      v17 && '`reset_password_validity` datetime DEFAULT NULL',
      'PRIMARY KEY (`id_customer`)',
      'KEY `customer_email` (`email`)',
      'KEY `customer_login` (`email`, `passwd`)',
      'KEY `id_shop_group` (`id_shop_group`)',
      'KEY `id_shop` (`id_shop`, `date_add`)',
    ]),
    t('orders', [
      '`id_order` int(10) unsigned NOT NULL AUTO_INCREMENT',
      `\`reference\` varchar(${v9 ? 255 : 9})`,
      "`id_shop_group` int(11) unsigned NOT NULL DEFAULT '1'",
      "`id_shop` int(11) unsigned NOT NULL DEFAULT '1'",
      '`id_carrier` int(10) unsigned NOT NULL',
      '`id_lang` int(10) unsigned NOT NULL',
      '`id_customer` int(10) unsigned NOT NULL',
      '`id_cart` int(10) unsigned NOT NULL',
      '`id_currency` int(10) unsigned NOT NULL',
      '`id_address_delivery` int(10) unsigned NOT NULL',
      '`id_address_invoice` int(10) unsigned NOT NULL',
      '`current_state` int(10) unsigned NOT NULL',
      "`secure_key` varchar(32) NOT NULL DEFAULT '-1'",
      '`payment` varchar(255) NOT NULL',
      '`conversion_rate` decimal(13,6) NOT NULL DEFAULT 1',
      '`module` varchar(255) DEFAULT NULL',
      "`recyclable` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      "`gift` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      `\`gift_message\` ${text}`,
      "`mobile_theme` tinyint(1) NOT NULL DEFAULT '0'",
      !v8 && '`shipping_number` varchar(64) DEFAULT NULL',
      "`total_discounts` decimal(20,6) NOT NULL DEFAULT '0.00'",
      "`total_discounts_tax_incl` decimal(20,6) NOT NULL DEFAULT '0.00'",
      "`total_discounts_tax_excl` decimal(20,6) NOT NULL DEFAULT '0.00'",
      "`total_paid` decimal(20,6) NOT NULL DEFAULT '0.00'",
      "`total_paid_tax_incl` decimal(20,6) NOT NULL DEFAULT '0.00'",
      "`total_paid_tax_excl` decimal(20,6) NOT NULL DEFAULT '0.00'",
      "`total_paid_real` decimal(20,6) NOT NULL DEFAULT '0.00'",
      "`total_products` decimal(20,6) NOT NULL DEFAULT '0.00'",
      "`total_products_wt` decimal(20,6) NOT NULL DEFAULT '0.00'",
      "`total_shipping` decimal(20,6) NOT NULL DEFAULT '0.00'",
      "`total_shipping_tax_incl` decimal(20,6) NOT NULL DEFAULT '0.00'",
      "`total_shipping_tax_excl` decimal(20,6) NOT NULL DEFAULT '0.00'",
      "`carrier_tax_rate` decimal(10,3) NOT NULL DEFAULT '0.00'",
      "`total_wrapping` decimal(20,6) NOT NULL DEFAULT '0.00'",
      "`total_wrapping_tax_incl` decimal(20,6) NOT NULL DEFAULT '0.00'",
      "`total_wrapping_tax_excl` decimal(20,6) NOT NULL DEFAULT '0.00'",
      "`round_mode` tinyint(1) NOT NULL DEFAULT '2'",
      "`round_type` tinyint(1) NOT NULL DEFAULT '1'",
      "`invoice_number` int(10) unsigned NOT NULL DEFAULT '0'",
      "`delivery_number` int(10) unsigned NOT NULL DEFAULT '0'",
      '`invoice_date` datetime NOT NULL',
      '`delivery_date` datetime NOT NULL',
      "`valid` int(1) unsigned NOT NULL DEFAULT '0'",
      '`date_add` datetime NOT NULL',
      '`date_upd` datetime NOT NULL',
      ge('1.7.8.0') && `\`note\` ${text}`,
      'PRIMARY KEY (`id_order`)',
      'KEY `reference` (`reference`)',
      'KEY `id_customer` (`id_customer`)',
      'KEY `id_cart` (`id_cart`)',
      'KEY `invoice_number` (`invoice_number`)',
      'KEY `id_carrier` (`id_carrier`)',
      'KEY `id_lang` (`id_lang`)',
      'KEY `id_currency` (`id_currency`)',
      'KEY `id_address_delivery` (`id_address_delivery`)',
      'KEY `id_address_invoice` (`id_address_invoice`)',
      'KEY `id_shop_group` (`id_shop_group`)',
      'KEY `current_state` (`current_state`)',
      'KEY `id_shop` (`id_shop`)',
      'KEY `date_add` (`date_add`)',
      v9 && 'KEY `invoice_date` (`invoice_date`)',
    ]),
    t('order_detail', [
      '`id_order_detail` int(10) unsigned NOT NULL AUTO_INCREMENT',
      '`id_order` int(10) unsigned NOT NULL',
      '`id_order_invoice` int(11) DEFAULT NULL',
      "`id_warehouse` int(10) unsigned DEFAULT '0'",
      '`id_shop` int(11) unsigned NOT NULL',
      '`product_id` int(10) unsigned NOT NULL',
      '`product_attribute_id` int(10) unsigned DEFAULT NULL',
      v17 && '`id_customization` int(10) unsigned DEFAULT 0',
      `\`product_name\` ${v8 ? (ge('8.1.0') ? 'MEDIUMTEXT' : 'text') : 'varchar(255)'} NOT NULL`,
      "`product_quantity` int(10) unsigned NOT NULL DEFAULT '0'",
      "`product_quantity_in_stock` int(10) NOT NULL DEFAULT '0'",
      "`product_quantity_refunded` int(10) unsigned NOT NULL DEFAULT '0'",
      "`product_quantity_return` int(10) unsigned NOT NULL DEFAULT '0'",
      "`product_quantity_reinjected` int(10) unsigned NOT NULL DEFAULT '0'",
      "`product_price` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      "`reduction_percent` decimal(10,2) NOT NULL DEFAULT '0.00'",
      "`reduction_amount` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      "`reduction_amount_tax_incl` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      "`reduction_amount_tax_excl` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      "`group_reduction` decimal(10,2) NOT NULL DEFAULT '0.00'",
      "`product_quantity_discount` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      `\`product_ean13\` ${ean} DEFAULT NULL`,
      v17 && '`product_isbn` varchar(32) DEFAULT NULL',
      '`product_upc` varchar(12) DEFAULT NULL',
      ge('1.7.7.0') && '`product_mpn` varchar(40) DEFAULT NULL',
      `\`product_reference\` ${ref} DEFAULT NULL`,
      `\`product_supplier_reference\` ${ref} DEFAULT NULL`,
      '`product_weight` decimal(20,6) NOT NULL',
      "`id_tax_rules_group` int(11) unsigned DEFAULT '0'",
      "`tax_computation_method` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      '`tax_name` varchar(16) NOT NULL',
      "`tax_rate` decimal(10,3) NOT NULL DEFAULT '0.000'",
      "`ecotax` decimal(21,6) NOT NULL DEFAULT '0.00'",
      "`ecotax_tax_rate` decimal(5,3) NOT NULL DEFAULT '0.000'",
      "`discount_quantity_applied` tinyint(1) NOT NULL DEFAULT '0'",
      '`download_hash` varchar(255) DEFAULT NULL',
      "`download_nb` int(10) unsigned DEFAULT '0'",
      '`download_deadline` datetime DEFAULT NULL',
      "`total_price_tax_incl` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      "`total_price_tax_excl` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      "`unit_price_tax_incl` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      "`unit_price_tax_excl` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      "`total_shipping_price_tax_incl` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      "`total_shipping_price_tax_excl` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      ge('1.7.7.0') && "`total_refunded_tax_excl` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      ge('1.7.7.0') && "`total_refunded_tax_incl` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      "`purchase_supplier_price` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      "`original_product_price` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      "`original_wholesale_price` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      'PRIMARY KEY (`id_order_detail`)',
      'KEY `order_detail_order` (`id_order`)',
      v17
        ? 'KEY `product_id` (`product_id`, `product_attribute_id`)'
        : 'KEY `product_id` (`product_id`)',
      'KEY `product_attribute_id` (`product_attribute_id`)',
      'KEY `id_tax_rules_group` (`id_tax_rules_group`)',
      'KEY `id_order_id_order_detail` (`id_order`, `id_order_detail`)',
    ]),
    t('order_state', [
      '`id_order_state` int(10) unsigned NOT NULL AUTO_INCREMENT',
      "`invoice` tinyint(1) unsigned DEFAULT '0'",
      "`send_email` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      '`module_name` varchar(255) NULL DEFAULT NULL',
      '`color` varchar(32) DEFAULT NULL',
      '`unremovable` tinyint(1) unsigned NOT NULL',
      "`hidden` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      "`logable` tinyint(1) NOT NULL DEFAULT '0'",
      "`delivery` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      "`shipped` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      "`paid` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      "`pdf_invoice` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      "`pdf_delivery` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      "`deleted` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      'PRIMARY KEY (`id_order_state`)',
      'KEY `module_name` (`module_name`)',
    ]),
    t('order_state_lang', [
      '`id_order_state` int(10) unsigned NOT NULL',
      '`id_lang` int(10) unsigned NOT NULL',
      '`name` varchar(64) NOT NULL',
      '`template` varchar(64) NOT NULL',
      'PRIMARY KEY (`id_order_state`, `id_lang`)',
    ]),
    t('order_history', [
      '`id_order_history` int(10) unsigned NOT NULL AUTO_INCREMENT',
      '`id_employee` int(10) unsigned NOT NULL',
      '`id_order` int(10) unsigned NOT NULL',
      '`id_order_state` int(10) unsigned NOT NULL',
      '`date_add` datetime NOT NULL',
      'PRIMARY KEY (`id_order_history`)',
      'KEY `order_history_order` (`id_order`)',
      'KEY `id_employee` (`id_employee`)',
      'KEY `id_order_state` (`id_order_state`)',
    ]),
    t('order_cart_rule', [
      '`id_order_cart_rule` int(10) unsigned NOT NULL AUTO_INCREMENT',
      '`id_order` int(10) unsigned NOT NULL',
      '`id_cart_rule` int(10) unsigned NOT NULL',
      "`id_order_invoice` int(10) unsigned DEFAULT '0'",
      '`name` varchar(254) NOT NULL',
      // Widened from (17,2) with the 1.7.7 currency-precision work.
      ge('1.7.7.0')
        ? "`value` decimal(20,6) NOT NULL DEFAULT '0.000000'"
        : "`value` decimal(17,2) NOT NULL DEFAULT '0.00'",
      ge('1.7.7.0')
        ? "`value_tax_excl` decimal(20,6) NOT NULL DEFAULT '0.000000'"
        : "`value_tax_excl` decimal(17,2) NOT NULL DEFAULT '0.00'",
      "`free_shipping` tinyint(1) NOT NULL DEFAULT '0'",
      v17 && "`deleted` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      'PRIMARY KEY (`id_order_cart_rule`)',
      'KEY `id_order` (`id_order`)',
      'KEY `id_cart_rule` (`id_cart_rule`)',
    ]),
    t('product', [
      '`id_product` int(10) unsigned NOT NULL AUTO_INCREMENT',
      '`id_supplier` int(10) unsigned DEFAULT NULL',
      '`id_manufacturer` int(10) unsigned DEFAULT NULL',
      '`id_category_default` int(10) unsigned DEFAULT NULL',
      '`id_shop_default` int(10) unsigned NOT NULL DEFAULT 1',
      '`id_tax_rules_group` int(11) unsigned NOT NULL',
      "`on_sale` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      "`online_only` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      `\`ean13\` ${ean} DEFAULT NULL`,
      v17 && '`isbn` varchar(32) DEFAULT NULL',
      '`upc` varchar(12) DEFAULT NULL',
      ge('1.7.7.0') && '`mpn` varchar(40) DEFAULT NULL',
      "`quantity` int(10) NOT NULL DEFAULT '0'",
      "`price` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      "`wholesale_price` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      `\`reference\` ${ref} DEFAULT NULL`,
      `\`supplier_reference\` ${ref} DEFAULT NULL`,
      "`weight` decimal(20,6) NOT NULL DEFAULT '0'",
      "`active` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      v8
        ? "`redirect_type` enum('','404','410','301-product','302-product','301-category','302-category','200-displayed','404-displayed','410-displayed','default') NOT NULL DEFAULT 'default'"
        : v17
          ? "`redirect_type` enum('404','301-product','302-product','301-category','302-category') NOT NULL DEFAULT '404'"
          : "`redirect_type` enum('','404','301','302') NOT NULL DEFAULT ''",
      v17
        ? "`id_type_redirected` int(10) unsigned NOT NULL DEFAULT '0'"
        : "`id_product_redirected` int(10) unsigned NOT NULL DEFAULT '0'",
      "`visibility` enum('both','catalog','search','none') NOT NULL DEFAULT 'both'",
      '`cache_default_attribute` int(10) unsigned DEFAULT NULL',
      '`date_add` datetime NOT NULL',
      '`date_upd` datetime NOT NULL',
      ge('1.7.7.0') && "`state` int(11) unsigned NOT NULL DEFAULT '1'",
      ge('1.7.8.0') &&
        "`product_type` enum('standard','pack','virtual','combinations','') NOT NULL DEFAULT ''",
      'PRIMARY KEY (`id_product`)',
      'KEY `product_supplier` (`id_supplier`)',
      'KEY `product_manufacturer` (`id_manufacturer`, `id_product`)',
      'KEY `id_category_default` (`id_category_default`)',
      'KEY `date_add` (`date_add`)',
    ]),
    t('product_shop', [
      '`id_product` int(10) unsigned NOT NULL',
      '`id_shop` int(10) unsigned NOT NULL',
      '`id_category_default` int(10) unsigned DEFAULT NULL',
      '`id_tax_rules_group` int(11) unsigned NOT NULL',
      "`on_sale` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      "`price` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      "`wholesale_price` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      "`active` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      v8
        ? "`redirect_type` enum('','404','410','301-product','302-product','301-category','302-category','200-displayed','404-displayed','410-displayed','default') NOT NULL DEFAULT 'default'"
        : v17
          ? "`redirect_type` enum('','404','301-product','302-product','301-category','302-category') NOT NULL DEFAULT ''"
          : "`redirect_type` enum('','404','301','302') NOT NULL DEFAULT ''",
      v17
        ? "`id_type_redirected` int(10) unsigned NOT NULL DEFAULT '0'"
        : "`id_product_redirected` int(10) unsigned NOT NULL DEFAULT '0'",
      "`visibility` enum('both','catalog','search','none') NOT NULL DEFAULT 'both'",
      '`cache_default_attribute` int(10) unsigned DEFAULT NULL',
      '`date_add` datetime NOT NULL',
      '`date_upd` datetime NOT NULL',
      'PRIMARY KEY (`id_product`, `id_shop`)',
      'KEY `id_category_default` (`id_category_default`)',
      'KEY `date_add` (`date_add`, `active`, `visibility`)',
    ]),
    t('product_lang', [
      '`id_product` int(10) unsigned NOT NULL',
      "`id_shop` int(11) unsigned NOT NULL DEFAULT '1'",
      '`id_lang` int(10) unsigned NOT NULL',
      `\`description\` ${text}`,
      `\`description_short\` ${text}`,
      '`link_rewrite` varchar(128) NOT NULL',
      `\`meta_description\` varchar(${v17 ? 512 : 255}) DEFAULT NULL`,
      !v9 && '`meta_keywords` varchar(255) DEFAULT NULL',
      '`meta_title` varchar(128) DEFAULT NULL',
      '`name` varchar(128) NOT NULL',
      '`available_now` varchar(255) DEFAULT NULL',
      '`available_later` varchar(255) DEFAULT NULL',
      v17 && '`delivery_in_stock` varchar(255) DEFAULT NULL',
      v17 && '`delivery_out_stock` varchar(255) DEFAULT NULL',
      'PRIMARY KEY (`id_product`, `id_shop`, `id_lang`)',
      'KEY `id_lang` (`id_lang`)',
      'KEY `name` (`name`)',
    ]),
    t('product_attribute', [
      '`id_product_attribute` int(10) unsigned NOT NULL AUTO_INCREMENT',
      '`id_product` int(10) unsigned NOT NULL',
      `\`reference\` ${ref} DEFAULT NULL`,
      `\`supplier_reference\` ${ref} DEFAULT NULL`,
      `\`ean13\` ${ean} DEFAULT NULL`,
      v17 && '`isbn` varchar(32) DEFAULT NULL',
      '`upc` varchar(12) DEFAULT NULL',
      ge('1.7.7.0') && '`mpn` varchar(40) DEFAULT NULL',
      "`wholesale_price` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      "`price` decimal(20,6) NOT NULL DEFAULT '0.000000'",
      !v8 && "`quantity` int(10) NOT NULL DEFAULT '0'",
      "`weight` decimal(20,6) NOT NULL DEFAULT '0'",
      '`default_on` tinyint(1) unsigned NULL DEFAULT NULL',
      "`minimal_quantity` int(10) unsigned NOT NULL DEFAULT '1'",
      'PRIMARY KEY (`id_product_attribute`)',
      'KEY `product_attribute_product` (`id_product`)',
      'KEY `reference` (`reference`)',
      'UNIQUE KEY `product_default` (`id_product`, `default_on`)',
      'KEY `id_product_id_product_attribute` (`id_product_attribute`, `id_product`)',
    ]),
    t('category', [
      '`id_category` int(10) unsigned NOT NULL AUTO_INCREMENT',
      '`id_parent` int(10) unsigned NOT NULL',
      '`id_shop_default` int(10) unsigned NOT NULL DEFAULT 1',
      "`level_depth` tinyint(3) unsigned NOT NULL DEFAULT '0'",
      "`nleft` int(10) unsigned NOT NULL DEFAULT '0'",
      "`nright` int(10) unsigned NOT NULL DEFAULT '0'",
      "`active` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      '`date_add` datetime NOT NULL',
      '`date_upd` datetime NOT NULL',
      "`position` int(10) unsigned NOT NULL DEFAULT '0'",
      "`is_root_category` tinyint(1) NOT NULL DEFAULT '0'",
      v9 && "`redirect_type` enum('404','410','301','302') NOT NULL DEFAULT '301'",
      v9 && "`id_type_redirected` int(10) unsigned NOT NULL DEFAULT '0'",
      'PRIMARY KEY (`id_category`)',
      'KEY `category_parent` (`id_parent`)',
      'KEY `nleftrightactive` (`nleft`, `nright`, `active`)',
      'KEY `level_depth` (`level_depth`)',
    ]),
    t('category_lang', [
      '`id_category` int(10) unsigned NOT NULL',
      "`id_shop` int(11) unsigned NOT NULL DEFAULT '1'",
      '`id_lang` int(10) unsigned NOT NULL',
      '`name` varchar(128) NOT NULL',
      `\`description\` ${text}`,
      v8 && '`additional_description` MEDIUMTEXT',
      '`link_rewrite` varchar(128) NOT NULL',
      `\`meta_title\` varchar(${v17 ? 255 : 128}) DEFAULT NULL`,
      !v9 && '`meta_keywords` varchar(255) DEFAULT NULL',
      `\`meta_description\` varchar(${v17 ? 512 : 255}) DEFAULT NULL`,
      'PRIMARY KEY (`id_category`, `id_shop`, `id_lang`)',
      'KEY `category_name` (`name`)',
    ]),
    t('category_shop', [
      '`id_category` int(11) NOT NULL',
      '`id_shop` int(11) NOT NULL',
      "`position` int(10) unsigned NOT NULL DEFAULT '0'",
      'PRIMARY KEY (`id_category`, `id_shop`)',
    ]),
    t('category_product', [
      '`id_category` int(10) unsigned NOT NULL',
      '`id_product` int(10) unsigned NOT NULL',
      "`position` int(10) unsigned NOT NULL DEFAULT '0'",
      'PRIMARY KEY (`id_category`, `id_product`)',
      'KEY `id_product` (`id_product`)',
      'KEY `id_category` (`id_category`, `position`)',
    ]),
    t('manufacturer', [
      '`id_manufacturer` int(10) unsigned NOT NULL AUTO_INCREMENT',
      '`name` varchar(64) NOT NULL',
      '`date_add` datetime NOT NULL',
      '`date_upd` datetime NOT NULL',
      "`active` tinyint(1) NOT NULL DEFAULT '0'",
      'PRIMARY KEY (`id_manufacturer`)',
    ]),
    t('image', [
      '`id_image` int(10) unsigned NOT NULL AUTO_INCREMENT',
      '`id_product` int(10) unsigned NOT NULL',
      "`position` smallint(2) unsigned NOT NULL DEFAULT '0'",
      '`cover` tinyint(1) unsigned NULL DEFAULT NULL',
      'PRIMARY KEY (`id_image`)',
      'KEY `image_product` (`id_product`)',
      'UNIQUE KEY `id_product_cover` (`id_product`, `cover`)',
      'UNIQUE KEY `idx_product_image` (`id_image`, `id_product`, `cover`)',
    ]),
    t('image_shop', [
      '`id_product` int(10) unsigned NOT NULL',
      '`id_image` int(11) unsigned NOT NULL',
      '`id_shop` int(11) unsigned NOT NULL',
      '`cover` tinyint(1) unsigned NULL DEFAULT NULL',
      'PRIMARY KEY (`id_image`, `id_shop`)',
      'UNIQUE KEY `id_product` (`id_product`, `id_shop`, `cover`)',
      'KEY `id_shop` (`id_shop`)',
    ]),
    t('image_lang', [
      '`id_image` int(10) unsigned NOT NULL',
      '`id_lang` int(10) unsigned NOT NULL',
      '`legend` varchar(128) DEFAULT NULL',
      'PRIMARY KEY (`id_image`, `id_lang`)',
      'KEY `id_image` (`id_image`)',
    ]),
    t('image_type', [
      '`id_image_type` int(10) unsigned NOT NULL AUTO_INCREMENT',
      '`name` varchar(64) NOT NULL',
      '`width` int(10) unsigned NOT NULL',
      '`height` int(10) unsigned NOT NULL',
      "`products` tinyint(1) NOT NULL DEFAULT '1'",
      "`categories` tinyint(1) NOT NULL DEFAULT '1'",
      "`manufacturers` tinyint(1) NOT NULL DEFAULT '1'",
      "`suppliers` tinyint(1) NOT NULL DEFAULT '1'",
      !v17 && "`scenes` tinyint(1) NOT NULL DEFAULT '1'",
      "`stores` tinyint(1) NOT NULL DEFAULT '1'",
      'PRIMARY KEY (`id_image_type`)',
      v9 ? 'UNIQUE KEY `UNIQ_907C95215E237E06` (`name`)' : 'KEY `image_type_name` (`name`)',
    ]),
    t('product_attribute_image', [
      '`id_product_attribute` int(10) unsigned NOT NULL',
      '`id_image` int(10) unsigned NOT NULL',
      'PRIMARY KEY (`id_product_attribute`, `id_image`)',
      'KEY `id_image` (`id_image`)',
    ]),
    t('stock_available', [
      '`id_stock_available` int(11) unsigned NOT NULL AUTO_INCREMENT',
      '`id_product` int(11) unsigned NOT NULL',
      '`id_product_attribute` int(11) unsigned NOT NULL',
      '`id_shop` int(11) unsigned NOT NULL',
      '`id_shop_group` int(11) unsigned NOT NULL',
      "`quantity` int(10) NOT NULL DEFAULT '0'",
      v17 && "`physical_quantity` int(11) NOT NULL DEFAULT '0'",
      v17 && "`reserved_quantity` int(11) NOT NULL DEFAULT '0'",
      "`depends_on_stock` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      "`out_of_stock` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      v17 && "`location` varchar(255) NOT NULL DEFAULT ''",
      'PRIMARY KEY (`id_stock_available`)',
      'KEY `id_shop` (`id_shop`)',
      'KEY `id_shop_group` (`id_shop_group`)',
      'KEY `id_product` (`id_product`)',
      'KEY `id_product_attribute` (`id_product_attribute`)',
      'UNIQUE KEY `product_sqlstock` (`id_product`, `id_product_attribute`, `id_shop`, `id_shop_group`)',
    ]),
    t('tax', [
      '`id_tax` int(10) unsigned NOT NULL AUTO_INCREMENT',
      '`rate` decimal(10,3) NOT NULL',
      "`active` tinyint(1) unsigned NOT NULL DEFAULT '1'",
      "`deleted` tinyint(1) unsigned NOT NULL DEFAULT '0'",
      'PRIMARY KEY (`id_tax`)',
    ]),
    t('tax_rule', [
      '`id_tax_rule` int(11) NOT NULL AUTO_INCREMENT',
      '`id_tax_rules_group` int(11) NOT NULL',
      '`id_country` int(11) NOT NULL',
      '`id_state` int(11) NOT NULL',
      '`zipcode_from` varchar(12) NOT NULL',
      '`zipcode_to` varchar(12) NOT NULL',
      '`id_tax` int(11) NOT NULL',
      '`behavior` int(11) NOT NULL',
      '`description` varchar(100) NOT NULL',
      'PRIMARY KEY (`id_tax_rule`)',
      'KEY `id_tax_rules_group` (`id_tax_rules_group`)',
      'KEY `id_tax` (`id_tax`)',
      'KEY `category_getproducts` (`id_tax_rules_group`, `id_country`, `id_state`, `zipcode_from`)',
    ]),
    t('tax_rules_group', [
      '`id_tax_rules_group` int(11) NOT NULL AUTO_INCREMENT',
      `\`name\` varchar(${v9 ? 64 : 50}) NOT NULL`,
      '`active` int(11) NOT NULL',
      '`deleted` tinyint(1) unsigned NOT NULL',
      '`date_add` datetime NOT NULL',
      '`date_upd` datetime NOT NULL',
      'PRIMARY KEY (`id_tax_rules_group`)',
    ]),
  ]
}

/** The CREATE TABLE statements, for inspection or for writing a dump. */
export function prestaShopDdl(options: SchemaOptions): string[] {
  return ddl(options.version, options.prefix ?? 'ps_')
}

/**
 * Runs `work` on one dedicated connection with a known sql_mode, then restores the old one.
 * Strict, so a generator value that does not fit a column fails loudly instead of being truncated;
 * without NO_ZERO_DATE (MySQL 8 has it by default), since PrestaShop stores
 * `0000-00-00 00:00:00` for unset invoice and delivery dates.
 */
export async function withPrestaShopSession<T>(
  conn: Queryable,
  work: (connection: Connection | PoolConnection) => Promise<T>,
): Promise<T> {
  const isPool = 'getConnection' in conn
  const connection = isPool ? await conn.getConnection() : conn
  try {
    const [rows] = await connection.query('SELECT @@SESSION.sql_mode AS mode')
    const previous = (rows as Array<{ mode: string }>)[0]?.mode ?? ''
    await connection.query("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'")
    try {
      return await work(connection)
    } finally {
      await connection.query('SET SESSION sql_mode = ?', [previous])
    }
  } finally {
    if (isPool) (connection as PoolConnection).release()
  }
}

export async function createPrestaShopSchema(
  conn: Queryable,
  options: SchemaOptions,
): Promise<void> {
  await withPrestaShopSession(conn, async (connection) => {
    for (const statement of prestaShopDdl(options)) await connection.query(statement)
  })
}

/** A few tables of some other application, for "this is not a PrestaShop database" tests. */
export async function createUnrelatedSchema(
  conn: Queryable,
  options: { prefix?: string } = {},
): Promise<void> {
  const prefix = options.prefix ?? 'wp_'
  const statements = [
    `CREATE TABLE \`${prefix}options\` (
      option_id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
      option_name varchar(191) NOT NULL DEFAULT '',
      option_value longtext NOT NULL,
      PRIMARY KEY (option_id),
      UNIQUE KEY option_name (option_name)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    `CREATE TABLE \`${prefix}posts\` (
      ID bigint(20) unsigned NOT NULL AUTO_INCREMENT,
      post_title text NOT NULL,
      post_date datetime NOT NULL,
      PRIMARY KEY (ID)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    // Looks like a shop table on purpose: a detector must not accept a bare `orders` table.
    `CREATE TABLE \`${prefix}orders\` (
      id int unsigned NOT NULL AUTO_INCREMENT,
      total decimal(10,2) NOT NULL,
      created_at datetime NOT NULL,
      PRIMARY KEY (id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  ]
  for (const statement of statements) await conn.query(statement)
  await conn.query(
    `INSERT INTO \`${prefix}options\` (option_name, option_value) VALUES ('siteurl', 'https://blog.example.test'), ('blogname', 'Not a shop')`,
  )
}
