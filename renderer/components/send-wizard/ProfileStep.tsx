import FormControl from '@mui/material/FormControl'
import FormHelperText from '@mui/material/FormHelperText'
import InputLabel from '@mui/material/InputLabel'
import MenuItem from '@mui/material/MenuItem'
import Select from '@mui/material/Select'
import { useTranslation } from 'react-i18next'
import type { ProfileView } from '../../../preload/contract'
import type { WizardDispatch } from './wizard-state'

/** Step 1: the store profile to send from. */
export function ProfileStep(props: {
  profiles: readonly ProfileView[]
  profileId: number | ''
  dispatch: WizardDispatch
}) {
  const { profiles, profileId, dispatch } = props
  const { t } = useTranslation()
  return (
    <FormControl fullWidth sx={{ maxWidth: 480 }}>
      <InputLabel id="wizard-profile-label">{t('wizard.profile')}</InputLabel>
      <Select
        labelId="wizard-profile-label"
        label={t('wizard.profile')}
        value={profileId}
        onChange={(event) =>
          dispatch({ type: 'profileChosen', profileId: Number(event.target.value) })
        }
      >
        {profiles.map((each) => (
          <MenuItem key={each.id} value={each.id}>
            {each.name}
          </MenuItem>
        ))}
      </Select>
      <FormHelperText>{t('wizard.profileHelp')}</FormHelperText>
    </FormControl>
  )
}
