import type { StoreCustomer } from '../store-source'
import type { OrderLineRecord, OrderRecord } from '../order-assembly'
import { decimal, flag, integer, text } from './webservice-values'
import type { WebserviceEntity } from './webservice-values'

/**
 * The order pages' requests and rows: which fields the `orders`, `order_details` and `customers`
 * lists display, the date filter, and each row normalised into the records the order assembly
 * shares with the database reader.
 */

export const ORDER_FIELDS = [
  'id',
  'reference',
  'id_cart',
  'id_shop',
  'id_lang',
  'id_customer',
  'id_currency',
  'current_state',
  'date_add',
  'payment',
  'total_paid_tax_incl',
  'conversion_rate',
]
/** What an order's key needs (StoreSource.orderKeys): routing fields and the keyset position. */
export const ORDER_KEY_FIELDS = [
  'id',
  'id_shop',
  'id_lang',
  'id_currency',
  'current_state',
  'date_add',
]
export const LINE_FIELDS = [
  'id',
  'id_order',
  'product_id',
  'product_attribute_id',
  'product_name',
  'product_quantity',
  'unit_price_tax_incl',
  'unit_price_tax_excl',
  'total_price_tax_incl',
  'total_price_tax_excl',
]
// Named fields only: a customer's full record holds a password hash we have no business reading.
export const CUSTOMER_FIELDS = ['id', 'email', 'firstname', 'lastname', 'is_guest', 'deleted']

/** The Webservice's date filters: inclusive at both ends, wall-clock time of the shop. */
export function dateInterval(from: string, toInclusive: string): string {
  return `[${from},${toInclusive}]`
}

export function orderRecord(row: WebserviceEntity): OrderRecord {
  return {
    id: integer(row, 'id'),
    reference: text(row, 'reference'),
    cartId: integer(row, 'id_cart'),
    shopId: integer(row, 'id_shop'),
    languageId: integer(row, 'id_lang'),
    customerId: integer(row, 'id_customer'),
    currencyId: integer(row, 'id_currency'),
    stateId: integer(row, 'current_state'),
    placedAt: text(row, 'date_add'),
    payment: text(row, 'payment'),
    totalPaid: decimal(row, 'total_paid_tax_incl'),
    conversionRate: decimal(row, 'conversion_rate'),
  }
}

export function lineRecord(row: WebserviceEntity): OrderLineRecord {
  return {
    id: integer(row, 'id'),
    orderId: integer(row, 'id_order'),
    productId: integer(row, 'product_id'),
    productAttributeId: integer(row, 'product_attribute_id'),
    name: text(row, 'product_name'),
    quantity: integer(row, 'product_quantity'),
    unitPriceTaxIncl: decimal(row, 'unit_price_tax_incl'),
    unitPriceTaxExcl: decimal(row, 'unit_price_tax_excl'),
    totalPriceTaxIncl: decimal(row, 'total_price_tax_incl'),
    totalPriceTaxExcl: decimal(row, 'total_price_tax_excl'),
  }
}

export function customerRecord(row: WebserviceEntity): StoreCustomer {
  return {
    id: integer(row, 'id'),
    email: text(row, 'email'),
    firstname: text(row, 'firstname'),
    lastname: text(row, 'lastname'),
    isGuest: flag(row, 'is_guest'),
    deleted: flag(row, 'deleted'),
  }
}
