// @vitest-environment happy-dom
/**
 * A profile's default statuses in the profile form: the first time the store's statuses are read
 * (a new profile's connection test, a saved profile's lookup), a profile without defaults gets
 * the ones PrestaShop counts as valid, paid orders (`logable` and `paid`, never a deleted one),
 * and the form says so; defaults already chosen are left alone.
 */
import { cleanup, screen, within } from '@testing-library/react'
import type { UserEvent } from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConnectionTest, OrderStateView, ProfileView } from '../../preload/contract'
import { validOrderStateIds } from '../../renderer/components/profile-editor/default-states'
import { ProfileEditor } from '../../renderer/components/profile-editor/ProfileEditor'
import en from '../../renderer/i18n/en.json'
import es from '../../renderer/i18n/es.json'
import { appInfo, fakeApi, ok, profileView, type FakeAnswers } from './fake-api'
import { renderWithApp, type Language } from './render-with-app'

afterEach(cleanup)

function state(id: number, name: string, flags: Partial<OrderStateView> = {}): OrderStateView {
  return {
    id,
    name,
    color: '#4169E1',
    paid: false,
    logable: false,
    shipped: false,
    hidden: false,
    deleted: false,
    cancelled: false,
    ...flags,
  }
}

/** PrestaShop's own statuses, with its flags. */
const STATES: readonly OrderStateView[] = [
  state(1, 'Awaiting check payment'),
  state(2, 'Payment accepted', { paid: true, logable: true }),
  state(3, 'Processing in progress', { paid: true, logable: true }),
  state(4, 'Shipped', { paid: true, logable: true, shipped: true }),
  state(6, 'Canceled'),
  state(7, 'Refunded', { paid: true }),
  state(11, 'Remote payment accepted', { paid: true, logable: true, hidden: true }),
  state(12, 'Old paid status', { paid: true, logable: true, deleted: true }),
]

const TEST: ConnectionTest = {
  store: {
    ok: true,
    message: 'Connected: PrestaShop 8.2.0, 1 shop, 1 language.',
    version: '8.2.0',
    shops: [{ id: 1, name: 'Shop', timezone: 'Europe/Madrid', active: true }],
    languages: [{ id: 1, isoCode: 'en', name: 'English', active: true }],
    currencies: [{ id: 1, isoCode: 'EUR', name: 'Euro', active: true }],
    notices: [],
    states: STATES,
  },
  connectif: { ok: true, message: 'The key works.' },
  accounts: [],
}

function openEditor(
  profile: ProfileView | null,
  answers: FakeAnswers = {},
  language: Language = 'en',
) {
  const api = fakeApi({
    testProfile: () => Promise.resolve(ok(TEST)),
    lookupStore: () =>
      Promise.resolve(
        ok({
          version: '8.2.0',
          defaultShopId: 1,
          timezone: 'Europe/Madrid',
          shops: [],
          languages: [],
          currencies: [],
          languageId: 1,
          states: STATES,
          orderDays: null,
        }),
      ),
    ...answers,
  })
  const rendered = renderWithApp(
    <ProfileEditor
      info={appInfo({ mode: 'browser' })}
      profile={profile}
      onClose={() => undefined}
      onSaved={() => undefined}
    />,
    { api, language },
  )
  return { ...rendered, dialog: screen.getByRole('form') }
}

async function fill(user: UserEvent, input: HTMLElement, text: string): Promise<void> {
  await user.clear(input)
  await user.paste(text)
}

/** The names of the default statuses ticked. */
function ticked(dialog: HTMLElement, legend: string): string[] {
  const group = within(dialog).getByRole('group', { name: legend })
  return within(group)
    .getAllByRole<HTMLInputElement>('checkbox')
    .filter((box) => box.checked)
    .map((box) => box.closest('label')?.textContent ?? '')
}

describe("a profile's default statuses", () => {
  it('are the valid, paid ones once a new profile’s connection test reads the store', async () => {
    const { dialog, user, api } = openEditor(null)
    expect(within(dialog).getByText(en.profile.defaultStatesHint)).toBeTruthy()
    const text = (label: string) => within(dialog).getByRole('textbox', { name: label })
    await fill(user, text(en.profile.name), 'Shop')
    await fill(user, text(en.profile.database), 'prestashop')
    await fill(user, text(en.profile.user), 'reader')
    await fill(user, text(en.profile.passwordEnv), 'PURCHASE_SENDER_DB_PASSWORD')
    await fill(user, text(en.profile.keyEnv), 'PURCHASE_SENDER_CONNECTIF_KEY')
    await user.click(within(dialog).getByRole('button', { name: en.profile.test }))

    await within(dialog).findByRole('group', { name: en.profile.defaultStates })
    expect(api.requests('testProfile')).toHaveLength(1)
    expect(ticked(dialog, en.profile.defaultStates)).toEqual([
      'Payment accepted',
      'Processing in progress',
      'Shipped',
      'Remote payment accepted',
    ])
    expect(within(dialog).getByText(en.profile.validStatesPreselected)).toBeTruthy()
  })

  it('are left as chosen when the profile has some, and the button picks the valid ones', async () => {
    const { dialog, user } = openEditor(profileView({ defaultStateIds: [6] }), {}, 'es')
    const group = await within(dialog).findByRole('group', { name: es.profile.defaultStates })
    await expect.poll(() => ticked(dialog, es.profile.defaultStates)).toEqual(['Canceled'])
    expect(within(dialog).getByText(es.profile.validStatesHelp)).toBeTruthy()
    await user.click(within(group).getByRole('button', { name: es.profile.selectValidStates }))
    expect(ticked(dialog, es.profile.defaultStates)).toEqual([
      'Payment accepted',
      'Processing in progress',
      'Shipped',
      'Remote payment accepted',
    ])
  })

  it('are filled in for a saved profile without any, when its store is read', async () => {
    const { dialog } = openEditor(profileView({ defaultStateIds: [] }))
    await within(dialog).findByRole('group', { name: en.profile.defaultStates })
    await expect
      .poll(() => ticked(dialog, en.profile.defaultStates))
      .toEqual(['Payment accepted', 'Processing in progress', 'Shipped', 'Remote payment accepted'])
  })

  it('leave out deleted and unpaid statuses, and those PrestaShop does not count as sales', () => {
    expect(validOrderStateIds(STATES)).toEqual([2, 3, 4, 11])
    expect(validOrderStateIds([])).toEqual([])
  })
})
