/**
 * The merchant's theme choice: follow the OS's `prefers-color-scheme`, or always light, or always
 * dark. MUI's ThemeProvider keeps it in localStorage under MODE_STORAGE_KEY (App.tsx passes these
 * settings) and reads it back before the first render.
 */
export const THEME_MODES = ['system', 'light', 'dark'] as const
export type ThemeMode = (typeof THEME_MODES)[number]

export const THEME_STORAGE = {
  modeStorageKey: 'purchase-sender.theme',
  colorSchemeStorageKey: 'purchase-sender.color-scheme',
  defaultMode: 'system',
  // Client-only: the saved mode is read before the first render, not after it.
  noSsr: true,
} as const
