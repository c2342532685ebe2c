import Chip from '@mui/material/Chip'
import Stack from '@mui/material/Stack'
import { useTranslation } from 'react-i18next'
import type { ProfileView, SecretStatus } from '../../../preload/contract'
import { targetName } from '../../i18n/account-name'
import { secretStatusText } from './secret-text'

/**
 * A profile's secrets on its card, each with its state: saved or missing where the app keeps
 * them, read from a variable (set or not) where variables name them; and its routing targets.
 */
export function ProfileSecretChips(props: {
  readonly profile: ProfileView
  readonly fromVariables: boolean
  /** Its editor was left with changes not saved. */
  readonly unsaved: boolean
}) {
  const { t } = useTranslation()
  const { profile, fromVariables } = props
  const source = profile.source
  const text = (status: SecretStatus | 'not-needed', variable: string | null) =>
    secretStatusText(t, status, variable, fromVariables)
  // A database user may have no password: no variable named is then no problem.
  const passwordMissing =
    profile.secrets.dbPassword === 'missing' &&
    !(fromVariables && source.kind === 'database' && source.passwordEnv === null)
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ mt: 1, flexWrap: 'wrap' }}>
      {props.unsaved ? (
        <Chip size="small" color="info" label={t('profiles.unsavedChanges')} />
      ) : null}
      {source.kind === 'database' ? (
        <Chip
          size="small"
          color={passwordMissing ? 'warning' : 'default'}
          label={`${t('profile.password')}: ${text(profile.secrets.dbPassword, source.passwordEnv)}`}
        />
      ) : (
        <Chip
          size="small"
          color={profile.secrets.webserviceKey === 'missing' ? 'warning' : 'default'}
          label={`${t('profile.wsKey')}: ${text(profile.secrets.webserviceKey, source.keyEnv)}`}
        />
      )}
      {profile.connectif.mainAccount ? (
        <Chip
          size="small"
          color={profile.secrets.connectifKey === 'missing' ? 'warning' : 'default'}
          label={`${t('profile.key')}: ${text(profile.secrets.connectifKey, profile.connectif.keyEnv)}`}
        />
      ) : null}
      {profile.connectif.targets.map((target) => {
        const status = profile.secrets.targetKeys[target.id] ?? 'missing'
        return (
          <Chip
            key={target.id}
            size="small"
            variant="outlined"
            color={status === 'missing' ? 'warning' : 'default'}
            label={t('targets.chip', {
              label: targetName(t, target.label),
              status: text(status, target.keyEnv),
            })}
          />
        )
      })}
      {profile.connectif.targets.length > 0 ? (
        <Chip
          size="small"
          variant="outlined"
          label={profile.connectif.mainAccount ? t('targets.restToMain') : t('targets.restSkipped')}
        />
      ) : null}
    </Stack>
  )
}
