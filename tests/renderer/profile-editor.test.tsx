// @vitest-environment happy-dom
/**
 * The profile form (renderer/components/profile-editor/ProfileEditor.tsx) rendered for real: its
 * validation with the profile model's rules, in English and Spanish, on the field or the target
 * each problem is about, and what Save sends to main and shows when main refuses.
 */
import { cleanup, screen, within } from '@testing-library/react'
import type { UserEvent } from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import type { AppInfo, ProfileDraft, ProfileView } from '../../preload/contract'
import { ProfileEditor } from '../../renderer/components/profile-editor/ProfileEditor'
import en from '../../renderer/i18n/en.json'
import es from '../../renderer/i18n/es.json'
import { appInfo, failure, fakeApi, ok, profileView, type FakeAnswers } from './fake-api'
import { describedBy, renderWithApp, type Language } from './render-with-app'

afterEach(cleanup)

const BROWSER = appInfo({ mode: 'browser' })
const DESKTOP = appInfo({ mode: 'electron', secretStorage: { ok: true } })

/** Opens the form of a new profile; `saved` collects what `onSaved` receives. */
function openEditor(options: { info?: AppInfo; language?: Language; answers?: FakeAnswers } = {}) {
  const saved: ProfileView[] = []
  const api = fakeApi(options.answers)
  const rendered = renderWithApp(
    <ProfileEditor
      info={options.info ?? BROWSER}
      profile={null}
      onClose={() => undefined}
      onSaved={(profile) => saved.push(profile)}
    />,
    { api, language: options.language ?? 'en' },
  )
  const dialog = screen.getByRole('form', { name: rendered.i18n.t('profile.newTitle') })
  return { ...rendered, dialog, saved }
}

/** A text field of the form by its exact label (a required field's "*" is not in its name). */
function field(container: HTMLElement, label: string): HTMLInputElement {
  return within(container).getByRole<HTMLInputElement>('textbox', { name: label })
}

/**
 * Types `text` into a field at once, as Playwright's `fill` does in the end-to-end specs (one
 * input event rather than one per character, which keeps these tests fast).
 */
async function fill(user: UserEvent, input: HTMLElement, text: string): Promise<void> {
  await user.clear(input)
  await user.paste(text)
}

describe('the profile form', () => {
  it('says on the field that a variable name is not one, and clears it once fixed', async () => {
    const { dialog, user, api } = openEditor()
    const keyEnv = field(dialog, en.profile.keyEnv)
    await fill(user, keyEnv, '1BAD-NAME')
    await user.click(within(dialog).getByRole('button', { name: en.profile.save }))

    // The form checks asynchronously: its verdict shows once it has one.
    expect(await within(dialog).findByText(en.profile.fixErrors)).toBeTruthy()
    expect(keyEnv.getAttribute('aria-invalid')).toBe('true')
    expect(describedBy(keyEnv)).toBe(en.profileRules.env_name)
    expect(api.requests('saveProfile')).toEqual([])

    // Once Save was tried, every change checks the form again.
    await fill(user, keyEnv, 'PURCHASE_SENDER_KEY')
    await expect.poll(() => keyEnv.getAttribute('aria-invalid')).toBe('false')
    expect(describedBy(keyEnv)).toBe(en.profile.keyEnvHelp)
  })

  it('says it in Spanish when the UI is in Spanish', async () => {
    const { dialog, user } = openEditor({ language: 'es' })
    const keyEnv = field(dialog, es.profile.keyEnv)
    await fill(user, keyEnv, 'MI-CLAVE')
    await user.click(within(dialog).getByRole('button', { name: es.profile.save }))

    expect(await within(dialog).findByText(es.profile.fixErrors)).toBeTruthy()
    expect(keyEnv.getAttribute('aria-invalid')).toBe('true')
    expect(describedBy(keyEnv)).toBe(es.profileRules.env_name)
    expect(es.profileRules.env_name).not.toBe(en.profileRules.env_name)
  })

  it('shows an overlap of two routing targets on both of them', async () => {
    const { dialog, user, api } = openEditor()
    const add = within(dialog).getByRole('button', { name: en.targets.add })
    await user.click(add)
    await user.click(add)
    for (const number of [1, 2]) {
      const target = within(dialog).getByRole('group', { name: `Target ${number}` })
      // A comma after a code adds it to the list.
      await fill(
        user,
        within(target).getByRole('combobox', { name: en.targets.currencies }),
        'EUR,',
      )
    }
    await user.click(within(dialog).getByRole('button', { name: en.profile.save }))

    const overlap =
      /^Targets 1 \(EUR, any language\) and 2 \(EUR, any language\) would both serve some orders \(language any, currency EUR, shop any\)/
    for (const number of [1, 2]) {
      const target = within(dialog).getByRole('group', {
        name: `Target ${number}: EUR, any language`,
      })
      expect((await within(target).findByRole('alert')).textContent).toMatch(overlap)
    }
    expect(api.requests('saveProfile')).toEqual([])
  })

  it('sends the profile as typed to main on Save, and hands back the saved one', async () => {
    const view = profileView({ id: 7, name: 'Main store' })
    const { dialog, user, api, saved } = openEditor({
      answers: { saveProfile: () => Promise.resolve(ok(view)) },
    })
    await fill(user, field(dialog, en.profile.name), '  Main store ')
    await fill(user, field(dialog, en.profile.database), 'prestashop')
    await fill(user, field(dialog, en.profile.user), 'reader')
    await fill(user, field(dialog, en.profile.passwordEnv), 'PURCHASE_SENDER_DB_PASSWORD')
    await fill(user, field(dialog, en.profile.keyEnv), 'PURCHASE_SENDER_CONNECTIF_KEY')
    await user.click(within(dialog).getByRole('button', { name: en.profile.save }))

    await expect.poll(() => saved).toEqual([view])
    const expected: ProfileDraft = {
      id: null,
      profile: {
        name: 'Main store',
        source: {
          kind: 'database',
          host: '127.0.0.1',
          port: 3306,
          user: 'reader',
          database: 'prestashop',
          tablePrefix: 'ps_',
          ssl: false,
          passwordEnv: 'PURCHASE_SENDER_DB_PASSWORD',
        },
        connectif: {
          apiUrl: 'https://api.connectif.cloud',
          keyEnv: 'PURCHASE_SENDER_CONNECTIF_KEY',
          mainAccount: true,
          targets: [],
        },
        shopIds: [],
        languageIso: null,
        defaultStateIds: [],
      },
      // Browser mode: main reads every secret from the variables named.
      secrets: {},
    }
    expect(api.requests('saveProfile')).toEqual([expected])
  })

  it('sends the secrets typed in the desktop app with the draft', async () => {
    const { dialog, user, api, saved } = openEditor({
      info: DESKTOP,
      answers: { saveProfile: () => Promise.resolve(ok(profileView())) },
    })
    await fill(user, field(dialog, en.profile.name), 'Main store')
    await fill(user, field(dialog, en.profile.database), 'prestashop')
    await fill(user, field(dialog, en.profile.user), 'reader')
    // Password fields have no textbox role.
    await fill(user, within(dialog).getByLabelText(en.profile.key), 'connectif-secret')
    await user.click(within(dialog).getByRole('button', { name: en.profile.save }))

    await expect.poll(() => saved.length).toBe(1)
    const [draft] = api.requests('saveProfile')
    expect(draft?.secrets).toEqual({ connectifKey: { set: 'connectif-secret' } })
    expect(draft?.profile.connectif.keyEnv).toBeNull()
  })

  it("shows main's refusal of a field on that field, until the field changes", async () => {
    const refusal = failure({
      code: 'invalid_profile',
      message: 'The profile was not saved: source.url: must not carry a secret in its query.',
      details: [
        {
          field: 'source.url',
          code: 'url_secret_query',
          message: 'must not carry a secret in its query ("ws_key")',
          params: { parameter: 'ws_key' },
        },
      ],
    })
    const { dialog, user, api } = openEditor({
      answers: { saveProfile: () => Promise.resolve(refusal) },
    })
    await fill(user, field(dialog, en.profile.name), 'Webservice store')
    await user.click(within(dialog).getByRole('radio', { name: en.profile.sourceWebservice }))
    const url = field(dialog, en.profile.shopUrl)
    // The form leaves the address to main, which completes it before checking it.
    await fill(user, url, 'https://shop.example.com/?ws_key=ABC')
    await fill(user, field(dialog, en.profile.wsKeyEnv), 'PURCHASE_SENDER_WS_KEY')
    await fill(user, field(dialog, en.profile.keyEnv), 'PURCHASE_SENDER_CONNECTIF_KEY')
    await user.click(within(dialog).getByRole('button', { name: en.profile.save }))

    const said = en.profileRules.url_secret_query.replace('{{parameter}}', 'ws_key')
    await expect.poll(() => describedBy(url)).toBe(said)
    expect(url.getAttribute('aria-invalid')).toBe('true')
    expect(api.requests('saveProfile')).toHaveLength(1)
    expect(api.requests('saveProfile')[0]?.profile.source).toEqual({
      kind: 'webservice',
      url: 'https://shop.example.com/?ws_key=ABC',
      keyEnv: 'PURCHASE_SENDER_WS_KEY',
      keyInUrl: false,
    })

    await user.type(url, 'D')
    await expect.poll(() => describedBy(url)).toBe(en.profile.shopUrlHelp)
    expect(url.getAttribute('aria-invalid')).toBe('false')
  })
})
