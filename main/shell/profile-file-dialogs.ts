/**
 * The desktop app's "Export profiles…" and "Import profiles…": Electron's native save and open
 * dialogs, parented to the main window (modal to it), with a JSON filter; the save dialog offers
 * the file's default name in the Documents folder. They only answer which file: the app layer
 * (main/app/profile-transfer.ts) writes or reads it.
 *
 * Typed structurally, like report-save-dialog.ts: index.ts passes Electron's `dialog`, tests a
 * fake.
 */
import path from 'node:path'
import type { ProfileFileDialog } from '../app/profile-transfer'
import type { SaveDialogOptionsLike, SaveDialogResultLike } from './report-save-dialog'

/** The options of Electron's `dialog.showOpenDialog` this dialog sets. */
export interface OpenDialogOptionsLike {
  readonly defaultPath?: string
  readonly filters: { name: string; extensions: string[] }[]
  readonly properties: 'openFile'[]
}

/** What Electron's `dialog.showOpenDialog` resolves to. */
export interface OpenDialogResultLike {
  readonly canceled: boolean
  readonly filePaths: readonly string[]
}

export interface ProfileFileDialogOptions<Window> {
  /** `dialog.showSaveDialog(window, options)`, or without a window when `window` is null. */
  showSaveDialog(
    window: Window | null,
    options: SaveDialogOptionsLike,
  ): Promise<SaveDialogResultLike>
  /** `dialog.showOpenDialog(window, options)`, or without a window when `window` is null. */
  showOpenDialog(
    window: Window | null,
    options: OpenDialogOptionsLike,
  ): Promise<OpenDialogResultLike>
  /** The main window, when there is one. */
  window(): Window | null
  /** The folder offered first (`app.getPath('documents')`); none when it throws. */
  documentsDirectory(): string
}

const JSON_FILTER = [{ name: 'JSON', extensions: ['json'] }]

export function createProfileFileDialog<Window extends { isDestroyed(): boolean }>(
  options: ProfileFileDialogOptions<Window>,
): ProfileFileDialog {
  const parent = (): Window | null => {
    const window = options.window()
    return window && !window.isDestroyed() ? window : null
  }
  const documents = (): string | null => {
    try {
      return options.documentsDirectory()
    } catch {
      // No known Documents folder: the dialog opens where it last was.
      return null
    }
  }
  return {
    async chooseExportPath(defaultFileName) {
      const directory = documents()
      const { canceled, filePath } = await options.showSaveDialog(parent(), {
        defaultPath: directory ? path.join(directory, defaultFileName) : defaultFileName,
        filters: JSON_FILTER,
        // createDirectory: macOS; showOverwriteConfirmation: Linux (the others always ask).
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      })
      return canceled || !filePath ? null : filePath
    },
    async chooseImportPath() {
      const directory = documents()
      const { canceled, filePaths } = await options.showOpenDialog(parent(), {
        ...(directory ? { defaultPath: directory } : {}),
        filters: JSON_FILTER,
        properties: ['openFile'],
      })
      const file = filePaths[0]
      return canceled || file === undefined ? null : file
    },
  }
}
