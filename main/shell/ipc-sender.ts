/**
 * Who may call the contract's channels: the main window's WebContents, from its main frame, while
 * it shows the app's own page (`app://purchase-sender/index.html`, or the dev server's page). A
 * subframe, another window, another of the app's files opened as a document, or the main window
 * navigated away (which the navigation guards should already prevent) is refused.
 *
 * Typed structurally so tests pass plain objects; Electron's `IpcMainInvokeEvent` and
 * `BrowserWindow` fit these shapes.
 */
import { isAppPage } from './window-security'

/** The members of Electron's `IpcMainInvokeEvent` the check reads. */
export interface IpcSenderEventLike {
  readonly sender: { readonly id: number }
  /** Null when the frame has navigated or been destroyed. */
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null
}

/** The members of `BrowserWindow` the check reads. */
export interface SenderWindowLike {
  isDestroyed(): boolean
  readonly webContents: { readonly id: number }
}

export function isTrustedSender(
  event: IpcSenderEventLike,
  mainWindow: SenderWindowLike | null | undefined,
  entryUrl: string,
): boolean {
  if (!mainWindow || mainWindow.isDestroyed()) return false
  if (event.sender.id !== mainWindow.webContents.id) return false
  const frame = event.senderFrame
  // The main frame only: an iframe (were one ever loaded) has a parent.
  if (!frame || frame.parent !== null) return false
  return isAppPage(frame.url, entryUrl)
}
