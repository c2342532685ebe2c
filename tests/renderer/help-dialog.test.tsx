// @vitest-environment happy-dom
/**
 * Issue 17, help and diagnostics: the app bar's help button (a named button) opens a dialog with
 * a title that shows the version, the data folder, the history's schema version and size in the
 * UI's language, the log file; "Open the log folder" in the desktop app, the folder's path in
 * browser mode; "Copy diagnostics" puts the diagnostics' text on the clipboard. Keyboard: Escape
 * closes it and the focus goes back to the button.
 */
import { cleanup, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { DiagnosticsView } from '../../preload/contract'
import { AppShell } from '../../renderer/components/AppShell'
import { appInfo, failure, fakeApi, ok } from './fake-api'
import { renderWithApp } from './render-with-app'

function diagnostics(overrides: Partial<DiagnosticsView> = {}): DiagnosticsView {
  return {
    version: '0.1.0',
    mode: 'electron',
    dataDirectory: '/home/merchant/.config/Purchase Sender',
    versions: {
      app: '0.1.0',
      node: '22.20.0',
      electron: '45.5.0',
      chrome: '142.0',
      sqlite: '3.50.4',
    },
    os: { platform: 'linux', release: '6.8.0', arch: 'x64' },
    history: {
      schemaVersion: 8,
      latestSchemaVersion: 8,
      databaseBytes: 1_500_000,
      walBytes: 32_000,
      totalBytes: 1_532_000,
      lastRetention: null,
    },
    counts: { profiles: 2, sendings: 14, orders: 12_345 },
    log: {
      directory: '/home/merchant/.config/Purchase Sender/logs',
      file: '/home/merchant/.config/Purchase Sender/logs/purchase-sender.log',
      maxFiles: 5,
      maxFileBytes: 2_097_152,
    },
    canOpenLogFolder: true,
    recentProblems: [
      {
        time: '2025-06-30T08:00:00.000Z',
        level: 'warn',
        event: 'failure',
        code: 'store_access_denied',
        message: 'The store refused the user.',
      },
    ],
    text: 'Purchase Sender 0.1.0 (desktop app)\nLast problems (newest first):\n  store_access_denied',
    ...overrides,
  }
}

afterEach(() => cleanup())

async function openHelp(view: DiagnosticsView, language: 'en' | 'es' = 'en') {
  const api = fakeApi({
    appInfo: () => Promise.resolve(ok(appInfo({ mode: view.mode }))),
    diagnostics: () => Promise.resolve(ok(view)),
    openLogFolder: () => Promise.resolve(ok({ opened: true, path: view.log?.directory ?? '' })),
  })
  const rendered = renderWithApp(<AppShell />, { api, language })
  const name = language === 'en' ? 'Help and diagnostics' : 'Ayuda y diagnóstico'
  const button = await screen.findByRole('button', { name })
  await rendered.user.click(button)
  const dialog = await screen.findByRole('dialog', { name })
  return { ...rendered, button, dialog }
}

describe('Help and diagnostics', () => {
  it('shows the version, data folder, history and log, and opens the log folder', async () => {
    const view = diagnostics()
    const { dialog, user, api } = await openHelp(view)
    await within(dialog).findByText('/home/merchant/.config/Purchase Sender')
    expect(within(dialog).getByText('Desktop app')).toBeTruthy()
    expect(within(dialog).getByText('Electron 45.5.0 · Node 22.20.0 · SQLite 3.50.4')).toBeTruthy()
    expect(within(dialog).getByText('8 (this version of the app knows up to 8)')).toBeTruthy()
    expect(within(dialog).getByText('1.5 MB (database 1.5 MB, write-ahead log 32 kB)')).toBeTruthy()
    expect(within(dialog).getByText('2 profiles · 14 sendings · 12,345 orders')).toBeTruthy()
    expect(
      within(dialog).getByText('/home/merchant/.config/Purchase Sender/logs/purchase-sender.log'),
    ).toBeTruthy()
    expect(within(dialog).getByText(/at most 5 files of 2\.1 MB/)).toBeTruthy()
    const problems = within(dialog).getByRole('table', { name: 'Last problems in the log' })
    expect(within(problems).getByText('store_access_denied')).toBeTruthy()
    expect(within(problems).getByText('Warning')).toBeTruthy()

    await user.click(within(dialog).getByRole('button', { name: 'Open the log folder' }))
    expect(api.requests('openLogFolder')).toHaveLength(1)
  })

  it('copies the diagnostics text and says so', async () => {
    const view = diagnostics()
    const { dialog, user } = await openHelp(view)
    await within(dialog).findByText('/home/merchant/.config/Purchase Sender')
    await user.click(within(dialog).getByRole('button', { name: 'Copy diagnostics' }))
    // user-event puts a clipboard of its own in place of the browser's.
    expect(await navigator.clipboard.readText()).toBe(view.text)
    expect(within(dialog).getByRole('status').textContent).toBe(
      'Diagnostics copied: paste them into your message.',
    )
  })

  it('in browser mode shows where the log folder is instead of opening it, in Spanish', async () => {
    const view = diagnostics({
      mode: 'browser',
      canOpenLogFolder: false,
      versions: { app: '0.1.0', node: '20.19.0', electron: null, chrome: null, sqlite: '3.50.4' },
      recentProblems: [],
    })
    const { dialog } = await openHelp(view, 'es')
    await within(dialog).findByText('/home/merchant/.config/Purchase Sender')
    expect(within(dialog).getByText('Modo navegador')).toBeTruthy()
    expect(within(dialog).getByText('Node 20.19.0 · SQLite 3.50.4')).toBeTruthy()
    // Bytes and numbers in the UI's language.
    expect(
      within(dialog).getByText(
        '1,5 MB (base de datos 1,5 MB, registro de escritura anticipada 32 kB)',
      ),
    ).toBeTruthy()
    expect(within(dialog).getByText('2 perfiles · 14 envíos · 12.345 pedidos')).toBeTruthy()
    expect(
      within(dialog).queryByRole('button', { name: 'Abrir la carpeta del registro' }),
    ).toBeNull()
    expect(within(dialog).getByText('/home/merchant/.config/Purchase Sender/logs')).toBeTruthy()
    expect(within(dialog).getByText('El registro no anota ningún problema.')).toBeTruthy()
  })

  it('says why the folder did not open, in the user language', async () => {
    const api = fakeApi({
      diagnostics: () => Promise.resolve(ok(diagnostics())),
      openLogFolder: () =>
        Promise.resolve(
          failure({
            code: 'log_folder_open_failed',
            message: 'The log folder /x could not be opened: no file manager',
            params: { path: '/x', reason: 'no file manager' },
          }),
        ),
    })
    const { user } = renderWithApp(<AppShell />, { api, language: 'es' })
    await user.click(await screen.findByRole('button', { name: 'Ayuda y diagnóstico' }))
    const dialog = await screen.findByRole('dialog', { name: 'Ayuda y diagnóstico' })
    await user.click(
      await within(dialog).findByRole('button', { name: 'Abrir la carpeta del registro' }),
    )
    expect(
      await within(dialog).findByText(
        'No se ha podido abrir la carpeta del registro /x: no file manager',
      ),
    ).toBeTruthy()
  })

  it('closes with Escape and gives the focus back to its button', async () => {
    const { dialog, user, button } = await openHelp(diagnostics())
    await within(dialog).findByText('/home/merchant/.config/Purchase Sender')
    await user.keyboard('{Escape}')
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(document.activeElement).toBe(button)
  })
})
