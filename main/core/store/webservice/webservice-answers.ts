import type { Response } from 'got'
import { StoreError } from '../store-errors'
import { isRecord } from './webservice-values'

/**
 * Reading what the shop answered a Webservice request: the JSON when it is one, else the error
 * that says what to change and where (PrestaShop's own error codes, a web page where the
 * Webservice should answer, a body no Webservice sends). While the client probes its way in, a
 * missing endpoint or key is reported as a ProbeSignal instead.
 */

/** Resources the reader asks for, as the back office lists them on the key's permission grid. */
export const REQUIRED_RESOURCES = [
  'configurations',
  'languages',
  'currencies',
  'shops',
  'shop_urls',
  'image_types',
  'order_states',
  'orders',
  'order_details',
  'customers',
  'products',
  'combinations',
  'categories',
  'manufacturers',
  'stock_availables',
  'tax_rule_groups',
  'tax_rules',
  'taxes',
] as const

export type Probe = 'ok' | 'not_found' | 'key_not_received'

/** Tells the client's discovery which way in to try next; never leaves the client. */
export class ProbeSignal extends Error {
  constructor(readonly kind: Exclude<Probe, 'ok'>) {
    super(kind)
  }
}

/**
 * The body of an answer below HTTP 500 (or the last of several 5xx), parsed; throws StoreError
 * with a message for the merchant, or ProbeSignal while `probing`.
 */
export function readAnswer(
  response: Response<string>,
  resource: string,
  base: URL,
  probing: boolean,
): unknown {
  const body = response.body
  const contentType = String(response.headers['content-type'] ?? '').toLowerCase()
  const trimmed = body.trimStart()
  const looksHtml =
    contentType.includes('text/html') || /^<(!doctype|html|head|body)/i.test(trimmed)
  const poweredByWebservice = String(response.headers['x-powered-by'] ?? '').includes(
    'PrestaShop Webservice',
  )

  if (response.statusCode === 401) {
    const errors = parseErrors(body)
    if (errors.length === 0) {
      // No PrestaShop error code: the dispatcher found no key at all.
      if (probing) throw new ProbeSignal('key_not_received')
      throw new StoreError(
        'access_denied',
        'The shop did not receive the Webservice key (HTTP 401 without a PrestaShop error).',
        { params: { reason: 'ws_key_not_received' } },
      )
    }
    throw errorFromPrestaShop(errors, response.statusCode, resource, base)
  }
  if (response.statusCode >= 500 && response.statusCode !== 503 && !poweredByWebservice) {
    throw errorFromPrestaShop([], response.statusCode, resource, base)
  }
  if (looksHtml || (response.statusCode === 404 && !poweredByWebservice)) {
    if (response.statusCode === 404 && probing) throw new ProbeSignal('not_found')
    throw htmlFailure(response.statusCode, base)
  }
  let parsed: unknown
  try {
    parsed = trimmed === '' ? null : JSON.parse(trimmed)
  } catch {
    const xmlErrors = parseXmlErrors(trimmed)
    if (xmlErrors.length > 0)
      throw errorFromPrestaShop(xmlErrors, response.statusCode, resource, base)
    throw notJson(trimmed, contentType, response.statusCode)
  }
  const errors = parseErrors(parsed)
  if (errors.length > 0 || response.statusCode >= 400) {
    if (errors.length === 0 && response.statusCode === 404 && probing)
      throw new ProbeSignal('not_found')
    throw errorFromPrestaShop(errors, response.statusCode, resource, base)
  }
  return parsed
}

interface PrestaShopError {
  readonly code: number
  readonly message: string
}

function parseErrors(body: unknown): PrestaShopError[] {
  let value = body
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body)
    } catch {
      return []
    }
  }
  if (!isRecord(value) || !Array.isArray(value.errors)) return []
  return value.errors.filter(isRecord).map((error) => ({
    code: Number(error.code ?? 0),
    message: typeof error.message === 'string' ? error.message : '',
  }))
}

function parseXmlErrors(body: string): PrestaShopError[] {
  const errors: PrestaShopError[] = []
  const pattern =
    /<error>\s*<code>(?:<!\[CDATA\[)?\s*(\d+)\s*(?:\]\]>)?<\/code>\s*<message>(?:<!\[CDATA\[)?([\s\S]*?)(?:\]\]>)?<\/message>/g
  for (const match of body.matchAll(pattern)) {
    errors.push({ code: Number(match[1]), message: (match[2] ?? '').trim() })
  }
  return errors
}

const RESOURCE_LIST = REQUIRED_RESOURCES.join(', ')
const PERMISSION_HINT = `In the back office, Advanced Parameters > Webservice, edit the key and tick "View (GET)" for: ${RESOURCE_LIST}.`

function errorFromPrestaShop(
  errors: readonly PrestaShopError[],
  status: number,
  resource: string,
  base: URL,
): StoreError {
  const codes = new Set(errors.map((error) => error.code))
  const said = errors.map((error) => `[${error.code}] ${error.message}`).join('; ')
  const saying = (message: string): string =>
    `${message}${said === '' ? '' : ` (PrestaShop said: ${said})`}`
  const host = base.host
  if (codes.has(22))
    return new StoreError(
      'webservice_disabled',
      saying(
        `The Webservice of ${host} is switched off. Turn on "Enable PrestaShop's webservice" in Advanced Parameters > Webservice.`,
      ),
      { params: { host, said } },
    )
  if (codes.has(16) || codes.has(17) || codes.has(18))
    return new StoreError(
      'access_denied',
      saying(
        'The shop rejects the key as malformed: a Webservice key is 32 letters and digits. Copy it again from Advanced Parameters > Webservice.',
      ),
      { params: { reason: 'ws_key_malformed', said } },
    )
  if (codes.has(20) || codes.has(21))
    return new StoreError(
      'access_denied',
      saying(
        `${host} does not know this Webservice key, or the key is disabled. Check it in Advanced Parameters > Webservice (the key must be listed there with "Key status" on).`,
      ),
      { params: { reason: 'ws_key_unknown', host, said } },
    )
  if (codes.has(26) || codes.has(25))
    return new StoreError(
      'missing_permission',
      saying(
        `The Webservice key may not read "${resource || 'the resource list'}". ${PERMISSION_HINT}`,
      ),
      {
        params:
          resource === ''
            ? { reason: 'resource_list', resources: RESOURCE_LIST, said }
            : { reason: 'resource', resource, resources: RESOURCE_LIST, said },
      },
    )
  if (codes.has(132))
    return new StoreError(
      'shop_not_allowed',
      saying(
        'The Webservice key is not associated with the shop being read. In Advanced Parameters > Webservice, edit the key and tick that shop under "Shop association".',
      ),
      { params: { said } },
    )
  if (status === 401)
    return new StoreError('access_denied', saying(`${host} refused the Webservice key.`), {
      params: { reason: 'ws_key_refused', host, said },
    })
  const statusText = String(status)
  if (status >= 500)
    return new StoreError(
      'query_failed',
      saying(
        `The shop failed with a server error (HTTP ${status}) while answering "${resource}", after several tries. The shop's PHP error log says why; a module override or a PHP memory or time limit is a frequent cause.`,
      ),
      {
        params:
          said === ''
            ? { reason: 'ws_server_error', status: statusText, resource }
            : { reason: 'ws_server_error_said', status: statusText, resource, said },
      },
    )
  return new StoreError(
    'query_failed',
    saying(`The Webservice refused the request for "${resource}" (HTTP ${status}).`),
    {
      params:
        said === ''
          ? { reason: 'ws_request_refused', resource, status: statusText }
          : { reason: 'ws_request_refused_said', resource, status: statusText, said },
    },
  )
}

function htmlFailure(status: number, base: URL): StoreError {
  const host = base.host
  if (status === 503)
    return new StoreError(
      'not_webservice',
      `${host} answered a web page (HTTP 503) instead of the Webservice: the shop is probably in maintenance mode or overloaded. Try again once it is back.`,
      { params: { reason: 'maintenance', host } },
    )
  if (status === 403 || status === 406 || status === 429)
    return new StoreError(
      'not_webservice',
      `A firewall or security service in front of ${host} blocked the request (HTTP ${status}, a web page instead of the Webservice). Ask the host to allow Webservice requests (the api/ path) from this computer.`,
      { params: { reason: 'firewall', host, status: String(status) } },
    )
  if (status === 404)
    return new StoreError(
      'not_webservice',
      `${base.href} answered "not found" for the Webservice. Check the shop address.`,
      { params: { reason: 'not_found', url: base.href } },
    )
  return new StoreError(
    'not_webservice',
    `${host} answered a web page (HTTP ${status}) instead of the Webservice; check the shop address. A login page or a security module may be in the way.`,
    { params: { reason: 'web_page', host, status: String(status) } },
  )
}

/** A body that is neither JSON nor PrestaShop's XML errors. */
function notJson(body: string, contentType: string, status: number): StoreError {
  const message = (description: string): string =>
    `The shop answered ${description} (HTTP ${status}) where the Webservice answers JSON. A module, a cache or a proxy may be interfering.`
  const statusText = String(status)
  if (body.startsWith('<'))
    return new StoreError('not_webservice', message('XML or HTML'), {
      params: { reason: 'markup', status: statusText },
    })
  if (body === '')
    return new StoreError('not_webservice', message('nothing'), {
      params: { reason: 'empty', status: statusText },
    })
  if (contentType === '')
    return new StoreError('not_webservice', message('something unreadable'), {
      params: { reason: 'unreadable', status: statusText },
    })
  return new StoreError('not_webservice', message(`"${contentType}"`), {
    params: { reason: 'content_type', status: statusText, contentType },
  })
}
