/**
 * The app-wide settings the screens can change: for now, whether the desktop app opens when the
 * user logs in (hidden in the tray, so schedules run without a window). The setting lives with
 * the operating system, not in the history: the desktop shell hands in a control over it
 * (main/shell/login-item.ts); browser mode has none.
 */
import type { AppSettingsView, ChannelRequest, OpenAtLoginView } from '../../preload/contract'
import { AppError } from './app-errors'

/** The host's hold on "open at login". */
export type LoginItemControl =
  | {
      readonly available: true
      isEnabled(): boolean
      setEnabled(openAtLogin: boolean): void
    }
  | {
      readonly available: false
      /** `platform`: the OS has no login items Electron can set (Linux). */
      readonly reason: 'platform'
    }

/** Null in browser mode. */
function openAtLoginView(control: LoginItemControl | null): OpenAtLoginView {
  if (control === null) return { available: false, reason: 'browser' }
  if (!control.available) return { available: false, reason: control.reason }
  return { available: true, enabled: control.isEnabled() }
}

/** `control`: the desktop shell's; null in browser mode. */
export function appSettings(control: LoginItemControl | null): AppSettingsView {
  return { openAtLogin: openAtLoginView(control) }
}

/** AppError 'open_at_login_unavailable' (reason `browser` or `platform`) where it cannot be set. */
export function saveAppSettings(
  control: LoginItemControl | null,
  request: ChannelRequest<'settings:save'>,
): AppSettingsView {
  if (control === null || !control.available) {
    const reason = control === null ? 'browser' : control.reason
    throw new AppError(
      'open_at_login_unavailable',
      reason === 'browser'
        ? 'Browser mode cannot open at login: only the desktop app can.'
        : 'Opening at login is not available on this system: add Purchase Sender to the startup applications of your desktop instead.',
      { reason },
    )
  }
  control.setEnabled(request.openAtLogin)
  return appSettings(control)
}
