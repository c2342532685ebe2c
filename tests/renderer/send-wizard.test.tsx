// @vitest-environment happy-dom
/**
 * The send wizard (renderer/components/SendWizard.tsx and its reducer in send-wizard/) rendered
 * for real over a fake API: choosing the profile, the date step asking main's sending rules as
 * the merchant picks and holding Next while one is broken, and the statuses step listing the
 * store's statuses with their order counts.
 */
import { cleanup, screen, within } from '@testing-library/react'
import type { UserEvent } from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import type {
  OrderCountView,
  ProfileView,
  PurchaseSenderApi,
  SendingRulesView,
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

const STATE = { paid: false, shipped: false, hidden: false, deleted: false }
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

function openWizard() {
  const api = fakeApi({
    sendingRules: (request) => Promise.resolve(ok(rulesFor(request))),
    lookupStore: () => Promise.resolve(ok(LOOKUP)),
    countOrders: (request) => Promise.resolve(ok(countsFor(request.from, request.to))),
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
    const broken =
      'The range covers more than one year: starting on 2024-01-15, it must end by 2025-01-14.'
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
})
