import Autocomplete from '@mui/material/Autocomplete'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useState } from 'react'

export interface CodeOption {
  readonly value: string
  readonly description: string
}

/**
 * A list of codes as chips: the store's when known (offered with their names), or any typed one;
 * a comma, a space, Enter or leaving the field adds what was typed. What `accept` refuses is not
 * added, and `refusal` says why.
 */
export function CodeListField(props: {
  readonly label: string
  readonly help: string
  readonly values: readonly string[]
  readonly onChange: (values: string[]) => void
  readonly normalise: (code: string) => string
  readonly options: readonly CodeOption[]
  /** The form found a problem with the list (said below the target's lists). */
  readonly invalid?: boolean
  readonly accept?: (code: string) => boolean
  readonly refusal?: (code: string) => string
}) {
  const [input, setInput] = useState('')
  const [refused, setRefused] = useState<readonly string[]>([])
  const descriptions = new Map(props.options.map((option) => [option.value, option.description]))
  const accept = props.accept ?? (() => true)

  /** The new list: the current one and the accepted codes of `codes`. */
  const setCodes = (codes: readonly string[], base: readonly string[]) => {
    const normalised = codes
      .map((code) => props.normalise(code.trim()))
      .filter((code) => code !== '')
    setRefused(normalised.filter((code) => !accept(code)))
    const added = normalised.filter((code) => accept(code) && !base.includes(code))
    return [...base, ...new Set(added)]
  }
  const addCodes = (text: string) => {
    const codes = setCodes(text.split(/[\s,;]+/), props.values)
    if (codes.length > props.values.length) props.onChange(codes)
  }
  const problem =
    refused.length > 0 ? refused.map((code) => props.refusal?.(code) ?? code).join(' ') : undefined

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
        props.onChange(setCodes(values, []))
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
        <TextField
          {...params}
          label={props.label}
          error={problem !== undefined || props.invalid === true}
          helperText={problem ?? props.help}
        />
      )}
    />
  )
}
