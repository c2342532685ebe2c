/**
 * "Open at login" for the desktop app: Electron's login items, launched with `--hidden` so the
 * app starts in the tray and its schedules run without a window. Windows and macOS only: Electron
 * cannot register a login item on Linux, where the setting says so (the user adds the app to the
 * desktop's startup applications instead).
 *
 * Electron's `app` is typed structurally (only the members used), so the tests drive this with a
 * fake and nothing here imports electron.
 */
import type { LoginItemControl } from '../app/app-settings'

/** The argument a login launch carries: start hidden, in the tray. */
export const HIDDEN_ARG = '--hidden'

export interface LoginItemSettingsLike {
  readonly openAtLogin: boolean
  /** macOS: the app was opened at login as hidden (no arguments reach it there). */
  readonly wasOpenedAsHidden?: boolean
}

/** The part of Electron's `app` used here. */
export interface LoginItemAppLike {
  getLoginItemSettings(options?: { args?: string[] }): LoginItemSettingsLike
  setLoginItemSettings(settings: {
    openAtLogin: boolean
    openAsHidden?: boolean
    args?: string[]
  }): void
}

/** The control the app service exposes as `settings:get` / `settings:save`. */
export function loginItemControl(
  app: LoginItemAppLike,
  platform: NodeJS.Platform,
): LoginItemControl {
  if (platform !== 'win32' && platform !== 'darwin') return { available: false, reason: 'platform' }
  const args = [HIDDEN_ARG]
  return {
    available: true,
    // Windows keeps one entry per executable and arguments: ask about the one we register.
    isEnabled: () =>
      app.getLoginItemSettings(platform === 'win32' ? { args } : undefined).openAtLogin,
    setEnabled: (openAtLogin) =>
      app.setLoginItemSettings({
        openAtLogin,
        args,
        // macOS passes no arguments to a login item: it hides the app itself.
        ...(platform === 'darwin' ? { openAsHidden: true } : {}),
      }),
  }
}

/** Whether this launch is a login launch, to start hidden in the tray. */
export function launchedHidden(
  argv: readonly string[],
  app: LoginItemAppLike,
  platform: NodeJS.Platform,
): boolean {
  if (argv.includes(HIDDEN_ARG)) return true
  if (platform !== 'darwin') return false
  try {
    return app.getLoginItemSettings().wasOpenedAsHidden === true
  } catch {
    return false
  }
}
