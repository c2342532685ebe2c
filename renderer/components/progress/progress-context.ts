import { createContext, useContext } from 'react'

/**
 * Opens the progress window of a sending running here. AppShell owns the window (one at a time)
 * and provides this; every screen that shows a running sending (the history, its page, the app
 * bar) reopens it after "Continue in background". Null where no window can open (a test's tree).
 */
export const ShowProgressContext = createContext<((sendingId: number) => void) | null>(null)

export function useShowProgress(): ((sendingId: number) => void) | null {
  return useContext(ShowProgressContext)
}
