import type { RequestError } from 'got'
import { version } from '../../../package.json'

/** What this app says it is to every server it calls (the Connectif API, a shop's Webservice). */
export const USER_AGENT = `purchase-sender/${version}`

/** Certificate and handshake failures: retrying cannot help, the person must act. */
export const TLS_ERROR_CODES: ReadonlySet<string> = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
])

/** A network failure told in terms a merchant can act on, naming the host. */
export function describeNetworkError(
  error: RequestError | undefined,
  host: string,
  timeoutMs: number,
  /** How the person names the address they typed, for "check …" hints. */
  addressName = 'the API URL',
): string {
  const code = error?.code ?? ''
  if (code === 'ETIMEDOUT' || error?.name === 'TimeoutError') {
    return `${host} did not answer within ${Math.round(timeoutMs / 1000)} s.`
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `the name ${host} could not be resolved; check ${addressName} and the internet connection.`
  }
  if (code === 'ECONNREFUSED') {
    return `${host} refused the connection; check ${addressName} (and any proxy or firewall).`
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return `the connection to ${host} was cut before an answer came.`
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return `the TLS certificate of ${host} is expired or not yet valid; check this computer's date and time, then ${addressName}.`
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `the TLS certificate presented by ${host} is for another name; check ${addressName}.`
  }
  if (TLS_ERROR_CODES.has(code)) {
    return `the TLS certificate of ${host} cannot be trusted (${code}); a proxy or antivirus that inspects HTTPS traffic often causes this.`
  }
  const reason = error?.message ?? 'unknown network error'
  return `${host} could not be reached (${code === '' ? reason : `${code}: ${reason}`}).`
}
