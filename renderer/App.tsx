import Alert from '@mui/material/Alert'
import AlertTitle from '@mui/material/AlertTitle'
import Container from '@mui/material/Container'
import CssBaseline from '@mui/material/CssBaseline'
import { ThemeProvider, createTheme } from '@mui/material/styles'
import { LocalizationProvider } from '@mui/x-date-pickers/LocalizationProvider'
import { AdapterLuxon } from '@mui/x-date-pickers/AdapterLuxon'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiContext } from './api/api-context'
import { getApi } from './api/api-client'
import { AppShell } from './components/AppShell'
import './i18n/i18n'

const theme = createTheme({
  palette: {
    primary: { main: '#1f4e8c' },
    secondary: { main: '#f5a623' },
    background: { default: '#f4f6f9' },
  },
  shape: { borderRadius: 8 },
})

export function App() {
  const { t, i18n } = useTranslation()
  // Absent outside Electron and without a browser-mode token: explain instead of crashing.
  const api = useMemo(() => getApi(), [])

  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <LocalizationProvider dateAdapter={AdapterLuxon} adapterLocale={i18n.language}>
        {api ? (
          <ApiContext.Provider value={api}>
            <AppShell />
          </ApiContext.Provider>
        ) : (
          <Container maxWidth="sm" sx={{ py: 10 }}>
            <Alert severity="error" variant="outlined">
              <AlertTitle>{t('app.noBridgeTitle')}</AlertTitle>
              {t('app.noBridge')}
            </Alert>
          </Container>
        )}
      </LocalizationProvider>
    </ThemeProvider>
  )
}
