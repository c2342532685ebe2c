/**
 * The renderer's one door to the backend: the Electron preload's `window.purchaseSender`, or in
 * browser mode a client over `fetch` + `EventSource` built with the contract's own `createApi`.
 */
import {
  createApi,
  SENDING_EVENT_CHANNEL,
  TOKEN_HEADER,
  type ChannelName,
  type PurchaseSenderApi,
  type ReportLink,
  type Result,
  type SendingEvent,
} from '../../preload/contract'

function failure(code: string, message: string): Result<never> {
  return { ok: false, error: { code, message } }
}

function isResult(value: unknown): value is Result<unknown> {
  return typeof value === 'object' && value !== null && 'ok' in value
}

/**
 * Browser mode: `POST /api/<channel>` answers a Result; `GET /api/events` streams events;
 * `POST /api/reports/link` gives the one-use address a report downloads from (web-host.ts).
 */
export function createBrowserApi(token: string, base = ''): PurchaseSenderApi {
  const post = async (route: string, request: unknown): Promise<Result<unknown>> => {
    let response: Response
    try {
      response = await fetch(`${base}/api/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify(request ?? {}),
      })
    } catch {
      return failure(
        'network',
        'Purchase Sender is not answering: check that "npm run web" is still running.',
      )
    }
    try {
      const body: unknown = await response.json()
      if (isResult(body)) return body
    } catch {
      // Not JSON: answered below.
    }
    return failure('network', `Unexpected answer from Purchase Sender (HTTP ${response.status}).`)
  }
  const invoke = (channel: ChannelName, request: unknown): Promise<Result<unknown>> =>
    post(encodeURIComponent(channel), request)
  const reportLink: NonNullable<PurchaseSenderApi['reportLink']> = async (request) => {
    const result = (await post('reports/link', request)) as Result<ReportLink>
    // The host answers a path on its own origin; `base` (tests) puts it on the host's.
    return result.ok
      ? { ok: true, data: { ...result.data, url: `${base}${result.data.url}` } }
      : result
  }

  const listeners = new Set<(event: SendingEvent) => void>()
  let source: EventSource | null = null
  const subscribe = (listener: (event: SendingEvent) => void): (() => void) => {
    listeners.add(listener)
    if (source === null) {
      source = new EventSource(`${base}/api/events?token=${encodeURIComponent(token)}`)
      source.addEventListener(SENDING_EVENT_CHANNEL, (message) => {
        let event: SendingEvent
        try {
          event = JSON.parse((message as MessageEvent<string>).data) as SendingEvent
        } catch {
          return
        }
        for (const each of [...listeners]) each(event)
      })
    }
    return () => {
      listeners.delete(listener)
      if (listeners.size === 0 && source !== null) {
        source.close()
        source = null
      }
    }
  }
  return { ...createApi(invoke, subscribe), reportLink }
}

/** Where the token waits for a reload once it has left the address bar. */
const TOKEN_STATE_KEY = 'purchaseSenderToken'

function tokenInState(state: unknown): string | null {
  if (typeof state !== 'object' || state === null) return null
  const token = (state as Record<string, unknown>)[TOKEN_STATE_KEY]
  return typeof token === 'string' && token !== '' ? token : null
}

/**
 * Browser mode's token, taken from the address the host printed (`?token=…`) and removed from the
 * address bar at once (history.replaceState), so it is not shown, bookmarked, copied with the
 * address nor kept in the browser's history. From then on it lives in memory, and in the state of
 * this history entry (not part of its address) so that reloading the page keeps working.
 */
function takeBrowserToken(): string | null {
  const address = new URL(window.location.href)
  const fromAddress = address.searchParams.get('token')
  if (fromAddress === null) return tokenInState(window.history.state)
  address.searchParams.delete('token')
  const state: unknown = window.history.state
  window.history.replaceState(
    {
      ...(typeof state === 'object' && state !== null ? state : {}),
      [TOKEN_STATE_KEY]: fromAddress,
    },
    '',
    `${address.pathname}${address.search}${address.hash}`,
  )
  return fromAddress === '' ? null : fromAddress
}

let cached: PurchaseSenderApi | null | undefined

/** The API, or null when the page has neither the Electron bridge nor a browser-mode token. */
export function getApi(): PurchaseSenderApi | null {
  if (cached !== undefined) return cached
  if (window.purchaseSender) cached = window.purchaseSender
  else {
    const token = takeBrowserToken()
    cached = token ? createBrowserApi(token) : null
  }
  return cached
}
