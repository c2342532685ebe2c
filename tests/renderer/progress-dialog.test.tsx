// @vitest-environment happy-dom
/**
 * The progress window (renderer/components/ProgressDialog.tsx) of a skip-sent sending: beside its
 * counts, how many orders of the range it left out as already sent, which its total leaves out.
 */
import { cleanup, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { SendingView } from '../../preload/contract'
import { ProgressDialog } from '../../renderer/components/ProgressDialog'
import { fakeApi, ok, sendingView } from './fake-api'
import { renderWithApp } from './render-with-app'

afterEach(cleanup)

function openDialog(sending: SendingView) {
  const api = fakeApi({ listHistory: () => Promise.resolve(ok([sending])) })
  return renderWithApp(
    <ProgressDialog
      sendingId={sending.id}
      onClose={() => undefined}
      onOpenHistory={() => undefined}
    />,
    { api },
  )
}

const count = (name: string) =>
  within(screen.getByRole('group', { name })).getByRole('definition').textContent

describe('the progress window', () => {
  it('shows the orders a skip-sent sending left out as already sent, outside its total', async () => {
    openDialog(
      sendingView({
        id: 12,
        state: 'completed',
        options: { ...sendingView().options, skipSent: true },
        expectedTotal: 50,
        alreadySent: 30,
        counts: { total: 20, created: 18, alreadyExisted: 0, failed: 0, skipped: 2, pending: 0 },
      }),
    )
    expect(await screen.findByText('20 of 20 orders processed')).toBeTruthy()
    expect(count('Already sent, skipped')).toBe('30')
    expect(count('Created')).toBe('18')
    expect(count('Remaining')).toBe('0')
  })

  it('says nothing of it for a sending that sends every order', async () => {
    openDialog(
      sendingView({
        id: 13,
        state: 'completed',
        expectedTotal: 20,
        counts: { total: 20, created: 20, alreadyExisted: 0, failed: 0, skipped: 0, pending: 0 },
      }),
    )
    expect(await screen.findByText('20 of 20 orders processed')).toBeTruthy()
    expect(screen.queryByRole('group', { name: 'Already sent, skipped' })).toBeNull()
  })
})
