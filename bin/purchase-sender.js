#!/usr/bin/env node
// The `purchase-sender` command: runs the command line built by `npm run build`, or, in a
// checkout where nothing is built yet (right after `npm install`), the sources through tsx.
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const built = fileURLToPath(new URL('../out/cli/purchase-sender.js', import.meta.url))
const source = fileURLToPath(new URL('../main/cli/run.ts', import.meta.url))

if (existsSync(built)) {
  await import(pathToFileURL(built).href)
} else {
  let register
  try {
    ;({ register } = await import('tsx/esm/api'))
  } catch {
    register = null
  }
  if (register === null || !existsSync(source)) {
    process.stderr.write(
      `purchase-sender: the command line is not built (${built} is missing): run npm run build first.\n`,
    )
    process.exit(1)
  }
  register()
  await import(pathToFileURL(source).href)
}
