/**
 * The profile form's pure parts: its values from a saved profile and back to the fields and the
 * draft main receives, and its validation with the profile model's schema, said in the UI's
 * language (no React: these run on Node).
 */
import i18next, { type TFunction } from 'i18next'
import type { FieldErrors, ResolverOptions } from 'react-hook-form'
import { describe, expect, it } from 'vitest'
import type { AppErrorValue, ProfileView } from '../../preload/contract'
import {
  changeClearsServerError,
  errorMessages,
  serverDetailText,
  serverFieldProblem,
  serverTargetProblems,
} from '../../renderer/components/profile-editor/form-errors'
import {
  emptySource,
  newTarget,
  portFromText,
  profileDraft,
  profileFormValues,
  shopIdFromText,
  toProfileFields,
  type DatabaseSourceForm,
  type ProfileFormValues,
  type TargetForm,
  type WebserviceSourceForm,
} from '../../renderer/components/profile-editor/profile-form'
import {
  createProfileFormSchema,
  profileFormResolver,
} from '../../renderer/components/profile-editor/profile-form-schema'
import en from '../../renderer/i18n/en.json'
import es from '../../renderer/i18n/es.json'
import { PROFILE_RULE_CODES } from '../../main/core/profiles/profile-rules'
import { isProfileRuleCode, profileRuleMessages } from '../../renderer/i18n/profile-rule-messages'

function translator(language: 'en' | 'es'): TFunction {
  const instance = i18next.createInstance()
  void instance.init({
    resources: { en: { translation: en }, es: { translation: es } },
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    initAsync: false,
  })
  return instance.getFixedT(language)
}
const english = translator('en')
const spanish = translator('es')

const SAVED: ProfileView = {
  id: 7,
  name: 'Main store',
  source: {
    kind: 'database',
    host: 'db.example',
    port: 3307,
    user: 'shop',
    database: 'prestashop',
    tablePrefix: 'ps_',
    ssl: true,
    passwordEnv: null,
  },
  connectif: {
    apiUrl: 'https://api.connectif.cloud',
    keyEnv: 'CONNECTIF_KEY',
    mainAccount: false,
    targets: [
      {
        id: 'target-1',
        label: 'currency=USD',
        apiUrl: 'https://api.connectif.cloud',
        keyEnv: null,
        languages: [],
        currencies: ['USD'],
        shopIds: [],
      },
      {
        id: 'target-3',
        label: 'lang=es,shops=2',
        apiUrl: 'https://api.connectif.cloud',
        keyEnv: 'ES_KEY',
        languages: ['es'],
        currencies: [],
        shopIds: [2],
      },
    ],
  },
  shopIds: [1, 2],
  languageIso: 'es',
  defaultStateIds: [2, 5],
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  secrets: {
    dbPassword: 'saved',
    webserviceKey: 'not-needed',
    connectifKey: 'not-needed',
    targetKeys: { 'target-1': 'saved', 'target-3': 'missing' },
  },
  schedule: null,
}

/** A valid new profile's form, as typed in browser mode. */
function newForm(): ProfileFormValues {
  const values = profileFormValues(null)
  values.name = 'Shop'
  values.source = {
    ...(emptySource('database') as DatabaseSourceForm),
    user: 'shop',
    database: 'prestashop',
  }
  values.connectif.keyEnv = 'CONNECTIF_KEY'
  return values
}

function target(id: string, change: Partial<TargetForm>): TargetForm {
  return {
    ...newTarget([], ''),
    id,
    keyEnv: `${id.replace('-', '_').toUpperCase()}_KEY`,
    ...change,
  }
}

/** The form's issues by field, as the form's schema gives them. */
function issues(values: ProfileFormValues, t: TFunction, browserMode = true) {
  const parsed = createProfileFormSchema(t, browserMode).safeParse(toProfileFields(values))
  const found: Record<string, string[]> = {}
  for (const issue of parsed.success ? [] : parsed.error.issues)
    (found[issue.path.join('.')] ??= []).push(issue.message)
  return found
}

describe('profile form values', () => {
  it('start a new profile as a local database with the default Connectif account', () => {
    const values = profileFormValues(null)
    expect(values.source).toEqual(emptySource('database'))
    expect(values.connectif).toEqual({
      apiUrl: 'https://api.connectif.cloud',
      keyEnv: '',
      mainAccount: true,
      targets: [],
    })
    expect(values.languageIso).toBe('')
  })

  it('come back to the saved profile’s fields', () => {
    expect(toProfileFields(profileFormValues(SAVED))).toEqual({
      name: 'Main store',
      source: { ...SAVED.source },
      connectif: {
        apiUrl: 'https://api.connectif.cloud',
        keyEnv: 'CONNECTIF_KEY',
        mainAccount: false,
        targets: SAVED.connectif.targets.map(({ label: _label, ...fields }) => fields),
      },
      shopIds: [1, 2],
      languageIso: 'es',
      defaultStateIds: [2, 5],
    })
    const webservice = {
      ...SAVED,
      source: { kind: 'webservice', url: 'https://shop/', keyEnv: null },
    }
    expect(toProfileFields(profileFormValues(webservice as ProfileView)).source).toEqual({
      kind: 'webservice',
      url: 'https://shop/',
      keyEnv: null,
      keyInUrl: false,
    })
  })

  it('trim what is typed, send blank variables as none, and use the main account without targets', () => {
    const values = newForm()
    values.name = '  Shop  '
    values.connectif.keyEnv = '  '
    values.connectif.mainAccount = false
    values.languageIso = ''
    const fields = toProfileFields(values)
    expect(fields.name).toBe('Shop')
    expect(fields.connectif.keyEnv).toBeNull()
    expect(fields.connectif.mainAccount).toBe(true)
    expect(fields.languageIso).toBeNull()
  })

  it('read a port and a shop id from their text', () => {
    expect(portFromText(' 3306 ')).toBe(3306)
    expect(portFromText('')).toBe(0)
    expect(portFromText('33o6')).toBe(0)
    expect(shopIdFromText('2')).toBe(2)
    expect(shopIdFromText('1.5')).toBe(1.5)
    expect(shopIdFromText('two')).toBeNull()
  })

  it('give a new target an id no target of the session had', () => {
    expect(newTarget(['target-1', 'target-2'], ' https://other/ ')).toMatchObject({
      id: 'target-3',
      apiUrl: 'https://other/',
    })
    expect(newTarget([], '').apiUrl).toBe('https://api.connectif.cloud')
  })
})

describe('profile drafts', () => {
  it('carry the secrets typed in the desktop app: new, removed, kept', () => {
    const values = profileFormValues(SAVED)
    values.secrets.dbPassword = { value: '', clear: true }
    values.secrets.connectifKey = { value: 'never sent', clear: false }
    const [usd, spain] = values.connectif.targets as [TargetForm, TargetForm]
    spain.key = { value: 'es-key', clear: false }
    expect(usd.key).toEqual({ value: '', clear: false })
    const draft = profileDraft(values, SAVED, false)
    expect(draft.id).toBe(7)
    expect(draft.secrets).toEqual({
      dbPassword: { clear: true },
      // The main account is off: its key is not part of the draft.
      targetKeys: { 'target-1': { keep: true }, 'target-3': { set: 'es-key' } },
    })
  })

  it('carry no secret in browser mode, and keep nothing for a new profile', () => {
    const values = newForm()
    values.secrets.dbPassword = { value: 'typed', clear: false }
    expect(profileDraft(values, SAVED, true).secrets).toEqual({})
    expect(profileDraft(newForm(), null, false)).toMatchObject({ id: null, secrets: {} })
  })
})

describe('profile form validation', () => {
  it('accepts a valid profile', () => {
    expect(issues(newForm(), english)).toEqual({})
  })

  it('says a bad environment variable name in Spanish, on its field', () => {
    const values = newForm()
    values.connectif.keyEnv = '1 KEY'
    expect(issues(values, spanish)).toEqual({
      'connectif.keyEnv': [
        'Un nombre de variable tiene letras, dígitos y guiones bajos, y no empieza por un dígito. Escribe aquí el nombre de la variable, nunca el secreto.',
      ],
    })
    values.connectif.keyEnv = 'A1B2C3D4E5F6G7H8I9J0K1L2M3N4O5P6'
    expect(issues(values, spanish)['connectif.keyEnv']).toEqual([
      es.profileRules.env_looks_like_secret,
    ])
  })

  it('says on both targets that they overlap', () => {
    const values = newForm()
    values.connectif.targets = [
      target('target-1', { currencies: ['USD'] }),
      target('target-2', { currencies: ['USD'], languages: ['es'] }),
    ]
    const overlap =
      'Los destinos 1 (USD, cualquier idioma) y 2 (español · USD) atenderían ambos algunos pedidos (idioma español, moneda USD, tienda cualquiera); cada pedido debe tener un único destino.'
    expect(issues(values, spanish)).toEqual({
      'connectif.targets.0.id': [overlap],
      'connectif.targets.1.id': [overlap],
    })
    expect(issues(values, english)['connectif.targets.1.id']).toEqual([
      'Targets 1 (USD, any language) and 2 (Spanish · USD) would both serve some orders (language Spanish, currency USD, shop any); each order must have exactly one target.',
    ])
  })

  it('says what a target without a condition or with a wrong code lacks', () => {
    const values = newForm()
    values.connectif.targets = [target('target-1', {}), target('target-2', { languages: ['xyz'] })]
    const found = issues(values, spanish)
    expect(found['connectif.targets.0.languages']).toEqual([
      'El destino 1 (sin condición) no indica ningún idioma, moneda ni tienda, así que atendería todos los pedidos: eso ya lo hace la cuenta principal de Connectif.',
    ])
    expect(found['connectif.targets.1.languages']).toEqual([
      'Destino 2 (xyz, cualquier moneda): "xyz" no es un código ISO de idioma como "es" o "en".',
    ])
  })

  it('says what an empty field needs, and which variables browser mode needs', () => {
    const values = profileFormValues(null)
    values.connectif.targets = [target('target-1', { currencies: ['USD'], keyEnv: '' })]
    expect(issues(values, english)).toEqual({
      name: ['Give the profile a name.'],
      'source.user': ['Enter the database user.'],
      'source.database': ['Enter the database name.'],
      'connectif.keyEnv': ['Name the variable that holds the Connectif API key.'],
      'connectif.targets.0.keyEnv': ["Name the variable that holds this account's API key."],
    })
    // The desktop app keeps its secrets itself: no variable is needed there.
    expect(Object.keys(issues(values, english, false))).toEqual([
      'name',
      'source.user',
      'source.database',
    ])
  })

  it('leaves the shop address to main, which completes it before checking it', () => {
    const values = newForm()
    const source: WebserviceSourceForm = {
      kind: 'webservice',
      url: 'shop.example.com',
      keyEnv: 'WS_KEY',
      keyInUrl: false,
    }
    values.source = source
    expect(issues(values, english)).toEqual({})
    source.url = ' '
    expect(issues(values, spanish)).toEqual({
      'source.url': ['Escribe la dirección de la tienda, p. ej. https://www.example.com/.'],
    })
    values.connectif.apiUrl = 'ftp://api.example'
    expect(issues(values, english)['connectif.apiUrl']).toEqual([
      'The address must start with https:// or http://.',
    ])
  })

  it('gives react-hook-form every message of a field, and the form values when valid', async () => {
    const resolver = profileFormResolver(spanish, true)
    const options = {
      criteriaMode: 'all',
      fields: {},
      names: [],
      shouldUseNativeValidation: false,
    } as unknown as ResolverOptions<ProfileFormValues>
    const values = newForm()
    values.connectif.targets = [target('target-1', { languages: ['x1', 'y2'] })]
    const invalid = await resolver(values, undefined, options)
    const errors = invalid.errors as FieldErrors<ProfileFormValues>
    expect(errorMessages(errors.connectif?.targets?.[0]?.languages)).toEqual([
      'Destino 1 (x1 o y2, cualquier moneda): "x1" no es un código ISO de idioma como "es" o "en".',
      'Destino 1 (x1 o y2, cualquier moneda): "y2" no es un código ISO de idioma como "es" o "en".',
    ])
    const valid = await resolver(newForm(), undefined, options)
    expect(valid).toEqual({ values: newForm(), errors: {} })
  })
})

describe('profile rule sentences', () => {
  it('are translated into Spanish, every one, with its params', () => {
    const say = profileRuleMessages(spanish)
    for (const code of PROFILE_RULE_CODES) expect(Object.keys(es.profileRules)).toContain(code)
    expect(say('too_long', { max: '100' })).toBe('Usa como máximo 100 caracteres.')
    expect(say('url_secret_query', { parameter: 'ws_key' })).toContain('("ws_key")')
    expect(say('target_no_condition', { position: '2', label: '', mainAccount: 'false' })).toMatch(
      /^El destino 2 \(sin condición\) .*: conviértelo en la cuenta principal/,
    )
  })

  it('fall back to the model’s English sentences', () => {
    const say = profileRuleMessages(english)
    expect(say('target_repeats_id', { position: '1', label: 'lang=es', id: 'a' })).toBe(
      'Target 1 (Spanish, any currency) repeats the id "a".',
    )
    expect(say('port', {})).toBe('Enter a port between 1 and 65535.')
  })
})

describe("main's refusals", () => {
  // As main sends them: the broken rule and its params, and the targets a problem is about.
  const refusal: AppErrorValue = {
    code: 'invalid_profile',
    message: 'The profile was not saved: …',
    details: [
      {
        field: 'connectif.targets.0',
        code: 'targets_overlap',
        message: 'Targets 1 (currency=USD) and 3 (currency=USD) would both serve some orders (…)',
        params: {
          first: '1',
          second: '3',
          firstLabel: 'currency=USD',
          secondLabel: 'currency=USD',
          languages: 'any',
          currencies: 'USD',
          shops: 'any',
          targets: '0,2',
        },
      },
      {
        field: 'connectif.targets.1',
        code: 'url_scheme',
        message: 'Target 2 (lang=es): apiUrl must start with https:// or http://',
        params: { targets: '1', field: 'apiUrl' },
      },
      { field: 'name', code: 'invalid', message: 'name is not a text' },
    ],
  }
  const shopAddress: AppErrorValue = {
    code: 'invalid_url',
    message: '"ftp://shop" is not an http:// or https:// address. …',
    details: [
      {
        field: 'source.url',
        code: 'invalid_url',
        message: '"ftp://shop" is not an http:// or https:// address. …',
        params: { reason: 'not_http', input: 'ftp://shop' },
      },
    ],
  }

  it('are shown on the field and on every target they are about', () => {
    expect(serverTargetProblems(refusal, 0)).toEqual([refusal.details?.[0]?.message])
    expect(serverTargetProblems(refusal, 1)).toEqual([refusal.details?.[1]?.message])
    expect(serverTargetProblems(refusal, 2)).toEqual([refusal.details?.[0]?.message])
    expect(serverFieldProblem(refusal, 'name')).toBe('name is not a text')
    expect(serverFieldProblem(refusal, 'connectif.targets.0')).toBeUndefined()
    expect(serverFieldProblem(shopAddress, 'source.url')).toBe(shopAddress.message)
    expect(serverFieldProblem(null, 'source.url')).toBeUndefined()
  })

  it('are said in the UI’s language when they name a rule or a reason', () => {
    const say = serverDetailText(spanish)
    expect(serverTargetProblems(refusal, 2, say)).toEqual([
      'Los destinos 1 (USD, cualquier idioma) y 3 (USD, cualquier idioma) atenderían ambos algunos pedidos (idioma cualquiera, moneda USD, tienda cualquiera); cada pedido debe tener un único destino.',
    ])
    expect(serverTargetProblems(refusal, 1, say)).toEqual([es.profileRules.url_scheme])
    expect(serverFieldProblem(refusal, 'name', say)).toBe('name is not a text')
    expect(serverFieldProblem(shopAddress, 'source.url', say)).toMatch(
      /^"ftp:\/\/shop" no es una dirección http:\/\/ ni https:\/\//,
    )
    expect(serverFieldProblem(shopAddress, 'source.url', serverDetailText(english))).toMatch(
      /^"ftp:\/\/shop" is not an http:\/\/ or https:\/\/ address/,
    )
    expect(isProfileRuleCode('invalid')).toBe(false)
  })

  it('go stale when what they are about changes', () => {
    expect(changeClearsServerError(refusal, 'connectif.targets.2.languages')).toBe(true)
    expect(changeClearsServerError(refusal, 'connectif.targets')).toBe(true)
    expect(changeClearsServerError(refusal, 'name')).toBe(true)
    expect(changeClearsServerError(refusal, 'source.url')).toBe(false)
    expect(changeClearsServerError(shopAddress, 'source.url')).toBe(true)
    expect(changeClearsServerError(shopAddress, 'source')).toBe(true)
    expect(changeClearsServerError(shopAddress, 'connectif.targets')).toBe(false)
  })
})
