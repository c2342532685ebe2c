// @vitest-environment happy-dom
/**
 * The schedule dialog (renderer/components/schedule/ScheduleDialog.tsx) rendered for real over a
 * fake API: the defaults it offers, its checks in English and Spanish, the request Save sends,
 * and main's refusal shown; plus the profile card's lines about the schedule.
 */
import { cleanup, screen, within } from '@testing-library/react'
import type { UserEvent } from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import type {
  OrderStateView,
  ProfileScheduleView,
  ProfileView,
  ScheduleView,
  StoreLookup,
} from '../../preload/contract'
import { ScheduleDialog } from '../../renderer/components/schedule/ScheduleDialog'
import { ScheduleStatus } from '../../renderer/components/schedule/ScheduleStatus'
import en from '../../renderer/i18n/en.json'
import es from '../../renderer/i18n/es.json'
import { failure, fakeApi, ok, profileView, type FakeAnswers } from './fake-api'
import { describedBy, renderWithApp, type Language } from './render-with-app'

afterEach(cleanup)

function state(id: number, name: string): OrderStateView {
  return {
    id,
    name,
    color: '#32cd32',
    paid: true,
    logable: true,
    shipped: false,
    hidden: false,
    deleted: false,
    cancelled: false,
  }
}

const LOOKUP: StoreLookup = {
  version: '1.7.8.7',
  defaultShopId: 1,
  timezone: 'Europe/Madrid',
  shops: [],
  languages: [],
  currencies: [],
  languageId: 1,
  orderDays: null,
  states: [state(2, 'Payment accepted'), state(4, 'Shipped'), state(5, 'Delivered')],
}

const UNSAVED: ScheduleView = {
  profileId: 1,
  saved: false,
  settings: {
    enabled: false,
    rule: { kind: 'daily', time: '03:00' },
    stateIds: null,
    days: 30,
    options: { triggerWorkflows: false, createContacts: true, createProducts: true },
  },
  enabled: false,
  rule: { kind: 'daily', time: '03:00' },
  timeZone: null,
  summary: 'Off (daily at 03:00)',
  lastRun: null,
  nextRunAt: null,
}

function open(
  options: {
    profile?: ProfileView
    schedule?: ScheduleView
    language?: Language
    answers?: FakeAnswers
  } = {},
) {
  const saved: ScheduleView[] = []
  const api = fakeApi({
    getSchedule: () => Promise.resolve(ok(options.schedule ?? UNSAVED)),
    lookupStore: () => Promise.resolve(ok(LOOKUP)),
    saveSchedule: (request) =>
      Promise.resolve(ok({ ...UNSAVED, saved: true, enabled: request.schedule.enabled })),
    ...options.answers,
  })
  const profile = options.profile ?? profileView({ defaultStateIds: [2, 4] })
  const rendered = renderWithApp(
    <ScheduleDialog
      profile={profile}
      onClose={() => undefined}
      onSaved={(schedule) => saved.push(schedule)}
    />,
    { api, language: options.language ?? 'en' },
  )
  const texts = (options.language ?? 'en') === 'en' ? en : es
  const dialog = screen.getByRole('dialog', {
    name: texts.schedule.title.replace('{{name}}', profile.name),
  })
  return { ...rendered, dialog, saved, texts }
}

async function fill(user: UserEvent, input: HTMLElement, text: string): Promise<void> {
  await user.clear(input)
  if (text !== '') await user.paste(text)
}

describe('the schedule dialog', () => {
  it("offers a new schedule switched on, daily, with the profile's default statuses", async () => {
    const { dialog, user, api, saved } = open()
    const enabled = await within(dialog).findByRole('switch', { name: en.schedule.enabled })
    expect((enabled as HTMLInputElement).checked).toBe(true)
    expect(
      within(dialog).getByRole<HTMLInputElement>('radio', { name: en.schedule.daily }).checked,
    ).toBe(true)
    const time = within(dialog).getByRole<HTMLInputElement>('textbox', { name: en.schedule.time })
    expect(time.value).toBe('03:00')
    // The shop's zone, read from the store.
    expect(await within(dialog).findByText("On the shop's clock (Europe/Madrid).")).toBeTruthy()
    expect(
      within(dialog).getByRole<HTMLInputElement>('radio', {
        name: "The profile's default statuses (2)",
      }).checked,
    ).toBe(true)

    await fill(user, time, '02:30')
    await user.click(within(dialog).getByRole('button', { name: en.schedule.save }))
    await expect.poll(() => saved.length).toBe(1)
    expect(api.requests('saveSchedule')).toEqual([
      {
        profileId: 1,
        schedule: {
          enabled: true,
          rule: { kind: 'daily', time: '02:30' },
          stateIds: null,
          days: 30,
          options: { triggerWorkflows: false, createContacts: true, createProducts: true },
        },
      },
    ])
  })

  it('sets every N hours, chosen statuses, days and options', async () => {
    const { dialog, user, api, saved } = open()
    await user.click(await within(dialog).findByRole('radio', { name: en.schedule.every }))
    await fill(user, within(dialog).getByRole('textbox', { name: en.schedule.hours }), '4')
    await fill(user, within(dialog).getByRole('textbox', { name: en.schedule.days }), '7')
    await user.click(within(dialog).getByRole('radio', { name: en.schedule.chooseStates }))
    // The profile's defaults are ticked to start with.
    const shipped = await within(dialog).findByRole<HTMLInputElement>('checkbox', {
      name: 'Shipped',
    })
    expect(shipped.checked).toBe(true)
    await user.click(shipped)
    await user.click(within(dialog).getByRole('checkbox', { name: 'Delivered' }))
    await user.click(within(dialog).getByRole('switch', { name: en.schedule.workflows }))
    await user.click(within(dialog).getByRole('switch', { name: en.wizard.createProducts }))
    await user.click(within(dialog).getByRole('button', { name: en.schedule.save }))
    await expect.poll(() => saved.length).toBe(1)
    expect(api.requests('saveSchedule')[0]).toEqual({
      profileId: 1,
      schedule: {
        enabled: true,
        rule: { kind: 'every', hours: 4 },
        stateIds: [2, 5],
        days: 7,
        options: { triggerWorkflows: true, createContacts: true, createProducts: false },
      },
    })
  })

  it('says what is wrong on the field, in Spanish too, and sends nothing', async () => {
    for (const language of ['en', 'es'] as const) {
      const { dialog, user, api, texts } = open({ language })
      await user.click(await within(dialog).findByRole('radio', { name: texts.schedule.every }))
      const hours = within(dialog).getByRole('textbox', { name: texts.schedule.hours })
      await fill(user, hours, '25')
      const days = within(dialog).getByRole('textbox', { name: texts.schedule.days })
      await fill(user, days, '0')
      await user.click(within(dialog).getByRole('radio', { name: texts.schedule.chooseStates }))
      for (const name of ['Payment accepted', 'Shipped'])
        await user.click(await within(dialog).findByRole('checkbox', { name }))
      await user.click(within(dialog).getByRole('button', { name: texts.schedule.save }))
      await expect.poll(() => hours.getAttribute('aria-invalid')).toBe('true')
      expect(describedBy(hours)).toBe(
        texts.schedule.hoursInvalid.replace('{{min}}', '1').replace('{{max}}', '24'),
      )
      expect(describedBy(days)).toBe(
        texts.schedule.daysInvalid.replace('{{min}}', '1').replace('{{max}}', '365'),
      )
      expect(within(dialog).getByText(texts.schedule.statesRequired)).toBeTruthy()
      expect(api.requests('saveSchedule')).toEqual([])
      cleanup()
    }
  })

  it('refuses a time that is not HH:mm', async () => {
    const { dialog, user, api } = open()
    const time = await within(dialog).findByRole('textbox', { name: en.schedule.time })
    await fill(user, time, '7pm')
    await user.click(within(dialog).getByRole('button', { name: en.schedule.save }))
    await expect.poll(() => time.getAttribute('aria-invalid')).toBe('true')
    expect(describedBy(time)).toBe(en.schedule.timeInvalid)
    expect(api.requests('saveSchedule')).toEqual([])
  })

  it('shows a saved schedule, switches it off, and shows main refusing', async () => {
    const schedule: ScheduleView = {
      ...UNSAVED,
      saved: true,
      settings: { ...UNSAVED.settings, enabled: true, rule: { kind: 'every', hours: 6 } },
      enabled: true,
      rule: { kind: 'every', hours: 6 },
    }
    const { dialog, user, api } = open({
      schedule,
      language: 'es',
      answers: {
        saveSchedule: () =>
          Promise.resolve(
            failure({
              code: 'store_host_unreachable',
              message: 'The store could not be read.',
            }),
          ),
      },
    })
    const hours = await within(dialog).findByRole<HTMLInputElement>('textbox', {
      name: es.schedule.hours,
    })
    expect(hours.value).toBe('6')
    await user.click(within(dialog).getByRole('switch', { name: es.schedule.enabled }))
    await user.click(within(dialog).getByRole('button', { name: es.schedule.save }))
    await expect.poll(() => api.requests('saveSchedule').length).toBe(1)
    expect(api.requests('saveSchedule')[0]?.schedule).toMatchObject({
      enabled: false,
      rule: { kind: 'every', hours: 6 },
    })
    expect(await within(dialog).findByRole('alert')).toBeTruthy()
  })

  it('for a profile without default statuses, asks to choose them', async () => {
    const { dialog } = open({ profile: profileView({ defaultStateIds: [] }) })
    const defaults = await within(dialog).findByRole<HTMLInputElement>('radio', {
      name: en.schedule.defaultStates,
    })
    expect(defaults.disabled).toBe(true)
    expect(
      within(dialog).getByRole<HTMLInputElement>('radio', { name: en.schedule.chooseStates })
        .checked,
    ).toBe(true)
    expect(within(dialog).getByText(en.schedule.noDefaultStates)).toBeTruthy()
  })
})

describe("a profile card's schedule lines", () => {
  const base: ProfileScheduleView = {
    enabled: true,
    rule: { kind: 'daily', time: '02:30' },
    timeZone: 'Europe/Madrid',
    summary: 'Daily at 02:30 (Europe/Madrid)',
    lastRun: null,
    nextRunAt: '2025-06-02T00:30:00.000Z',
  }
  const NOW = Date.parse('2025-06-01T12:00:00.000Z')

  it('say when, the next run and the last run', () => {
    renderWithApp(
      <ScheduleStatus
        now={NOW}
        schedule={{
          ...base,
          lastRun: {
            at: '2025-06-01T00:30:00.000Z',
            outcome: 'started',
            sendingId: 12,
            state: 'completed_with_errors',
            error: null,
          },
        }}
      />,
      { api: fakeApi() },
    )
    expect(screen.getByText('Automatic sending: daily at 02:30 (Europe/Madrid)')).toBeTruthy()
    expect(screen.getByText(/^Next run: /)).toBeTruthy()
    expect(screen.getByText(/^Last run: .*, sending #12: Completed with errors$/)).toBeTruthy()
  })

  it('say a busy or failed run, and "now" when a run is due', () => {
    const { rerender } = renderWithApp(
      <ScheduleStatus
        now={Date.parse('2025-06-03T00:00:00.000Z')}
        schedule={{
          ...base,
          rule: { kind: 'every', hours: 1 },
          lastRun: {
            at: '2025-06-01T00:30:00.000Z',
            outcome: 'busy',
            sendingId: null,
            state: null,
            error: null,
          },
        }}
      />,
      { api: fakeApi(), language: 'es' },
    )
    expect(screen.getByText('Envío automático: cada hora')).toBeTruthy()
    expect(screen.getByText(es.schedule.nextRunNow)).toBeTruthy()
    expect(screen.getByText(/omitida: había otro envío de este perfil en curso$/)).toBeTruthy()
    rerender(<ScheduleStatus now={NOW} schedule={null} />)
    expect(screen.getByText(es.schedule.summaryOff)).toBeTruthy()
  })
})
