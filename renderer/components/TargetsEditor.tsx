import AddIcon from '@mui/icons-material/Add'
import DeleteIcon from '@mui/icons-material/Delete'
import Alert from '@mui/material/Alert'
import Autocomplete from '@mui/material/Autocomplete'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import FormControlLabel from '@mui/material/FormControlLabel'
import FormHelperText from '@mui/material/FormHelperText'
import IconButton from '@mui/material/IconButton'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Switch from '@mui/material/Switch'
import TextField from '@mui/material/TextField'
import Tooltip from '@mui/material/Tooltip'
import Typography from '@mui/material/Typography'
import type { TFunction } from 'i18next'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  DEFAULT_CONNECTIF_URL,
  type AppErrorValue,
  type ConnectifTargetView,
  type CurrencyView,
  type LanguageView,
  type SecretChange,
  type SecretStatus,
  type ShopView,
  type TargetFields,
} from '../../preload/contract'
import { SecretField } from './SecretField'

/**
 * The routing targets of a profile's Connectif section: one Connectif account per language,
 * currency or shop. Main checks them in depth (overlaps, codes the store lacks); here only what
 * can be told from the form, and main's answer is shown on the target it is about.
 */

export interface TargetForm {
  id: string
  apiUrl: string
  keyEnv: string
  key: string
  clearKey: boolean
  languages: string[]
  currencies: string[]
  /** As typed: whole numbers. */
  shopIds: string[]
}

export function targetForm(target: ConnectifTargetView): TargetForm {
  return {
    id: target.id,
    apiUrl: target.apiUrl,
    keyEnv: target.keyEnv ?? '',
    key: '',
    clearKey: false,
    languages: [...target.languages],
    currencies: [...target.currencies],
    shopIds: target.shopIds.map(String),
  }
}

/** A fresh target, with an id no target of this editing session has had (its key is per id). */
export function newTargetForm(usedIds: readonly string[], apiUrl: string): TargetForm {
  let number = 1
  while (usedIds.includes(`target-${number}`)) number++
  return {
    id: `target-${number}`,
    apiUrl: apiUrl.trim() || DEFAULT_CONNECTIF_URL,
    keyEnv: '',
    key: '',
    clearKey: false,
    languages: [],
    currencies: [],
    shopIds: [],
  }
}

/** The label main gives a target (`lang=es,currency=EUR`), to name it before it is saved. */
export function targetFormLabel(target: TargetForm): string {
  const parts: string[] = []
  if (target.languages.length > 0) parts.push(`lang=${target.languages.join('+')}`)
  if (target.currencies.length > 0) parts.push(`currency=${target.currencies.join('+')}`)
  if (target.shopIds.length > 0) parts.push(`shops=${target.shopIds.join('+')}`)
  return parts.join(',')
}

export function targetFields(target: TargetForm): TargetFields {
  return {
    id: target.id,
    apiUrl: target.apiUrl.trim(),
    keyEnv: target.keyEnv.trim() === '' ? null : target.keyEnv.trim(),
    languages: target.languages,
    currencies: target.currencies,
    shopIds: target.shopIds.map(Number),
  }
}

/** What the draft says about a target's key: a new one, remove it, keep it, or nothing. */
export function targetKeyChange(
  target: TargetForm,
  saved: SecretStatus | undefined,
): SecretChange | undefined {
  if (target.key !== '') return { set: target.key }
  if (target.clearKey) return { clear: true }
  return saved === 'saved' ? { keep: true } : undefined
}

const LANGUAGE_ISO = /^[a-z]{2}(-[a-z]{2})?$/
const CURRENCY_ISO = /^[A-Z]{3}$/
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** What the form can tell is wrong with a target, in the UI's language. */
export function targetProblems(
  t: TFunction,
  target: TargetForm,
  browserMode: boolean,
): { field: 'conditions' | 'apiUrl' | 'keyEnv'; message: string }[] {
  const problems: { field: 'conditions' | 'apiUrl' | 'keyEnv'; message: string }[] = []
  if (target.languages.length + target.currencies.length + target.shopIds.length === 0)
    problems.push({ field: 'conditions', message: t('targets.errors.noCondition') })
  for (const code of target.languages.filter((code) => !LANGUAGE_ISO.test(code)))
    problems.push({ field: 'conditions', message: t('targets.errors.language', { code }) })
  for (const code of target.currencies.filter((code) => !CURRENCY_ISO.test(code)))
    problems.push({ field: 'conditions', message: t('targets.errors.currency', { code }) })
  for (const id of target.shopIds.filter((id) => !/^[1-9]\d*$/.test(id)))
    problems.push({ field: 'conditions', message: t('targets.errors.shop', { id }) })
  try {
    const url = new URL(target.apiUrl.trim())
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError()
  } catch {
    problems.push({ field: 'apiUrl', message: t('profile.errors.apiUrl') })
  }
  const variable = target.keyEnv.trim()
  if (variable !== '' && !ENV_NAME.test(variable))
    problems.push({ field: 'keyEnv', message: t('profile.errors.envName') })
  else if (browserMode && variable === '')
    problems.push({ field: 'keyEnv', message: t('targets.errors.keyEnvRequired') })
  return problems
}

/** Main's complaints about the target at `index` (on its fields, or an overlap with another). */
export function serverProblems(error: AppErrorValue | null, index: number): string[] {
  if (!error) return []
  return (error.details ?? [])
    .filter(
      (detail) =>
        detail.field === `connectif.targets.${index}` ||
        (detail.params?.['targets'] ?? '').split(',').includes(String(index)),
    )
    .map((detail) => detail.message)
}

interface TargetsEditorProps {
  targets: readonly TargetForm[]
  onChange: (targets: TargetForm[]) => void
  /** Every id the profile had or the form gave, so a removed target's id is never reused. */
  usedIds: readonly string[]
  onUseId: (id: string) => void
  mainAccount: boolean
  onMainAccountChange: (value: boolean) => void
  mainApiUrl: string
  browserMode: boolean
  /** Saved key status by target id. */
  keyStatus: Readonly<Record<string, SecretStatus>>
  /** The store's lists, when the form has them (Test connection or a saved profile). */
  languages: readonly LanguageView[]
  currencies: readonly CurrencyView[]
  shops: readonly ShopView[]
  showErrors: boolean
  error: AppErrorValue | null
}

export function TargetsEditor(props: TargetsEditorProps) {
  const { t } = useTranslation()
  const { targets, onChange } = props

  const update = (index: number, change: Partial<TargetForm>) =>
    onChange(targets.map((target, at) => (at === index ? { ...target, ...change } : target)))

  const add = () => {
    const target = newTargetForm(props.usedIds, props.mainApiUrl)
    props.onUseId(target.id)
    onChange([...targets, target])
  }

  return (
    <Stack spacing={2} component="section" aria-label={t('targets.section')}>
      <Typography variant="subtitle2" color="primary" sx={{ pt: 1 }}>
        {t('targets.section')}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {t('targets.intro')}
      </Typography>
      {targets.map((target, index) => {
        const number = index + 1
        const label = targetFormLabel(target)
        const local = props.showErrors ? targetProblems(t, target, props.browserMode) : []
        const remote = serverProblems(props.error, index)
        const fieldError = (field: 'conditions' | 'apiUrl' | 'keyEnv') =>
          local.find((problem) => problem.field === field)?.message
        const status = props.keyStatus[target.id]
        const name = label
          ? t('targets.titleWithLabel', { number, label })
          : t('targets.title', { number })
        return (
          <Paper
            key={target.id}
            variant="outlined"
            component="fieldset"
            aria-label={name}
            sx={{ p: 2, m: 0, borderColor: remote.length > 0 ? 'error.main' : undefined }}
          >
            <Box sx={{ display: 'flex', alignItems: 'center', mb: 1 }}>
              <Typography variant="subtitle2" sx={{ flexGrow: 1 }}>
                {name}
              </Typography>
              <Tooltip title={t('targets.remove', { number })}>
                <IconButton
                  aria-label={t('targets.remove', { number })}
                  onClick={() => onChange(targets.filter((_, at) => at !== index))}
                >
                  <DeleteIcon />
                </IconButton>
              </Tooltip>
            </Box>
            <Box
              sx={{
                display: 'grid',
                gridTemplateColumns: { xs: '1fr', md: '1fr 1fr 1fr' },
                gap: 2,
              }}
            >
              <CodeListField
                label={t('targets.languages')}
                help={t('targets.languagesHelp')}
                values={target.languages}
                onChange={(languages) => update(index, { languages })}
                normalise={(code) => code.toLowerCase()}
                options={props.languages.map((language) => ({
                  value: language.isoCode.toLowerCase(),
                  description: language.name,
                }))}
              />
              <CodeListField
                label={t('targets.currencies')}
                help={t('targets.currenciesHelp')}
                values={target.currencies}
                onChange={(currencies) => update(index, { currencies })}
                normalise={(code) => code.toUpperCase()}
                options={props.currencies.map((currency) => ({
                  value: currency.isoCode.toUpperCase(),
                  description: currency.name,
                }))}
              />
              <CodeListField
                label={t('targets.shops')}
                help={t('targets.shopsHelp')}
                values={target.shopIds}
                onChange={(shopIds) => update(index, { shopIds })}
                normalise={(id) => id.replace(/^#/, '')}
                options={props.shops.map((shop) => ({
                  value: String(shop.id),
                  description: shop.name,
                }))}
              />
            </Box>
            {fieldError('conditions') ? (
              <FormHelperText error sx={{ mt: 1 }}>
                {local
                  .filter((problem) => problem.field === 'conditions')
                  .map((problem) => problem.message)
                  .join(' ')}
              </FormHelperText>
            ) : null}
            <Box
              sx={{
                display: 'grid',
                gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' },
                gap: 2,
                mt: 2,
              }}
            >
              <TextField
                label={t('targets.apiUrl')}
                value={target.apiUrl}
                onChange={(event) => update(index, { apiUrl: event.target.value })}
                error={Boolean(fieldError('apiUrl'))}
                helperText={fieldError('apiUrl') ?? ' '}
              />
              <SecretField
                browserMode={props.browserMode}
                status={status}
                label={t('targets.key')}
                value={target.key}
                onChange={(key) => update(index, { key })}
                clear={target.clearKey}
                onClearChange={(clearKey) => update(index, { clearKey })}
                envLabel={t('targets.keyEnv')}
                envValue={target.keyEnv}
                onEnvChange={(keyEnv) => update(index, { keyEnv })}
                envError={fieldError('keyEnv')}
                envHelp={t('targets.keyEnvHelp')}
                envRequired
              />
            </Box>
            {remote.map((message) => (
              <Alert key={message} severity="error" sx={{ mt: 1 }}>
                {message}
              </Alert>
            ))}
          </Paper>
        )
      })}
      <Box>
        <Button startIcon={<AddIcon />} onClick={add}>
          {t('targets.add')}
        </Button>
      </Box>
      {targets.length > 0 ? (
        <Box>
          <FormControlLabel
            control={
              <Switch
                checked={props.mainAccount}
                onChange={(event) => props.onMainAccountChange(event.target.checked)}
              />
            }
            label={t('targets.mainAccount')}
          />
          <FormHelperText sx={{ ml: 6, mt: -0.5 }}>
            {props.mainAccount ? t('targets.mainAccountOn') : t('targets.mainAccountOff')}
          </FormHelperText>
        </Box>
      ) : null}
    </Stack>
  )
}

interface CodeOption {
  value: string
  description: string
}

/**
 * A list of codes as chips: the store's when known (offered with their names), or any typed one;
 * a comma, a space, Enter or leaving the field adds what was typed.
 */
function CodeListField(props: {
  label: string
  help: string
  values: readonly string[]
  onChange: (values: string[]) => void
  normalise: (code: string) => string
  options: readonly CodeOption[]
}) {
  const [input, setInput] = useState('')
  const descriptions = new Map(props.options.map((option) => [option.value, option.description]))
  const addCodes = (text: string) => {
    const codes = text
      .split(/[\s,;]+/)
      .map((code) => props.normalise(code.trim()))
      .filter((code) => code !== '' && !props.values.includes(code))
    if (codes.length > 0) props.onChange([...props.values, ...new Set(codes)])
  }
  return (
    <Autocomplete
      multiple
      freeSolo
      options={props.options.map((option) => option.value)}
      value={[...props.values]}
      inputValue={input}
      filterSelectedOptions
      onInputChange={(_event, text, reason) => {
        if (reason === 'input' && /[\s,;]/.test(text)) {
          const cut = Math.max(text.lastIndexOf(','), text.lastIndexOf(' '), text.lastIndexOf(';'))
          addCodes(text.slice(0, cut))
          setInput(text.slice(cut + 1))
        } else setInput(reason === 'reset' ? '' : text)
      }}
      onChange={(_event, values) => {
        const normalised = values.map((value) => props.normalise(value.trim()))
        props.onChange([...new Set(normalised.filter((value) => value !== ''))])
        setInput('')
      }}
      onBlur={() => {
        if (input.trim() !== '') addCodes(input)
        setInput('')
      }}
      renderOption={(optionProps, option) => {
        const { key, ...rest } = optionProps as typeof optionProps & { key: string }
        return (
          <li key={key} {...rest}>
            {option}
            {descriptions.has(option) ? (
              <Typography component="span" color="text.secondary" sx={{ ml: 1 }}>
                {descriptions.get(option)}
              </Typography>
            ) : null}
          </li>
        )
      }}
      renderInput={(params) => (
        <TextField {...params} label={props.label} helperText={props.help} />
      )}
    />
  )
}
