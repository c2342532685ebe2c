/**
 * Playwright globalSetup: starts the e2e backend (tests/e2e/e2e-backend.ts) in this process.
 * It is loaded through tsx, which, unlike Playwright's loader, handles main/'s JSON import
 * (app-service reads the version from package.json).
 */
import { tsImport } from 'tsx/esm/api'
import type * as E2eBackend from './e2e-backend'

type Backend = typeof E2eBackend

export default async function globalSetup(): Promise<() => Promise<void>> {
  const backend = (await tsImport('./e2e-backend.ts', import.meta.url)) as Backend
  return backend.startE2eBackend()
}
