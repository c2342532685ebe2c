import type { PurchaseSenderApi } from '../preload/contract'

declare global {
  interface Window {
    // Optional: browser mode and Playwright runs load the UI without the Electron preload.
    readonly purchaseSender?: PurchaseSenderApi
  }
}

export {}
