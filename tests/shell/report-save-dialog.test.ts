/**
 * The desktop app's save dialog for reports, with a fake of Electron's `dialog.showSaveDialog`:
 * parented to the main window while it is open, the report's default name in the Downloads
 * folder, a CSV filter, and a cancelled dialog answered as null.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  createReportSaveDialog,
  type SaveDialogOptionsLike,
  type SaveDialogResultLike,
} from '../../main/shell/report-save-dialog'

interface FakeWindow {
  readonly name: string
  destroyed: boolean
  isDestroyed(): boolean
}

function fakeWindow(name: string): FakeWindow {
  return {
    name,
    destroyed: false,
    isDestroyed() {
      return this.destroyed
    },
  }
}

const FILE = 'purchase-sender_shop_2025-01-01_2025-01-31_sending-7.csv'

function setup(options: {
  window: FakeWindow | null
  answer: SaveDialogResultLike
  downloads?: () => string
}) {
  const shown: { window: FakeWindow | null; options: SaveDialogOptionsLike }[] = []
  const dialog = createReportSaveDialog<FakeWindow>({
    showSaveDialog: (window, dialogOptions) => {
      shown.push({ window, options: dialogOptions })
      return Promise.resolve(options.answer)
    },
    window: () => options.window,
    downloadsDirectory: options.downloads ?? (() => '/home/merchant/Downloads'),
  })
  return { dialog, shown }
}

describe('createReportSaveDialog', () => {
  it('asks over the main window, offering the default name in Downloads and a CSV filter', async () => {
    const main = fakeWindow('main')
    const { dialog, shown } = setup({
      window: main,
      answer: { canceled: false, filePath: '/home/merchant/reports/july.csv' },
    })
    expect(await dialog.chooseReportPath(FILE)).toBe('/home/merchant/reports/july.csv')
    expect(shown).toEqual([
      {
        window: main,
        options: {
          defaultPath: path.join('/home/merchant/Downloads', FILE),
          filters: [{ name: 'CSV', extensions: ['csv'] }],
          properties: ['createDirectory', 'showOverwriteConfirmation'],
        },
      },
    ])
  })

  it('answers null when the dialog is cancelled or gives no file', async () => {
    for (const answer of [
      { canceled: true, filePath: '' },
      { canceled: true, filePath: '/ignored.csv' },
      { canceled: false, filePath: '' },
      { canceled: false },
    ]) {
      const { dialog } = setup({ window: fakeWindow('main'), answer })
      expect(await dialog.chooseReportPath(FILE)).toBeNull()
    }
  })

  it('stands alone when there is no window to attach to', async () => {
    const closed = fakeWindow('closed')
    closed.destroyed = true
    for (const window of [null, closed]) {
      const { dialog, shown } = setup({ window, answer: { canceled: false, filePath: '/r.csv' } })
      expect(await dialog.chooseReportPath(FILE)).toBe('/r.csv')
      expect(shown[0]?.window).toBeNull()
    }
  })

  it('offers the name alone when the Downloads folder is unknown', async () => {
    const { dialog, shown } = setup({
      window: fakeWindow('main'),
      answer: { canceled: true, filePath: '' },
      downloads: () => {
        throw new Error('Failed to get "downloads" path')
      },
    })
    expect(await dialog.chooseReportPath(FILE)).toBeNull()
    expect(shown[0]?.options.defaultPath).toBe(FILE)
  })
})
