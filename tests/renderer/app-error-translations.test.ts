import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError, toErrorValue } from '../../main/app/app-errors'
import { MissingSecretError, type MissingSecretParams } from '../../main/app/profile-secrets'
import { SecretStoreError } from '../../main/app/secret-store'
import { checkSyncRequest } from '../../main/app/sync-use-case'
import { HistoryStore } from '../../main/core/history/history-store'
import { HistoryError, type NewSending } from '../../main/core/history/history-types'
import { LATEST_SCHEMA_VERSION } from '../../main/core/history/migrations'
import type { Profile, ProfileInput } from '../../main/core/profiles/profile-types'
import { ruleMessage } from '../../renderer/i18n/rule-message'
import { errorText, errorWithDetails } from '../../renderer/i18n/error-text'
import { TRANSLATIONS, translator, type Language } from '../store/translatable-errors'
import {
  APP_ERROR_CODES,
  APP_ERROR_VARIANTS,
  SECRET_NAME_VARIANTS,
  withNamedParams,
} from './app-error-variants'

/**
 * The errors of the application layer and the history are said in English and Spanish: every
 * code has its sentence, every sentence uses only params its throws give, and errorText says them
 * with their params (secrets and states named in the user's language). That no key is left that
 * no error uses is checked with the store's, in store-error-translations.test.ts.
 */

const LANGUAGES: readonly Language[] = ['en', 'es']

function errorsOf(language: Language): Readonly<Record<string, string>> {
  return TRANSLATIONS[language].errors
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([^}\s,]+)[^}]*\}\}/g)].map((match) => match[1] ?? '')
}

describe('app error translations', () => {
  it('cover the codes the screens can receive', () => {
    for (const code of [
      'secret_missing',
      'secrets_unavailable',
      'invalid_profile',
      'invalid_url',
      'invalid_range',
      'unknown_language',
      'profile_not_found',
      'profile_exists',
      'profile_removed',
      'target_removed',
      'sending_in_progress',
      'sending_not_found',
      'order_not_found',
      'sending_not_resumable',
      'sending_not_running',
      'sending_not_running_here',
      'nothing_to_retry',
      'sync_days_invalid',
      'sync_statuses_missing',
      'report_empty',
      'report_write_failed',
      'report_save_unavailable',
      'shutting_down',
      'rules_violated',
      'invalid_request',
      'database_newer_than_app',
      'account_not_in_sending',
      'internal',
      'secret_unreadable',
    ])
      expect(APP_ERROR_CODES).toContain(code)
  })

  for (const language of LANGUAGES) {
    describe(language, () => {
      const errors = errorsOf(language)

      it('have a sentence for every code', () => {
        for (const code of APP_ERROR_CODES) {
          expect(errors[code], `errors.${code}`).toBeTypeOf('string')
          expect(errors[code], `errors.${code}`).not.toBe('')
        }
      })

      it('say every reason with only the params its throws give', () => {
        for (const [code, variants] of Object.entries(APP_ERROR_VARIANTS)) {
          for (const [reason, params] of Object.entries(variants)) {
            const own = reason === '' ? undefined : errors[`${code}_${reason}`]
            const key = own === undefined ? code : `${code}_${reason}`
            const text = errors[key] ?? ''
            expect(text, `errors.${key}`).not.toBe('')
            for (const name of placeholders(text))
              expect(withNamedParams(params), `errors.${key} (${reason}): {{${name}}}`).toContain(
                name,
              )
          }
        }
      })

      it('name every secret, with only the params of its error', () => {
        for (const [key, params] of Object.entries(SECRET_NAME_VARIANTS)) {
          expect(errors[key], `errors.${key}`).toBeTypeOf('string')
          for (const name of placeholders(errors[key] ?? ''))
            expect(params, `errors.${key}: {{${name}}}`).toContain(name)
        }
      })
    })
  }
})

describe('errorText for the app errors', () => {
  const es = translator('es').t
  const en = translator('en').t
  const missing = (params: Partial<MissingSecretParams>): MissingSecretParams => ({
    secret: 'dbPassword',
    reason: 'unset',
    profile: 'Tienda',
    variable: 'SHOP_DB_PASSWORD',
    target: '',
    position: '',
    ...params,
  })
  const said = (t: typeof es, error: unknown) =>
    errorText(
      t,
      toErrorValue(error, () => {}),
    )

  it('says a missing secret in Spanish for every reason', () => {
    expect(said(es, new MissingSecretError(missing({ reason: 'unset' })))).toBe(
      'La variable de entorno SHOP_DB_PASSWORD (la contraseña de la base de datos del perfil "Tienda") no está definida: defínela antes de iniciar Purchase Sender.',
    )
    expect(
      said(es, new MissingSecretError(missing({ reason: 'empty', secret: 'connectifKey' }))),
    ).toBe(
      'La variable de entorno SHOP_DB_PASSWORD (la clave de API de Connectif del perfil "Tienda") está vacía: dale un valor antes de iniciar Purchase Sender.',
    )
    expect(
      said(
        es,
        new MissingSecretError(
          missing({ reason: 'unnamed', secret: 'webserviceKey', variable: '' }),
        ),
      ),
    ).toBe(
      'El perfil "Tienda" no indica ninguna variable de entorno para la clave del Webservice: indica una en el perfil y defínela antes de iniciar Purchase Sender.',
    )
    expect(
      said(
        es,
        new MissingSecretError(
          missing({
            reason: 'not_saved',
            secret: 'targetKey',
            variable: '',
            target: 'lang=es,currency=EUR',
            position: '2',
          }),
        ),
      ),
    ).toBe(
      'No hay ninguna clave de API de Connectif del destino 2 (español · EUR) guardada para el perfil "Tienda": edita el perfil y escríbela.',
    )
    expect(
      said(
        es,
        new MissingSecretError(
          missing({ reason: 'not_saved', secret: 'targetKey', variable: '', position: '3' }),
        ),
      ),
    ).toMatch(/^No hay ninguna clave de API de Connectif del destino 3 \(sin condición\) guardada/)
  })

  it('says a missing secret in English as its message does', () => {
    for (const reason of ['unset', 'empty', 'unnamed'] as const) {
      const error = new MissingSecretError(missing({ reason, secret: 'connectifKey' }))
      expect(said(en, error)).toBe(error.message)
    }
    const target = new MissingSecretError(
      missing({ secret: 'targetKey', target: 'lang=es', position: '2' }),
    )
    // Its target named by what it serves, not by the label the message (for logs) carries.
    expect(target.message).toContain('(lang=es)')
    expect(said(en, target)).toBe(target.message.replace('(lang=es)', '(Spanish, any currency)'))
  })

  it('says a taken profile name in Spanish with the name', () => {
    expect(
      errorText(es, {
        code: 'profile_exists',
        message:
          'A profile named "Tienda España" already exists (names ignore case); choose another name.',
        params: { profile: 'Tienda España' },
      }),
    ).toBe(
      'Ya existe un perfil llamado "Tienda España" (los nombres no distinguen entre mayúsculas y minúsculas); elige otro nombre.',
    )
  })

  it('says each situation of a code, and a sending state by its name', () => {
    expect(
      errorText(es, {
        code: 'sending_in_progress',
        message: '…',
        params: { reason: 'retry', sending: '7', profile: 'Tienda' },
      }),
    ).toBe(
      'El envío #7 sigue en curso: espera a que termine antes de reintentar sus pedidos fallidos.',
    )
    expect(
      errorText(es, {
        code: 'report_empty',
        message: '…',
        params: { reason: 'all_created', sending: '7', all: 'false' },
      }),
    ).toBe(
      'Todos los pedidos del envío #7 se crearon en Connectif: no hay nada que incluir en el informe.',
    )
    expect(
      errorText(es, {
        code: 'sending_not_running',
        message: '…',
        params: { sending: '7', state: 'completed_with_errors' },
      }),
    ).toBe('El envío #7 no está en curso: su estado es "Completado con errores".')
  })

  it('says where a report could not be saved, and why, in Spanish', () => {
    expect(
      errorText(es, {
        code: 'report_write_failed',
        message: '…',
        params: { path: '/home/ana/Informes/julio.csv', cause: 'EACCES' },
      }),
    ).toBe(
      'No se pudo guardar el informe en /home/ana/Informes/julio.csv (EACCES): no se ha escrito nada allí. Elige otra carpeta, o comprueba que esta existe, se puede escribir en ella y tiene espacio libre.',
    )
  })

  it('says a refused sync with the params checkSyncRequest gives', () => {
    const profile = { name: 'Tienda', defaultStateIds: [] } as unknown as Profile
    const refusal = (request: Parameters<typeof checkSyncRequest>[0]): unknown => {
      try {
        checkSyncRequest(request)
      } catch (error) {
        return error
      }
      throw new Error('expected checkSyncRequest to refuse')
    }
    expect(said(es, refusal({ profile, days: 400, stateIds: [2] }))).toBe(
      'Una sincronización abarca de 1 a 365 días, hoy incluido: 400 no está permitido.',
    )
    expect(said(es, refusal({ profile }))).toBe(
      'El perfil "Tienda" no tiene estados por defecto: elige los estados que sincronizar.',
    )
  })

  it('says the English message when the sentence needs a param the error lacks', () => {
    // A sending's fatal error is recorded with its code and message only.
    const fatal = {
      code: 'store_unsupported_version',
      message: 'This store runs PrestaShop 1.5.6.2.',
    }
    expect(errorText(es, fatal)).toBe(fatal.message)
    expect(errorText(es, { code: 'store_connection_lost', message: 'Lost.' })).toBe(
      'Se perdió la conexión con la tienda.',
    )
  })
})

describe('error values', () => {
  it('carry the params of history and secret store errors', () => {
    const log = () => {}
    expect(
      toErrorValue(new HistoryError('profile_exists', 'Taken.', { profile: 'Tienda' }), log),
    ).toEqual({ code: 'profile_exists', message: 'Taken.', params: { profile: 'Tienda' } })
    expect(toErrorValue(new HistoryError('sending_not_found', 'None.'), log)).toEqual({
      code: 'sending_not_found',
      message: 'None.',
    })
    expect(
      toErrorValue(
        new SecretStoreError('secrets_unavailable', 'No.', { reason: 'environment' }),
        log,
      ),
    ).toEqual({ code: 'secrets_unavailable', message: 'No.', params: { reason: 'environment' } })
    expect(toErrorValue(new SecretStoreError('secret_unreadable', 'Lost.'), log)).toEqual({
      code: 'secret_unreadable',
      message: 'Lost.',
    })
  })
})

describe('history errors', () => {
  let directory: string
  let databasePath: string
  const stores: HistoryStore[] = []

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'purchase-sender-errors-'))
    databasePath = path.join(directory, 'history.sqlite')
  })

  afterEach(async () => {
    for (const store of stores.splice(0)) store.close()
    await rm(directory, { recursive: true, force: true })
  })

  function open(): HistoryStore {
    const store = HistoryStore.open(databasePath, { isProcessAlive: () => true })
    stores.push(store)
    return store
  }

  const profileInput = (name: string): ProfileInput => ({
    name,
    source: {
      kind: 'database',
      host: '127.0.0.1',
      port: 3306,
      user: 'prestashop',
      database: 'prestashop',
      tablePrefix: 'ps_',
      ssl: false,
      passwordEnv: 'PS_DB_PASSWORD',
    },
    connectif: { apiUrl: 'https://api.connectif.cloud', keyEnv: 'CONNECTIF_API_KEY' },
    shopIds: [1],
    languageIso: 'es',
    defaultStateIds: [2],
  })

  const sendingInput = (profileId: number): NewSending => ({
    profileId,
    from: '2025-01-01',
    to: '2025-01-31',
    stateIds: [2],
    shopIds: [1],
    mode: 'cli',
    options: { triggerWorkflows: false, createContacts: true, createProducts: true, rateLimit: 60 },
    expectedTotal: 1,
    ownerPid: process.pid,
  })

  function thrown(action: () => unknown): HistoryError {
    try {
      action()
    } catch (error) {
      expect(error).toBeInstanceOf(HistoryError)
      return error as HistoryError
    }
    throw new Error('expected a HistoryError')
  }

  /** The error gives every param its code's sentence for its reason may use. */
  function expectVariant(error: HistoryError, code: string, reason: string): void {
    expect(error.code).toBe(code)
    expect(error.params['reason'] ?? '').toBe(reason)
    const expected = APP_ERROR_VARIANTS[code]?.[reason]
    expect(expected, `${code} (${reason}) is listed`).toBeDefined()
    for (const name of expected ?? [])
      expect(error.params, `${code} (${reason})`).toHaveProperty(name)
    // And it reads in Spanish without a hole.
    const text = errorText(translator('es').t, error)
    expect(text, `${code} (${reason})`).not.toBe(error.message)
  }

  it('are thrown with the params their sentences use', () => {
    const store = open()
    const profile = store.profiles.create(profileInput('Tienda'))
    expectVariant(
      thrown(() => store.profiles.create(profileInput('TIENDA'))),
      'profile_exists',
      '',
    )
    expectVariant(
      thrown(() => store.profiles.get(999)),
      'profile_not_found',
      'id',
    )
    expectVariant(
      thrown(() => store.getSending(999)),
      'sending_not_found',
      '',
    )

    const first = store.createSending(sendingInput(profile.id))
    store.recordOrders(
      first.id,
      [
        {
          orderId: 1,
          reference: 'REF1',
          orderDate: '2025-01-02T10:00:00+01:00',
          customerEmail: 'one@example.com',
          total: '10.00',
          shopId: 1,
          stateId: 2,
          result: 'pending',
          payload: '{}',
          message: null,
        },
      ],
      { placedAt: 'a', orderId: 1 },
      true,
    )
    expectVariant(
      thrown(() => store.createSending(sendingInput(profile.id))),
      'sending_in_progress',
      'start',
    )
    expectVariant(
      thrown(() => store.profiles.remove(profile.id)),
      'sending_in_progress',
      'remove',
    )
    expectVariant(
      thrown(() => store.prepareResume(first.id)),
      'sending_in_progress',
      'resume',
    )
    expectVariant(
      thrown(() => store.resetFailedToPending(first.id)),
      'sending_in_progress',
      'retry',
    )

    store.finishSending(first.id, 'interrupted')
    const second = store.createSending(sendingInput(profile.id))
    expectVariant(
      thrown(() => store.prepareResume(first.id)),
      'sending_in_progress',
      'reopen',
    )
    store.recordOrders(second.id, [], null, true)
    store.finishSending(second.id, 'cancelled')
    expectVariant(
      thrown(() => store.prepareResume(second.id)),
      'sending_not_resumable',
      'done',
    )

    store.prepareResume(first.id)
    store.writeResults(first.id, [
      {
        orderId: 1,
        result: 'failed',
        httpStatus: 400,
        errorCode: 'invalid_purchase',
        message: 'Refused',
        response: null,
        attempts: 1,
        sentAt: '2025-03-01T10:00:05.000Z',
      },
    ])
    store.finishSending(first.id, 'completed_with_errors')
    expectVariant(
      thrown(() => store.prepareResume(first.id)),
      'sending_not_resumable',
      'failed',
    )
  })

  it('say that the sending in the way was started by a schedule', () => {
    const store = open()
    const profile = store.profiles.create(profileInput('Tienda'))
    const scheduled = store.createSending({ ...sendingInput(profile.id), origin: 'scheduled' })
    const error = thrown(() => store.createSending(sendingInput(profile.id)))
    expectVariant(error, 'sending_in_progress', 'start')
    expect(error.params).toMatchObject({ origin: 'scheduled', running: String(scheduled.id) })
    expect(errorText(translator('en').t, error)).toBe(
      `A scheduled sync of profile "Tienda" is running (sending #${scheduled.id}): wait for it to finish before starting another sending.`,
    )
    expect(errorText(translator('es').t, error)).toBe(
      `Hay una sincronización programada del perfil "Tienda" en curso (envío #${scheduled.id}): espera a que termine antes de iniciar otro envío.`,
    )
    // A situation with no sentence of its own for a scheduled sending says its usual one.
    const removal = thrown(() => store.profiles.remove(profile.id))
    expect(removal.params['origin']).toBe('scheduled')
    expect(errorText(translator('es').t, removal)).toBe(
      `El perfil "Tienda" no se puede eliminar mientras el envío #${scheduled.id} esté en curso.`,
    )

    // A manual sending in the way is said as before.
    store.finishSending(scheduled.id, 'cancelled')
    const manual = store.createSending(sendingInput(profile.id))
    const again = thrown(() =>
      store.createSending({ ...sendingInput(profile.id), origin: 'scheduled' }),
    )
    expect(again.params['origin']).toBe('manual')
    expect(errorText(translator('en').t, again)).toBe(
      `Profile "Tienda" already has sending #${manual.id} in progress. Wait for it to finish or cancel it before starting another.`,
    )
  })

  it('refuse a newer database with its versions', () => {
    open().close()
    stores.splice(0)
    const db = new Database(databasePath)
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`)
    db.close()
    const error = thrown(() => open())
    expectVariant(error, 'database_newer_than_app', '')
    expect(error.params).toMatchObject({
      version: String(LATEST_SCHEMA_VERSION + 1),
      supported: String(LATEST_SCHEMA_VERSION),
    })
  })
})

describe('error details', () => {
  const es = translator('es').t

  it('say a sending rule, a profile rule and a field of their own', () => {
    expect(
      ruleMessage(es, {
        field: 'targets',
        code: 'target_unknown_currency',
        message: 'Target 2 (currency=GBP) serves the currency "GBP", …',
        params: { position: '2', label: 'currency=GBP', value: 'GBP', known: 'EUR, USD' },
      }),
    ).toBe(
      'El destino 2 (GBP, cualquier idioma) atiende la moneda "GBP", que la tienda no tiene (tiene EUR, USD).',
    )
    expect(ruleMessage(es, { field: 'to', code: 'to_before_from', message: '…', params: {} })).toBe(
      'La fecha de fin es anterior a la de inicio.',
    )
    expect(
      ruleMessage(es, { field: 'source.port', code: 'port', message: 'source.port must be…' }),
    ).toBe('Escribe un puerto entre 1 y 65535.')
    expect(
      ruleMessage(es, {
        field: 'secrets.targetKeys.es-eur',
        code: 'unknown_target',
        message: '"es-eur" is not a target of the profile.',
        params: { id: 'es-eur' },
      }),
    ).toBe('"es-eur" no es un destino del perfil.')
    // A request field zod refused: its English message.
    expect(
      ruleMessage(es, { field: 'from', code: 'invalid_type', message: 'Expected string' }),
    ).toBe('Expected string')
  })

  it('follow the sentence of their error, without repeating it', () => {
    const describe = (error: AppError) =>
      errorWithDetails(
        es,
        toErrorValue(error, () => {}),
        (detail) => ruleMessage(es, detail),
      )
    const url = new AppError(
      'invalid_url',
      '"x" is not a web address.',
      { reason: 'not_address', input: 'x' },
      [
        {
          field: 'source.url',
          code: 'invalid_url',
          message: '"x" is not a web address.',
          params: { reason: 'not_address', input: 'x' },
        },
      ],
    )
    expect(describe(url)).toEqual({
      text: '"x" no es una dirección web. Escribe la dirección de la tienda, p. ej. https://www.example.com/.',
      details: [],
    })
    const range = new AppError('invalid_range', '…', undefined, [
      { field: 'from', code: 'from_invalid', message: '…', params: { from: '2025-02-30' } },
      { field: 'to', code: 'to_invalid', message: '…', params: { to: '2025-02-31' } },
    ])
    expect(describe(range)).toEqual({
      text: 'El rango de fechas no es válido.',
      details: ['La fecha de inicio no es un día válido.', 'La fecha de fin no es un día válido.'],
    })
  })
})
