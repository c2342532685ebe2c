/**
 * `npm run web`: browser mode. Serves the built renderer (run `npm run build` first: this script
 * builds nothing) and the app's contract over HTTP on 127.0.0.1, guarded by a random token in
 * the address it prints. Secrets come from the environment variables each profile names
 * (`--db-password-env`, `--connectif-key-env` in CLI terms); saving a secret is refused.
 *
 * Options: `--port N` (default: a free port), `--home DIR` (data directory, as the CLI's).
 * Ctrl-C stops the running sendings as interrupted (resumable from the history) and exits.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import {
  ensureDataDirectory,
  historyDatabasePath,
  resolveDataDirectory,
} from '../main/core/history/data-directory'
import { HistoryStore } from '../main/core/history/history-store'
import { logAppStart, openDiagnosticLogIn } from '../main/app/diagnostics-use-cases'
import packageJson from '../package.json'
import { runUntilSignal, startBrowserMode } from '../main/web/browser-mode'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const rendererDir = path.join(root, 'out', 'renderer')

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, home: { type: 'string' } },
  })
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`purchase-sender web: --port "${values.port}" is not a port number.`)
    return 2
  }
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    console.error(
      `purchase-sender web: the renderer is not built (${path.relative(root, rendererDir)}/index.html is missing). Run "npm run build" first, then "npm run web".`,
    )
    return 1
  }

  const dataDirectory = resolveDataDirectory({ home: values.home })
  ensureDataDirectory(dataDirectory)
  const diagnosticLog = openDiagnosticLogIn(dataDirectory, {
    onError: (error) =>
      console.error('purchase-sender web: the diagnostic log cannot be written:', error),
  })
  if (diagnosticLog)
    logAppStart(diagnosticLog, { mode: 'browser', appVersion: packageJson.version, dataDirectory })
  const history = HistoryStore.open(historyDatabasePath(dataDirectory))
  const mode = await startBrowserMode({
    history,
    dataDirectory,
    rendererDir,
    port,
    ...(diagnosticLog ? { diagnosticLog } : {}),
  })

  console.log(`Purchase Sender is running at ${mode.url}`)
  console.log(`Data directory: ${dataDirectory}`)
  if (diagnosticLog) console.log(`Diagnostic log: ${diagnosticLog.file}`)
  console.log(
    'Secrets come from the environment variables named in each profile; only PURCHASE_SENDER_* ones are read.',
  )
  console.log('Press Ctrl-C to stop (running sendings are saved as interrupted, to resume later).')

  return runUntilSignal(mode, {
    name: 'purchase-sender web',
    cleanup: () => {
      history.close()
      diagnosticLog?.log({ event: 'app_stop', mode: 'browser' })
      diagnosticLog?.close()
    },
  })
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('purchase-sender web:', error instanceof Error ? error.message : error)
    process.exit(1)
  },
)
