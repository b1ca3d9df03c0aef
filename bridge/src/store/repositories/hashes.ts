import { chunk, type RepositoryContext, inTransaction } from './context.js';

/**
 * Content hashes per QAD record, for tenants whose profile names no modified-date field: each
 * poll scans everything and only records whose hash changed become jobs.
 */
export interface HashesRepository {
  getMany(connectionId: string, object: string, keys: readonly string[]): Promise<Map<string, string>>;
  putMany(connectionId: string, object: string, entries: ReadonlyArray<{ key: string; hash: string }>): Promise<void>;
  /** every stored key, to notice records that disappeared from QAD */
  keys(connectionId: string, object: string): Promise<string[]>;
  removeMany(connectionId: string, object: string, keys: readonly string[]): Promise<void>;
}

const CHUNK = 400;

export function hashesRepository(ctx: RepositoryContext): HashesRepository {
  const { db } = ctx;
  return {
    async getMany(connectionId, object, keys) {
      const result = new Map<string, string>();
      for (const part of chunk([...new Set(keys)], CHUNK)) {
        const rows = await db
          .selectFrom('record_hashes')
          .select(['key', 'hash'])
          .where('connection_id', '=', connectionId)
          .where('object', '=', object)
          .where('key', 'in', part)
          .execute();
        for (const row of rows) result.set(row.key, row.hash);
      }
      return result;
    },

    async putMany(connectionId, object, entries) {
      if (entries.length === 0) return;
      // Last write wins inside one batch so a duplicate key in the input cannot trip the upsert.
      const latest = new Map(entries.map((entry) => [entry.key, entry.hash]));
      await inTransaction(db, async (trx) => {
        for (const part of chunk([...latest], CHUNK)) {
          await trx
            .insertInto('record_hashes')
            .values(part.map(([key, hash]) => ({ connection_id: connectionId, object, key, hash })))
            .onConflict((oc) => oc.columns(['connection_id', 'object', 'key']).doUpdateSet((eb) => ({ hash: eb.ref('excluded.hash') })))
            .execute();
        }
      });
    },

    async keys(connectionId, object) {
      const rows = await db
        .selectFrom('record_hashes')
        .select('key')
        .where('connection_id', '=', connectionId)
        .where('object', '=', object)
        .execute();
      return rows.map((row) => row.key);
    },

    async removeMany(connectionId, object, keys) {
      for (const part of chunk([...new Set(keys)], CHUNK)) {
        await db
          .deleteFrom('record_hashes')
          .where('connection_id', '=', connectionId)
          .where('object', '=', object)
          .where('key', 'in', part)
          .execute();
      }
    },
  };
}
