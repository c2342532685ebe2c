// Must stay the first import: in dev it installs React Refresh from a file instead of the
// inline <script> plugin-react would inject, which the CSP (script-src 'self') blocks.
// In production builds it is an empty module.
import '@vitejs/plugin-react/preamble'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'

const container = document.getElementById('root')
if (!container) throw new Error('renderer/index.html lacks the #root element')

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
