import { useEffect, useRef } from 'react'
import { useApi } from '../../api/api-context'
import { rememberStates } from '../state-names'
import { rateLimitValue, toDay } from './wizard-selectors'
import type { WizardDispatch, WizardState } from './wizard-state'
import { DATES_STEP, STATUSES_STEP, SUMMARY_STEP } from './wizard-steps'

/**
 * What the wizard reads from main as the merchant moves through it: the date rules while picking
 * the range, the store's statuses with their order counts, and the summary before sending.
 */
export function useWizardData(state: WizardState, dispatch: WizardDispatch): void {
  const api = useApi()
  const rulesRequest = useRef(0)
  const { step, profileId, from, to, stateIds, skipSent } = state
  const fromDay = toDay(from)
  const toDayValue = toDay(to)
  const rateLimit = rateLimitValue(state)

  // The date rules, asked as the user picks (today and the limits come from the shop's zone).
  useEffect(() => {
    if (profileId === '' || step !== DATES_STEP) return
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
  }, [api, dispatch, profileId, step, from, to, fromDay, toDayValue])

  // The store's statuses (in the profile's language) and how many orders each has in the range,
  // and the range's orders per week for the chart: asked together, so main reads them on one
  // open store (and, through the Webservice, from one listing of the range).
  useEffect(() => {
    if (profileId === '' || step !== STATUSES_STEP || !fromDay || !toDayValue) return
    let live = true
    dispatch({ type: 'statusesRequested' })
    void api.weeklyCounts({ profileId, from: fromDay, to: toDayValue }).then((result) => {
      if (live) dispatch({ type: 'weeksLoaded', result })
    })
    void Promise.all([
      api.lookupStore({ profileId }),
      api.countOrders({ profileId, from: fromDay, to: toDayValue }),
    ]).then(([lookupResult, countResult]) => {
      if (!live) return
      if (!lookupResult.ok) return dispatch({ type: 'statusesFailed', error: lookupResult.error })
      if (!countResult.ok) return dispatch({ type: 'statusesFailed', error: countResult.error })
      rememberStates(profileId, lookupResult.data.states)
      dispatch({ type: 'statusesLoaded', lookup: lookupResult.data, counts: countResult.data })
    })
    return () => {
      live = false
    }
  }, [api, dispatch, profileId, step, fromDay, toDayValue])

  // What the sending would do: orders to send (and those already sent, left out when skipping
  // them), the split across accounts, the estimated duration.
  useEffect(() => {
    if (step !== SUMMARY_STEP || profileId === '' || !fromDay || !toDayValue) return
    let live = true
    dispatch({ type: 'summaryRequested' })
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
        if (live) dispatch({ type: 'summaryLoaded', result })
      })
    return () => {
      live = false
    }
  }, [api, dispatch, step, profileId, fromDay, toDayValue, stateIds, rateLimit, skipSent])
}
