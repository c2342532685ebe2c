// @vitest-environment happy-dom
/**
 * The send wizard (renderer/components/SendWizard.tsx and its reducer in send-wizard/) rendered
 * for real over a fake API: choosing the profile, the date step asking main's sending rules as
 * the merchant picks and holding Next while one is broken, the statuses step listing the
 * store's statuses with their order counts, and "Skip orders already sent" (on unless unticked)
 * with the summary saying how many orders it leaves out.
 */
import { cleanup, screen, within } from '@testing-library/react'
import type { UserEvent } from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import type {
  OrderCountView,
  ProfileView,
  PurchaseSenderApi,
  SendingRulesView,
  SendingSummary,
  StoreLookup,
} from '../../preload/contract'
import { SendWizard } from '../../renderer/components/SendWizard'
import { appInfo, fakeApi, ok, profileView } from './fake-api'
import { describedBy, renderWithApp } from './render-with-app'

afterEach(cleanup)

const PROFILES: readonly ProfileView[] = [
  profileView({ id: 1, name: 'Main store', defaultStateIds: [2] }),
  profileView({ id: 2, name: 'Outlet store', defaultStateIds: [2, 4] }),
]

/** The range the tests pick starts here; a range starting here may end by LIMIT. */
const FROM = '2024-01-15'
const LIMIT = '2025-01-14'

type RulesRequest = Parameters<PurchaseSenderApi['sendingRules']>[0]

/**
 * What the fake main says of a draft range: the shop's zone and today, and the one-year rule
 * broken when the range starting on FROM ends after LIMIT.
 */
function rulesFor(request: RulesRequest): SendingRulesView {
  const from = request.from ?? null
  const to = request.to ?? null
  const overOneYear = from === FROM && to !== null && to > LIMIT
  return {
    timezone: 'Europe/Madrid',
    today: '2025-06-30',
    earliestStart: '2020-06-30',
    latestEnd: from === FROM ? LIMIT : null,
    violations: overOneYear
      ? [
          {
            field: 'to',
            code: 'range_over_one_year',
            message: `The range covers more than one year: starting on ${FROM}, it must end by ${LIMIT}.`,
            params: { from: FROM, to, limit: LIMIT },
          },
        ]
      : [],
  }
}

const STATE = { paid: false, logable: false, shipped: false, hidden: false, deleted: false }
const LOOKUP: StoreLookup = {
  version: '8.1.0',
  defaultShopId: 1,
  timezone: 'Europe/Madrid',
  shops: [{ id: 1, name: 'Shop', timezone: 'Europe/Madrid', active: true }],
  languages: [{ id: 1, isoCode: 'en', name: 'English', active: true }],
  currencies: [{ id: 1, isoCode: 'EUR', name: 'Euro', active: true }],
  languageId: 1,
  states: [
    { ...STATE, id: 2, name: 'Payment accepted', color: '#32CD32', paid: true },
    { ...STATE, id: 4, name: 'Shipped', color: '#8A2BE2', paid: true, shipped: true },
    { ...STATE, id: 6, name: 'Canceled', color: '#DC143C' },
    // Deleted, and no order of the range has it: not offered.
    { ...STATE, id: 9, name: 'Old status', color: '#999999', deleted: true },
  ],
}

function countsFor(from: string, to: string): OrderCountView {
  return { from, to, total: 13, byState: { '2': 12, '4': 1 }, byShop: { '1': 13 } }
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

function openWizard({ alreadySent = 5 }: { alreadySent?: number } = {}) {
  const api = fakeApi({
    sendingRules: (request) => Promise.resolve(ok(rulesFor(request))),
    lookupStore: () => Promise.resolve(ok(LOOKUP)),
    countOrders: (request) => Promise.resolve(ok(countsFor(request.from, request.to))),
    sendingSummary: (request) => Promise.resolve(ok(summaryFor(request, alreadySent))),
    startSending: () => Promise.resolve(ok({ sendingId: 41, expectedTotal: 12 })),
  })
  return renderWithApp(
    <SendWizard
      info={appInfo()}
      profiles={PROFILES}
      onGoToProfiles={() => undefined}
      onStarted={() => undefined}
    />,
    { api },
  )
}

const nextButton = () => screen.getByRole<HTMLButtonElement>('button', { name: 'Next' })

/**
 * Enters a day (MM/DD/YYYY) into an MUI date field: selects all its sections and pastes the day,
 * which the field takes at once (the end-to-end specs type it digit by digit).
 */
async function enterDate(user: UserEvent, label: string, day: string): Promise<void> {
  const group = screen.getByRole('group', { name: label })
  // A field that was just given a day keeps every section selected (one editable text, no
  // spinbuttons) while it has the focus.
  const month = within(group).queryByRole('spinbutton', { name: 'Month' })
  if (month) await user.click(month)
  else expect(group.contains(document.activeElement)).toBe(true)
  await user.keyboard('{Control>}a{/Control}')
  await user.paste(day)
}

/** On the dates step, a valid range picked: FROM to LIMIT. */
async function pickValidRange(user: UserEvent): Promise<void> {
  await user.click(nextButton())
  await screen.findByRole('region', { name: 'Purchase date range' })
  await enterDate(user, 'Start date', '01/15/2024')
  await enterDate(user, 'End date', '01/14/2025')
}

/** From the first step to the options, with a valid range and the profile's statuses. */
async function goToOptions(user: UserEvent): Promise<HTMLElement> {
  await pickValidRange(user)
  await expect.poll(() => nextButton().disabled).toBe(false)
  await user.click(nextButton())
  await screen.findByRole('region', { name: 'Purchase statuses' })
  await user.click(nextButton())
  return screen.findByRole('region', { name: 'Options and mode' })
}

const skipSentSwitch = (options: HTMLElement) =>
  within(options).getByRole<HTMLInputElement>('switch', { name: 'Skip orders already sent' })

describe('the send wizard', () => {
  it('starts on the first profile, and moves on with the one chosen', async () => {
    const { user, api } = openWizard()
    const profile = screen.getByRole('combobox', { name: 'Profile' })
    expect(profile.textContent).toBe('Main store')
    expect(nextButton().disabled).toBe(false)

    await user.click(profile)
    await user.click(await screen.findByRole('option', { name: 'Outlet store' }))
    expect(profile.textContent).toBe('Outlet store')
    await user.click(nextButton())

    const dates = await screen.findByRole('region', { name: 'Purchase date range' })
    // The rules are asked for the profile chosen: today and the limits are in its shop's zone.
    expect(api.requests('sendingRules')).toEqual([{ profileId: 2 }])
    expect(
      await within(dates).findByText(/Days are in the shop's time zone \(Europe\/Madrid\)/),
    ).toBeTruthy()
    // No range yet: Next waits for one.
    expect(nextButton().disabled).toBe(true)
  })

  it('shows the rule a range breaks, and holds Next until the range keeps the rules', async () => {
    const { user, api } = openWizard()
    await user.click(nextButton())
    await screen.findByRole('region', { name: 'Purchase date range' })

    await enterDate(user, 'Start date', '01/15/2024')
    await enterDate(user, 'End date', '06/29/2025')
    // The days in the UI's locale, not as the rule carries them (YYYY-MM-DD).
    const broken =
      'The range covers more than one year: starting on Jan 15, 2024, it must end by Jan 14, 2025.'
    expect((await screen.findByRole('alert')).textContent).toBe(broken)
    const end = screen.getByRole('group', { name: 'End date' })
    expect(describedBy(end)).toBe(broken)
    expect(end.getAttribute('aria-invalid')).toBe('true')
    expect(nextButton().disabled).toBe(true)
    expect(api.requests('sendingRules').at(-1)).toEqual({
      profileId: 1,
      from: '2024-01-15',
      to: '2025-06-29',
    })

    await enterDate(user, 'End date', '01/14/2025')
    expect(api.requests('sendingRules').at(-1)).toEqual({
      profileId: 1,
      from: '2024-01-15',
      to: '2025-01-14',
    })
    await expect.poll(() => nextButton().disabled).toBe(false)
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it("lists the store's statuses with their orders in the range, the profile's ticked", async () => {
    const { user, api } = openWizard()
    await pickValidRange(user)
    await expect.poll(() => nextButton().disabled).toBe(false)
    await user.click(nextButton())

    const step = await screen.findByRole('region', { name: 'Purchase statuses' })
    // The statuses' fieldset has no accessible name (its legend is not its first child): found
    // as the step's one group, and its legend read as text.
    const statuses = await within(step).findByRole('group')
    expect(
      within(statuses).getByText(
        '13 orders between Jan 15, 2024 and Jan 14, 2025. Choose the statuses to send:',
      ),
    ).toBeTruthy()
    expect(api.requests('lookupStore')).toEqual([{ profileId: 1 }])
    expect(api.requests('countOrders')).toEqual([
      { profileId: 1, from: '2024-01-15', to: '2025-01-14' },
    ])
    const status = (name: RegExp) =>
      within(statuses).getByRole<HTMLInputElement>('checkbox', { name })
    expect(status(/^Payment accepted\s*12 orders$/).checked).toBe(true)
    expect(status(/^Shipped\s*1 order$/).checked).toBe(false)
    expect(status(/^Canceled\s*0 orders$/).checked).toBe(false)
    // A deleted status no order of the range has is not offered.
    expect(within(statuses).getAllByRole('checkbox')).toHaveLength(3)
    expect(within(statuses).getByText('1 status selected')).toBeTruthy()

    await user.click(status(/^Shipped/))
    expect(within(statuses).getByText('2 statuses selected')).toBeTruthy()
  })

  it('skips the orders already sent unless unticked, and says how many the summary leaves out', async () => {
    const { user, api } = openWizard()
    const options = await goToOptions(user)
    expect(skipSentSwitch(options).checked).toBe(true)
    expect(
      within(options).getByText(
        'Orders Purchase Sender already sent to their Connectif account (created, or found already there) are left out and cost no request. Untick it to send them again.',
      ),
    ).toBeTruthy()
    await user.click(nextButton())

    const summary = await screen.findByRole('region', { name: 'Summary and confirmation' })
    expect(
      await within(summary).findByText(
        '5 orders of this range were already sent: they will be skipped and cost no request.',
      ),
    ).toBeTruthy()
    expect(api.requests('sendingSummary').at(-1)).toMatchObject({ profileId: 1, skipSent: true })
    // Only the orders not sent yet are to send, and estimated.
    expect(within(summary).getByTestId('orders-to-send').textContent).toBe('7')
    expect(within(summary).getByTestId('orders-already-sent').textContent).toBe('5')
    expect(
      within(summary).getByText(
        'Purchase Sender will send 7 orders to Connectif. Purchases that already exist there are left as they are.',
      ),
    ).toBeTruthy()

    await user.click(screen.getByRole('button', { name: 'Confirm and send with progress' }))
    await expect.poll(() => api.requests('startSending').length).toBe(1)
    expect(api.requests('startSending')[0]).toMatchObject({
      profileId: 1,
      from: FROM,
      to: LIMIT,
      stateIds: [2],
      options: { skipSent: true },
    })
  })

  it('sends the orders already sent again when the merchant unticks it', async () => {
    const { user, api } = openWizard()
    const options = await goToOptions(user)
    await user.click(skipSentSwitch(options))
    expect(skipSentSwitch(options).checked).toBe(false)
    await user.click(nextButton())

    const summary = await screen.findByRole('region', { name: 'Summary and confirmation' })
    expect((await within(summary).findByTestId('orders-to-send')).textContent).toBe('12')
    expect(api.requests('sendingSummary').at(-1)).toMatchObject({ skipSent: false })
    expect(within(summary).queryByTestId('orders-already-sent')).toBeNull()
    expect(within(summary).queryByText(/already sent: they will be skipped/)).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Confirm and send with progress' }))
    await expect.poll(() => api.requests('startSending').length).toBe(1)
    expect(api.requests('startSending')[0]).toMatchObject({ options: { skipSent: false } })
  })

  it('says when every order of the range was already sent, and has nothing to start', async () => {
    const { user } = openWizard({ alreadySent: 12 })
    await goToOptions(user)
    await user.click(nextButton())
    const summary = await screen.findByRole('region', { name: 'Summary and confirmation' })
    expect((await within(summary).findByTestId('orders-to-send')).textContent).toBe('0')
    expect(
      within(summary).getByText(
        'Every order of this range and these statuses was already sent to its Connectif account: there is nothing new to send. To send them again, untick "Skip orders already sent" in the options.',
      ),
    ).toBeTruthy()
    expect(
      screen.getByRole<HTMLButtonElement>('button', { name: 'Confirm and send with progress' })
        .disabled,
    ).toBe(true)
  })
})
