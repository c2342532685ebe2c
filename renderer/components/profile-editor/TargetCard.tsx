import DeleteIcon from '@mui/icons-material/Delete'
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import FormHelperText from '@mui/material/FormHelperText'
import IconButton from '@mui/material/IconButton'
import Paper from '@mui/material/Paper'
import Tooltip from '@mui/material/Tooltip'
import Typography from '@mui/material/Typography'
import { useController, useFormState, useWatch } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { targetLabel } from '../../../main/core/profiles/profile-rules'
import type { AppErrorValue, SecretStatus } from '../../../preload/contract'
import { targetName } from '../../i18n/account-name'
import { CodeListField } from './CodeListField'
import { errorMessages, serverDetailText, serverTargetProblems } from './form-errors'
import { FormTextField } from './FormTextField'
import { shopIdFromText, type ProfileFormValues } from './profile-form'
import { SecretFormField } from './SecretFormField'
import type { StoreLists } from './use-store-lists'

type ListPath =
  | `connectif.targets.${number}.languages`
  | `connectif.targets.${number}.currencies`
  | `connectif.targets.${number}.shopIds`

/**
 * One routing target: the languages, currencies and shops it serves, its account's URL and key.
 * Its problems as a whole (an overlap with another target, from the form or from main) are said
 * on it.
 */
export function TargetCard(props: {
  readonly index: number
  readonly browserMode: boolean
  /** Its key's saved status, by target id. */
  readonly keyStatus: Readonly<Record<string, SecretStatus>>
  readonly lists: StoreLists
  readonly serverError: AppErrorValue | null
  readonly onRemove: () => void
}) {
  const { t } = useTranslation()
  const { index } = props
  const at = `connectif.targets.${index}` as const
  const target = useWatch<ProfileFormValues, typeof at>({ name: at })
  const { errors } = useFormState<ProfileFormValues>({ name: at })
  const own = errors.connectif?.targets?.[index]
  const conditions = [
    ...errorMessages(own?.languages),
    ...errorMessages(own?.currencies),
    ...errorMessages(own?.shopIds),
  ]
  const whole = [
    ...new Set([
      ...errorMessages(own?.id),
      ...serverTargetProblems(props.serverError, index, serverDetailText(t)),
    ]),
  ]
  const languages = useController<ProfileFormValues, ListPath>({ name: `${at}.languages` })
  const currencies = useController<ProfileFormValues, ListPath>({ name: `${at}.currencies` })
  const shopIds = useController<ProfileFormValues, `${typeof at}.shopIds`>({
    name: `${at}.shopIds`,
  })

  const number = index + 1
  const label = targetLabel(target) === '' ? '' : targetName(t, targetLabel(target))
  const name = label
    ? t('targets.titleWithLabel', { number, label })
    : t('targets.title', { number })
  return (
    <Paper
      variant="outlined"
      component="fieldset"
      aria-label={name}
      sx={{ p: 2, m: 0, borderColor: whole.length > 0 ? 'error.main' : undefined }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', mb: 1 }}>
        {/* Under its section's title (h3). */}
        <Typography variant="subtitle2" component="h4" sx={{ flexGrow: 1 }}>
          {name}
        </Typography>
        <Tooltip title={t('targets.remove', { number })}>
          <IconButton aria-label={t('targets.remove', { number })} onClick={props.onRemove}>
            <DeleteIcon />
          </IconButton>
        </Tooltip>
      </Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr 1fr' }, gap: 2 }}>
        <CodeListField
          label={t('targets.languages')}
          help={t('targets.languagesHelp')}
          values={target.languages}
          onChange={languages.field.onChange}
          normalise={(code) => code.toLowerCase()}
          options={props.lists.languages.map((language) => ({
            value: language.isoCode.toLowerCase(),
            description: language.name,
          }))}
          invalid={languages.fieldState.invalid}
        />
        <CodeListField
          label={t('targets.currencies')}
          help={t('targets.currenciesHelp')}
          values={target.currencies}
          onChange={currencies.field.onChange}
          normalise={(code) => code.toUpperCase()}
          options={props.lists.currencies.map((currency) => ({
            value: currency.isoCode.toUpperCase(),
            description: currency.name,
          }))}
          invalid={currencies.fieldState.invalid}
        />
        <CodeListField
          label={t('targets.shops')}
          help={t('targets.shopsHelp')}
          values={target.shopIds.map(String)}
          onChange={(ids) => shopIds.field.onChange(ids.map(Number))}
          normalise={(id) => id.replace(/^#/, '')}
          accept={(id) => shopIdFromText(id) !== null}
          refusal={(id) => t('targets.errors.shop', { id })}
          options={props.lists.shops.map((shop) => ({
            value: String(shop.id),
            description: shop.name,
          }))}
          invalid={shopIds.fieldState.invalid}
        />
      </Box>
      {conditions.length > 0 ? (
        <FormHelperText error sx={{ mt: 1 }}>
          {conditions.join(' ')}
        </FormHelperText>
      ) : null}
      <Box
        sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 2, mt: 2 }}
      >
        <FormTextField name={`${at}.apiUrl`} label={t('targets.apiUrl')} />
        <SecretFormField
          name={`${at}.key`}
          envName={`${at}.keyEnv`}
          browserMode={props.browserMode}
          status={props.keyStatus[target.id]}
          label={t('targets.key')}
          envLabel={t('targets.keyEnv')}
          envHelp={t('targets.keyEnvHelp')}
          envRequired
        />
      </Box>
      {whole.length > 0 ? (
        <Alert severity="error" sx={{ mt: 1 }}>
          {whole.map((message) => (
            <div key={message}>{message}</div>
          ))}
        </Alert>
      ) : null}
    </Paper>
  )
}
