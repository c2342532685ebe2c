import Box from '@mui/material/Box'
import Chip from '@mui/material/Chip'

/** A PrestaShop order status with its colour, as the back office shows it. */
export function StateDot({ color }: { color: string }) {
  return (
    <Box
      component="span"
      aria-hidden
      sx={{
        display: 'inline-block',
        width: 12,
        height: 12,
        borderRadius: '50%',
        flexShrink: 0,
        bgcolor: safeColor(color),
        // A ring that shows a dark status colour on the dark theme too.
        border: '1px solid',
        borderColor: (theme) =>
          theme.palette.mode === 'dark' ? 'rgba(255,255,255,0.45)' : 'rgba(0,0,0,0.2)',
      }}
    />
  )
}

export function StateChip({ name, color }: { name: string; color: string }) {
  return (
    <Chip
      size="small"
      variant="outlined"
      label={name}
      icon={<StateDot color={color} />}
      sx={{ '& .MuiChip-icon': { ml: 1 } }}
    />
  )
}

function safeColor(color: string): string {
  return /^#[0-9a-f]{3,8}$/i.test(color.trim()) ? color.trim() : '#9e9e9e'
}
