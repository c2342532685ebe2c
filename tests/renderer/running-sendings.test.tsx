// @vitest-environment happy-dom
/**
 * Nothing of a running sending is lost: the app bar says how many run and opens the progress of
 * the one running (the history when several do), the history's row and the sending's page reopen
 * it after "Continue in background", a running sending's duration counts on; and a sending that
 * must be mended first offers no Resume, at start-up either, but says what to mend and where.
 */
import { act, cleanup, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { SendingView } from '../../preload/contract'
import { AppShell } from '../../renderer/components/AppShell'
import { runningSendings, runSeconds } from '../../renderer/components/progress/running-sendings'
import { appInfo, fakeApi, ok, profileView, sendingView } from './fake-api'
import { renderWithApp } from './render-with-app'

afterEach(() => {
  cleanup()
  vi.useRealTimers()
  window.location.hash = ''
})

const RUNNING = sendingView({
  id: 7,
  state: 'running',
  runningHere: true,
  expectedTotal: 120,
  startedAt: '2025-06-30T08:00:00.000Z',
  finishedAt: null,
  durationSeconds: 4,
})

const BLOCKED: SendingView = sendingView({
  id: 5,
  state: 'interrupted',
  blockedBy: {
    code: 'secret_missing',
    fix: 'secret_missing',
    profileId: 1,
    account: null,
    secret: 'connectifKey',
  },
})

describe('the sendings running', () => {
  it('are those running at start and those heard starting, less those heard finishing', () => {
    const latest = new Map([
      [3, { type: 'started', sendingId: 3, expectedTotal: 1 } as const],
      [2, { type: 'finished', sendingId: 2 } as never],
    ])
    expect(runningSendings([2, 4], { latest })).toEqual([3, 4])
  })

  it('count a running sending’s time on the screen’s clock, a finished one’s as recorded', () => {
    const now = Date.parse('2025-06-30T08:01:04.000Z')
    expect(runSeconds(RUNNING, now)).toBe(64)
    expect(runSeconds({ ...RUNNING, state: 'completed' }, now)).toBe(4)
  })

  it('show in the app bar, which opens the progress, reopened from the row and the page', async () => {
    const api = fakeApi({
      appInfo: () => Promise.resolve(ok(appInfo({ activeSendings: [7] }))),
      listProfiles: () => Promise.resolve(ok([profileView()])),
      listHistory: () => Promise.resolve(ok([RUNNING])),
      getSending: () => Promise.resolve(ok(RUNNING)),
    })
    const { user } = renderWithApp(<AppShell />, { api })
    const badge = await screen.findByRole('button', { name: '1 sending running — show progress' })
    await user.click(badge)
    const dialog = await screen.findByRole('dialog', { name: 'Sending #7 in progress' })
    await user.click(within(dialog).getByRole('button', { name: 'Continue in background' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())

    await user.click(screen.getByRole('tab', { name: 'Sending history' }))
    const row = await screen.findByRole('row', { name: 'Sending #7' })
    expect(row.textContent).toMatch(/Background · running for \d+ (min|h)/)
    await user.click(within(row).getByRole('button', { name: 'Show progress of sending #7' }))
    await screen.findByRole('dialog', { name: 'Sending #7 in progress' })
    await user.click(screen.getByRole('button', { name: 'Continue in background' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())

    await user.click(within(row).getByRole('link', { name: 'Open sending #7' }))
    const header = await screen.findByRole('region', { name: 'Sending #7' })
    await user.click(within(header).getByRole('button', { name: 'Show progress' }))
    await screen.findByRole('dialog', { name: 'Sending #7 in progress' })

    // It ends: nothing runs, nothing shows.
    act(() =>
      api.emit({
        type: 'finished',
        sendingId: 7,
        state: 'completed',
        counts: { total: 1, created: 1, alreadyExisted: 0, failed: 0, skipped: 0, pending: 0 },
        fatalError: null,
      }),
    )
    expect(screen.queryByRole('button', { name: /sending running/ })).toBeNull()
  })

  it('several running: the app bar opens the history', async () => {
    const api = fakeApi({
      appInfo: () => Promise.resolve(ok(appInfo({ activeSendings: [7, 8] }))),
    })
    const { user } = renderWithApp(<AppShell />, { api })
    await user.click(
      await screen.findByRole('button', { name: '2 sendings running — show them in the history' }),
    )
    expect(window.location.hash).toBe('#/history')
  })
})

describe('the sendings interrupted at start-up', () => {
  it('offer Resume only for those it can help; the others say what to mend, and where', async () => {
    const resumable = sendingView({ id: 6, state: 'interrupted', canResume: true })
    const api = fakeApi({
      appInfo: () => Promise.resolve(ok(appInfo({ interruptedAtStart: [5, 6] }))),
      getSending: (request) => Promise.resolve(ok(request.sendingId === 5 ? BLOCKED : resumable)),
      resumeSending: (request) => Promise.resolve(ok({ sendingId: request.sendingId })),
    })
    const { user } = renderWithApp(<AppShell />, { api })
    await screen.findByText(/^Sending #6 was interrupted when Purchase Sender last closed/)
    const note = screen.getByRole('note', { name: 'What to correct before sending #5 can go on' })
    expect(note.textContent).toContain('The profile lacks its Connectif API key.')
    expect(
      within(note).getByRole('link', { name: 'Correct the profile' }).getAttribute('href'),
    ).toBe('#/profiles/1')
    await user.click(screen.getByRole('button', { name: 'Resume' }))
    await waitFor(() => expect(api.requests('resumeSending')).toEqual([{ sendingId: 6 }]))
  })

  it('offer no Resume when none can be resumed yet', async () => {
    const api = fakeApi({
      appInfo: () => Promise.resolve(ok(appInfo({ interruptedAtStart: [5] }))),
      getSending: () => Promise.resolve(ok(BLOCKED)),
    })
    renderWithApp(<AppShell />, { api })
    await screen.findByRole('note', { name: 'What to correct before sending #5 can go on' })
    expect(screen.getByText('Sending #5 was interrupted and cannot be resumed yet:')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Resume' })).toBeNull()
    expect(screen.getByRole('button', { name: 'Later' })).toBeTruthy()
  })
})
