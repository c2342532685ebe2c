// @vitest-environment happy-dom
/**
 * The profiles page's Import… and Export… buttons (renderer/components/profiles/profile-file.tsx)
 * and its History and privacy section (renderer/components/privacy/PrivacySettings.tsx) over a
 * fake API: browser mode downloads the file and sends the text of the file picked, the desktop
 * app has main ask through its dialogs; an imported profile says which secrets to enter again;
 * retention and "Forget a customer" check what is typed before asking main.
 */
import { cleanup, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ImportedProfileView, ProfileView, PurchaseSenderApi } from '../../preload/contract'
import { ProfilesPage } from '../../renderer/components/ProfilesPage'
import { appInfo, failure, fakeApi, ok, profileView, type FakeAnswers } from './fake-api'
import { renderWithApp, type Language } from './render-with-app'

const MAIN = profileView({ id: 1, name: 'Main store' })
/** Imported from a desktop app's file: its stored secrets were left out. */
const IMPORTED = profileView({
  id: 2,
  name: 'Tienda',
  source: {
    kind: 'database',
    host: 'db',
    port: 3306,
    user: 'u',
    database: 'd',
    tablePrefix: 'ps_',
    ssl: false,
    passwordEnv: null,
  },
  connectif: {
    apiUrl: 'https://api.connectif.cloud',
    keyEnv: null,
    mainAccount: true,
    targets: [
      {
        id: 'es-eur',
        apiUrl: 'https://api.connectif.cloud',
        keyEnv: null,
        languages: ['es'],
        currencies: ['EUR'],
        shopIds: [],
        label: 'lang=es,currency=EUR',
      },
    ],
  },
  secrets: {
    dbPassword: 'missing',
    webserviceKey: 'not-needed',
    connectifKey: 'missing',
    targetKeys: { 'es-eur': 'missing' },
  },
})
const IMPORT_RESULT: ImportedProfileView = {
  profile: IMPORTED,
  secretsLeftOut: ['dbPassword', 'connectifKey', 'connectifTarget:es-eur'],
  secretsToEnter: ['dbPassword', 'connectifKey', 'connectifTarget:es-eur'],
}

let createObjectURL: ReturnType<typeof vi.fn>

beforeEach(() => {
  createObjectURL = vi.fn(() => 'blob:profiles')
  Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() })
})

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

function openPage(
  answers: FakeAnswers,
  options: {
    mode?: 'electron' | 'browser'
    language?: Language
    profiles?: readonly ProfileView[]
  } = {},
) {
  const api = fakeApi(answers)
  const onChanged = vi.fn(() => Promise.resolve())
  const rendered = renderWithApp(
    <ProfilesPage
      info={appInfo({ mode: options.mode ?? 'browser' })}
      profiles={options.profiles ?? [MAIN, IMPORTED]}
      onChanged={onChanged}
    />,
    { api, language: options.language ?? 'en' },
  )
  return { ...rendered, onChanged }
}

describe('exporting profiles', () => {
  it('in browser mode, downloads the chosen profiles', async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
    const exportProfiles: PurchaseSenderApi['exportProfiles'] = () =>
      Promise.resolve(
        ok({
          fileName: 'purchase-sender-profiles_main-store_2025-06-30.json',
          content: '{"format":"purchase-sender-profiles"}',
          profiles: ['Main store'],
        }),
      )
    const { api, user } = openPage({ exportProfiles })
    await user.click(screen.getByRole('button', { name: 'Export profiles…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Export profiles' })
    expect(within(dialog).getByText(/never a password or key/)).toBeTruthy()
    const tienda = within(dialog).getByRole('checkbox', { name: 'Tienda' })
    expect((tienda as HTMLInputElement).checked).toBe(true)
    await user.click(tienda)
    await user.click(within(dialog).getByRole('button', { name: 'Export' }))

    expect(api.requests('exportProfiles')).toEqual([{ ids: [1] }])
    expect(
      await screen.findByText(
        'Exported 1 profile: your browser saves it as purchase-sender-profiles_main-store_2025-06-30.json.',
      ),
    ).toBeTruthy()
    expect(createObjectURL).toHaveBeenCalledTimes(1)
    expect(click).toHaveBeenCalledTimes(1)
    expect(api.requests('saveProfilesFile')).toEqual([])
  })

  it('cannot export nothing: Export waits for a profile to be chosen', async () => {
    const { api, user } = openPage({})
    await user.click(screen.getByRole('button', { name: 'Export profiles…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Export profiles' })
    await user.click(within(dialog).getByRole('checkbox', { name: 'Main store' }))
    await user.click(within(dialog).getByRole('checkbox', { name: 'Tienda' }))
    expect(within(dialog).getByText('Choose at least one profile.')).toBeTruthy()
    expect(within(dialog).getByRole<HTMLButtonElement>('button', { name: 'Export' }).disabled).toBe(
      true,
    )
    expect(api.calls.filter((call) => call.method === 'exportProfiles')).toEqual([])
  })

  it('in the desktop app, has main save it through its dialog and says where', async () => {
    const { api, user } = openPage(
      {
        saveProfilesFile: () =>
          Promise.resolve(
            ok({
              saved: true,
              path: '/home/ana/Documents/profiles.json',
              profiles: ['Main store', 'Tienda'],
            }),
          ),
      },
      { mode: 'electron' },
    )
    await user.click(screen.getByRole('button', { name: 'Export profiles…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Export profiles' })
    await user.click(within(dialog).getByRole('button', { name: 'Export' }))
    expect(
      await screen.findByText('Exported 2 profiles to /home/ana/Documents/profiles.json.'),
    ).toBeTruthy()
    expect(api.requests('saveProfilesFile')).toEqual([{ ids: [1, 2] }])
    expect(createObjectURL).not.toHaveBeenCalled()
  })
})

describe('importing profiles', () => {
  it('in browser mode, sends the picked file and says which variables to name', async () => {
    const { api, user, onChanged } = openPage({
      importProfiles: () => Promise.resolve(ok({ imported: [IMPORT_RESULT] })),
    })
    const card = screen.getByRole('article', { name: 'Tienda' })
    expect(within(card).queryByRole('alert')).toBeNull()
    await user.upload(
      screen.getByLabelText('Profiles file to import'),
      new File(['{"format":"purchase-sender-profiles"}'], 'tienda.json', {
        type: 'application/json',
      }),
    )
    await waitFor(() => expect(api.requests('importProfiles')).toHaveLength(1))
    expect(api.requests('importProfiles')[0]).toEqual({
      content: '{"format":"purchase-sender-profiles"}',
      fileName: 'tienda.json',
    })
    expect(await screen.findByText(/Imported 1 profile: "Tienda"\./)).toBeTruthy()
    expect(
      screen.getByText(
        'Tienda: there is no way to read the database password, the Connectif API key, and the Connectif API key of target 1 (Spanish · EUR) here: name their environment variables in the profile and set them before browser mode starts.',
      ),
    ).toBeTruthy()
    expect(onChanged).toHaveBeenCalled()
    expect(within(card).getByText(/^Imported: there is no way to read/)).toBeTruthy()
  })

  it('in the desktop app, opens the file through main and asks to enter the secrets again', async () => {
    const { user } = openPage(
      {
        openProfilesFile: () =>
          Promise.resolve(
            ok({ opened: true, path: '/home/ana/tienda.json', imported: [IMPORT_RESULT] }),
          ),
      },
      { mode: 'electron', language: 'es' },
    )
    expect(screen.queryByLabelText('Archivo de perfiles que importar')).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Importar perfiles…' }))
    expect(
      await screen.findByText(
        'Tienda: vuelve a escribir la contraseña de la base de datos, la clave de API de Connectif y la clave de API de Connectif del destino 1 (español · EUR) (los secretos nunca están en un archivo de perfiles).',
      ),
    ).toBeTruthy()
    const card = screen.getByRole('article', { name: 'Tienda' })
    expect(
      within(card).getByText(
        'Importado sin sus secretos: edita el perfil y vuelve a escribir la contraseña de la base de datos, la clave de API de Connectif y la clave de API de Connectif del destino 1 (español · EUR).',
      ),
    ).toBeTruthy()
  })

  it('says a refused import in Spanish, naming the names taken', async () => {
    const { user } = openPage(
      {
        openProfilesFile: () =>
          Promise.resolve(
            failure({
              code: 'profiles_import_exists',
              message: 'Nothing was imported: …',
              params: { profiles: '"Tienda"', count: '1' },
            }),
          ),
      },
      { mode: 'electron', language: 'es' },
    )
    await user.click(screen.getByRole('button', { name: 'Importar perfiles…' }))
    expect(
      await screen.findByText(/^No se ha importado nada: estos nombres ya se usan aquí: "Tienda"/),
    ).toBeTruthy()
  })

  it('says which profile and field of a malformed file is wrong', async () => {
    const { user } = openPage(
      {
        openProfilesFile: () =>
          Promise.resolve(
            failure({
              code: 'profiles_file_invalid',
              message: '…',
              params: { reason: 'profile', position: '2', profile: 'Broken' },
              details: [
                {
                  field: 'source.port',
                  code: 'profiles_file_field',
                  message: 'source.port: expected number',
                  params: { field: 'source.port', problem: 'expected number' },
                },
              ],
            }),
          ),
      },
      { mode: 'electron' },
    )
    await user.click(screen.getByRole('button', { name: 'Import profiles…' }))
    expect(
      await screen.findByText(
        'Profile 2 of the file ("Broken") is not valid, so nothing was imported: source.port: expected number',
      ),
    ).toBeTruthy()
  })
})

describe('history and privacy', () => {
  it('keeps payloads for ever by default, and saves a number of days once it is valid', async () => {
    const saveRetention: PurchaseSenderApi['saveRetention'] = (request) =>
      Promise.resolve(
        ok({
          days: request.days,
          historyBytes: 1_200_000,
          lastRun: {
            at: '2025-06-30T10:00:00.000Z',
            days: 30,
            sendings: 2,
            orders: 1234,
            bytesBefore: 5_600_000,
            bytesAfter: 1_200_000,
            vacuumed: true,
          },
        }),
      )
    const { api, user } = openPage({ saveRetention })
    const section = screen.getByRole('region', { name: 'History and privacy' })
    const always = within(section).getByRole('radio', { name: 'Keep them' })
    await waitFor(() => expect((always as HTMLInputElement).checked).toBe(true))
    await user.click(within(section).getByRole('radio', { name: 'Remove them after some days' }))
    const days = within(section).getByRole('textbox', { name: 'Days to keep them' })
    await user.clear(days)
    await user.type(days, '0')
    await user.click(within(section).getByRole('button', { name: 'Save' }))
    expect(
      await within(section).findByText('Enter a whole number of days from 1 to 3650.'),
    ).toBeTruthy()
    expect(api.requests('saveRetention')).toEqual([])

    await user.clear(days)
    await user.type(days, '30')
    await user.click(within(section).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(api.requests('saveRetention')).toEqual([{ days: 30 }]))
    expect(await within(section).findByText('Saved.')).toBeTruthy()
    expect(within(section).getByText(/The history takes 1\.2 MB on disk\./)).toBeTruthy()
    expect(
      within(section).getByText(/1,234 orders removed \(5\.6 MB before, 1\.2 MB after\)/),
    ).toBeTruthy()
  })

  it('forgets a customer only after the address is confirmed in its dialog', async () => {
    const forgetCustomer: PurchaseSenderApi['forgetCustomer'] = (request) =>
      Promise.resolve(
        ok({
          email: request.email,
          orders: 3,
          pendingSkipped: 1,
          run: {
            at: '2025-06-30T10:00:00.000Z',
            days: null,
            sendings: 2,
            orders: 3,
            bytesBefore: 10,
            bytesAfter: 8,
            vacuumed: true,
          },
        }),
      )
    const { api, user } = openPage({ forgetCustomer }, { language: 'es' })
    await user.click(screen.getByRole('button', { name: 'Olvidar a un cliente…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Olvidar a un cliente' })
    expect(within(dialog).getByText(/No se puede deshacer\./)).toBeTruthy()
    const email = within(dialog).getByRole('textbox', { name: 'Correo electrónico del cliente' })
    await user.type(email, 'ana')
    await user.click(within(dialog).getByRole('button', { name: 'Olvidar a este cliente' }))
    expect(
      await within(dialog).findByText(
        'Escribe una dirección de correo electrónico, como ana@example.com.',
      ),
    ).toBeTruthy()
    expect(api.requests('forgetCustomer')).toEqual([])

    await user.type(email, '@example.com')
    await user.click(within(dialog).getByRole('button', { name: 'Olvidar a este cliente' }))
    await waitFor(() =>
      expect(api.requests('forgetCustomer')).toEqual([{ email: 'ana@example.com' }]),
    )
    expect(
      await screen.findByText(
        'Se ha borrado ana@example.com del historial: 3 pedidos se conservan sin su correo electrónico, lo enviado ni la respuesta.',
      ),
    ).toBeTruthy()
    expect(screen.queryByRole('dialog')).toBeNull()
  })

  it('says a refusal of main in the dialog, in the user language', async () => {
    const { user } = openPage({
      forgetCustomer: () =>
        Promise.resolve(
          failure({
            code: 'sending_in_progress',
            message: '…',
            params: {
              reason: 'forget',
              running: '4',
              state: 'running',
              since: '',
              pid: '1',
              origin: 'manual',
            },
          }),
        ),
    })
    await user.click(screen.getByRole('button', { name: 'Forget a customer…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Forget a customer' })
    await user.type(
      within(dialog).getByRole('textbox', { name: "Customer's e-mail address" }),
      'ana@example.com',
    )
    await user.click(within(dialog).getByRole('button', { name: 'Forget this customer' }))
    expect(
      await within(dialog).findByText(
        /^A customer cannot be erased while sending #4 is in progress/,
      ),
    ).toBeTruthy()
  })
})
