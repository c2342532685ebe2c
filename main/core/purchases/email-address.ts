/**
 * Which customer e-mail addresses are sent: those PrestaShop itself accepts (`Validate::isEmail`),
 * so an address a shop took from its customer is never second-guessed here. Connectif's answer
 * decides the rest, and the report shows it.
 *
 * PrestaShop's rule changed over the versions this app reads, and a store upgraded from 1.6 still
 * holds what 1.6 accepted, so an address is sent when either rule accepts it:
 * - 1.6: a regular expression allowing RFC 5322 `atext` (`! # $ % & ' * + / = ? ^ _ \` { | } ~ -`)
 *   and any Unicode letter in the local part, dots anywhere after its first character, and a
 *   domain of letters (Unicode too), digits, `-` and `_` with at least one dot.
 * - 1.7, 8 and 9: egulias/email-validator's RFCValidation (RFC 5322 `addr-spec`: a dot-atom or a
 *   quoted string, then a dot-atom domain, internationalised ones included, or an address
 *   literal), plus PrestaShop's own refusal of non-ASCII characters in the local part.
 * Not accepted: RFC 5322 comments and folding white space (`a(note)@x.example`), which no shop
 * records as a customer's address.
 */
import { FIELD_LIMITS, exceeds } from './field-limits'

// RFC 5322 atext, for a character class (`-` escaped: more ranges follow it).
const ATEXT = "A-Za-z0-9!#$%&'*+/=?^_`{|}~\\-"

/** 1.6's local part (dot-atom's superset: consecutive and final dots), with Unicode letters. */
const LOCAL_ATOMS = new RegExp(`^[${ATEXT}\\p{L}][${ATEXT}\\p{L}.]*$`, 'u')
/** RFC 5322 quoted-string, ASCII only (1.7+ refuses non-ASCII local parts; 1.6 has none). */
const LOCAL_QUOTED = /^"(?:[\x20\x21\x23-\x5B\x5D-\x7E]|\\[\x20-\x7E])*"$/
/** A dot-atom domain; non-ASCII letters, marks and digits for internationalised names. */
const DOMAIN_ATOMS = new RegExp(
  `^[${ATEXT}\\p{L}\\p{M}\\p{N}]+(?:\\.[${ATEXT}\\p{L}\\p{M}\\p{N}]+)*$`,
  'u',
)
/** An address literal: `[192.0.2.1]` or `[IPv6:2001:db8::1]`. */
const DOMAIN_LITERAL = /^\[(?:(?:\d{1,3}\.){3}\d{1,3}|IPv6:[0-9A-Fa-f:.]+)\]$/

/**
 * Whether PrestaShop would have accepted `email` (already trimmed) as a customer's address. An
 * address longer than the column PrestaShop keeps it in (FIELD_LIMITS.email) is refused too.
 */
export function isPrestaShopEmail(email: string): boolean {
  if (email === '' || exceeds(email, FIELD_LIMITS.email)) return false
  // A quoted local part may hold "@"; the domain never does.
  const at = email.lastIndexOf('@')
  if (at <= 0 || at === email.length - 1) return false
  const local = email.slice(0, at)
  const domain = email.slice(at + 1)
  return (
    (LOCAL_ATOMS.test(local) || LOCAL_QUOTED.test(local)) &&
    (DOMAIN_ATOMS.test(domain) || DOMAIN_LITERAL.test(domain))
  )
}
