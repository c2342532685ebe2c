// Replaced at build time (electron.vite.config.ts `define`): a sandboxed preload cannot read
// package.json or most of `process`, so the version has to be inlined.
declare const __APP_VERSION__: string
