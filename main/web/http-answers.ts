/**
 * How the browser-mode host answers: the headers every answer carries, and JSON Results and plain
 * text with them. Shared by web-host.ts and its report downloads (report-download.ts).
 */
import type { ServerResponse } from 'node:http'
import type { Result } from '../../preload/contract'

export const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  // The page's address carries the token: never send it to another site.
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
}

export function invalidRequest(message: string): Result<never> {
  return { ok: false, error: { code: 'invalid_request', message } }
}

export function forbidden(message: string): Result<never> {
  return { ok: false, error: { code: 'forbidden', message } }
}

export function internalError(): Result<never> {
  return {
    ok: false,
    error: { code: 'internal', message: 'Something went wrong inside Purchase Sender.' },
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    ...COMMON_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  })
  response.end(text)
}

export function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    ...COMMON_HEADERS,
    ...headers,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  })
  response.end(text)
}
