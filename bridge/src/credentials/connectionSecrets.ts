import type { Store } from '../store/index.js';
import type { CredentialVault } from './vault.js';

export interface RotationReport {
  /** the key every credential is sealed with afterwards */
  activeKeyId: string;
  /** credentials re-sealed by this run */
  rotated: number;
  /** credentials that could not be opened (their key is not configured, or they were altered); left as they are */
  unreadable: Array<{ connectionId: string; kind: string; keyId: string; code: string }>;
}

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

  /**
   * Re-seals every record not sealed with the active key (`ml-connector keys rotate`): retired keys
   * only open, the active key seals. One record that cannot be opened does not stop the others; it
   * is reported, so the operator can add its key to ML_CONNECTOR_RETIRED_KEYS and run again. Safe to
   * repeat: a record already under the active key is not touched.
   */
  async rotate(): Promise<RotationReport> {
    const stale = await this.store.credentials.listNotSealedWith(this.vault.activeKeyId);
    const report: RotationReport = { activeKeyId: this.vault.activeKeyId, rotated: 0, unreadable: [] };
    for (const record of stale) {
      const context = ConnectionSecrets.context(record.connectionId, record.kind);
      let plaintext: string;
      try {
        plaintext = this.vault.open(record, context);
      } catch (error) {
        report.unreadable.push({ connectionId: record.connectionId, kind: record.kind, keyId: record.keyId, code: (error as { code?: string }).code ?? 'BRIDGE_ERR_CREDENTIAL_TAMPERED' });
        continue;
      }
      await this.store.credentials.put({ connectionId: record.connectionId, kind: record.kind, ...this.vault.seal(plaintext, context) });
      report.rotated += 1;
    }
    return report;
  }
}
