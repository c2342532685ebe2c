import Card from '@mui/material/Card'
import CardContent from '@mui/material/CardContent'
import FormControlLabel from '@mui/material/FormControlLabel'
import FormHelperText from '@mui/material/FormHelperText'
import Switch from '@mui/material/Switch'
import Typography from '@mui/material/Typography'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppErrorValue, AppSettingsView } from '../../../preload/contract'
import { useApi } from '../../api/api-context'
import { ErrorAlert } from '../ErrorAlert'

/**
 * "Open at login": the desktop app on Windows and macOS sets it; browser mode and Linux show it
 * switched off and disabled, saying why, so the merchant learns how automatic sendings keep
 * running there.
 */
export function OpenAtLoginSetting() {
  const api = useApi()
  const { t } = useTranslation()
  const [settings, setSettings] = useState<AppSettingsView | null>(null)
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<AppErrorValue | null>(null)

  useEffect(() => {
    let live = true
    void api.appSettings().then((result) => {
      if (!live) return
      if (result.ok) setSettings(result.data)
      else setError(result.error)
    })
    return () => {
      live = false
    }
  }, [api])

  const change = async (openAtLogin: boolean) => {
    setSaving(true)
    setError(null)
    const result = await api.saveAppSettings({ openAtLogin })
    setSaving(false)
    if (result.ok) setSettings(result.data)
    else setError(result.error)
  }

  const openAtLogin = settings?.openAtLogin ?? null
  const help =
    openAtLogin === null
      ? null
      : openAtLogin.available
        ? t('settings.openAtLoginHelp')
        : openAtLogin.reason === 'browser'
          ? t('settings.openAtLoginBrowser')
          : t('settings.openAtLoginPlatform')
  return (
    <Card variant="outlined" component="section" aria-labelledby="settings-title">
      <CardContent>
        <Typography id="settings-title" variant="subtitle1" component="h3">
          {t('settings.title')}
        </Typography>
        <FormControlLabel
          control={
            <Switch
              checked={openAtLogin?.available === true && openAtLogin.enabled}
              disabled={openAtLogin?.available !== true || saving}
              onChange={(event) => void change(event.target.checked)}
            />
          }
          label={t('settings.openAtLogin')}
        />
        {help ? <FormHelperText sx={{ ml: 6, mt: -0.5 }}>{help}</FormHelperText> : null}
        <ErrorAlert error={error} />
      </CardContent>
    </Card>
  )
}
