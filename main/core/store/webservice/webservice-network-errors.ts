import type { RequestError } from 'got'
import { describeNetworkError } from '../../http/network-errors'
import { StoreError } from '../store-errors'

/**
 * When no answer came from the shop at all: a failed TLS handshake (at once, a retry cannot help)
 * or, after the last try, a timeout, an unknown name, a refused or dropped connection. The message
 * is the shared network wording; the params name the same cause for a translated sentence.
 */

const ADDRESS_NAME = 'the shop address'

export function tlsFailure(error: RequestError, base: URL): StoreError {
  const host = base.host
  const code = error.code
  const detail = describeNetworkError(error, host, 0, ADDRESS_NAME)
  const wrongVersion = code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO'
  const hint = wrongVersion
    ? ' The server may not speak HTTPS on this port: try the address with http:// only if the shop has no certificate.'
    : ''
  const message = `The secure connection to the shop failed: ${detail}${hint}`
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return new StoreError('tls_failed', message, {
      cause: error,
      params: { reason: 'ws_cert_expired', host },
    })
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return new StoreError('tls_failed', message, {
      cause: error,
      params: { reason: 'ws_cert_name', host },
    })
  return new StoreError('tls_failed', message, {
    cause: error,
    params: {
      reason: wrongVersion ? 'ws_wrong_version' : 'ws_cert_untrusted',
      host,
      errorCode: code,
    },
  })
}

export function networkFailure(
  error: RequestError | undefined,
  base: URL,
  timeoutMs: number,
  attempts: number,
): StoreError {
  const host = base.host
  const code = error?.code ?? ''
  const detail = describeNetworkError(error, host, timeoutMs, ADDRESS_NAME)
  const message = `The shop could not be reached after ${attempts} ${attempts === 1 ? 'try' : 'tries'}: ${detail}`
  const count = String(attempts)
  const options = { cause: error }
  if (code === 'ETIMEDOUT' || error?.name === 'TimeoutError')
    return new StoreError('connection_timeout', message, {
      ...options,
      params: {
        reason: 'ws_timeout',
        host,
        seconds: String(Math.round(timeoutMs / 1000)),
        count,
      },
    })
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new StoreError('host_unreachable', message, {
      ...options,
      params: { reason: 'ws_not_resolved', host, count },
    })
  if (code === 'ECONNREFUSED')
    return new StoreError('host_unreachable', message, {
      ...options,
      params: { reason: 'ws_refused', host, count },
    })
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE')
    return new StoreError('connection_lost', message, {
      ...options,
      params: { reason: 'ws_cut', host, count },
    })
  // Certificate failures never get here: they are thrown at once, without retrying.
  const reason = error?.message ?? 'unknown network error'
  return new StoreError('connection_lost', message, {
    ...options,
    params: {
      reason: 'ws_other',
      host,
      count,
      detail: code === '' ? reason : `${code}: ${reason}`,
    },
  })
}
