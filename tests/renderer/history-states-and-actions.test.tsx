// @vitest-environment happy-dom
/**
 * The history (renderer/components/HistoryPage.tsx) names a sending's statuses from what the
 * sending recorded, so a fresh start with only main's data (a reload) still shows their names,
 * never `#id`; and a row's actions are one menu button, usable by keyboard, whose cancel asks in
 * a dialog.
 */
import { cleanup, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { SendingView } from '../../preload/contract'
import { AppShell } from '../../renderer/components/AppShell'
import { fakeApi, ok, profileView, sendingView } from './fake-api'
import { renderWithApp } from './render-with-app'

afterEach(cleanup)

const NAMED = sendingView({
  id: 21,
  state: 'completed_with_errors',
  stateIds: [2, 3, 4, 5],
  states: [
    { id: 2, name: 'Payment accepted', color: '#32CD32' },
    { id: 3, name: 'Processing in progress', color: '#FF8C00' },
    { id: 4, name: 'Shipped', color: '#8A2BE2' },
    { id: 5, name: 'Delivered', color: '#108510' },
  ],
  hasReport: true,
  canRetryFailed: true,
})
const RUNNING = sendingView({ id: 22, state: 'running', runningHere: true, stateIds: [2] })

async function openHistory(sendings: readonly SendingView[]) {
  const api = fakeApi({
    listProfiles: () => Promise.resolve(ok([profileView()])),
    listHistory: () => Promise.resolve(ok(sendings)),
    cancelSending: () => Promise.resolve(ok(undefined as never)),
  })
  const rendered = renderWithApp(<AppShell />, { api })
  await rendered.user.click(await screen.findByRole('tab', { name: 'Sending history' }))
  const table = await screen.findByRole('table', { name: 'Sending history' })
  return { ...rendered, table }
}

describe('the history after a reload', () => {
  it("names a sending's statuses from what it recorded, with the rest in a tooltip", async () => {
    const { table, user } = await openHistory([NAMED])
    const row = within(table).getByRole('row', { name: 'Sending #21' })
    expect(within(row).getByText('Payment accepted')).toBeTruthy()
    expect(within(row).queryByText(/#2\b/)).toBeNull()
    const more = within(row).getByText('+3 more')
    await user.hover(more)
    expect(
      await screen.findByRole('tooltip', {
        name: 'Processing in progress, Shipped, Delivered',
      }),
    ).toBeTruthy()
  })

  it('keeps `#id` for an older sending that recorded no names', async () => {
    const { table } = await openHistory([sendingView({ id: 4, stateIds: [9], states: [] })])
    const row = within(table).getByRole('row', { name: 'Sending #4' })
    expect(within(row).getByText('#9')).toBeTruthy()
  })
})

describe("a row's actions menu", () => {
  it('opens, moves and acts by keyboard, and gives the focus back to its button', async () => {
    const { table, user, api } = await openHistory([NAMED])
    const row = within(table).getByRole('row', { name: 'Sending #21' })
    const button = within(row).getByRole('button', { name: 'Actions for sending #21' })
    expect(button.getAttribute('aria-haspopup')).toBe('menu')
    button.focus()
    await user.keyboard('{Enter}')
    const menu = await screen.findByRole('menu', { name: 'Actions for sending #21' })
    const items = within(menu).getAllByRole('menuitem')
    expect(items.map((item) => item.textContent)).toEqual([
      'Open its page',
      'Download the report of sending #21',
      'Retry failed orders',
    ])
    await waitFor(() => expect(document.activeElement).toBe(items[0]))
    await user.keyboard('{ArrowDown}{ArrowDown}')
    expect(document.activeElement).toBe(items[2])
    await user.keyboard('{Enter}')
    await waitFor(() => expect(api.requests('retryFailed')).toEqual([{ sendingId: 21 }]))
    await waitFor(() => expect(screen.queryByRole('menu')).toBeNull())
    await waitFor(() =>
      expect(document.activeElement).toBe(
        within(table).getByRole('button', { name: 'Actions for sending #21' }),
      ),
    )
  })

  it('closes on Escape, and cancels a running sending only after a yes in a dialog', async () => {
    const { table, user, api } = await openHistory([RUNNING])
    const row = within(table).getByRole('row', { name: 'Sending #22' })
    const button = within(row).getByRole('button', { name: 'Actions for sending #22' })
    await user.click(button)
    await screen.findByRole('menu')
    await user.keyboard('{Escape}')
    await waitFor(() => expect(screen.queryByRole('menu')).toBeNull())

    await user.click(button)
    await user.click(await screen.findByRole('menuitem', { name: 'Cancel sending' }))
    const dialog = await screen.findByRole('dialog', { name: 'Cancel this sending?' })
    await user.click(within(dialog).getByRole('button', { name: 'Keep sending' }))
    expect(api.requests('cancelSending')).toEqual([])

    await user.click(button)
    await user.click(await screen.findByRole('menuitem', { name: 'Cancel sending' }))
    await user.click(
      within(await screen.findByRole('dialog', { name: 'Cancel this sending?' })).getByRole(
        'button',
        { name: 'Yes, cancel' },
      ),
    )
    await waitFor(() => expect(api.requests('cancelSending')).toEqual([{ sendingId: 22 }]))
  })
})
