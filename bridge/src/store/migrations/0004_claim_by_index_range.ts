import { sql, type Kysely } from 'kysely';

/**
 * Claiming, promoting and waking become index ranges. The first schema's (status, next_run_at)
 * index made a claim scan every job of every connection and sort them; a claim names its
 * connection and stream and wants the due queued jobs in (next_run_at, id) order, which is exactly
 * this partial index, holding queued jobs only so it stays as small as the queue. Lapsed locks and
 * due rechecks get partial indexes of their own, empty in the usual case. Status predicates are
 * literals so both planners can match them to the indexes' own.
 */
export const claimByIndexRange = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex('jobs_claim_ix').ifExists().execute();
    await db.schema.dropIndex('jobs_waiting_ix').ifExists().execute();
    await db.schema
      .createIndex('jobs_queued_ix')
      .on('jobs')
      .columns(['connection_id', 'stream', 'next_run_at', 'id'])
      .where(sql.raw<boolean>(`status = 'queued'`))
      .execute();
    await db.schema.createIndex('jobs_running_lock_ix').on('jobs').column('locked_until').where(sql.raw<boolean>(`status = 'running'`)).execute();
    await db.schema.createIndex('jobs_waiting_ix').on('jobs').columns(['connection_id', 'waiting_on']).where(sql.raw<boolean>(`status = 'waiting'`)).execute();
    await db.schema.createIndex('jobs_waiting_recheck_ix').on('jobs').column('next_run_at').where(sql.raw<boolean>(`status = 'waiting'`)).execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    for (const index of ['jobs_waiting_recheck_ix', 'jobs_waiting_ix', 'jobs_running_lock_ix', 'jobs_queued_ix']) await db.schema.dropIndex(index).ifExists().execute();
    await db.schema.createIndex('jobs_claim_ix').on('jobs').columns(['status', 'next_run_at']).execute();
    await db.schema.createIndex('jobs_waiting_ix').on('jobs').columns(['connection_id', 'waiting_on']).execute();
  },
};
