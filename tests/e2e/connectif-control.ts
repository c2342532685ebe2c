/**
 * Test-only: lets sending-page.spec.ts change, mid-test, the Connectif simulator its profile sends
 * to — one of its own, so nothing here touches the other specs' accounts: slow every answer down
 * (so a sending can be cancelled half-way) and create the contacts its failed orders lacked (so
 * retrying them succeeds). Served on a port of its own behind a token of its own, like
 * scheduler-control.ts; nothing of it is in the app's code or its web host.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ConnectifSimulator } from '../support/connectif-simulator'

/** The header the control's token travels in. */
export const CONNECTIF_CONTROL_HEADER = 'x-e2e-connectif-token'

export interface ConnectifControl {
  /**
   * `http://127.0.0.1:PORT`: `POST /latency` with `{ "ms": N }` delays every answer by N ms;
   * `POST /contacts` creates every contact of `emails` in the account.
   */
  readonly url: string
  readonly token: string
  close(): Promise<void>
}

export async function startConnectifControl(
  simulator: ConnectifSimulator,
  account: string,
  emails: readonly string[],
): Promise<ConnectifControl> {
  const token = randomBytes(24).toString('base64url')
  const expected = Buffer.from(token)
  const server = createServer((request, response) => {
    const given = Buffer.from(String(request.headers[CONNECTIF_CONTROL_HEADER] ?? ''))
    const allowed = given.length === expected.length && timingSafeEqual(given, expected)
    const route = request.url
    if (!allowed || request.method !== 'POST' || (route !== '/latency' && route !== '/contacts')) {
      response.writeHead(allowed ? 404 : 403).end()
      return
    }
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => (body += chunk))
    request.on('end', () => {
      if (route === '/contacts') {
        for (const email of emails) simulator.account(account).addContact(email)
      } else {
        const ms = (JSON.parse(body || '{}') as { ms?: unknown }).ms
        if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
          response.writeHead(400).end()
          return
        }
        simulator.setFaults({ latencyMs: ms })
      }
      response.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}
