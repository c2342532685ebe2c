import { describe, expect, it } from 'vitest'
import {
  HIDDEN_ARG,
  launchedHidden,
  loginItemControl,
  type LoginItemAppLike,
  type LoginItemSettingsLike,
} from '../../main/shell/login-item'

/** Electron's login items as a fake: what was set, and what it answers. */
function fakeApp(answer: Partial<LoginItemSettingsLike> = {}) {
  const set: Parameters<LoginItemAppLike['setLoginItemSettings']>[0][] = []
  const asked: (Parameters<LoginItemAppLike['getLoginItemSettings']>[0] | undefined)[] = []
  let openAtLogin = answer.openAtLogin ?? false
  const app: LoginItemAppLike = {
    getLoginItemSettings(options) {
      asked.push(options)
      return { ...answer, openAtLogin }
    },
    setLoginItemSettings(settings) {
      set.push(settings)
      openAtLogin = settings.openAtLogin
    },
  }
  return { app, set, asked }
}

describe('loginItemControl', () => {
  it('registers the app with --hidden on Windows, and asks about that entry', () => {
    const fake = fakeApp()
    const control = loginItemControl(fake.app, 'win32')
    if (!control.available) throw new Error('expected available')
    expect(control.isEnabled()).toBe(false)
    control.setEnabled(true)
    expect(fake.set).toEqual([{ openAtLogin: true, args: [HIDDEN_ARG] }])
    expect(control.isEnabled()).toBe(true)
    expect(fake.asked).toEqual([{ args: [HIDDEN_ARG] }, { args: [HIDDEN_ARG] }])
    control.setEnabled(false)
    expect(fake.set[1]).toEqual({ openAtLogin: false, args: [HIDDEN_ARG] })
  })

  it('opens hidden on macOS', () => {
    const fake = fakeApp()
    const control = loginItemControl(fake.app, 'darwin')
    if (!control.available) throw new Error('expected available')
    control.setEnabled(true)
    expect(fake.set).toEqual([{ openAtLogin: true, args: [HIDDEN_ARG], openAsHidden: true }])
  })

  it('is not available on Linux, and never touches Electron there', () => {
    const fake = fakeApp()
    expect(loginItemControl(fake.app, 'linux')).toEqual({ available: false, reason: 'platform' })
    expect(fake.asked).toEqual([])
    expect(fake.set).toEqual([])
  })
})

describe('launchedHidden', () => {
  it('is true for a launch with --hidden, on any system', () => {
    for (const platform of ['win32', 'linux', 'darwin'] as const)
      expect(launchedHidden(['app', HIDDEN_ARG], fakeApp().app, platform)).toBe(true)
    expect(launchedHidden(['app'], fakeApp().app, 'win32')).toBe(false)
  })

  it('asks macOS whether it opened the app hidden at login', () => {
    expect(launchedHidden(['app'], fakeApp({ wasOpenedAsHidden: true }).app, 'darwin')).toBe(true)
    expect(launchedHidden(['app'], fakeApp({ wasOpenedAsHidden: false }).app, 'darwin')).toBe(false)
    // Only macOS is asked.
    expect(launchedHidden(['app'], fakeApp({ wasOpenedAsHidden: true }).app, 'linux')).toBe(false)
  })
})
