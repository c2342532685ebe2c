/**
 * Sending in the background, for the desktop shell:
 * - the machine stays awake (`powerSaveBlocker`, 'prevent-app-suspension') while any sending runs;
 * - an OS notification when a sending ends (a click brings the window back); a scheduled
 *   sending only when it went wrong (failed, finished with errors, or could not start);
 * - while schedules are on, closing the window keeps the app in the tray, so they still run;
 * - closing the window while sendings run asks: keep sending from the tray, stop and quit, or
 *   cancel. Either way nothing is lost: a stopped sending is saved as interrupted and resumable;
 * - quitting, from anywhere, first stops the sendings cleanly (`service.shutdown()`), once.
 *
 * Every Electron object is typed structurally (only the members used), so the tests drive this
 * with fakes and nothing here imports electron.
 */
import type {
  ScheduledRunEvent,
  SendingCountsView,
  SendingEvent,
  SendingStateView,
} from '../../preload/contract'
import type { PreventableEvent } from './window-security'

/** The part of the application service used here. */
export interface BackgroundServiceLike {
  onEvent(listener: (event: SendingEvent) => void): () => void
  activeSendings(): number[]
  shutdown(): Promise<void>
  /** The end of each scheduled run (the service's scheduler); absent: none are told. */
  onScheduledRun?(listener: (event: ScheduledRunEvent) => void): () => void
}

export interface PowerSaveBlockerLike {
  start(type: 'prevent-app-suspension'): number
  stop(id: number): boolean
}

export interface NotificationLike {
  on(event: 'click', listener: () => void): unknown
  show(): void
}

export interface NotificationOptionsLike {
  readonly title: string
  readonly body: string
}

/** Compatible with Electron's `MenuItemConstructorOptions`. */
export interface MenuItemLike {
  readonly label?: string
  readonly type?: 'separator'
  readonly click?: () => void
}

export interface TrayLike<Menu> {
  setToolTip(toolTip: string): void
  setContextMenu(menu: Menu): void
  on(event: 'click', listener: () => void): unknown
  destroy(): void
}

export interface BackgroundWindowLike {
  on(event: 'close', listener: (event: PreventableEvent) => void): unknown
  hide(): void
  show(): void
  focus(): void
  restore(): void
  isMinimized(): boolean
  isDestroyed(): boolean
}

export interface MessageBoxOptionsLike {
  readonly type: 'question'
  readonly title: string
  readonly message: string
  readonly detail: string
  readonly buttons: string[]
  readonly defaultId: number
  readonly cancelId: number
  readonly noLink: boolean
}

export interface BackgroundAppLike {
  on(event: 'before-quit', listener: (event: PreventableEvent) => void): unknown
  quit(): void
}

/** What the shell is told of a sending for its notification. */
export interface SendingDescription {
  readonly profileName: string
  readonly origin?: 'manual' | 'scheduled'
}

export interface BackgroundSendingOptions<Window extends BackgroundWindowLike, Menu> {
  readonly service: BackgroundServiceLike
  readonly app: BackgroundAppLike
  readonly powerSaveBlocker: PowerSaveBlockerLike
  readonly showMessageBox: (
    window: Window,
    options: MessageBoxOptionsLike,
  ) => Promise<{ readonly response: number }>
  /** Null when the OS has no notifications (`Notification.isSupported()` is false). */
  readonly createNotification: (options: NotificationOptionsLike) => NotificationLike | null
  /** A tray icon (the app icon); called only when the window goes to the background. */
  readonly createTray: () => TrayLike<Menu>
  readonly buildMenu: (template: MenuItemLike[]) => Menu
  /**
   * The profile a sending belongs to, for the notification, and who started it (a scheduled
   * sending is told by its scheduled-run event instead); null when unknown.
   */
  readonly describeSending?: (sendingId: number) => SendingDescription | null
  /**
   * Whether closing the window with nothing running keeps the app in the tray (schedules are on,
   * and they run only while the app does); false when absent.
   */
  readonly stayInTray?: () => boolean
  readonly log?: (message: string, error?: unknown) => void
}

export const CLOSE_CHOICES = ['Keep sending in the background', 'Stop and quit', 'Cancel'] as const
const KEEP = 0
const STOP = 1
const CANCEL = 2

export const TRAY_SHOW_LABEL = 'Show Purchase Sender'
export const TRAY_QUIT_LABEL = 'Quit (sendings are saved and can be resumed)'

const FINISHED_TITLES: Readonly<Record<SendingStateView, string>> = {
  queued: 'Sending queued',
  running: 'Sending running',
  completed: 'Sending finished',
  completed_with_errors: 'Sending finished with errors',
  failed: 'Sending failed',
  cancelled: 'Sending cancelled',
  interrupted: 'Sending interrupted',
}

/** What a notification says about a finished sending. */
export function finishedNotification(
  event: Extract<SendingEvent, { type: 'finished' }>,
  profileName: string | null,
): NotificationOptionsLike {
  const who = profileName
    ? `${profileName} (sending #${event.sendingId})`
    : `Sending #${event.sendingId}`
  const body = [`${who}: ${describeCounts(event.counts)}.`]
  if (event.fatalError) body.push(event.fatalError.message)
  if (event.state === 'interrupted' || event.state === 'failed')
    body.push('It can be resumed from the history.')
  return { title: FINISHED_TITLES[event.state], body: body.join(' ') }
}

const SCHEDULED_TITLES: Readonly<Partial<Record<ScheduledRunEvent['outcome'], string>>> = {
  failed: 'Scheduled sending failed',
  completed_with_errors: 'Scheduled sending finished with errors',
  failed_to_start: 'Scheduled sending could not start',
}

/**
 * What a notification says about a scheduled run; null when there is nothing to tell (it went
 * well, the profile was busy, it was cancelled or stopped by quitting).
 */
export function scheduledRunNotification(event: ScheduledRunEvent): NotificationOptionsLike | null {
  const title = SCHEDULED_TITLES[event.outcome]
  if (title === undefined) return null
  const who =
    event.sendingId === null
      ? event.profileName
      : `${event.profileName} (sending #${event.sendingId})`
  const body = [event.counts ? `${who}: ${describeCounts(event.counts)}.` : `${who}.`]
  if (event.error) body.push(event.error.message)
  if (event.outcome === 'failed') body.push('It can be resumed from the history.')
  if (event.outcome === 'failed_to_start')
    body.push('It will be tried again at its next scheduled time.')
  return { title, body: body.join(' ') }
}

function describeCounts(counts: SendingCountsView): string {
  const parts = [`${counts.created} of ${counts.total} created`]
  if (counts.alreadyExisted > 0) parts.push(`${counts.alreadyExisted} already in Connectif`)
  if (counts.failed > 0) parts.push(`${counts.failed} failed`)
  if (counts.skipped > 0) parts.push(`${counts.skipped} skipped`)
  if (counts.pending > 0) parts.push(`${counts.pending} not sent`)
  return parts.join(', ')
}

export class BackgroundSending<Window extends BackgroundWindowLike, Menu = unknown> {
  readonly #options: BackgroundSendingOptions<Window, Menu>
  readonly #log: (message: string, error?: unknown) => void
  readonly #unsubscribe: () => void
  #window: Window | null = null
  #blockerId: number | null = null
  #tray: TrayLike<Menu> | null = null
  #asking = false
  #quitting = false
  #shutdown: Promise<void> | null = null
  #shutdownDone = false

  constructor(options: BackgroundSendingOptions<Window, Menu>) {
    this.#options = options
    this.#log = options.log ?? ((message, error) => console.error(message, error))
    const unsubscribeEvents = options.service.onEvent((event) => this.#onEvent(event))
    const unsubscribeRuns =
      options.service.onScheduledRun?.((event) => this.#onScheduledRun(event)) ?? (() => undefined)
    this.#unsubscribe = () => {
      unsubscribeEvents()
      unsubscribeRuns()
    }
    options.app.on('before-quit', (event) => this.#onBeforeQuit(event))
  }

  /** Whether the machine is being kept awake now. */
  get keepingAwake(): boolean {
    return this.#blockerId !== null
  }

  get quitting(): boolean {
    return this.#quitting
  }

  get hasTray(): boolean {
    return this.#tray !== null
  }

  /** Watches the window's close button; call again for a window created later (macOS). */
  attachWindow(window: Window): void {
    this.#window = window
    window.on('close', (event) => this.#onClose(window, event))
  }

  /** Brings the window back (tray, notification click, a second launch). */
  showWindow(): void {
    const window = this.#liveWindow()
    if (!window) return
    if (window.isMinimized()) window.restore()
    window.show()
    window.focus()
    this.#destroyTray()
  }

  /** Hides the window to the tray: a launch at login starts there, with no window shown. */
  hideToTray(): void {
    const window = this.#liveWindow()
    if (window) this.#toBackground(window)
    else this.#ensureTray()
  }

  /** Stops the sendings once (saved as interrupted, resumable); later calls share it. */
  shutdownOnce(): Promise<void> {
    this.#shutdown ??= this.#options.service
      .shutdown()
      .catch((error: unknown) => this.#log('Stopping the sendings failed', error))
      .finally(() => {
        this.#shutdownDone = true
        this.#stopBlocker()
      })
    return this.#shutdown
  }

  /** Stops the sendings, then quits. */
  async stopAndQuit(): Promise<void> {
    this.#quitting = true
    await this.shutdownOnce()
    this.#destroyTray()
    this.#options.app.quit()
  }

  /** Rechecks the blocker against the service (a sending that died without 'finished'). */
  recheck(): void {
    if (this.#options.service.activeSendings().length === 0) this.#stopBlocker()
    this.#updateTray()
  }

  dispose(): void {
    this.#unsubscribe()
    this.#stopBlocker()
    this.#destroyTray()
  }

  // --- Events ---------------------------------------------------------------------------------

  #onEvent(event: SendingEvent): void {
    if (event.type === 'started') {
      if (this.#blockerId === null && !this.#shutdownDone)
        this.#blockerId = this.#options.powerSaveBlocker.start('prevent-app-suspension')
      this.#updateTray()
    } else if (event.type === 'finished') {
      // The service may still list the finished sending while it emits the event.
      const others = this.#options.service.activeSendings().filter((id) => id !== event.sendingId)
      if (others.length === 0) this.#stopBlocker()
      this.#updateTray(others.length)
      // Sendings stopped by quitting are not news.
      if (!this.#quitting) this.#notify(event)
    }
  }

  #notify(event: Extract<SendingEvent, { type: 'finished' }>): void {
    let described: SendingDescription | null = null
    try {
      described = this.#options.describeSending?.(event.sendingId) ?? null
    } catch (error) {
      this.#log(`Reading sending #${event.sendingId} for its notification failed`, error)
    }
    // A scheduled sending is told by its scheduled-run event, and only when it went wrong.
    if (described?.origin === 'scheduled') return
    this.#show(finishedNotification(event, described?.profileName ?? null))
  }

  #onScheduledRun(event: ScheduledRunEvent): void {
    if (this.#quitting) return
    const notification = scheduledRunNotification(event)
    if (notification) this.#show(notification)
  }

  #show(options: NotificationOptionsLike): void {
    try {
      const notification = this.#options.createNotification(options)
      if (!notification) return
      notification.on('click', () => this.showWindow())
      notification.show()
    } catch (error) {
      this.#log('Showing a notification failed', error)
    }
  }

  #onClose(window: Window, event: PreventableEvent): void {
    if (this.#quitting) return
    if (this.#options.service.activeSendings().length === 0) {
      if (!this.#stayInTray()) return
      // Schedules run only while the app does: the window goes, the app stays in the tray.
      event.preventDefault()
      this.#toBackground(window)
      return
    }
    event.preventDefault()
    if (this.#asking) return
    this.#asking = true
    const running = this.#options.service.activeSendings().length
    this.#options
      .showMessageBox(window, {
        type: 'question',
        title: 'Purchase Sender',
        message:
          running === 1 ? 'A sending is still running.' : `${running} sendings are still running.`,
        detail:
          'Keep sending in the background: the window closes and Purchase Sender stays in the ' +
          'system tray until it is done, then notifies you.\n' +
          'Stop and quit: the sendings are saved as interrupted and can be resumed the next time ' +
          'you open Purchase Sender.',
        buttons: [...CLOSE_CHOICES],
        defaultId: KEEP,
        cancelId: CANCEL,
        noLink: true,
      })
      .then(async ({ response }) => {
        if (response === KEEP) this.#toBackground(window)
        else if (response === STOP) await this.stopAndQuit()
      })
      .catch((error: unknown) => this.#log('The close dialog failed', error))
      .finally(() => {
        this.#asking = false
      })
  }

  #onBeforeQuit(event: PreventableEvent): void {
    this.#quitting = true
    if (this.#shutdownDone) return
    // Hold the quit until the sendings are saved, then quit again.
    event.preventDefault()
    if (this.#shutdown) return
    void this.shutdownOnce().then(() => {
      this.#destroyTray()
      this.#options.app.quit()
    })
  }

  // --- Helpers ----------------------------------------------------------------------------------

  #stayInTray(): boolean {
    try {
      return this.#options.stayInTray?.() ?? false
    } catch (error) {
      this.#log('Reading whether schedules are on failed', error)
      return false
    }
  }

  #toBackground(window: Window): void {
    if (window.isDestroyed()) return
    this.#ensureTray()
    window.hide()
  }

  #ensureTray(): void {
    if (this.#tray) return
    try {
      const tray = this.#options.createTray()
      tray.setContextMenu(
        this.#options.buildMenu([
          { label: TRAY_SHOW_LABEL, click: () => this.showWindow() },
          { type: 'separator' },
          { label: TRAY_QUIT_LABEL, click: () => void this.stopAndQuit() },
        ]),
      )
      tray.on('click', () => this.showWindow())
      this.#tray = tray
      this.#updateTray()
    } catch (error) {
      this.#log('Creating the tray icon failed', error)
    }
  }

  #updateTray(running = this.#options.service.activeSendings().length): void {
    if (!this.#tray) return
    this.#tray.setToolTip(
      running === 0
        ? 'Purchase Sender: no sending running'
        : `Purchase Sender: ${running} sending${running === 1 ? '' : 's'} running`,
    )
  }

  #destroyTray(): void {
    if (!this.#tray) return
    try {
      this.#tray.destroy()
    } catch (error) {
      this.#log('Removing the tray icon failed', error)
    }
    this.#tray = null
  }

  #stopBlocker(): void {
    if (this.#blockerId === null) return
    try {
      this.#options.powerSaveBlocker.stop(this.#blockerId)
    } catch (error) {
      this.#log('Releasing the power-save blocker failed', error)
    }
    this.#blockerId = null
  }

  #liveWindow(): Window | null {
    return this.#window && !this.#window.isDestroyed() ? this.#window : null
  }
}
