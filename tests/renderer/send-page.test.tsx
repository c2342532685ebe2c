// @vitest-environment happy-dom
/**
 * The send page (renderer/components/SendPage.tsx and send-page/) rendered for real over a fake
 * API: the last 12 months offered at once with the profile's statuses, the profile's check and
 * what it finds wrong (with the way to the profile), "Skip orders already sent" on unless unticked
 * and the page saying when every order was already sent, the one confirmation with the orders it
 * will skip by reason, and the entries kept when the merchant leaves the page and comes back.
 */
import { cleanup, screen, within } from '@testing-library/react'
import { useState } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import type {
  ConnectionTest,
  OrderCountView,
  ProfileView,
  PurchaseSenderApi,
  SendingSummary,
  StoreLookup,
} from '../../preload/contract'
import { SendPage } from '../../renderer/components/SendPage'
import { SendPageProvider } from '../../renderer/components/send-page/SendPageProvider'
import { appInfo, fakeApi, ok, profileView } from './fake-api'
import { renderWithApp } from './render-with-app'

afterEach(cleanup)

const PROFILES: readonly ProfileView[] = [
  profileView({ id: 1, name: 'Main store', defaultStateIds: [2] }),
  profileView({ id: 2, name: 'Outlet store', defaultStateIds: [2, 4] }),
]

const STATE = {
  paid: false,
  logable: false,
  shipped: false,
  hidden: false,
  deleted: false,
  cancelled: false,
}
const LOOKUP: StoreLookup = {
  version: '8.1.0',
  defaultShopId: 1,
  timezone: 'Europe/Madrid',
  shops: [{ id: 1, name: 'Shop', timezone: 'Europe/Madrid', active: true }],
  languages: [{ id: 1, isoCode: 'en', name: 'English', active: true }],
  currencies: [{ id: 1, isoCode: 'EUR', name: 'Euro', active: true }],
  languageId: 1,
  orderDays: { first: '2025-01-10', last: '2025-06-28' },
  states: [
    { ...STATE, id: 2, name: 'Payment accepted', color: '#32CD32', paid: true, logable: true },
    { ...STATE, id: 4, name: 'Shipped', color: '#8A2BE2', paid: true, logable: true },
    { ...STATE, id: 6, name: 'Canceled', color: '#DC143C', cancelled: true },
  ],
}

function countsFor(from: string, to: string): OrderCountView {
  return { from, to, total: 13, byState: { '2': 12, '6': 1 }, byShop: { '1': 13 } }
}

type SummaryRequest = Parameters<PurchaseSenderApi['sendingSummary']>[0]

/** The fake main's summary: 12 orders of the range, `sent` of them already sent when asked. */
function summaryFor(request: SummaryRequest, sent: number): SendingSummary {
  const alreadySent = request.skipSent === true ? sent : 0
  return {
    from: request.from,
    to: request.to,
    stateIds: request.stateIds,
    ordersToSend: 12,
    alreadySent,
    byState: { '2': 12 },
    rateLimit: request.rateLimit ?? 300,
    estimatedMinutes: (12 - alreadySent) / (request.rateLimit ?? 300),
    byTarget: null,
  }
}

const WORKS: ConnectionTest = {
  store: {
    ok: true,
    message: 'Connected',
    version: '8.1.0',
    shops: [],
    languages: [],
    currencies: [],
    notices: [],
  },
  connectif: { ok: true, message: 'ok' },
  accounts: [
    {
      account: 'main',
      targetId: null,
      apiUrl: 'https://api.connectif.cloud',
      keyEnv: null,
      ok: true,
      problem: 'ok',
      message: 'ok',
    },
  ],
}

const REFUSED: ConnectionTest = {
  ...WORKS,
  connectif: { ok: false, message: 'refused', problem: 'bad_key' },
  accounts: [{ ...WORKS.accounts[0]!, ok: false, problem: 'bad_key', message: 'refused' }],
}

/** The page inside its provider, with another "tab" to leave it for. */
function Tabs() {
  const [other, setOther] = useState(false)
  return (
    <SendPageProvider info={appInfo()} profiles={PROFILES}>
      <button type="button" onClick={() => setOther(!other)}>
        {other ? 'Back to sending' : 'Other tab'}
      </button>
      {other ? null : (
        <SendPage
          profiles={PROFILES}
          onGoToProfiles={() => undefined}
          onStarted={() => undefined}
        />
      )}
    </SendPageProvider>
  )
}

function openPage({ alreadySent = 5, check = WORKS } = {}) {
  const api = fakeApi({
    sendingRules: () =>
      Promise.resolve(
        ok({
          timezone: 'Europe/Madrid',
          today: '2025-06-30',
          earliestStart: '2020-06-30',
          latestEnd: '2025-06-30',
          violations: [],
        }),
      ),
    lookupStore: () => Promise.resolve(ok(LOOKUP)),
    countOrders: (request) => Promise.resolve(ok(countsFor(request.from, request.to))),
    weeklyCounts: (request) => Promise.resolve(ok({ ...request, weeks: [] })),
    sendingSummary: (request) => Promise.resolve(ok(summaryFor(request, alreadySent))),
    testProfile: () => Promise.resolve(ok(check)),
    expectedSkips: () =>
      Promise.resolve(
        ok({
          orders: 12,
          skipped: 3,
          byReason: [
            { code: 'customer_deleted', orders: 2 },
            { code: 'no_email', orders: 1 },
          ],
        }),
      ),
    startSending: () => Promise.resolve(ok({ sendingId: 41, expectedTotal: 12 })),
  })
  return renderWithApp(<Tabs />, { api })
}

const review = () => screen.getByRole<HTMLButtonElement>('button', { name: 'Review and send' })
/** The page's reads answered and summed up (a big screen renders slowly under happy-dom). */
const LONG = { timeout: 8_000 }
const ready = () => screen.findByText('7 orders ready to send.', {}, LONG)

describe('the send page', () => {
  it('offers the last 12 months with the profile’s statuses, and says what is ready', async () => {
    const { api } = openPage()
    expect(await ready()).toBeTruthy()
    expect(api.requests('countOrders').at(-1)).toEqual({
      profileId: 1,
      from: '2024-07-01',
      to: '2025-06-30',
    })
    const validated = screen.getByRole('group', { name: 'Validated / paid' })
    expect(
      within(validated).getByRole<HTMLInputElement>('checkbox', { name: /^Payment accepted/ })
        .checked,
    ).toBe(true)
    expect(within(validated).getByText('No orders')).toBeTruthy()
    expect(screen.getByTestId('selected-total').textContent).toBe('12 orders selected')
    expect(review().disabled).toBe(false)
    expect(screen.getByTestId('profile-check-ok')).toBeTruthy()
  })

  it('stays ready when an option the summary does not depend on changes', async () => {
    const { user, api } = openPage()
    await ready()
    const asked = api.requests('sendingSummary').length
    await user.click(screen.getByRole('button', { name: /^Advanced/ }))
    await user.click(screen.getByRole('switch', { name: 'Create missing contacts' }))
    expect(await ready()).toBeTruthy()
    expect(review().disabled).toBe(false)
    expect(api.requests('sendingSummary').length).toBe(asked)
  })

  it('says what the profile’s check finds wrong, with the way to the profile', async () => {
    openPage({ check: REFUSED })
    const problems = await screen.findByTestId('profile-check-problems')
    expect(problems.textContent).toContain('Connectif (Main account):')
    expect(problems.textContent).toContain('Connectif refused the key.')
    const link = within(problems).getByRole('link', { name: 'Open the profile' })
    expect(link.getAttribute('href')).toBe('#/profiles/1')
  })

  it('says when every order was already sent, and has nothing to confirm', async () => {
    openPage({ alreadySent: 12 })
    expect(
      await screen.findByText(
        'Nothing to send: every order of these statuses in this range was already sent. To send them again, untick "Skip orders already sent" under Advanced.',
        {},
        LONG,
      ),
    ).toBeTruthy()
    expect(review().disabled).toBe(true)
  })

  it('confirms with the summary and the orders it will skip by reason, then sends', async () => {
    const { user, api } = openPage()
    await ready()
    await user.click(review())
    const dialog = await screen.findByRole('dialog', { name: 'Confirm the sending' })
    expect(within(dialog).getByTestId('orders-to-send').textContent).toBe('7')
    expect(within(dialog).getByTestId('orders-already-sent').textContent).toBe('5')
    const skips = within(dialog).getByRole('region', { name: 'Orders that will be skipped' })
    expect((await within(skips).findAllByRole('listitem')).map((item) => item.textContent)).toEqual(
      ['2 orders of deleted customers', '1 order without e-mail'],
    )
    expect(api.requests('expectedSkips').at(-1)).toEqual({
      profileId: 1,
      from: '2024-07-01',
      to: '2025-06-30',
      stateIds: [2],
    })
    await user.click(within(dialog).getByRole('button', { name: 'Send with progress' }))
    await expect.poll(() => api.requests('startSending').length).toBe(1)
    expect(api.requests('startSending')[0]).toMatchObject({
      profileId: 1,
      stateIds: [2],
      mode: 'progress',
      options: { skipSent: true, triggerWorkflows: false },
    })
  })

  it('asks before sending statuses that are not validated', async () => {
    const { user } = openPage()
    await ready()
    await user.click(screen.getByRole('checkbox', { name: /^Canceled/ }))
    await expect.poll(() => review().disabled).toBe(false)
    await user.click(review())
    const dialog = await screen.findByRole('dialog', { name: 'Confirm the sending' })
    const send = within(dialog).getByRole<HTMLButtonElement>('button', {
      name: 'Send in background',
    })
    expect(send.disabled).toBe(true)
    await user.click(
      within(dialog).getByRole('checkbox', { name: 'Send them as purchases anyway' }),
    )
    expect(send.disabled).toBe(false)
  })

  it('keeps the entries when the merchant leaves the page and comes back', async () => {
    const { user } = openPage()
    await ready()
    await user.click(screen.getByRole('button', { name: 'This year' }))
    // The new range's orders are counted again before the statuses show.
    await user.click(await screen.findByRole('checkbox', { name: /^Canceled/ }, LONG))
    await user.click(screen.getByRole('button', { name: /^Advanced/ }))
    await user.click(screen.getByRole('switch', { name: 'Skip orders already sent' }))

    await user.click(screen.getByRole('button', { name: 'Other tab' }))
    expect(screen.queryByRole('button', { name: 'Review and send' })).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Back to sending' }))

    expect(screen.getByRole('button', { name: 'This year' }).getAttribute('aria-pressed')).toBe(
      'true',
    )
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: /^Canceled/ }).checked).toBe(true)
    expect(screen.getByRole('button', { name: /^Advanced/ }).textContent).toContain(
      'Orders already sent are sent again',
    )
  })
})
