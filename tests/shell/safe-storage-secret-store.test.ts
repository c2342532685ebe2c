import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SecretStoreError } from '../../main/app/secret-store'
import { targetSecretName } from '../../preload/contract'
import {
  BASIC_TEXT_REASON,
  SafeStorageSecretStore,
  type SafeStorageLike,
} from '../../main/shell/safe-storage-secret-store'

/**
 * A stand-in for Electron's safeStorage: "encrypts" by XOR with a key and a marker, so a wrong
 * key (a changed keyring) makes decryption throw as Electron's does.
 */
function fakeSafeStorage(
  options: { backend?: string; available?: boolean; async?: boolean; key?: number } = {},
) {
  const state = {
    backend: options.backend ?? 'gnome_libsecret',
    available: options.available ?? true,
    key: options.key ?? 0x5a,
    shouldReEncrypt: false,
  }
  const encrypt = (plain: string): Buffer =>
    Buffer.from(Buffer.from(`ENC:${plain}`, 'utf8').map((byte) => byte ^ state.key))
  const decrypt = (encrypted: Buffer): string => {
    const text = Buffer.from(encrypted.map((byte) => byte ^ state.key)).toString('utf8')
    if (!text.startsWith('ENC:'))
      throw new Error(
        'Error while decrypting the ciphertext provided to safeStorage.decryptString.',
      )
    return text.slice(4)
  }
  const safeStorage: SafeStorageLike = {
    isEncryptionAvailable: () => state.available,
    getSelectedStorageBackend: () => state.backend,
    encryptString: encrypt,
    decryptString: decrypt,
    ...(options.async === false
      ? {}
      : {
          isAsyncEncryptionAvailable: () => Promise.resolve(state.available),
          encryptStringAsync: (plain: string) => Promise.resolve(encrypt(plain)),
          decryptStringAsync: (encrypted: Buffer) =>
            Promise.resolve().then(() => ({
              result: decrypt(encrypted),
              shouldReEncrypt: state.shouldReEncrypt,
            })),
        }),
  }
  return { safeStorage, state }
}

let directory: string
let filePath: string

beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'ps-secrets-'))
  filePath = path.join(directory, 'secrets.json')
})

afterEach(() => {
  rmSync(directory, { recursive: true, force: true })
})

async function store(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = 'linux',
): Promise<SafeStorageSecretStore> {
  const secrets = new SafeStorageSecretStore({
    safeStorage,
    filePath,
    platform,
    log: () => undefined,
  })
  await secrets.init()
  return secrets
}

describe('SafeStorageSecretStore', () => {
  it.each([true, false])('round-trips secrets (async API: %s)', async (useAsync) => {
    const { safeStorage } = fakeSafeStorage({ async: useAsync })
    const secrets = await store(safeStorage)
    expect(secrets.canStore()).toEqual({ ok: true })
    expect(await secrets.status(1, 'dbPassword')).toBe('missing')
    await secrets.set(1, 'dbPassword', 'p4ss wörd')
    await secrets.set(1, 'connectifKey', 'key-1')
    await secrets.set(2, 'connectifKey', 'key-2')
    expect(await secrets.get(1, 'dbPassword')).toBe('p4ss wörd')
    expect(await secrets.status(1, 'connectifKey')).toBe('saved')

    // A new store (a restart) reads the file back.
    const again = await store(safeStorage)
    expect(await again.get(1, 'connectifKey')).toBe('key-1')
    expect(await again.get(2, 'connectifKey')).toBe('key-2')
    expect(await again.get(null, 'connectifKey')).toBeNull()

    await again.remove(1, 'dbPassword')
    await again.remove(1, 'dbPassword')
    expect(await again.get(1, 'dbPassword')).toBeNull()
    expect(await again.status(1, 'dbPassword')).toBe('missing')
    expect(await again.get(1, 'connectifKey')).toBe('key-1')
  })

  it('never writes the plaintext, records format and backend, and keeps the file owner-only', async () => {
    const { safeStorage } = fakeSafeStorage()
    const secrets = await store(safeStorage)
    await secrets.set(7, 'connectifKey', 'super-secret-api-key')
    const text = readFileSync(filePath, 'utf8')
    expect(text).not.toContain('super-secret-api-key')
    expect(text).not.toContain(Buffer.from('super-secret-api-key').toString('base64'))
    const file = JSON.parse(text) as {
      version: number
      profiles: Record<string, Record<string, { value: string; backend: string }>>
    }
    expect(file.version).toBe(1)
    expect(file.profiles['7']?.['connectifKey']?.value).toMatch(/^ps1:async:[A-Za-z0-9+/]+=*$/)
    expect(file.profiles['7']?.['connectifKey']?.backend).toBe('gnome_libsecret')
    if (process.platform !== 'win32') expect(statSync(filePath).mode & 0o777).toBe(0o600)
  })

  it('refuses to store anything on Linux basic_text, and says what to do', async () => {
    const { safeStorage } = fakeSafeStorage({ backend: 'basic_text' })
    const secrets = await store(safeStorage)
    const availability = secrets.canStore()
    expect(availability).toEqual({ ok: false, reason: BASIC_TEXT_REASON })
    expect(BASIC_TEXT_REASON).toMatch(/basic_text/)
    expect(BASIC_TEXT_REASON).toMatch(/GNOME Keyring/)
    expect(BASIC_TEXT_REASON).toMatch(/KWallet/)
    expect(BASIC_TEXT_REASON).toMatch(/npm run web/)
    const attempt = secrets.set(1, 'connectifKey', 'key')
    await expect(attempt).rejects.toBeInstanceOf(SecretStoreError)
    await expect(attempt).rejects.toMatchObject({ code: 'secrets_unavailable' })
    expect(() => readFileSync(filePath)).toThrow()
  })

  it('basic_text matters on Linux only; no encryption at all refuses everywhere', async () => {
    const mac = await store(fakeSafeStorage({ backend: 'basic_text' }).safeStorage, 'darwin')
    expect(mac.canStore()).toEqual({ ok: true })
    const none = await store(fakeSafeStorage({ available: false }).safeStorage, 'win32')
    const availability = none.canStore()
    expect(availability.ok).toBe(false)
    expect(!availability.ok && availability.reason).toMatch(/not available/)
    await expect(none.set(1, 'dbPassword', 'x')).rejects.toMatchObject({
      code: 'secrets_unavailable',
    })
  })

  it('turns a secret that no longer decrypts into a "re-enter it" state, not a crash', async () => {
    const { safeStorage, state } = fakeSafeStorage()
    const secrets = await store(safeStorage)
    await secrets.set(3, 'connectifKey', 'old-key')
    // The keyring was replaced: same file, another key.
    state.key = 0x21
    const restarted = await store(safeStorage)
    await expect(restarted.get(3, 'connectifKey')).rejects.toMatchObject({
      code: 'secret_unreadable',
      message: expect.stringMatching(/enter it again/) as unknown,
    })
    expect(await restarted.check(3, 'connectifKey')).toBe('unreadable')
    expect(await restarted.status(3, 'connectifKey')).toBe('missing')
    // Entering it again fixes it.
    await restarted.set(3, 'connectifKey', 'new-key')
    expect(await restarted.get(3, 'connectifKey')).toBe('new-key')
    expect(await restarted.status(3, 'connectifKey')).toBe('saved')
  })

  it('re-encrypts when safeStorage asks to (a rotated key)', async () => {
    const { safeStorage, state } = fakeSafeStorage()
    const secrets = await store(safeStorage)
    await secrets.set(1, 'dbPassword', 'pw')
    const before = readFileSync(filePath, 'utf8')
    state.shouldReEncrypt = true
    state.backend = 'kwallet6'
    expect(await secrets.get(1, 'dbPassword')).toBe('pw')
    const after = readFileSync(filePath, 'utf8')
    expect(after).not.toBe(before)
    expect(after).toContain('kwallet6')
  })

  it('survives a damaged file: the secrets are simply asked for again', async () => {
    writeFileSync(filePath, '{ not json', { mode: 0o600 })
    const { safeStorage } = fakeSafeStorage()
    const secrets = await store(safeStorage)
    expect(await secrets.status(1, 'dbPassword')).toBe('missing')
    await secrets.set(1, 'dbPassword', 'pw')
    expect(await (await store(safeStorage)).get(1, 'dbPassword')).toBe('pw')
  })

  it('serialises concurrent writes', async () => {
    const { safeStorage } = fakeSafeStorage()
    const secrets = await store(safeStorage)
    await Promise.all(
      Array.from({ length: 10 }, (_, index) => secrets.set(index + 1, 'connectifKey', `k${index}`)),
    )
    const again = await store(safeStorage)
    for (let index = 0; index < 10; index++)
      expect(await again.get(index + 1, 'connectifKey')).toBe(`k${index}`)
  })

  it("keeps each routing target's key apart, by profile and target id", async () => {
    const { safeStorage, state } = fakeSafeStorage()
    const secrets = await store(safeStorage)
    await secrets.set(1, 'connectifKey', 'main-key')
    await secrets.set(1, targetSecretName('es-eur'), 'spanish-key')
    await secrets.set(1, targetSecretName('en-usd'), 'english-key')
    expect(readFileSync(filePath, 'utf8')).not.toContain('spanish-key')
    const again = await store(safeStorage)
    expect(await again.get(1, targetSecretName('es-eur'))).toBe('spanish-key')
    expect(await again.status(2, targetSecretName('es-eur'))).toBe('missing')
    await again.remove(1, targetSecretName('es-eur'))
    expect(await again.status(1, targetSecretName('es-eur'))).toBe('missing')
    expect(await again.get(1, targetSecretName('en-usd'))).toBe('english-key')
    expect(await again.get(1, 'connectifKey')).toBe('main-key')

    state.key = 0x33
    const changed = await store(safeStorage)
    const error = await changed
      .get(1, targetSecretName('en-usd'))
      .catch((failure: unknown) => failure)
    expect(error).toBeInstanceOf(SecretStoreError)
    expect((error as SecretStoreError).message).toMatch(
      /The saved Connectif API key of the target "en-usd" can no longer be decrypted/,
    )
  })
})
