// Electron entry point: a thin shell that wires the window to the hardening in main/shell.
// Business logic belongs in main/core, which never imports electron.
import { app, BrowserWindow, session } from 'electron'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { guardSession, guardWebContents, secureWebPreferences } from './shell/window-security'

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
const rendererIndexPath = fileURLToPath(new URL('../renderer/index.html', import.meta.url))

// electron-vite sets this only under `electron-vite dev`; a packaged app must never follow it.
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']
const entryUrl = devServerUrl ?? pathToFileURL(rendererIndexPath).href

// Enforce the sandbox for every renderer, even one created without our web preferences.
app.enableSandbox()

// Every WebContents, not just the main window's, so nothing created later escapes the guards.
app.on('web-contents-created', (_event, contents) => guardWebContents(contents, entryUrl))

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 800,
    minHeight: 600,
    title: 'Purchase Sender',
    show: false,
    webPreferences: secureWebPreferences(preloadPath),
  })
  // Showing only once painted avoids a white flash on start.
  window.once('ready-to-show', () => window.show())
  const loading = devServerUrl ? window.loadURL(devServerUrl) : window.loadFile(rendererIndexPath)
  loading.catch((error: unknown) => {
    console.error('Failed to load the user interface:', error)
  })
  return window
}

app.on('window-all-closed', () => {
  // macOS apps stay alive without windows until the user quits explicitly.
  if (process.platform !== 'darwin') app.quit()
})

app
  .whenReady()
  .then(() => {
    guardSession(session.defaultSession, entryUrl)
    createMainWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow()
    })
  })
  .catch((error: unknown) => {
    console.error('Purchase Sender failed to start:', error)
    app.exit(1)
  })
