/**
 * The wizard's store sessions (main/app/store-sessions.ts) over counted fake stores and a manual
 * clock: one opening shared by every call, the idle close, the drop when the profile or its
 * secret changes, a broken connection opened again once, and nothing kept open at shutdown.
 */
import { describe, expect, it } from 'vitest'
import type { Clock, SleepOptions } from '../../main/core/clock'
import type { Profile } from '../../main/core/profiles/profile-types'
import { StoreError } from '../../main/core/store/store-errors'
import type { StoreSource } from '../../main/core/store/store-source'
import { STORE_SESSION_IDLE_MS, StoreSessions } from '../../main/app/store-sessions'
import { ManualClock, settle } from '../support/virtual-clock'

const PROFILE = {
  id: 7,
  name: 'Shop',
  source: {
    kind: 'database',
    host: '127.0.0.1',
    port: 3306,
    user: 'reader',
    database: 'prestashop',
    tablePrefix: 'ps_',
    ssl: false,
    passwordEnv: null,
  },
  connectif: { apiUrl: 'https://api.connectif.cloud', keyEnv: null },
  shopIds: [],
  languageIso: null,
  defaultStateIds: [],
  createdAt: '2025-06-01T10:00:00.000Z',
  updatedAt: '2025-06-01T10:00:00.000Z',
} as unknown as Profile

interface FakeStore extends StoreSource {
  readonly number: number
  closed: boolean
}

/** Sessions over fake stores, each numbered in the order it was opened, with what opened them. */
function sessions(options: { clock?: Clock; failOpen?: () => boolean } = {}) {
  const clock = options.clock ?? new ManualClock()
  const opened: FakeStore[] = []
  const secrets = new Map<number, string>([[PROFILE.id, 'first secret']])
  const openedWith: string[] = []
  const subject = new StoreSessions({
    clock,
    secret: (profile) => {
      const secret = secrets.get(profile.id)
      return secret === undefined ? Promise.reject(new Error('no secret')) : Promise.resolve(secret)
    },
    open: async (_profile, secret) => {
      openedWith.push(secret)
      await settle()
      if (options.failOpen?.()) throw new StoreError('access_denied', 'Wrong password.')
      const store = {
        number: opened.length + 1,
        closed: false,
        notices: [],
        close() {
          store.closed = true
          return Promise.resolve()
        },
      } as unknown as FakeStore
      opened.push(store)
      return store
    },
  })
  return { subject, clock, opened, secrets, openedWith }
}

const numberOf = (store: StoreSource) => Promise.resolve((store as FakeStore).number)

describe('store sessions', () => {
  it('opens the store once for every step of the wizard, and once for calls at the same time', async () => {
    const { subject, opened } = sessions()
    const together = await Promise.all([
      subject.use(PROFILE, numberOf),
      subject.use(PROFILE, numberOf),
      subject.use(PROFILE, numberOf),
    ])
    expect(together).toEqual([1, 1, 1])
    expect(await subject.use(PROFILE, numberOf)).toBe(1)
    expect(await subject.use(PROFILE, numberOf)).toBe(1)
    expect(opened).toHaveLength(1)
    expect(subject.profileIds).toEqual([PROFILE.id])
  })

  it('closes a session left idle for a few minutes, on a timer that keeps no process alive', async () => {
    const manual = new ManualClock()
    const asked: (SleepOptions | undefined)[] = []
    const clock: Clock = {
      now: () => manual.now(),
      sleep: (ms, signal, options) => {
        asked.push(options)
        return manual.sleep(ms, signal)
      },
    }
    const { subject, opened } = sessions({ clock })
    await subject.use(PROFILE, numberOf)
    expect(asked).toEqual([{ unref: true }])
    await manual.advance(STORE_SESSION_IDLE_MS - 1)
    expect(opened[0]?.closed).toBe(false)
    // A call meanwhile starts the idle time again.
    await subject.use(PROFILE, numberOf)
    await manual.advance(STORE_SESSION_IDLE_MS - 1)
    expect(opened[0]?.closed).toBe(false)
    await manual.advance(1)
    await settle()
    expect(opened[0]?.closed).toBe(true)
    expect(subject.profileIds).toEqual([])
    expect(await subject.use(PROFILE, numberOf)).toBe(2)
  })

  it('never closes a session while a call uses it', async () => {
    const { subject, opened, clock } = sessions()
    let release = () => undefined as void
    const long = subject.use(PROFILE, (store) => {
      return new Promise<number>((resolve) => {
        release = () => resolve((store as FakeStore).number)
      })
    })
    await settle()
    await (clock as ManualClock).advance(STORE_SESSION_IDLE_MS * 2)
    const dropping = subject.drop(PROFILE.id)
    await dropping
    expect(opened[0]?.closed).toBe(false)
    release()
    expect(await long).toBe(1)
    await settle()
    expect(opened[0]?.closed).toBe(true)
  })

  it('drops the session when the profile is saved or its secret changes', async () => {
    const { subject, opened, secrets, openedWith } = sessions()
    await subject.use(PROFILE, numberOf)
    await subject.drop(PROFILE.id)
    expect(opened[0]?.closed).toBe(true)
    expect(await subject.use(PROFILE, numberOf)).toBe(2)
    // A secret changed elsewhere (another variable value, a key typed again): a new session.
    secrets.set(PROFILE.id, 'second secret')
    expect(await subject.use(PROFILE, numberOf)).toBe(3)
    await settle()
    expect(opened[1]?.closed).toBe(true)
    // A profile changed since the session opened: a new one too.
    const edited = { ...PROFILE, updatedAt: '2025-06-02T10:00:00.000Z' }
    expect(await subject.use(edited, numberOf)).toBe(4)
    expect(openedWith).toEqual(['first secret', 'first secret', 'second secret', 'second secret'])
    // A secret that went closes the session too, and the call fails for want of it.
    secrets.delete(PROFILE.id)
    await expect(subject.use(edited, numberOf)).rejects.toThrow('no secret')
    await settle()
    expect(opened[3]?.closed).toBe(true)
    expect(subject.profileIds).toEqual([])
  })

  it('opens a broken connection again, once, and keeps no store that failed to open', async () => {
    const { subject, opened } = sessions()
    await subject.use(PROFILE, numberOf)
    const lost = new StoreError('connection_lost', 'The connection to the database was lost.', {
      params: { reason: 'db_lost', host: '127.0.0.1', port: '3306' },
    })
    let calls = 0
    const result = await subject.use(PROFILE, async (store) => {
      calls += 1
      if ((store as FakeStore).number === 1) throw lost
      return numberOf(store)
    })
    expect(result).toBe(2)
    expect(calls).toBe(2)
    expect(opened[0]?.closed).toBe(true)
    // Broken twice: the error is the call's.
    await expect(subject.use(PROFILE, () => Promise.reject<number>(lost))).rejects.toBe(lost)
    expect(opened).toHaveLength(3)
    // Any other failure is the call's own, and the session stays.
    const other = new StoreError('query_failed', 'The database answered with an error: no.')
    await expect(subject.use(PROFILE, () => Promise.reject<number>(other))).rejects.toBe(other)
    expect(await subject.use(PROFILE, numberOf)).toBe(4)
    expect(opened).toHaveLength(4)

    let failing = true
    const failingSessions = sessions({ failOpen: () => failing })
    await expect(failingSessions.subject.use(PROFILE, numberOf)).rejects.toThrow('Wrong password.')
    expect(failingSessions.subject.profileIds).toEqual([])
    failing = false
    expect(await failingSessions.subject.use(PROFILE, numberOf)).toBe(1)
  })

  it('closes every session at shutdown, in use or not', async () => {
    const { subject, opened, secrets } = sessions()
    secrets.set(8, 'another secret')
    await subject.use(PROFILE, numberOf)
    await subject.use({ ...PROFILE, id: 8 }, numberOf)
    await subject.closeAll()
    expect(opened.map((store) => store.closed)).toEqual([true, true])
    expect(subject.profileIds).toEqual([])
  })
})
