/**
 * A sending's page: the sending itself, its orders a page at a time (filtered, searched, sorted in
 * the history database), one order with what was sent and what Connectif answered, and its
 * results over time. The command line's `orders` reads the same pages.
 */
import type {
  ChannelRequest,
  ChannelResponse,
  SendingOrderDetail,
  SendingView,
} from '../../preload/contract'
import type { OrderPayload } from '../core/sending/order-delivery'
import { AppError } from './app-errors'
import type { AppContext } from './app-context'
import { isRouted, sendingViews } from './history-use-cases'

/** One sending as the history lists it; a sending whose process died shows as interrupted. */
export async function getSending(
  context: AppContext,
  sendingId: number,
  runningHere: boolean,
): Promise<SendingView> {
  context.history.markInterrupted()
  const [view] = await sendingViews(
    context,
    [context.history.getSending(sendingId)],
    () => runningHere,
  )
  return view as SendingView
}

/** A page of the sending's orders and how many match in all. */
export function listSendingOrders(
  context: AppContext,
  request: ChannelRequest<'sending:orders'>,
): ChannelResponse<'sending:orders'> {
  const routed = isRouted(context.history.getSending(request.sendingId))
  const page = context.history.orderPage(request.sendingId, {
    result: request.result ?? null,
    reason: request.reason ?? null,
    search: request.search ?? null,
    ...(request.sort ? { sort: request.sort } : {}),
    offset: request.page * request.pageSize,
    limit: request.pageSize,
  })
  return routed ? page : { ...page, rows: page.rows.map(unrouted) }
}

/**
 * The history records `main` for the orders of a sending with one account too; the screens name
 * an account only where there was a choice of several.
 */
function unrouted<T extends { readonly target: string }>(order: T): T {
  return { ...order, target: '' }
}

/**
 * One order with the bodies recorded to send it and Connectif's raw answer. The contact goes
 * only to a sending that creates missing contacts (and only when Connectif does not know it):
 * for any other, `contact` is null.
 */
export function getSendingOrder(
  context: AppContext,
  sendingId: number,
  orderId: number,
): SendingOrderDetail {
  const sending = context.history.getSending(sendingId)
  const order = context.history.orderDetail(sendingId, orderId)
  if (order === null)
    throw new AppError('order_not_found', `Order ${orderId} is not in sending #${sendingId}.`, {
      sending: String(sendingId),
      order: String(orderId),
    })
  const { payload, ...recordedView } = order
  const view = isRouted(sending) ? recordedView : unrouted(recordedView)
  // Skipped orders have no payload: nothing is sent for them.
  const recorded = payload === null ? null : (JSON.parse(payload) as Partial<OrderPayload>)
  return {
    ...view,
    request:
      recorded === null
        ? null
        : {
            purchase: recorded.purchase ?? null,
            contact: sending.options.createContacts ? (recorded.contact ?? null) : null,
          },
  }
}

/** The sending's answers over time, for its chart. */
export function sendingTimeline(
  context: AppContext,
  sendingId: number,
): ChannelResponse<'sending:timeline'> {
  return context.history.resultTimeline(sendingId)
}
