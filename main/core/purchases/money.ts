/**
 * Exact money arithmetic on PrestaShop's decimal strings ("55.200000"), in integer micro-units.
 *
 * PrestaShop keeps 6 decimals on every amount and rate, so a BigInt of millionths holds them
 * exactly; each amount Connectif receives is one rounded quotient. (big.js did the same work but
 * was most of the cost of mapping an order, about 30 µs each.)
 */

const MICROS = 1_000_000n
const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/

/** Millionths of a decimal string; digits beyond the sixth are rounded half away from zero. */
export function parseMicros(text: string): bigint {
  const match = DECIMAL.exec(text.trim())
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new RangeError(`"${text}" is not a decimal number`)
  }
  const negative = match[1] === '-'
  const whole = match[2] === '' ? 0n : BigInt(match[2] as string)
  const fraction = (match[3] ?? '').padEnd(7, '0')
  let micros = whole * MICROS + BigInt(fraction.slice(0, 6))
  if (fraction.charCodeAt(6) >= 53 /* "5" */) micros += 1n
  return negative ? -micros : micros
}

/** `numerator / denominator` in units of 10^-precision, rounded half away from zero. */
function roundedQuotient(numerator: bigint, denominator: bigint, precision: number): bigint {
  if (denominator === 0n) throw new RangeError('division by zero')
  const scaled = numerator * 10n ** BigInt(precision)
  const negative = scaled < 0n !== denominator < 0n
  const a = scaled < 0n ? -scaled : scaled
  const b = denominator < 0n ? -denominator : denominator
  const quotient = (2n * a + b) / (2n * b)
  return negative ? -quotient : quotient
}

export interface RoundedAmount {
  /** Nearest binary float to the decimal value, for JSON bodies. */
  readonly value: number
  /** The decimal value with exactly `precision` decimals, for reports. */
  readonly text: string
}

function toRounded(units: bigint, precision: number): RoundedAmount {
  const negative = units < 0n
  const digits = (negative ? -units : units).toString().padStart(precision + 1, '0')
  const text =
    (negative ? '-' : '') +
    (precision === 0 ? digits : `${digits.slice(0, -precision)}.${digits.slice(-precision)}`)
  // Dividing the exact integer by a power of ten rounds once, to the nearest float of the decimal.
  return { value: Number(units) / 10 ** precision, text }
}

/** `micros / divisorMicros` (a rate, or a quantity times MICROS) rounded to `precision` decimals. */
export function divideRounded(
  micros: bigint,
  divisorMicros: bigint,
  precision: number,
): RoundedAmount {
  return toRounded(roundedQuotient(micros, divisorMicros, precision), precision)
}

export function quantityMicros(quantity: number): bigint {
  return BigInt(quantity) * MICROS
}

export const ONE_MICROS = MICROS
