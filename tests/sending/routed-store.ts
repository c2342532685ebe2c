/**
 * A store to route: PrestaShop 8.2 in three languages and several currencies (MariaDB), whose
 * Spanish orders in euros go to one Connectif account, its English orders in dollars to another,
 * and the rest to a main account (when the profile keeps one).
 */
import type { StoreOrder } from '../../main/core/store/store-source'
import type { SimulatorAccountSpec } from '../support/connectif-simulator'
import type { TestDatabase } from '../support/mysql-server'
import { createPrestaShopSchema } from '../support/prestashop/schema-builder'
import { generateStore, type StoreFixture } from '../support/prestashop/store-generator'
import { allStateIds, recentRange, shopAccount } from './engine-harness'

export interface RoutedStore {
  readonly fixture: StoreFixture
  /** The orders of the recent range in every state, as the reader must give them. */
  readonly orders: StoreOrder[]
}

export async function loadRoutedStore(db: TestDatabase): Promise<RoutedStore> {
  const fixture = generateStore({
    version: '8.2.0',
    seed: 61,
    orderCount: 150,
    languages: ['en', 'es', 'fr'],
    dateWindow: recentRange(),
  })
  await createPrestaShopSchema(db.admin, { version: '8.2.0', prefix: 'ps_' })
  await fixture.load(db.admin)
  return {
    fixture,
    orders: fixture.expectedOrders({ range: recentRange(), stateIds: allStateIds(fixture) }),
  }
}

/** One simulated Connectif account per key (by account name), each knowing every customer and product. */
export function routedAccounts(
  orders: readonly StoreOrder[],
  keys: Readonly<Record<string, string>>,
): SimulatorAccountSpec[] {
  const known = {
    emails: orders.flatMap((order) => (order.customer ? [order.customer.email] : [])),
    productIds: orders.flatMap((order) => order.lines.map((line) => String(line.productId))),
  }
  return Object.entries(keys).map(([name, key]) => shopAccount(name, key, known))
}

/** The ISO code of an order's language, from the generator's own model. */
export function languageOf(fixture: StoreFixture, order: StoreOrder): string {
  return fixture.model.languages.find((language) => language.id === order.languageId)?.iso ?? ''
}

export type RoutedAccount = 'spanish' | 'english' | 'main'

/** The account an order must reach: its target's, else the main account's if there is one. */
export function accountOf(
  fixture: StoreFixture,
  order: StoreOrder,
  withMain: boolean,
): RoutedAccount | null {
  const language = languageOf(fixture, order)
  const currency = order.currency.isoCode
  if (language === 'es' && currency === 'EUR') return 'spanish'
  if (language === 'en' && currency === 'USD') return 'english'
  return withMain ? 'main' : null
}
