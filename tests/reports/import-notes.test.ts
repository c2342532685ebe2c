import { describe, expect, it } from 'vitest'
import type { ImportRecord } from '../../main/core/history/import-records'
import { importNotesByAccount } from '../../main/core/reports/import-notes'

function record(overrides: Partial<ImportRecord>): ImportRecord {
  return {
    id: 1,
    sendingId: 1,
    account: 'fingerprint',
    target: 'main',
    type: 'contacts',
    part: 1,
    parts: 1,
    items: 10,
    importId: 'imp-1',
    status: 'finished',
    total: 10,
    success: 10,
    errors: 0,
    errorReportUrl: null,
    notice: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:05.000Z',
    ...overrides,
  }
}

describe("the report's note of the preparing step", () => {
  it('sums the parts of a split import and names what Connectif refused', () => {
    const notes = importNotesByAccount([
      record({ part: 1, parts: 2, items: 600, errors: 2 }),
      record({ part: 2, parts: 2, items: 400, errors: 1 }),
      record({ type: 'products', items: 35 }),
    ])
    expect(notes.get('main')).toBe(
      'contacts imported (1000 in the file, 3 refused by Connectif); products imported (35 in the file)',
    )
  })

  it('says why an account fell back to one by one, per account', () => {
    const notes = importNotesByAccount([
      record({
        status: 'not_created',
        importId: null,
        notice: {
          code: 'imports_not_allowed',
          message: 'The key lacks the Imports permission.',
          params: {},
        },
      }),
      record({ target: 'lang=es,currency=EUR', status: 'inProgress', items: 7 }),
    ])
    expect(notes.get('main')).toBe(
      'contacts created one by one: The key lacks the Imports permission.',
    )
    expect(notes.get('lang=es,currency=EUR')).toBe('contacts import inProgress (7 in the file)')
    expect(notes.has('')).toBe(false)
  })
})
