import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RequestError, Response } from 'got'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { classifyDatabaseError } from '../../main/core/store/database/database-connection'
import type { DatabaseConnectionOptions } from '../../main/core/store/database/database-connection'
import { localBounds, validateShops, validateStates } from '../../main/core/store/order-assembly'
import { StoreConfiguration } from '../../main/core/store/store-configuration'
import { StoreError } from '../../main/core/store/store-errors'
import { parseVersion, StoreSettings } from '../../main/core/store/store-settings'
import {
  normaliseShopUrl,
  redirectTarget,
  tooManyRedirects,
} from '../../main/core/store/webservice/webservice-address'
import { ProbeSignal, readAnswer } from '../../main/core/store/webservice/webservice-answers'
import {
  networkFailure,
  tlsFailure,
} from '../../main/core/store/webservice/webservice-network-errors'
import { entitiesOf } from '../../main/core/store/webservice/webservice-values'
import { expectTranslatable } from './translatable-errors'

/** What `action` throws, checked to be translatable. */
function thrown(action: () => unknown, options?: { englishIsMessage?: boolean }): StoreError {
  let caught: unknown = null
  try {
    action()
  } catch (error) {
    caught = error
  }
  expectTranslatable(caught, options)
  return caught as StoreError
}

describe('StoreError params', () => {
  it('are given at every `new StoreError(` of the store readers', () => {
    const root = join(import.meta.dirname, '../../main/core/store')
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('.ts'),
    )
    const missing: string[] = []
    let sites = 0
    for (const file of files) {
      const source = ts.createSourceFile(
        file,
        readFileSync(join(root, file), 'utf8'),
        ts.ScriptTarget.Latest,
        true,
      )
      const visit = (node: ts.Node): void => {
        if (
          ts.isNewExpression(node) &&
          ts.isIdentifier(node.expression) &&
          node.expression.text === 'StoreError'
        ) {
          sites += 1
          const options = node.arguments?.[2]
          const hasParams =
            options !== undefined &&
            ts.isObjectLiteralExpression(options) &&
            options.properties.some(
              (property) =>
                (ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) &&
                property.name.getText(source) === 'params',
            )
          if (!hasParams) {
            const { line } = source.getLineAndCharacterOfPosition(node.getStart(source))
            missing.push(`${file}:${line + 1}`)
          }
        }
        ts.forEachChild(node, visit)
      }
      visit(source)
    }
    expect(sites).toBeGreaterThan(50)
    expect(missing).toEqual([])
  })

  it('are empty, not missing, on an error made without them', () => {
    expect(new StoreError('missing_table', 'x').params).toEqual({})
  })
})

describe('store errors in the user language: the settings and the requests', () => {
  it('version and configuration', () => {
    thrown(() => parseVersion(null))
    expect(thrown(() => parseVersion('1.5.6.2')).params).toEqual({ version: '1.5.6.2' })
    const settings = (shops: { id: number; name: string }[], timezone: string): StoreSettings =>
      new StoreSettings({
        version: parseVersion('8.2.0'),
        configuration: new StoreConfiguration([
          { name: 'PS_TIMEZONE', value: timezone, shopId: null, shopGroupId: null },
        ]),
        languages: [],
        currencies: [],
        shops: shops.map((shop) => ({ ...shop, groupId: 1, active: true, deleted: false })),
        shopUrls: [],
        imageTypes: [],
      })
    thrown(() => settings([], 'Europe/Madrid'))
    expect(thrown(() => settings([{ id: 1, name: 'Main' }], 'Mars/Olympus')).params).toEqual({
      reason: 'time_zone',
      shop: 'Main',
      timezone: 'Mars/Olympus',
    })
  })

  it('order filters', () => {
    thrown(() => validateStates([]))
    expect(thrown(() => validateStates([2, -1])).params).toEqual({ reason: 'state_id', id: '-1' })
    expect(thrown(() => validateShops([1.5])).params).toEqual({ reason: 'shop_id', id: '1.5' })
    const range = (from: string, to: string) => ({ range: { from, to }, stateIds: [1] })
    // On screen its days are in the locale's format, not as the message writes them.
    const englishIsMessage = false
    expect(
      thrown(() => localBounds(range('2025-03-01', '2025-02-01')), { englishIsMessage }).params,
    ).toEqual({
      reason: 'end_before_start',
      from: '2025-03-01',
      to: '2025-02-01',
    })
    thrown(() => localBounds(range('2025-02-30', '2025-03-01')), { englishIsMessage })
  })
})

describe('store errors in the user language: the database', () => {
  const options: DatabaseConnectionOptions = {
    host: 'db.example.com',
    port: 3306,
    user: 'shop',
    password: 'secret',
    database: 'prestashop',
    tablePrefix: 'ps_',
  }
  const classified = (error: object): StoreError =>
    thrown(() => {
      throw classifyDatabaseError(error, options)
    })

  it('every mysql2 and socket failure', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT'])
      classified({ code })
    for (const code of ['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR'])
      classified({ code })
    for (const code of ['PROTOCOL_CONNECTION_LOST', 'HANDSHAKE_SSL_ERROR'])
      classified({ code, message: 'handshake failed' })
    expect(
      classified({ code: 'ER_TABLEACCESS_DENIED_ERROR', sqlMessage: 'SELECT denied on ps_orders' })
        .params,
    ).toEqual({
      reason: 'denied',
      user: 'shop',
      detail: 'SELECT denied on ps_orders',
      database: 'prestashop',
    })
    expect(classified({ code: 'ER_PARSE_ERROR', sqlMessage: 'syntax' }).params).toEqual({
      reason: 'db_error',
      detail: 'syntax',
    })
    expect(classified({ code: 'ECONNREFUSED' }).params).toEqual({
      reason: 'db_refused',
      host: 'db.example.com',
      port: '3306',
    })
  })
})

describe('store errors in the user language: the Webservice', () => {
  const base = new URL('https://shop.example.com/boutique/')

  it('the shop address and its redirects', () => {
    expect(thrown(() => normaliseShopUrl('http://')).params).toEqual({
      reason: 'not_address',
      input: 'http://',
    })
    thrown(() => normaliseShopUrl('ftp://shop.example.com'))
    thrown(() => normaliseShopUrl('https://user:pw@shop.example.com'))
    const from = new URL('https://shop.example.com/boutique/api/orders')
    thrown(() => redirectTarget(from, undefined, 302, base))
    expect(
      thrown(() => redirectTarget(from, 'http://shop.example.com/boutique/', 301, base)).params,
    ).toEqual({
      reason: 'other_origin',
      from: 'https://shop.example.com',
      to: 'http://shop.example.com',
      suggestedUrl: 'http://shop.example.com/boutique/',
    })
    thrown(() => redirectTarget(from, 'https://www.example.com/', 301, base))
    thrown(() => {
      throw tooManyRedirects(3, base)
    })
  })

  it('the answers', () => {
    const answer = (
      statusCode: number,
      body: string,
      headers: Record<string, string> = {},
      resource = 'orders',
    ): StoreError =>
      thrown(
        () =>
          readAnswer(
            { statusCode, body, headers } as unknown as Response<string>,
            resource,
            base,
            false,
          ),
        // "the resource list" is the message's stand-in for a resource name, quotes and all.
        { englishIsMessage: resource !== '' },
      )
    const json = { 'content-type': 'application/json', 'x-powered-by': 'PrestaShop Webservice' }
    const prestashop = (code: number): string =>
      JSON.stringify({ errors: [{ code, message: `error ${code}` }] })
    answer(401, '')
    expect(answer(503, prestashop(22), json).params).toEqual({
      host: 'shop.example.com',
      said: '[22] error 22',
    })
    answer(401, prestashop(17), json)
    answer(401, prestashop(21), json)
    answer(401, prestashop(99), json)
    answer(403, prestashop(26), json)
    answer(403, prestashop(26), json, '')
    answer(400, prestashop(132), json)
    answer(502, '<html>bad gateway</html>', { 'content-type': 'text/html' })
    answer(500, prestashop(99), json)
    answer(404, '{}', json)
    answer(400, prestashop(99), json)
    answer(503, '<!doctype html><p>maintenance</p>', { 'content-type': 'text/html' })
    answer(403, '<html>blocked</html>', { 'content-type': 'text/html' })
    answer(404, 'not found')
    answer(200, '<html>login</html>', { 'content-type': 'text/html' })
    answer(200, '<?xml version="1.0"?><prestashop/>', { 'content-type': 'text/xml' })
    answer(200, 'garbage')
    answer(200, 'garbage', { 'content-type': 'text/plain' })
    answer(
      200,
      '<?xml version="1.0"?><prestashop><errors><error><code>22</code><message>off</message></error></errors></prestashop>',
    )
    thrown(() => entitiesOf({ orders: 'nope' }, 'orders'))
    expect(() =>
      readAnswer(
        { statusCode: 401, body: '', headers: {} } as unknown as Response<string>,
        '',
        base,
        true,
      ),
    ).toThrow(ProbeSignal)
  })

  it('the network', () => {
    const failure = (code: string, name = 'RequestError'): RequestError =>
      ({ code, name, message: `${code} happened` }) as unknown as RequestError
    for (const code of [
      'CERT_HAS_EXPIRED',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'EPROTO',
    ])
      thrown(() => {
        throw tlsFailure(failure(code), base)
      })
    for (const attempts of [1, 3]) {
      for (const code of ['ETIMEDOUT', 'ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH'])
        thrown(() => {
          throw networkFailure(failure(code), base, 60_000, attempts)
        })
    }
    expect(
      thrown(() => {
        throw networkFailure(failure('', 'TimeoutError'), base, 60_000, 3)
      }).params,
    ).toEqual({ reason: 'ws_timeout', host: 'shop.example.com', seconds: '60', count: '3' })
  })
})
