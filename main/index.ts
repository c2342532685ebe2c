// Electron entry point: a thin shell that wires the window to the hardening in main/shell and the
// contract's channels to the application service. Business logic belongs in main/core and
// main/app, which never import electron.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  powerSaveBlocker,
  protocol,
  safeStorage,
  session,
  shell,
  Tray,
  type IpcMainInvokeEvent,
} from 'electron'
import path from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import iconPath from '../assets/icon.png?asset'
import { SENDING_EVENT_CHANNEL } from '../preload/contract'
import { createAppService, type AppService } from './app/app-service'
import { registerHandlers } from './app/ipc-registration'
import { logAppStart, openDiagnosticLogIn } from './app/diagnostics-use-cases'
import type { DiagnosticLog } from './core/logging/diagnostic-log'
import {
  DATA_DIRECTORY_ENV,
  historyDatabasePath,
  resolveDataDirectory,
} from './core/history/data-directory'
import { HistoryStore } from './core/history/history-store'
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
} from './shell/app-protocol'
import { DISABLE_UPDATES_ENV, loadElectronUpdater, startAutoUpdate } from './shell/auto-update'
import { BackgroundSending } from './shell/background-sending'
import { isTrustedSender } from './shell/ipc-sender'
import { launchedHidden, loginItemControl } from './shell/login-item'
import { createProfileFileDialog } from './shell/profile-file-dialogs'
import { createReportSaveDialog } from './shell/report-save-dialog'
import { SafeStorageSecretStore, SECRETS_FILE } from './shell/safe-storage-secret-store'
import { guardSession, guardWebContents, secureWebPreferences } from './shell/window-security'

const APP_ID = 'cloud.purchase-sender.app'

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url))

// electron-vite sets this only under `electron-vite dev`; a packaged app must never follow it.
const devServerUrl = (!app.isPackaged && process.env['ELECTRON_RENDERER_URL']) || undefined
// The built renderer loads from app://purchase-sender/ (main/shell/app-protocol.ts), never file://.
const entryUrl = devServerUrl ?? APP_ENTRY_URL

let mainWindow: BrowserWindow | null = null

/**
 * Where the history (and the encrypted secrets) live: Electron's userData, which is also the
 * command line's default, so both share one history; PURCHASE_SENDER_HOME moves it for both.
 */
function dataDirectory(): string {
  const override = process.env[DATA_DIRECTORY_ENV]
  return override !== undefined && override.trim() !== ''
    ? resolveDataDirectory()
    : app.getPath('userData')
}

/** Opens the history; on failure, explains it in a dialog (a startup error screen) and quits. */
function openHistory(directory: string, log: DiagnosticLog | null): HistoryStore | null {
  const file = historyDatabasePath(directory)
  try {
    return HistoryStore.open(file)
  } catch (error) {
    console.error('Opening the history failed:', error)
    log?.log({ event: 'bug', where: 'history', message: 'Opening the history failed', error })
    const reason = error instanceof Error ? error.message : String(error)
    dialog.showErrorBox(
      'Purchase Sender cannot open its history',
      [
        reason,
        '',
        `History file: ${file}`,
        'Nothing was changed. If another version of Purchase Sender wrote it, install that version ' +
          `or a newer one; otherwise check that the folder is readable and writable, or start the ` +
          `app with ${DATA_DIRECTORY_ENV} set to another folder.`,
      ].join('\n'),
    )
    return null
  }
}

/** `hidden`: a launch at login, which starts in the tray (the window shows from its icon). */
function createMainWindow(
  background: BackgroundSending<BrowserWindow, Menu>,
  hidden = false,
): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 800,
    minHeight: 600,
    title: 'Purchase Sender',
    show: false,
    ...(process.platform === 'linux' ? { icon: iconPath } : {}),
    webPreferences: secureWebPreferences(preloadPath),
  })
  mainWindow = window
  background.attachWindow(window)
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null
  })
  // Showing only once painted avoids a white flash on start.
  if (hidden) background.hideToTray()
  else window.once('ready-to-show', () => window.show())
  window.loadURL(entryUrl).catch((error: unknown) => {
    console.error('Failed to load the user interface:', error)
  })
  return window
}

function createBackground(
  service: AppService,
  history: HistoryStore,
): BackgroundSending<BrowserWindow, Menu> {
  return new BackgroundSending<BrowserWindow, Menu>({
    service,
    app,
    powerSaveBlocker,
    showMessageBox: (window, options) => dialog.showMessageBox(window, options),
    createNotification: (options) =>
      Notification.isSupported() ? new Notification({ ...options, icon: iconPath }) : null,
    createTray: () => {
      const size = process.platform === 'darwin' ? 16 : 32
      const tray = new Tray(
        nativeImage.createFromPath(iconPath).resize({ width: size, height: size }),
      )
      return tray
    },
    buildMenu: (template) => Menu.buildFromTemplate(template),
    describeSending: (sendingId) => history.findSending(sendingId),
    // Schedules run only while the app does: with one on, closing the window keeps the tray.
    stayInTray: () => history.schedules.hasEnabled(),
  })
}

async function start(): Promise<void> {
  await app.whenReady()
  guardSession(session.defaultSession, entryUrl)
  if (!devServerUrl) protocol.handle(APP_SCHEME, createAppProtocolHandler({ rendererDir }))
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID)

  const directory = dataDirectory()
  // The diagnostic log (<data directory>/logs): opened first, so a history that cannot open is
  // in it too. Without it (a read-only folder) the app runs all the same.
  const diagnosticLog = openDiagnosticLogIn(directory, {
    onError: (error) => console.error('The diagnostic log cannot be written:', error),
  })
  if (diagnosticLog)
    logAppStart(diagnosticLog, {
      mode: 'desktop',
      appVersion: app.getVersion(),
      dataDirectory: directory,
    })
  const history = openHistory(directory, diagnosticLog)
  if (!history) {
    app.exit(1)
    return
  }
  const secrets = new SafeStorageSecretStore({
    safeStorage,
    filePath: path.join(directory, SECRETS_FILE),
  })
  // Initialising the async encryptor may wait on a keyring prompt: never hold the window for it
  // (until it answers, the sync availability check decides).
  await Promise.race([secrets.init(), delay(5_000, undefined, { ref: false })])
  const service = createAppService({
    history,
    secrets,
    ...(diagnosticLog ? { diagnosticLog } : {}),
    // diagnostics:open-log-folder: '' when the folder opened, else why not.
    openPath: (folder) => shell.openPath(folder),
    host: {
      mode: 'electron',
      dataDirectory: directory,
      version: app.getVersion(),
      loginItem: loginItemControl(app, process.platform),
    },
    // report:save asks here where to write; the app layer streams the file from the history.
    reportDialog: createReportSaveDialog<BrowserWindow>({
      showSaveDialog: (window, options) =>
        window ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options),
      window: () => mainWindow,
      downloadsDirectory: () => app.getPath('downloads'),
    }),
    // profiles:export-save and profiles:import-open ask here which file; the app layer writes
    // or reads it.
    profileFileDialog: createProfileFileDialog<BrowserWindow>({
      showSaveDialog: (window, options) =>
        window ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options),
      showOpenDialog: (window, options) =>
        window
          ? dialog.showOpenDialog(window, { ...options, properties: [...options.properties] })
          : dialog.showOpenDialog({ ...options, properties: [...options.properties] }),
      window: () => mainWindow,
      documentsDirectory: () => app.getPath('documents'),
    }),
  })

  registerHandlers<IpcMainInvokeEvent>(ipcMain, service, {
    isTrustedSender: (event) => isTrustedSender(event, mainWindow, entryUrl),
  })
  // Progress goes to the main window only: no other WebContents ever hears it.
  service.onEvent((event) => {
    const window = mainWindow
    if (window && !window.isDestroyed()) window.webContents.send(SENDING_EVENT_CHANNEL, event)
  })

  const background = createBackground(service, history)
  // After the shell listens to the scheduled runs, so a run due at start is told too.
  service.startScheduler()
  // A sending that died without its 'finished' event must not keep the machine awake forever.
  setInterval(() => background.recheck(), 60_000).unref()
  app.on('will-quit', () => {
    history.close()
    diagnosticLog?.log({ event: 'app_stop', mode: 'desktop' })
    diagnosticLog?.close()
  })
  app.on('second-instance', () => {
    if (mainWindow) background.showWindow()
    else createMainWindow(background)
  })
  app.on('activate', () => {
    if (mainWindow) background.showWindow()
    else createMainWindow(background)
  })

  createMainWindow(background, launchedHidden(process.argv, app, process.platform))

  // Packaged apps only: checks the GitHub releases, downloads in the background, installs on quit.
  void startAutoUpdate({
    isPackaged: app.isPackaged,
    disabled: process.env[DISABLE_UPDATES_ENV] === '1',
    loadUpdater: loadElectronUpdater,
  })
}

// Enforce the sandbox for every renderer, even one created without our web preferences.
app.enableSandbox()

// Before `ready`, as Electron requires: app:// gets real origins and a secure context.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])

// Every WebContents, not just the main window's, so nothing created later escapes the guards.
app.on('web-contents-created', (_event, contents) => guardWebContents(contents, entryUrl))

app.on('window-all-closed', () => {
  // macOS apps stay alive without windows until the user quits explicitly.
  if (process.platform !== 'darwin') app.quit()
})

// One instance: two would share the history database and could run the same sendings twice.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  start().catch((error: unknown) => {
    console.error('Purchase Sender failed to start:', error)
    dialog.showErrorBox(
      'Purchase Sender failed to start',
      error instanceof Error ? error.message : String(error),
    )
    app.exit(1)
  })
}
