/**
 * How many orders of a range a skip-sent sending would leave out because their Connectif account
 * already has them: the range's order keys routed as the engine routes the orders, each looked up
 * in the history under the fingerprint of the account it goes to. What the wizard's summary says
 * before sending, so its estimate counts only the orders that will cost a request.
 */
import { connectifAccountKey } from '../core/connectif/account-key'
import type { Profile, Routing } from '../core/profiles/profile-types'
import { ConnectifRouter } from '../core/sending/connectif-routing'
import { tallyCounts } from '../core/store/order-assembly'
import type {
  OrderCountGroup,
  OrderCounts,
  OrderFilter,
  StoreOverview,
  StoreSource,
} from '../core/store/store-source'
import type { AppContext } from './app-context'

/**
 * Keys a page, and so order ids looked up in the history at once: few round trips to the
 * database (the Webservice reader pages by 5,000 whatever is asked), one indexed lookup a page.
 */
const KEYS_PER_PAGE = 20_000

/**
 * The orders of `filter` already sent to the account each one is routed to, and the filter's
 * counts, from the one read of its keys the lookup needs anyway (through the Webservice, a
 * listing of the range saved). Reads every Connectif key of the routing once the range has an
 * order (as the sending will), so a missing one is said here already.
 */
export async function countAlreadySent(
  context: AppContext,
  profile: Profile,
  routing: Routing,
  store: StoreSource,
  overview: StoreOverview,
  filter: OrderFilter,
): Promise<{ readonly sent: number; readonly counts: OrderCounts }> {
  let fingerprints: Map<string, string> | null = null
  const router = new ConnectifRouter(routing.targets, routing.mainAccount, overview)
  const groups = new Map<string, { -readonly [K in keyof OrderCountGroup]: number }>()
  let sent = 0
  for await (const page of store.orderKeys(filter, { pageSize: KEYS_PER_PAGE })) {
    if (fingerprints === null) {
      const accounts = await context.secrets.accounts(profile, routing)
      // Keyed as the accounts are: '' for the main account, a target's id for a target.
      fingerprints = new Map(
        [...accounts].map(([id, account]) => [id, connectifAccountKey(account)] as const),
      )
    }
    const idsByAccount = new Map<string, number[]>()
    for (const key of page) {
      const group = `${key.stateId}:${key.shopId}:${key.languageId}:${key.currency.id}`
      const counted = groups.get(group)
      if (counted) counted.orders += 1
      else
        groups.set(group, {
          stateId: key.stateId,
          shopId: key.shopId,
          languageId: key.languageId,
          currencyId: key.currency.id,
          orders: 1,
        })
      const route = router.route(key)
      // Orders no account serves are skipped by the sending, never "already sent".
      if (route.kind === 'unrouted') continue
      const account = fingerprints.get(route.kind === 'target' ? route.target.id : '')
      if (account === undefined) continue
      const ids = idsByAccount.get(account)
      if (ids) ids.push(key.id)
      else idsByAccount.set(account, [key.id])
    }
    for (const [account, ids] of idsByAccount)
      sent += context.history.alreadySent(account, ids).size
  }
  return { sent, counts: tallyCounts(groups.values()) }
}
