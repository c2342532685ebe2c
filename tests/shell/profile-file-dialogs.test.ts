/**
 * The desktop app's dialogs for profiles files, with fakes of Electron's `dialog.showSaveDialog`
 * and `showOpenDialog`: parented to the main window while it is open, the file's default name in
 * the Documents folder, a JSON filter, and a cancelled dialog answered as null.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  createProfileFileDialog,
  type OpenDialogOptionsLike,
  type OpenDialogResultLike,
} from '../../main/shell/profile-file-dialogs'
import type {
  SaveDialogOptionsLike,
  SaveDialogResultLike,
} from '../../main/shell/report-save-dialog'

interface FakeWindow {
  destroyed: boolean
  isDestroyed(): boolean
}

function setup(options: {
  window: FakeWindow | null
  save?: SaveDialogResultLike
  open?: OpenDialogResultLike
  documents?: () => string
}) {
  const shown: { window: FakeWindow | null; options: unknown }[] = []
  const dialog = createProfileFileDialog<FakeWindow>({
    showSaveDialog: (window, dialogOptions: SaveDialogOptionsLike) => {
      shown.push({ window, options: dialogOptions })
      return Promise.resolve(options.save ?? { canceled: true })
    },
    showOpenDialog: (window, dialogOptions: OpenDialogOptionsLike) => {
      shown.push({ window, options: dialogOptions })
      return Promise.resolve(options.open ?? { canceled: true, filePaths: [] })
    },
    window: () => options.window,
    documentsDirectory: options.documents ?? (() => '/home/merchant/Documents'),
  })
  return { dialog, shown }
}

const window: FakeWindow = {
  destroyed: false,
  isDestroyed() {
    return this.destroyed
  },
}

describe('createProfileFileDialog', () => {
  it('asks where to export over the main window, offering the name in Documents', async () => {
    const { dialog, shown } = setup({
      window,
      save: { canceled: false, filePath: '/home/merchant/profiles.json' },
    })
    expect(await dialog.chooseExportPath('purchase-sender-profiles_2025-06-30.json')).toBe(
      '/home/merchant/profiles.json',
    )
    expect(shown).toEqual([
      {
        window,
        options: {
          defaultPath: path.join(
            '/home/merchant/Documents',
            'purchase-sender-profiles_2025-06-30.json',
          ),
          filters: [{ name: 'JSON', extensions: ['json'] }],
          properties: ['createDirectory', 'showOverwriteConfirmation'],
        },
      },
    ])
  })

  it('asks which file to import, one JSON file, starting in Documents', async () => {
    const { dialog, shown } = setup({
      window,
      open: { canceled: false, filePaths: ['/home/merchant/in.json'] },
    })
    expect(await dialog.chooseImportPath()).toBe('/home/merchant/in.json')
    expect(shown[0]?.options).toEqual({
      defaultPath: '/home/merchant/Documents',
      filters: [{ name: 'JSON', extensions: ['json'] }],
      properties: ['openFile'],
    })
  })

  it('answers null when cancelled, and stands alone without a window or a Documents folder', async () => {
    const closed: FakeWindow = { ...window, destroyed: true, isDestroyed: () => true }
    const { dialog, shown } = setup({
      window: closed,
      documents: () => {
        throw new Error('no Documents folder')
      },
    })
    expect(await dialog.chooseExportPath('p.json')).toBeNull()
    expect(await dialog.chooseImportPath()).toBeNull()
    expect(shown.map((entry) => entry.window)).toEqual([null, null])
    expect(shown[0]?.options).toMatchObject({ defaultPath: 'p.json' })
    expect(shown[1]?.options).not.toHaveProperty('defaultPath')
  })
})
