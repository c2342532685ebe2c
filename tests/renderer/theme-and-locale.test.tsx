// @vitest-environment happy-dom
/**
 * Themes, language and locale (renderer/theme/, renderer/i18n/): the theme follows the OS's
 * colour scheme until the merchant picks one in the app bar's menu, and that choice is remembered;
 * motion is reduced when the OS asks; the document's `lang` follows the chosen language; dates and
 * numbers are said in that language's locale, and MUI's own texts too.
 */
import { useTheme } from '@mui/material/styles'
import { act, cleanup, render, screen, within } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import i18next from 'i18next'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setLanguage } from '../../renderer/i18n/i18n'
import {
  formatDateTime,
  formatDay,
  formatNumber,
  formatShortDay,
  isIsoDay,
} from '../../renderer/i18n/locale-format'
import { ruleMessage } from '../../renderer/i18n/rule-message'
import { createAppTheme, DARK_BACKGROUND } from '../../renderer/theme/app-theme'
import { useReducedMotion } from '../../renderer/theme/reduced-motion'
import { THEME_STORAGE } from '../../renderer/theme/theme-mode'
import { ThemeModeSwitch } from '../../renderer/theme/ThemeModeSwitch'
import { fakeApi } from './fake-api'
import { AppProviders, createI18n, type Language } from './render-with-app'

/** The OS's media features, as window.matchMedia answers them; `set` changes one and notifies. */
function fakeMedia(initial: { dark?: boolean; reducedMotion?: boolean } = {}) {
  const state: Record<string, boolean> = {
    '(prefers-color-scheme: dark)': initial.dark ?? false,
    '(prefers-reduced-motion: reduce)': initial.reducedMotion ?? false,
  }
  const listeners = new Map<string, Set<(event: MediaQueryListEvent) => void>>()
  const listenersOf = (query: string) => {
    let set = listeners.get(query)
    if (!set) listeners.set(query, (set = new Set()))
    return set
  }
  const matchMedia = (query: string): MediaQueryList => {
    const add = (_type: string, listener: (event: MediaQueryListEvent) => void) =>
      listenersOf(query).add(listener)
    const remove = (_type: string, listener: (event: MediaQueryListEvent) => void) =>
      listenersOf(query).delete(listener)
    return {
      media: query,
      get matches() {
        return state[query] ?? false
      },
      onchange: null,
      addEventListener: add,
      removeEventListener: remove,
      addListener: (listener: (event: MediaQueryListEvent) => void) => add('change', listener),
      removeListener: (listener: (event: MediaQueryListEvent) => void) =>
        remove('change', listener),
      dispatchEvent: () => true,
    } as unknown as MediaQueryList
  }
  vi.stubGlobal('matchMedia', matchMedia)
  return {
    set(query: string, matches: boolean) {
      state[query] = matches
      const event = { matches, media: query } as MediaQueryListEvent
      act(() => listenersOf(query).forEach((listener) => listener(event)))
    },
  }
}

function Probe() {
  const theme = useTheme()
  return (
    <output data-testid="scheme" data-background={theme.palette.background.default}>
      {theme.palette.mode}
    </output>
  )
}

function renderSwitch(language: Language = 'en') {
  return render(
    <AppProviders api={fakeApi()} i18n={createI18n(language)}>
      <ThemeModeSwitch />
      <Probe />
    </AppProviders>,
  )
}

const scheme = () => screen.getByTestId('scheme').textContent

beforeEach(() => window.localStorage.clear())
afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('the theme', () => {
  it('follows the OS until a scheme is chosen, and remembers the choice', async () => {
    const media = fakeMedia({ dark: true })
    const user = userEvent.setup({ delay: null })
    const first = renderSwitch()
    expect(scheme()).toBe('dark')
    expect(screen.getByTestId('scheme').dataset['background']).toBe(DARK_BACKGROUND)
    // The OS switching to light takes the app with it.
    media.set('(prefers-color-scheme: dark)', false)
    expect(scheme()).toBe('light')
    media.set('(prefers-color-scheme: dark)', true)
    expect(scheme()).toBe('dark')

    await user.click(screen.getByRole('button', { name: 'Theme: As the system' }))
    const menu = screen.getByRole('menu', { name: 'Theme' })
    expect(
      within(menu)
        .getByRole('menuitemradio', { name: 'As the system' })
        .getAttribute('aria-checked'),
    ).toBe('true')
    await user.click(within(menu).getByRole('menuitemradio', { name: 'Light' }))
    expect(scheme()).toBe('light')
    expect(window.localStorage.getItem(THEME_STORAGE.modeStorageKey)).toBe('light')
    first.unmount()

    // Another start of the app: the choice holds against the OS's dark.
    renderSwitch()
    expect(scheme()).toBe('light')
    expect(screen.getByRole('button', { name: 'Theme: Light' })).toBeTruthy()
    media.set('(prefers-color-scheme: dark)', true)
    expect(scheme()).toBe('light')
  })

  it('is chosen in Spanish too, and back to the system', async () => {
    fakeMedia({ dark: false })
    window.localStorage.setItem(THEME_STORAGE.modeStorageKey, 'dark')
    const user = userEvent.setup({ delay: null })
    renderSwitch('es')
    expect(scheme()).toBe('dark')
    await user.click(screen.getByRole('button', { name: 'Tema: Oscuro' }))
    await user.click(screen.getByRole('menuitemradio', { name: 'Como el sistema' }))
    expect(scheme()).toBe('light')
    expect(window.localStorage.getItem(THEME_STORAGE.modeStorageKey)).toBe('system')
  })

  it('reduces motion when the OS asks for it', () => {
    expect(createAppTheme('en').motion.reducedMotion).toBe('system')
    const media = fakeMedia({ reducedMotion: false })
    function Motion() {
      return <output data-testid="motion">{String(useReducedMotion())}</output>
    }
    render(<Motion />)
    expect(screen.getByTestId('motion').textContent).toBe('false')
    media.set('(prefers-reduced-motion: reduce)', true)
    expect(screen.getByTestId('motion').textContent).toBe('true')
  })

  it("says MUI's and MUI X's own texts in the UI's language", () => {
    type Props = { defaultProps: { localeText: Record<string, unknown> } }
    const components = (language: string) =>
      createAppTheme(language).components as unknown as Record<string, Props>
    const es = components('es')
    expect(es['MuiLocalizationProvider']?.defaultProps.localeText['cancelButtonLabel']).toBe(
      'Cancelar',
    )
    expect(es['MuiDataGrid']?.defaultProps.localeText['noRowsLabel']).toBe('Sin filas')
    expect(es['MuiChartsLocalizationProvider']?.defaultProps.localeText['noData']).toBe(
      'No hay datos que mostrar',
    )
    expect(components('en')['MuiDataGrid']?.defaultProps.localeText['noRowsLabel']).toBe('No rows')
  })
})

describe('the language', () => {
  afterEach(() => setLanguage('en'))

  it("is the document's lang, and is remembered", () => {
    expect(document.documentElement.lang).toBe(i18next.language)
    setLanguage('es')
    expect(document.documentElement.lang).toBe('es')
    expect(window.localStorage.getItem('purchase-sender.language')).toBe('es')
    setLanguage('en')
    expect(document.documentElement.lang).toBe('en')
  })
})

describe('dates and numbers', () => {
  it("are said in the language's locale", () => {
    expect(formatNumber('en', 1234567.5)).toBe('1,234,567.5')
    expect(formatNumber('es', 1234567.5)).toBe('1.234.567,5')
    expect(formatDay('en', '2025-01-13')).toBe('1/13/2025')
    expect(formatDay('es', '2025-01-13')).toBe('13/1/2025')
    expect(formatShortDay('en', '2025-01-13')).toBe('Jan 13')
    expect(formatShortDay('es', '2025-01-13')).toBe('13 ene')
    // Midday UTC: the same day on any test machine's clock.
    // Its day written as formatDay writes one, then the time.
    expect(formatDateTime('en', '2025-01-13T12:30:00Z')).toMatch(
      /^1\/13\/2025, \d{1,2}:30\s?[AP]M$/,
    )
    expect(formatDateTime('es', '2025-01-13T12:30:00Z')).toMatch(/^13\/1\/2025, \d{1,2}:30$/)
    expect(formatDateTime('es', null)).toBe('—')
    // Not a day: shown as it came.
    expect(isIsoDay('2025-02-30')).toBe(false)
    expect(formatDay('es', '2025-02-30')).toBe('2025-02-30')
  })

  it('are said so in the sentences too', () => {
    const en = createI18n('en').t
    const es = createI18n('es').t
    expect(en('wizard.orderCount', { count: 12345 })).toBe('12,345 orders')
    expect(es('wizard.orderCount', { count: 12345 })).toBe('12.345 pedidos')
    const rule = {
      field: 'to',
      code: 'range_over_one_year',
      message: 'The range covers more than one year…',
      params: { from: '2024-03-01', to: '2025-06-01', limit: '2025-02-28' },
    }
    expect(ruleMessage(es, rule, 'es')).toBe(
      'El rango abarca más de un año: empezando el 1/3/2024, debe terminar como tarde el 28/2/2025.',
    )
    expect(ruleMessage(en, rule, 'en')).toBe(
      'The range covers more than one year: starting on 3/1/2024, it must end by 2/28/2025.',
    )
  })
})
