/**
 * One HTTP exchange with Connectif, with its answer's body read as it arrives and capped: what
 * the client understands of a body, and what the history keeps of it, never grow with the body.
 */
import type { IncomingHttpHeaders } from 'node:http'
import got, { type StreamOptions } from 'got'
import {
  PARSED_RESPONSE_BYTES,
  STORED_RESPONSE_BYTES,
  truncationMarker,
} from '../purchases/field-limits'

/** An HTTP answer as the client keeps it: never more than PARSED_RESPONSE_BYTES of its body. */
export interface HttpAnswer {
  readonly statusCode: number
  readonly statusMessage: string | undefined
  readonly headers: IncomingHttpHeaders
  /** The body, or its first PARSED_RESPONSE_BYTES: what the client reads to understand it. */
  readonly text: string
  /**
   * The body as the history and the report keep it: whole up to STORED_RESPONSE_BYTES, else cut
   * there (never inside a character) and followed by `… [truncated: N bytes in all]`.
   */
  readonly stored: string
}

/**
 * One request, its answer's body read as it arrives: the first PARSED_RESPONSE_BYTES are kept,
 * the rest only counted, so a 1 GB error page from a proxy is drained, never held in memory. This
 * is the one place an answer's body is captured, so everything after it (the result, the
 * history, the report) only ever sees the capped text. Rejects as got does (RequestError).
 */
export function readAnswer(url: string, options: StreamOptions): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const stream = got.stream(url, options)
    let answer: Pick<HttpAnswer, 'statusCode' | 'statusMessage' | 'headers'> | undefined
    const kept: Buffer[] = []
    let keptBytes = 0
    let totalBytes = 0
    stream.once(
      'response',
      (response: Pick<HttpAnswer, 'statusCode' | 'statusMessage' | 'headers'>) => {
        answer = {
          statusCode: response.statusCode,
          statusMessage: response.statusMessage,
          headers: response.headers,
        }
      },
    )
    stream.on('data', (chunk: Buffer) => {
      totalBytes += chunk.length
      if (keptBytes >= PARSED_RESPONSE_BYTES) return
      const part =
        chunk.length <= PARSED_RESPONSE_BYTES - keptBytes
          ? chunk
          : Buffer.from(chunk.subarray(0, PARSED_RESPONSE_BYTES - keptBytes))
      kept.push(part)
      keptBytes += part.length
    })
    stream.once('error', reject)
    stream.once('end', () => {
      stream.destroy()
      if (answer === undefined) {
        reject(new Error(`No answer came from ${url}.`))
        return
      }
      const body = Buffer.concat(kept)
      const whole = totalBytes <= keptBytes
      const text = decodeUtf8(body, !whole)
      const stored =
        totalBytes <= STORED_RESPONSE_BYTES
          ? text
          : decodeUtf8(body.subarray(0, STORED_RESPONSE_BYTES), true) + truncationMarker(totalBytes)
      resolve({ ...answer, text, stored })
    })
  })
}

/** UTF-8 text of `bytes`; for a cut body, an incomplete last character is left out. */
function decodeUtf8(bytes: Uint8Array, cut: boolean): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes, { stream: cut })
}

/** `404 Not Found`, or the bare status when the reason phrase is missing. */
export function statusText(response: HttpAnswer): string {
  const reason = response.statusMessage?.trim()
  return reason === undefined || reason === ''
    ? String(response.statusCode)
    : `${response.statusCode} ${reason}`
}

/** `Retry-After` in milliseconds, when it is a number of seconds. */
export function retryAfter(response: HttpAnswer): number | undefined {
  const value = response.headers['retry-after']
  if (value === undefined) return undefined
  const seconds = Number(value)
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined
}
