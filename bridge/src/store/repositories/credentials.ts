import type { Insertable, Selectable } from 'kysely';
import { isoAt, type RepositoryContext } from './context.js';
import type { CredentialsTable } from '../schema.js';

/**
 * Sealed credentials as stored: the store never sees plaintext. Encryption and decryption live in
 * bridge/src/credentials; this repository only keeps the envelope (key id, iv, ciphertext, tag).
 */
export interface SealedCredential {
  connectionId: string;
  kind: string;
  keyId: string;
  iv: string;
  ciphertext: string;
  authTag: string;
  createdAt: string;
}

export interface CredentialsRepository {
  /** inserts or replaces the credential of that kind for the connection */
  put(record: Omit<SealedCredential, 'createdAt'>): Promise<void>;
  get(connectionId: string, kind: string): Promise<SealedCredential | null>;
  list(connectionId: string): Promise<SealedCredential[]>;
  /** kinds present per connection, for "set" markers in API answers without touching ciphertext */
  kinds(connectionIds: readonly string[]): Promise<Map<string, string[]>>;
  /** every record not sealed with `activeKeyId`, for key rotation */
  listNotSealedWith(activeKeyId: string): Promise<SealedCredential[]>;
  remove(connectionId: string, kind: string): Promise<boolean>;
}

type Row = Selectable<CredentialsTable>;

function toRecord(row: Row): SealedCredential {
  return {
    connectionId: row.connection_id,
    kind: row.kind,
    keyId: row.key_id,
    iv: row.iv,
    ciphertext: row.ciphertext,
    authTag: row.auth_tag,
    createdAt: row.created_at,
  };
}

export function credentialsRepository(ctx: RepositoryContext): CredentialsRepository {
  const { db } = ctx;
  return {
    async put(record) {
      const row: Insertable<CredentialsTable> = {
        connection_id: record.connectionId,
        kind: record.kind,
        key_id: record.keyId,
        iv: record.iv,
        ciphertext: record.ciphertext,
        auth_tag: record.authTag,
        created_at: isoAt(ctx.now()),
      };
      await db
        .insertInto('credentials')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['connection_id', 'kind']).doUpdateSet({
            key_id: row.key_id,
            iv: row.iv,
            ciphertext: row.ciphertext,
            auth_tag: row.auth_tag,
            created_at: row.created_at,
          }),
        )
        .execute();
    },

    async get(connectionId, kind) {
      const row = await db
        .selectFrom('credentials')
        .selectAll()
        .where('connection_id', '=', connectionId)
        .where('kind', '=', kind)
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async list(connectionId) {
      const rows = await db.selectFrom('credentials').selectAll().where('connection_id', '=', connectionId).orderBy('kind').execute();
      return rows.map(toRecord);
    },

    async kinds(connectionIds) {
      const result = new Map<string, string[]>();
      if (connectionIds.length === 0) return result;
      const rows = await db
        .selectFrom('credentials')
        .select(['connection_id', 'kind'])
        .where('connection_id', 'in', [...connectionIds])
        .orderBy('kind')
        .execute();
      for (const row of rows) {
        const list = result.get(row.connection_id) ?? [];
        list.push(row.kind);
        result.set(row.connection_id, list);
      }
      return result;
    },

    async listNotSealedWith(activeKeyId) {
      const rows = await db.selectFrom('credentials').selectAll().where('key_id', '<>', activeKeyId).execute();
      return rows.map(toRecord);
    },

    async remove(connectionId, kind) {
      const result = await db
        .deleteFrom('credentials')
        .where('connection_id', '=', connectionId)
        .where('kind', '=', kind)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
