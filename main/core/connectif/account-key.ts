/**
 * Which Connectif account an API key opens, as far as we can tell from outside: the API address
 * and the key's id (the part before the colon; Connectif keys are `id:secret`). Two profiles or
 * targets that name the same account share its rate limit and its "already sent" orders; a
 * profile whose key changes to another account starts with nothing already sent there.
 */
import { createHash } from 'node:crypto'
import type { ConnectifAccount } from './connectif-api'

/** The account's identity in this process (the rate limiter's key); holds no secret part. */
export function accountIdentity(account: ConnectifAccount): string {
  let base: string
  try {
    const url = new URL(account.apiUrl.trim())
    base = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`.toLowerCase()
  } catch {
    base = account.apiUrl.trim().replace(/\/+$/, '').toLowerCase()
  }
  const keyId = account.apiKey.trim().split(':')[0] ?? ''
  return `${base} ${keyId}`
}

/**
 * The account's fingerprint as the history stores it with every order sent there. Hashed, because
 * a key without a colon is all secret, and the history database is not.
 */
export function connectifAccountKey(account: ConnectifAccount): string {
  return createHash('sha256')
    .update(`purchase-sender connectif account\n${accountIdentity(account)}`)
    .digest('hex')
    .slice(0, 32)
}
