import { createContext, useContext } from 'react'
import type { PurchaseSenderApi } from '../../preload/contract'

export const ApiContext = createContext<PurchaseSenderApi | null>(null)

export function useApi(): PurchaseSenderApi {
  const api = useContext(ApiContext)
  if (!api) throw new Error('useApi() outside <ApiContext.Provider>')
  return api
}
