import { describe, expect, it } from 'vitest'
import { parseTargetSpecs } from '../../main/cli/commands/target-spec'
import { englishRuleMessages, type RuleMessages } from '../../main/core/profiles/profile-rules'
import {
  createProfileSchema,
  InvalidProfileError,
  parseProfileInput,
  type ProfileFields,
} from '../../main/core/profiles/profile-schema'

function fields(overrides: Partial<ProfileFields> = {}): ProfileFields {
  return {
    name: 'Main shop',
    source: {
      kind: 'database',
      host: 'db.example.test',
      port: 3306,
      user: 'reader',
      database: 'prestashop',
      tablePrefix: 'ps_',
      ssl: false,
      passwordEnv: null,
    },
    connectif: { apiUrl: 'https://api.connectif.cloud', keyEnv: 'CONNECTIF_KEY' },
    ...overrides,
  }
}

function target(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    apiUrl: 'https://api.connectif.cloud',
    keyEnv: `KEY_${id.toUpperCase().replace(/-/g, '_')}`,
    ...extra,
  }
}

/** The problems of a profile: where, and which rule. */
function problems(input: unknown): { path: string; rule: string; targets?: readonly number[] }[] {
  try {
    parseProfileInput(input)
  } catch (error) {
    if (!(error instanceof InvalidProfileError)) throw error
    return error.details.map(({ path, rule, targets }) => ({
      path,
      rule,
      ...(targets ? { targets } : {}),
    }))
  }
  return []
}

describe('the profile model', () => {
  it('normalises what an editor sends: trimmed, blanks to null, codes cased, ids sorted once', () => {
    const profile = parseProfileInput(
      fields({
        name: '  Main shop ',
        source: {
          kind: 'webservice',
          url: 'https://shop.example.test/',
          keyEnv: '  ',
        },
        connectif: {
          apiUrl: 'https://api.connectif.cloud',
          keyEnv: ' CONNECTIF_KEY ',
          targets: [
            target('es', {
              languages: [' ES', 'ca', 'es'],
              currencies: ['eur'],
              shopIds: [2, 1, 2],
            }),
          ],
        },
        shopIds: [3, 1, 3],
        languageIso: '',
      }),
    )
    expect(profile).toMatchObject({
      name: 'Main shop',
      source: { kind: 'webservice', keyEnv: null },
      connectif: {
        keyEnv: 'CONNECTIF_KEY',
        mainAccount: true,
        targets: [{ languages: ['ca', 'es'], currencies: ['EUR'], shopIds: [1, 2] }],
      },
      shopIds: [1, 3],
      languageIso: null,
    })
  })

  it('names the field and the rule of every problem, all at once', () => {
    expect(
      problems(
        fields({
          name: '',
          source: {
            kind: 'database',
            host: ' ',
            port: 70_000,
            user: 'reader',
            database: 'shop',
            tablePrefix: 'ps-',
            ssl: false,
            passwordEnv: '1PASSWORD',
          },
          connectif: {
            apiUrl: 'https://user:pw@api.example.test/?token=x',
            keyEnv: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ123456',
          },
          languageIso: 'Spanish',
        }),
      ),
    ).toEqual([
      { path: 'name', rule: 'required' },
      { path: 'source.host', rule: 'required' },
      { path: 'source.port', rule: 'port' },
      { path: 'source.tablePrefix', rule: 'table_prefix' },
      { path: 'source.passwordEnv', rule: 'env_name' },
      { path: 'connectif.apiUrl', rule: 'url_credentials' },
      { path: 'connectif.apiUrl', rule: 'url_secret_query' },
      { path: 'connectif.keyEnv', rule: 'env_looks_like_secret' },
      { path: 'languageIso', rule: 'language_tag' },
    ])
  })

  it('refuses targets that would both serve an order, naming both', () => {
    const found = problems(
      fields({
        connectif: {
          apiUrl: 'https://api.connectif.cloud',
          keyEnv: 'MAIN',
          targets: [
            target('es', { languages: ['es'] }),
            target('es-eur', { languages: ['es'], currencies: ['EUR'] }),
          ],
        },
      }),
    )
    expect(found).toEqual([{ path: 'connectif.targets', rule: 'targets_overlap', targets: [0, 1] }])
  })

  it('needs the main account when there is no target', () => {
    expect(
      problems(
        fields({
          connectif: { apiUrl: 'https://api.connectif.cloud', keyEnv: 'K', mainAccount: false },
        }),
      ),
    ).toEqual([{ path: 'connectif.mainAccount', rule: 'main_account_needed' }])
  })

  it('says its problems with the messages it is given (a translated form)', () => {
    const spanish: RuleMessages = (code, params) =>
      code === 'env_name'
        ? 'debe ser el nombre de una variable de entorno'
        : englishRuleMessages(code, params)
    const result = createProfileSchema(spanish).safeParse(
      fields({ connectif: { apiUrl: 'https://api.connectif.cloud', keyEnv: 'NOT-A-NAME' } }),
    )
    expect(result.success).toBe(false)
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['connectif', 'keyEnv'],
        message: 'debe ser el nombre de una variable de entorno',
        params: expect.objectContaining({ rule: 'env_name' }),
      }),
    ])
  })

  it('accepts exactly what the command line accepts for a target', () => {
    const parsed = parseTargetSpecs(
      ['lang=es+pt-br,currency=eur,shops=2,key-env=ES_KEY'],
      'https://api.connectif.cloud',
      true,
    )
    if (!('targets' in parsed)) throw new Error(parsed.problems.join('\n'))
    expect(() =>
      parseProfileInput(
        fields({
          connectif: {
            apiUrl: 'https://api.connectif.cloud',
            keyEnv: 'MAIN',
            targets: parsed.targets.map((spec) => ({
              ...spec,
              languages: [...spec.languages],
              currencies: [...spec.currencies],
              shopIds: [...spec.shopIds],
            })),
          },
        }),
      ),
    ).not.toThrow()
  })
})
