/**
 * Something at an API URL that is not Connectif: a real HTTP server on 127.0.0.1 answering 404 to
 * every request, as a web server, a proxy or another API would to Connectif's paths. What its 404
 * looks like is chosen per server (and may change while it runs).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * `text`: a plain "Not Found" page. `json`: an RFC 7807 body like Connectif's, without rate-limit
 * headers. `connectif`: Connectif's body and its `X-RateLimit-*` headers.
 */
export type NotFoundStyle = 'text' | 'json' | 'connectif'

export interface NotFoundServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string
  style: NotFoundStyle
  /** Requests answered so far. */
  readonly requests: () => number
  close(): Promise<void>
}

export async function startNotFoundServer(style: NotFoundStyle): Promise<NotFoundServer> {
  let requests = 0
  const state = { style }
  const server: Server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      requests += 1
      if (state.style === 'text') {
        response.writeHead(404, { 'content-type': 'text/plain' })
        response.end('Not Found')
        return
      }
      const reset = String(Math.ceil(Date.now() / 60_000) * 60)
      response.writeHead(404, {
        'content-type': 'application/problem+json',
        ...(state.style === 'connectif'
          ? {
              'x-ratelimit-limit': '100',
              'x-ratelimit-remaining': '99',
              'x-ratelimit-reset': reset,
            }
          : {}),
      })
      response.end(JSON.stringify({ status: 404, title: 'Not Found', detail: 'No such route.' }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    get style() {
      return state.style
    },
    set style(next: NotFoundStyle) {
      state.style = next
    },
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
