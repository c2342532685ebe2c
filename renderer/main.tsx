// Must stay the first import: in dev it installs React Refresh from a file instead of the
// inline <script> plugin-react would inject, which the CSP (script-src 'self') blocks.
// In production builds it is an empty module.
import '@vitejs/plugin-react/preamble'
// Before any schema exists (the contract's, the forms'): zod must not probe for eval.
import './zod-without-eval'
import createCache from '@emotion/cache'
import { CacheProvider } from '@emotion/react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'

const container = document.getElementById('root')
if (!container) throw new Error('renderer/index.html lacks the #root element')

/**
 * This page load's CSP nonce, which the host wrote into `<meta property="csp-nonce">` (read from
 * the `nonce` property: browsers blank the attribute itself once the page has a CSP header).
 */
function cspNonce(): string | undefined {
  const meta = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')
  return meta?.nonce || meta?.getAttribute('nonce') || undefined
}

// The CSP allows no inline styles but those carrying the nonce: every <style> element emotion
// (so MUI) inserts must carry it.
const styleCache = createCache({ key: 'css', nonce: cspNonce() })

createRoot(container).render(
  <StrictMode>
    <CacheProvider value={styleCache}>
      <App />
    </CacheProvider>
  </StrictMode>,
)
