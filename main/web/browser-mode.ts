/**
 * Browser mode's wiring, shared by `npm run web` (scripts/web.ts) and `npm run demo`
 * (scripts/demo.ts): the app service over a history, secrets from the environment variables each
 * profile names, and the web host on 127.0.0.1 behind a random token. Plus the Ctrl-C handling
 * both scripts share: running sendings are saved as interrupted, then the caller cleans up.
 */
import { randomBytes } from 'node:crypto'
import { createAppService, type AppService } from '../app/app-service'
import { EnvironmentSecretStore } from '../app/secret-store'
import type { HistoryStore } from '../core/history/history-store'
import type { DiagnosticLog } from '../core/logging/diagnostic-log'
import { startWebHost, type WebHost } from './web-host'

export interface BrowserModeOptions {
  readonly history: HistoryStore
  readonly dataDirectory: string
  /** The built renderer (out/renderer). */
  readonly rendererDir: string
  /** 0 (the default) picks a free port. */
  readonly port?: number
  /** Where secrets are read from; process.env by default. */
  readonly env?: NodeJS.ProcessEnv
  readonly log?: (message: string, error?: unknown) => void
  /** The diagnostic log (`npm run web` writes one in the data directory); none when absent. */
  readonly diagnosticLog?: DiagnosticLog
}

export interface BrowserMode {
  readonly service: AppService
  readonly host: WebHost
  /** `http://127.0.0.1:PORT/?token=…`. */
  readonly url: string
  /**
   * Saves the running sendings as interrupted and closes the host (the history stays open: it is
   * the caller's). Resolves to the ids of the sendings that were running.
   */
  stop(): Promise<number[]>
}

export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserMode> {
  const { history } = options
  const secrets = new EnvironmentSecretStore({
    env: options.env ?? process.env,
    profile: (id) => history.profiles.list().find((profile) => profile.id === id) ?? null,
  })
  const service = createAppService({
    history,
    secrets,
    host: { mode: 'browser', dataDirectory: options.dataDirectory },
    ...(options.log ? { log: options.log } : {}),
    ...(options.diagnosticLog ? { diagnosticLog: options.diagnosticLog } : {}),
  })
  // Schedules run while browser mode does, as in the desktop app.
  service.startScheduler()
  const token = randomBytes(24).toString('base64url')
  const host = await startWebHost({
    service,
    rendererDir: options.rendererDir,
    port: options.port ?? 0,
    host: '127.0.0.1',
    token,
  })
  return {
    service,
    host,
    url: host.url,
    async stop() {
      const active = service.activeSendings()
      await service.shutdown()
      await host.close()
      return active
    },
  }
}

/**
 * Waits for SIGINT/SIGTERM, then stops browser mode and runs `cleanup`. Resolves to the exit
 * code (0 when everything stopped cleanly); a second signal exits at once with 130.
 */
export function runUntilSignal(
  mode: BrowserMode,
  options: { readonly name: string; readonly cleanup: () => void | Promise<void> },
): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        console.log(`${options.name}: stopped at once.`)
        process.exit(130)
      }
      stopping = true
      console.log(`\n${signal}: saving the running sendings as interrupted…`)
      mode
        .stop()
        .then(async (active) => {
          await options.cleanup()
          if (active.length > 0)
            console.log(
              `Saved sending${active.length === 1 ? '' : 's'} #${active.join(', #')}: resume from the history.`,
            )
          resolve(0)
        })
        .catch((error: unknown) => {
          console.error(`${options.name}: could not stop cleanly:`, error)
          resolve(1)
        })
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}
