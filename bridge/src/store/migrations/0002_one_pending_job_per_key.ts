import { sql, type Kysely } from 'kysely';

/**
 * A record has at most one pending job, which carries its latest content (jobs.enqueue merges
 * newer content into it). The database enforces that, so two producers racing on one key cannot
 * both insert; it replaces the first schema's index, which only refused identical content.
 */
export const onePendingJobPerKey = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex('jobs_pending_dedup_uq').ifExists().execute();
    await db.schema
      .createIndex('jobs_pending_key_uq')
      .on('jobs')
      .columns(['connection_id', 'stream', 'key'])
      .unique()
      .where(sql.ref('status'), 'in', ['queued', 'running', 'waiting'])
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex('jobs_pending_key_uq').ifExists().execute();
    await db.schema
      .createIndex('jobs_pending_dedup_uq')
      .on('jobs')
      .columns(['connection_id', 'stream', 'key', 'payload_hash'])
      .unique()
      .where(sql.ref('status'), 'in', ['queued', 'running', 'waiting'])
      .execute();
  },
};
