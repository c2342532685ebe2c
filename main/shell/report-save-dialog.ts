/**
 * The desktop app's "Save report as…": Electron's native save dialog, parented to the main window
 * (modal to it, so the report cannot be asked for twice at once), offering the report's default
 * file name in the Downloads folder and a CSV filter. It only answers where to write: the app layer
 * (main/app/report-files.ts) writes the file.
 *
 * Typed structurally, like the rest of main/shell: index.ts passes `dialog.showSaveDialog`, tests
 * a fake.
 */
import path from 'node:path'
import type { ReportSaveDialog } from '../app/report-files'

/** The options of Electron's `dialog.showSaveDialog` this dialog sets. */
export interface SaveDialogOptionsLike {
  readonly defaultPath: string
  readonly filters: { name: string; extensions: string[] }[]
  readonly properties: ('createDirectory' | 'showOverwriteConfirmation')[]
}

/** What Electron's `dialog.showSaveDialog` resolves to (`filePath` is '' when cancelled). */
export interface SaveDialogResultLike {
  readonly canceled: boolean
  readonly filePath?: string
}

export interface ReportSaveDialogOptions<Window> {
  /**
   * `dialog.showSaveDialog(window, options)`, or `dialog.showSaveDialog(options)` when `window` is
   * null (no window to attach to: the dialog then stands alone).
   */
  showSaveDialog(
    window: Window | null,
    options: SaveDialogOptionsLike,
  ): Promise<SaveDialogResultLike>
  /** The main window, when there is one. */
  window(): Window | null
  /** The folder offered first (`app.getPath('downloads')`); the file name alone when it throws. */
  downloadsDirectory(): string
}

export function createReportSaveDialog<Window extends { isDestroyed(): boolean }>(
  options: ReportSaveDialogOptions<Window>,
): ReportSaveDialog {
  return {
    async chooseReportPath(defaultFileName) {
      let directory: string | null = null
      try {
        directory = options.downloadsDirectory()
      } catch {
        // No known Downloads folder (some Linux desktops): the dialog opens where it last was.
      }
      const window = options.window()
      const { canceled, filePath } = await options.showSaveDialog(
        window && !window.isDestroyed() ? window : null,
        {
          defaultPath: directory ? path.join(directory, defaultFileName) : defaultFileName,
          filters: [{ name: 'CSV', extensions: ['csv'] }],
          // createDirectory: macOS; showOverwriteConfirmation: Linux (the others always ask).
          properties: ['createDirectory', 'showOverwriteConfirmation'],
        },
      )
      return canceled || !filePath ? null : filePath
    },
  }
}
