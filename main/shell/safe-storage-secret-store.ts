/**
 * The desktop app's SecretStore: Electron `safeStorage` ciphertext in a JSON file under the data
 * directory (owner-only, 0600). Secrets never leave the main process; the renderer only ever sees
 * `saved` or `missing`.
 *
 * - Each value is stored as `ps1:<api>:<base64>` (format version, which safeStorage API made it)
 *   with the backend that encrypted it, as Signal records it, so a changed keyring can be told
 *   apart from a corrupt file.
 * - On Linux without a keyring Electron falls back to `basic_text`, a hard-coded key: that is not
 *   secure storage, so saving is refused with what to install instead (never a plaintext fallback).
 * - A value that no longer decrypts (keyring replaced, another user, a copied profile) is a
 *   recoverable state: `status` reports `missing` and `get` fails with `secret_unreadable`, asking
 *   the merchant to enter it again. Nothing crashes.
 *
 * Typed structurally (`SafeStorageLike`): tests pass a fake, and nothing here imports electron.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  secretLabel,
  SecretStoreError,
  type SecretName,
  type SecretStatus,
  type SecretStore,
  type StorageAvailability,
} from '../app/secret-store'

/** The part of Electron's `safeStorage` used here; the async calls are preferred when present. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plainText: string): Buffer
  decryptString(encrypted: Buffer): string
  /** Linux only in Electron; absent or `unknown` elsewhere. */
  getSelectedStorageBackend?(): string
  isAsyncEncryptionAvailable?(): Promise<boolean>
  encryptStringAsync?(plainText: string): Promise<Buffer>
  decryptStringAsync?(
    encrypted: Buffer,
  ): Promise<{ readonly shouldReEncrypt: boolean; readonly result: string }>
}

export const SECRETS_FILE = 'secrets.json'
const FORMAT_VERSION = 1
const PREFIX = 'ps1'

type CipherApi = 'async' | 'sync'

interface StoredSecret {
  /** `ps1:async:<base64>` or `ps1:sync:<base64>`. */
  readonly value: string
  /** What encrypted it: `gnome_libsecret`, `kwallet5`, `keychain`, `dpapi`… */
  readonly backend: string
  readonly savedAt: string
}

interface SecretsFile {
  readonly version: number
  /** Profile id → secret name (a routing target's is `connectifTarget:<id>`) → ciphertext. */
  readonly profiles: Record<string, Partial<Record<SecretName, StoredSecret>>>
}

export interface SafeStorageSecretStoreOptions {
  readonly safeStorage: SafeStorageLike
  /** The JSON file; usually `<data directory>/secrets.json`. */
  readonly filePath: string
  readonly platform?: NodeJS.Platform
  readonly now?: () => Date
  /** Never receives a secret. */
  readonly log?: (message: string, error?: unknown) => void
}

export const BASIC_TEXT_REASON =
  'No secure password storage was found on this computer: Electron would fall back to "basic_text", ' +
  'a fixed key that does not protect secrets, so Purchase Sender does not save passwords or API keys. ' +
  'Install and unlock a keyring (GNOME Keyring or another Secret Service provider via libsecret, or KDE ' +
  'KWallet), then restart Purchase Sender. Alternatively, use browser mode ("npm run web") with the ' +
  'secrets in environment variables named in the profile.'

export function unavailableReason(platform: NodeJS.Platform): string {
  const hint =
    platform === 'darwin'
      ? 'the macOS Keychain could not be used; check that your login keychain is unlocked'
      : platform === 'win32'
        ? 'Windows data protection (DPAPI) is not available for this user'
        : 'no keyring answered; install and unlock GNOME Keyring or KWallet'
  return (
    `Secure password storage is not available (${hint}), so Purchase Sender does not save ` +
    'passwords or API keys. Fix that and restart the app, or use browser mode ("npm run web") with ' +
    'the secrets in environment variables named in the profile.'
  )
}

export function unreadableMessage(name: SecretName): string {
  return (
    `The saved ${secretLabel(name)} can no longer be decrypted (the system keyring changed or this data ` +
    'came from another user or computer). Please enter it again in the profile.'
  )
}

export class SafeStorageSecretStore implements SecretStore {
  readonly #safeStorage: SafeStorageLike
  readonly #filePath: string
  readonly #platform: NodeJS.Platform
  readonly #now: () => Date
  readonly #log: (message: string, error?: unknown) => void
  /** Learnt by `init()`; null until then (the sync check decides alone). */
  #asyncAvailable: boolean | null = null
  #file: SecretsFile | null = null
  /** Serialises read-modify-write cycles of the file. */
  #queue: Promise<unknown> = Promise.resolve()
  /** Whether a stored value decrypts, by its ciphertext (so listing profiles decrypts once). */
  readonly #readable = new Map<string, boolean>()

  constructor(options: SafeStorageSecretStoreOptions) {
    this.#safeStorage = options.safeStorage
    this.#filePath = options.filePath
    this.#platform = options.platform ?? process.platform
    this.#now = options.now ?? (() => new Date())
    this.#log = options.log ?? ((message, error) => console.error(message, error))
  }

  /** Call once after the app is ready: initialises the async encryptor when there is one. */
  async init(): Promise<void> {
    if (!this.#safeStorage.isAsyncEncryptionAvailable) return
    try {
      this.#asyncAvailable = await this.#safeStorage.isAsyncEncryptionAvailable()
    } catch (error) {
      this.#log('Checking safeStorage async encryption failed', error)
      this.#asyncAvailable = false
    }
  }

  canStore(): StorageAvailability {
    if (this.#platform === 'linux') {
      const backend = this.#backend()
      if (backend === 'basic_text') return { ok: false, reason: BASIC_TEXT_REASON }
      if (backend === 'unknown') return { ok: false, reason: unavailableReason(this.#platform) }
    }
    if (!this.#available()) return { ok: false, reason: unavailableReason(this.#platform) }
    return { ok: true }
  }

  async get(profileId: number | null, name: SecretName): Promise<string | null> {
    if (profileId === null) return null
    const stored = (await this.#read()).profiles[String(profileId)]?.[name]
    if (!stored) return null
    let decrypted: { plain: string; reEncrypt: boolean }
    try {
      decrypted = await this.#decrypt(stored.value)
      this.#readable.set(stored.value, true)
    } catch (error) {
      this.#readable.set(stored.value, false)
      this.#log(
        `The saved ${secretLabel(name)} of profile #${profileId} could not be decrypted ` +
          `(encrypted with "${stored.backend}", now "${this.#backend()}")`,
        error instanceof Error ? error.message : undefined,
      )
      throw new SecretStoreError('secret_unreadable', unreadableMessage(name))
    }
    if (decrypted.reEncrypt)
      // The key was rotated (or it predates the async API): store it again. Best effort.
      await this.set(profileId, name, decrypted.plain).catch((error: unknown) =>
        this.#log('Re-encrypting a secret failed', error),
      )
    return decrypted.plain
  }

  async set(profileId: number, name: SecretName, value: string): Promise<void> {
    const availability = this.canStore()
    if (!availability.ok) throw new SecretStoreError('secrets_unavailable', availability.reason)
    const encrypted = await this.#encrypt(value)
    const stored: StoredSecret = {
      value: encrypted,
      backend: this.#backend(),
      savedAt: this.#now().toISOString(),
    }
    await this.#update((file) => {
      const key = String(profileId)
      return {
        ...file,
        profiles: { ...file.profiles, [key]: { ...file.profiles[key], [name]: stored } },
      }
    })
    this.#readable.set(encrypted, true)
  }

  async remove(profileId: number, name: SecretName): Promise<void> {
    const key = String(profileId)
    if (!(await this.#read()).profiles[key]?.[name]) return
    await this.#update((file) => {
      const { [name]: _removed, ...rest } = file.profiles[key] ?? {}
      const profiles = { ...file.profiles }
      if (Object.keys(rest).length === 0) delete profiles[key]
      else profiles[key] = rest
      return { ...file, profiles }
    })
  }

  /** `missing` also for a value that no longer decrypts: the editor then asks for it again. */
  async status(profileId: number, name: SecretName): Promise<SecretStatus> {
    return (await this.check(profileId, name)) === 'saved' ? 'saved' : 'missing'
  }

  /** Like `status`, telling an undecryptable value (`unreadable`) apart from none. */
  async check(profileId: number, name: SecretName): Promise<SecretStatus | 'unreadable'> {
    const stored = (await this.#read()).profiles[String(profileId)]?.[name]
    if (!stored) return 'missing'
    let readable = this.#readable.get(stored.value)
    if (readable === undefined) {
      try {
        await this.get(profileId, name)
        readable = true
      } catch {
        readable = false
      }
    }
    return readable ? 'saved' : 'unreadable'
  }

  // --- Encryption -------------------------------------------------------------------------------

  #backend(): string {
    if (this.#platform === 'darwin') return 'keychain'
    if (this.#platform === 'win32') return 'dpapi'
    try {
      return this.#safeStorage.getSelectedStorageBackend?.() ?? 'unknown'
    } catch {
      return 'unknown'
    }
  }

  #available(): boolean {
    // Once known, the async answer decides: the sync calls are deprecated in Electron 45.
    if (this.#asyncAvailable !== null) return this.#asyncAvailable
    try {
      return this.#safeStorage.isEncryptionAvailable()
    } catch {
      return false
    }
  }

  #useAsync(): boolean {
    return (
      this.#asyncAvailable !== false &&
      this.#safeStorage.encryptStringAsync !== undefined &&
      this.#safeStorage.decryptStringAsync !== undefined
    )
  }

  async #encrypt(plain: string): Promise<string> {
    const api: CipherApi = this.#useAsync() ? 'async' : 'sync'
    const buffer =
      api === 'async'
        ? await this.#safeStorage.encryptStringAsync!(plain)
        : this.#safeStorage.encryptString(plain)
    return `${PREFIX}:${api}:${buffer.toString('base64')}`
  }

  async #decrypt(value: string): Promise<{ plain: string; reEncrypt: boolean }> {
    const match = /^ps1:(async|sync):([A-Za-z0-9+/]*={0,2})$/.exec(value)
    if (!match) throw new Error('Unknown secret format')
    const api = match[1] as CipherApi
    const buffer = Buffer.from(match[2]!, 'base64')
    // Electron documents that the async decryptor reads what the sync encryptor wrote.
    if (this.#safeStorage.decryptStringAsync && this.#asyncAvailable !== false) {
      const { result, shouldReEncrypt } = await this.#safeStorage.decryptStringAsync(buffer)
      return { plain: result, reEncrypt: shouldReEncrypt || api === 'sync' }
    }
    if (api === 'async') throw new Error('Written by the async safeStorage API, which is missing')
    return { plain: this.#safeStorage.decryptString(buffer), reEncrypt: false }
  }

  // --- File ---------------------------------------------------------------------------------------

  async #read(): Promise<SecretsFile> {
    if (this.#file) return this.#file
    let text: string
    try {
      text = await readFile(this.#filePath, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      this.#file = { version: FORMAT_VERSION, profiles: {} }
      return this.#file
    }
    this.#file = parseFile(text, (message) => this.#log(`${this.#filePath}: ${message}`))
    return this.#file
  }

  #update(change: (file: SecretsFile) => SecretsFile): Promise<void> {
    const run = this.#queue.then(async () => {
      const next = change(await this.#read())
      await this.#write(next)
      this.#file = next
    })
    this.#queue = run.catch(() => undefined)
    return run
  }

  /** Atomic (temporary file + rename) and owner-only from the first byte. */
  async #write(file: SecretsFile): Promise<void> {
    await mkdir(path.dirname(this.#filePath), { recursive: true, mode: 0o700 })
    const temporary = `${this.#filePath}.${process.pid}.tmp`
    await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 })
    // `mode` applies only when the file is created; make sure of it either way.
    await chmod(temporary, 0o600)
    await rename(temporary, this.#filePath)
  }
}

/** A damaged file loses its secrets (they are asked for again), never the app. */
function parseFile(text: string, log: (message: string) => void): SecretsFile {
  try {
    const parsed = JSON.parse(text) as Partial<SecretsFile> | null
    if (
      parsed &&
      typeof parsed === 'object' &&
      parsed.version === FORMAT_VERSION &&
      parsed.profiles &&
      typeof parsed.profiles === 'object'
    )
      return { version: FORMAT_VERSION, profiles: parsed.profiles }
    log('unknown format; saved secrets are ignored and will be asked for again')
  } catch {
    log('not valid JSON; saved secrets are ignored and will be asked for again')
  }
  return { version: FORMAT_VERSION, profiles: {} }
}
