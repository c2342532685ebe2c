/**
 * Test-only: lets an end-to-end spec move the browser-mode scheduler's clock on, so a schedule
 * set from the screens runs in seconds rather than hours. The e2e backend gives the app service
 * this clock (`schedulerClock`, which production never sets) and serves the control on a port of
 * its own, behind a token of its own: nothing of it is in the app's code or its web host.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Clock } from '../../main/core/clock'

/** The header the control's token travels in. */
export const SCHEDULER_CONTROL_HEADER = 'x-e2e-scheduler-token'

/**
 * Real time plus an offset the test adds to; sleepers wake at their real deadline, or at once
 * when the offset moves (they then look at the time again, as the scheduler does).
 */
export class OffsetClock implements Clock {
  #offset = 0
  readonly #wakers = new Set<() => void>()

  now(): number {
    return Date.now() + this.#offset
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error)
        return
      }
      const done = (): void => {
        clearTimeout(timer)
        this.#wakers.delete(done)
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      const onAbort = (): void => {
        clearTimeout(timer)
        this.#wakers.delete(done)
        reject(signal?.reason as Error)
      }
      const timer = setTimeout(done, Math.max(0, ms))
      this.#wakers.add(done)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  advance(ms: number): void {
    this.#offset += ms
    for (const wake of [...this.#wakers]) wake()
  }
}

export interface SchedulerControl {
  /** `http://127.0.0.1:PORT`; `POST /advance` with `{ "ms": N }` moves the clock on. */
  readonly url: string
  readonly token: string
  close(): Promise<void>
}

export async function startSchedulerControl(clock: OffsetClock): Promise<SchedulerControl> {
  const token = randomBytes(24).toString('base64url')
  const expected = Buffer.from(token)
  const server = createServer((request, response) => {
    const given = Buffer.from(String(request.headers[SCHEDULER_CONTROL_HEADER] ?? ''))
    const allowed = given.length === expected.length && timingSafeEqual(given, expected)
    if (!allowed || request.method !== 'POST' || request.url !== '/advance') {
      response.writeHead(allowed ? 404 : 403).end()
      return
    }
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => (body += chunk))
    request.on('end', () => {
      const ms = (JSON.parse(body || '{}') as { ms?: unknown }).ms
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
        response.writeHead(400).end()
        return
      }
      clock.advance(ms)
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ now: new Date(clock.now()).toISOString() }))
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
