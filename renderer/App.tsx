import Alert from '@mui/material/Alert'
import AlertTitle from '@mui/material/AlertTitle'
import Container from '@mui/material/Container'
import CssBaseline from '@mui/material/CssBaseline'
import { ThemeProvider } from '@mui/material/styles'
import { LocalizationProvider } from '@mui/x-date-pickers/LocalizationProvider'
import { AdapterLuxon } from '@mui/x-date-pickers/AdapterLuxon'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiContext } from './api/api-context'
import { getApi } from './api/api-client'
import { AppShell } from './components/AppShell'
import './i18n/i18n'
import { dayFieldFormat } from './i18n/locale-format'
import { createAppTheme } from './theme/app-theme'
import { THEME_STORAGE } from './theme/theme-mode'

export function App() {
  const { t, i18n } = useTranslation()
  // Absent outside Electron and without a browser-mode token: explain instead of crashing.
  const api = useMemo(() => getApi(), [])
  // Light and dark, MUI's and MUI X's texts in the UI's language (renderer/theme/).
  const theme = useMemo(() => createAppTheme(i18n.language), [i18n.language])
  const dateFormats = useMemo(
    () => ({ keyboardDate: dayFieldFormat(i18n.language) }),
    [i18n.language],
  )

  return (
    <ThemeProvider theme={theme} {...THEME_STORAGE}>
      {/* enableColorScheme: scrollbars and native controls follow the scheme too. */}
      <CssBaseline enableColorScheme />
      {/* Date fields write a day as the sentences do (renderer/i18n/locale-format.ts). */}
      <LocalizationProvider
        dateAdapter={AdapterLuxon}
        adapterLocale={i18n.language}
        dateFormats={dateFormats}
      >
        {api ? (
          <ApiContext.Provider value={api}>
            <AppShell />
          </ApiContext.Provider>
        ) : (
          <Container component="main" maxWidth="sm" sx={{ py: 10 }}>
            <Alert severity="error" variant="outlined">
              {/* The page's only heading. */}
              <AlertTitle component="h1">{t('app.noBridgeTitle')}</AlertTitle>
              {t('app.noBridge')}
            </Alert>
          </Container>
        )}
      </LocalizationProvider>
    </ThemeProvider>
  )
}
