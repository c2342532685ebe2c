// @vitest-environment happy-dom
/**
 * The progress window's chart of requests per minute against the Connectif account's limit
 * (renderer/components/progress/): the pace each progress event reports, kept while the window is
 * open, drawn with a dashed line at the sending's rate limit and said in a sentence; and how the
 * record of a long sending stays small.
 */
import { cleanup, render, screen, within } from '@testing-library/react'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { SendingEvent, SendingView } from '../../preload/contract'
import { SendingEventsContext } from '../../renderer/api/sending-events'
import { ProgressDialog } from '../../renderer/components/ProgressDialog'
import {
  addRateSample,
  MAX_SAMPLES,
  NO_SAMPLES,
  type RateSamples,
} from '../../renderer/components/progress/rate-samples'
import { giveChartsRoom } from './chart-room'
import { fakeApi, ok, sendingView } from './fake-api'
import { AppProviders, createI18n, type Language } from './render-with-app'

afterEach(cleanup)
let undoRoom: () => void
beforeAll(() => {
  undoRoom = giveChartsRoom()
})
afterAll(() => undoRoom())

const COUNTS = { total: 100, created: 0, alreadyExisted: 0, failed: 0, skipped: 0, pending: 100 }

function progress(sendingId: number, perMinute: number, created: number): SendingEvent {
  return {
    type: 'progress',
    sendingId,
    expectedTotal: 100,
    counts: { ...COUNTS, created, pending: 100 - created },
    perMinute,
    etaSeconds: 60,
    waiting: null,
  }
}

/** The window over a fake history holding `sending`; `push` hands it the sending's next event. */
function openDialog(sending: SendingView, language: Language = 'en') {
  const api = fakeApi({ listHistory: () => Promise.resolve(ok([sending])) })
  const i18n = createI18n(language)
  let version = 0
  const dialog = (event: SendingEvent | null) => (
    <AppProviders api={api} i18n={i18n}>
      <SendingEventsContext.Provider
        value={{ latest: new Map(event ? [[sending.id, event]] : []), version: ++version }}
      >
        <ProgressDialog
          sendingId={sending.id}
          onClose={() => undefined}
          onOpenHistory={() => undefined}
        />
      </SendingEventsContext.Provider>
    </AppProviders>
  )
  const rendered = render(dialog(null))
  return { push: (event: SendingEvent) => rendered.rerender(dialog(event)) }
}

describe('the progress window’s pace chart', () => {
  it('draws the requests per minute against the account’s limit', async () => {
    const running = sendingView({
      id: 21,
      state: 'running',
      expectedTotal: 100,
      options: { ...sendingView().options, rateLimit: 300 },
    })
    const { push } = openDialog(running)
    await screen.findByText('0 of 100 orders processed')
    // No pace heard yet: no chart.
    expect(screen.queryByRole('figure')).toBeNull()

    push(progress(21, 120, 10))
    const chart = await screen.findByRole('figure', { name: 'Requests per minute' })
    expect(
      within(chart).getByText("120 requests a minute now; the account's limit is 300."),
    ).toBeTruthy()
    push(progress(21, 290, 40))
    expect(
      await within(chart).findByText("290 requests a minute now; the account's limit is 300."),
    ).toBeTruthy()
    // The pace is a line; the limit a dashed reference line, labelled.
    expect(chart.querySelector('.MuiLineChart-line, path[data-series="per-minute"]')).not.toBeNull()
    const reference = chart.querySelector('.MuiChartsReferenceLine-root')
    expect(reference?.textContent).toBe('Limit: 300/min')
    expect(reference?.querySelector('path')?.getAttribute('style')).toMatch(/stroke-dasharray/)
  })

  it('names the limit of each account for a routed sending, in Spanish too', async () => {
    const routed = sendingView({
      id: 22,
      state: 'running',
      expectedTotal: 100,
      options: { ...sendingView().options, rateLimit: 200 },
      byTarget: [
        { target: 'main', counts: COUNTS },
        { target: 'lang=es', counts: COUNTS },
      ],
    })
    openDialog(routed, 'es').push(progress(22, 350, 30))
    const chart = await screen.findByRole('figure', { name: 'Peticiones por minuto' })
    expect(
      await within(chart).findByText(
        '350 peticiones por minuto ahora, entre todas las cuentas; el límite de cada cuenta es 200.',
      ),
    ).toBeTruthy()
    expect(chart.querySelector('.MuiChartsReferenceLine-root')?.textContent).toBe(
      'Límite de cada cuenta: 200/min',
    )
  })
})

describe('the record of the pace', () => {
  it('keeps a sample every few seconds, the latest pace in the last one', () => {
    let record: RateSamples = NO_SAMPLES
    record = addRateSample(record, { at: 0, perMinute: 10 })
    record = addRateSample(record, { at: 500, perMinute: 20 })
    record = addRateSample(record, { at: 2_000, perMinute: 30 })
    expect(record.samples).toEqual([
      { at: 0, perMinute: 20 },
      { at: 2_000, perMinute: 30 },
    ])
  })

  it('thins a long sending’s record instead of growing it', () => {
    let record: RateSamples = NO_SAMPLES
    for (let index = 0; index <= MAX_SAMPLES; index++)
      record = addRateSample(record, { at: index * 2_000, perMinute: index })
    expect(record.samples.length).toBe(MAX_SAMPLES / 2 + 1)
    expect(record.gapMs).toBe(4_000)
    // The first and the latest samples stay.
    expect(record.samples[0]).toEqual({ at: 0, perMinute: 0 })
    expect(record.samples.at(-1)).toEqual({ at: MAX_SAMPLES * 2_000, perMinute: MAX_SAMPLES })
    for (let index = 0; index < 10 * MAX_SAMPLES; index++)
      record = addRateSample(record, { at: (MAX_SAMPLES + 1 + index) * 2_000, perMinute: 1 })
    expect(record.samples.length).toBeLessThanOrEqual(MAX_SAMPLES)
  })
})
