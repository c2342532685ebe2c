import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import CircularProgress from '@mui/material/CircularProgress'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogTitle from '@mui/material/DialogTitle'
import Divider from '@mui/material/Divider'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useEffect, useMemo, useRef, useState } from 'react'
import { FormProvider, useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import type { AppErrorValue, AppInfo, ConnectionTest, ProfileView } from '../../../preload/contract'
import { useApi } from '../../api/api-context'
import { ErrorAlert } from '../ErrorAlert'
import { useFocusBackAfter } from '../focus-fallback'
import { ConnectifFields } from './ConnectifFields'
import { ConnectionTestResult } from './ConnectionTestResult'
import { validOrderStateIds } from './default-states'
import { changeClearsServerError } from './form-errors'
import { FormTextField } from './FormTextField'
import { profileDraft, profileFormValues, type ProfileFormValues } from './profile-form'
import { profileFormResolver } from './profile-form-schema'
import { SourceFields } from './SourceFields'
import { StoreDefaultsFields } from './StoreDefaultsFields'
import { useStoreLists } from './use-store-lists'

/**
 * The form of a store profile, new (`profile` null) or saved. It checks the profile with the
 * profile model's rules before main sees it (see profile-form-schema.ts); main's own refusals are
 * shown on the field or the target they are about.
 */
export function ProfileEditor({
  info,
  profile,
  onClose,
  onSaved,
}: {
  info: AppInfo
  profile: ProfileView | null
  onClose: () => void
  onSaved: (profile: ProfileView) => void
}) {
  const api = useApi()
  const { t } = useTranslation()
  const browserMode = info.mode === 'browser' || !info.secretStorage.ok
  const resolver = useMemo(() => profileFormResolver(t, browserMode), [t, browserMode])
  const [defaultValues] = useState(() => profileFormValues(profile))
  const form = useForm<ProfileFormValues>({
    defaultValues,
    resolver,
    criteriaMode: 'all',
    mode: 'onSubmit',
    // Once saving or testing was tried, every change checks the whole form again (below): rules
    // across fields, such as overlapping targets, change with any of them.
    reValidateMode: 'onSubmit',
  })
  const { watch, trigger, handleSubmit, formState, getValues, setValue } = form
  const attempted = useRef(false)
  const [saving, setSaving] = useState(false)
  const [testing, setTesting] = useState(false)
  const [error, setError] = useState<AppErrorValue | null>(null)
  const [test, setTest] = useState<ConnectionTest | null>(null)
  // Disabled while they work: the focus goes back to them after.
  const testButton = useFocusBackAfter<HTMLButtonElement>(testing)
  const saveButton = useFocusBackAfter<HTMLButtonElement>(saving)
  const { lists, takeFromTest } = useStoreLists(profile)
  const statesRead = useRef(false)
  const [preselected, setPreselected] = useState(false)

  // The first time the store's statuses are read (the saved profile's lookup, or a connection
  // test), a profile without default statuses gets PrestaShop's valid, paid ones, and says so.
  useEffect(() => {
    if (statesRead.current || !lists.states || lists.states.length === 0) return
    statesRead.current = true
    if (getValues('defaultStateIds').length > 0) return
    const ids = validOrderStateIds(lists.states)
    if (ids.length === 0) return
    setValue('defaultStateIds', ids, { shouldDirty: true })
    setPreselected(true)
  }, [lists.states, getValues, setValue])

  useEffect(() => {
    const subscription = watch((_values, { name }) => {
      if (attempted.current) void trigger()
      if (name) setError((old) => (old && changeClearsServerError(old, name) ? null : old))
    })
    return () => subscription.unsubscribe()
  }, [watch, trigger])

  const submit = (action: (values: ProfileFormValues) => Promise<void>) => {
    attempted.current = true
    void handleSubmit(action)()
  }

  const save = async (values: ProfileFormValues) => {
    setSaving(true)
    setError(null)
    const result = await api.saveProfile(profileDraft(values, profile, browserMode))
    setSaving(false)
    if (result.ok) onSaved(result.data)
    else setError(result.error)
  }

  const runTest = async (values: ProfileFormValues) => {
    setTesting(true)
    setError(null)
    setTest(null)
    const result = await api.testProfile(profileDraft(values, profile, browserMode))
    setTesting(false)
    if (!result.ok) return setError(result.error)
    setTest(result.data)
    takeFromTest(result.data)
  }

  const invalid = formState.isSubmitted && Object.keys(formState.errors).length > 0

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md" aria-labelledby="profile-editor-title">
      <DialogTitle id="profile-editor-title">
        {profile ? t('profile.editTitle', { name: profile.name }) : t('profile.newTitle')}
      </DialogTitle>
      <FormProvider {...form}>
        <DialogContent dividers>
          <Stack spacing={2}>
            <FormTextField name="name" label={t('profile.name')} required />
            <SourceFields
              browserMode={browserMode}
              secrets={profile?.secrets}
              webserviceResources={info.webserviceResources}
              serverError={error}
              onKindChange={() => {
                setTest(null)
                setError(null)
              }}
            />
            <ConnectifFields
              browserMode={browserMode}
              secrets={profile?.secrets}
              lists={lists}
              serverError={error}
            />
            {browserMode ? <Alert severity="info">{t('profile.browserSecrets')}</Alert> : null}

            <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
              <Button
                ref={testButton}
                variant="outlined"
                onClick={() => submit(runTest)}
                disabled={testing}
                startIcon={testing ? <CircularProgress size={16} /> : null}
              >
                {t('profile.test')}
              </Button>
              {testing ? (
                <Typography color="text.secondary">{t('profile.testing')}</Typography>
              ) : null}
            </Box>
            {test ? <ConnectionTestResult test={test} layout="dialog" /> : null}

            <Divider />
            <StoreDefaultsFields lists={lists} preselected={preselected} />
            <ErrorAlert error={error} />
            {invalid ? <Alert severity="warning">{t('profile.fixErrors')}</Alert> : null}
          </Stack>
        </DialogContent>
      </FormProvider>
      <DialogActions>
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button
          ref={saveButton}
          variant="contained"
          onClick={() => submit(save)}
          disabled={saving}
          startIcon={saving ? <CircularProgress size={16} color="inherit" /> : null}
        >
          {t('profile.save')}
        </Button>
      </DialogActions>
    </Dialog>
  )
}
