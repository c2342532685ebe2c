// @vitest-environment happy-dom
/**
 * The history's report item, in a row's actions menu (renderer/components/HistoryPage.tsx through
 * report-export.ts): in the desktop app it has main ask where to save and says where the report
 * went; in browser mode it asks the host for a one-use link and lets the browser download it (a
 * link, never the CSV in the page's memory); either way an error is said in the user's language.
 */
import { cleanup, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PurchaseSenderApi } from '../../preload/contract'
import { AppShell } from '../../renderer/components/AppShell'
import {
  appInfo,
  failure,
  fakeApi,
  ok,
  profileView,
  sendingView,
  type FakeAnswers,
} from './fake-api'
import { renderWithApp, type Language } from './render-with-app'

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

const SENDING = sendingView({ id: 12, state: 'completed_with_errors', hasReport: true })
const FILE = 'purchase-sender_main-store_2025-01-01_2025-01-31_sending-12.csv'

async function openHistory(answers: FakeAnswers, language: Language = 'en') {
  const api = fakeApi({
    listProfiles: () => Promise.resolve(ok([profileView()])),
    listHistory: () => Promise.resolve(ok([SENDING])),
    ...answers,
  })
  const rendered = renderWithApp(<AppShell />, { api, language })
  const tab = language === 'en' ? 'Sending history' : 'Historial de envíos'
  await rendered.user.click(await screen.findByRole('tab', { name: tab }))
  return rendered
}

describe('the report button', () => {
  it('in the desktop app, saves through main and says where the report went', async () => {
    const saveReport: PurchaseSenderApi['saveReport'] = () =>
      Promise.resolve(ok({ saved: true, path: '/home/ana/Downloads/report.csv', rows: 3 }))
    const { api, user } = await openHistory({
      appInfo: () => Promise.resolve(ok(appInfo({ mode: 'electron' }))),
      saveReport,
    })
    expect(api.reportLink).toBeUndefined()
    await user.click(await screen.findByRole('button', { name: 'Actions for sending #12' }))
    await user.click(
      await screen.findByRole('menuitem', { name: 'Download the report of sending #12' }),
    )
    expect(await screen.findByText('Report saved to /home/ana/Downloads/report.csv')).toBeTruthy()
    expect(api.requests('saveReport')).toEqual([{ sendingId: 12, all: false }])
  })

  it('in the desktop app, says nothing when the dialog is cancelled', async () => {
    const { api, user } = await openHistory({
      appInfo: () => Promise.resolve(ok(appInfo({ mode: 'electron' }))),
      saveReport: () => Promise.resolve(ok({ saved: false })),
    })
    await user.click(await screen.findByRole('button', { name: 'Actions for sending #12' }))
    await user.click(
      await screen.findByRole('menuitem', { name: 'Download the report of sending #12' }),
    )
    await waitFor(() => expect(api.requests('saveReport')).toHaveLength(1))
    expect(screen.queryByText(/Report saved to/)).toBeNull()
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('says a failed save in Spanish', async () => {
    const { user } = await openHistory(
      {
        saveReport: () =>
          Promise.resolve(
            failure({
              code: 'report_write_failed',
              message: 'The report could not be saved.',
              params: { path: '/solo-lectura/informe.csv', cause: 'EACCES' },
            }),
          ),
      },
      'es',
    )
    await user.click(await screen.findByRole('button', { name: 'Acciones del envío #12' }))
    await user.click(
      await screen.findByRole('menuitem', { name: 'Descargar el informe del envío #12' }),
    )
    expect(
      await screen.findByText(
        /No se pudo guardar el informe en \/solo-lectura\/informe\.csv \(EACCES\)/,
      ),
    ).toBeTruthy()
  })

  it('in browser mode, follows a one-use link to let the browser download it', async () => {
    const clicked: { href: string; download: string }[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push({ href: this.getAttribute('href') ?? '', download: this.download })
    })
    const url = `/api/reports/12.csv?all=0&ticket=${'t'.repeat(43)}`
    const { api, user } = await openHistory({
      reportLink: () => Promise.resolve(ok({ url, fileName: FILE })),
    })
    await user.click(await screen.findByRole('button', { name: 'Actions for sending #12' }))
    await user.click(
      await screen.findByRole('menuitem', { name: 'Download the report of sending #12' }),
    )
    await waitFor(() => expect(clicked).toEqual([{ href: url, download: FILE }]))
    expect(api.requests('reportLink')).toEqual([{ sendingId: 12, all: false }])
    expect(api.requests('saveReport')).toEqual([])
    expect(screen.queryByText(/Report saved to/)).toBeNull()
  })

  it('in browser mode, says why there is no report instead of downloading', async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
    const { user } = await openHistory({
      reportLink: () =>
        Promise.resolve(
          failure({
            code: 'report_empty',
            message: '…',
            params: { sending: '12', all: 'false', reason: 'all_created' },
          }),
        ),
    })
    await user.click(await screen.findByRole('button', { name: 'Actions for sending #12' }))
    await user.click(
      await screen.findByRole('menuitem', { name: 'Download the report of sending #12' }),
    )
    expect(
      await screen.findByText(
        'Every order of sending #12 was created in Connectif: there is nothing to report.',
      ),
    ).toBeTruthy()
    expect(click).not.toHaveBeenCalled()
  })
})
