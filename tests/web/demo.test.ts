/**
 * `npm run demo` end to end, minus the signals: the throwaway MariaDB, the generated store, the
 * Connectif sandbox and browser mode come up, the ready profile reads the store, and stopping
 * deletes everything the demo made.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { TOKEN_HEADER } from '../../preload/contract'
import { startDemo, type Demo } from '../../scripts/demo'

const rendererBuilt = existsSync(
  path.resolve(import.meta.dirname, '..', '..', 'out', 'renderer', 'index.html'),
)

let demo: Demo | undefined

afterAll(async () => {
  await demo?.stop()
})

async function call(url: string, channel: string, body: unknown): Promise<unknown> {
  const address = new URL(url)
  const response = await fetch(`${address.origin}/api/${channel}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [TOKEN_HEADER]: address.searchParams.get('token') ?? '',
    },
    body: JSON.stringify(body),
  })
  expect(response.status).toBe(200)
  return response.json()
}

it.skipIf(!rendererBuilt)(
  'serves a ready demo profile over a generated store, then cleans up',
  async () => {
    demo = await startDemo({ orderCount: 60, buildRenderer: false, log: () => undefined })

    const page = await fetch(demo.url)
    expect(page.status).toBe(200)

    const profiles = (await call(demo.url, 'profiles:list', {})) as {
      ok: boolean
      data: { id: number; name: string; secrets: Record<string, string> }[]
    }
    expect(profiles.ok).toBe(true)
    expect(profiles.data).toHaveLength(1)
    expect(profiles.data[0]).toMatchObject({
      name: 'Demo store',
      secrets: { dbPassword: 'saved', webserviceKey: 'not-needed', connectifKey: 'saved' },
    })

    const lookup = (await call(demo.url, 'store:lookup', { profileId: demo.profile.id })) as {
      ok: boolean
      data: { version: string; states: unknown[] }
    }
    expect(lookup.ok).toBe(true)
    expect(lookup.data.version).toBe('1.7.8.7')
    expect(lookup.data.states.length).toBeGreaterThan(0)

    const { dataDirectory } = demo
    await demo.stop()
    demo = undefined
    expect(existsSync(dataDirectory)).toBe(false)
  },
  60_000,
)
