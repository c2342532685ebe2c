import got, { type RequestError, type Response } from 'got'
import { TLS_ERROR_CODES, USER_AGENT } from '../../http/network-errors'
import { systemClock, type Clock } from '../../clock'
import type { StoreNotice } from '../store-source'
import { StoreError } from '../store-errors'
import { normaliseShopUrl, redirectTarget, tooManyRedirects } from './webservice-address'
import { ProbeSignal, readAnswer, type Probe } from './webservice-answers'
import { networkFailure, tlsFailure } from './webservice-network-errors'

/**
 * The HTTP side of PrestaShop's Webservice (docs/prestashop.md §3): finds how this shop
 * must be called (`/api/` or `webservice/dispatcher.php`), sends the key in the Authorization header
 * (in the URL only when the profile asks for it), asks for JSON and retries what a retry can fix.
 * Reading the answers and explaining the failures live beside it (webservice-answers,
 * webservice-network-errors, webservice-address).
 */

// The folder's public names, where callers have always imported them from.
export { normaliseShopUrl } from './webservice-address'
export { REQUIRED_RESOURCES } from './webservice-answers'

export interface WebserviceConnectionOptions {
  /** The shop's address as the merchant typed it; a trailing `api/` is accepted. */
  readonly url: string
  /** The 32-character Webservice key. */
  readonly key: string
  /**
   * Send the key as the `ws_key` query parameter instead of the Authorization header: the
   * profile's explicit choice for a shop whose server drops that header (PHP as CGI/FastCGI). The
   * key then appears in the shop's access logs. Off by default, and never done silently: with it
   * off, a shop that drops the header is an error that says how to fix it.
   */
  readonly keyInUrl?: boolean
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

type Endpoint = 'api' | 'dispatcher'
type AuthMode = 'header' | 'query'

export type QueryParameters = Readonly<Record<string, string>>

export class WebserviceClient {
  readonly #base: URL
  readonly #key: string
  readonly #timeoutMs: number
  readonly #attempts: number
  readonly #retryDelayMs: number
  readonly #ca: string | undefined
  readonly #clock: Clock
  #endpoint: Endpoint = 'api'
  readonly #auth: AuthMode
  readonly notices: StoreNotice[] = []
  /** `PSWS-Version` of the last answer (the shop's version), when it sends one. */
  shopVersion: string | null = null
  /** Requests sent, for the benchmark and the tests' request budgets. */
  requestCount = 0

  private constructor(base: URL, options: WebserviceConnectionOptions) {
    this.#base = base
    this.#key = options.key.trim()
    this.#auth = options.keyInUrl === true ? 'query' : 'header'
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.#attempts = Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS)
    this.#retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS
    this.#ca = options.ca
    this.#clock = options.clock ?? systemClock
  }

  /** Finds the way in (the endpoint) and checks the key with a tiny request. */
  static async connect(options: WebserviceConnectionOptions): Promise<WebserviceClient> {
    const base = normaliseShopUrl(options.url)
    const key = options.key.trim()
    if (key === '') {
      throw new StoreError('access_denied', 'Enter the Webservice key.', {
        params: { reason: 'ws_key_missing' },
      })
    }
    if (!KEY_PATTERN.test(key)) {
      const others = /[^A-Za-z0-9]/.test(key)
      throw new StoreError(
        'access_denied',
        `A PrestaShop Webservice key is 32 letters and digits; this one has ${key.length} characters${others ? ' and others than letters and digits' : ''}. Copy it again from Advanced Parameters > Webservice.`,
        {
          params: {
            reason: others ? 'ws_key_characters' : 'ws_key_length',
            count: String(key.length),
          },
        },
      )
    }
    const client = new WebserviceClient(base, options)
    if (base.protocol === 'http:') {
      client.notices.push({
        code: 'insecure_http',
        message: `${base.origin} is an http:// address: the Webservice key and your customers' data cross the internet unencrypted. Use https:// if the shop has a certificate.`,
      })
    }
    if (client.#auth === 'query') {
      client.notices.push({
        code: 'key_in_url',
        message:
          'The Webservice key is sent in the URL ("Send the key in the URL" is on for this profile), where the shop\'s server access logs can record it. It is only needed when the shop\'s server drops the Authorization header (PHP runs as CGI/FastCGI); to keep the key out of the logs, turn on "Enable CGI mode for PHP" in Advanced Parameters > Webservice, or add "CGIPassAuth On" to the .htaccess file, then turn the setting off.',
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
            { params: { reason: 'no_answer', url: this.#base.href } },
          )
        }
        this.notices.push({
          code: 'dispatcher_url',
          message: `${this.#base.href}api/ does not reach the Webservice (the shop's URL rewriting for it is not active), so Purchase Sender calls webservice/dispatcher.php directly. Regenerating the .htaccess file (Shop Parameters > Traffic & SEO) would fix it.`,
        })
      }
      if (result === 'key_not_received') throw this.#keyNotReceived()
    } finally {
      this.#probing = false
    }
  }

  #probing = false

  /** A 401 without a PrestaShop error: the dispatcher found no key in the request. */
  #keyNotReceived(): StoreError {
    if (this.#auth === 'query') {
      return new StoreError(
        'access_denied',
        'The shop did not receive the Webservice key (HTTP 401 without a PrestaShop error).',
        { params: { reason: 'ws_key_not_received' } },
      )
    }
    // PHP as CGI/FastCGI drops the header. The key moves to the URL only by the profile's choice.
    const host = this.#base.host
    return new StoreError(
      'access_denied',
      `The shop's server at ${host} drops the Authorization header that carries the Webservice key (PHP runs as CGI/FastCGI), so the shop never receives the key. Fix it on the shop: turn on "Enable CGI mode for PHP" in Advanced Parameters > Webservice, or add "CGIPassAuth On" to the shop's .htaccess file. Or turn on "Send the key in the URL" for this profile (--ws-key-in-url on the command line); the key then appears in the shop's access logs.`,
      { params: { reason: 'ws_key_header_dropped', host } },
    )
  }

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
        // Only within the shop's own origin; anywhere else the address is wrong.
        target = redirectTarget(target, response.headers.location, response.statusCode, this.#base)
        redirects += 1
        if (redirects > MAX_REDIRECTS) throw tooManyRedirects(MAX_REDIRECTS, this.#base)
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

  #read(response: Response<string>, resource: string): unknown {
    const header = response.headers['psws-version']
    if (typeof header === 'string' && header.trim() !== '') this.shopVersion = header.trim()
    return readAnswer(response, resource, this.#base, this.#probing)
  }
}
