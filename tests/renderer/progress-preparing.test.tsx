// @vitest-environment happy-dom
/**
 * The progress window's preparing step (renderer/components/progress/PreparingStep.tsx): what a
 * sending that creates missing contacts and products says while it reads its range and imports
 * them, with the counts it had kept, and the notices of imports that fell back to creating them
 * one by one, which stay for the rest of the window's life (from the history too).
 */
import { cleanup, render, screen, within } from '@testing-library/react'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ImportView, SendingEvent, SendingView } from '../../preload/contract'
import {
  addSendingEvent,
  NO_SENDING_EVENTS,
  SendingEventsContext,
} from '../../renderer/api/sending-events'
import { ProgressDialog } from '../../renderer/components/ProgressDialog'
import { giveChartsRoom } from './chart-room'
import { fakeApi, ok, sendingView } from './fake-api'
import { AppProviders, createI18n, type Language } from './render-with-app'

afterEach(cleanup)
// The pace chart shows once progress is heard.
let undoRoom: () => void
beforeAll(() => {
  undoRoom = giveChartsRoom()
})
afterAll(() => undoRoom())

const COUNTS = { total: 100, created: 0, alreadyExisted: 0, failed: 0, skipped: 0, pending: 100 }

function progress(sendingId: number, created: number): SendingEvent {
  return {
    type: 'progress',
    sendingId,
    expectedTotal: 100,
    counts: { ...COUNTS, created, pending: 100 - created },
    perMinute: 120,
    etaSeconds: 60,
    waiting: null,
  }
}

const NOT_ALLOWED = {
  code: 'imports_not_allowed',
  message:
    'The API key lacks the Imports permission (403). Missing contacts are created one by one while sending instead (slower). Give the key the Imports permission to create them in bulk.',
  params: { account: 'main', type: 'contacts', httpStatus: '403' },
} as const

/**
 * The window over a fake history holding `sending`; `push` hands it events as AppShell keeps
 * them (renderer/api/sending-events.ts), so what a preparing event must not make it forget is
 * kept as in the app.
 */
function openDialog(sending: SendingView, language: Language = 'en') {
  const api = fakeApi({ listHistory: () => Promise.resolve(ok([sending])) })
  const i18n = createI18n(language)
  let events = NO_SENDING_EVENTS
  const dialog = () => (
    <AppProviders api={api} i18n={i18n}>
      <SendingEventsContext.Provider value={events}>
        <ProgressDialog
          sendingId={sending.id}
          onClose={() => undefined}
          onOpenHistory={() => undefined}
        />
      </SendingEventsContext.Provider>
    </AppProviders>
  )
  const rendered = render(dialog())
  return {
    push: (...heard: SendingEvent[]) => {
      for (const event of heard) events = addSendingEvent(events, event)
      rendered.rerender(dialog())
    },
  }
}

/** The line of the step under way (the charts have a live region of their own). */
const step = () =>
  screen.getByRole('status', { name: /^(Preparing the sending|Preparación del envío)$/ })

const count = (name: string) =>
  within(screen.getByRole('group', { name })).getByRole('definition').textContent

const running = (overrides: Partial<SendingView> = {}) =>
  sendingView({ id: 31, state: 'running', expectedTotal: 100, ...overrides })

describe('the progress window while a sending prepares', () => {
  it('says how far it read the range', async () => {
    const { push } = openDialog(running())
    await screen.findByText('0 of 100 orders processed')
    push({ type: 'preparing', sendingId: 31, step: 'reading', count: 1204, total: 5000 })
    expect(step().getAttribute('aria-live')).toBe('polite')
    expect(step().textContent).toBe('Reading the orders of the range: 1,204 of 5,000…')
  })

  it('says what it imports, keeping the counts it had, and says how the import goes', async () => {
    const { push } = openDialog(running())
    await screen.findByText('0 of 100 orders processed')
    push(progress(31, 30))
    expect(count('Created')).toBe('30')
    expect(screen.getByText(/orders per minute/)).toBeTruthy()

    push({ type: 'preparing', sendingId: 31, step: 'importing', what: 'contacts', count: 1204 })
    expect(step().textContent).toBe('Importing 1,204 contacts into Connectif…')
    // Not forgotten: the counts are still those of the last progress event.
    expect(count('Created')).toBe('30')
    expect(screen.getByText('30 of 100 orders processed')).toBeTruthy()
    // No order is sent while it prepares: no pace, no estimate.
    expect(screen.queryByText(/orders per minute/)).toBeNull()

    push({
      type: 'preparing',
      sendingId: 31,
      step: 'importing',
      what: 'contacts',
      count: 1204,
      status: 'queued',
    })
    expect(step().textContent).toBe('Importing 1,204 contacts into Connectif… (queued)')
    push({
      type: 'preparing',
      sendingId: 31,
      step: 'importing',
      what: 'products',
      count: 1,
      status: 'inProgress',
      done: 600,
    })
    expect(step().textContent).toBe('Importing 1 product into Connectif… (in progress: 600 done)')

    // Sending from now on: the line goes, the counts move on.
    push(progress(31, 40))
    expect(step().textContent).toBe('')
    expect(count('Created')).toBe('40')
  })

  it('names the account of a routed sending’s import, in Spanish too', async () => {
    const { push } = openDialog(running(), 'es')
    await screen.findByText('0 de 100 pedidos procesados')
    push({
      type: 'preparing',
      sendingId: 31,
      step: 'importing',
      what: 'contacts',
      count: 1204,
      account: 'lang=es,currency=EUR',
      status: 'inProgress',
      done: 600,
    })
    expect(step().textContent).toBe(
      // Spanish groups thousands from 10.000 on.
      'Importando 1204 contactos en la cuenta de español · EUR… (en curso, procesados: 600)',
    )
    push({
      type: 'preparing',
      sendingId: 31,
      step: 'importing',
      what: 'products',
      count: 5,
      account: 'main',
    })
    expect(step().textContent).toBe('Importando 5 productos en la cuenta principal…')
  })
})

describe('the notices of the preparing step', () => {
  it('keeps each notice, once, for the rest of the window’s life', async () => {
    const { push } = openDialog(running())
    await screen.findByText('0 of 100 orders processed')
    push(
      { type: 'preparing', sendingId: 31, step: 'importing', what: 'contacts', count: 1204 },
      // Said at once, and followed at once by the next step: both in one render.
      {
        type: 'preparing',
        sendingId: 31,
        step: 'importing',
        what: 'contacts',
        count: 1204,
        notice: NOT_ALLOWED,
      },
      { type: 'preparing', sendingId: 31, step: 'importing', what: 'products', count: 80 },
    )
    expect(step().textContent).toBe('Importing 80 products into Connectif…')
    const texts = () => screen.queryAllByRole('alert').map((alert) => alert.textContent)
    expect(texts()).toEqual([
      'The key lacks the Imports permission: missing contacts and products will be created one at a time, which is slower. Give it that permission in Connectif to create them in bulk.',
    ])
    // The same refusal recorded for the products: still one warning.
    push({
      type: 'preparing',
      sendingId: 31,
      step: 'importing',
      what: 'products',
      count: 80,
      notice: NOT_ALLOWED,
    })
    expect(texts()).toHaveLength(1)

    push(progress(31, 10), progress(31, 20))
    expect(count('Created')).toBe('20')
    expect(texts()).toHaveLength(1)
    push({
      type: 'finished',
      sendingId: 31,
      state: 'completed',
      counts: { ...COUNTS, created: 100, pending: 0 },
      fatalError: null,
    })
    expect(await screen.findByRole('heading', { name: 'Sending #31 completed' })).toBeTruthy()
    expect(texts()).toHaveLength(1)
  })

  it('translates each code with its account, and says the English message of an unknown one', async () => {
    const { push } = openDialog(running(), 'es')
    await screen.findByText('0 de 100 pedidos procesados')
    push(
      {
        type: 'preparing',
        sendingId: 31,
        step: 'importing',
        what: 'products',
        count: 80,
        account: 'lang=es',
        notice: {
          code: 'import_timeout',
          message:
            "Connectif's import of products of the Connectif account lang=es did not finish…",
          params: { account: 'lang=es', type: 'products', importId: 'imp-1' },
        },
      },
      {
        type: 'preparing',
        sendingId: 31,
        step: 'importing',
        what: 'contacts',
        count: 3,
        notice: { code: 'import_lost_in_space', message: 'Something new happened.', params: {} },
      },
    )
    expect(screen.getAllByRole('alert').map((alert) => alert.textContent)).toEqual([
      'Español, cualquier moneda: La importación de productos no terminó en Connectif en el tiempo que el envío espera a cada una: los que falten se crean de uno en uno durante el envío, más despacio.',
      'Something new happened.',
    ])
  })

  it('shows those the history recorded when the window opens, heard again only once', async () => {
    const record: ImportView = {
      target: 'main',
      type: 'contacts',
      part: 1,
      parts: 1,
      items: 1204,
      status: 'not_created',
      total: null,
      success: null,
      errors: null,
      notice: { ...NOT_ALLOWED, code: 'imports_not_allowed' },
      createdAt: '2025-06-30T08:00:02.000Z',
      finishedAt: '2025-06-30T08:00:02.000Z',
    }
    const finished: ImportView = {
      ...record,
      type: 'products',
      items: 80,
      status: 'finished',
      total: 80,
      success: 80,
      errors: 0,
      notice: null,
    }
    const { push } = openDialog(running({ imports: [record, finished] }))
    expect(
      await screen.findByText(/^The key lacks the Imports permission: missing contacts/),
    ).toBeTruthy()
    push({
      type: 'preparing',
      sendingId: 31,
      step: 'importing',
      what: 'contacts',
      count: 1204,
      notice: NOT_ALLOWED,
    })
    expect(screen.getAllByRole('alert')).toHaveLength(1)
  })
})
