import Typography from '@mui/material/Typography'
import type { ReactNode } from 'react'

/**
 * The title of a section of the profile form: a heading one level below the dialog's title (h2),
 * as subtitle2 would otherwise render an h6 and skip levels.
 */
export function SectionTitle({ children }: { readonly children: ReactNode }) {
  return (
    <Typography variant="subtitle2" component="h3" color="primary" sx={{ pt: 1 }}>
      {children}
    </Typography>
  )
}
