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
  type Result,
  type SendingEvent,
} from '../../preload/contract'

function failure(code: string, message: string): Result<never> {
  return { ok: false, error: { code, message } }
}

function isResult(value: unknown): value is Result<unknown> {
  return typeof value === 'object' && value !== null && 'ok' in value
}

/** Browser mode: `POST /api/<channel>` answers a Result; `GET /api/events` streams events. */
export function createBrowserApi(token: string, base = ''): PurchaseSenderApi {
  const invoke = async (channel: ChannelName, request: unknown): Promise<Result<unknown>> => {
    let response: Response
    try {
      response = await fetch(`${base}/api/${encodeURIComponent(channel)}`, {
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
  return createApi(invoke, subscribe)
}

let cached: PurchaseSenderApi | null | undefined

/** The API, or null when the page has neither the Electron bridge nor a browser-mode token. */
export function getApi(): PurchaseSenderApi | null {
  if (cached !== undefined) return cached
  if (window.purchaseSender) cached = window.purchaseSender
  else {
    const token = new URLSearchParams(window.location.search).get('token')
    cached = token ? createBrowserApi(token) : null
  }
  return cached
}
