/**
 * A history database in a temporary folder, and the profile and sending that history tests (and
 * the history benches, scripts/bench-history-fixture.ts) record their orders in.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { HistoryStore } from '../../main/core/history/history-store'
import type { ProfileInput } from '../../main/core/profiles/profile-types'

/** A profile reading a PrestaShop database, its secrets named by environment variables. */
export const DATABASE_PROFILE: ProfileInput = {
  name: 'Tienda',
  source: {
    kind: 'database',
    host: '127.0.0.1',
    port: 3306,
    user: 'prestashop',
    database: 'prestashop',
    tablePrefix: 'ps_',
    ssl: false,
    passwordEnv: 'PS_DB_PASSWORD',
  },
  connectif: { apiUrl: 'https://api.connectif.cloud', keyEnv: 'CONNECTIF_API_KEY' },
  shopIds: [1],
  languageIso: 'es',
  defaultStateIds: [2],
}

/** A new history in its own folder; `remove` closes it and deletes the folder. */
export async function openTestHistory(
  prefix: string,
): Promise<{ readonly store: HistoryStore; remove(): Promise<void> }> {
  const directory = await mkdtemp(path.join(tmpdir(), `purchase-sender-${prefix}-`))
  const store = HistoryStore.open(path.join(directory, 'history.sqlite3'), {
    isProcessAlive: () => true,
  })
  return {
    store,
    async remove() {
      store.close()
      await rm(directory, { recursive: true, force: true })
    },
  }
}

/** A profile named `name` and a new command-line sending of it (no order recorded yet): its id. */
export function createTestSending(
  store: HistoryStore,
  options: { readonly name?: string; readonly to?: string; readonly expectedTotal?: number } = {},
): number {
  const profile = store.profiles.create({ ...DATABASE_PROFILE, name: options.name ?? 'Tienda' })
  return store.createSending({
    profileId: profile.id,
    from: '2025-01-01',
    to: options.to ?? '2025-01-31',
    stateIds: [2],
    shopIds: [1],
    mode: 'cli',
    options: { triggerWorkflows: false, createContacts: true, createProducts: true, rateLimit: 60 },
    expectedTotal: options.expectedTotal ?? 0,
    ownerPid: process.pid,
  }).id
}
