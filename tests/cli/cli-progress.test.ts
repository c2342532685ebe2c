import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { Output } from '../../main/cli/cli-output'
import { createProgressView, preparingNote } from '../../main/cli/cli-progress'

function sink(): { stream: Writable; text: () => string } {
  let text = ''
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString()
      done()
    },
  })
  return { stream, text: () => text }
}

describe('the progress of a preparing sending', () => {
  it('says what it does, in words', () => {
    expect(
      preparingNote({ type: 'preparing', sendingId: 3, step: 'reading', count: 1204, total: 5000 }),
    ).toBe('Reading the orders before sending: 1,204 of 5,000…')
    expect(
      preparingNote({
        type: 'preparing',
        sendingId: 3,
        step: 'importing',
        what: 'contacts',
        count: 1204,
        status: 'queued',
      }),
    ).toBe('Importing 1,204 contacts… queued at Connectif')
    expect(
      preparingNote({
        type: 'preparing',
        sendingId: 3,
        step: 'importing',
        what: 'products',
        count: 310,
        done: 120,
        status: 'inProgress',
        account: 'lang=es,currency=EUR',
      }),
    ).toBe('Importing 310 products… 120 done (lang=es,currency=EUR)')
  })

  it('prints each step at once, its progress every few seconds, and fallbacks as warnings', () => {
    const stderr = sink()
    const stdout = sink()
    let now = 0
    const view = createProgressView(
      new Output(false, { stdout: stdout.stream, stderr: stderr.stream }),
      () => now,
    )
    try {
      view.onEvent({ type: 'started', sendingId: 9, expectedTotal: 200 })
      view.onEvent({ type: 'preparing', sendingId: 9, step: 'reading', count: 0, total: 200 })
      now += 1_000
      // Within the same step, progress waits for the interval.
      view.onEvent({ type: 'preparing', sendingId: 9, step: 'reading', count: 100, total: 200 })
      now += 1_000
      view.onEvent({
        type: 'preparing',
        sendingId: 9,
        step: 'importing',
        what: 'contacts',
        count: 150,
      })
      view.onEvent({
        type: 'preparing',
        sendingId: 9,
        step: 'importing',
        what: 'products',
        count: 40,
        notice: {
          code: 'imports_not_allowed',
          message: 'The API key lacks the Imports permission (403).',
          params: {},
        },
      })
    } finally {
      view.stop()
    }
    expect(stderr.text().split('\n').filter(Boolean)).toEqual([
      'Sending #9 started: 200 orders in the range.',
      '[sending #9] Reading the orders before sending: 0 of 200…',
      '[sending #9] Importing 150 contacts…',
      'purchase-sender: warning: The API key lacks the Imports permission (403).',
    ])
    expect(stdout.text()).toBe('')
  })
})

describe('the progress of a sending that shares its account', () => {
  it('notes the other integration and its rate beside the counts', () => {
    const stderr = sink()
    let now = 0
    const view = createProgressView(
      new Output(false, { stdout: sink().stream, stderr: stderr.stream }),
      () => now,
    )
    try {
      view.onEvent({ type: 'started', sendingId: 4, expectedTotal: 10 })
      now += 6_000
      view.onEvent({
        type: 'progress',
        sendingId: 4,
        expectedTotal: 10,
        counts: { total: 10, created: 3, alreadyExisted: 0, failed: 0, skipped: 0, pending: 7 },
        perMinute: 64,
        etaSeconds: 7,
        waiting: null,
        sharedWith: { requestsPerMinute: 30 },
      })
    } finally {
      view.stop()
    }
    expect(stderr.text()).toContain(
      'shared with another integration (about 30/min): slowed down to leave it room',
    )
  })
})
