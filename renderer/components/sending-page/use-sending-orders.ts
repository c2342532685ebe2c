/**
 * A page of a sending's orders, asked of main as the grid shows it: filtered by result, searched,
 * sorted and paged in the history database (`listSendingOrders`), never loaded whole.
 */
import { useEffect, useState } from 'react'
import type {
  AppErrorValue,
  ChannelRequestInput,
  OrderResultView,
  SendingOrderView,
} from '../../../preload/contract'
import { useApi } from '../../api/api-context'

export type OrdersSortField = 'orderId' | 'orderDate' | 'sentAt' | 'attempts'

export const SORTABLE_FIELDS: readonly OrdersSortField[] = [
  'orderId',
  'orderDate',
  'sentAt',
  'attempts',
]

export interface OrdersQuery {
  readonly result: OrderResultView | null
  /** With a result: only its orders of this reason (SendingView's `reasons`); null for all. */
  readonly reason: string | null
  /** As typed, already debounced; '' for none. */
  readonly search: string
  /** From 0. */
  readonly page: number
  readonly pageSize: number
  readonly sort: { readonly field: OrdersSortField; readonly direction: 'asc' | 'desc' } | null
}

/** The request a query makes (what the unit tests check). */
export function ordersRequest(
  sendingId: number,
  query: OrdersQuery,
): ChannelRequestInput<'sending:orders'> {
  const search = query.search.trim()
  return {
    sendingId,
    result: query.result,
    ...(query.result !== null && query.reason !== null ? { reason: query.reason } : {}),
    search: search === '' ? null : search,
    page: query.page,
    pageSize: query.pageSize,
    ...(query.sort ? { sort: query.sort } : {}),
  }
}

export interface OrdersState {
  readonly rows: readonly SendingOrderView[]
  readonly total: number
  readonly loading: boolean
  readonly error: AppErrorValue | null
}

/** The orders `query` selects; asked again when it changes or `reloadKey` goes up. */
export function useSendingOrders(
  sendingId: number,
  query: OrdersQuery,
  reloadKey: number,
): OrdersState {
  const api = useApi()
  const [state, setState] = useState<OrdersState>({
    rows: [],
    total: 0,
    loading: true,
    error: null,
  })
  const { result, reason, search, page, pageSize, sort } = query
  const sortField = sort?.field
  const sortDirection = sort?.direction

  useEffect(() => {
    let current = true
    setState((previous) => ({ ...previous, loading: true }))
    const request = ordersRequest(sendingId, {
      result,
      reason,
      search,
      page,
      pageSize,
      sort: sortField && sortDirection ? { field: sortField, direction: sortDirection } : null,
    })
    void api.listSendingOrders(request).then((answer) => {
      // A later query (or reload) answers for itself: this one is out of date.
      if (!current) return
      if (answer.ok)
        setState({ rows: answer.data.rows, total: answer.data.total, loading: false, error: null })
      else setState((previous) => ({ ...previous, loading: false, error: answer.error }))
    })
    return () => {
      current = false
    }
  }, [api, sendingId, result, reason, search, page, pageSize, sortField, sortDirection, reloadKey])

  return state
}
