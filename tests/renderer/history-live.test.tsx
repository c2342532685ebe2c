// @vitest-environment happy-dom
/**
 * The history's live updates: the app shell (renderer/components/AppShell.tsx) subscribes once to
 * main's sending events and hands the latest of each sending to the history
 * (renderer/components/HistoryPage.tsx), which merges progress into its rows without asking main
 * again, and reloads when a sending starts or ends; scheduled sendings are marked, and a skip-sent
 * one says how many orders it left out as already sent.
 */
import { act, cleanup, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { SendingCountsView, SendingView } from '../../preload/contract'
import { AppShell } from '../../renderer/components/AppShell'
import { fakeApi, ok, profileView, sendingView } from './fake-api'
import { renderWithApp } from './render-with-app'

afterEach(cleanup)

const counts = (values: Partial<SendingCountsView>): SendingCountsView => ({
  total: 0,
  created: 0,
  alreadyExisted: 0,
  failed: 0,
  skipped: 0,
  pending: 0,
  ...values,
})

const RUNNING = sendingView({
  id: 7,
  state: 'running',
  expectedTotal: 120,
  counts: counts({ total: 40, created: 10, alreadyExisted: 2, pending: 28 }),
  runningHere: true,
})
const OLDER = sendingView({ id: 3, state: 'completed', counts: counts({ total: 5, created: 5 }) })

/** The app over a fake main whose history is `history` (a test may change it). */
async function openHistory(history: { sendings: readonly SendingView[] }) {
  const api = fakeApi({
    listProfiles: () => Promise.resolve(ok([profileView()])),
    listHistory: () => Promise.resolve(ok(history.sendings)),
  })
  const rendered = renderWithApp(<AppShell />, { api })
  await rendered.user.click(await screen.findByRole('tab', { name: 'Sending history' }))
  return rendered
}

const historyTable = () => screen.findByRole('table', { name: 'Sending history' })

/** An element's text as read aloud: its text pieces, one space apart. */
function spoken(element: Element): string {
  const pieces: string[] = []
  const walker = element.ownerDocument.createTreeWalker(element, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const piece = node.textContent?.trim()
    if (piece) pieces.push(piece)
  }
  return pieces.join(' ')
}

/** The cells of a row by their column's header. */
function cells(table: HTMLElement, row: HTMLElement): Record<string, string> {
  const headers = within(table).getAllByRole('columnheader').map(spoken)
  const values = within(row).getAllByRole('cell').map(spoken)
  return Object.fromEntries(headers.map((header, index) => [header, values[index] ?? '']))
}

describe('the history', () => {
  it('updates a running sending from its events, without asking main again', async () => {
    const history = { sendings: [OLDER, RUNNING] }
    const { api } = await openHistory(history)
    const table = await historyTable()
    const row = within(table).getByRole('row', { name: 'Sending #7' })
    // Newest first.
    expect(within(table).getAllByRole('row', { name: /^Sending #/ })[0]).toBe(row)
    expect(cells(table, row)).toMatchObject({
      // The state, and the orders done of those expected.
      // Its progress window a press away (it runs here).
      State: 'Running 12 / 120 Show progress',
      Created: '10',
      'Already existed': '2',
      Failed: '0',
      Skipped: '0',
    })
    const progress = within(row).getByRole('progressbar', { name: 'Progress of sending #7' })
    expect(progress.getAttribute('aria-valuenow')).toBe('10')
    expect(api.requests('listHistory')).toHaveLength(1)
    expect(api.listeners).toBe(1)

    act(() =>
      api.emit({
        type: 'progress',
        sendingId: 7,
        expectedTotal: 120,
        counts: counts({ total: 90, created: 50, alreadyExisted: 6, failed: 3, skipped: 1 }),
        perMinute: 100,
        etaSeconds: 36,
        waiting: null,
      }),
    )

    expect(cells(table, row)).toMatchObject({
      State: 'Running 60 / 120 Show progress',
      Created: '50',
      'Already existed': '6',
      Failed: '3',
      Skipped: '1',
    })
    expect(progress.getAttribute('aria-valuenow')).toBe('50')
    // Another sending's row is left as it was.
    expect(cells(table, within(table).getByRole('row', { name: 'Sending #3' }))).toMatchObject({
      State: 'Completed',
      Created: '5',
    })
    expect(api.requests('listHistory')).toHaveLength(1)
  })

  it('reloads the history when a sending ends, and shows how it ended', async () => {
    const history = { sendings: [RUNNING] }
    const { api, user } = await openHistory(history)
    const table = await historyTable()
    const finalCounts = counts({ total: 120, created: 110, alreadyExisted: 6, failed: 4 })
    history.sendings = [
      { ...RUNNING, state: 'completed_with_errors', counts: finalCounts, canRetryFailed: true },
    ]

    act(() =>
      api.emit({
        type: 'finished',
        sendingId: 7,
        state: 'completed_with_errors',
        counts: finalCounts,
        fatalError: null,
      }),
    )

    // In the row's actions menu.
    const row = await within(table).findByRole('row', { name: 'Sending #7' })
    await user.click(within(row).getByRole('button', { name: 'Actions for sending #7' }))
    expect(await screen.findByRole('menuitem', { name: 'Retry failed orders' })).toBeTruthy()
    await user.keyboard('{Escape}')
    expect(cells(table, row)).toMatchObject({
      State: 'Completed with errors',
      Created: '110',
      'Already existed': '6',
      Failed: '4',
    })
    expect(within(row).queryByRole('progressbar')).toBeNull()
    expect(api.requests('listHistory')).toHaveLength(2)
  })

  it('marks scheduled sendings, and counts the orders a skip-sent sending left out', async () => {
    const scheduled = sendingView({
      id: 9,
      state: 'running',
      origin: 'scheduled',
      options: { ...RUNNING.options, skipSent: true },
      // The store counted 120 orders; 30 were already sent, so 90 will be processed.
      expectedTotal: 120,
      alreadySent: 30,
      counts: counts({ total: 40, created: 10, skipped: 2, pending: 28 }),
      runningHere: true,
    })
    const { api } = await openHistory({ sendings: [OLDER, scheduled] })
    const table = await historyTable()
    const row = within(table).getByRole('row', { name: 'Sending #9' })
    expect(cells(table, row)).toMatchObject({
      Profile: 'Main store Scheduled',
      State: 'Running 12 / 90 Show progress',
      Skipped: '2 30 already sent, skipped',
    })
    // A manual sending that did not skip anything says neither.
    expect(cells(table, within(table).getByRole('row', { name: 'Sending #3' }))).toMatchObject({
      Profile: 'Main store',
      Skipped: '0',
    })

    act(() =>
      api.emit({
        type: 'progress',
        sendingId: 9,
        // Progress leaves the orders already sent out of what it expects.
        expectedTotal: 70,
        counts: counts({ total: 60, created: 40, skipped: 2, pending: 18 }),
        perMinute: 100,
        etaSeconds: 10,
        waiting: null,
        alreadySent: 50,
      }),
    )
    expect(cells(table, row)).toMatchObject({
      State: 'Running 42 / 70 Show progress',
      Skipped: '2 50 already sent, skipped',
    })
  })

  it('stops listening when the app closes', async () => {
    const { api, unmount } = await openHistory({ sendings: [] })
    expect(await screen.findByText('No sendings yet.')).toBeTruthy()
    expect(api.listeners).toBe(1)
    unmount()
    expect(api.listeners).toBe(0)
  })
})
