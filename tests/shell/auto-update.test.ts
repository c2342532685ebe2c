/**
 * The auto-update wiring with a fake autoUpdater (electron and electron-updater are never loaded):
 * nothing happens in development, a packaged app checks at start, downloads in the background and
 * installs on quit, and every failure is logged, never thrown.
 */
import { describe, expect, it, vi } from 'vitest'
import {
  startAutoUpdate,
  type AutoUpdaterLike,
  type UpdateLogger,
} from '../../main/shell/auto-update'

type Listener = (...args: never[]) => void

function fakeUpdater(check: () => Promise<unknown> = async () => null) {
  const listeners = new Map<string, Listener[]>()
  const updater = {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    on(event: string, listener: Listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener])
      return updater
    },
    checkForUpdates: vi.fn(check),
    quitAndInstall: vi.fn(),
    emit(event: string, ...args: unknown[]) {
      for (const listener of listeners.get(event) ?? [])
        (listener as (...a: unknown[]) => void)(...args)
    },
  }
  const typed: AutoUpdaterLike = updater
  return { updater, typed }
}

function recordingLogger() {
  const lines: string[] = []
  const errors: unknown[] = []
  const logger: UpdateLogger = {
    info: (message) => lines.push(`info: ${message}`),
    error: (message, error) => {
      lines.push(`error: ${message}`)
      errors.push(error)
    },
  }
  return { logger, lines, errors }
}

describe('startAutoUpdate', () => {
  it('does nothing in development: the updater is never even loaded', async () => {
    const loadUpdater = vi.fn(async () => fakeUpdater().typed)
    const { logger, lines } = recordingLogger()
    const result = await startAutoUpdate({ isPackaged: false, loadUpdater, logger })
    expect(result).toEqual({ started: false, reason: 'development' })
    expect(loadUpdater).not.toHaveBeenCalled()
    expect(lines).toEqual([])
  })

  it('does nothing when disabled by the environment variable', async () => {
    const loadUpdater = vi.fn(async () => fakeUpdater().typed)
    const { logger } = recordingLogger()
    const result = await startAutoUpdate({ isPackaged: true, disabled: true, loadUpdater, logger })
    expect(result).toEqual({ started: false, reason: 'disabled' })
    expect(loadUpdater).not.toHaveBeenCalled()
  })

  it('checks once at start and downloads in the background', async () => {
    const { updater, typed } = fakeUpdater()
    const { logger, lines } = recordingLogger()
    const result = await startAutoUpdate({
      isPackaged: true,
      loadUpdater: async () => typed,
      logger,
    })
    expect(result.started).toBe(true)
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1)
    expect(updater.autoDownload).toBe(true)
    updater.emit('update-available', { version: '9.9.9' })
    expect(lines).toContain('info: version 9.9.9 available, downloading in the background')
  })

  it('installs on quit once downloaded, never restarting the app by itself', async () => {
    const { updater, typed } = fakeUpdater()
    const { logger, lines } = recordingLogger()
    await startAutoUpdate({ isPackaged: true, loadUpdater: async () => typed, logger })
    expect(updater.autoInstallOnAppQuit).toBe(true)
    updater.emit('update-downloaded', { version: '9.9.9' })
    expect(lines).toContain('info: version 9.9.9 downloaded; it installs when the app quits')
    // A sending may be running: the app is never quit for the update.
    expect(updater.quitAndInstall).not.toHaveBeenCalled()
  })

  it('logs errors instead of throwing them', async () => {
    const offline = new Error('net::ERR_INTERNET_DISCONNECTED')
    const { updater, typed } = fakeUpdater(() => Promise.reject(offline))
    const { logger, lines, errors } = recordingLogger()
    const result = await startAutoUpdate({
      isPackaged: true,
      loadUpdater: async () => typed,
      logger,
    })
    expect(result.started).toBe(true)
    expect(lines).toContain('error: update check failed')
    expect(errors).toContain(offline)

    const later = new Error('sha512 checksum mismatch')
    expect(() => updater.emit('error', later)).not.toThrow()
    expect(lines).toContain('error: update failed')
    expect(errors).toContain(later)
  })

  it('logs a synchronous throw of the check and a failed load', async () => {
    const { typed } = fakeUpdater(() => {
      throw new Error('no app-update.yml')
    })
    const first = recordingLogger()
    await expect(
      startAutoUpdate({ isPackaged: true, loadUpdater: async () => typed, logger: first.logger }),
    ).resolves.toMatchObject({ started: true })
    expect(first.lines).toContain('error: update check failed')

    const second = recordingLogger()
    const result = await startAutoUpdate({
      isPackaged: true,
      loadUpdater: () => Promise.reject(new Error('cannot load')),
      logger: second.logger,
    })
    expect(result).toEqual({ started: false, reason: 'load-failed' })
    expect(second.lines).toEqual(['error: could not load the updater'])
  })
})
