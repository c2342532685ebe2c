/**
 * Saving a sending's CSV report: the one flow the history and a sending's page both use, so a
 * change in how reports are saved is made here once. Browser mode downloads it from a one-use
 * address main streams it from (`reportLink`); the desktop app has main ask where to save it and
 * write it there (`saveReport`).
 */
import type { AppErrorValue, PurchaseSenderApi } from '../../preload/contract'

export type ReportOutcome =
  | { readonly ok: false; readonly error: AppErrorValue }
  /** `path`: where the desktop app wrote it; null when the browser downloads it or it was cancelled. */
  | { readonly ok: true; readonly path: string | null }

/** Starts a download of `url` (same origin) as `fileName`. */
function download(url: string, fileName: string): void {
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.style.display = 'none'
  document.body.appendChild(link)
  link.click()
  link.remove()
}

/** Saves the report of `sendingId` (its orders not created, or `all` of them). */
export async function saveSendingReport(
  api: PurchaseSenderApi,
  sendingId: number,
  all = false,
): Promise<ReportOutcome> {
  if (api.reportLink) {
    const link = await api.reportLink({ sendingId, all })
    if (!link.ok) return { ok: false, error: link.error }
    download(link.data.url, link.data.fileName)
    return { ok: true, path: null }
  }
  const saved = await api.saveReport({ sendingId, all })
  if (!saved.ok) return { ok: false, error: saved.error }
  return { ok: true, path: saved.data.saved ? saved.data.path : null }
}
