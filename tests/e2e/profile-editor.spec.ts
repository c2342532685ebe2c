/**
 * The profile editor as a page (issue 19): opened right on a profile by its address
 * (`#/profiles/<id>`, as other screens link to it to fix a refused key or a wrong password), in
 * sections; in browser mode a secret reads "from variable X", never "saved"; changes left unsaved
 * are asked about on Cancel and kept when the merchant goes elsewhere; "Duplicate" lands on the
 * copy's page with its name selected; and a profile's card names its shop, never a connection
 * string. Its own profiles, saved through the API and deleted at the end.
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import { callApi, databaseProfile, env, LONG, saveProfileThroughApi, shot } from './e2e-helpers'

const PROFILE = 'Editor page store'
const COPY = 'Editor page copy'

let profileId = 0

test.beforeAll(async ({ request }) => {
  profileId = await saveProfileThroughApi(request, databaseProfile(PROFILE))
})

test.afterAll(async ({ request }) => {
  const profiles = await callApi<{ id: number; name: string }[]>(request, 'profiles:list', {})
  for (const profile of profiles)
    if (profile.id === profileId || profile.name.startsWith(PROFILE) || profile.name === COPY)
      await callApi(request, 'profiles:delete', { id: profile.id })
})

/** Opens the app right on an address of its own (`#/profiles/12`). */
async function openAt(page: Page, hash: string): Promise<void> {
  const url = new URL(env('E2E_URL'))
  url.hash = hash
  await page.goto(url.href)
}

async function profileNamed(request: APIRequestContext, name: string): Promise<number> {
  const profiles = await callApi<{ id: number; name: string }[]>(request, 'profiles:list', {})
  return profiles.find((profile) => profile.name === name)?.id ?? 0
}

test('a profile opens by its address, in sections, its secrets read from variables', async ({
  page,
}) => {
  await openAt(page, `#/profiles/${profileId}`)
  const editor = page.getByRole('form', { name: `Edit "${PROFILE}"` })
  await expect(editor).toBeVisible()
  await expect(page.getByRole('tab', { name: 'Store profiles' })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  for (const section of [
    'Store',
    'Connectif account',
    'Connectif accounts by language and currency',
    'Shops, language and default statuses',
  ])
    await expect(
      editor.getByRole('region', { name: section, exact: true }).getByRole('heading', {
        level: 3,
        name: section,
        exact: true,
      }),
    ).toBeVisible()
  const store = editor.getByRole('region', { name: 'Store', exact: true })
  await expect(store.getByRole('textbox', { name: 'Host', exact: true })).toHaveValue(
    env('E2E_DB_HOST'),
  )
  // Browser mode saves nothing: each secret is read from the variable the profile names.
  await expect(
    store.getByRole('textbox', { name: 'Database password environment variable', exact: true }),
  ).toHaveAccessibleDescription('Read from variable PURCHASE_SENDER_E2E_DB_PASSWORD, which is set.')
  const connectif = editor.getByRole('region', { name: 'Connectif account', exact: true })
  await expect(
    connectif.getByRole('textbox', {
      name: 'Connectif API key environment variable',
      exact: true,
    }),
  ).toHaveAccessibleDescription(
    'Read from variable PURCHASE_SENDER_E2E_CONNECTIF_KEY, which is set.',
  )
  await expect(editor.getByText(/\bsaved\b/i)).toHaveCount(0)
  // The connection test sits with the Connectif account, under the store.
  await connectif.getByRole('button', { name: 'Test connection' }).click()
  await expect(
    connectif
      .getByRole('region', { name: 'Connection test' })
      .getByRole('alert')
      .filter({ hasText: 'Store' }),
  ).toContainText('Connected: PrestaShop', LONG)
  await shot(page, 'profile-editor-01-page')

  // Cancel asks before it throws changes away.
  const name = editor.getByRole('textbox', { name: 'Profile name', exact: true })
  await name.fill(`${PROFILE} renamed`)
  await editor.getByRole('button', { name: 'Cancel' }).click()
  const confirm = page.getByRole('dialog', { name: 'Discard your changes?' })
  await expect(confirm).toBeVisible()
  await confirm.getByRole('button', { name: 'Keep editing' }).click()
  await expect(confirm).toBeHidden()
  await expect(name).toHaveValue(`${PROFILE} renamed`)

  // Going elsewhere keeps them: the card says so, and the editor brings them back.
  await page.getByRole('tab', { name: 'Store profiles' }).click()
  const card = page.getByRole('article', { name: PROFILE })
  await expect(card.getByText('Unsaved changes')).toBeVisible()
  await card.getByRole('button', { name: `Edit ${PROFILE}` }).click()
  await expect(editor).toBeVisible()
  await expect(editor.getByText('Your unsaved changes from before are back.')).toBeVisible()
  await expect(name).toHaveValue(`${PROFILE} renamed`)
  await editor.getByRole('button', { name: 'Discard them' }).click()
  await expect(name).toHaveValue(PROFILE)
  await editor.getByRole('button', { name: 'Cancel' }).click()
  await expect(editor).toBeHidden()
  await expect(page).toHaveURL(/#\/profiles$/)
  await expect(card.getByRole('button', { name: `Edit ${PROFILE}` })).toBeFocused()
  await expect(card.getByText('Unsaved changes')).toHaveCount(0)
})

test("a profile's card names its shop and its secrets' variables, no connection string", async ({
  page,
}) => {
  await openAt(page, '#/profiles')
  const card = page.getByRole('article', { name: PROFILE })
  const store = card.getByTestId('profile-store')
  // Read from the store once the card shows: a shop's name and its web address.
  await expect(store).not.toContainText('Store database on', LONG)
  await expect(store).toContainText(/\S+ · \S+/)
  const host = env('E2E_DB_HOST')
  for (const jargon of [
    `${host}:${env('E2E_DB_PORT')}`,
    `/${env('E2E_DB_NAME')}`,
    `${env('E2E_DB_USER')}@`,
    'prefix',
    env('E2E_CONNECTIF_URL'),
  ])
    await expect(card).not.toContainText(jargon)
  await expect(card).toContainText(
    'Database password: from variable PURCHASE_SENDER_E2E_DB_PASSWORD',
  )
  await expect(card).toContainText(
    'Connectif API key: from variable PURCHASE_SENDER_E2E_CONNECTIF_KEY',
  )
  await expect(card).not.toContainText(': saved')
  await shot(page, 'profile-editor-02-card')

  // In Spanish too.
  await page.getByRole('button', { name: /^ES \(/ }).click()
  await expect(card).toContainText(
    'Contraseña de la base de datos: de la variable PURCHASE_SENDER_E2E_DB_PASSWORD',
  )
  await page.getByRole('button', { name: /^EN \(/ }).click()
})

test('Duplicate opens the copy, its name selected', async ({ page, request }) => {
  await openAt(page, '#/profiles')
  await page.getByRole('button', { name: `Duplicate ${PROFILE}` }).click()
  const editor = page.getByRole('form', { name: `Edit "${PROFILE} (copy)"` })
  await expect(editor).toBeVisible()
  const copyId = await profileNamed(request, `${PROFILE} (copy)`)
  expect(copyId).toBeGreaterThan(0)
  await expect(page).toHaveURL(new RegExp(`#/profiles/${copyId}$`))
  await expect(editor.getByText(`This is the copy of "${PROFILE}"`)).toBeVisible()
  const name = editor.getByRole('textbox', { name: 'Profile name', exact: true })
  await expect(name).toBeFocused()
  const selected = await name.evaluate((input) => {
    const field = input as unknown as {
      value: string
      selectionStart: number | null
      selectionEnd: number | null
    }
    return field.value.slice(field.selectionStart ?? 0, field.selectionEnd ?? 0)
  })
  expect(selected).toBe(`${PROFILE} (copy)`)
  await shot(page, 'profile-editor-03-copy')

  // Typing replaces the selected name.
  await page.keyboard.type(COPY)
  await editor.getByRole('button', { name: 'Save profile' }).click()
  await expect(editor).toBeHidden()
  await expect(page).toHaveURL(/#\/profiles$/)
  await expect(page.getByRole('article', { name: COPY })).toBeVisible()
  await expect(page.getByRole('article', { name: PROFILE })).toBeVisible()
})

test('an address naming no profile says so, and leads back to the profiles', async ({ page }) => {
  await openAt(page, '#/profiles/999999')
  await expect(page.getByRole('heading', { name: 'Profile not found' })).toBeVisible()
  await page.getByRole('link', { name: 'Back to the profiles' }).click()
  await expect(page).toHaveURL(/#\/profiles$/)
})
