import { StoreError } from '../store-errors'

/**
 * The shop's address for the Webservice: normalises what the merchant typed into the shop's base
 * URL, and decides which redirects may be followed (only within the shop's own origin).
 */

/** Checks and normalises the shop address: http(s), no credentials, ends with "/", no `api/`. */
export function normaliseShopUrl(input: string): URL {
  const trimmed = input.trim()
  let url: URL
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`)
  } catch {
    throw new StoreError(
      'invalid_url',
      `"${input}" is not a web address. Type the shop's address, e.g. https://www.example.com/.`,
      { params: { reason: 'not_address', input } },
    )
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new StoreError(
      'invalid_url',
      `"${input}" is not an http:// or https:// address. Type the shop's address, e.g. https://www.example.com/.`,
      { params: { reason: 'not_http', input } },
    )
  }
  if (url.username !== '' || url.password !== '') {
    throw new StoreError(
      'invalid_url',
      'The shop address must not contain a user name or password: the Webservice key is entered separately.',
      { params: { reason: 'credentials' } },
    )
  }
  url.search = ''
  url.hash = ''
  let path = url.pathname.replace(/\/+$/, '')
  // People paste the API address, or the dispatcher's, instead of the shop's.
  path = path.replace(/\/(api|webservice\/dispatcher\.php)$/i, '')
  url.pathname = `${path}/`
  return url
}

/**
 * Where a redirect (HTTP `status`, `Location: location`) from `from` leads, when it stays within the
 * shop's own origin; anywhere else the shop address is wrong, and the error says which to use.
 */
export function redirectTarget(
  from: URL,
  location: string | undefined,
  status: number,
  base: URL,
): URL {
  let to: URL | null
  try {
    to = location === undefined ? null : new URL(location, from)
  } catch {
    to = null
  }
  if (to === null) {
    throw new StoreError(
      'redirected',
      `The shop answered a redirect (HTTP ${status}) without saying where to; check the shop address.`,
      { params: { reason: 'no_location', status: String(status) } },
    )
  }
  if (to.origin === from.origin) return to
  const suggestion = `${to.origin}${base.pathname}`
  if (to.hostname === from.hostname) {
    throw new StoreError(
      'redirected',
      `The shop redirects ${from.origin} to ${to.origin}. Use ${suggestion} as the shop address.`,
      {
        params: {
          reason: 'other_origin',
          from: from.origin,
          to: to.origin,
          suggestedUrl: suggestion,
        },
      },
    )
  }
  throw new StoreError(
    'redirected',
    `The shop at ${from.host} redirects to another address, ${to.host} (PrestaShop sends visitors to the shop's main domain). Use the main address, e.g. ${suggestion}, as the shop address.`,
    { params: { reason: 'other_host', from: from.host, to: to.host, suggestedUrl: suggestion } },
  )
}

/** Too many redirects, even within the shop's origin. */
export function tooManyRedirects(max: number, base: URL): StoreError {
  return new StoreError(
    'redirected',
    `The shop keeps redirecting (more than ${max} times) from ${base.href}; check the shop address.`,
    { params: { reason: 'too_many', max: String(max), url: base.href } },
  )
}
