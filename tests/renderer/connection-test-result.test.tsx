// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConnectionTest } from '../../preload/contract'
import { ConnectionTestResult } from '../../renderer/components/profile-editor/ConnectionTestResult'
import { renderWithApp, type Language } from './render-with-app'

afterEach(cleanup)

const TEST: ConnectionTest = {
  store: {
    ok: true,
    message: 'Connected: PrestaShop 8.2.0, 1 shop, 1 language.',
    version: '8.2.0',
    shops: [],
    languages: [],
    currencies: [],
    notices: [],
  },
  connectif: { ok: true, message: 'Connectif accepts the API key.', problem: 'ok' },
  accounts: [
    {
      account: 'main',
      targetId: null,
      apiUrl: 'https://api.connectif.cloud',
      keyEnv: null,
      ok: true,
      problem: 'ok',
      message: 'Connectif accepts the API key.',
      warnings: [
        {
          code: 'imports_not_allowed',
          message: 'Connectif refused the API key the Import API (403).',
          params: { account: 'main', apiUrl: 'https://api.connectif.cloud' },
        },
      ],
    },
  ],
}

describe('a connection test', () => {
  it.each<[Language, RegExp]>([
    [
      'en',
      /lacks the Imports permission: missing contacts and products will be created one at a time/,
    ],
    ['es', /no tiene el permiso de importaciones/],
  ])('warns, in %s, of a key without the Imports permission', (language, text) => {
    renderWithApp(<ConnectionTestResult test={TEST} layout="dialog" />, { language })
    const alerts = screen.getAllByRole('alert')
    // The store, the key, then the key's warning.
    expect(alerts).toHaveLength(3)
    expect(alerts[2]?.textContent).toMatch(text)
  })

  it.each<[Language, string]>([
    [
      'en',
      "http://127.0.0.1:9/ does not answer like Connectif's API: it answered 404 without Connectif's error body and rate-limit headers",
    ],
    ['es', 'http://127.0.0.1:9/ no responde como la API de Connectif: respondió 404'],
  ])('says, in %s, that an address answering 404 is not Connectif', (language, text) => {
    const [account] = TEST.accounts
    if (account === undefined) throw new Error('no account')
    renderWithApp(
      <ConnectionTestResult
        test={{
          ...TEST,
          accounts: [
            {
              ...account,
              apiUrl: 'http://127.0.0.1:9/',
              ok: false,
              problem: 'not_connectif',
              message: 'main says so in English',
              warnings: undefined,
            },
          ],
        }}
        layout="dialog"
      />,
      { language },
    )
    const alerts = screen.getAllByRole('alert')
    expect(alerts).toHaveLength(2)
    expect(alerts[1]?.textContent).toContain(text)
  })

  it('shows no warning for a key that has it', () => {
    const [account] = TEST.accounts
    renderWithApp(
      <ConnectionTestResult
        test={{ ...TEST, accounts: account ? [{ ...account, warnings: undefined }] : [] }}
        layout="card"
      />,
    )
    expect(screen.getAllByRole('alert')).toHaveLength(2)
  })
})

describe("the store's notices", () => {
  const withNotices: ConnectionTest = {
    ...TEST,
    store: {
      ...(TEST.store as Extract<ConnectionTest['store'], { ok: true }>),
      notices: [
        { code: 'no_stock_permission', message: 'The Webservice key may not read stock.' },
        { code: 'no_tax_permission', message: 'The Webservice key may not read tax rules.' },
      ],
    },
  }

  it.each<[Language, RegExp, RegExp]>([
    ['en', /may not read stock .*marked in stock/, /prices the orders were sold at/],
    ['es', /no puede leer el stock .*disponibles/, /precios a los que se vendieron/],
  ])('are warnings in %s, after the store', (language, stock, taxes) => {
    renderWithApp(<ConnectionTestResult test={withNotices} layout="dialog" />, { language })
    const alerts = screen.getAllByRole('alert')
    expect(alerts[1]?.textContent).toMatch(stock)
    expect(alerts[2]?.textContent).toMatch(taxes)
  })
})
