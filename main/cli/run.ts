/**
 * The `purchase-sender` executable: runs the command line on this process's arguments, streams
 * and environment, then exits with its code. `npm run cli`, bin/purchase-sender.js (through tsx)
 * and the bundle of `npm run build:cli` start here; main/cli/index.ts only defines `main`.
 */
import type { ExitCode } from './cli-output'
import { main } from './index'

/** Exits once stdout and stderr have flushed what was written to them. */
async function exit(code: ExitCode): Promise<never> {
  await Promise.all(
    [process.stdout, process.stderr].map(
      (stream) => new Promise<void>((resolve) => stream.write('', () => resolve())),
    ),
  )
  process.exit(code)
}

await exit(await main(process.argv.slice(2)))
