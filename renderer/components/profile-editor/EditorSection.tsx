import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useId, type ReactNode } from 'react'

/**
 * A section of the profile editor's page: a heading (h3, under the page's h2) and its fields, with
 * what explains them under the heading or beside each field, never in a block further down.
 */
export function EditorSection(props: {
  readonly title: string
  /** A sentence under the heading: what the section is for. */
  readonly intro?: string
  readonly children: ReactNode
}) {
  const id = useId()
  return (
    <Paper variant="outlined" component="section" aria-labelledby={id} sx={{ p: { xs: 2, sm: 3 } }}>
      <Stack spacing={2}>
        <div>
          <Typography variant="h6" component="h3" id={id}>
            {props.title}
          </Typography>
          {props.intro ? (
            <Typography variant="body2" color="text.secondary">
              {props.intro}
            </Typography>
          ) : null}
        </div>
        {props.children}
      </Stack>
    </Paper>
  )
}
