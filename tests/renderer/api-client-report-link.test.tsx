/**
 * Browser mode's client (renderer/api/api-client.ts) asks the host for a report's one-use link with
 * the token in its header, never in the address, and hands back an address on the host's origin.
 * The host side is tested over real HTTP in tests/web/report-download.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TOKEN_HEADER } from '../../preload/contract'
import { createBrowserApi } from '../../renderer/api/api-client'

const TOKEN = 'test-token-0123456789abcdef'

afterEach(() => {
  vi.unstubAllGlobals()
})

function stubFetch(answer: unknown, status = 200) {
  const calls: { url: string; init: RequestInit | undefined }[] = []
  vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
    calls.push({ url, init })
    return Promise.resolve(new Response(JSON.stringify(answer), { status }))
  })
  return calls
}

describe('reportLink', () => {
  it('posts to /api/reports/link with the token header and answers the link on the host', async () => {
    const path = `/api/reports/12.csv?all=1&ticket=${'t'.repeat(43)}`
    const calls = stubFetch({ ok: true, data: { url: path, fileName: 'report.csv' } })
    const api = createBrowserApi(TOKEN, 'http://127.0.0.1:4321')
    expect(await api.reportLink?.({ sendingId: 12, all: true })).toEqual({
      ok: true,
      data: { url: `http://127.0.0.1:4321${path}`, fileName: 'report.csv' },
    })
    expect(calls).toHaveLength(1)
    expect(calls[0]?.url).toBe('http://127.0.0.1:4321/api/reports/link')
    expect(calls[0]?.url).not.toContain(TOKEN)
    expect(calls[0]?.init?.method).toBe('POST')
    expect(calls[0]?.init?.headers).toMatchObject({ [TOKEN_HEADER]: TOKEN })
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual({ sendingId: 12, all: true })
  })

  it('passes the host’s error values on, and a page-relative link as it is', async () => {
    const error = { code: 'report_empty', message: 'Nothing.', params: { sending: '12' } }
    stubFetch({ ok: false, error })
    expect(await createBrowserApi(TOKEN).reportLink?.({ sendingId: 12 })).toEqual({
      ok: false,
      error,
    })
    stubFetch({ ok: true, data: { url: '/api/reports/12.csv?all=0&ticket=x', fileName: 'r.csv' } })
    expect(await createBrowserApi(TOKEN).reportLink?.({ sendingId: 12 })).toMatchObject({
      ok: true,
      data: { url: '/api/reports/12.csv?all=0&ticket=x' },
    })
  })
})
