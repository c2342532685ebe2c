import got, { type RequestError, type Response } from 'got'
import { describeNetworkError, TLS_ERROR_CODES, USER_AGENT } from '../../http/network-errors'
import { systemClock, type Clock } from '../../clock'
import type { StoreNotice } from '../store-source'
import { StoreError } from '../store-errors'
import type { StoreErrorCode } from '../store-errors'
import { isRecord } from './webservice-values'

/**
 * The HTTP side of PrestaShop's Webservice (shared/docs/prestashop.md §3): finds how this shop
 * must be called (`/api/` or `webservice/dispatcher.php`, key in the Authorization header or in the
 * URL), asks for JSON, retries what a retry can fix, and turns every failure into a message that
 * says what to change and where.
 */

export interface WebserviceConnectionOptions {
  /** The shop's address as the merchant typed it; a trailing `api/` is accepted. */
  readonly url: string
  /** The 32-character Webservice key. */
  readonly key: string
  /** Per request; a page of orders with `display` can take a while on a small host. */
  readonly timeoutMs?: number
  /** Tries per request on 5xx answers, timeouts and dropped connections. */
  readonly attempts?: number
  /** First back-off between tries, doubled each time. */
  readonly retryDelayMs?: number
  /** Extra certificate authorities to trust (PEM), e.g. a shop's self-signed certificate. */
  readonly ca?: string
  readonly clock?: Clock
}

const DEFAULT_TIMEOUT_MS = 60_000
const DEFAULT_ATTEMPTS = 3
const DEFAULT_RETRY_DELAY_MS = 1_000
const MAX_REDIRECTS = 3
const KEY_PATTERN = /^[A-Za-z0-9]{32}$/

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
] as const

type Endpoint = 'api' | 'dispatcher'
type AuthMode = 'header' | 'query'

export type QueryParameters = Readonly<Record<string, string>>

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
    )
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new StoreError(
      'invalid_url',
      `"${input}" is not an http:// or https:// address. Type the shop's address, e.g. https://www.example.com/.`,
    )
  }
  if (url.username !== '' || url.password !== '') {
    throw new StoreError(
      'invalid_url',
      'The shop address must not contain a user name or password: the Webservice key is entered separately.',
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

export class WebserviceClient {
  readonly #base: URL
  readonly #key: string
  readonly #timeoutMs: number
  readonly #attempts: number
  readonly #retryDelayMs: number
  readonly #ca: string | undefined
  readonly #clock: Clock
  #endpoint: Endpoint = 'api'
  #auth: AuthMode = 'header'
  readonly notices: StoreNotice[] = []
  /** `PSWS-Version` of the last answer (the shop's version), when it sends one. */
  shopVersion: string | null = null
  /** Requests sent, for the benchmark and the tests' request budgets. */
  requestCount = 0

  private constructor(base: URL, options: WebserviceConnectionOptions) {
    this.#base = base
    this.#key = options.key.trim()
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.#attempts = Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS)
    this.#retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS
    this.#ca = options.ca
    this.#clock = options.clock ?? systemClock
  }

  /** Finds the way in (endpoint and key placement) and checks the key with the resource list. */
  static async connect(options: WebserviceConnectionOptions): Promise<WebserviceClient> {
    const base = normaliseShopUrl(options.url)
    const key = options.key.trim()
    if (key === '') throw new StoreError('access_denied', 'Enter the Webservice key.')
    if (!KEY_PATTERN.test(key)) {
      throw new StoreError(
        'access_denied',
        `A PrestaShop Webservice key is 32 letters and digits; this one has ${key.length} characters${/[^A-Za-z0-9]/.test(key) ? ' and others than letters and digits' : ''}. Copy it again from Advanced Parameters > Webservice.`,
      )
    }
    const client = new WebserviceClient(base, options)
    if (base.protocol === 'http:') {
      client.notices.push({
        code: 'insecure_http',
        message: `${base.origin} is an http:// address: the Webservice key and your customers' data cross the internet unencrypted. Use https:// if the shop has a certificate.`,
      })
    }
    await client.#discover()
    return client
  }

  async #discover(): Promise<void> {
    const attempt = async (): Promise<Probe> => {
      try {
        // A tiny list of a resource the reader needs anyway: the bare resource list (`api/`)
        // is not reliably rendered as JSON by every version.
        await this.get('configurations', {
          display: '[id]',
          'filter[name]': '[PS_VERSION_DB]',
        })
        return 'ok'
      } catch (error) {
        if (error instanceof ProbeSignal) return error.kind
        throw error
      }
    }
    this.#probing = true
    try {
      let result = await attempt()
      if (result === 'not_found') {
        // `/api/` needs the shop's rewrite rules; the dispatcher answers without them.
        this.#endpoint = 'dispatcher'
        result = await attempt()
        if (result === 'not_found') {
          throw new StoreError(
            'not_webservice',
            `No PrestaShop Webservice answers at ${this.#base.href}api/ nor at ${this.#base.href}webservice/dispatcher.php. Check the shop address (the one customers visit, with its folder if the shop lives in one).`,
          )
        }
        this.notices.push({
          code: 'dispatcher_url',
          message: `${this.#base.href}api/ does not reach the Webservice (the shop's URL rewriting for it is not active), so Purchase Sender calls webservice/dispatcher.php directly. Regenerating the .htaccess file (Shop Parameters > Traffic & SEO) would fix it.`,
        })
      }
      if (result === 'key_not_received') {
        // PHP as CGI/FastCGI drops the Authorization header: the key must travel in the URL.
        this.#auth = 'query'
        result = await attempt()
        if (result === 'key_not_received') {
          throw new StoreError(
            'access_denied',
            'The shop never receives the Webservice key, neither in the Authorization header nor in the URL. A proxy or security module in front of the shop may be removing it.',
          )
        }
        if (result === 'not_found') {
          throw new StoreError(
            'not_webservice',
            `The Webservice stopped answering at ${this.#base.href} while checking the key.`,
          )
        }
        this.notices.push({
          code: 'key_in_url',
          message:
            'The shop\'s server drops the Authorization header (PHP runs as CGI/FastCGI), so the key is sent in the URL, where the server\'s access logs can record it. To keep it out of the logs, turn on "Enable CGI mode for PHP" in Advanced Parameters > Webservice, or add "CGIPassAuth On" to the .htaccess file.',
        })
      }
    } finally {
      this.#probing = false
    }
  }

  #probing = false

  /**
   * GETs a resource (`orders`, or `` for the resource list) as JSON. Throws StoreError with a
   * message for the merchant.
   */
  async get(resource: string, parameters: QueryParameters, signal?: AbortSignal): Promise<unknown> {
    let target = this.#url(resource, parameters)
    let failures = 0
    let redirects = 0
    for (;;) {
      signal?.throwIfAborted()
      let response: Response<string> | undefined
      let failure: RequestError | undefined
      this.requestCount += 1
      try {
        response = await got(target, {
          method: 'GET',
          headers: {
            accept: 'application/json',
            'output-format': 'JSON',
            'user-agent': USER_AGENT,
            ...(this.#auth === 'header'
              ? { authorization: `Basic ${Buffer.from(`${this.#key}:`).toString('base64')}` }
              : {}),
          },
          responseType: 'text',
          throwHttpErrors: false,
          followRedirect: false,
          retry: { limit: 0 },
          timeout: { request: this.#timeoutMs },
          ...(this.#ca === undefined ? {} : { https: { certificateAuthority: this.#ca } }),
          ...(signal === undefined ? {} : { signal }),
        })
      } catch (error) {
        if (signal?.aborted) throw signal.reason
        failure = error as RequestError
      }

      if (response !== undefined && response.statusCode >= 300 && response.statusCode < 400) {
        target = this.#followRedirect(target, response)
        redirects += 1
        if (redirects > MAX_REDIRECTS) {
          throw new StoreError(
            'redirected',
            `The shop keeps redirecting (more than ${MAX_REDIRECTS} times) from ${this.#base.href}; check the shop address.`,
          )
        }
        continue
      }
      if (response !== undefined && response.statusCode < 500) return this.#read(response, resource)

      failures += 1
      const tls = failure !== undefined && TLS_ERROR_CODES.has(failure.code)
      if (tls && failure !== undefined) throw tlsFailure(failure, this.#base)
      if (failures >= this.#attempts) {
        if (response !== undefined) return this.#read(response, resource)
        throw networkFailure(failure, this.#base, this.#timeoutMs, failures)
      }
      await this.#clock.sleep(this.#retryDelayMs * 2 ** (failures - 1), signal)
    }
  }

  #url(resource: string, parameters: QueryParameters): URL {
    const url = new URL(
      this.#endpoint === 'api' ? `api/${resource}` : 'webservice/dispatcher.php',
      this.#base,
    )
    if (this.#endpoint === 'dispatcher') url.searchParams.set('url', resource)
    for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value)
    url.searchParams.set('output_format', 'JSON')
    if (this.#auth === 'query') url.searchParams.set('ws_key', this.#key)
    return url
  }

  /** Follows a redirect only within the shop's own origin; anywhere else the address is wrong. */
  #followRedirect(from: URL, response: Response<string>): URL {
    const location = response.headers.location
    let to: URL | null
    try {
      to = location === undefined ? null : new URL(location, from)
    } catch {
      to = null
    }
    if (to === null) {
      throw new StoreError(
        'redirected',
        `The shop answered a redirect (HTTP ${response.statusCode}) without saying where to; check the shop address.`,
      )
    }
    if (to.origin === from.origin) return to
    const suggestion = `${to.origin}${this.#base.pathname}`
    const sameHost = to.hostname === from.hostname
    throw new StoreError(
      'redirected',
      sameHost
        ? `The shop redirects ${from.origin} to ${to.origin}. Use ${suggestion} as the shop address.`
        : `The shop at ${from.host} redirects to another address, ${to.host} (PrestaShop sends visitors to the shop's main domain). Use the main address, e.g. ${suggestion}, as the shop address.`,
    )
  }

  #read(response: Response<string>, resource: string): unknown {
    const header = response.headers['psws-version']
    if (typeof header === 'string' && header.trim() !== '') this.shopVersion = header.trim()
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
        if (this.#probing) throw new ProbeSignal('key_not_received')
        throw new StoreError(
          'access_denied',
          'The shop did not receive the Webservice key (HTTP 401 without a PrestaShop error).',
        )
      }
      throw errorFromPrestaShop(errors, response.statusCode, resource, this.#base)
    }
    if (response.statusCode >= 500 && response.statusCode !== 503 && !poweredByWebservice) {
      throw errorFromPrestaShop([], response.statusCode, resource, this.#base)
    }
    if (looksHtml || (response.statusCode === 404 && !poweredByWebservice)) {
      if (response.statusCode === 404 && this.#probing) throw new ProbeSignal('not_found')
      throw htmlFailure(response.statusCode, this.#base)
    }
    let parsed: unknown
    try {
      parsed = trimmed === '' ? null : JSON.parse(trimmed)
    } catch {
      const xmlErrors = parseXmlErrors(trimmed)
      if (xmlErrors.length > 0)
        throw errorFromPrestaShop(xmlErrors, response.statusCode, resource, this.#base)
      throw new StoreError(
        'not_webservice',
        `The shop answered ${describeBody(trimmed, contentType)} (HTTP ${response.statusCode}) where the Webservice answers JSON. A module, a cache or a proxy may be interfering.`,
      )
    }
    const errors = parseErrors(parsed)
    if (errors.length > 0 || response.statusCode >= 400) {
      if (errors.length === 0 && response.statusCode === 404 && this.#probing)
        throw new ProbeSignal('not_found')
      throw errorFromPrestaShop(errors, response.statusCode, resource, this.#base)
    }
    return parsed
  }
}

type Probe = 'ok' | 'not_found' | 'key_not_received'

/** Tells `#discover` which way in to try next; never leaves the client. */
class ProbeSignal extends Error {
  constructor(readonly kind: Exclude<Probe, 'ok'>) {
    super(kind)
  }
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

const PERMISSION_HINT = `In the back office, Advanced Parameters > Webservice, edit the key and tick "View (GET)" for: ${REQUIRED_RESOURCES.join(', ')}.`

function errorFromPrestaShop(
  errors: readonly PrestaShopError[],
  status: number,
  resource: string,
  base: URL,
): StoreError {
  const codes = new Set(errors.map((error) => error.code))
  const said = errors.map((error) => `[${error.code}] ${error.message}`).join('; ')
  const fail = (code: StoreErrorCode, message: string): StoreError =>
    new StoreError(code, `${message}${said === '' ? '' : ` (PrestaShop said: ${said})`}`)
  if (codes.has(22))
    return fail(
      'webservice_disabled',
      `The Webservice of ${base.host} is switched off. Turn on "Enable PrestaShop's webservice" in Advanced Parameters > Webservice.`,
    )
  if (codes.has(16) || codes.has(17) || codes.has(18))
    return fail(
      'access_denied',
      'The shop rejects the key as malformed: a Webservice key is 32 letters and digits. Copy it again from Advanced Parameters > Webservice.',
    )
  if (codes.has(20) || codes.has(21))
    return fail(
      'access_denied',
      `${base.host} does not know this Webservice key, or the key is disabled. Check it in Advanced Parameters > Webservice (the key must be listed there with "Key status" on).`,
    )
  if (codes.has(26) || codes.has(25))
    return fail(
      'missing_permission',
      `The Webservice key may not read "${resource || 'the resource list'}". ${PERMISSION_HINT}`,
    )
  if (codes.has(132))
    return fail(
      'shop_not_allowed',
      'The Webservice key is not associated with the shop being read. In Advanced Parameters > Webservice, edit the key and tick that shop under "Shop association".',
    )
  if (status === 401) return fail('access_denied', `${base.host} refused the Webservice key.`)
  if (status >= 500)
    return fail(
      'query_failed',
      `The shop failed with a server error (HTTP ${status}) while answering "${resource}", after several tries. The shop's PHP error log says why; a module override or a PHP memory or time limit is a frequent cause.`,
    )
  return fail(
    'query_failed',
    `The Webservice refused the request for "${resource}" (HTTP ${status}).`,
  )
}

function htmlFailure(status: number, base: URL): StoreError {
  if (status === 503)
    return new StoreError(
      'not_webservice',
      `${base.host} answered a web page (HTTP 503) instead of the Webservice: the shop is probably in maintenance mode or overloaded. Try again once it is back.`,
    )
  if (status === 403 || status === 406 || status === 429)
    return new StoreError(
      'not_webservice',
      `A firewall or security service in front of ${base.host} blocked the request (HTTP ${status}, a web page instead of the Webservice). Ask the host to allow Webservice requests (the api/ path) from this computer.`,
    )
  if (status === 404)
    return new StoreError(
      'not_webservice',
      `${base.href} answered "not found" for the Webservice. Check the shop address.`,
    )
  return new StoreError(
    'not_webservice',
    `${base.host} answered a web page (HTTP ${status}) instead of the Webservice; check the shop address. A login page or a security module may be in the way.`,
  )
}

function describeBody(body: string, contentType: string): string {
  if (body.startsWith('<')) return 'XML or HTML'
  if (body === '') return 'nothing'
  return contentType === '' ? 'something unreadable' : `"${contentType}"`
}

function tlsFailure(error: RequestError, base: URL): StoreError {
  const detail = describeNetworkError(error, base.host, 0, 'the shop address')
  const hint =
    error.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || error.code === 'EPROTO'
      ? ' The server may not speak HTTPS on this port: try the address with http:// only if the shop has no certificate.'
      : ''
  return new StoreError(
    'tls_failed',
    `The secure connection to the shop failed: ${detail}${hint}`,
    {
      cause: error,
    },
  )
}

function networkFailure(
  error: RequestError | undefined,
  base: URL,
  timeoutMs: number,
  attempts: number,
): StoreError {
  const code = error?.code ?? ''
  const detail = describeNetworkError(error, base.host, timeoutMs, 'the shop address')
  const errorCode: StoreErrorCode =
    code === 'ETIMEDOUT' || error?.name === 'TimeoutError'
      ? 'connection_timeout'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ECONNREFUSED'
        ? 'host_unreachable'
        : 'connection_lost'
  return new StoreError(
    errorCode,
    `The shop could not be reached after ${attempts} ${attempts === 1 ? 'try' : 'tries'}: ${detail}`,
    { cause: error },
  )
}
