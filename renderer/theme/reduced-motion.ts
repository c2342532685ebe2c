/**
 * The one place the renderer reads the OS's motion preference (`prefers-reduced-motion`), for
 * what the theme cannot switch off by itself (MUI X Charts' `skipAnimation`). MUI's own
 * transitions, ripples and progress animations follow it through the theme
 * (`motion.reducedMotion: 'system'`, app-theme.ts).
 */
import { useSyncExternalStore } from 'react'

export const REDUCED_MOTION_QUERY = '(prefers-reduced-motion: reduce)'

function mediaQuery(): MediaQueryList | null {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function'
    ? window.matchMedia(REDUCED_MOTION_QUERY)
    : null
}

function subscribe(notify: () => void): () => void {
  const query = mediaQuery()
  query?.addEventListener('change', notify)
  return () => query?.removeEventListener('change', notify)
}

/** Whether the OS asks for reduced motion now (false where it cannot be asked). */
export function prefersReducedMotion(): boolean {
  return mediaQuery()?.matches ?? false
}

/** Whether the OS asks for reduced motion, following changes while the app runs. */
export function useReducedMotion(): boolean {
  return useSyncExternalStore(subscribe, prefersReducedMotion, () => false)
}
