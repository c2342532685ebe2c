/**
 * The renderer's Content Security Policy, sent by both of its hosts: the Electron shell's `app://`
 * handler and the browser-mode web host. renderer/index.html carries the same policy in a `<meta>`
 * tag (a test checks they match, minus `frame-ancestors`, which browsers ignore in `<meta>`).
 *
 * Styles: MUI styles through emotion, which injects `<style>` elements at runtime. Instead of
 * `'unsafe-inline'`, every page load gets a fresh random nonce: the host writes it into the page's
 * two `<meta>` tags (the policy and `<meta property="csp-nonce" nonce="…">`, which the renderer
 * hands to emotion's cache) and into the policy header. `style=` attributes written as markup are
 * refused; the inline styles React, MUI and MUI X set go through the CSSOM (`element.style`), which
 * CSP does not govern. No host may serve the page without replacing CSP_NONCE_PLACEHOLDER.
 */
import { randomBytes } from 'node:crypto'

/** What renderer/index.html has where each page load's nonce goes. */
export const CSP_NONCE_PLACEHOLDER = '__CSP_NONCE__'

/** The directives, `style-src` aside. */
function policy(styleSources: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src ${styleSources}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/**
 * The policy for a page served with `nonce` (its emotion `<style>` elements carry it), or, with
 * no nonce, for any other file (scripts, images: nothing there may add styles).
 */
export function contentSecurityPolicy(nonce?: string): string {
  if (nonce === undefined) return policy("'self'")
  if (!/^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(nonce)) throw new Error('Not a CSP nonce.')
  return policy(`'self' 'nonce-${nonce}'`)
}

/**
 * The header for the Electron dev server's pages (`electron-vite dev` only, never packaged): the
 * shell cannot know the nonce the dev server wrote into the page, so the header allows inline
 * styles and the page's own `<meta>` policy (enforced too, the stricter of both wins) requires the
 * nonce.
 */
export const DEV_SERVER_CONTENT_SECURITY_POLICY = policy("'self' 'unsafe-inline'")

/** A fresh nonce: 128 random bits, base64 (one per page load, never reused). */
export function createCspNonce(): string {
  return randomBytes(16).toString('base64')
}

/** The page with `nonce` wherever renderer/index.html has CSP_NONCE_PLACEHOLDER. */
export function withCspNonce(html: string, nonce: string): string {
  // Validated: the nonce lands inside HTML attributes.
  contentSecurityPolicy(nonce)
  return html.split(CSP_NONCE_PLACEHOLDER).join(nonce)
}
