// @vitest-environment happy-dom
/**
 * The progress window (renderer/components/ProgressDialog.tsx) of a skip-sent sending: beside its
 * counts, how many orders of the range it left out as already sent, which its total leaves out.
 */
import { cleanup, render, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { SendingEvent, SendingView } from '../../preload/contract'
import { SendingEventsContext } from '../../renderer/api/sending-events'
import { ProgressDialog } from '../../renderer/components/ProgressDialog'
import { fakeApi, ok, sendingView } from './fake-api'
import { AppProviders, createI18n, renderWithApp } from './render-with-app'

afterEach(cleanup)

function openDialog(sending: SendingView) {
  const api = fakeApi({ listHistory: () => Promise.resolve(ok([sending])) })
  return renderWithApp(
    <ProgressDialog
      sendingId={sending.id}
      onClose={() => undefined}
      onOpenHistory={() => undefined}
    />,
    { api },
  )
}

const count = (name: string) =>
  within(screen.getByRole('group', { name })).getByRole('definition').textContent

describe('the progress window', () => {
  it('shows the orders a skip-sent sending left out as already sent, outside its total', async () => {
    openDialog(
      sendingView({
        id: 12,
        state: 'completed',
        options: { ...sendingView().options, skipSent: true },
        expectedTotal: 50,
        alreadySent: 30,
        counts: { total: 20, created: 18, alreadyExisted: 0, failed: 0, skipped: 2, pending: 0 },
      }),
    )
    expect(await screen.findByText('20 of 20 orders processed')).toBeTruthy()
    expect(count('Already sent, skipped')).toBe('30')
    expect(count('Orders created')).toBe('18')
    // Over: nothing remains to say.
    expect(screen.queryByRole('group', { name: 'Remaining' })).toBeNull()
  })

  it('says nothing of it for a sending that sends every order', async () => {
    openDialog(
      sendingView({
        id: 13,
        state: 'completed',
        expectedTotal: 20,
        counts: { total: 20, created: 20, alreadyExisted: 0, failed: 0, skipped: 0, pending: 0 },
      }),
    )
    expect(await screen.findByText('20 of 20 orders processed')).toBeTruthy()
    expect(screen.queryByRole('group', { name: 'Already sent, skipped' })).toBeNull()
  })
})

describe('the progress window of a sending that shares its account', () => {
  const shared = (rate: number) =>
    `Shared with another integration using about ${rate} requests a minute: this sending slowed down to leave it room.`

  it('says so while the other integration is active, with its rate', async () => {
    const sending = sendingView({ id: 15, state: 'running', expectedTotal: 100 })
    const api = fakeApi({ listHistory: () => Promise.resolve(ok([sending])) })
    const event: SendingEvent = {
      type: 'progress',
      sendingId: 15,
      expectedTotal: 100,
      counts: { total: 100, created: 10, alreadyExisted: 0, failed: 0, skipped: 0, pending: 90 },
      perMinute: 64,
      etaSeconds: 90,
      waiting: null,
      sharedWith: { requestsPerMinute: 30 },
    }
    render(
      <AppProviders api={api} i18n={createI18n('en')}>
        <SendingEventsContext.Provider value={{ latest: new Map([[15, event]]), version: 1 }}>
          <ProgressDialog
            sendingId={15}
            onClose={() => undefined}
            onOpenHistory={() => undefined}
          />
        </SendingEventsContext.Provider>
      </AppProviders>,
    )
    expect(await screen.findByText(shared(30))).toBeTruthy()
  })

  it('keeps saying it, at the highest rate seen, once the sending is over', async () => {
    openDialog(
      sendingView({
        id: 16,
        state: 'completed',
        expectedTotal: 20,
        counts: { total: 20, created: 20, alreadyExisted: 0, failed: 0, skipped: 0, pending: 0 },
        sharing: {
          since: '2025-03-01T10:00:00.000Z',
          peakPerMinute: 31,
          peakAt: '2025-03-01T10:05:00.000Z',
        },
      }),
    )
    expect(
      await screen.findByText(
        'Shared with another integration using up to about 31 requests a minute: this sending slowed down to leave it room.',
      ),
    ).toBeTruthy()
    expect(screen.queryByText(shared(31))).toBeNull()
  })
})
