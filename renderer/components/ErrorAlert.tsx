import Alert from '@mui/material/Alert'
import AlertTitle from '@mui/material/AlertTitle'
import { useTranslation } from 'react-i18next'
import type { AppErrorValue } from '../../preload/contract'
import { errorWithDetails } from '../i18n/error-text'
import { ruleMessage } from './format'

/**
 * An error value from the backend in the UI's language: its sentence, and its details (broken
 * rules, profile fields) after it, as a list when there are several.
 */
export function ErrorAlert({ error, title }: { error: AppErrorValue | null; title?: string }) {
  const { t, i18n } = useTranslation()
  if (!error) return null
  const { text, details } = errorWithDetails(t, error, (detail) =>
    ruleMessage(t, detail, i18n.language),
  )
  return (
    <Alert severity="error" sx={{ my: 1 }}>
      {title ? <AlertTitle>{title}</AlertTitle> : null}
      {details.length === 1 ? `${text} ${details[0]}` : text}
      {details.length > 1 ? (
        <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
          {details.map((detail, index) => (
            <li key={index}>{detail}</li>
          ))}
        </ul>
      ) : null}
    </Alert>
  )
}
