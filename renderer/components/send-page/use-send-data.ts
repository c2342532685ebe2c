import { useEffect, useRef } from 'react'
import { useApi } from '../../api/api-context'
import { rememberStates } from '../state-names'
import {
  datesReady,
  isRateLimitValid,
  rateLimitValue,
  selectedOrders,
  toDay,
} from './send-selectors'
import type { SendDispatch, SendState } from './send-state'

/** Choices often change in bursts (ticking several statuses): the summary waits for a pause. */
const SUMMARY_PAUSE_MS = 250

/**
 * What the send page reads from main as the merchant chooses: the date rules while picking the
 * range, the store's statuses and order days for the profile, the orders per status and week of
 * the range, and the summary of what would be sent. Runs above the pages (send-page-store.tsx),
 * so what was read stays when the merchant comes back from another tab.
 */
export function useSendData(state: SendState, dispatch: SendDispatch): void {
  const api = useApi()
  const rulesRequest = useRef(0)
  const { profileId, from, to, stateIds, skipSent } = state
  const fromDay = toDay(from)
  const toDayValue = toDay(to)
  const ready = datesReady(state)
  const rateLimit = isRateLimitValid(state) ? rateLimitValue(state) : null
  const hasLookup = state.lookup !== null || state.lookupError !== null
  const orders = selectedOrders(state)

  // The date rules, asked as the merchant picks (today and the limits come from the shop's zone).
  useEffect(() => {
    if (profileId === '') return
    const request = ++rulesRequest.current
    dispatch({ type: 'rulesRequested' })
    const payload = {
      profileId,
      ...(from !== null ? { from: fromDay ?? 'invalid' } : {}),
      ...(to !== null ? { to: toDayValue ?? 'invalid' } : {}),
    }
    void api.sendingRules(payload).then((result) => {
      if (request !== rulesRequest.current) return
      dispatch({ type: 'rulesLoaded', profileId, result })
    })
  }, [api, dispatch, profileId, from, to, fromDay, toDayValue])

  // The store's statuses (in the profile's language), their groups and its order days.
  useEffect(() => {
    if (profileId === '' || hasLookup) return
    let live = true
    void api.lookupStore({ profileId }).then((result) => {
      if (!live) return
      if (result.ok) rememberStates(profileId, result.data.states)
      dispatch({ type: 'lookupLoaded', profileId, result })
    })
    return () => {
      live = false
    }
  }, [api, dispatch, profileId, hasLookup])

  // How many orders each status has in the range, and the range's orders per week for the chart:
  // asked together, so main reads them on one open store (through the Webservice, one listing).
  useEffect(() => {
    if (profileId === '' || !ready || !fromDay || !toDayValue) return
    let live = true
    dispatch({ type: 'countsRequested' })
    const range = { profileId, from: fromDay, to: toDayValue }
    void api.weeklyCounts(range).then((result) => {
      if (live) dispatch({ type: 'weeksLoaded', profileId, result })
    })
    void api.countOrders(range).then((result) => {
      if (live) dispatch({ type: 'countsLoaded', profileId, result })
    })
    return () => {
      live = false
    }
  }, [api, dispatch, profileId, ready, fromDay, toDayValue])

  // What the sending would do: the orders to send and those already sent (left out when
  // skipping them), the split across accounts, the estimated duration.
  const worthSumming = orders !== null && orders > 0
  useEffect(() => {
    if (profileId === '' || !ready || !fromDay || !toDayValue) return
    if (stateIds.length === 0 || rateLimit === null || !worthSumming) return
    let live = true
    dispatch({ type: 'summaryRequested' })
    const timer = setTimeout(() => {
      void api
        .sendingSummary({
          profileId,
          from: fromDay,
          to: toDayValue,
          stateIds: [...stateIds],
          rateLimit,
          skipSent,
        })
        .then((result) => {
          if (live) dispatch({ type: 'summaryLoaded', profileId, result })
        })
    }, SUMMARY_PAUSE_MS)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [
    api,
    dispatch,
    profileId,
    ready,
    fromDay,
    toDayValue,
    stateIds,
    rateLimit,
    skipSent,
    worthSumming,
  ])
}
