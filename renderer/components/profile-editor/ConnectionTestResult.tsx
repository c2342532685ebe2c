import Alert, { type AlertColor } from '@mui/material/Alert'
import AlertTitle from '@mui/material/AlertTitle'
import Stack from '@mui/material/Stack'
import { useTranslation } from 'react-i18next'
import type { ConnectionTest } from '../../../preload/contract'
import { conditionName } from '../../i18n/account-name'
import { errorText } from '../../i18n/error-text'

interface Check {
  readonly key: string
  readonly severity: AlertColor
  /** Notices have none: they follow the store's check. */
  readonly title?: string
  readonly message: string
}

/**
 * What a connection test found: the store (and its warnings), then every Connectif account of the
 * profile, the main one first. In the profile form each check has a title; on a profile's card
 * the title leads the line.
 */
export function ConnectionTestResult({
  test,
  layout,
}: {
  readonly test: ConnectionTest
  readonly layout: 'dialog' | 'card'
}) {
  const { t } = useTranslation()
  const store = test.store
  const checks: Check[] = [
    {
      key: 'store',
      severity: store.ok ? 'success' : 'error',
      title: t('profile.storeCheck'),
      // Main's English sentence unless the language has its own (English keeps main's words).
      message: store.ok
        ? t('connectionCheck.connected', {
            version: store.version,
            count: store.shops.length,
            languages: store.languages.length,
            defaultValue: store.message,
          })
        : errorText(t, store),
    },
    ...(store.ok ? store.notices : []).map((notice): Check => ({
      key: notice.code,
      severity: 'warning',
      message: t(`connectionCheck.notices.${notice.code}`, { defaultValue: notice.message }),
    })),
    ...(test.accounts.length > 0
      ? test.accounts.flatMap((account): Check[] => [
          {
            key: account.targetId ?? 'main',
            severity: account.ok ? 'success' : 'error',
            title:
              account.targetId === null
                ? t('profile.connectifCheck')
                : t('targets.check', { label: conditionName(t, account.account) }),
            message: account.error
              ? errorText(t, account.error)
              : t(`connectionCheck.${account.problem}`, {
                  apiUrl: account.apiUrl,
                  defaultValue: account.message,
                }),
          },
          // Warnings follow their account's check, like the store's notices follow the store's.
          ...(account.warnings ?? []).map((warning): Check => ({
            key: `${account.targetId ?? 'main'}-${warning.code}`,
            severity: 'warning',
            message: t(`connectionCheck.warnings.${warning.code}`, {
              ...warning.params,
              defaultValue: warning.message,
            }),
          })),
        ])
      : [
          {
            key: 'connectif',
            severity: test.connectif.ok ? 'success' : 'error',
            title: t('profile.connectifCheck'),
            message: test.connectif.message,
          } satisfies Check,
        ]),
  ]
  const alerts = checks.map((check) => (
    <Alert key={check.key} severity={check.severity}>
      {check.title === undefined ? null : layout === 'dialog' ? (
        <AlertTitle>{check.title}</AlertTitle>
      ) : (
        <>
          <strong>{check.title}:</strong>{' '}
        </>
      )}
      {check.message}
    </Alert>
  ))
  return layout === 'dialog' ? (
    <Stack spacing={1} aria-label={t('profile.testResults')} role="region">
      {alerts}
    </Stack>
  ) : (
    <Stack spacing={1} sx={{ mt: 2 }}>
      {alerts}
    </Stack>
  )
}
