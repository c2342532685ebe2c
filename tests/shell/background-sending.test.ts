import { describe, expect, it, vi } from 'vitest'
import type { ScheduledRunEvent, SendingEvent } from '../../preload/contract'
import {
  BackgroundSending,
  CLOSE_CHOICES,
  scheduledRunNotification,
  TRAY_QUIT_LABEL,
  TRAY_SHOW_LABEL,
  type BackgroundWindowLike,
  type MenuItemLike,
  type MessageBoxOptionsLike,
  type NotificationOptionsLike,
} from '../../main/shell/background-sending'
import type { PreventableEvent } from '../../main/shell/window-security'

const COUNTS = { total: 10, created: 7, alreadyExisted: 1, failed: 2, skipped: 0, pending: 0 }

function started(sendingId: number): SendingEvent {
  return { type: 'started', sendingId, expectedTotal: 10 }
}

function finished(
  sendingId: number,
  state: 'completed' | 'interrupted' = 'completed',
): SendingEvent {
  return { type: 'finished', sendingId, state, counts: COUNTS, fatalError: null }
}

function preventable() {
  const event: PreventableEvent & { prevented: boolean } = {
    prevented: false,
    preventDefault() {
      event.prevented = true
    },
  }
  return event
}

function harness(
  options: {
    dialogResponse?: number
    notifications?: boolean
    /** Sendings a schedule started. */
    scheduled?: readonly number[]
    /** Whether schedules are on (closing keeps the app in the tray). */
    stayInTray?: boolean
  } = {},
) {
  const listeners = new Set<(event: SendingEvent) => void>()
  const runListeners = new Set<(event: ScheduledRunEvent) => void>()
  const active = new Set<number>()
  let resolveShutdown: () => void = () => undefined
  const service = {
    onEvent: (listener: (event: SendingEvent) => void) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    activeSendings: () => [...active],
    onScheduledRun: (listener: (event: ScheduledRunEvent) => void) => {
      runListeners.add(listener)
      return () => runListeners.delete(listener)
    },
    shutdown: vi.fn(
      () =>
        new Promise<void>((resolve) => {
          resolveShutdown = () => {
            active.clear()
            resolve()
          }
        }),
    ),
  }
  const emit = (event: SendingEvent) => {
    if (event.type === 'started') active.add(event.sendingId)
    // Like the real service: the finished sending is still listed while the event goes out.
    for (const listener of listeners) listener(event)
    if (event.type === 'finished') active.delete(event.sendingId)
  }

  let beforeQuit: ((event: PreventableEvent) => void) | undefined
  const app = {
    on: (_event: 'before-quit', listener: (event: PreventableEvent) => void) => {
      beforeQuit = listener
    },
    quit: vi.fn(() => {
      // Electron emits before-quit again on every quit().
      beforeQuit?.(preventable())
    }),
  }
  let nextBlocker = 1
  const powerSaveBlocker = {
    start: vi.fn((_type: 'prevent-app-suspension') => nextBlocker++),
    stop: vi.fn((_id: number) => true),
  }
  const notifications: { options: NotificationOptionsLike; click?: () => void; shown: boolean }[] =
    []
  const createNotification = (notificationOptions: NotificationOptionsLike) => {
    if (options.notifications === false) return null
    const record: (typeof notifications)[number] = { options: notificationOptions, shown: false }
    notifications.push(record)
    return {
      on: (_event: 'click', listener: () => void) => {
        record.click = listener
      },
      show: () => {
        record.shown = true
      },
    }
  }
  const trays: { tooltip: string; menu: MenuItemLike[]; destroyed: boolean; click?: () => void }[] =
    []
  const createTray = () => {
    const tray = {
      tooltip: '',
      menu: [] as MenuItemLike[],
      destroyed: false,
    } as (typeof trays)[number]
    trays.push(tray)
    return {
      setToolTip: (text: string) => {
        tray.tooltip = text
      },
      setContextMenu: (menu: MenuItemLike[]) => {
        tray.menu = menu
      },
      on: (_event: 'click', listener: () => void) => {
        tray.click = listener
      },
      destroy: () => {
        tray.destroyed = true
      },
    }
  }
  const dialogs: MessageBoxOptionsLike[] = []
  const showMessageBox = vi.fn(
    (_window: BackgroundWindowLike, boxOptions: MessageBoxOptionsLike) => {
      dialogs.push(boxOptions)
      return Promise.resolve({ response: options.dialogResponse ?? 0 })
    },
  )

  let closeListener: ((event: PreventableEvent) => void) | undefined
  const window = {
    visible: true,
    focused: false,
    on: (_event: 'close', listener: (event: PreventableEvent) => void) => {
      closeListener = listener
    },
    hide: vi.fn(() => {
      window.visible = false
    }),
    show: vi.fn(() => {
      window.visible = true
    }),
    focus: vi.fn(() => {
      window.focused = true
    }),
    restore: vi.fn(),
    isMinimized: () => false,
    isDestroyed: () => false,
  }

  const background = new BackgroundSending<typeof window, MenuItemLike[]>({
    service,
    app,
    powerSaveBlocker,
    showMessageBox,
    createNotification,
    createTray,
    buildMenu: (template) => template,
    describeSending: (id) => ({
      profileName: `Shop ${id}`,
      origin: options.scheduled?.includes(id) ? 'scheduled' : 'manual',
    }),
    stayInTray: () => options.stayInTray ?? false,
    log: () => undefined,
  })
  background.attachWindow(window)
  const close = () => {
    const event = preventable()
    closeListener?.(event)
    return event
  }
  return {
    background,
    service,
    emit,
    emitRun: (event: ScheduledRunEvent) => {
      for (const listener of runListeners) listener(event)
    },
    app,
    powerSaveBlocker,
    notifications,
    trays,
    dialogs,
    showMessageBox,
    window,
    close,
    beforeQuit: () => {
      const event = preventable()
      beforeQuit?.(event)
      return event
    },
    finishShutdown: () => resolveShutdown(),
  }
}

/** Lets the dialog's promise chain run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('BackgroundSending: keeping the machine awake', () => {
  it('blocks suspension from the first start until the last sending finishes', () => {
    const h = harness()
    h.emit(started(1))
    h.emit(started(2))
    expect(h.powerSaveBlocker.start).toHaveBeenCalledTimes(1)
    expect(h.powerSaveBlocker.start).toHaveBeenCalledWith('prevent-app-suspension')
    expect(h.background.keepingAwake).toBe(true)
    h.emit(finished(1))
    expect(h.powerSaveBlocker.stop).not.toHaveBeenCalled()
    h.emit(finished(2))
    expect(h.powerSaveBlocker.stop).toHaveBeenCalledWith(1)
    expect(h.background.keepingAwake).toBe(false)
    // A new sending blocks again.
    h.emit(started(3))
    expect(h.powerSaveBlocker.start).toHaveBeenCalledTimes(2)
  })

  it('recheck releases the blocker when a sending died without its finished event', () => {
    const h = harness()
    h.emit(started(1))
    h.background.recheck()
    expect(h.background.keepingAwake).toBe(true)
    h.service.activeSendings = () => []
    h.background.recheck()
    expect(h.powerSaveBlocker.stop).toHaveBeenCalledTimes(1)
  })
})

describe('BackgroundSending: notifications', () => {
  it('notifies when a sending finishes, with the profile and counts; a click shows the window', () => {
    const h = harness()
    h.emit(started(4))
    h.window.visible = false
    h.emit(finished(4))
    expect(h.notifications).toHaveLength(1)
    const [notification] = h.notifications
    expect(notification!.shown).toBe(true)
    expect(notification!.options.title).toBe('Sending finished')
    expect(notification!.options.body).toContain('Shop 4')
    expect(notification!.options.body).toContain('7 of 10 created')
    expect(notification!.options.body).toContain('2 failed')
    notification!.click?.()
    expect(h.window.visible).toBe(true)
    expect(h.window.focused).toBe(true)
  })

  it('does without notifications where the OS has none', () => {
    const h = harness({ notifications: false })
    h.emit(started(1))
    expect(() => h.emit(finished(1))).not.toThrow()
  })
})

describe('BackgroundSending: closing the window', () => {
  it('closes normally when nothing runs', () => {
    const h = harness()
    expect(h.close().prevented).toBe(false)
    expect(h.showMessageBox).not.toHaveBeenCalled()
  })

  it('"Keep sending in the background" hides the window to a tray', async () => {
    const h = harness({ dialogResponse: 0 })
    h.emit(started(1))
    expect(h.close().prevented).toBe(true)
    await settle()
    expect(h.dialogs[0]!.buttons).toEqual([...CLOSE_CHOICES])
    expect(h.dialogs[0]!.cancelId).toBe(2)
    expect(h.window.hide).toHaveBeenCalled()
    expect(h.service.shutdown).not.toHaveBeenCalled()
    expect(h.app.quit).not.toHaveBeenCalled()
    expect(h.trays).toHaveLength(1)
    const labels = h.trays[0]!.menu.map((item) => item.label)
    expect(labels).toContain(TRAY_SHOW_LABEL)
    expect(labels).toContain(TRAY_QUIT_LABEL)
    expect(h.trays[0]!.tooltip).toMatch(/1 sending running/)
    // "Show Purchase Sender" brings it back and removes the tray.
    h.trays[0]!.menu.find((item) => item.label === TRAY_SHOW_LABEL)!.click!()
    expect(h.window.visible).toBe(true)
    expect(h.trays[0]!.destroyed).toBe(true)
  })

  it('"Stop and quit" shuts the service down, then quits', async () => {
    const h = harness({ dialogResponse: 1 })
    h.emit(started(1))
    expect(h.close().prevented).toBe(true)
    await settle()
    expect(h.service.shutdown).toHaveBeenCalledTimes(1)
    expect(h.app.quit).not.toHaveBeenCalled()
    h.finishShutdown()
    await settle()
    expect(h.app.quit).toHaveBeenCalledTimes(1)
    expect(h.service.shutdown).toHaveBeenCalledTimes(1)
    expect(h.background.keepingAwake).toBe(false)
    // Now the window may close.
    expect(h.close().prevented).toBe(false)
  })

  it('"Cancel" leaves everything running', async () => {
    const h = harness({ dialogResponse: 2 })
    h.emit(started(1))
    expect(h.close().prevented).toBe(true)
    await settle()
    expect(h.window.hide).not.toHaveBeenCalled()
    expect(h.service.shutdown).not.toHaveBeenCalled()
    expect(h.app.quit).not.toHaveBeenCalled()
    expect(h.background.keepingAwake).toBe(true)
  })

  it('asks once even if close is clicked repeatedly', async () => {
    const h = harness({ dialogResponse: 2 })
    h.emit(started(1))
    h.close()
    h.close()
    await settle()
    expect(h.showMessageBox).toHaveBeenCalledTimes(1)
  })
})

describe('BackgroundSending: quitting', () => {
  it('holds the quit until the sendings are saved, shuts down once, and does not notify', async () => {
    const h = harness()
    h.emit(started(1))
    expect(h.beforeQuit().prevented).toBe(true)
    expect(h.beforeQuit().prevented).toBe(true)
    expect(h.service.shutdown).toHaveBeenCalledTimes(1)
    h.emit(finished(1, 'interrupted'))
    h.finishShutdown()
    await settle()
    expect(h.app.quit).toHaveBeenCalledTimes(1)
    expect(h.beforeQuit().prevented).toBe(false)
    expect(h.service.shutdown).toHaveBeenCalledTimes(1)
    expect(h.notifications).toHaveLength(0)
    // While quitting, closing the window is not asked about.
    expect(h.close().prevented).toBe(false)
  })

  it("the tray's Quit stops and quits", async () => {
    const h = harness({ dialogResponse: 0 })
    h.emit(started(1))
    h.close()
    await settle()
    h.trays[0]!.menu.find((item) => item.label === TRAY_QUIT_LABEL)!.click!()
    h.finishShutdown()
    await settle()
    expect(h.service.shutdown).toHaveBeenCalledTimes(1)
    expect(h.app.quit).toHaveBeenCalled()
    expect(h.trays[0]!.destroyed).toBe(true)
  })
})

describe('BackgroundSending: scheduled sendings', () => {
  const run = (overrides: Partial<ScheduledRunEvent>): ScheduledRunEvent => ({
    profileId: 3,
    profileName: 'Tienda',
    outcome: 'completed',
    sendingId: 9,
    counts: COUNTS,
    error: null,
    ...overrides,
  })

  it('stay silent when they go well, and notify when they go wrong', () => {
    const h = harness({ scheduled: [9] })
    h.emit(started(9))
    h.emit(finished(9))
    h.emitRun(run({ outcome: 'completed' }))
    h.emitRun(run({ outcome: 'busy', sendingId: null, counts: null }))
    h.emitRun(run({ outcome: 'cancelled' }))
    expect(h.notifications).toEqual([])

    h.emitRun(run({ outcome: 'completed_with_errors' }))
    h.emitRun(
      run({
        outcome: 'failed_to_start',
        sendingId: null,
        counts: null,
        error: { code: 'store_host_unreachable', message: 'The store could not be read.' },
      }),
    )
    expect(h.notifications.map((notification) => notification.options)).toEqual([
      {
        title: 'Scheduled sending finished with errors',
        body: expect.stringContaining('Tienda (sending #9): 7 of 10 created'),
      },
      {
        title: 'Scheduled sending could not start',
        body: expect.stringContaining('Tienda. The store could not be read.'),
      },
    ])
    expect(h.notifications.every((notification) => notification.shown)).toBe(true)
    // A click brings the window back.
    h.window.visible = false
    h.notifications[1]!.click?.()
    expect(h.window.visible).toBe(true)
  })

  it('a manual sending is still notified however it ends', () => {
    const h = harness({ scheduled: [9] })
    h.emit(started(4))
    h.emit(finished(4))
    expect(h.notifications).toHaveLength(1)
  })

  it('says a failed scheduled sending can be resumed', () => {
    expect(
      scheduledRunNotification(
        run({
          outcome: 'failed',
          error: { code: 'connectif_unauthorized', message: 'The key was refused.' },
        }),
      ),
    ).toEqual({
      title: 'Scheduled sending failed',
      body: 'Tienda (sending #9): 7 of 10 created, 1 already in Connectif, 2 failed. The key was refused. It can be resumed from the history.',
    })
  })

  it('are not told while quitting', () => {
    const h = harness()
    h.beforeQuit()
    h.emitRun(run({ outcome: 'failed' }))
    expect(h.notifications).toEqual([])
  })
})

describe('BackgroundSending: staying in the tray for schedules', () => {
  it('closing the window with schedules on keeps the app in the tray, without asking', () => {
    const h = harness({ stayInTray: true })
    expect(h.close().prevented).toBe(true)
    expect(h.showMessageBox).not.toHaveBeenCalled()
    expect(h.window.hide).toHaveBeenCalled()
    expect(h.trays).toHaveLength(1)
    expect(h.app.quit).not.toHaveBeenCalled()
    // Its Quit still quits.
    h.trays[0]!.menu.find((item) => item.label === TRAY_QUIT_LABEL)!.click!()
    expect(h.service.shutdown).toHaveBeenCalledTimes(1)
  })

  it('a launch at login starts hidden in the tray', () => {
    const h = harness()
    h.background.hideToTray()
    expect(h.window.visible).toBe(false)
    expect(h.background.hasTray).toBe(true)
    h.trays[0]!.click?.()
    expect(h.window.visible).toBe(true)
    expect(h.background.hasTray).toBe(false)
  })
})
