import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import CircularProgress from '@mui/material/CircularProgress'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogContentText from '@mui/material/DialogContentText'
import DialogTitle from '@mui/material/DialogTitle'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { FormProvider, useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import type { AppErrorValue, AppInfo, ConnectionTest, ProfileView } from '../../../preload/contract'
import { useApi } from '../../api/api-context'
import { ErrorAlert } from '../ErrorAlert'
import { useFocusBackAfter } from '../focus-fallback'
import { secretsFromVariables } from '../profiles/secret-text'
import { ConnectifFields } from './ConnectifFields'
import { ConnectionTestResult } from './ConnectionTestResult'
import { validOrderStateIds } from './default-states'
import { EditorSection } from './EditorSection'
import { changeClearsServerError } from './form-errors'
import { FormTextField } from './FormTextField'
import { sameValues } from './profile-drafts'
import { profileDraft, profileFormValues, type ProfileFormValues } from './profile-form'
import { profileFormResolver } from './profile-form-schema'
import { SourceFields } from './SourceFields'
import { StoreDefaultsFields } from './StoreDefaultsFields'
import { TargetsEditor } from './TargetsEditor'
import { useStoreLists } from './use-store-lists'

/**
 * The form of a store profile, new (`profile` null) or saved, as a page in sections: the store,
 * the Connectif account and its test, the accounts per language and currency, and the defaults.
 * It checks the profile with the profile model's rules before main sees it (see
 * profile-form-schema.ts); main's own refusals are shown on the field or the target they are
 * about. Cancel asks before it throws changes away; leaving otherwise hands them to `onLeave`.
 */
export function ProfileEditor({
  info,
  profile,
  onClose,
  onSaved,
  draft,
  onLeave,
  focusName = false,
  notice,
}: {
  info: AppInfo
  profile: ProfileView | null
  /** Cancelled (its changes, if any, discarded). */
  onClose: () => void
  onSaved: (profile: ProfileView) => void
  /** Values kept from an earlier visit, instead of the profile's. */
  draft?: ProfileFormValues
  /** Left without Save or Cancel (another tab, Back): its values, and whether they changed. */
  onLeave?: (values: ProfileFormValues, changed: boolean) => void
  /** Gives the name field the focus, its text selected (a new profile, a copy). */
  focusName?: boolean
  /** What the page says under its title (a copy, a kept draft). */
  notice?: ReactNode
}) {
  const api = useApi()
  const { t } = useTranslation()
  const browserMode = secretsFromVariables(info)
  const resolver = useMemo(() => profileFormResolver(t, browserMode), [t, browserMode])
  // What the values are compared with to know whether anything changed: the profile's.
  const baseline = useRef<ProfileFormValues | null>(null)
  baseline.current ??= profileFormValues(profile)
  const [defaultValues] = useState(() => draft ?? baseline.current ?? profileFormValues(profile))
  const form = useForm<ProfileFormValues>({
    defaultValues,
    resolver,
    criteriaMode: 'all',
    mode: 'onSubmit',
    // Once saving or testing was tried, every change checks the whole form again (below): rules
    // across fields, such as overlapping targets, change with any of them.
    reValidateMode: 'onSubmit',
  })
  const { watch, trigger, handleSubmit, formState, getValues, setValue, setFocus } = form
  const attempted = useRef(false)
  const [saving, setSaving] = useState(false)
  const [testing, setTesting] = useState(false)
  const [error, setError] = useState<AppErrorValue | null>(null)
  const [test, setTest] = useState<ConnectionTest | null>(null)
  const [confirmLeave, setConfirmLeave] = useState(false)
  // Disabled while they work: the focus goes back to them after.
  const testButton = useFocusBackAfter<HTMLButtonElement>(testing)
  const saveButton = useFocusBackAfter<HTMLButtonElement>(saving)
  const title = useRef<HTMLHeadingElement>(null)
  const { lists, takeFromTest } = useStoreLists(profile)
  const statesRead = useRef(false)
  const [preselected, setPreselected] = useState(false)
  /** Saved or cancelled: nothing to hand over when the page goes. */
  const done = useRef(false)

  const changed = () => baseline.current !== null && !sameValues(getValues(), baseline.current)

  // The page opens on its form: the name for a new profile or a copy, else the title.
  useEffect(() => {
    if (focusName) setFocus('name', { shouldSelect: true })
    else title.current?.focus()
  }, [focusName, setFocus])

  const leave = useRef(onLeave)
  leave.current = onLeave
  useEffect(
    () => () => {
      if (!done.current) leave.current?.(getValues(), changed())
    },
    // On the page's leaving only.
    [],
  )

  // The first time the store's statuses are read (the saved profile's lookup, or a connection
  // test), a profile without default statuses gets PrestaShop's valid, paid ones, and says so.
  useEffect(() => {
    if (statesRead.current || !lists.states || lists.states.length === 0) return
    statesRead.current = true
    if (getValues('defaultStateIds').length > 0) return
    const ids = validOrderStateIds(lists.states)
    if (ids.length === 0) return
    setValue('defaultStateIds', ids, { shouldDirty: true })
    // Chosen for the merchant, not by them: leaving without saving loses nothing of theirs.
    if (baseline.current) baseline.current = { ...baseline.current, defaultStateIds: ids }
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
    if (!result.ok) return setError(result.error)
    done.current = true
    onSaved(result.data)
  }

  const cancel = () => {
    if (changed()) return setConfirmLeave(true)
    done.current = true
    onClose()
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
    <FormProvider {...form}>
      <Stack
        component="form"
        noValidate
        aria-labelledby="profile-editor-title"
        // No submission by Enter: a code typed in a target's list is added with Enter.
        onSubmit={(event) => event.preventDefault()}
        spacing={3}
        // A control the keyboard reaches scrolls clear of the sticky app bar and action bar.
        sx={{ '& input, & button, & [tabindex]': { scrollMarginTop: 80, scrollMarginBottom: 96 } }}
      >
        <Stack spacing={1}>
          <Typography
            variant="h5"
            component="h2"
            id="profile-editor-title"
            ref={title}
            tabIndex={-1}
            sx={{ outline: 'none' }}
          >
            {profile ? t('profile.editTitle', { name: profile.name }) : t('profile.newTitle')}
          </Typography>
          {notice}
          <FormTextField name="name" label={t('profile.name')} required sx={{ maxWidth: 480 }} />
        </Stack>

        <EditorSection title={t('profile.storeHeading')} intro={t('profile.storeIntro')}>
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
          {browserMode ? <Alert severity="info">{t('profile.browserSecrets')}</Alert> : null}
        </EditorSection>

        <EditorSection title={t('profile.connectifSection')}>
          <ConnectifFields
            browserMode={browserMode}
            secrets={profile?.secrets}
            serverError={error}
          />
          {/* The test checks the store above and every Connectif account: it sits between them. */}
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap' }}>
            <Button
              ref={testButton}
              variant="outlined"
              onClick={() => submit(runTest)}
              disabled={testing}
              startIcon={testing ? <CircularProgress size={16} /> : null}
            >
              {t('profile.test')}
            </Button>
            <Typography variant="body2" color="text.secondary">
              {testing ? t('profile.testing') : t('profile.testHelp')}
            </Typography>
          </Box>
          {test ? <ConnectionTestResult test={test} layout="dialog" /> : null}
        </EditorSection>

        <EditorSection title={t('targets.section')} intro={t('targets.intro')}>
          <TargetsEditor
            browserMode={browserMode}
            keyStatus={profile?.secrets.targetKeys ?? {}}
            lists={lists}
            serverError={error}
          />
        </EditorSection>

        <EditorSection title={t('profile.shopSection')}>
          <StoreDefaultsFields lists={lists} preselected={preselected} />
        </EditorSection>

        <Box
          sx={{
            position: 'sticky',
            bottom: 0,
            zIndex: 1,
            py: 1.5,
            bgcolor: 'background.default',
            borderTop: 1,
            borderColor: 'divider',
          }}
        >
          <ErrorAlert error={error} />
          {invalid ? (
            <Alert severity="warning" sx={{ mb: 1 }}>
              {t('profile.fixErrors')}
            </Alert>
          ) : null}
          <Box sx={{ display: 'flex', justifyContent: 'flex-end', gap: 1 }}>
            <Button onClick={cancel}>{t('common.cancel')}</Button>
            <Button
              ref={saveButton}
              variant="contained"
              onClick={() => submit(save)}
              disabled={saving}
              startIcon={saving ? <CircularProgress size={16} color="inherit" /> : null}
            >
              {t('profile.save')}
            </Button>
          </Box>
        </Box>
      </Stack>
      <Dialog
        open={confirmLeave}
        onClose={() => setConfirmLeave(false)}
        aria-labelledby="profile-leave-title"
      >
        <DialogTitle id="profile-leave-title">{t('profile.leaveTitle')}</DialogTitle>
        <DialogContent>
          <DialogContentText>{t('profile.leaveText')}</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirmLeave(false)}>{t('profile.keepEditing')}</Button>
          <Button
            color="error"
            variant="contained"
            onClick={() => {
              setConfirmLeave(false)
              done.current = true
              onClose()
            }}
          >
            {t('profile.discardChanges')}
          </Button>
        </DialogActions>
      </Dialog>
    </FormProvider>
  )
}
