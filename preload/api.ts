/**
 * What the preload exposes on `window.purchaseSender`: the contract's `PurchaseSenderApi`, built
 * by `createApi` over IPC. Type-only for the renderer (it must never pull runtime code from the
 * preload), so this file re-exports types and one string constant.
 *
 * The renderer still treats the bridge as optional: browser mode and Playwright runs load the UI
 * without any preload, and build the same API over HTTP instead.
 */
export type { PurchaseSenderApi, Result, SendingEvent } from './contract'

/** The global the preload defines: `window.purchaseSender`. */
export const BRIDGE_KEY = 'purchaseSender'
