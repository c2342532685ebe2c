// @vitest-environment happy-dom
/**
 * Issue 16, keyboard and screen readers, screen by screen: the progress window reads out how far
 * a sending got at most every 5 s (not its counts ten times a second), closes with Escape, and
 * its rate-limit wait is no alert; a sending's page says when a sending it follows ends; the
 * results chart's numbers are a table a key press away; the history's "See the error" opens by
 * keyboard.
 */
import { act, cleanup, render, screen, within } from '@testing-library/react'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { SendingEvent, SendingView } from '../../preload/contract'
import {
  addSendingEvent,
  NO_SENDING_EVENTS,
  SendingEventsContext,
} from '../../renderer/api/sending-events'
import { AppShell } from '../../renderer/components/AppShell'
import { ProgressDialog } from '../../renderer/components/ProgressDialog'
import { ResultsChart } from '../../renderer/components/sending-page/ResultsChart'
import { SendingHeader } from '../../renderer/components/sending-page/SendingHeader'
import { giveChartsRoom } from './chart-room'
import { fakeApi, ok, profileView, sendingView } from './fake-api'
import { AppProviders, createI18n, renderWithApp } from './render-with-app'

afterEach(() => {
  cleanup()
  vi.useRealTimers()
})
let undoRoom: () => void
beforeAll(() => {
  undoRoom = giveChartsRoom()
})
afterAll(() => undoRoom())

const RUNNING = sendingView({ id: 31, state: 'running', expectedTotal: 500 })

function progress(created: number, waiting = false): SendingEvent {
  return {
    type: 'progress',
    sendingId: 31,
    expectedTotal: 500,
    counts: {
      total: 500,
      created,
      alreadyExisted: 0,
      failed: 0,
      skipped: 0,
      pending: 500 - created,
    },
    perMinute: 600,
    etaSeconds: (500 - created) / 10,
    waiting: waiting ? { untilMs: Date.now() + 1_000 } : null,
  } as SendingEvent
}

/** The progress window over a fake history; `push` hands it events as AppShell keeps them. */
function openDialog(onClose = () => undefined) {
  const api = fakeApi({ listHistory: () => Promise.resolve(ok([RUNNING])) })
  const i18n = createI18n('en')
  let events = NO_SENDING_EVENTS
  const dialog = () => (
    <AppProviders api={api} i18n={i18n}>
      <SendingEventsContext.Provider value={events}>
        <ProgressDialog sendingId={31} onClose={onClose} onOpenHistory={() => undefined} />
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

const announced = () =>
  screen.getByRole('status', { name: 'Sending progress updates' }).textContent ?? ''

describe('the progress window, for screen readers and keyboards', () => {
  it('reads out how far it got at most every 5 s, politely', async () => {
    const { push } = openDialog()
    await screen.findByText('0 of 500 orders processed')
    const region = screen.getByRole('status', { name: 'Sending progress updates' })
    expect(region.getAttribute('aria-live')).toBe('polite')

    // Said once the history answered; a quiet while later, the next change is said at once.
    expect(announced()).toBe('0% done: 0 of 500 orders processed.')
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    act(() => {
      vi.advanceTimersByTime(5_000)
    })
    push(progress(10))
    expect(announced()).toBe('2% done: 10 of 500 orders processed, about 49 s left.')
    // An event every 490 ms for 4.9 s (as often as ten a second): shown at once, read out not yet.
    for (let created = 11; created <= 20; created++) {
      act(() => {
        vi.advanceTimersByTime(490)
      })
      push(progress(created))
    }
    expect(screen.getByText('20 of 500 orders processed')).toBeTruthy()
    expect(announced()).toBe('2% done: 10 of 500 orders processed, about 49 s left.')
    act(() => {
      vi.advanceTimersByTime(100)
    })
    expect(announced()).toBe('4% done: 20 of 500 orders processed, about 48 s left.')
  })

  it('says the rate-limit wait in its announcement, not as an alert', async () => {
    const { push } = openDialog()
    await screen.findByText('0 of 500 orders processed')
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    push(progress(10, true))
    expect(screen.queryByRole('alert')).toBeNull()
    expect(screen.getByRole('note').textContent).toMatch(/^Waiting for Connectif's rate limit/)
    act(() => {
      vi.advanceTimersByTime(5_000)
    })
    expect(announced()).toMatch(/left\. Waiting for Connectif's rate limit/)
  })

  it('closes with Escape: the sending goes on in the background', async () => {
    const onClose = vi.fn()
    openDialog(onClose)
    await screen.findByText('0 of 500 orders processed')
    const dialog = screen.getByRole('dialog')
    // MUI moves the focus into the window.
    expect(dialog.contains(document.activeElement)).toBe(true)
    act(() => {
      document.activeElement?.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }),
      )
    })
    expect(onClose).toHaveBeenCalledTimes(1)
  })
})

describe("a sending's page, for screen readers", () => {
  it('says at once that the sending it follows ended, and how', () => {
    const i18n = createI18n('en')
    const header = (sending: SendingView) => (
      <AppProviders api={fakeApi()} i18n={i18n}>
        <SendingHeader sending={sending} busy={false} onAction={() => undefined} />
      </AppProviders>
    )
    const rendered = render(header(RUNNING))
    const region = () => screen.getByRole('status', { name: 'Sending progress updates' })
    expect(region().getAttribute('aria-live')).toBe('polite')
    rendered.rerender(header({ ...RUNNING, state: 'completed' }))
    expect(region().textContent).toBe('Sending #31 is over: Completed.')
  })
})

describe('the results chart, by keyboard', () => {
  it('shows its numbers as a table, a key press away', async () => {
    const { user } = renderWithApp(
      <ResultsChart
        timeline={{
          bucketSeconds: 60,
          buckets: [
            { at: '2025-06-30T08:00:00.000Z', created: 3, alreadyExisted: 1, failed: 0 },
            { at: '2025-06-30T08:01:00.000Z', created: 5, alreadyExisted: 0, failed: 2 },
          ],
        }}
      />,
    )
    const toggle = screen.getByRole('button', { name: 'Show the numbers' })
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    // The chart is a stop of its own (MUI X's keyboard navigation), then its button.
    await user.tab()
    expect(document.activeElement?.closest('.MuiChartsSurface-root')).not.toBeNull()
    await user.tab()
    expect(document.activeElement).toBe(toggle)
    await user.keyboard('{Enter}')
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    const table = screen.getByRole('table', { name: 'Results over time' })
    const rows = within(table).getAllByRole('row')
    expect(rows.map((row) => row.textContent)).toEqual([
      'Answered fromCreatedAlready existedFailed',
      expect.stringMatching(/^Jun 30, 2025.*3 ?1 ?0$/),
      expect.stringMatching(/^Jun 30, 2025.*5 ?0 ?2$/),
    ])
    await user.keyboard('{Enter}')
    expect(screen.queryByRole('table')).toBeNull()
  })
})

describe('the history, by keyboard', () => {
  it('shows a failed sending’s error in its row; what to mend first, with its error a press away', async () => {
    const api = fakeApi({
      listProfiles: () => Promise.resolve(ok([profileView()])),
      listHistory: () =>
        Promise.resolve(
          ok([
            sendingView({
              id: 9,
              state: 'failed',
              fatalError: { code: 'some_new_code', message: 'The store went away.' },
            }),
            sendingView({
              id: 10,
              state: 'failed',
              fatalError: {
                code: 'connectif_unauthorized',
                message: "Connectif refused the main account's API key (401): Unauthorized.",
              },
              blockedBy: {
                code: 'connectif_unauthorized',
                fix: 'connectif_key',
                profileId: 1,
                account: 'main',
              },
            }),
          ]),
        ),
    })
    const { user } = renderWithApp(<AppShell />, { api })
    await user.click(await screen.findByRole('tab', { name: 'Sending history' }))
    // Nothing to mend first: the error itself, in sight.
    const failed = await screen.findByRole('row', { name: 'Sending #9' })
    expect(within(failed).getByText('The store went away.').hidden).toBe(false)
    expect(within(failed).queryByRole('button', { name: 'See the error' })).toBeNull()

    // A refused key: what to mend and where, in sight; Connectif's words open with Enter.
    const blocked = screen.getByRole('row', { name: 'Sending #10' })
    const note = within(blocked).getByRole('note', {
      name: 'What to correct before sending #10 can go on',
    })
    expect(note.textContent).toContain('Connectif refused the API key of the main account.')
    expect(
      within(note).getByRole('link', { name: 'Correct the profile' }).getAttribute('href'),
    ).toBe('#/profiles/1')
    const see = within(blocked).getByRole('button', { name: 'See the error' })
    expect(see.getAttribute('aria-expanded')).toBe('false')
    const error = within(blocked).getByText(/^Connectif refused the main account's API key/)
    expect(error.hidden).toBe(true)
    expect(see.getAttribute('aria-controls')).toBe(error.id)
    see.focus()
    await user.keyboard('{Enter}')
    expect(see.getAttribute('aria-expanded')).toBe('true')
    expect(see.textContent).toBe('Hide the error')
    expect(error.hidden).toBe(false)
  })
})
