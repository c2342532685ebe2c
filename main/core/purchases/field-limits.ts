/**
 * How long each text sent to Connectif (or kept in the history) may be, whatever a store's
 * database holds. A shop's tables can be edited by any module or by hand, so a field can hold
 * anything; these caps keep a 100,000-character "name" out of Connectif and out of the history.
 *
 * Every cap is generous: at least what PrestaShop itself lets the field hold (its column sizes,
 * docs/prestashop.md), so nothing PrestaShop wrote is ever cut. Connectif documents no
 * sizes (docs/connectif-api.md §4). Lengths count characters (Unicode code points), as
 * MySQL counts a VARCHAR's length. The README's mapping section lists them; keep both in step.
 */
export const FIELD_LIMITS = {
  /**
   * `contactEmail`. `customer.email` is varchar(128) in 1.6 and varchar(255) from 1.7. An address
   * is never cut (a cut address is someone else's): a longer one skips the order.
   */
  email: 255,
  /** A created contact's `firstname` and `lastname`: `customer.firstname`/`lastname` are varchar(255). */
  personName: 255,
  /** `paymentMethod`. `orders.payment` is varchar(255) in every version. */
  paymentMethod: 255,
  /**
   * `products[].name`. The catalogue name (`product_lang.name`) is at most 255 characters and the
   * order line's label (`order_detail.product_name`) varchar(255) in 1.6 and 1.7; from 8.0 the
   * label is TEXT (MEDIUMTEXT from 8.2) so that a name with many attributes fits. 1,000 is four
   * times the name: room for "Name (Size: S - Color: White - …)" with a dozen attributes.
   */
  productName: 1000,
  /** One level of `products[].categories`: `category_lang.name` is varchar(128). */
  categoryName: 255,
  /**
   * The whole `products[].categories` path: eight levels of the longest names. A deeper path
   * loses its deepest levels, so it still names a real category (an ancestor), never half a name.
   */
  categoryPath: 2000,
  /** `products[].brand`. `manufacturer.name` is varchar(64). */
  brand: 255,
  /**
   * `productDetailUrl` and `imageUrl`: the de facto limit of browsers and of the sitemap protocol.
   * PrestaShop builds them from a domain (≤ 255), base URIs (≤ 64 each), rewrites (≤ 128) and
   * ids, far below it. A URL cannot be cut: a longer product URL is replaced by the plain
   * `index.php?id_product=…` link, a longer image URL is left out (it is optional).
   */
  url: 2048,
  /**
   * The order reference, kept in the history and reports only (never sent). `orders.reference`
   * is varchar(9), varchar(255) from 9.0.
   */
  reference: 255,
  /** A stored date shown as is because it is not a valid date (history and reports only). */
  rawDate: 64,
  /** An order total shown as is because it is not a usable amount (history and reports only). */
  rawAmount: 64,
} as const

/**
 * Bytes of a Connectif answer kept in the history (and shown in the report's `response` column).
 * Connectif's answers are small JSON documents (an error with its detail, a purchase echoed
 * back), well under 2 KB; 8 KB keeps any of them whole while a proxy's 1 MB error page is cut,
 * followed by `… [truncated: N bytes in all]`.
 */
export const STORED_RESPONSE_BYTES = 8192

/**
 * Bytes of an answer the client reads to understand it (its error code, the product ids of an
 * E0102). Larger than what is stored, so that an E0102 naming thousands of products is still
 * understood; a body beyond it is drained without being kept.
 */
export const PARSED_RESPONSE_BYTES = 65_536

/** What ends a cut text: visible, so nobody mistakes it for the whole. */
export const ELLIPSIS = '…'

/** The marker that ends a stored answer cut at STORED_RESPONSE_BYTES. */
export function truncationMarker(totalBytes: number): string {
  return `${ELLIPSIS} [truncated: ${totalBytes} bytes in all]`
}

/** Whether `text` is longer than `limit` characters (code points). */
export function exceeds(text: string, limit: number): boolean {
  // A UTF-16 length within the limit is within it in code points too: the common case is O(1).
  if (text.length <= limit) return false
  let count = 0
  for (const _ of text) if (++count > limit) return true
  return false
}

/**
 * `text` cut to at most `limit` characters, ending in "…" when cut. Never splits a character
 * (a surrogate pair), so the result is always well-formed.
 */
export function capText(text: string, limit: number): string {
  if (!exceeds(text, limit)) return text
  let kept = ''
  let count = 0
  for (const char of text) {
    if (++count > limit - ELLIPSIS.length) break
    kept += char
  }
  return kept + ELLIPSIS
}

/**
 * A value quoted in a skip reason: whole when short, else its beginning and its length, so a
 * hostile value cannot flood the history and the report through the message.
 */
export function quoteValue(text: string, limit = 40): string {
  if (!exceeds(text, limit)) return `"${text}"`
  const length = [...text].length
  return `"${capText(text, limit)}" (${length} characters)`
}
