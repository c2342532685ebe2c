#!/usr/bin/env node
// The `purchase-sender` command: runs the command line built by `npm run build`.
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const entry = fileURLToPath(new URL('../out/cli/purchase-sender.js', import.meta.url))
if (!existsSync(entry)) {
  process.stderr.write(
    `purchase-sender: the command line is not built (${entry} is missing): run npm run build first.\n`,
  )
  process.exit(1)
}
await import(pathToFileURL(entry).href)
