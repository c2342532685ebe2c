import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import { createCspNonce, withCspNonce } from './main/app/content-security-policy'

/**
 * In dev, plugin-react injects its React Refresh preamble as an inline <script>, which our CSP
 * (script-src 'self', no 'unsafe-inline') refuses. renderer/main.tsx imports the same preamble
 * as a module instead, so the inline copy is dropped rather than weakening the policy.
 */
function dropInlineRefreshPreamble(): Plugin {
  return {
    name: 'purchase-sender:drop-inline-refresh-preamble',
    apply: 'serve',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        return html.replace(/<script type="module">[^<]*injectIntoGlobalHook[^<]*<\/script>\s*/, '')
      },
    },
  }
}

/**
 * The built page keeps its nonce placeholder for the hosts (the app:// handler, the browser-mode
 * host) to fill per load. The dev server is a host too: it fills it on every request, so emotion's
 * styles pass the page's <meta> policy (the shell's header for dev pages allows inline styles,
 * not knowing this nonce).
 */
function devCspNonce(): Plugin {
  return {
    name: 'purchase-sender:dev-csp-nonce',
    apply: 'serve',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => withCspNonce(html, createCspNonce()),
    },
  }
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: { input: { index: resolve('main/index.ts') } },
      // got is ESM-only: bundle it so main loads whatever module format it is built in.
      externalizeDeps: { exclude: ['got'] },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only `electron`: bundle everything else (zod, via the
      // contract) into the one file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('preload/index.ts') },
        // Sandboxed preloads cannot be ES modules, and "type": "module" makes .js mean ESM.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react(), dropInlineRefreshPreamble(), devCspNonce()],
    build: {
      outDir: 'out/renderer',
      rolldownOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
})
