/**
 * The renderer's Content Security Policy, sent by both of its hosts: the Electron shell and the
 * browser-mode web host. Kept identical to the `<meta>` tag in
 * renderer/index.html: the header covers the dev server, the meta tag covers `file://`, where
 * response headers cannot be rewritten.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // MUI styles through emotion, which injects <style> elements at runtime.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ')
