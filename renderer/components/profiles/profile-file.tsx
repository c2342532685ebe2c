/**
 * The profiles page's "Import profiles…" and "Export profiles…": profiles moved in a profiles file that holds no
 * secret. The desktop app has main ask where to save and which file to open (native dialogs);
 * browser mode downloads the file, and sends the text of the file the merchant picks.
 *
 * A hook rather than a component, so the page puts each part where it belongs: the buttons in its
 * header, the outcome under it, and on each imported profile's card the secrets it still needs.
 */
import FileDownloadIcon from '@mui/icons-material/FileDownload'
import FileUploadIcon from '@mui/icons-material/FileUpload'
import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Checkbox from '@mui/material/Checkbox'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogContentText from '@mui/material/DialogContentText'
import DialogTitle from '@mui/material/DialogTitle'
import FormControl from '@mui/material/FormControl'
import FormControlLabel from '@mui/material/FormControlLabel'
import FormGroup from '@mui/material/FormGroup'
import FormHelperText from '@mui/material/FormHelperText'
import FormLabel from '@mui/material/FormLabel'
import Stack from '@mui/material/Stack'
import type { TFunction } from 'i18next'
import { useRef, useState, type ChangeEvent, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import {
  MAX_PROFILES_FILE_CHARACTERS,
  targetIdOfSecret,
  type AppErrorValue,
  type AppInfo,
  type ImportedProfileView,
  type ProfileView,
  type SecretName,
} from '../../../preload/contract'
import { useApi } from '../../api/api-context'
import { conditionName } from '../../i18n/account-name'
import { ErrorAlert } from '../ErrorAlert'

/** The secrets named in a sentence: "the database password and the Connectif API key". */
export function secretsPhrase(
  t: TFunction,
  language: string,
  profile: ProfileView,
  names: readonly SecretName[],
): string {
  const items = names.map((name) => {
    const targetId = targetIdOfSecret(name)
    let label: string
    if (targetId === null) label = t(`errors.secretName_${name}`)
    else {
      const index = profile.connectif.targets.findIndex((target) => target.id === targetId)
      const target = profile.connectif.targets[index]
      label =
        target !== undefined && target.label !== ''
          ? t('errors.secretName_targetKey', {
              position: index + 1,
              target: conditionName(t, target.label),
            })
          : t('errors.secretName_targetKey_no_condition', { position: index + 1 })
    }
    return t('profileFile.secretItem', { name: label })
  })
  return new Intl.ListFormat(language, { type: 'conjunction' }).format(items)
}

/** Of these secrets, those the profile still lacks now (entered since: no longer said). */
function stillMissing(profile: ProfileView, names: readonly SecretName[]): SecretName[] {
  return names.filter((name) => {
    const targetId = targetIdOfSecret(name)
    const status =
      targetId !== null
        ? profile.secrets.targetKeys[targetId]
        : profile.secrets[name as 'dbPassword' | 'webserviceKey' | 'connectifKey']
    return status === 'missing'
  })
}

/** Starts a download of `content` as `fileName` (browser mode). */
function download(content: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'application/json' }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.style.display = 'none'
  document.body.appendChild(link)
  link.click()
  link.remove()
  // Revoked once the click has handed the file to the browser.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

type Outcome =
  | { readonly kind: 'exported'; readonly count: number; readonly path: string }
  | { readonly kind: 'downloaded'; readonly count: number; readonly fileName: string }
  | { readonly kind: 'imported'; readonly imported: readonly ImportedProfileView[] }

export interface ProfileFileParts {
  /** "Import profiles…" and "Export profiles…", for the page's header. */
  readonly buttons: ReactNode
  /** What the last import or export did, or why it failed. */
  readonly messages: ReactNode
  /** The export dialog and the browser's file picker. */
  readonly dialogs: ReactNode
  /** On an imported profile's card: the secrets it still needs; null for the others. */
  notice(profile: ProfileView): ReactNode
}

export function useProfileFile({
  info,
  profiles,
  onImported,
}: {
  info: AppInfo
  profiles: readonly ProfileView[]
  onImported: () => Promise<void>
}): ProfileFileParts {
  const api = useApi()
  const { t, i18n } = useTranslation()
  const desktop = info.mode === 'electron'
  const [choosing, setChoosing] = useState(false)
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set())
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<Outcome | null>(null)
  const [error, setError] = useState<AppErrorValue | null>(null)
  const [imported, setImported] = useState<readonly ImportedProfileView[]>([])
  const picker = useRef<HTMLInputElement>(null)

  const startExport = () => {
    setSelected(new Set(profiles.map((profile) => profile.id)))
    setChoosing(true)
  }

  const exportChosen = async () => {
    const ids = profiles.filter((profile) => selected.has(profile.id)).map((profile) => profile.id)
    if (ids.length === 0) return
    setBusy(true)
    setError(null)
    setOutcome(null)
    try {
      if (desktop) {
        const result = await api.saveProfilesFile({ ids })
        if (!result.ok) return setError(result.error)
        setChoosing(false)
        if (result.data.saved)
          setOutcome({
            kind: 'exported',
            count: result.data.profiles.length,
            path: result.data.path,
          })
        return
      }
      const result = await api.exportProfiles({ ids })
      if (!result.ok) return setError(result.error)
      setChoosing(false)
      download(result.data.content, result.data.fileName)
      setOutcome({
        kind: 'downloaded',
        count: result.data.profiles.length,
        fileName: result.data.fileName,
      })
    } finally {
      setBusy(false)
    }
  }

  const finishImport = async (
    result: Awaited<ReturnType<typeof api.importProfiles>>,
  ): Promise<void> => {
    if (!result.ok) {
      setError(result.error)
      return
    }
    setImported(result.data.imported)
    setOutcome({ kind: 'imported', imported: result.data.imported })
    await onImported()
  }

  const startImport = async () => {
    setError(null)
    setOutcome(null)
    if (!desktop) {
      picker.current?.click()
      return
    }
    setBusy(true)
    try {
      const result = await api.openProfilesFile()
      if (!result.ok) return setError(result.error)
      if (result.data.opened)
        await finishImport({ ok: true, data: { imported: result.data.imported } })
    } finally {
      setBusy(false)
    }
  }

  const picked = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0]
    // Emptied, so picking the same file again (after fixing it) is a change too.
    event.target.value = ''
    if (file === undefined) return
    if (file.size > MAX_PROFILES_FILE_CHARACTERS) {
      setError({
        code: 'profiles_file_unreadable',
        message: `The file ${file.name} is too large to be a profiles file: nothing was imported.`,
        params: { reason: 'too_large', path: file.name, cause: 'EFBIG' },
      })
      return
    }
    setBusy(true)
    try {
      const content = await file.text()
      await finishImport(await api.importProfiles({ content, fileName: file.name }))
    } finally {
      setBusy(false)
    }
  }

  const language = i18n.language
  const importedMessage = (entries: readonly ImportedProfileView[]) => {
    if (entries.length === 0) return <Alert severity="info">{t('profileFile.importedNone')}</Alert>
    const needing = entries.filter((entry) => entry.secretsToEnter.length > 0)
    return (
      <Alert severity={needing.length > 0 ? 'warning' : 'success'} role="status">
        {t('profileFile.imported', {
          count: entries.length,
          names: new Intl.ListFormat(language, { type: 'conjunction' }).format(
            entries.map((entry) => `"${entry.profile.name}"`),
          ),
        })}
        {needing.length > 0 ? (
          <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
            {needing.map((entry) => (
              <li key={entry.profile.id}>
                {t(desktop ? 'profileFile.enterAgain' : 'profileFile.setVariables', {
                  name: entry.profile.name,
                  secrets: secretsPhrase(t, language, entry.profile, entry.secretsToEnter),
                })}
              </li>
            ))}
          </ul>
        ) : null}
      </Alert>
    )
  }

  const messages = (
    <>
      <ErrorAlert error={error} />
      {outcome?.kind === 'exported' ? (
        <Alert severity="success" role="status">
          {t('profileFile.exported', { count: outcome.count, path: outcome.path })}
        </Alert>
      ) : null}
      {outcome?.kind === 'downloaded' ? (
        <Alert severity="success" role="status">
          {t('profileFile.downloaded', { count: outcome.count, fileName: outcome.fileName })}
        </Alert>
      ) : null}
      {outcome?.kind === 'imported' ? importedMessage(outcome.imported) : null}
    </>
  )

  const buttons = (
    <Stack direction="row" spacing={1}>
      <Button startIcon={<FileUploadIcon />} disabled={busy} onClick={() => void startImport()}>
        {t('profileFile.import')}
      </Button>
      <Button
        startIcon={<FileDownloadIcon />}
        disabled={busy || profiles.length === 0}
        onClick={startExport}
      >
        {t('profileFile.export')}
      </Button>
    </Stack>
  )

  const none = selected.size === 0
  const dialogs = (
    <>
      {desktop ? null : (
        <input
          ref={picker}
          type="file"
          accept=".json,application/json"
          aria-label={t('profileFile.fileInput')}
          style={{ display: 'none' }}
          onChange={(event) => void picked(event)}
        />
      )}
      <Dialog
        open={choosing}
        onClose={() => setChoosing(false)}
        aria-labelledby="profile-export-title"
      >
        <DialogTitle id="profile-export-title">{t('profileFile.exportTitle')}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>{t('profileFile.exportText')}</DialogContentText>
          <FormControl component="fieldset" error={none}>
            <FormLabel component="legend">{t('profileFile.exportChoose')}</FormLabel>
            <FormGroup>
              {profiles.map((profile) => (
                <FormControlLabel
                  key={profile.id}
                  control={
                    <Checkbox
                      checked={selected.has(profile.id)}
                      onChange={(event) => {
                        const next = new Set(selected)
                        if (event.target.checked) next.add(profile.id)
                        else next.delete(profile.id)
                        setSelected(next)
                      }}
                    />
                  }
                  label={profile.name}
                />
              ))}
            </FormGroup>
            {none ? <FormHelperText>{t('profileFile.exportNone')}</FormHelperText> : null}
          </FormControl>
          {choosing ? <ErrorAlert error={error} /> : null}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setChoosing(false)}>{t('common.cancel')}</Button>
          <Button variant="contained" disabled={none || busy} onClick={() => void exportChosen()}>
            {t('profileFile.exportButton')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  )

  const notice = (profile: ProfileView): ReactNode => {
    const entry = imported.find((candidate) => candidate.profile.id === profile.id)
    const missing = entry === undefined ? [] : stillMissing(profile, entry.secretsToEnter)
    if (missing.length === 0) return null
    return (
      <Alert severity="warning" sx={{ mt: 1 }}>
        {t(desktop ? 'profileFile.cardEnterAgain' : 'profileFile.cardSetVariables', {
          secrets: secretsPhrase(t, language, profile, missing),
        })}
      </Alert>
    )
  }

  return { buttons, messages: choosing ? null : messages, dialogs, notice }
}
