// @vitest-environment happy-dom
/**
 * The profiles page's cards (renderer/components/ProfilesPage.tsx) over a fake API: a card names
 * its shop and web address as the store lookup gives them, or where the profile reads its store
 * in plain words when the store cannot be read, never a connection string; in browser mode each
 * secret reads "from variable X"; and "Duplicate" goes to the copy's editor page.
 */
import { cleanup, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { StoreLookup } from '../../preload/contract'
import { ProfilesPage } from '../../renderer/components/ProfilesPage'
import { appInfo, failure, fakeApi, ok, profileView, type FakeAnswers } from './fake-api'
import { renderWithApp } from './render-with-app'

afterEach(() => {
  cleanup()
  window.history.replaceState(null, '', '#/profiles')
})

const MAIN = profileView({ id: 1, name: 'Main store' })

const LOOKUP = {
  version: '8.1.0',
  defaultShopId: 1,
  timezone: 'Europe/Madrid',
  shops: [
    {
      id: 1,
      name: 'Bicis Ana',
      timezone: 'Europe/Madrid',
      active: true,
      url: 'https://www.bicis-ana.example/',
    },
  ],
  languages: [],
  currencies: [],
  languageId: 1,
  states: [],
} as unknown as StoreLookup

function openPage(answers: FakeAnswers, mode: 'browser' | 'electron' = 'browser') {
  const api = fakeApi(answers)
  const onChanged = vi.fn(() => Promise.resolve())
  const rendered = renderWithApp(
    <ProfilesPage
      info={appInfo({ mode, secretStorage: { ok: true } })}
      profiles={[MAIN]}
      onChanged={onChanged}
    />,
    { api, language: 'en' },
  )
  return { ...rendered, onChanged, card: screen.getByRole('article', { name: 'Main store' }) }
}

describe("a profile's card", () => {
  it("names the shop and its web address, read from the store, and the secrets' variables", async () => {
    const { card, api } = openPage({ lookupStore: () => Promise.resolve(ok(LOOKUP)) })
    expect(await within(card).findByText('Bicis Ana')).toBeTruthy()
    expect(within(card).getByTestId('profile-store').textContent).toBe(
      'Bicis Ana · www.bicis-ana.example',
    )
    expect(api.requests('lookupStore')).toEqual([{ profileId: 1 }])
    expect(card.textContent).toContain(
      'Database password: from variable PURCHASE_SENDER_DB_PASSWORD',
    )
    expect(card.textContent).toContain(
      'Connectif API key: from variable PURCHASE_SENDER_CONNECTIF_KEY',
    )
    for (const jargon of [
      'reader@',
      '127.0.0.1:3306',
      '/prestashop',
      'api.connectif.cloud',
      'saved',
    ])
      expect(card.textContent).not.toContain(jargon)
  })

  it('says where the store is in plain words when it cannot be read', async () => {
    const { card, api } = openPage({
      lookupStore: () =>
        Promise.resolve(
          failure({ code: 'store_unreachable', message: 'The store cannot be reached.' }),
        ),
    })
    await waitFor(() => expect(api.requests('lookupStore')).toHaveLength(1))
    expect(within(card).getByTestId('profile-store').textContent).toBe(
      'Store database on 127.0.0.1',
    )
  })

  it('says "saved" in the desktop app, where the keychain keeps the secrets', () => {
    const { card } = openPage({}, 'electron')
    expect(card.textContent).toContain('Database password: saved')
  })

  it("opens the copy's editor page once duplicated", async () => {
    const copy = profileView({ id: 9, name: 'Main store (copy)' })
    const { card, user, onChanged } = openPage({
      duplicateProfile: () => Promise.resolve(ok(copy)),
    })
    await user.click(within(card).getByRole('button', { name: 'Duplicate Main store' }))
    await waitFor(() => expect(window.location.hash).toBe('#/profiles/9'))
    expect(onChanged).toHaveBeenCalled()
  })
})
