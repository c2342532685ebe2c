import type { SecretName, SecretStore } from '../../main/app/secret-store'

/** What the Electron shell's safeStorage store does, minus the encryption. */
export class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>()
  get(profileId: number | null, name: SecretName): Promise<string | null> {
    return Promise.resolve(
      profileId === null ? null : (this.values.get(`${profileId}:${name}`) ?? null),
    )
  }
  set(profileId: number, name: SecretName, value: string): Promise<void> {
    this.values.set(`${profileId}:${name}`, value)
    return Promise.resolve()
  }
  remove(profileId: number, name: SecretName): Promise<void> {
    this.values.delete(`${profileId}:${name}`)
    return Promise.resolve()
  }
  async status(profileId: number, name: SecretName): Promise<'saved' | 'missing'> {
    return (await this.get(profileId, name)) === null ? 'missing' : 'saved'
  }
  canStore(): { ok: true } {
    return { ok: true }
  }
}
