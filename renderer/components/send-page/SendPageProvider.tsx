import { useMemo, useReducer, type ReactNode } from 'react'
import type { AppInfo, ProfileView } from '../../../preload/contract'
import { SendPageContext } from './send-page-context'
import { initialSendState, sendReducer } from './send-state'
import { useSendData } from './use-send-data'

/**
 * Holds the send page's choices and what main answered for them, around every page of the app:
 * going to the history and back finds the profile, dates, statuses and options as they were.
 */
export function SendPageProvider(props: {
  readonly info: AppInfo
  readonly profiles: readonly ProfileView[]
  readonly children: ReactNode
}) {
  const { info, profiles } = props
  const [state, dispatch] = useReducer(sendReducer, undefined, () =>
    initialSendState({
      profileId: profiles[0]?.id ?? '',
      defaultStateIds: profiles[0]?.defaultStateIds ?? [],
      defaultRateLimit: info.defaultRateLimit,
    }),
  )
  useSendData(state, dispatch)
  const store = useMemo(() => ({ state, dispatch }), [state])
  return <SendPageContext.Provider value={store}>{props.children}</SendPageContext.Provider>
}
