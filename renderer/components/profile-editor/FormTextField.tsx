import TextField, { type TextFieldProps } from '@mui/material/TextField'
import { useController, type FieldPathByValue } from 'react-hook-form'
import { fieldErrorText } from './form-errors'
import type { ProfileFormValues } from './profile-form'

export type TextFieldPath = FieldPathByValue<ProfileFormValues, string>

type FormTextFieldProps = Omit<
  TextFieldProps,
  'name' | 'value' | 'onChange' | 'onBlur' | 'error' | 'helperText' | 'inputRef'
> & {
  readonly name: TextFieldPath
  /** What the field says while it has no problem. */
  readonly help?: string
  /** Main's complaint about the field, shown when the form has none. */
  readonly problem?: string | undefined
}

/** A text field of the profile form: its value, and its problems (the form's, else main's). */
export function FormTextField({ name, help, problem, ...props }: FormTextFieldProps) {
  const { field, fieldState } = useController<ProfileFormValues, TextFieldPath>({ name })
  const error = fieldErrorText(fieldState.error) ?? problem
  return (
    <TextField
      {...props}
      name={field.name}
      value={field.value}
      onChange={field.onChange}
      onBlur={field.onBlur}
      inputRef={field.ref}
      error={Boolean(error)}
      helperText={error ?? help ?? ' '}
    />
  )
}
