/**
 * What the report says of a sending's preparing step, per Connectif account: whether the
 * contacts and products its orders needed were imported in bulk, or created one by one and why.
 * The report repeats it on each row of the account, so a row read alone (a failed order in a
 * spreadsheet filter) still says how its contact and products were meant to reach Connectif.
 */
import type { ImportRecord, ImportRecordType } from '../history/import-records'

/** The note of each account (`main` or a target's label) that had imports; absent: none. */
export function importNotesByAccount(records: readonly ImportRecord[]): Map<string, string> {
  const byAccount = new Map<string, ImportRecord[]>()
  for (const record of records) {
    const list = byAccount.get(record.target)
    if (list) list.push(record)
    else byAccount.set(record.target, [record])
  }
  const notes = new Map<string, string>()
  for (const [account, list] of byAccount) {
    const parts = (['contacts', 'products'] as const)
      .map((type) =>
        typeNote(
          type,
          list.filter((record) => record.type === type),
        ),
      )
      .filter((note): note is string => note !== null)
    notes.set(account, parts.join('; '))
  }
  return notes
}

function typeNote(type: ImportRecordType, records: readonly ImportRecord[]): string | null {
  if (records.length === 0) return null
  const fallback = records.find((record) => record.notice !== null)
  if (fallback?.notice) return `${type} created one by one: ${fallback.notice.message}`
  const items = records.reduce((sum, record) => sum + record.items, 0)
  const unfinished = records.find((record) => record.status !== 'finished')
  if (unfinished) return `${type} import ${unfinished.status} (${items} in the file)`
  const errors = records.reduce((sum, record) => sum + (record.errors ?? 0), 0)
  return `${type} imported (${items} in the file${errors > 0 ? `, ${errors} refused by Connectif` : ''})`
}
