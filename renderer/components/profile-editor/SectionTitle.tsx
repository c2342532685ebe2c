import Typography from '@mui/material/Typography'
import type { ReactNode } from 'react'

/** The title of a section of the profile form. */
export function SectionTitle({ children }: { readonly children: ReactNode }) {
  return (
    <Typography variant="subtitle2" color="primary" sx={{ pt: 1 }}>
      {children}
    </Typography>
  )
}
