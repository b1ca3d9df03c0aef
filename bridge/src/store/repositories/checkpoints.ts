import { isoAt, type RepositoryContext } from './context.js';

/**
 * Stream positions (CDC replay ids as base64, QAD watermarks as ISO text). Only the engine writes
 * them, and only after the work behind a position is durable.
 */
export interface CheckpointsRepository {
  get(connectionId: string, stream: string): Promise<string | null>;
  getWithTime(connectionId: string, stream: string): Promise<{ value: string; updatedAt: string } | null>;
  set(connectionId: string, stream: string, value: string): Promise<void>;
  list(connectionId: string): Promise<Array<{ stream: string; value: string; updatedAt: string }>>;
  clear(connectionId: string, stream: string): Promise<void>;
}

export function checkpointsRepository(ctx: RepositoryContext): CheckpointsRepository {
  const { db } = ctx;
  return {
    async get(connectionId, stream) {
      return (await this.getWithTime(connectionId, stream))?.value ?? null;
    },

    async getWithTime(connectionId, stream) {
      const row = await db
        .selectFrom('checkpoints')
        .select(['value', 'updated_at'])
        .where('connection_id', '=', connectionId)
        .where('stream', '=', stream)
        .executeTakeFirst();
      return row ? { value: row.value, updatedAt: row.updated_at } : null;
    },

    async set(connectionId, stream, value) {
      const updatedAt = isoAt(ctx.now());
      await db
        .insertInto('checkpoints')
        .values({ connection_id: connectionId, stream, value, updated_at: updatedAt })
        .onConflict((oc) => oc.columns(['connection_id', 'stream']).doUpdateSet({ value, updated_at: updatedAt }))
        .execute();
    },

    async list(connectionId) {
      const rows = await db
        .selectFrom('checkpoints')
        .select(['stream', 'value', 'updated_at'])
        .where('connection_id', '=', connectionId)
        .orderBy('stream')
        .execute();
      return rows.map((row) => ({ stream: row.stream, value: row.value, updatedAt: row.updated_at }));
    },

    async clear(connectionId, stream) {
      await db.deleteFrom('checkpoints').where('connection_id', '=', connectionId).where('stream', '=', stream).execute();
    },
  };
}
