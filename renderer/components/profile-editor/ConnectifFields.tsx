import Typography from '@mui/material/Typography'
import { useWatch } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import type { AppErrorValue, ProfileView } from '../../../preload/contract'
import { serverDetailText, serverFieldProblem } from './form-errors'
import { FormTextField } from './FormTextField'
import { usesMainAccount, type ProfileFormValues } from './profile-form'
import { SecretFormField } from './SecretFormField'

/**
 * The main Connectif account: its URL and key (the routing targets have their own section). With
 * targets that serve every order sent, it is not used and needs no key.
 */
export function ConnectifFields(props: {
  readonly browserMode: boolean
  readonly secrets: ProfileView['secrets'] | undefined
  readonly serverError: AppErrorValue | null
}) {
  const { t } = useTranslation()
  const connectif = useWatch<ProfileFormValues, 'connectif'>({ name: 'connectif' })
  return (
    <>
      <FormTextField
        name="connectif.apiUrl"
        label={t('profile.apiUrl')}
        problem={serverFieldProblem(props.serverError, 'connectif.apiUrl', serverDetailText(t))}
      />
      {usesMainAccount({ connectif }) ? (
        <SecretFormField
          name="secrets.connectifKey"
          envName="connectif.keyEnv"
          browserMode={props.browserMode}
          status={props.secrets?.connectifKey}
          label={t('profile.key')}
          envLabel={t('profile.keyEnv')}
          envHelp={t('profile.keyEnvHelp')}
          envRequired
        />
      ) : (
        <Typography variant="body2" color="text.secondary">
          {t('targets.mainNotUsed')}
        </Typography>
      )}
    </>
  )
}
