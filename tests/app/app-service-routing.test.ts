/**
 * Routing to several Connectif accounts through the application service: a store in three
 * languages and several currencies (MariaDB), two target accounts (Spanish in euros, English in
 * dollars) and a main account on the Connectif simulator, the history in a temporary folder, and
 * the target keys kept per profile and target id by an in-memory secret store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mapOrderToPurchase } from '../../main/core/purchases/order-to-purchase'
import type { StoreOrder } from '../../main/core/store/store-source'
import type { ProfileDraft, TargetFields } from '../../preload/contract'
import { createTestDatabase, type TestDatabase, type TestUser } from '../support/mysql-server'
import type { StoreFixture } from '../support/prestashop/store-generator'
import { allStateIds, recentRange } from '../sending/engine-harness'
import { accountOf, loadRoutedStore, routedAccounts } from '../sending/routed-store'
import { databaseSource, failure, ok, useAppHarness } from './app-harness'

const KEYS = {
  spanish: 'spanish-account:secret',
  english: 'english-account:secret',
  main: 'main-account:secret',
} as const
type Account = keyof typeof KEYS

const SPANISH = 'lang=es,currency=EUR'
const ENGLISH = 'lang=en,currency=USD'

let db: TestDatabase
let reader: TestUser
let fixture: StoreFixture
let orders: StoreOrder[]

beforeAll(async () => {
  db = await createTestDatabase('app_routing')
  ;({ fixture, orders } = await loadRoutedStore(db))
  reader = await db.createUser({ privileges: ['SELECT'] })
})

afterAll(async () => {
  await db.drop()
})

const app = useAppHarness({
  home: 'app-routing',
  accounts: () => routedAccounts(orders, KEYS),
  secretValues: () => [reader.password, ...Object.values(KEYS)],
})
const { call, callOn, finished, firstProgress, noSecretIn } = app

function routingTarget(
  id: string,
  language: string,
  currency: string,
  extra: Partial<TargetFields>,
): TargetFields {
  return { id, apiUrl: app.simulator.url, languages: [language], currencies: [currency], ...extra }
}

function spanishTarget(extra: Partial<TargetFields> = {}): TargetFields {
  return routingTarget('es-eur', 'es', 'EUR', extra)
}

function englishTarget(extra: Partial<TargetFields> = {}): TargetFields {
  return routingTarget('en-usd', 'en', 'USD', extra)
}

function draft(
  name: string,
  targets: TargetFields[],
  options: { mainAccount?: boolean; id?: number | null; secrets?: ProfileDraft['secrets'] } = {},
): ProfileDraft {
  return {
    id: options.id ?? null,
    profile: {
      name,
      source: { ...databaseSource(db, reader), passwordEnv: null },
      connectif: {
        apiUrl: app.simulator.url,
        mainAccount: options.mainAccount ?? true,
        targets,
      },
    },
    secrets: options.secrets ?? {
      dbPassword: { set: reader.password },
      connectifKey: { set: KEYS.main },
      targetKeys: { 'es-eur': { set: KEYS.spanish }, 'en-usd': { set: KEYS.english } },
    },
  }
}

function startRequest(profileId: number) {
  return {
    profileId,
    ...recentRange(),
    stateIds: allStateIds(fixture),
    mode: 'progress' as const,
    options: { rateLimit: 60_000 },
  }
}

/** Purchases each account must end with (ready orders only). */
function expectedPurchases(withMain: boolean): Record<Account, number> {
  const counts: Record<Account, number> = { spanish: 0, english: 0, main: 0 }
  for (const order of orders) {
    const account = accountOf(fixture, order, withMain)
    if (account === null) continue
    const mapping = mapOrderToPurchase(order, {
      currency: account === 'main' ? 'shop-default' : 'order',
    })
    if (mapping.result === 'ready') counts[account]++
  }
  return counts
}

describe('profiles with Connectif targets', () => {
  it('saves targets with a key each, kept per target and never returned', async () => {
    const saved = ok(
      await call('profiles:save', draft('Routed', [spanishTarget(), englishTarget()])),
    )
    noSecretIn(saved)
    expect(saved.connectif).toEqual({
      apiUrl: app.simulator.url,
      keyEnv: null,
      mainAccount: true,
      targets: [
        {
          id: 'es-eur',
          label: SPANISH,
          apiUrl: app.simulator.url,
          keyEnv: null,
          languages: ['es'],
          currencies: ['EUR'],
          shopIds: [],
        },
        {
          id: 'en-usd',
          label: ENGLISH,
          apiUrl: app.simulator.url,
          keyEnv: null,
          languages: ['en'],
          currencies: ['USD'],
          shopIds: [],
        },
      ],
    })
    expect(saved.secrets).toEqual({
      dbPassword: 'saved',
      webserviceKey: 'not-needed',
      connectifKey: 'saved',
      targetKeys: { 'es-eur': 'saved', 'en-usd': 'saved' },
    })
    expect(app.secrets.values.get(`${saved.id}:connectifTarget:es-eur`)).toBe(KEYS.spanish)
    expect(app.secrets.values.get(`${saved.id}:connectifTarget:en-usd`)).toBe(KEYS.english)
    noSecretIn(ok(await call('profiles:list', {})))

    // Codes are normalised; keys are kept unless changed; a removed target's key goes with it;
    // without a main account the main key is not needed and not kept.
    const edited = ok(
      await call(
        'profiles:save',
        draft('Routed', [spanishTarget({ languages: [' ES '], currencies: ['eur'] })], {
          id: saved.id,
          mainAccount: false,
          secrets: { dbPassword: { keep: true }, targetKeys: { 'es-eur': { keep: true } } },
        }),
      ),
    )
    expect(edited.connectif.mainAccount).toBe(false)
    expect(edited.connectif.targets.map((target) => target.label)).toEqual([SPANISH])
    expect(edited.secrets).toEqual({
      dbPassword: 'saved',
      webserviceKey: 'not-needed',
      connectifKey: 'not-needed',
      targetKeys: { 'es-eur': 'saved' },
    })
    expect(app.secrets.values.has(`${saved.id}:connectifTarget:en-usd`)).toBe(false)
    expect(app.secrets.values.has(`${saved.id}:connectifKey`)).toBe(false)
    expect(app.secrets.values.get(`${saved.id}:connectifTarget:es-eur`)).toBe(KEYS.spanish)

    const cleared = ok(
      await call(
        'profiles:save',
        draft('Routed', [spanishTarget()], {
          id: saved.id,
          mainAccount: false,
          secrets: { targetKeys: { 'es-eur': { clear: true } } },
        }),
      ),
    )
    expect(cleared.secrets.targetKeys).toEqual({ 'es-eur': 'missing' })

    // A copy takes the target keys along; deleting a profile removes them.
    const withKeys = ok(
      await call('profiles:save', draft('Routed two', [spanishTarget(), englishTarget()])),
    )
    const copy = ok(await call('profiles:duplicate', { id: withKeys.id }))
    expect(copy.secrets.targetKeys).toEqual({ 'es-eur': 'saved', 'en-usd': 'saved' })
    ok(await call('profiles:delete', { id: copy.id }))
    expect([...app.secrets.values.keys()].filter((key) => key.startsWith(`${copy.id}:`))).toEqual(
      [],
    )
  })

  it('refuses invalid targets as values that name the target, saving nothing', async () => {
    const overlap = failure(
      await call(
        'profiles:save',
        draft('Overlap', [spanishTarget({ currencies: [] }), englishTarget({ languages: ['es'] })]),
      ),
    )
    expect(overlap.code).toBe('invalid_profile')
    expect(overlap.message).toMatch(
      /Targets 1 \(lang=es\) and 2 \(lang=es,currency=USD\) would both serve some orders/,
    )
    expect(overlap.details).toContainEqual(
      expect.objectContaining({
        field: 'connectif.targets.0',
        code: 'targets_overlap',
        params: expect.objectContaining({ targets: '0,1' }),
      }),
    )

    const badCode = failure(
      await call(
        'profiles:save',
        draft('Bad code', [spanishTarget(), englishTarget({ languages: ['english'] })]),
      ),
    )
    expect(badCode.code).toBe('invalid_profile')
    expect(badCode.details).toContainEqual(
      expect.objectContaining({
        field: 'connectif.targets.1',
        message: expect.stringMatching(/^Target 2 .*"english" is not a language ISO code/),
      }),
    )

    const badUrl = failure(
      await call('profiles:save', draft('Bad URL', [spanishTarget({ apiUrl: 'not a url' })])),
    )
    expect(badUrl.details).toContainEqual(
      expect.objectContaining({
        field: 'connectif.targets.0',
        message: expect.stringMatching(
          /^Target 1 \(lang=es,currency=EUR\): apiUrl .*not a valid URL/,
        ),
      }),
    )

    const everything = failure(
      await call(
        'profiles:save',
        draft('No condition', [spanishTarget({ languages: [], currencies: [] })]),
      ),
    )
    expect(everything.message).toMatch(/Target 1 \(no condition\) names no language/)

    const noMain = failure(
      await call('profiles:save', draft('No main', [], { mainAccount: false })),
    )
    expect(noMain.code).toBe('invalid_profile')
    expect(noMain.message).toMatch(/mainAccount is needed when the profile has no targets/)

    const strayKey = failure(
      await call(
        'profiles:save',
        draft('Stray key', [spanishTarget()], {
          secrets: { targetKeys: { 'es-eur': { set: KEYS.spanish }, gone: { set: 'x' } } },
        }),
      ),
    )
    expect(strayKey.code).toBe('invalid_profile')
    expect(strayKey.message).toMatch(/"gone", which is not a target of the profile/)

    const badId = failure(
      await call('profiles:save', draft('Bad id', [spanishTarget({ id: 'Not An Id' })])),
    )
    expect(badId.code).toBe('invalid_profile')
    expect(badId.details).toContainEqual(
      expect.objectContaining({
        field: 'connectif.targets.0',
        message: expect.stringMatching(/^Target 1 \(lang=es,currency=EUR\): id must be lower-case/),
      }),
    )

    expect(app.history.profiles.list()).toEqual([])
    expect(app.secrets.values.size).toBe(0)
  })

  it('tests the key of every account and reports each one', async () => {
    const saved = ok(
      await call(
        'profiles:save',
        draft('Routed', [spanishTarget(), englishTarget()], {
          secrets: {
            dbPassword: { set: reader.password },
            connectifKey: { set: KEYS.main },
            targetKeys: { 'es-eur': { set: KEYS.spanish } },
          },
        }),
      ),
    )
    const test = ok(await call('profiles:test', { id: saved.id }))
    noSecretIn(test)
    expect(test.store.ok).toBe(true)
    if (test.store.ok) {
      expect(test.store.languages.map((language) => language.isoCode).sort()).toEqual([
        'en',
        'es',
        'fr',
      ])
      expect(test.store.currencies.map((currency) => currency.isoCode)).toEqual(
        expect.arrayContaining(['EUR', 'USD']),
      )
    }
    expect(test.accounts).toEqual([
      expect.objectContaining({ account: 'main', targetId: null, ok: true, problem: 'ok' }),
      expect.objectContaining({ targetId: 'es-eur', account: SPANISH, ok: true, problem: 'ok' }),
      expect.objectContaining({
        targetId: 'en-usd',
        account: ENGLISH,
        ok: false,
        problem: 'missing_key',
      }),
    ])
    // With targets, `connectif` sums every account up.
    expect(test.connectif).toMatchObject({ ok: false, message: expect.stringMatching(/^2 of 3/) })
    expect(test.accounts[2]?.message).toMatch(
      /No Connectif API key is saved for target 2 \(lang=en,currency=USD\) of the profile "Routed"/,
    )

    // A draft: a wrong key typed for one target, and no main account.
    const typed = ok(
      await call(
        'profiles:test',
        draft('Routed', [spanishTarget(), englishTarget()], {
          id: saved.id,
          mainAccount: false,
          secrets: {
            dbPassword: { keep: true },
            targetKeys: { 'es-eur': { keep: true }, 'en-usd': { set: 'nobody:nothing' } },
          },
        }),
      ),
    )
    expect(typed.accounts.map((account) => [account.targetId, account.problem])).toEqual([
      ['es-eur', 'ok'],
      ['en-usd', 'bad_key'],
    ])
    expect(app.logged).toEqual([])
  })

  it('reads each target key from the variable the target names in browser mode', async () => {
    const env = {
      PURCHASE_SENDER_DB_PASSWORD: reader.password,
      PURCHASE_SENDER_MAIN_KEY: KEYS.main,
      PURCHASE_SENDER_SPANISH_KEY: KEYS.spanish,
    }
    const browser = app.browserService(env)
    try {
      const base = draft('Env routed', [])
      const refused = failure(
        await callOn(browser, 'profiles:save', {
          ...base,
          profile: {
            ...base.profile,
            connectif: { apiUrl: app.simulator.url, targets: [spanishTarget()] },
          },
          secrets: { targetKeys: { 'es-eur': { set: KEYS.spanish } } },
        }),
      )
      expect(refused.code).toBe('secrets_unavailable')
      expect(refused.message).toMatch(/Connectif API key of target 1 \(lang=es,currency=EUR\)/)

      const saved = ok(
        await callOn(browser, 'profiles:save', {
          id: null,
          profile: {
            ...base.profile,
            source: { ...databaseSource(db, reader), passwordEnv: 'PURCHASE_SENDER_DB_PASSWORD' },
            connectif: {
              apiUrl: app.simulator.url,
              keyEnv: 'PURCHASE_SENDER_MAIN_KEY',
              targets: [
                spanishTarget({ keyEnv: 'PURCHASE_SENDER_SPANISH_KEY' }),
                englishTarget({ keyEnv: 'PURCHASE_SENDER_ENGLISH_KEY' }),
              ],
            },
          },
          secrets: {},
        }),
      )
      expect(saved.secrets.targetKeys).toEqual({ 'es-eur': 'saved', 'en-usd': 'missing' })
      const test = ok(await callOn(browser, 'profiles:test', { id: saved.id }))
      expect(test.accounts[0]).toMatchObject({ account: 'main', ok: true })
      expect(test.accounts[1]).toMatchObject({ ok: true })
      expect(test.accounts[2]).toMatchObject({ ok: false, problem: 'missing_key' })
      expect(test.accounts[2]?.message).toMatch(
        /The environment variable PURCHASE_SENDER_ENGLISH_KEY \(the Connectif API key of target 2 \(lang=en,currency=USD\)/,
      )
      const start = failure(await callOn(browser, 'sending:start', startRequest(saved.id)))
      expect(start.code).toBe('secret_missing')
      expect(start.message).toMatch(/PURCHASE_SENDER_ENGLISH_KEY/)
      noSecretIn(test)
    } finally {
      await browser.shutdown()
    }
  })
})

describe('routed sendings', () => {
  it('shows the split before sending, and sends exactly that split to the right accounts', async () => {
    const profileId = ok(
      await call(
        'profiles:save',
        draft('Routed', [spanishTarget(), englishTarget()], { mainAccount: false }),
      ),
    ).id
    const summary = ok(
      await call('sending:summary', {
        profileId,
        ...recentRange(),
        stateIds: allStateIds(fixture),
        rateLimit: 100,
      }),
    )
    expect(summary.byTarget).not.toBeNull()
    const split = Object.fromEntries(
      (summary.byTarget ?? []).map((entry) => [entry.target, entry.orders]),
    )
    // Orders by account, from the generator's model: the Spanish euros, the English dollars, and
    // the rest, which no account serves without a main account.
    const expectedSplit: Record<string, number> = {}
    for (const order of orders) {
      const account = accountOf(fixture, order, false)
      const label = account === 'spanish' ? SPANISH : account === 'english' ? ENGLISH : ''
      expectedSplit[label] = (expectedSplit[label] ?? 0) + 1
    }
    expect(split).toEqual(expectedSplit)
    expect(Object.values(split).reduce((sum, count) => sum + count, 0)).toBe(summary.ordersToSend)

    const started = ok(await call('sending:start', startRequest(profileId)))
    const end = await finished(started.sendingId)
    expect(end.state).toBe('completed')
    // What was sent per account is what the wizard showed.
    expect(
      Object.fromEntries((end.byTarget ?? []).map((entry) => [entry.target, entry.counts.total])),
    ).toEqual(split)
    const expected = expectedPurchases(false)
    expect(app.simulator.account('spanish').purchases.size).toBe(expected.spanish)
    expect(app.simulator.account('english').purchases.size).toBe(expected.english)
    expect(app.simulator.account('main').purchases.size).toBe(0)
    expect(end.byTarget?.find((entry) => entry.target === SPANISH)?.counts.created).toBe(
      expected.spanish,
    )
    expect(end.byTarget?.find((entry) => entry.target === '')?.counts.skipped).toBe(split[''])

    const progress = app.events.filter(
      (event) => event.type === 'progress' && event.sendingId === started.sendingId,
    )
    expect(
      progress.some((event) => event.type === 'progress' && event.byTarget !== undefined),
    ).toBe(true)
    const row = ok(await call('history:list', { profileId }))[0]
    expect(row?.byTarget).toEqual(end.byTarget)

    const report = ok(await app.saveReport(started.sendingId, true))
    expect(report.csv).toContain('No Connectif target of the profile serves this order')
    expect(app.logged).toEqual([])
  })

  it('sends the orders no target serves to the main account when the profile keeps one', async () => {
    const profileId = ok(
      await call('profiles:save', draft('Routed with main', [spanishTarget(), englishTarget()])),
    ).id
    const summary = ok(
      await call('sending:summary', {
        profileId,
        ...recentRange(),
        stateIds: allStateIds(fixture),
        rateLimit: 100,
      }),
    )
    expect(summary.byTarget?.map((entry) => entry.target).sort()).toEqual(
      [ENGLISH, SPANISH, 'main'].sort(),
    )
    const started = ok(await call('sending:start', startRequest(profileId)))
    const end = await finished(started.sendingId)
    expect(end.state).toBe('completed')
    const expected = expectedPurchases(true)
    for (const account of Object.keys(KEYS) as Account[])
      expect(app.simulator.account(account).purchases.size).toBe(expected[account])
    expect(
      Object.fromEntries((end.byTarget ?? []).map((entry) => [entry.target, entry.counts.total])),
    ).toEqual(
      Object.fromEntries((summary.byTarget ?? []).map((entry) => [entry.target, entry.orders])),
    )
  })

  it('counts the orders already sent per account as the orders are routed, and skips them', async () => {
    // Only the Spanish euros are sent first (the rest has no account without a main one).
    const spanishOnly = ok(
      await call(
        'profiles:save',
        draft('Spanish only', [spanishTarget()], {
          mainAccount: false,
          secrets: {
            dbPassword: { set: reader.password },
            targetKeys: { 'es-eur': { set: KEYS.spanish } },
          },
        }),
      ),
    ).id
    const first = ok(await call('sending:start', startRequest(spanishOnly)))
    expect((await finished(first.sendingId)).state).toBe('completed')
    const spanishSent = expectedPurchases(false).spanish
    expect(spanishSent).toBeGreaterThan(0)
    expect(app.simulator.account('spanish').purchases.size).toBe(spanishSent)

    // Another profile routes the Spanish euros to the same account (same address and key): they
    // are already sent there; its English and main accounts have nothing yet.
    const routed = ok(
      await call('profiles:save', draft('Routed with main', [spanishTarget(), englishTarget()])),
    ).id
    const request = { profileId: routed, ...recentRange(), stateIds: allStateIds(fixture) }
    const summary = ok(
      await call('sending:summary', { ...request, rateLimit: 100, skipSent: true }),
    )
    expect(summary.alreadySent).toBe(spanishSent)
    expect(summary.estimatedMinutes).toBeCloseTo((summary.ordersToSend - spanishSent) / 100)
    // A profile sending everything to the Spanish account as its main one: the same orders.
    const mainOnly = ok(
      await call(
        'profiles:save',
        draft('Spanish as main', [], {
          secrets: { dbPassword: { set: reader.password }, connectifKey: { set: KEYS.spanish } },
        }),
      ),
    ).id
    expect(
      ok(
        await call('sending:summary', {
          ...request,
          profileId: mainOnly,
          rateLimit: 100,
          skipSent: true,
        }),
      ).alreadySent,
    ).toBe(spanishSent)

    const spanishRequests = app.simulator.account('spanish').stats.counted
    const started = ok(
      await call('sending:start', {
        ...request,
        mode: 'progress',
        options: { rateLimit: 60_000, skipSent: true },
      }),
    )
    const end = await finished(started.sendingId)
    expect(end.state).toBe('completed')
    expect(end.alreadySent).toBe(spanishSent)
    expect(app.simulator.account('spanish').stats.counted).toBe(spanishRequests)
    const split = Object.fromEntries(
      (summary.byTarget ?? []).map((entry) => [entry.target, entry.orders]),
    )
    const recorded = Object.fromEntries(
      (end.byTarget ?? []).map((entry) => [entry.target, entry.counts.total]),
    )
    expect(recorded[SPANISH] ?? 0).toBe((split[SPANISH] ?? 0) - spanishSent)
    expect(recorded[ENGLISH]).toBe(split[ENGLISH])
    expect(recorded['main']).toBe(split['main'])
  })

  it('refuses targets the store does not have, and a target without its key, before sending', async () => {
    const german = ok(
      await call(
        'profiles:save',
        draft('German', [spanishTarget({ id: 'de', languages: ['de'], currencies: ['CHF'] })], {
          secrets: {
            dbPassword: { set: reader.password },
            connectifKey: { set: KEYS.main },
            targetKeys: { de: { set: KEYS.spanish } },
          },
        }),
      ),
    )
    const request = { profileId: german.id, ...recentRange(), stateIds: allStateIds(fixture) }
    const summary = failure(await call('sending:summary', { ...request, rateLimit: 100 }))
    expect(summary.code).toBe('rules_violated')
    expect(summary.message).toMatch(
      /language "de", which the store does not have \(it has en, es, fr\).*currency "CHF"/,
    )
    expect(summary.details).toContainEqual(
      expect.objectContaining({ field: 'targets', code: 'target_unknown_language' }),
    )
    const start = failure(await call('sending:start', startRequest(german.id)))
    expect(start.code).toBe('rules_violated')
    expect(start.message).toBe(summary.message)

    const keyless = ok(
      await call(
        'profiles:save',
        draft('Keyless', [spanishTarget(), englishTarget()], {
          secrets: {
            dbPassword: { set: reader.password },
            connectifKey: { set: KEYS.main },
            targetKeys: { 'es-eur': { set: KEYS.spanish } },
          },
        }),
      ),
    )
    const missing = failure(await call('sending:start', startRequest(keyless.id)))
    expect(missing.code).toBe('secret_missing')
    expect(missing.message).toMatch(/target 2 \(lang=en,currency=USD\) of the profile "Keyless"/)
    expect(app.history.listSendings()).toEqual([])
  })

  it('resumes with the routing the sending started with', async () => {
    const profileId = ok(
      await call(
        'profiles:save',
        draft('Routed', [spanishTarget(), englishTarget()], { mainAccount: false }),
      ),
    ).id
    app.simulator.setFaults({ latencyMs: 40 })
    const started = ok(await call('sending:start', startRequest(profileId)))
    await firstProgress(started.sendingId, 'created')
    await app.service.shutdown()
    expect(app.history.getSending(started.sendingId).state).toBe('interrupted')
    app.simulator.setFaults({ latencyMs: 0 })

    // The profile changes meanwhile: the resumed sending still routes as it began.
    ok(
      await call(
        'profiles:save',
        draft('Routed', [spanishTarget(), englishTarget({ currencies: [] })], {
          id: profileId,
          secrets: { connectifKey: { set: KEYS.main } },
        }),
      ),
    )
    app.restart()
    app.events.length = 0
    ok(await call('sending:resume', { sendingId: started.sendingId }))
    const end = await finished(started.sendingId)
    expect(end.state).toBe('completed')
    const expected = expectedPurchases(false)
    expect(app.simulator.account('spanish').purchases.size).toBe(expected.spanish)
    expect(app.simulator.account('english').purchases.size).toBe(expected.english)
    expect(app.simulator.account('main').purchases.size).toBe(0)
    for (const account of ['spanish', 'english'] as const)
      expect(
        [...app.simulator.account(account).creations.values()].every((count) => count === 1),
      ).toBe(true)

    // Once a target of the sending is removed with its key, the sending says it cannot reach it.
    ok(
      await call(
        'profiles:save',
        draft('Routed', [spanishTarget()], { id: profileId, secrets: {} }),
      ),
    )
    const retry = failure(await call('sending:resume', { sendingId: started.sendingId }))
    expect(retry.message).toMatch(
      /target 2 \(lang=en,currency=USD\), which was removed from the profile "Routed"/,
    )
  })
})
