import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'

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
    plugins: [react(), dropInlineRefreshPreamble()],
    build: {
      outDir: 'out/renderer',
      rolldownOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
})
