/**
 * Renders a screen of the renderer as the app does (renderer/App.tsx): a fresh i18next instance
 * with the real English and Spanish texts, MUI's LocalizationProvider with the Luxon adapter in
 * the UI's language, the app's theme, and the API context holding a fake API the test controls
 * (fake-api.ts). Runs under happy-dom (the test file says so in its docblock). Not a test file.
 *
 * One difference from the app: MUI's CSS is not put into the page. happy-dom lays nothing out,
 * so the styles change nothing the tests can see, but every `getComputedStyle` (which each
 * `getByRole` and each click calls for the elements and their ancestors, to skip hidden ones)
 * matches them all: with them, a role query on the profile form took four to six times as long
 * (25-120 ms each). What hides an element from assistive technologies (`hidden`, `aria-hidden`,
 * inline styles, unmounting) still hides it here.
 */
import createCache from '@emotion/cache'
import { CacheProvider } from '@emotion/react'
import { ThemeProvider } from '@mui/material/styles'
import { AdapterLuxon } from '@mui/x-date-pickers/AdapterLuxon'
import { LocalizationProvider } from '@mui/x-date-pickers/LocalizationProvider'
import { render, type RenderResult } from '@testing-library/react'
import { userEvent, type UserEvent } from '@testing-library/user-event'
import i18next, { type i18n } from 'i18next'
import { useMemo, type ReactElement, type ReactNode } from 'react'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { ApiContext } from '../../renderer/api/api-context'
import en from '../../renderer/i18n/en.json'
import es from '../../renderer/i18n/es.json'
import { dayFieldFormat } from '../../renderer/i18n/locale-format'
import { createAppTheme } from '../../renderer/theme/app-theme'
import { THEME_STORAGE } from '../../renderer/theme/theme-mode'
import { fakeApi, type FakeApi } from './fake-api'

export type Language = 'en' | 'es'

/** An i18next instance of its own, initialised synchronously like the app's (i18n/i18n.ts). */
export function createI18n(language: Language): i18n {
  const instance = i18next.createInstance()
  void instance.use(initReactI18next).init({
    resources: { en: { translation: en }, es: { translation: es } },
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  })
  return instance
}

/** An emotion cache that records the styles as inserted without putting them in the page. */
function unstyledCache() {
  const cache = createCache({ key: 'test' })
  cache.insert = (_selector, serialized) => {
    cache.inserted[serialized.name] = true
  }
  return cache
}

const styles = unstyledCache()

export function AppProviders(props: {
  readonly api: FakeApi
  readonly i18n: i18n
  readonly children: ReactNode
}) {
  const language = props.i18n.language
  const theme = useMemo(() => createAppTheme(language), [language])
  return (
    <CacheProvider value={styles}>
      <I18nextProvider i18n={props.i18n}>
        {/* App.tsx's theme and theme settings, in the test's language. */}
        <ThemeProvider theme={theme} {...THEME_STORAGE}>
          <LocalizationProvider
            dateAdapter={AdapterLuxon}
            adapterLocale={language}
            dateFormats={{ keyboardDate: dayFieldFormat(language) }}
          >
            <ApiContext.Provider value={props.api}>{props.children}</ApiContext.Provider>
          </LocalizationProvider>
        </ThemeProvider>
      </I18nextProvider>
    </CacheProvider>
  )
}

export interface AppRender extends RenderResult {
  readonly api: FakeApi
  readonly user: UserEvent
  readonly i18n: i18n
}

/** Renders `ui` inside the app's providers; `api` defaults to a fake answering only the basics. */
export function renderWithApp(
  ui: ReactElement,
  options: { readonly api?: FakeApi; readonly language?: Language } = {},
): AppRender {
  const api = options.api ?? fakeApi()
  const instance = createI18n(options.language ?? 'en')
  // No artificial delay between keystrokes: the tests stay fast, and nothing here needs one.
  const user = userEvent.setup({ delay: null })
  const result = render(
    <AppProviders api={api} i18n={instance}>
      {ui}
    </AppProviders>,
  )
  return { ...result, api, user, i18n: instance }
}

/** What an element says under it: the text of its accessible description (MUI's helper text). */
export function describedBy(element: Element): string {
  const ids = (element.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean)
  return ids.map((id) => element.ownerDocument.getElementById(id)?.textContent ?? '').join(' ')
}
