import Alert from '@mui/material/Alert'
import AlertTitle from '@mui/material/AlertTitle'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Checkbox from '@mui/material/Checkbox'
import CircularProgress from '@mui/material/CircularProgress'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogTitle from '@mui/material/DialogTitle'
import Divider from '@mui/material/Divider'
import FormControl from '@mui/material/FormControl'
import FormControlLabel from '@mui/material/FormControlLabel'
import FormGroup from '@mui/material/FormGroup'
import FormHelperText from '@mui/material/FormHelperText'
import FormLabel from '@mui/material/FormLabel'
import MenuItem from '@mui/material/MenuItem'
import Radio from '@mui/material/Radio'
import RadioGroup from '@mui/material/RadioGroup'
import Stack from '@mui/material/Stack'
import Switch from '@mui/material/Switch'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  DEFAULT_CONNECTIF_URL,
  type AppErrorValue,
  type AppInfo,
  type ConnectionTest,
  type CurrencyView,
  type LanguageView,
  type OrderStateView,
  type ProfileDraft,
  type ProfileView,
  type SecretChange,
  type ShopView,
} from '../../preload/contract'
import { useApi } from '../api/api-context'
import { ErrorAlert } from './ErrorAlert'
import { SecretField } from './SecretField'
import { StateDot } from './StateChip'
import {
  targetFields,
  targetForm,
  targetKeyChange,
  targetProblems,
  TargetsEditor,
  type TargetForm,
} from './TargetsEditor'

type SourceKind = 'database' | 'webservice'

interface Form {
  name: string
  sourceKind: SourceKind
  host: string
  port: string
  user: string
  database: string
  tablePrefix: string
  ssl: boolean
  passwordEnv: string
  password: string
  clearPassword: boolean
  shopUrl: string
  wsKeyEnv: string
  wsKey: string
  clearWsKey: boolean
  apiUrl: string
  keyEnv: string
  key: string
  clearKey: boolean
  /** Orders no target serves go to the main account; off, they are skipped. */
  mainAccount: boolean
  targets: TargetForm[]
  shopIds: number[]
  languageIso: string
  defaultStateIds: number[]
}

function initialForm(profile: ProfileView | null): Form {
  const source = profile?.source.kind === 'database' ? profile.source : null
  const webservice = profile?.source.kind === 'webservice' ? profile.source : null
  return {
    name: profile?.name ?? '',
    sourceKind: profile?.source.kind ?? 'database',
    host: source?.host ?? '127.0.0.1',
    port: String(source?.port ?? 3306),
    user: source?.user ?? '',
    database: source?.database ?? '',
    tablePrefix: source?.tablePrefix ?? 'ps_',
    ssl: source?.ssl ?? false,
    passwordEnv: source?.passwordEnv ?? '',
    password: '',
    clearPassword: false,
    shopUrl: webservice?.url ?? '',
    wsKeyEnv: webservice?.keyEnv ?? '',
    wsKey: '',
    clearWsKey: false,
    apiUrl: profile?.connectif.apiUrl ?? DEFAULT_CONNECTIF_URL,
    keyEnv: profile?.connectif.keyEnv ?? '',
    key: '',
    clearKey: false,
    mainAccount: profile?.connectif.mainAccount ?? true,
    targets: (profile?.connectif.targets ?? []).map(targetForm),
    shopIds: [...(profile?.shopIds ?? [])],
    languageIso: profile?.languageIso ?? '',
    defaultStateIds: [...(profile?.defaultStateIds ?? [])],
  }
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

type Errors = Partial<Record<keyof Form, string>>

/**
 * The secret fields: what they hold, their "remove" checkbox, their label, and the environment
 * variable that names the secret in browser mode (its label, help, whether it is required).
 */
const SECRET_FIELDS = {
  password: {
    clear: 'clearPassword',
    label: 'profile.password',
    env: 'passwordEnv',
    envLabel: 'profile.passwordEnv',
    envHelp: 'profile.passwordEnvHelp',
    envRequired: false,
  },
  wsKey: {
    clear: 'clearWsKey',
    label: 'profile.wsKey',
    env: 'wsKeyEnv',
    envLabel: 'profile.wsKeyEnv',
    envHelp: 'profile.wsKeyEnvHelp',
    envRequired: true,
  },
  key: {
    clear: 'clearKey',
    label: 'profile.key',
    env: 'keyEnv',
    envLabel: 'profile.keyEnv',
    envHelp: 'profile.keyEnvHelp',
    envRequired: true,
  },
} as const satisfies Record<
  string,
  {
    clear: keyof Form
    label: string
    env: keyof Form
    envLabel: string
    envHelp: string
    envRequired: boolean
  }
>

/** The form's main account is used: always without targets, else as the switch says. */
function usesMainAccount(form: Form): boolean {
  return form.targets.length === 0 || form.mainAccount
}

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
  const [form, setForm] = useState<Form>(() => initialForm(profile))
  const [showErrors, setShowErrors] = useState(false)
  const [saving, setSaving] = useState(false)
  const [testing, setTesting] = useState(false)
  const [error, setError] = useState<AppErrorValue | null>(null)
  const [test, setTest] = useState<ConnectionTest | null>(null)
  const [shops, setShops] = useState<readonly ShopView[]>([])
  const [languages, setLanguages] = useState<readonly LanguageView[]>([])
  const [currencies, setCurrencies] = useState<readonly CurrencyView[]>([])
  // Target ids given in this editing session: a removed target's id (and key) is never reused.
  const [usedIds, setUsedIds] = useState<readonly string[]>(() =>
    (profile?.connectif.targets ?? []).map((target) => target.id),
  )
  const [states, setStates] = useState<readonly OrderStateView[] | null>(null)

  useEffect(() => {
    if (!profile) return
    let live = true
    void api.lookupStore({ profileId: profile.id }).then((result) => {
      if (!live || !result.ok) return
      setShops(result.data.shops)
      setLanguages(result.data.languages)
      setCurrencies(result.data.currencies)
      setStates(result.data.states)
    })
    return () => {
      live = false
    }
  }, [api, profile])

  const set = <K extends keyof Form>(key: K, value: Form[K]) =>
    setForm((old) => ({ ...old, [key]: value }))

  const errors: Errors = {}
  const database = form.sourceKind === 'database'
  if (form.name.trim() === '') errors.name = t('profile.errors.name')
  const port = Number(form.port)
  if (database) {
    if (form.host.trim() === '') errors.host = t('profile.errors.host')
    if (!/^\d+$/.test(form.port.trim()) || port < 1 || port > 65535)
      errors.port = t('profile.errors.port')
    if (form.user.trim() === '') errors.user = t('profile.errors.user')
    if (form.database.trim() === '') errors.database = t('profile.errors.database')
    if (!/^[A-Za-z0-9_]{0,64}$/.test(form.tablePrefix))
      errors.tablePrefix = t('profile.errors.tablePrefix')
    if (form.passwordEnv.trim() !== '' && !ENV_NAME.test(form.passwordEnv.trim()))
      errors.passwordEnv = t('profile.errors.envName')
  } else {
    // Main checks the address in depth (and says what is wrong): here only that there is one.
    if (form.shopUrl.trim() === '') errors.shopUrl = t('profile.errors.shopUrl')
    if (form.wsKeyEnv.trim() !== '' && !ENV_NAME.test(form.wsKeyEnv.trim()))
      errors.wsKeyEnv = t('profile.errors.envName')
    if (browserMode && form.wsKeyEnv.trim() === '')
      errors.wsKeyEnv = t('profile.errors.wsKeyEnvRequired')
  }
  const mainAccount = usesMainAccount(form)
  if (form.keyEnv.trim() !== '' && !ENV_NAME.test(form.keyEnv.trim()))
    errors.keyEnv = t('profile.errors.envName')
  if (browserMode && mainAccount && form.keyEnv.trim() === '')
    errors.keyEnv = t('profile.errors.keyEnvRequired')
  try {
    const url = new URL(form.apiUrl.trim())
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      errors.apiUrl = t('profile.errors.apiUrl')
  } catch {
    errors.apiUrl = t('profile.errors.apiUrl')
  }
  const targetsValid = form.targets.every(
    (target) => targetProblems(t, target, browserMode).length === 0,
  )
  const valid = Object.keys(errors).length === 0 && targetsValid
  const shown = (key: keyof Form) => (showErrors ? errors[key] : undefined)
  // The address main refused (not an address, another scheme, a password in it…).
  const urlProblem = error?.code === 'invalid_url' ? error.message : undefined

  const secretChange = (value: string, clear: boolean): SecretChange | undefined => {
    if (browserMode) return undefined
    if (value !== '') return { set: value }
    if (clear) return { clear: true }
    return profile ? { keep: true } : undefined
  }

  const draft = (): ProfileDraft => {
    const dbPassword = database ? secretChange(form.password, form.clearPassword) : undefined
    const webserviceKey = database ? undefined : secretChange(form.wsKey, form.clearWsKey)
    const connectifKey = mainAccount ? secretChange(form.key, form.clearKey) : undefined
    const targetKeys = browserMode
      ? {}
      : Object.fromEntries(
          form.targets.flatMap((target) => {
            const change = targetKeyChange(target, profile?.secrets.targetKeys[target.id])
            return change ? [[target.id, change]] : []
          }),
        )
    return {
      id: profile?.id ?? null,
      profile: {
        name: form.name.trim(),
        source: database
          ? {
              kind: 'database',
              host: form.host.trim(),
              port,
              user: form.user.trim(),
              database: form.database.trim(),
              tablePrefix: form.tablePrefix,
              ssl: form.ssl,
              passwordEnv: form.passwordEnv.trim() === '' ? null : form.passwordEnv.trim(),
            }
          : {
              kind: 'webservice',
              url: form.shopUrl.trim(),
              keyEnv: form.wsKeyEnv.trim() === '' ? null : form.wsKeyEnv.trim(),
            },
        connectif: {
          apiUrl: form.apiUrl.trim(),
          keyEnv: form.keyEnv.trim() === '' ? null : form.keyEnv.trim(),
          mainAccount,
          targets: form.targets.map(targetFields),
        },
        shopIds: form.shopIds,
        languageIso: form.languageIso === '' ? null : form.languageIso,
        defaultStateIds: form.defaultStateIds,
      },
      secrets: {
        ...(dbPassword ? { dbPassword } : {}),
        ...(webserviceKey ? { webserviceKey } : {}),
        ...(connectifKey ? { connectifKey } : {}),
        ...(Object.keys(targetKeys).length > 0 ? { targetKeys } : {}),
      },
    }
  }

  const save = async () => {
    setShowErrors(true)
    if (!valid) return
    setSaving(true)
    setError(null)
    const result = await api.saveProfile(draft())
    setSaving(false)
    if (result.ok) onSaved(result.data)
    else setError(result.error)
  }

  const runTest = async () => {
    setShowErrors(true)
    if (!valid) return
    setTesting(true)
    setError(null)
    setTest(null)
    const result = await api.testProfile(draft())
    setTesting(false)
    if (!result.ok) return setError(result.error)
    setTest(result.data)
    if (result.data.store.ok) {
      setShops(result.data.store.shops)
      setLanguages(result.data.store.languages)
      setCurrencies(result.data.store.currencies)
    }
  }

  const secretField = (
    kind: keyof typeof SECRET_FIELDS,
    status: 'saved' | 'missing' | 'not-needed' | undefined,
  ) => {
    const field = SECRET_FIELDS[kind]
    return (
      <SecretField
        browserMode={browserMode}
        status={status}
        label={t(field.label)}
        value={form[kind]}
        onChange={(value) => set(kind, value)}
        clear={form[field.clear]}
        onClearChange={(clear) => set(field.clear, clear)}
        envLabel={t(field.envLabel)}
        envValue={form[field.env]}
        onEnvChange={(value) => set(field.env, value)}
        envError={shown(field.env)}
        envHelp={t(field.envHelp)}
        envRequired={field.envRequired}
      />
    )
  }

  const section = (title: string) => (
    <Typography variant="subtitle2" color="primary" sx={{ pt: 1 }}>
      {title}
    </Typography>
  )

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md" aria-labelledby="profile-editor-title">
      <DialogTitle id="profile-editor-title">
        {profile ? t('profile.editTitle', { name: profile.name }) : t('profile.newTitle')}
      </DialogTitle>
      <DialogContent dividers>
        <Stack spacing={2}>
          <TextField
            label={t('profile.name')}
            value={form.name}
            onChange={(event) => set('name', event.target.value)}
            error={Boolean(shown('name'))}
            helperText={shown('name') ?? ' '}
            required
          />
          <FormControl>
            <FormLabel id="profile-source-kind">{t('profile.sourceKind')}</FormLabel>
            <RadioGroup
              row
              aria-labelledby="profile-source-kind"
              value={form.sourceKind}
              onChange={(event) => {
                set('sourceKind', event.target.value as SourceKind)
                setTest(null)
                setError(null)
              }}
            >
              <FormControlLabel
                value="database"
                control={<Radio />}
                label={t('profile.sourceDatabase')}
              />
              <FormControlLabel
                value="webservice"
                control={<Radio />}
                label={t('profile.sourceWebservice')}
              />
            </RadioGroup>
          </FormControl>
          {database ? (
            <>
              {section(t('profile.storeSection'))}
              <Box
                sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '2fr 1fr' }, gap: 2 }}
              >
                <TextField
                  label={t('profile.host')}
                  value={form.host}
                  onChange={(event) => set('host', event.target.value)}
                  error={Boolean(shown('host'))}
                  helperText={shown('host') ?? ' '}
                  required
                />
                <TextField
                  label={t('profile.port')}
                  value={form.port}
                  onChange={(event) => set('port', event.target.value)}
                  error={Boolean(shown('port'))}
                  helperText={shown('port') ?? ' '}
                  slotProps={{ htmlInput: { inputMode: 'numeric' } }}
                  required
                />
                <TextField
                  label={t('profile.database')}
                  value={form.database}
                  onChange={(event) => set('database', event.target.value)}
                  error={Boolean(shown('database'))}
                  helperText={shown('database') ?? ' '}
                  required
                />
                <TextField
                  label={t('profile.tablePrefix')}
                  value={form.tablePrefix}
                  onChange={(event) => set('tablePrefix', event.target.value)}
                  error={Boolean(shown('tablePrefix'))}
                  helperText={shown('tablePrefix') ?? ' '}
                />
                <TextField
                  label={t('profile.user')}
                  value={form.user}
                  onChange={(event) => set('user', event.target.value)}
                  error={Boolean(shown('user'))}
                  helperText={shown('user') ?? ' '}
                  required
                />
                <FormControlLabel
                  control={
                    <Switch
                      checked={form.ssl}
                      onChange={(event) => set('ssl', event.target.checked)}
                    />
                  }
                  label={t('profile.ssl')}
                  sx={{ alignSelf: 'start', mt: 1 }}
                />
              </Box>
              {secretField('password', profile?.secrets.dbPassword)}
            </>
          ) : (
            <>
              {section(t('profile.webserviceSection'))}
              <TextField
                label={t('profile.shopUrl')}
                value={form.shopUrl}
                onChange={(event) => {
                  set('shopUrl', event.target.value)
                  if (urlProblem) setError(null)
                }}
                error={Boolean(shown('shopUrl') ?? urlProblem)}
                helperText={shown('shopUrl') ?? urlProblem ?? t('profile.shopUrlHelp')}
                placeholder="https://www.example.com/"
                slotProps={{ htmlInput: { inputMode: 'url', spellCheck: false } }}
                required
              />
              {secretField('wsKey', profile?.secrets.webserviceKey)}
              <Alert severity="info" role="note" aria-label={t('profile.wsKeyHelpTitle')}>
                <AlertTitle>{t('profile.wsKeyHelpTitle')}</AlertTitle>
                {t('profile.wsKeyHelp')}{' '}
                <Box component="span" sx={{ fontFamily: 'monospace' }}>
                  {info.webserviceResources.join(', ')}
                </Box>
                . {t('profile.wsKeyReadOnly')}
              </Alert>
            </>
          )}
          {section(t('profile.connectifSection'))}
          <TextField
            label={t('profile.apiUrl')}
            value={form.apiUrl}
            onChange={(event) => set('apiUrl', event.target.value)}
            error={Boolean(shown('apiUrl'))}
            helperText={shown('apiUrl') ?? ' '}
          />
          {!mainAccount ? (
            <Typography variant="body2" color="text.secondary">
              {t('targets.mainNotUsed')}
            </Typography>
          ) : (
            secretField('key', profile?.secrets.connectifKey)
          )}
          <TargetsEditor
            targets={form.targets}
            onChange={(targets) => {
              set('targets', targets)
              // Main's complaints name targets by position: stale once the targets change.
              if (error?.code === 'invalid_profile') setError(null)
            }}
            usedIds={usedIds}
            onUseId={(id) => setUsedIds((old) => [...old, id])}
            mainAccount={form.mainAccount}
            onMainAccountChange={(value) => set('mainAccount', value)}
            mainApiUrl={form.apiUrl}
            browserMode={browserMode}
            keyStatus={profile?.secrets.targetKeys ?? {}}
            languages={languages}
            currencies={currencies}
            shops={shops}
            showErrors={showErrors}
            error={error}
          />
          {browserMode ? <Alert severity="info">{t('profile.browserSecrets')}</Alert> : null}

          <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
            <Button
              variant="outlined"
              onClick={() => void runTest()}
              disabled={testing}
              startIcon={testing ? <CircularProgress size={16} /> : null}
            >
              {t('profile.test')}
            </Button>
            {testing ? (
              <Typography color="text.secondary">{t('profile.testing')}</Typography>
            ) : null}
          </Box>
          {test ? (
            <Stack spacing={1} aria-label={t('profile.testResults')} role="region">
              <Alert severity={test.store.ok ? 'success' : 'error'}>
                <AlertTitle>{t('profile.storeCheck')}</AlertTitle>
                {test.store.message}
              </Alert>
              {test.store.ok
                ? test.store.notices.map((notice) => (
                    <Alert key={notice.code} severity="warning">
                      {notice.message}
                    </Alert>
                  ))
                : null}
              {test.connectif ? (
                <Alert severity={test.connectif.ok ? 'success' : 'error'}>
                  <AlertTitle>{t('profile.connectifCheck')}</AlertTitle>
                  {test.connectif.message}
                </Alert>
              ) : null}
              {test.targets.map((check) => (
                <Alert key={check.id} severity={check.ok ? 'success' : 'error'}>
                  <AlertTitle>{t('targets.check', { label: check.label })}</AlertTitle>
                  {check.message}
                </Alert>
              ))}
            </Stack>
          ) : null}

          <Divider />
          {section(t('profile.shopSection'))}
          {shops.length === 0 ? (
            <Typography variant="body2" color="text.secondary">
              {t('profile.shopsHint')}
            </Typography>
          ) : (
            <Box
              sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, gap: 2 }}
            >
              <FormControl component="fieldset">
                <FormLabel component="legend">{t('profile.shops')}</FormLabel>
                <FormGroup>
                  {shops.map((shop) => (
                    <FormControlLabel
                      key={shop.id}
                      control={
                        <Checkbox
                          checked={form.shopIds.includes(shop.id)}
                          onChange={(event) =>
                            set(
                              'shopIds',
                              event.target.checked
                                ? [...form.shopIds, shop.id]
                                : form.shopIds.filter((id) => id !== shop.id),
                            )
                          }
                        />
                      }
                      label={`${shop.name} (${shop.timezone})`}
                    />
                  ))}
                </FormGroup>
                <FormHelperText>{t('profile.shopsHelp')}</FormHelperText>
              </FormControl>
              <TextField
                select
                label={t('profile.language')}
                value={form.languageIso}
                onChange={(event) => set('languageIso', event.target.value)}
                helperText={t('profile.languageHelp')}
              >
                <MenuItem value="">{t('profile.shopDefault')}</MenuItem>
                {languages.map((language) => (
                  <MenuItem key={language.id} value={language.isoCode}>
                    {language.name} ({language.isoCode})
                  </MenuItem>
                ))}
              </TextField>
            </Box>
          )}
          {states && states.length > 0 ? (
            <FormControl component="fieldset">
              <FormLabel component="legend">{t('profile.defaultStates')}</FormLabel>
              <FormGroup
                sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}
              >
                {states
                  .filter((state) => !state.deleted)
                  .map((state) => (
                    <FormControlLabel
                      key={state.id}
                      control={
                        <Checkbox
                          checked={form.defaultStateIds.includes(state.id)}
                          onChange={(event) =>
                            set(
                              'defaultStateIds',
                              event.target.checked
                                ? [...form.defaultStateIds, state.id]
                                : form.defaultStateIds.filter((id) => id !== state.id),
                            )
                          }
                        />
                      }
                      label={
                        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
                          <StateDot color={state.color} />
                          {state.name}
                        </Box>
                      }
                    />
                  ))}
              </FormGroup>
            </FormControl>
          ) : (
            <Typography variant="body2" color="text.secondary">
              {t('profile.defaultStatesHint')}
            </Typography>
          )}
          <ErrorAlert error={error} />
          {showErrors && !valid ? <Alert severity="warning">{t('profile.fixErrors')}</Alert> : null}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button
          variant="contained"
          onClick={() => void save()}
          disabled={saving}
          startIcon={saving ? <CircularProgress size={16} color="inherit" /> : null}
        >
          {t('profile.save')}
        </Button>
      </DialogActions>
    </Dialog>
  )
}
