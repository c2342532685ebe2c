// Auto-update from the project's GitHub releases (electron-updater, `publish` in
// electron-builder.yml): checked once at start, downloaded in the background, installed when the
// app quits. Only a packaged desktop app updates itself: never `npm start`/`electron-vite dev`
// (app.isPackaged false), never browser mode or the command line (they never load this file).
// electron-updater itself is loaded only when an update check really starts, so development, the
// tests and the smoke test of the built bundle never load it.

/** The part of electron-updater's `autoUpdater` (an AppUpdater) used here. */
export interface AutoUpdaterLike {
  autoDownload: boolean
  autoInstallOnAppQuit: boolean
  on(event: 'error', listener: (error: Error, message?: string) => void): unknown
  on(event: 'update-available', listener: (info: { version: string }) => void): unknown
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown
  checkForUpdates(): Promise<unknown>
}

export interface UpdateLogger {
  info(message: string): void
  error(message: string, error?: unknown): void
}

export interface AutoUpdateOptions {
  /** Electron's `app.isPackaged`: false under `npm start` and `electron-vite dev`. */
  isPackaged: boolean
  /** Set by PURCHASE_SENDER_DISABLE_UPDATES=1 (the packaged-app tests, managed installs). */
  disabled?: boolean
  /** Loads the updater; called only when updates are checked. */
  loadUpdater: () => Promise<AutoUpdaterLike>
  logger?: UpdateLogger
}

export type AutoUpdateStart =
  | { started: false; reason: 'development' | 'disabled' | 'load-failed' }
  | { started: true; updater: AutoUpdaterLike }

export const DISABLE_UPDATES_ENV = 'PURCHASE_SENDER_DISABLE_UPDATES'

const consoleLogger: UpdateLogger = {
  info: (message) => console.info(`[auto-update] ${message}`),
  error: (message, error) => console.error(`[auto-update] ${message}`, error ?? ''),
}

/**
 * Starts the update check. Never throws nor rejects: a failed check (offline, no release yet, an
 * unsigned macOS build) is logged and the app goes on as it is.
 */
export async function startAutoUpdate(options: AutoUpdateOptions): Promise<AutoUpdateStart> {
  const logger = options.logger ?? consoleLogger
  if (!options.isPackaged) return { started: false, reason: 'development' }
  if (options.disabled) {
    logger.info(`updates disabled (${DISABLE_UPDATES_ENV})`)
    return { started: false, reason: 'disabled' }
  }
  let updater: AutoUpdaterLike
  try {
    updater = await options.loadUpdater()
  } catch (error) {
    logger.error('could not load the updater', error)
    return { started: false, reason: 'load-failed' }
  }
  updater.autoDownload = true
  updater.autoInstallOnAppQuit = true
  updater.on('error', (error) => logger.error('update failed', error))
  updater.on('update-available', (info) =>
    logger.info(`version ${info.version} available, downloading in the background`),
  )
  updater.on('update-downloaded', (info) =>
    logger.info(`version ${info.version} downloaded; it installs when the app quits`),
  )
  try {
    await updater.checkForUpdates()
  } catch (error) {
    logger.error('update check failed', error)
  }
  return { started: true, updater }
}

/** electron-updater's `autoUpdater` for this platform (loads electron-updater, and so electron). */
export async function loadElectronUpdater(): Promise<AutoUpdaterLike> {
  // electron-updater is CommonJS and defines `autoUpdater` with a getter, which Node's ESM import
  // exposes only on the default export.
  const updaterModule: {
    autoUpdater?: AutoUpdaterLike
    default?: { autoUpdater?: AutoUpdaterLike }
  } = await import('electron-updater')
  const updater = updaterModule.default?.autoUpdater ?? updaterModule.autoUpdater
  if (!updater) throw new Error('electron-updater has no autoUpdater')
  return updater
}
