/**
 * The pure parts of the profile pages: how a card names its store (the shop's name and web
 * address, or where the profile reads it in plain words), how a secret's state is said (never
 * "saved" where a variable holds it), and the unsaved changes an editor keeps when left.
 */
import i18next, { type TFunction } from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import type { StoreLookup } from '../../preload/contract'
import {
  dropDraft,
  hasDraft,
  keepDraft,
  keptDraft,
  sameValues,
} from '../../renderer/components/profile-editor/profile-drafts'
import { profileFormValues } from '../../renderer/components/profile-editor/profile-form'
import {
  secretStatusText,
  secretsFromVariables,
} from '../../renderer/components/profiles/secret-text'
import {
  plainAddress,
  profileShops,
  sourcePlace,
} from '../../renderer/components/profiles/store-summary'
import en from '../../renderer/i18n/en.json'
import es from '../../renderer/i18n/es.json'
import { appInfo, profileView } from './fake-api'

let english: TFunction
let spanish: TFunction

beforeAll(async () => {
  const make = async (language: 'en' | 'es') => {
    const instance = i18next.createInstance()
    await instance.init({
      lng: language,
      resources: { en: { translation: en }, es: { translation: es } },
      interpolation: { escapeValue: false },
    })
    return instance.t
  }
  english = await make('en')
  spanish = await make('es')
})

const LOOKUP: StoreLookup = {
  version: '8.1.0',
  defaultShopId: 2,
  timezone: 'Europe/Madrid',
  shops: [
    {
      id: 1,
      name: 'Outlet',
      timezone: 'Europe/Madrid',
      active: true,
      url: 'https://outlet.example/',
    },
    {
      id: 2,
      name: 'Main',
      timezone: 'Europe/Madrid',
      active: true,
      url: 'https://www.example.com/shop/',
    },
    { id: 3, name: 'Closed', timezone: 'Europe/Madrid', active: false },
  ],
  languages: [],
  currencies: [],
  languageId: 1,
  states: [],
} as unknown as StoreLookup

describe("a profile card's store", () => {
  it('writes a web address as people do', () => {
    expect(plainAddress('https://www.example.com/')).toBe('www.example.com')
    expect(plainAddress('http://shop.example:8080/boutique/')).toBe('shop.example:8080/boutique')
    expect(plainAddress('not a url/')).toBe('not a url')
  })

  it("names the profile's shops, else the store's active ones, the default shop first", () => {
    expect(profileShops(profileView(), LOOKUP).map((shop) => shop.name)).toEqual(['Main', 'Outlet'])
    expect(profileShops(profileView({ shopIds: [3] }), LOOKUP).map((shop) => shop.name)).toEqual([
      'Closed',
    ])
  })

  it('says where the profile reads its store by a host name, never a connection string', () => {
    expect(sourcePlace(profileView().source)).toEqual({ kind: 'database', host: '127.0.0.1' })
    expect(
      sourcePlace({ kind: 'webservice', url: 'https://www.example.com/shop/', keyEnv: null }),
    ).toEqual({ kind: 'webservice', host: 'www.example.com' })
  })
})

describe("a secret's state", () => {
  it('is saved or missing where the app keeps secrets', () => {
    const desktop = secretsFromVariables(appInfo({ mode: 'electron', secretStorage: { ok: true } }))
    expect(desktop).toBe(false)
    expect(secretStatusText(english, 'saved', null, desktop)).toBe('saved')
    expect(secretStatusText(english, 'missing', null, desktop)).toBe('missing')
  })

  it('is read from a variable in browser mode, set or not, in English and Spanish', () => {
    expect(secretsFromVariables(appInfo({ mode: 'browser' }))).toBe(true)
    expect(secretStatusText(english, 'saved', 'PURCHASE_SENDER_KEY', true)).toBe(
      'from variable PURCHASE_SENDER_KEY',
    )
    expect(secretStatusText(spanish, 'saved', 'PURCHASE_SENDER_KEY', true)).toBe(
      'de la variable PURCHASE_SENDER_KEY',
    )
    expect(secretStatusText(english, 'missing', 'PURCHASE_SENDER_KEY', true)).toBe(
      'variable PURCHASE_SENDER_KEY not set',
    )
    expect(secretStatusText(english, 'missing', null, true)).toBe('no variable named')
    expect(secretStatusText(english, 'not-needed', null, true)).toBe('not needed')
  })

  it('is named by a variable, never "saved", on a desktop without a keychain', () => {
    const noKeychain = appInfo({ mode: 'electron', secretStorage: { ok: false, reason: 'none' } })
    expect(secretsFromVariables(noKeychain)).toBe(true)
  })
})

describe('unsaved changes kept by an editor', () => {
  it('come back on the same version of the profile, without the secrets typed', () => {
    const profile = profileView({ id: 41 })
    const values = profileFormValues(profile)
    const changed = {
      ...values,
      name: 'Renamed',
      secrets: { ...values.secrets, connectifKey: { value: 'typed-key', clear: false } },
    }
    expect(sameValues(values, profileFormValues(profile))).toBe(true)
    expect(sameValues(values, changed)).toBe(false)

    keepDraft(41, profile.updatedAt, changed)
    expect(hasDraft(41, profile.updatedAt)).toBe(true)
    const kept = keptDraft(41, profile.updatedAt)
    expect(kept?.values.name).toBe('Renamed')
    expect(kept?.values.secrets.connectifKey).toEqual({ value: '', clear: false })
    expect(kept?.secretsDropped).toBe(true)
    dropDraft(41)
    expect(keptDraft(41, profile.updatedAt)).toBeNull()
  })

  it('are dropped once the profile was saved since', () => {
    const values = profileFormValues(null)
    keepDraft(42, '2025-06-01T10:00:00.000Z', { ...values, name: 'Old' })
    expect(hasDraft(42, '2025-07-01T10:00:00.000Z')).toBe(false)
    expect(keptDraft(42, '2025-07-01T10:00:00.000Z')).toBeNull()
    expect(hasDraft(42, '2025-06-01T10:00:00.000Z')).toBe(false)
  })
})
