import Box from '@mui/material/Box'
import Checkbox from '@mui/material/Checkbox'
import FormControl from '@mui/material/FormControl'
import FormControlLabel from '@mui/material/FormControlLabel'
import FormGroup from '@mui/material/FormGroup'
import FormHelperText from '@mui/material/FormHelperText'
import FormLabel from '@mui/material/FormLabel'
import MenuItem from '@mui/material/MenuItem'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import type { ReactNode } from 'react'
import { useController } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import Button from '@mui/material/Button'
import { StateDot } from '../StateChip'
import { validOrderStateIds } from './default-states'
import { fieldErrorText } from './form-errors'
import type { ProfileFormValues } from './profile-form'
import type { StoreLists } from './use-store-lists'

/**
 * The shops read, the language of the status names and the statuses the wizard preselects.
 * `preselected`: the statuses were just set to the store's valid, paid ones (default-states.ts).
 */
export function StoreDefaultsFields({
  lists,
  preselected = false,
}: {
  readonly lists: StoreLists
  readonly preselected?: boolean
}) {
  const { t } = useTranslation()
  const shopIds = useController<ProfileFormValues, 'shopIds'>({ name: 'shopIds' })
  const language = useController<ProfileFormValues, 'languageIso'>({ name: 'languageIso' })
  const stateIds = useController<ProfileFormValues, 'defaultStateIds'>({
    name: 'defaultStateIds',
  })
  const languageError = fieldErrorText(language.fieldState.error)
  const states = (lists.states ?? []).filter((state) => !state.deleted)
  return (
    <>
      {lists.shops.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {t('profile.shopsHint')}
        </Typography>
      ) : (
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, gap: 2 }}>
          <FormControl component="fieldset">
            <FormLabel component="legend">{t('profile.shops')}</FormLabel>
            <IdCheckboxes
              ids={shopIds.field.value}
              onChange={shopIds.field.onChange}
              items={lists.shops.map((shop) => ({
                id: shop.id,
                label: `${shop.name} (${shop.timezone})`,
              }))}
            />
            <FormHelperText>{t('profile.shopsHelp')}</FormHelperText>
          </FormControl>
          <TextField
            select
            label={t('profile.language')}
            value={language.field.value}
            onChange={(event) => language.field.onChange(event.target.value)}
            error={Boolean(languageError)}
            helperText={languageError ?? t('profile.languageHelp')}
          >
            <MenuItem value="">{t('profile.shopDefault')}</MenuItem>
            {lists.languages.map((item) => (
              <MenuItem key={item.id} value={item.isoCode}>
                {item.name} ({item.isoCode})
              </MenuItem>
            ))}
          </TextField>
        </Box>
      )}
      {lists.states && lists.states.length > 0 ? (
        <FormControl component="fieldset">
          <FormLabel component="legend">{t('profile.defaultStates')}</FormLabel>
          <IdCheckboxes
            ids={stateIds.field.value}
            onChange={stateIds.field.onChange}
            sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}
            items={states.map((state) => ({
              id: state.id,
              label: (
                <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
                  <StateDot color={state.color} />
                  {state.name}
                </Box>
              ),
            }))}
          />
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
            <FormHelperText sx={{ flexGrow: 1 }}>
              {preselected ? t('profile.validStatesPreselected') : t('profile.validStatesHelp')}
            </FormHelperText>
            <Button
              size="small"
              onClick={() => stateIds.field.onChange(validOrderStateIds(states))}
            >
              {t('profile.selectValidStates')}
            </Button>
          </Box>
        </FormControl>
      ) : (
        <Typography variant="body2" color="text.secondary">
          {t('profile.defaultStatesHint')}
        </Typography>
      )}
    </>
  )
}

/** A checkbox per item; `ids` are those ticked. */
function IdCheckboxes(props: {
  readonly ids: readonly number[]
  readonly onChange: (ids: number[]) => void
  readonly items: readonly { readonly id: number; readonly label: ReactNode }[]
  readonly sx?: Parameters<typeof FormGroup>[0]['sx']
}) {
  return (
    <FormGroup sx={props.sx}>
      {props.items.map((item) => (
        <FormControlLabel
          key={item.id}
          control={
            <Checkbox
              checked={props.ids.includes(item.id)}
              onChange={(event) =>
                props.onChange(
                  event.target.checked
                    ? [...props.ids, item.id]
                    : props.ids.filter((id) => id !== item.id),
                )
              }
            />
          }
          label={item.label}
        />
      ))}
    </FormGroup>
  )
}
