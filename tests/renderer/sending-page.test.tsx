// @vitest-environment happy-dom
/**
 * A sending's page (renderer/components/sending-page/) and the hash routes that reach it
 * (renderer/routing/): the address names the page, the history's rows link to it, its grid asks
 * main for one filtered, searched, sorted page at a time, an order's detail shows the JSON sent,
 * and its actions show only when they can be taken.
 */
import { act, cleanup, configure, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type {
  SendingOrderDetail,
  SendingOrderView,
  SendingView,
  ChannelRequestInput,
} from '../../preload/contract'
import { AppShell } from '../../renderer/components/AppShell'
import { SEARCH_DEBOUNCE_MS } from '../../renderer/components/sending-page/OrdersGrid'
import { LIVE_RELOAD_MS } from '../../renderer/components/sending-page/SendingPage'
import { parseRoute, routeHash } from '../../renderer/routing/hash-routes'
import { failure, fakeApi, ok, sendingView, type FakeAnswers } from './fake-api'
import { renderWithApp } from './render-with-app'

// The grid is heavy to render under happy-dom: on a loaded machine a screen may take more than the
// default second to show what main answered.
configure({ asyncUtilTimeout: 5_000 })

beforeEach(() => {
  window.history.replaceState(null, '', '/')
})
afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

function order(overrides: Partial<SendingOrderView> = {}): SendingOrderView {
  return {
    orderId: 12,
    reference: 'XKBKNABJK',
    orderDate: '2025-05-02T10:15:00.000+02:00',
    customerEmail: 'ann@example.test',
    total: '61.90',
    result: 'failed',
    target: '',
    httpStatus: 400,
    errorCode: 'E0101',
    message: 'Contact ann@example.test does not exist.',
    attempts: 1,
    sentAt: '2025-06-30T08:00:05.000Z',
    ...overrides,
  }
}

const WITH_FAILURES = sendingView({
  id: 7,
  profileName: 'Failing store',
  state: 'completed_with_errors',
  expectedTotal: 3,
  counts: { total: 3, created: 1, alreadyExisted: 0, failed: 2, skipped: 0, pending: 0 },
  canRetryFailed: true,
  hasReport: true,
})

/** The app opened at `hash`, over a fake main that knows `sending` and its `orders`. */
async function openAt(
  hash: string,
  sending: SendingView = WITH_FAILURES,
  answers: FakeAnswers = {},
  orders: readonly SendingOrderView[] = [
    order(),
    order({
      orderId: 13,
      customerEmail: 'bob@example.test',
      result: 'created',
      httpStatus: 201,
      errorCode: null,
      message: null,
    }),
  ],
) {
  window.history.replaceState(null, '', `/${hash}`)
  const api = fakeApi({
    listHistory: () => Promise.resolve(ok([sending])),
    getSending: (request) =>
      Promise.resolve(
        request.sendingId === sending.id
          ? ok(sending)
          : failure({
              code: 'sending_not_found',
              message: `There is no sending #${request.sendingId}.`,
              params: { sending: String(request.sendingId) },
            }),
      ),
    listSendingOrders: () => Promise.resolve(ok({ rows: orders, total: orders.length })),
    ...answers,
  })
  const rendered = renderWithApp(<AppShell />, { api })
  return rendered
}

const lastOrdersRequest = (api: ReturnType<typeof fakeApi>) =>
  api.requests('listSendingOrders').at(-1) as ChannelRequestInput<'sending:orders'>

describe('hash routes', () => {
  it('parses the pages and a sending, and falls back to sending purchases', () => {
    expect(parseRoute('#/sendings/12')).toEqual({ page: 'sending', sendingId: 12 })
    expect(parseRoute('#sendings/12/')).toEqual({ page: 'sending', sendingId: 12 })
    expect(parseRoute('#/history')).toEqual({ page: 'history' })
    expect(parseRoute('#/profiles')).toEqual({ page: 'profiles' })
    expect(parseRoute('#/send')).toEqual({ page: 'send' })
    for (const unknown of ['', '#', '#/', '#/sendings/', '#/sendings/0', '#/sendings/x', '#/nope'])
      expect(parseRoute(unknown)).toEqual({ page: 'send' })
    expect(parseRoute('#/sendings/99999999999999999999')).toEqual({ page: 'send' })
    expect(routeHash({ page: 'sending', sendingId: 12 })).toBe('#/sendings/12')
    expect(routeHash({ page: 'history' })).toBe('#/history')
  })

  it('opens the page the address names, follows the tabs, and goes back', async () => {
    const { user, api } = await openAt('#/sendings/7')
    expect(await screen.findByRole('heading', { name: 'Sending #7' })).toBeTruthy()
    expect(api.requests('getSending')).toEqual([{ sendingId: 7 }])
    // The history's tab is the current one on a sending's page; clicking it goes to the history.
    const tab = screen.getByRole('tab', { name: 'Sending history' })
    expect(tab.getAttribute('aria-selected')).toBe('true')
    await user.click(tab)
    expect(window.location.hash).toBe('#/history')
    expect(await screen.findByRole('table', { name: 'Sending history' })).toBeTruthy()
    await user.click(screen.getByRole('tab', { name: 'Store profiles' }))
    expect(window.location.hash).toBe('#/profiles')

    // Back, as the browser's button does it: the address changes, then popstate.
    act(() => {
      window.history.replaceState(window.history.state, '', '#/sendings/7')
      window.dispatchEvent(new PopStateEvent('popstate', { state: window.history.state }))
    })
    expect(await screen.findByRole('heading', { name: 'Sending #7' })).toBeTruthy()
  })

  it("opens a sending from the history's row, keeping the page's history state", async () => {
    window.history.replaceState({ purchaseSenderToken: 'secret' }, '', '/#/history')
    const { user } = await openAt('#/history')
    window.history.replaceState({ purchaseSenderToken: 'secret' }, '', '/#/history')
    const table = await screen.findByRole('table', { name: 'Sending history' })
    const link = within(table).getByRole('link', { name: 'Open sending #7' })
    expect(link.getAttribute('href')).toBe('#/sendings/7')
    await user.click(link)
    expect(window.location.hash).toBe('#/sendings/7')
    // Browser mode's token lives in the entry's state: the new entry keeps it for a reload.
    expect(window.history.state).toEqual({ purchaseSenderToken: 'secret' })
    expect(await screen.findByRole('heading', { name: 'Sending #7' })).toBeTruthy()
  })

  it('says so when the sending does not exist, with a way back to the history', async () => {
    const { user } = await openAt('#/sendings/404')
    expect(await screen.findByText('Sending #404 was not found')).toBeTruthy()
    expect(screen.getByText(/There is no sending #404\./)).toBeTruthy()
    await user.click(screen.getByRole('link', { name: 'Back to the history' }))
    expect(window.location.hash).toBe('#/history')
    expect(await screen.findByRole('table', { name: 'Sending history' })).toBeTruthy()
  })
})

describe("a sending's page", () => {
  it('says in its header when another integration shared the account, and at what rate', async () => {
    await openAt(
      '#/sendings/7',
      sendingView({
        ...WITH_FAILURES,
        sharing: {
          since: '2025-03-01T10:00:00.000Z',
          peakPerMinute: 30,
          peakAt: '2025-03-01T10:05:00.000Z',
        },
      }),
    )
    expect(
      await screen.findByText(
        'Shared with another integration using up to about 30 requests a minute: this sending slowed down to leave it room.',
      ),
    ).toBeTruthy()
  })

  it('shows the header, and the first page of orders as main answers it', async () => {
    const { api } = await openAt('#/sendings/7')
    const grid = await screen.findByRole('grid', { name: 'Orders of sending #7' })
    await within(grid).findByText('ann@example.test')
    expect(within(grid).getByText('E0101')).toBeTruthy()
    expect(within(grid).getByText('Contact ann@example.test does not exist.')).toBeTruthy()
    expect(lastOrdersRequest(api)).toEqual({
      sendingId: 7,
      result: null,
      search: null,
      page: 0,
      pageSize: 25,
    })
    const details = screen.getByRole('region', { name: 'Sending #7' })
    expect(within(details).getByText('Failing store')).toBeTruthy()
    const failed = within(details).getByRole('group', { name: 'Failed' })
    expect(within(failed).getByRole('definition').textContent).toBe('2')
    expect(api.requests('sendingTimeline')).toEqual([{ sendingId: 7 }])
  })

  it('filters by result and searches (debounced) through main', async () => {
    const { api, user } = await openAt('#/sendings/7')
    await screen.findByRole('grid', { name: 'Orders of sending #7' })
    const filter = screen.getByRole('group', { name: 'Result' })
    await user.click(within(filter).getByRole('button', { name: 'Failed' }))
    await waitFor(() => expect(lastOrdersRequest(api)).toMatchObject({ result: 'failed' }))

    // The search waits for typing to stop (on a fake clock: no test waits on real time).
    const before = api.requests('listSendingOrders').length
    const search = screen.getByRole('searchbox', { name: 'Search orders' })
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      // Keystroke by keystroke (user-event waits on timers between them, which are fake here).
      for (let length = 1; length <= 'ann@example'.length; length++)
        fireEvent.change(search, { target: { value: 'ann@example'.slice(0, length) } })
      act(() => {
        vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS - 1)
      })
      expect(api.requests('listSendingOrders').length).toBe(before)
      act(() => {
        vi.advanceTimersByTime(1)
      })
    } finally {
      vi.useRealTimers()
    }
    // One request for the whole search, not one per keystroke.
    expect(api.requests('listSendingOrders').length).toBe(before + 1)
    expect(lastOrdersRequest(api)).toEqual({
      sendingId: 7,
      result: 'failed',
      search: 'ann@example',
      page: 0,
      pageSize: 25,
    })

    await user.click(within(filter).getByRole('button', { name: 'All' }))
    await waitFor(() => expect(lastOrdersRequest(api)).toMatchObject({ result: null }))
  })

  it('sorts through main', async () => {
    const { api, user } = await openAt('#/sendings/7')
    const grid = await screen.findByRole('grid', { name: 'Orders of sending #7' })
    await user.click(within(grid).getByRole('columnheader', { name: /Attempts/ }))
    await waitFor(() =>
      expect(lastOrdersRequest(api)).toMatchObject({
        sort: { field: 'attempts', direction: 'asc' },
      }),
    )
  })

  it("shows an order's JSON as sent and Connectif's answer, and copies it", async () => {
    const detail: SendingOrderDetail = {
      ...order(),
      request: {
        purchase: { purchaseId: '12', contactEmail: 'ann@example.test', totalPrice: 61.9 },
        contact: { _email: 'ann@example.test', _name: 'Ann' },
      },
      response: '{"code":"E0101","message":"Contact ann@example.test does not exist."}',
    }
    const { api, user } = await openAt('#/sendings/7', WITH_FAILURES, {
      getSendingOrder: () => Promise.resolve(ok(detail)),
    })
    const grid = await screen.findByRole('grid', { name: 'Orders of sending #7' })
    await user.click(await within(grid).findByRole('button', { name: 'Show order 12' }))

    const dialog = await screen.findByRole('dialog', { name: 'Order 12 (XKBKNABJK)' })
    expect(api.requests('getSendingOrder')).toEqual([{ sendingId: 7, orderId: 12 }])
    const purchase = await within(dialog).findByRole('figure', {
      name: 'The order, as a Connectif purchase',
    })
    const json = JSON.stringify(detail.request?.purchase, null, 2)
    expect(purchase.querySelector('pre')?.textContent).toBe(json)
    const contact = within(dialog).getByRole('figure', {
      name: 'The customer, as a Connectif contact',
    })
    expect(contact.querySelector('pre')?.textContent).toContain('"_name": "Ann"')
    const answer = within(dialog).getByRole('figure', { name: 'Answer as received' })
    expect(answer.querySelector('pre')?.textContent).toContain('"code": "E0101"')

    await user.click(within(dialog).getByRole('button', { name: "Copy the order's data" }))
    // user-event puts a clipboard of its own in place of the browser's.
    expect(await navigator.clipboard.readText()).toBe(json)
    expect(await within(purchase).findByText('Copied')).toBeTruthy()

    await user.click(within(dialog).getByRole('button', { name: 'Close' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
  })

  it('says what a pending order will send, and that a skipped one sends nothing', async () => {
    const pending: SendingOrderDetail = {
      ...order({ result: 'pending', httpStatus: null, errorCode: null, message: null }),
      sentAt: null,
      request: { purchase: { purchaseId: '12' }, contact: null },
      response: null,
    }
    const { user } = await openAt('#/sendings/7', WITH_FAILURES, {
      getSendingOrder: () => Promise.resolve(ok(pending)),
    })
    const grid = await screen.findByRole('grid', { name: 'Orders of sending #7' })
    await user.click(await within(grid).findByRole('button', { name: 'Show order 12' }))
    const dialog = await screen.findByRole('dialog', { name: 'Order 12 (XKBKNABJK)' })
    expect(await within(dialog).findByText('What will be sent to Connectif')).toBeTruthy()
    expect(
      within(dialog).queryByRole('figure', { name: 'The customer, as a Connectif contact' }),
    ).toBeNull()
    expect(within(dialog).getByText('Connectif has not answered for this order yet.')).toBeTruthy()
  })

  it('offers to retry failed orders only when there are some, and retries them', async () => {
    const { api, user } = await openAt('#/sendings/7', WITH_FAILURES, {
      retryFailed: () => Promise.resolve(ok({ sendingId: 7, retried: 2 })),
    })
    await screen.findByRole('heading', { name: 'Sending #7' })
    await user.click(screen.getByRole('button', { name: 'Retry failed orders' }))
    expect(api.requests('retryFailed')).toEqual([{ sendingId: 7 }])
    expect(await screen.findByText('2 failed orders are being sent again.')).toBeTruthy()
    // The page asks for the sending again to show it running.
    await waitFor(() => expect(api.requests('getSending').length).toBe(2))
    cleanup()

    const done = sendingView({ id: 8, state: 'completed', canRetryFailed: false, hasReport: false })
    await openAt('#/sendings/8', done)
    await screen.findByRole('heading', { name: 'Sending #8' })
    expect(screen.queryByRole('button', { name: 'Retry failed orders' })).toBeNull()
    expect(screen.queryByRole('button', { name: 'Save report' })).toBeNull()
  })

  it('follows a running sending: counts from its events, the grid asked again at most every 2 s', async () => {
    const running = sendingView({
      id: 9,
      state: 'running',
      expectedTotal: 100,
      counts: { total: 10, created: 10, alreadyExisted: 0, failed: 0, skipped: 0, pending: 0 },
      runningHere: true,
    })
    const { api } = await openAt('#/sendings/9', running)
    await screen.findByRole('grid', { name: 'Orders of sending #9' })
    await waitFor(() => expect(api.requests('listSendingOrders').length).toBe(1))
    const created = () =>
      within(screen.getByRole('group', { name: 'Created' })).getByRole('definition').textContent
    expect(created()).toBe('10')

    const progress = (createdCount: number) =>
      act(() =>
        api.emit({
          type: 'progress',
          sendingId: 9,
          expectedTotal: 100,
          counts: {
            total: 60,
            created: createdCount,
            alreadyExisted: 0,
            failed: 0,
            skipped: 0,
            pending: 60 - createdCount,
          },
          perMinute: 600,
          etaSeconds: 5,
          waiting: null,
        }),
      )
    // On a fake clock from here: the test never waits on real time.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    try {
      progress(30)
      expect(created()).toBe('30')
      expect(api.requests('listSendingOrders').length).toBe(2)
      // Within the next 2 s more events fold into one later reload, not one each.
      act(() => {
        vi.advanceTimersByTime(500)
      })
      progress(40)
      progress(50)
      expect(created()).toBe('50')
      expect(screen.getByText('50 of 100 orders processed')).toBeTruthy()
      act(() => {
        vi.advanceTimersByTime(LIVE_RELOAD_MS - 500 - 1)
      })
      expect(api.requests('listSendingOrders').length).toBe(2)
      act(() => {
        vi.advanceTimersByTime(1)
      })
      expect(api.requests('listSendingOrders').length).toBe(3)
    } finally {
      vi.useRealTimers()
    }
  })
})
