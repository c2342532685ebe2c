import AppBar from '@mui/material/AppBar'
import Card from '@mui/material/Card'
import CardContent from '@mui/material/CardContent'
import Container from '@mui/material/Container'
import CssBaseline from '@mui/material/CssBaseline'
import Toolbar from '@mui/material/Toolbar'
import Typography from '@mui/material/Typography'
import { ThemeProvider, createTheme } from '@mui/material/styles'

const theme = createTheme()

export function App() {
  // Absent outside Electron (browser mode, Playwright against the built renderer).
  const version = window.purchaseSender?.version

  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <AppBar position="static">
        <Toolbar>
          <Typography variant="h6" component="h1" sx={{ flexGrow: 1 }}>
            Purchase Sender
          </Typography>
          {version ? (
            <Typography variant="body2" data-testid="app-version">
              v{version}
            </Typography>
          ) : null}
        </Toolbar>
      </AppBar>
      <Container maxWidth="md" sx={{ py: 4 }}>
        <Card>
          <CardContent>
            <Typography variant="h5" component="h2" gutterBottom>
              Welcome
            </Typography>
            <Typography variant="body1">
              Purchase Sender will read past orders from your PrestaShop store and send them to
              Connectif as purchases. Sending comes in the next release.
            </Typography>
          </CardContent>
        </Card>
      </Container>
    </ThemeProvider>
  )
}
