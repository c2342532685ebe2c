import Typography from '@mui/material/Typography'
import { useWatch } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import type { AppErrorValue, ProfileView } from '../../../preload/contract'
import { serverDetailText, serverFieldProblem } from './form-errors'
import { FormTextField } from './FormTextField'
import { usesMainAccount, type ProfileFormValues } from './profile-form'
import { SectionTitle } from './SectionTitle'
import { SecretFormField } from './SecretFormField'
import { TargetsEditor } from './TargetsEditor'
import type { StoreLists } from './use-store-lists'

/** The Connectif accounts: the main one (its URL and key), and the routing targets. */
export function ConnectifFields(props: {
  readonly browserMode: boolean
  readonly secrets: ProfileView['secrets'] | undefined
  readonly lists: StoreLists
  readonly serverError: AppErrorValue | null
}) {
  const { t } = useTranslation()
  const connectif = useWatch<ProfileFormValues, 'connectif'>({ name: 'connectif' })
  return (
    <>
      <SectionTitle>{t('profile.connectifSection')}</SectionTitle>
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
      <TargetsEditor
        browserMode={props.browserMode}
        keyStatus={props.secrets?.targetKeys ?? {}}
        lists={props.lists}
        serverError={props.serverError}
      />
    </>
  )
}
