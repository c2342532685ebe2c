import ArrowBackIcon from '@mui/icons-material/ArrowBack'
import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppInfo, ProfileView } from '../../../preload/contract'
import { routeLink } from '../../routing/use-hash-route'
import { copiedFrom, leaveProfileEditor } from '../profiles/profile-navigation'
import { secretsFromVariables } from '../profiles/secret-text'
import { dropDraft, keepDraft, keptDraft, type DraftKey } from './profile-drafts'
import { ProfileEditor } from './ProfileEditor'

/**
 * A profile's editor page (`#/profiles/<id>`, `#/profiles/new`): the profile the address names,
 * with the changes kept from an earlier visit left unsaved, if any. Save and Cancel go back to the
 * profiles; any other way out keeps the changes for the next visit.
 */
export function ProfileEditorPage({
  info,
  profileId,
  profiles,
  onChanged,
}: {
  info: AppInfo
  profileId: DraftKey
  profiles: readonly ProfileView[]
  onChanged: () => Promise<void>
}) {
  const { t } = useTranslation()
  // Bumped when the kept changes are discarded: the form starts again from the profile.
  const [generation, setGeneration] = useState(0)
  const profile = profileId === 'new' ? null : profiles.find((each) => each.id === profileId)
  if (profile === undefined)
    return (
      <Stack spacing={2}>
        <Typography variant="h5" component="h2">
          {t('profile.notFoundTitle')}
        </Typography>
        <Alert severity="warning">{t('profile.notFound')}</Alert>
        <div>
          <Button startIcon={<ArrowBackIcon />} {...routeLink({ page: 'profiles' })}>
            {t('profile.backToProfiles')}
          </Button>
        </div>
      </Stack>
    )
  return (
    <EditorVisit
      key={generation}
      info={info}
      draftKey={profileId}
      profile={profile}
      onChanged={onChanged}
      onDiscardDraft={() => {
        dropDraft(profileId)
        setGeneration((old) => old + 1)
      }}
    />
  )
}

/** One visit of the editor: the profile's values, or those kept from the visit before. */
function EditorVisit(props: {
  readonly info: AppInfo
  readonly draftKey: DraftKey
  readonly profile: ProfileView | null
  readonly onChanged: () => Promise<void>
  readonly onDiscardDraft: () => void
}) {
  const { t } = useTranslation()
  const { draftKey, profile } = props
  const updatedAt = profile?.updatedAt ?? null
  const [kept] = useState(() => keptDraft(draftKey, updatedAt))
  const [copyOf] = useState(() => copiedFrom(draftKey))
  const notice = (
    <>
      {copyOf !== undefined ? (
        <Alert severity="info">{t('profile.copyNotice', { name: copyOf })}</Alert>
      ) : null}
      {kept ? (
        <Alert
          severity="info"
          action={
            <Button color="inherit" size="small" onClick={props.onDiscardDraft}>
              {t('profile.discardDraft')}
            </Button>
          }
        >
          {t('profile.draftKept')}
          {kept.secretsDropped && !secretsFromVariables(props.info)
            ? ` ${t('profile.draftSecrets')}`
            : null}
        </Alert>
      ) : null}
    </>
  )
  return (
    <ProfileEditor
      info={props.info}
      profile={profile}
      {...(kept ? { draft: kept.values } : {})}
      focusName={draftKey === 'new' || copyOf !== undefined}
      notice={notice}
      onLeave={(values, changed) => {
        if (changed) keepDraft(draftKey, updatedAt, values)
        else dropDraft(draftKey)
      }}
      onClose={() => {
        dropDraft(draftKey)
        leaveProfileEditor(draftKey)
      }}
      onSaved={(saved) => {
        dropDraft(draftKey)
        void props.onChanged().then(() => leaveProfileEditor(draftKey === 'new' ? 'new' : saved.id))
      }}
    />
  )
}
