import { useEffect, useState } from 'react'
import type {
  ConnectionTest,
  CurrencyView,
  LanguageView,
  OrderStateView,
  ProfileView,
  ShopView,
} from '../../../preload/contract'
import { useApi } from '../../api/api-context'

/** The store's lists the profile form offers: from the saved profile's store, or a test. */
export interface StoreLists {
  readonly shops: readonly ShopView[]
  readonly languages: readonly LanguageView[]
  readonly currencies: readonly CurrencyView[]
  /** From the saved profile's store, or a connection test; null until read. */
  readonly states: readonly OrderStateView[] | null
}

const NONE: StoreLists = { shops: [], languages: [], currencies: [], states: null }

/**
 * Reads the lists of a saved profile's store once the form opens; a successful connection test
 * brings the lists of the store as the form describes it.
 */
export function useStoreLists(profile: ProfileView | null): {
  readonly lists: StoreLists
  readonly takeFromTest: (test: ConnectionTest) => void
} {
  const api = useApi()
  const [lists, setLists] = useState<StoreLists>(NONE)

  useEffect(() => {
    if (!profile) return
    let live = true
    void api.lookupStore({ profileId: profile.id }).then((result) => {
      if (!live || !result.ok) return
      const { shops, languages, currencies, states } = result.data
      setLists({ shops, languages, currencies, states })
    })
    return () => {
      live = false
    }
  }, [api, profile])

  const takeFromTest = (test: ConnectionTest) => {
    if (!test.store.ok) return
    const { shops, languages, currencies, states } = test.store
    // The states too, when the check read them: a new profile can choose its defaults before saving.
    setLists((old) => ({ ...old, shops, languages, currencies, states: states ?? old.states }))
  }
  return { lists, takeFromTest }
}
