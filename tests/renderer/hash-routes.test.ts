/**
 * The app's addresses (renderer/routing/hash-routes.ts): a profile's editor (`#/profiles/12`,
 * `#/profiles/new`) and a sending's page filtered to one result and reason
 * (`#/sendings/12?result=skipped&reason=customer_deleted`) are written and read back as the same
 * route; what is not such an address falls back to the default page, or drops the filter.
 */
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_ROUTE,
  parseRoute,
  routeHash,
  sameRoute,
  type Route,
} from '../../renderer/routing/hash-routes'

const ROUND_TRIPS: readonly (readonly [Route, string])[] = [
  [{ page: 'profiles' }, '#/profiles'],
  [{ page: 'profile', profileId: 12 }, '#/profiles/12'],
  [{ page: 'profile', profileId: 'new' }, '#/profiles/new'],
  [{ page: 'sending', sendingId: 7 }, '#/sendings/7'],
  [{ page: 'sending', sendingId: 7, filter: { result: 'failed' } }, '#/sendings/7?result=failed'],
  [
    { page: 'sending', sendingId: 12, filter: { result: 'skipped', reason: 'customer_deleted' } },
    '#/sendings/12?result=skipped&reason=customer_deleted',
  ],
  [
    { page: 'sending', sendingId: 3, filter: { result: 'failed', reason: 'E0101' } },
    '#/sendings/3?result=failed&reason=E0101',
  ],
]

describe('hash routes', () => {
  it.each(ROUND_TRIPS)('writes %j as %s and reads it back', (route, hash) => {
    expect(routeHash(route)).toBe(hash)
    expect(parseRoute(hash)).toEqual(route)
    expect(sameRoute(parseRoute(routeHash(route)), route)).toBe(true)
  })

  it('reads a profile address without its "#", with a trailing "/" or an encoded path', () => {
    expect(parseRoute('/profiles/12/')).toEqual({ page: 'profile', profileId: 12 })
    expect(parseRoute('#profiles/new')).toEqual({ page: 'profile', profileId: 'new' })
    expect(parseRoute('#/profiles%2F5')).toEqual({ page: 'profile', profileId: 5 })
  })

  it('opens the default page for a profile address that names no profile', () => {
    for (const hash of [
      '#/profiles/0',
      '#/profiles/-3',
      '#/profiles/1.5',
      '#/profiles/abc',
      '#/profiles/NEW',
      '#/profiles/12/edit',
      '#/profiles/1234567890123456',
    ])
      expect(parseRoute(hash), hash).toEqual(DEFAULT_ROUTE)
  })

  it("keeps a sending's page but drops a filter it does not know", () => {
    expect(parseRoute('#/sendings/4?result=lost')).toEqual({ page: 'sending', sendingId: 4 })
    expect(parseRoute('#/sendings/4?reason=E0101')).toEqual({ page: 'sending', sendingId: 4 })
    // A reason that is no recorded code is left out; the result stays.
    expect(parseRoute('#/sendings/4?result=skipped&reason=%3Cscript%3E')).toEqual({
      page: 'sending',
      sendingId: 4,
      filter: { result: 'skipped' },
    })
  })

  it('tells a filtered page from the same page unfiltered', () => {
    expect(
      sameRoute(
        { page: 'sending', sendingId: 4 },
        { page: 'sending', sendingId: 4, filter: { result: 'failed' } },
      ),
    ).toBe(false)
    expect(
      sameRoute({ page: 'profile', profileId: 4 }, { page: 'profile', profileId: 'new' }),
    ).toBe(false)
  })
})
