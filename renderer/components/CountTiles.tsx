import Box from '@mui/material/Box'

/**
 * A sending's counts as a row of tiles. Each tile is a group named by its count ("Created") that
 * holds a one-term description list, its name and its number: found by name by assistive
 * technologies (and the tests), and valid HTML (a `dl` holds only `dt`, `dd` and plain `div`s, so
 * the named groups cannot sit directly in one list).
 */
export function CountTiles({
  label,
  counts,
  columns,
}: {
  /** The whole row's name ("Counts"). */
  label: string
  /** Each count's name and its number, already formatted. */
  counts: readonly (readonly [string, string])[]
  /** The grid's columns (CSS `grid-template-columns`, or one per breakpoint). */
  columns: string | Readonly<Record<'xs' | 'md', string>>
}) {
  return (
    <Box
      role="group"
      aria-label={label}
      sx={{
        display: 'grid',
        gridTemplateColumns: columns,
        gap: 1,
        '& > div': {
          border: 1,
          borderColor: 'divider',
          borderRadius: 1,
          p: 1,
          textAlign: 'center',
        },
        '& dl': { m: 0 },
        '& dt': { fontSize: 12, color: 'text.secondary' },
        '& dd': { m: 0, fontSize: 20, fontWeight: 600 },
      }}
    >
      {counts.map(([name, value]) => (
        <div key={name} role="group" aria-label={name}>
          <dl>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </dl>
        </div>
      ))}
    </Box>
  )
}
