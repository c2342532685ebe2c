import AddIcon from '@mui/icons-material/Add'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import FormControlLabel from '@mui/material/FormControlLabel'
import FormHelperText from '@mui/material/FormHelperText'
import Stack from '@mui/material/Stack'
import Switch from '@mui/material/Switch'
import { useState } from 'react'
import { useController, useFieldArray, useFormContext } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import type { AppErrorValue, SecretStatus } from '../../../preload/contract'
import { newTarget, type ProfileFormValues } from './profile-form'
import { TargetCard } from './TargetCard'
import type { StoreLists } from './use-store-lists'

/**
 * The routing targets of a profile's Connectif section: one Connectif account per language,
 * currency or shop, and whether the orders no target serves go to the main account.
 */
export function TargetsEditor(props: {
  readonly browserMode: boolean
  /** Saved key status by target id. */
  readonly keyStatus: Readonly<Record<string, SecretStatus>>
  /** The store's lists, when the form has them (Test connection or a saved profile). */
  readonly lists: StoreLists
  readonly serverError: AppErrorValue | null
}) {
  const { t } = useTranslation()
  const { getValues } = useFormContext<ProfileFormValues>()
  const { fields, append, remove } = useFieldArray<ProfileFormValues, 'connectif.targets'>({
    name: 'connectif.targets',
  })
  const mainAccount = useController<ProfileFormValues, 'connectif.mainAccount'>({
    name: 'connectif.mainAccount',
  })
  // Every id the profile had or the form gave: a removed target's id (and key) is never reused.
  const [usedIds, setUsedIds] = useState<readonly string[]>(() =>
    getValues('connectif.targets').map((target) => target.id),
  )

  const add = () => {
    const target = newTarget(usedIds, getValues('connectif.apiUrl'))
    setUsedIds((old) => [...old, target.id])
    append(target, { shouldFocus: false })
  }

  return (
    <Stack spacing={2}>
      {fields.map((field, index) => (
        <TargetCard
          key={field.id}
          index={index}
          browserMode={props.browserMode}
          keyStatus={props.keyStatus}
          lists={props.lists}
          serverError={props.serverError}
          onRemove={() => remove(index)}
        />
      ))}
      <Box>
        <Button startIcon={<AddIcon />} onClick={add}>
          {t('targets.add')}
        </Button>
      </Box>
      {fields.length > 0 ? (
        <Box>
          <FormControlLabel
            control={
              <Switch
                checked={mainAccount.field.value}
                onChange={(event) => mainAccount.field.onChange(event.target.checked)}
              />
            }
            label={t('targets.mainAccount')}
          />
          <FormHelperText sx={{ ml: 6, mt: -0.5 }}>
            {mainAccount.field.value ? t('targets.mainAccountOn') : t('targets.mainAccountOff')}
          </FormHelperText>
        </Box>
      ) : null}
    </Stack>
  )
}
