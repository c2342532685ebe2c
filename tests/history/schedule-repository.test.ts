import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HistoryStore } from '../../main/core/history/history-store'
import {
  DEFAULT_SCHEDULE_OPTIONS,
  type ScheduleSettings,
} from '../../main/core/schedule/schedule-types'

const T0 = '2025-06-01T10:00:00.000Z'
const T1 = '2025-06-02T10:00:00.000Z'

let directory: string
let history: HistoryStore
let profileId: number

beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'purchase-sender-schedules-'))
  history = HistoryStore.open(path.join(directory, 'history.sqlite3'))
  profileId = history.profiles.create({
    name: 'Tienda',
    source: {
      kind: 'database',
      host: '127.0.0.1',
      port: 3306,
      user: 'prestashop',
      database: 'prestashop',
      tablePrefix: 'ps_',
      ssl: false,
      passwordEnv: 'PS_DB_PASSWORD',
    },
    connectif: { apiUrl: 'https://api.connectif.cloud', keyEnv: 'CONNECTIF_API_KEY' },
    shopIds: [],
    languageIso: null,
    defaultStateIds: [2],
  }).id
})

afterEach(async () => {
  history.close()
  await rm(directory, { recursive: true, force: true })
})

function settings(overrides: Partial<ScheduleSettings> = {}): ScheduleSettings {
  return {
    enabled: true,
    rule: { kind: 'every', hours: 6 },
    stateIds: null,
    days: 30,
    options: DEFAULT_SCHEDULE_OPTIONS,
    ...overrides,
  }
}

describe('the schedule repository', () => {
  it('saves, reads back and lists the schedules switched on', () => {
    const schedules = history.schedules
    expect(schedules.get(profileId)).toBeNull()
    expect(schedules.hasEnabled()).toBe(false)
    const saved = schedules.save(profileId, {
      settings: settings({
        rule: { kind: 'daily', time: '02:30' },
        stateIds: [2, 5],
        days: 7,
        options: { triggerWorkflows: true, createContacts: false, createProducts: true },
      }),
      timeZone: 'Europe/Madrid',
      now: T0,
    })
    expect(saved).toEqual({
      profileId,
      enabled: true,
      rule: { kind: 'daily', time: '02:30' },
      timeZone: 'Europe/Madrid',
      stateIds: [2, 5],
      days: 7,
      options: { triggerWorkflows: true, createContacts: false, createProducts: true },
      anchorAt: T0,
      lastSlotAt: null,
      lastRun: null,
      createdAt: T0,
      updatedAt: T0,
    })
    expect(schedules.get(profileId)).toEqual(saved)
    expect(schedules.listEnabled()).toEqual([saved])
    expect(schedules.hasEnabled()).toBe(true)
    schedules.save(profileId, { settings: settings({ enabled: false }), timeZone: null, now: T1 })
    expect(schedules.listEnabled()).toEqual([])
    expect(schedules.hasEnabled()).toBe(false)
  })

  it('keeps its anchor and last slot while its slots stay, and starts afresh otherwise', () => {
    const schedules = history.schedules
    const first = schedules.save(profileId, { settings: settings(), timeZone: null, now: T0 })
    expect(schedules.claimSlot(first, '2025-06-01T16:00:00.000Z')).toBe(true)
    // New statuses and options: same slots.
    const options = schedules.save(profileId, {
      settings: settings({ stateIds: [3] }),
      timeZone: null,
      now: T1,
    })
    expect(options).toMatchObject({ anchorAt: T0, lastSlotAt: '2025-06-01T16:00:00.000Z' })
    // Another period: afresh.
    const period = schedules.save(profileId, {
      settings: settings({ rule: { kind: 'every', hours: 2 } }),
      timeZone: null,
      now: T1,
    })
    expect(period).toMatchObject({ anchorAt: T1, lastSlotAt: null })
  })

  it('lets one claimant take a slot, and gives it back', () => {
    const schedules = history.schedules
    const read = schedules.save(profileId, { settings: settings(), timeZone: null, now: T0 })
    const slot = '2025-06-01T16:00:00.000Z'
    expect(schedules.claimSlot(read, slot)).toBe(true)
    // A second process that read the schedule before the claim loses.
    expect(schedules.claimSlot(read, slot)).toBe(false)
    schedules.releaseSlot(profileId, slot, null)
    expect(schedules.get(profileId)?.lastSlotAt).toBeNull()
    // A schedule changed since it was read is not claimed.
    schedules.save(profileId, { settings: settings({ enabled: false }), timeZone: null, now: T1 })
    expect(schedules.claimSlot(read, slot)).toBe(false)
  })

  it('records how the last run went', () => {
    const schedules = history.schedules
    schedules.save(profileId, { settings: settings(), timeZone: null, now: T0 })
    schedules.recordRun(profileId, {
      at: T1,
      outcome: 'failed_to_start',
      sendingId: null,
      error: { code: 'store_host_unreachable', message: 'Unreachable.', params: { host: 'x' } },
    })
    expect(schedules.get(profileId)?.lastRun).toEqual({
      at: T1,
      outcome: 'failed_to_start',
      sendingId: null,
      error: { code: 'store_host_unreachable', message: 'Unreachable.', params: { host: 'x' } },
    })
    schedules.recordRun(profileId, { at: T1, outcome: 'busy', sendingId: null, error: null })
    expect(schedules.get(profileId)?.lastRun).toEqual({
      at: T1,
      outcome: 'busy',
      sendingId: null,
      error: null,
    })
  })

  it('refuses a schedule for a profile that does not exist, and goes with its profile', () => {
    expect(() =>
      history.schedules.save(999, { settings: settings(), timeZone: null, now: T0 }),
    ).toThrow(expect.objectContaining({ code: 'profile_not_found' }))
    history.schedules.save(profileId, { settings: settings(), timeZone: null, now: T0 })
    history.profiles.remove(profileId)
    expect(history.schedules.get(profileId)).toBeNull()
  })
})
