// @vitest-environment happy-dom
/**
 * A sending's page (renderer/components/sending-page/) and its preparing step: the imports of
 * contacts and products the history recorded, in a table with why one fell back, and, while the
 * sending prepares, the step under way, with the counts it had kept and no more reloads than
 * its progress asks for.
 */
import { act, cleanup, configure, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ImportView, SendingEvent, SendingView } from '../../preload/contract'
import { AppShell } from '../../renderer/components/AppShell'
import { LIVE_RELOAD_MS } from '../../renderer/components/sending-page/SendingPage'
import { fakeApi, ok, sendingView } from './fake-api'
import { renderWithApp } from './render-with-app'

// The grid is heavy to render under happy-dom (as in sending-page.test.tsx).
configure({ asyncUtilTimeout: 5_000 })

beforeEach(() => {
  window.history.replaceState(null, '', '/')
})
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

const COUNTS = { total: 60, created: 0, alreadyExisted: 0, failed: 0, skipped: 0, pending: 60 }

const NOT_ALLOWED = {
  code: 'imports_not_allowed',
  message: 'The API key of the Connectif account lang=es lacks the Imports permission (403).',
  params: { account: 'lang=es', type: 'contacts', httpStatus: '403' },
} as const

function importView(overrides: Partial<ImportView> = {}): ImportView {
  return {
    target: 'main',
    type: 'contacts',
    part: 1,
    parts: 1,
    items: 1204,
    status: 'finished',
    total: 1204,
    success: 1200,
    errors: 4,
    notice: null,
    createdAt: '2025-06-30T08:00:02.000Z',
    finishedAt: '2025-06-30T08:01:02.000Z',
    ...overrides,
  }
}

/** The app at the page of `sending()`, asked again on every reload. */
function openPage(sending: () => SendingView) {
  window.history.replaceState(null, '', `/#/sendings/${sending().id}`)
  const api = fakeApi({
    listHistory: () => Promise.resolve(ok([sending()])),
    getSending: () => Promise.resolve(ok(sending())),
  })
  return renderWithApp(<AppShell />, { api })
}

const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map((cell) => cell.textContent)

describe("a sending's imports", () => {
  it('lists them per account, with what Connectif counted and why one fell back', async () => {
    const routed = sendingView({
      id: 41,
      byTarget: [
        { target: 'main', counts: COUNTS },
        { target: 'lang=es', counts: COUNTS },
      ],
      imports: [
        importView(),
        importView({ type: 'products', part: 2, parts: 3, items: 80, success: 80, errors: 0 }),
        importView({
          target: 'lang=es',
          items: 12,
          status: 'not_created',
          total: null,
          success: null,
          errors: null,
          notice: NOT_ALLOWED,
        }),
      ],
    })
    openPage(() => routed)
    const table = await screen.findByRole('table', { name: 'Imports of contacts and products' })
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((header) => header.textContent),
    ).toEqual(['Account', 'Type', 'Items', 'Status', 'Imported', 'Errors', 'Note'])
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows.map(cells)).toEqual([
      ['Main account', 'Contacts', '1,204', 'Finished', '1,200', '4', '—'],
      ['Main account', 'Products (part 2 of 3)', '80', 'Finished', '80', '0', '—'],
      [
        'Spanish, any currency',
        'Contacts',
        '12',
        'Not created',
        '—',
        '—',
        // The account has its column: the notice goes without it.
        'The key lacks the Imports permission: missing contacts and products will be created one at a time, which is slower. Give it that permission in Connectif to create them in bulk.',
      ],
    ])
  })

  it('has no account column for a sending to one account, and no table when nothing was imported', async () => {
    openPage(() => sendingView({ id: 42, imports: [importView({ status: 'abandoned' })] }))
    const table = await screen.findByRole('table', { name: 'Imports of contacts and products' })
    expect(cells(within(table).getAllByRole('row')[1]!)).toEqual([
      'Contacts',
      '1,204',
      'Stopped waiting',
      '1,200',
      '4',
      '—',
    ])
    cleanup()

    openPage(() => sendingView({ id: 43 }))
    await screen.findByRole('heading', { name: 'Sending #43' })
    expect(screen.queryByRole('heading', { name: 'Imports of contacts and products' })).toBeNull()
  })
})

describe('a sending that prepares, on its page', () => {
  it('says its step, keeps its counts, reloads no more than its progress would', async () => {
    let sending = sendingView({
      id: 44,
      state: 'running',
      expectedTotal: 100,
      counts: { ...COUNTS, created: 10, pending: 50 },
      runningHere: true,
    })
    const { api } = openPage(() => sending)
    await screen.findByRole('grid', { name: 'Orders of sending #44' })
    await waitFor(() => expect(api.requests('getSending').length).toBe(1))
    const created = () =>
      within(screen.getByRole('group', { name: 'Created' })).getByRole('definition').textContent
    const step = () => screen.getByRole('status', { name: 'Preparing the sending' }).textContent
    const emit = (event: SendingEvent) => act(() => api.emit(event))
    const importing = (count: number): SendingEvent => ({
      type: 'preparing',
      sendingId: 44,
      step: 'importing',
      what: 'contacts',
      count: 1204,
      status: 'inProgress',
      done: count,
    })

    // On a fake clock from here: the test never waits on real time.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    emit({
      type: 'progress',
      sendingId: 44,
      expectedTotal: 100,
      counts: { ...COUNTS, created: 30, pending: 30 },
      perMinute: 0,
      etaSeconds: null,
      waiting: null,
    })
    expect(created()).toBe('30')
    expect(api.requests('getSending').length).toBe(2)

    // Ten a second while it imports: folded into one reload every LIVE_RELOAD_MS.
    for (let done = 100; done <= 1_000; done += 100) {
      act(() => {
        vi.advanceTimersByTime(100)
      })
      emit(importing(done))
    }
    // Shown as it goes; read out at once for the new step, its counts at most every few seconds.
    expect(
      screen.getByText('Importing 1,204 contacts into Connectif… (in progress: 1,000 done)'),
    ).toBeTruthy()
    expect(step()).toBe('Importing 1,204 contacts into Connectif… (in progress: 100 done)')
    // A preparing event counts no order: the live counts stay.
    expect(created()).toBe('30')
    expect(screen.getByText('30 of 100 orders processed')).toBeTruthy()
    expect(api.requests('getSending').length).toBe(2)
    act(() => {
      vi.advanceTimersByTime(LIVE_RELOAD_MS - 1_000)
    })
    expect(api.requests('getSending').length).toBe(3)

    // A notice is said once: the page asks for the sending's imports at once.
    sending = {
      ...sending,
      imports: [
        importView({
          status: 'not_created',
          total: null,
          success: null,
          errors: null,
          notice: { ...NOT_ALLOWED, params: { account: 'main', type: 'contacts' } },
        }),
      ],
    }
    emit({
      type: 'preparing',
      sendingId: 44,
      step: 'importing',
      what: 'contacts',
      count: 1204,
      notice: NOT_ALLOWED,
    })
    expect(api.requests('getSending').length).toBe(4)
    vi.useRealTimers()

    const table = await screen.findByRole('table', { name: 'Imports of contacts and products' })
    expect(cells(within(table).getAllByRole('row')[1]!)[2]).toBe('Not created')
    expect(created()).toBe('30')
  })
})
