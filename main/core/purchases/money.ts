/**
 * Exact money arithmetic on PrestaShop's decimal strings ("55.200000"), in integer micro-units.
 *
 * PrestaShop keeps 6 decimals on every amount and rate, so a BigInt of millionths holds them
 * exactly; each amount Connectif receives is one rounded quotient. (big.js did the same work but
 * was most of the cost of mapping an order, about 30 µs each.)
 */

const MICROS = 1_000_000n
const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/

/**
 * Digits an amount may have before the decimal point. PrestaShop keeps every amount in a
 * decimal(20,6) column (rates in decimal(13,6)), so no amount it wrote has more than 14; a longer
 * one was put there by something else. Refusing it here, before it becomes a BigInt, keeps it
 * from ever reaching a float: a 400-digit total would be Infinity, and JSON writes that as null.
 */
export const MAX_WHOLE_DIGITS = 14

/** Why a text is not an amount: not a decimal number, or beyond what PrestaShop can store. */
export type AmountProblem = 'not_a_number' | 'out_of_range'

/**
 * Millionths of a decimal string, digits beyond the sixth rounded half away from zero; or why
 * the text is no amount.
 */
export function readMicros(text: string): bigint | AmountProblem {
  const match = DECIMAL.exec(text.trim())
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return 'not_a_number'
  const wholeDigits = (match[2] as string).replace(/^0+/, '')
  if (wholeDigits.length > MAX_WHOLE_DIGITS) return 'out_of_range'
  const negative = match[1] === '-'
  const whole = wholeDigits === '' ? 0n : BigInt(wholeDigits)
  const fraction = (match[3] ?? '').slice(0, 7).padEnd(7, '0')
  let micros = whole * MICROS + BigInt(fraction.slice(0, 6))
  if (fraction.charCodeAt(6) >= 53 /* "5" */) micros += 1n
  return negative ? -micros : micros
}

/** Millionths of a decimal string; throws a RangeError for what `readMicros` refuses. */
export function parseMicros(text: string): bigint {
  const micros = readMicros(text)
  if (micros === 'not_a_number') throw new RangeError(`"${text}" is not a decimal number`)
  if (micros === 'out_of_range') {
    throw new RangeError(`a number of more than ${MAX_WHOLE_DIGITS} digits is not an amount`)
  }
  return micros
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

/** `a × b` of two micro amounts (an amount and a factor), in micros, rounded half away from zero. */
export function multiplyMicros(a: bigint, b: bigint): bigint {
  return roundedQuotient(a * b, MICROS, 0)
}

/** Micros as a decimal string with six decimals, as PrestaShop writes amounts ("55.200000"). */
export function formatMicros(micros: bigint): string {
  return toRounded(micros, 6).text
}

export function quantityMicros(quantity: number): bigint {
  return BigInt(quantity) * MICROS
}

export const ONE_MICROS = MICROS
