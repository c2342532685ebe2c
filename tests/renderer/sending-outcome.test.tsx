// @vitest-environment happy-dom
/**
 * What a finished sending says (issue 19): its progress window titled by how it ended, its
 * failure said once, its counts, the contacts and products it created, and its skipped and failed
 * orders grouped by reason, each a link to its page showing only them; "measuring…" before any
 * pace; and the sending's page opened from such a link: its grid filtered, with a chip that says
 * which and removes it, and the same reasons and created counts.
 */
import { cleanup, configure, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type {
  ChannelRequestInput,
  SendingEvent,
  SendingOrderView,
  SendingView,
} from '../../preload/contract'
import { SendingEventsContext } from '../../renderer/api/sending-events'
import { AppShell } from '../../renderer/components/AppShell'
import { ProgressDialog } from '../../renderer/components/ProgressDialog'
import { fakeApi, ok, sendingView } from './fake-api'
import { AppProviders, createI18n, renderWithApp } from './render-with-app'

configure({ asyncUtilTimeout: 5_000 })

beforeEach(() => {
  window.history.replaceState(null, '', '/')
})
afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

const FINISHED = sendingView({
  id: 12,
  state: 'completed_with_errors',
  expectedTotal: 30,
  counts: { total: 30, created: 20, alreadyExisted: 2, failed: 3, skipped: 5, pending: 0 },
  reasons: [
    { result: 'skipped', code: 'customer_deleted', orders: 4 },
    { result: 'failed', code: 'E0101', orders: 3 },
    { result: 'skipped', code: 'no_email', orders: 1 },
  ],
  created: { contacts: 7, products: 2 },
  hasReport: true,
})

function openDialog(sending: SendingView, language: 'en' | 'es' = 'en') {
  const onClose = vi.fn()
  const api = fakeApi({
    listHistory: () => Promise.resolve(ok([sending])),
    getSending: () => Promise.resolve(ok(sending)),
  })
  const rendered = renderWithApp(
    <ProgressDialog sendingId={sending.id} onClose={onClose} onOpenHistory={() => undefined} />,
    { api, language },
  )
  return { ...rendered, onClose }
}

const count = (scope: HTMLElement, name: string) =>
  within(within(scope).getByRole('group', { name })).getByRole('definition').textContent

describe('the progress window of a finished sending', () => {
  it('is titled by how it ended, counts its orders and what it created, and groups its reasons', async () => {
    const { onClose, user } = openDialog(FINISHED)
    const dialog = await screen.findByRole('dialog', {
      name: 'Sending #12 completed with errors',
    })
    expect(count(dialog, 'Orders created')).toBe('20')
    expect(count(dialog, 'Already in Connectif')).toBe('2')
    expect(count(dialog, 'Skipped')).toBe('5')
    expect(count(dialog, 'Failed')).toBe('3')
    await within(dialog).findByRole('group', { name: 'Contacts created' })
    expect(count(dialog, 'Contacts created')).toBe('7')
    expect(count(dialog, 'Products created')).toBe('2')

    const skipped = within(dialog).getByRole('region', { name: 'Skipped orders, by reason' })
    const links = within(skipped).getAllByRole('link')
    expect(links.map((link) => [link.textContent, link.getAttribute('href')])).toEqual([
      ['4 orders of deleted customers', '#/sendings/12?result=skipped&reason=customer_deleted'],
      ['1 order without e-mail', '#/sendings/12?result=skipped&reason=no_email'],
    ])
    const failed = within(dialog).getByRole('region', { name: 'Failed orders, by reason' })
    expect(within(failed).getByRole('link').textContent).toBe(
      '3 orders whose contact is not in Connectif',
    )

    // A reason opens the sending's page filtered to it, and the window closes.
    await user.click(links[0] as HTMLElement)
    expect(window.location.hash).toBe('#/sendings/12?result=skipped&reason=customer_deleted')
    expect(onClose).toHaveBeenCalled()
  })

  it('says its reasons in Spanish, in agreement', async () => {
    openDialog(FINISHED, 'es')
    const dialog = await screen.findByRole('dialog', {
      name: 'Envío #12 completado con errores',
    })
    expect(await within(dialog).findByText('4 pedidos de clientes eliminados')).toBeTruthy()
    expect(within(dialog).getByText('1 pedido sin correo electrónico')).toBeTruthy()
    expect(count(dialog, 'Contactos creados')).toBe('7')
  })

  it('is titled as a failure, and says its error once', async () => {
    const message =
      'Connectif refused the API key (401). Check the key in the profile; nothing more was sent.'
    openDialog(
      sendingView({
        id: 14,
        state: 'failed',
        expectedTotal: 30,
        counts: { total: 30, created: 0, alreadyExisted: 0, failed: 0, skipped: 0, pending: 30 },
        fatalError: { code: 'connectif_unauthorized', message },
      }),
    )
    const dialog = await screen.findByRole('dialog', { name: 'Sending #14 failed' })
    const said = within(dialog)
      .getAllByRole('status')
      .filter((status) => status.textContent?.includes(message))
    expect(said).toHaveLength(1)
    expect(dialog.textContent?.split('(401)')).toHaveLength(2)
    expect(count(dialog, 'Remaining')).toBe('30')
  })

  it('titles a cancelled sending as cancelled', async () => {
    openDialog(sendingView({ id: 15, state: 'cancelled' }))
    expect(await screen.findByRole('dialog', { name: 'Sending #15 cancelled' })).toBeTruthy()
  })
})

describe('the progress window of a running sending', () => {
  function running(perMinute: number) {
    const sending = sendingView({ id: 16, state: 'running', expectedTotal: 100 })
    const api = fakeApi({ listHistory: () => Promise.resolve(ok([sending])) })
    const event: SendingEvent = {
      type: 'progress',
      sendingId: 16,
      expectedTotal: 100,
      counts: { total: 100, created: 1, alreadyExisted: 0, failed: 0, skipped: 0, pending: 99 },
      perMinute,
      etaSeconds: 120,
      waiting: null,
    }
    render(
      <AppProviders api={api} i18n={createI18n('en')}>
        <SendingEventsContext.Provider value={{ latest: new Map([[16, event]]), version: 1 }}>
          <ProgressDialog
            sendingId={16}
            onClose={() => undefined}
            onOpenHistory={() => undefined}
          />
        </SendingEventsContext.Provider>
      </AppProviders>,
    )
  }

  it('says it is measuring the pace before it has one, not 0 orders per minute', () => {
    running(0)
    expect(screen.getByText('Measuring the pace…')).toBeTruthy()
    expect(screen.queryByText(/orders per minute/)).toBeNull()
  })

  it('says the pace once it has one', () => {
    running(50)
    expect(screen.getByText('50 orders per minute · about 2 min 0 s left')).toBeTruthy()
  })
})

describe("a sending's page opened from a reason", () => {
  const skippedOrder: SendingOrderView = {
    orderId: 3,
    reference: 'ABC',
    orderDate: '2025-05-02T10:15:00.000+02:00',
    customerEmail: 'gone@example.test',
    total: '10.00',
    result: 'skipped',
    target: '',
    httpStatus: null,
    errorCode: 'customer_deleted',
    message: 'The customer account was deleted from the store.',
    attempts: 0,
    sentAt: null,
  }

  it('shows only those orders, says which in a chip that removes it, and lists the reasons', async () => {
    window.history.replaceState(null, '', '/#/sendings/12?result=skipped&reason=customer_deleted')
    const api = fakeApi({
      listHistory: () => Promise.resolve(ok([FINISHED])),
      getSending: () => Promise.resolve(ok(FINISHED)),
      listSendingOrders: () => Promise.resolve(ok({ rows: [skippedOrder], total: 4 })),
    })
    const { user } = renderWithApp(<AppShell />, { api })
    const last = () =>
      api.requests('listSendingOrders').at(-1) as ChannelRequestInput<'sending:orders'>
    await screen.findByRole('grid', { name: 'Orders of sending #12' })
    await waitFor(() =>
      expect(last()).toMatchObject({ result: 'skipped', reason: 'customer_deleted' }),
    )
    const chip = await screen.findByText('Showing only: 4 orders of deleted customers')
    expect(chip).toBeTruthy()

    // The same reasons as the progress window, and what it created.
    const outcome = screen.getByRole('region', { name: 'Why orders were skipped or failed' })
    expect(within(outcome).getByRole('link', { name: '1 order without e-mail' })).toBeTruthy()
    expect(count(outcome, 'Contacts created')).toBe('7')
    expect(count(outcome, 'Products created')).toBe('2')

    // Another reason, from the page itself.
    await user.click(
      within(outcome).getByRole('link', { name: '3 orders whose contact is not in Connectif' }),
    )
    await waitFor(() => expect(last()).toMatchObject({ result: 'failed', reason: 'E0101' }))
    expect(window.location.hash).toBe('#/sendings/12?result=failed&reason=E0101')
    expect(
      await screen.findByText('Showing only: 3 orders whose contact is not in Connectif'),
    ).toBeTruthy()

    // Removing the filter shows every order again.
    await user.click(screen.getByRole('button', { name: 'Show every order' }))
    await waitFor(() => expect(last()).toMatchObject({ result: null }))
    expect(last()).not.toHaveProperty('reason')
    expect(window.location.hash).toBe('#/sendings/12')
    expect(screen.queryByText(/^Showing only/)).toBeNull()
  })
})
