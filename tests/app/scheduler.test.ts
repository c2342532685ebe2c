/**
 * The app's automatic sending against a real store (MariaDB), a real Connectif (the simulator)
 * and a real history: the scheduler's clock is a manual one the test moves, everything else runs
 * on real time. Schedules are saved and read through the contract, as the screens do.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createAppService, type AppService } from '../../main/app/app-service'
import { dispatch } from '../../main/app/ipc-registration'
import { createConnectifClient } from '../../main/core/connectif/connectif-client'
import { DEFAULT_RATE_LIMIT } from '../../main/core/connectif/connectif-defaults'
import type {
  ChannelName,
  ChannelRequestInput,
  ChannelResponse,
  Result,
  ScheduledRunEvent,
  ScheduleSettingsInput,
  SendingEvent,
} from '../../preload/contract'
import { createTestDatabase, type TestDatabase, type TestUser } from '../support/mysql-server'
import type { StoreFixture } from '../support/prestashop/store-generator'
import { ManualClock } from '../support/virtual-clock'
import {
  allStateIds,
  API_KEY,
  expectedOutcome,
  loadStore,
  shopAccount,
} from '../sending/engine-harness'
import { databaseSource, failure, ok, useAppHarness } from './app-harness'

const EMPTY_KEY = 'no-contacts-account:secret'
const MINUTE = 60_000
const HOUR = 60 * MINUTE
/** A whole hour, so slots read easily. */
const START = Math.floor(Date.now() / HOUR) * HOUR

let db: TestDatabase
let reader: TestUser
let fixture: StoreFixture
let expected: ReturnType<typeof expectedOutcome>

beforeAll(async () => {
  db = await createTestDatabase('scheduler')
  fixture = await loadStore(db, 60)
  expected = expectedOutcome(fixture)
  reader = await db.createUser({ privileges: ['SELECT'] })
})

afterAll(async () => {
  await db.drop()
})

const app = useAppHarness({
  home: 'scheduler',
  accounts: () => [
    shopAccount('shop', API_KEY, expected),
    // Knows no contact: with contact creation off, every order fails there.
    shopAccount('empty', EMPTY_KEY, expected, []),
  ],
  secretValues: () => [reader.password, API_KEY, EMPTY_KEY],
})

let clock: ManualClock
let service: AppService | null = null
let events: SendingEvent[] = []
let runs: ScheduledRunEvent[] = []
/** The pace each Connectif client of the service was asked for. */
let paces: (number | undefined)[] = []
const logged: unknown[] = []
/** Tests waiting for something the service tells: looked at again after each event. */
const waiters = new Set<() => void>()

/**
 * The scheduler is what these tests are about, not pacing: the clients send as fast as the
 * simulator allows whatever pace a sending asks for (the scheduler's is 100 a minute, a few
 * seconds for the test store), and `paces` keeps what was asked.
 */
const TEST_PACE = 60_000

/** A service over the harness's history whose scheduler runs on a manual clock. */
function startService(): AppService {
  clock = new ManualClock(START)
  events = []
  runs = []
  paces = []
  logged.length = 0
  // A waiter left by a failed test must not see this test's events.
  waiters.clear()
  service = createAppService({
    history: app.history,
    secrets: app.secrets,
    host: { mode: 'electron', dataDirectory: app.home },
    schedulerClock: clock,
    concurrency: 4,
    log: (message, error) => logged.push([message, error]),
    connectifFactory: (options) => {
      paces.push(options.requestsPerMinute)
      return createConnectifClient({
        ...options,
        requestsPerMinute: TEST_PACE,
        retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
        timeoutMs: 5_000,
      })
    },
  })
  service.onEvent((event) => {
    events.push(event)
    told()
  })
  service.onScheduledRun((event) => {
    runs.push(event)
    told()
  })
  return service
}

/**
 * Wakes the waiters in a later task, as IPC clients hear the service: once it has done what
 * follows the event (a finished sending leaves the running ones).
 */
function told(): void {
  setImmediate(() => {
    for (const waiter of [...waiters]) waiter()
  })
}

afterEach(async () => {
  await service?.shutdown()
  service = null
  expect(logged).toEqual([])
})

function call<C extends ChannelName>(
  channel: C,
  request: ChannelRequestInput<C>,
): Promise<Result<ChannelResponse<C>>> {
  if (!service) throw new Error('no service')
  return dispatch(service, channel, request) as Promise<Result<ChannelResponse<C>>>
}

async function saveProfile(name: string, key = API_KEY, defaultStateIds: number[] = []) {
  return ok(
    await call('profiles:save', {
      id: null,
      profile: {
        name,
        source: databaseSource(db, reader),
        connectif: { apiUrl: app.simulator.url },
        defaultStateIds,
      },
      secrets: { dbPassword: { set: reader.password }, connectifKey: { set: key } },
    }),
  ).id
}

function everyHour(overrides: Partial<ScheduleSettingsInput> = {}): ScheduleSettingsInput {
  return {
    enabled: true,
    rule: { kind: 'every', hours: 1 },
    stateIds: allStateIds(fixture),
    ...overrides,
  }
}

/**
 * Resolves to what `read` gives once it gives something. It is read now, then again each time the
 * service tells a sending event or a scheduled run (what the awaited changes come with), not on
 * a timer.
 */
function until<T>(read: () => T | undefined | null | false, what: string): Promise<T> {
  const now = read()
  if (now) return Promise.resolve(now)
  return new Promise((resolve, reject) => {
    const stop = (): void => {
      waiters.delete(check)
      clearTimeout(deadline)
    }
    const check = (): void => {
      try {
        const value = read()
        if (!value) return
        stop()
        resolve(value)
      } catch (error) {
        stop()
        reject(error instanceof Error ? error : new Error(String(error)))
      }
    }
    const deadline = setTimeout(() => {
      stop()
      reject(new Error(`timed out waiting for ${what}`))
    }, 30_000)
    waiters.add(check)
  })
}

function scheduledSendings(profileId: number) {
  return app.history.listSendings({ profileId }).filter((sending) => sending.origin === 'scheduled')
}

const finished = (sendingId: number) =>
  until(
    () => events.find((event) => event.type === 'finished' && event.sendingId === sendingId),
    `sending #${sendingId} to finish`,
  )

describe('the scheduler', () => {
  it('fires at the due time a sync recorded as a scheduled sending', async () => {
    startService()
    const profileId = await saveProfile('Hourly shop')
    const saved = ok(await call('schedule:save', { profileId, schedule: everyHour() }))
    expect(saved).toMatchObject({
      saved: true,
      enabled: true,
      summary: 'Every hour',
      lastRun: null,
      nextRunAt: new Date(START + HOUR).toISOString(),
    })
    service!.startScheduler()
    await clock.whenSleeping()
    await clock.advance(HOUR - MINUTE)
    expect(scheduledSendings(profileId)).toEqual([])

    await clock.advance(MINUTE)
    const [sending] = await until(() => {
      const found = scheduledSendings(profileId)
      return found.length > 0 && found
    }, 'the scheduled sending')
    expect(sending).toMatchObject({ origin: 'scheduled', mode: 'background' })
    expect(sending!.options).toMatchObject({
      triggerWorkflows: false,
      createContacts: true,
      createProducts: true,
      skipSent: true,
      rateLimit: DEFAULT_RATE_LIMIT,
    })
    const end = await finished(sending!.id)
    // The sync asked for Connectif's default pace (the test's clients go faster).
    expect(paces.length).toBeGreaterThan(0)
    expect(new Set(paces)).toEqual(new Set([DEFAULT_RATE_LIMIT]))
    expect(end).toMatchObject({ type: 'finished', state: 'completed' })
    await until(() => runs.length > 0, 'the scheduled run to be told')
    expect(runs).toEqual([
      {
        profileId,
        profileName: 'Hourly shop',
        outcome: 'completed',
        sendingId: sending!.id,
        counts: expect.objectContaining({ failed: 0 }),
        error: null,
      },
    ])

    const [listed] = ok(await call('profiles:list', {}))
    expect(listed!.schedule).toEqual({
      enabled: true,
      rule: { kind: 'every', hours: 1 },
      timeZone: null,
      summary: 'Every hour',
      lastRun: {
        at: new Date(START + HOUR).toISOString(),
        outcome: 'started',
        sendingId: sending!.id,
        state: 'completed',
        error: null,
      },
      nextRunAt: new Date(START + 2 * HOUR).toISOString(),
    })
  })

  it('records a busy profile as busy and sends nothing', async () => {
    startService()
    const profileId = await saveProfile('Busy shop')
    ok(await call('schedule:save', { profileId, schedule: everyHour() }))
    // Another program (the command line) runs a sending of the profile.
    const other = app.history.createSending({
      profileId,
      from: '2025-01-01',
      to: '2025-01-31',
      stateIds: [2],
      shopIds: [],
      mode: 'cli',
      options: {
        triggerWorkflows: false,
        createContacts: true,
        createProducts: true,
        rateLimit: 1,
      },
      expectedTotal: 0,
      ownerPid: process.pid,
    })
    service!.startScheduler()
    await clock.whenSleeping()
    await clock.advance(HOUR)
    await until(() => runs.length > 0, 'the busy run to be told')
    expect(runs).toEqual([
      {
        profileId,
        profileName: 'Busy shop',
        outcome: 'busy',
        sendingId: null,
        counts: null,
        error: null,
      },
    ])
    expect(scheduledSendings(profileId)).toEqual([])
    expect(app.history.schedules.get(profileId)?.lastRun).toEqual({
      at: new Date(START + HOUR).toISOString(),
      outcome: 'busy',
      sendingId: null,
      error: null,
    })
    app.history.finishSending(other.id, 'cancelled')
  })

  it('runs the slots missed while the app was closed once, at start', async () => {
    startService()
    const profileId = await saveProfile('Missed shop')
    ok(await call('schedule:save', { profileId, schedule: everyHour() }))
    // The app is closed for five and a half hours: five slots go by.
    await clock.advance(5 * HOUR + 30 * MINUTE)
    service!.startScheduler()
    const [caughtUp] = await until(() => {
      const found = scheduledSendings(profileId)
      return found.length > 0 && found
    }, 'the catch-up sending')
    await finished(caughtUp!.id)
    expect(app.history.schedules.get(profileId)?.lastSlotAt).toBe(
      new Date(START + 5 * HOUR).toISOString(),
    )
    await clock.whenSleeping()
    await clock.advance(20 * MINUTE)
    expect(scheduledSendings(profileId)).toHaveLength(1)

    // The next slot on the grid runs as usual.
    await clock.advance(10 * MINUTE)
    const both = await until(() => {
      const found = scheduledSendings(profileId)
      return found.length === 2 && found
    }, 'the next scheduled sending')
    await finished(both[0]!.id)
    expect(scheduledSendings(profileId)).toHaveLength(2)
  })

  it('records a sending that cannot start with its error, and tells it', async () => {
    startService()
    const profileId = await saveProfile('Keyless shop')
    ok(await call('schedule:save', { profileId, schedule: everyHour() }))
    await app.secrets.remove(profileId, 'connectifKey')
    service!.startScheduler()
    await clock.whenSleeping()
    await clock.advance(HOUR)
    await until(() => runs.length > 0, 'the failed run to be told')
    expect(runs[0]).toMatchObject({
      outcome: 'failed_to_start',
      sendingId: null,
      error: {
        code: 'secret_missing',
        params: expect.objectContaining({ secret: 'connectifKey' }),
      },
    })
    const [listed] = ok(await call('profiles:list', {}))
    expect(listed!.schedule?.lastRun).toMatchObject({
      outcome: 'failed_to_start',
      sendingId: null,
      state: null,
      error: { code: 'secret_missing' },
    })
    expect(scheduledSendings(profileId)).toEqual([])
  })

  it('tells a scheduled sending that ended with errors', async () => {
    startService()
    const profileId = await saveProfile('Strict shop', EMPTY_KEY)
    ok(
      await call('schedule:save', {
        profileId,
        schedule: everyHour({
          options: { triggerWorkflows: false, createContacts: false, createProducts: true },
        }),
      }),
    )
    service!.startScheduler()
    await clock.whenSleeping()
    await clock.advance(HOUR)
    await until(() => runs.length > 0, 'the run to be told')
    expect(runs[0]).toMatchObject({
      outcome: 'completed_with_errors',
      counts: expect.objectContaining({ failed: expect.any(Number) }),
    })
    expect(runs[0]!.counts!.failed).toBeGreaterThan(0)
  })
})

describe('schedule:get and schedule:save', () => {
  it('offers the defaults, reads a daily time on the shop clock, and switches off', async () => {
    startService()
    const profileId = await saveProfile('Daily shop', API_KEY, [2])
    const fresh = ok(await call('schedule:get', { profileId }))
    expect(fresh).toMatchObject({
      saved: false,
      enabled: false,
      settings: {
        enabled: false,
        stateIds: null,
        days: 30,
        options: { triggerWorkflows: false, createContacts: true, createProducts: true },
      },
      lastRun: null,
      nextRunAt: null,
    })
    const zone = ok(await call('store:lookup', { profileId })).timezone
    // The profile's default statuses when none are given.
    const daily = ok(
      await call('schedule:save', {
        profileId,
        schedule: { enabled: true, rule: { kind: 'daily', time: '02:30' } },
      }),
    )
    expect(daily).toMatchObject({
      saved: true,
      timeZone: zone,
      summary: `Daily at 02:30 (${zone})`,
      settings: { stateIds: null, days: 30 },
    })
    expect(Date.parse(daily.nextRunAt!)).toBeGreaterThan(START)
    expect(Date.parse(daily.nextRunAt!)).toBeLessThanOrEqual(START + 24 * HOUR)

    const off = ok(
      await call('schedule:save', {
        profileId,
        schedule: { enabled: false, rule: { kind: 'daily', time: '02:30' } },
      }),
    )
    expect(off).toMatchObject({
      enabled: false,
      nextRunAt: null,
      summary: expect.stringMatching(/^Off/),
    })
    expect(ok(await call('profiles:list', {}))[0]!.schedule).toMatchObject({ enabled: false })
  })

  it('refuses a schedule that could not run, with codes', async () => {
    startService()
    const profileId = await saveProfile('No defaults shop')
    expect(
      failure(
        await call('schedule:save', {
          profileId,
          schedule: { enabled: true, rule: { kind: 'every', hours: 2 } },
        }),
      ),
    ).toMatchObject({ code: 'sync_statuses_missing', params: { profile: 'No defaults shop' } })
    expect(
      failure(
        await call('schedule:save', {
          profileId,
          schedule: { enabled: true, rule: { kind: 'every', hours: 25 }, stateIds: [2] },
        }),
      ),
    ).toMatchObject({ code: 'invalid_request' })
    expect(
      failure(
        await call('schedule:save', {
          profileId,
          schedule: { enabled: true, rule: { kind: 'daily', time: '24:00' }, stateIds: [2] },
        }),
      ),
    ).toMatchObject({ code: 'invalid_request' })
    expect(failure(await call('schedule:get', { profileId: 999 }))).toMatchObject({
      code: 'profile_not_found',
    })
    // Switched off, it is kept as it is.
    ok(
      await call('schedule:save', {
        profileId,
        schedule: { enabled: false, rule: { kind: 'every', hours: 2 } },
      }),
    )
  })
})

describe('settings', () => {
  it('says open at login is unavailable without the desktop shell', async () => {
    startService()
    expect(ok(await call('settings:get', {}))).toEqual({
      openAtLogin: { available: false, reason: 'platform' },
    })
    expect(failure(await call('settings:save', { openAtLogin: true }))).toMatchObject({
      code: 'open_at_login_unavailable',
      params: { reason: 'platform' },
    })
  })
})
