/**
 * What the preload exposes on `window.purchaseSender`. Type-only for the renderer: it must never
 * pull runtime code from here, so keep this file free of imports.
 *
 * Placeholder until the IPC contract lands; the renderer treats the bridge as optional because
 * browser mode and Playwright runs load the UI without any preload.
 */
export interface PurchaseSenderApi {
  /** The app's version, baked in at build time. */
  readonly version: string
}

export const BRIDGE_KEY = 'purchaseSender'
