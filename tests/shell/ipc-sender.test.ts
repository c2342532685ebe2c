import { describe, expect, it } from 'vitest'
import { APP_ENTRY_URL } from '../../main/shell/app-protocol'
import { isTrustedSender, type IpcSenderEventLike } from '../../main/shell/ipc-sender'

const ENTRY = APP_ENTRY_URL
const DEV_ENTRY = 'http://localhost:5173/'

const mainWindow = { isDestroyed: () => false, webContents: { id: 7 } }

function event(senderId: number, url: string | null, parent: unknown = null): IpcSenderEventLike {
  return { sender: { id: senderId }, senderFrame: url === null ? null : { url, parent } }
}

describe('isTrustedSender', () => {
  it("accepts the main window's main frame on the app's own page", () => {
    expect(isTrustedSender(event(7, ENTRY), mainWindow, ENTRY)).toBe(true)
    expect(isTrustedSender(event(7, `${ENTRY}#/history`), mainWindow, ENTRY)).toBe(true)
    expect(isTrustedSender(event(7, 'app://purchase-sender/'), mainWindow, ENTRY)).toBe(true)
    expect(isTrustedSender(event(7, 'http://localhost:5173/#/'), mainWindow, DEV_ENTRY)).toBe(true)
  })

  it('refuses another window', () => {
    expect(isTrustedSender(event(8, ENTRY), mainWindow, ENTRY)).toBe(false)
  })

  it('refuses a subframe, even of the main window on an app URL', () => {
    expect(isTrustedSender(event(7, ENTRY, { url: ENTRY }), mainWindow, ENTRY)).toBe(false)
  })

  it('refuses a foreign URL in the main window', () => {
    for (const url of [
      'https://evil.example/',
      'file:///etc/passwd',
      'file:///tmp/index.html',
      'file:///opt/Purchase%20Sender/resources/app.asar/out/renderer/index.html',
      'app://evil.example/index.html',
      // The app's own files opened as a document are not its page.
      'app://purchase-sender/assets/logo.svg',
      'http://localhost:5174/',
      'data:text/html,<script></script>',
    ])
      expect(isTrustedSender(event(7, url), mainWindow, ENTRY), url).toBe(false)
    expect(isTrustedSender(event(7, 'http://localhost:5174/'), mainWindow, DEV_ENTRY)).toBe(false)
  })

  it('refuses when the frame is gone or there is no live main window', () => {
    expect(isTrustedSender(event(7, null), mainWindow, ENTRY)).toBe(false)
    expect(isTrustedSender(event(7, ENTRY), null, ENTRY)).toBe(false)
    expect(
      isTrustedSender(event(7, ENTRY), { ...mainWindow, isDestroyed: () => true }, ENTRY),
    ).toBe(false)
  })
})
