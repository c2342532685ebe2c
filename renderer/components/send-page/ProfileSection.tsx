import Alert from '@mui/material/Alert'
import AlertTitle from '@mui/material/AlertTitle'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import CircularProgress from '@mui/material/CircularProgress'
import FormControl from '@mui/material/FormControl'
import FormHelperText from '@mui/material/FormHelperText'
import InputLabel from '@mui/material/InputLabel'
import MenuItem from '@mui/material/MenuItem'
import Select from '@mui/material/Select'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import type { ConnectionTest, ProfileView } from '../../../preload/contract'
import { accountName } from '../../i18n/account-name'
import { errorText } from '../../i18n/error-text'
import { routeLink } from '../../routing/use-hash-route'
import type { ProfileCheck, SendDispatch } from './send-state'

/** One thing the profile's check found wrong: what, and the sentence saying it. */
interface Problem {
  readonly key: string
  readonly title: string
  readonly message: string
}

/** What a connection test found wrong with the store and each Connectif key, in words. */
export function checkProblems(t: TFunction, test: ConnectionTest): Problem[] {
  const problems: Problem[] = []
  if (!test.store.ok)
    problems.push({
      key: 'store',
      title: t('sendPage.check.store'),
      message: errorText(t, test.store),
    })
  for (const account of test.accounts) {
    if (account.ok) continue
    problems.push({
      key: account.targetId ?? 'main',
      title: t('sendPage.check.account', { account: accountName(t, account.account) }),
      message: account.error
        ? errorText(t, account.error)
        : t(`sendPage.check.problem.${account.problem}`, {
            apiUrl: account.apiUrl,
            defaultValue: account.message,
          }),
    })
  }
  return problems
}

/**
 * The profile to send from, and its quick check (the store and every Connectif key), run when the
 * profile is picked and when the page opens: what it finds wrong is said here, with the way to the
 * profile to fix it. The page stays usable while it runs.
 */
export function ProfileSection(props: {
  readonly profiles: readonly ProfileView[]
  readonly profileId: number | ''
  readonly check: ProfileCheck | null
  readonly dispatch: SendDispatch
}) {
  const { profiles, profileId, check, dispatch } = props
  const { t } = useTranslation()
  const result = check?.profileId === profileId ? check.result : null
  const problems = result?.ok ? checkProblems(t, result.data) : []

  return (
    <Stack spacing={1.5}>
      <FormControl fullWidth sx={{ maxWidth: 480 }}>
        <InputLabel id="send-profile-label">{t('wizard.profile')}</InputLabel>
        <Select
          labelId="send-profile-label"
          label={t('wizard.profile')}
          value={profileId}
          onChange={(event) => {
            const chosen = profiles.find((each) => each.id === Number(event.target.value))
            if (chosen)
              dispatch({
                type: 'profileChosen',
                profileId: chosen.id,
                defaultStateIds: chosen.defaultStateIds,
              })
          }}
        >
          {profiles.map((each) => (
            <MenuItem key={each.id} value={each.id}>
              {each.name}
            </MenuItem>
          ))}
        </Select>
        <FormHelperText>{t('wizard.profileHelp')}</FormHelperText>
      </FormControl>
      <Box aria-live="polite">
        {check?.running ? (
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
            <CircularProgress size={16} aria-hidden />
            <Typography variant="body2" color="text.secondary">
              {t('sendPage.check.running')}
            </Typography>
          </Box>
        ) : null}
        {!check?.running && result?.ok && problems.length === 0 ? (
          <Typography variant="body2" color="text.secondary" data-testid="profile-check-ok">
            {t('sendPage.check.ok')}
          </Typography>
        ) : null}
      </Box>
      {result && !result.ok ? <Alert severity="warning">{errorText(t, result.error)}</Alert> : null}
      {problems.length > 0 && profileId !== '' ? (
        <Alert
          severity="error"
          role="alert"
          data-testid="profile-check-problems"
          action={
            <Button color="inherit" size="small" {...routeLink({ page: 'profile', profileId })}>
              {t('sendPage.check.openProfile')}
            </Button>
          }
        >
          <AlertTitle>{t('sendPage.check.title')}</AlertTitle>
          <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
            {problems.map((problem) => (
              <li key={problem.key}>
                <strong>{problem.title}:</strong> {problem.message}
              </li>
            ))}
          </Box>
        </Alert>
      ) : null}
    </Stack>
  )
}
