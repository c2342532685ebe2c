import { useController, type FieldPathByValue } from 'react-hook-form'
import type { SecretStatus } from '../../../preload/contract'
import { SecretField } from '../SecretField'
import { fieldErrorText } from './form-errors'
import type { ProfileFormValues, SecretInput } from './profile-form'
import type { TextFieldPath } from './FormTextField'

/**
 * A secret of the profile form: typed in the desktop app (`name`, write-only), or named by an
 * environment variable in browser mode (`envName`, one of the profile's fields).
 */
export function SecretFormField(props: {
  readonly name: FieldPathByValue<ProfileFormValues, SecretInput>
  readonly envName: TextFieldPath
  readonly browserMode: boolean
  readonly status: SecretStatus | 'not-needed' | undefined
  readonly label: string
  readonly envLabel: string
  readonly envHelp: string
  readonly envRequired: boolean
}) {
  const secret = useController<ProfileFormValues, TextFieldPath>({
    name: `${props.name}.value` as TextFieldPath,
  })
  const clear = useController<ProfileFormValues, FieldPathByValue<ProfileFormValues, boolean>>({
    name: `${props.name}.clear` as FieldPathByValue<ProfileFormValues, boolean>,
  })
  const env = useController<ProfileFormValues, TextFieldPath>({ name: props.envName })
  return (
    <SecretField
      browserMode={props.browserMode}
      status={props.status}
      label={props.label}
      value={secret.field.value}
      onChange={secret.field.onChange}
      clear={clear.field.value}
      onClearChange={clear.field.onChange}
      envLabel={props.envLabel}
      envValue={env.field.value}
      onEnvChange={env.field.onChange}
      envInputRef={env.field.ref}
      envError={fieldErrorText(env.fieldState.error)}
      envHelp={props.envHelp}
      envChanged={env.fieldState.isDirty}
      envRequired={props.envRequired}
    />
  )
}
