import type { Store } from '../store/index.js';
import type { CredentialVault } from './vault.js';

/**
 * Secrets of a connection, by kind (e.g. `salesforce.clientSecret`, `qad.password`). Only the
 * engine loads them decrypted; everything shown to people uses `markers`, which says a secret is
 * set without touching its ciphertext.
 */
export class ConnectionSecrets {
  constructor(
    private readonly store: Pick<Store, 'credentials'>,
    private readonly vault: CredentialVault,
  ) {}

  static context(connectionId: string, kind: string): string {
    return `connection ${connectionId} / ${kind}`;
  }

  async save(connectionId: string, secrets: Readonly<Record<string, string>>): Promise<void> {
    for (const [kind, value] of Object.entries(secrets)) {
      const sealed = this.vault.seal(value, ConnectionSecrets.context(connectionId, kind));
      await this.store.credentials.put({ connectionId, kind, ...sealed });
    }
  }

  async load(connectionId: string): Promise<Record<string, string>> {
    const records = await this.store.credentials.list(connectionId);
    const secrets: Record<string, string> = {};
    for (const record of records) secrets[record.kind] = this.vault.open(record, ConnectionSecrets.context(connectionId, record.kind));
    return secrets;
  }

  /** `{ "salesforce.clientSecret": "set" }` per connection */
  async markers(connectionIds: readonly string[]): Promise<Map<string, Record<string, 'set'>>> {
    const kinds = await this.store.credentials.kinds(connectionIds);
    const result = new Map<string, Record<string, 'set'>>();
    for (const id of connectionIds) result.set(id, Object.fromEntries((kinds.get(id) ?? []).map((kind) => [kind, 'set' as const])));
    return result;
  }

  /** Re-seals every record not sealed with the active key; returns how many were rotated. */
  async rotate(): Promise<number> {
    const stale = await this.store.credentials.listNotSealedWith(this.vault.activeKeyId);
    for (const record of stale) {
      const context = ConnectionSecrets.context(record.connectionId, record.kind);
      const plaintext = this.vault.open(record, context);
      await this.store.credentials.put({ connectionId: record.connectionId, kind: record.kind, ...this.vault.seal(plaintext, context) });
    }
    return stale.length;
  }
}
