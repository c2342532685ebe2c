import { createContext, useContext } from 'react'
import type { SendDispatch, SendState } from './send-state'

/** The send page's state, kept above the pages so another tab does not lose it. */
export interface SendPageStore {
  readonly state: SendState
  readonly dispatch: SendDispatch
}

export const SendPageContext = createContext<SendPageStore | null>(null)

export function useSendPageStore(): SendPageStore {
  const store = useContext(SendPageContext)
  if (!store) throw new Error('useSendPageStore() outside <SendPageProvider>')
  return store
}
