/**
 * Dates and numbers in the locale of the UI's language (`en`, `es`: i18next's language is the
 * locale). Every date or number the merchant reads goes through these, so switching the language
 * switches them too. Pure (no DOM), so Node tests and i18n helpers can use them;
 * renderer/components/format.ts re-exports them for the screens.
 */

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/** A day written `YYYY-MM-DD` as a UTC instant, or null when it is not a real day (2025-02-30). */
function parseDay(day: string): Date | null {
  const match = ISO_DAY.exec(day)
  if (!match) return null
  const [year, month, date] = match.slice(1).map(Number) as [number, number, number]
  const instant = new Date(Date.UTC(year, month - 1, date))
  return instant.getUTCFullYear() === year &&
    instant.getUTCMonth() === month - 1 &&
    instant.getUTCDate() === date
    ? instant
    : null
}

/** Whether `value` is a real day written `YYYY-MM-DD`. */
export function isIsoDay(value: string): boolean {
  return parseDay(value) !== null
}

/** A number with the language's grouping and decimal marks: 12,345.5 (en), 12.345,5 (es). */
export function formatNumber(language: string, value: number): string {
  return value.toLocaleString(language)
}

/** An instant with the given Intl options; '' when it is not a valid date. */
export function formatDate(
  language: string,
  date: Date,
  options: Intl.DateTimeFormatOptions,
): string {
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString(language, options)
}

/**
 * formatDay's options: the one way the screens write a day, in numbers ("1/13/2025",
 * "13/1/2025"), as a date field shows it too: a field whose month is written in letters loses
 * digits typed into it (MUI X in Chromium), so the field keeps numbers and the sentences follow it.
 */
const DAY_PARTS: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'numeric', year: 'numeric' }
/** A day is a calendar day: written as it is, in no time zone. */
const DAY_STYLE: Intl.DateTimeFormatOptions = { ...DAY_PARTS, timeZone: 'UTC' }

/**
 * An ISO instant as its day (written as formatDay writes one) and time on this computer's clock:
 * "1/13/2025, 1:30 PM" / "13/1/2025, 13:30"; '—' when there is none.
 */
export function formatDateTime(language: string, iso: string | null): string {
  if (!iso) return '—'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return formatDate(language, date, { ...DAY_PARTS, hour: 'numeric', minute: '2-digit' })
}

/** A day (`YYYY-MM-DD`, a calendar day, no time zone) as "1/13/2025" / "13/1/2025". */
export function formatDay(language: string, day: string): string {
  const date = parseDay(day)
  return date ? formatDate(language, date, DAY_STYLE) : day
}

/**
 * The format of a date field (Luxon tokens), read from formatDay's, so that a field shows a day
 * as the sentences around it write it: `M/d/yyyy` (en), `d/M/yyyy` (es).
 */
export function dayFieldFormat(language: string): string {
  const sample = new Date(Date.UTC(2025, 0, 13))
  return new Intl.DateTimeFormat(language, DAY_STYLE)
    .formatToParts(sample)
    .map((part) => {
      switch (part.type) {
        case 'day':
          return 'd'
        case 'month':
          return /^\d+$/.test(part.value) ? 'M' : 'MMM'
        case 'year':
          return 'yyyy'
        case 'literal':
          // Letters in a literal ("de") would be read as tokens: quoted, as Luxon escapes.
          return /[\p{L}']/u.test(part.value) ? `'${part.value.replaceAll("'", "''")}'` : part.value
        default:
          return ''
      }
    })
    .join('')
}

/** Two days as one range: "1/5/2026 – 3/3/2026" / "5/1/2026 – 3/3/2026". */
export function formatDayRange(language: string, from: string, to: string): string {
  const start = parseDay(from)
  const end = parseDay(to)
  if (!start || !end) return `${formatDay(language, from)} – ${formatDay(language, to)}`
  try {
    return new Intl.DateTimeFormat(language, DAY_STYLE).formatRange(start, end)
  } catch {
    return `${formatDay(language, from)} – ${formatDay(language, to)}`
  }
}

/** A day without its year, for a chart's axis: "Jan 13" / "13 ene". */
export function formatShortDay(language: string, day: string): string {
  const date = parseDay(day)
  return date
    ? formatDate(language, date, { day: 'numeric', month: 'short', timeZone: 'UTC' })
    : day
}

/** Bytes as the language writes them, in kB, MB or GB (powers of 1,000, as disks count them). */
export function formatBytes(language: string, bytes: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const
  let value = Math.max(0, bytes)
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value)
}
