/**
 * The app's MUI theme: a light and a dark colour scheme (MUI's `colorSchemes`; the ThemeProvider
 * picks one from the mode the merchant chose, system, light or dark, and remembers it, see
 * theme-mode.ts), MUI's and MUI X's own texts in the UI's language, and motion reduced when the
 * OS asks for it.
 *
 * No CSS theme variables: with them MUI needs its InitColorSchemeScript, an inline <script> the
 * CSP (script-src 'self') blocks, and `theme.palette` would stay the light one for the charts'
 * colours. Without them the provider re-renders with the chosen scheme's palette, read from
 * localStorage before the first render (`noSsr`), so there is no flash.
 *
 * Every text colour reaches 4.5:1 against the backgrounds it is drawn on, in both schemes:
 * `contrastThreshold: 4.5` makes MUI pick the text on coloured surfaces (filled chips, contained
 * buttons) by that ratio, and the dark scheme's colours are light enough to be text on its
 * backgrounds (its surfaces have no elevation overlay, which would lighten dialogs and menus
 * below that).
 */
import { enUS as coreEnUS, esES as coreEsES } from '@mui/material/locale'
import { createTheme, type Theme } from '@mui/material/styles'
import { enUS as gridEnUS, esES as gridEsES } from '@mui/x-data-grid/locales'
import { enUS as pickersEnUS, esES as pickersEsES } from '@mui/x-date-pickers/locales'
import { FOCUS_RING_GLOBAL, focusRingOfButtons } from './focus-ring'
import { REDUCED_MOTION_QUERY } from './reduced-motion'

/** The light scheme's primary blue, the app's colour. */
export const PRIMARY_BLUE = '#1f4e8c'
/** The dark scheme's page background, and the app bar's there. */
export const DARK_BACKGROUND = '#0e1217'
const DARK_APP_BAR = '#18243a'

/**
 * MUI X Charts have no Spanish texts of their own: the few a chart of this app can show
 * (its loading and empty overlays, a missing value read out by screen readers).
 */
const chartsEsES = {
  components: {
    MuiChartsLocalizationProvider: {
      defaultProps: {
        localeText: {
          loading: 'Cargando datos…',
          noData: 'No hay datos que mostrar',
          a11yNoValue: 'sin valor',
        },
      },
    },
  },
}

const LOCALES: Readonly<Record<string, readonly object[]>> = {
  en: [coreEnUS, pickersEnUS, gridEnUS],
  es: [coreEsES, pickersEsES, gridEsES, chartsEsES],
}

/** The theme for the UI's `language` (`en`, `es`): MUI's texts follow it. */
export function createAppTheme(language: string): Theme {
  return createTheme(
    {
      colorSchemes: {
        light: {
          palette: {
            contrastThreshold: 4.5,
            primary: { main: PRIMARY_BLUE },
            // The amber is for marks on dark surfaces (the app bar's tab indicator, the
            // snackbar's button); as text on white it is `dark` (5.6:1), see MuiChip below.
            secondary: { main: '#f5a623', dark: '#945a00' },
            background: { default: '#f4f6f9' },
          },
        },
        dark: {
          palette: {
            contrastThreshold: 4.5,
            primary: { main: '#90b8f0' },
            secondary: { main: '#f5a623' },
            error: { main: '#ff7a70' },
            warning: { main: '#ffb74d' },
            info: { main: '#4fc3f7' },
            success: { main: '#81c784' },
            background: { default: DARK_BACKGROUND, paper: '#1a212b' },
          },
        },
      },
      shape: { borderRadius: 8 },
      // Transitions, ripples and progress animations stop when the OS asks for reduced motion.
      motion: { reducedMotion: 'system' },
      components: {
        MuiCssBaseline: {
          styleOverrides: {
            // The keyboard's focus, always visible (focus-ring.ts).
            ...FOCUS_RING_GLOBAL,
            // What MUI's own reduced-motion styles leave moving (the data grid's loading
            // skeletons, any other animation): over at once.
            [`@media ${REDUCED_MOTION_QUERY}`]: {
              '*, *::before, *::after': {
                animationDuration: '0.01ms !important',
                animationIterationCount: '1 !important',
                transitionDuration: '0.01ms !important',
                scrollBehavior: 'auto !important',
              },
            },
          },
        },
        MuiButtonBase: {
          styleOverrides: { root: ({ theme }) => focusRingOfButtons(theme) },
        },
        MuiPaper: {
          styleOverrides: {
            // Dark surfaces keep their colour at every elevation (see above).
            root: ({ theme }) => (theme.palette.mode === 'dark' ? { backgroundImage: 'none' } : {}),
          },
        },
        MuiChip: {
          styleOverrides: {
            root: ({ ownerState, theme }) =>
              ownerState.variant === 'outlined' &&
              ownerState.color === 'secondary' &&
              theme.palette.mode === 'light'
                ? {
                    color: theme.palette.secondary.dark,
                    '& .MuiChip-icon': { color: theme.palette.secondary.dark },
                  }
                : {},
          },
        },
        MuiAppBar: {
          styleOverrides: {
            // The dark scheme's primary is a light blue for text: the bar stays dark instead.
            root: ({ theme }) =>
              theme.palette.mode === 'dark'
                ? { '--AppBar-background': DARK_APP_BAR, '--AppBar-color': '#fff' }
                : {},
          },
        },
      },
    },
    ...(LOCALES[language] ?? LOCALES['en'] ?? []),
  )
}
