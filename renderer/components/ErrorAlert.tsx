import Alert from '@mui/material/Alert'
import AlertTitle from '@mui/material/AlertTitle'
import { useTranslation } from 'react-i18next'
import type { AppErrorValue } from '../../preload/contract'
import { ruleMessage } from './format'

/** An error value from the backend: its message, and its details when there are several. */
export function ErrorAlert({ error, title }: { error: AppErrorValue | null; title?: string }) {
  const { t } = useTranslation()
  if (!error) return null
  const details = error.details ?? []
  return (
    <Alert severity="error" sx={{ my: 1 }}>
      {title ? <AlertTitle>{title}</AlertTitle> : null}
      {error.message}
      {details.length > 1 ? (
        <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
          {details.map((detail, index) => (
            <li key={index}>{ruleMessage(t, detail)}</li>
          ))}
        </ul>
      ) : null}
    </Alert>
  )
}
