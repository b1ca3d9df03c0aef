import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import type { JobsTable, StoreDatabase } from '../schema.js';
import { isoAt, type RepositoryContext } from './context.js';

/**
 * Which jobs a worker may take, and taking them. Kept apart from the rest of the jobs repository
 * because it is the one place where the two dialects need different concurrency strategies.
 */
export interface ClaimOptions {
  /** how long the claim is held before another worker may take the job over; default 60 s */
  lockMs?: number;
  connectionId?: string;
  /** only these streams (e.g. the ones not paused) */
  streams?: readonly string[];
}

export const DEFAULT_LOCK_MS = 60_000;

/** due queued jobs, running jobs whose worker let the lock lapse, and waiting jobs whose recheck time came */
export function claimable(now: string) {
  return (eb: ExpressionBuilder<StoreDatabase, 'jobs'>) =>
    eb.and([
      eb.or([
        eb.and([eb('jobs.status', '=', 'queued'), eb('jobs.next_run_at', '<=', now)]),
        eb.and([eb('jobs.status', '=', 'running'), eb('jobs.locked_until', '<', now)]),
        eb.and([eb('jobs.status', '=', 'waiting'), eb('jobs.next_run_at', 'is not', null), eb('jobs.next_run_at', '<=', now)]),
      ]),
      // Per-key order: a change never overtakes an earlier pending change to the same record.
      eb.not(
        eb.exists(
          eb
            .selectFrom('jobs as earlier')
            .select('earlier.id')
            .whereRef('earlier.connection_id', '=', 'jobs.connection_id')
            .whereRef('earlier.stream', '=', 'jobs.stream')
            .whereRef('earlier.key', '=', 'jobs.key')
            .whereRef('earlier.id', '<>', 'jobs.id')
            .where((inner) =>
              inner.or([
                inner.and([inner('earlier.status', '=', 'running'), inner('earlier.locked_until', '>=', now)]),
                inner.and([inner('earlier.status', '=', 'queued'), inner('earlier.id', '<', inner.ref('jobs.id'))]),
              ]),
            ),
        ),
      ),
    ]);
}

/** Marks up to `limit` claimable jobs running for `workerId` and returns them (in no set order). */
export async function claimJobRows(ctx: RepositoryContext, limit: number, workerId: string, options: ClaimOptions = {}): Promise<Array<Selectable<JobsTable>>> {
  const { db } = ctx;
  if (limit <= 0) return [];
  const nowMs = ctx.now();
  const now = isoAt(nowMs);
  const lockedUntil = isoAt(nowMs + (options.lockMs ?? DEFAULT_LOCK_MS));
  if (options.streams && options.streams.length === 0) return [];

  const candidates = (executor: Kysely<StoreDatabase>) => {
    let query = executor.selectFrom('jobs').select('jobs.id').where(claimable(now));
    if (options.connectionId !== undefined) query = query.where('jobs.connection_id', '=', options.connectionId);
    if (options.streams) query = query.where('jobs.stream', 'in', [...options.streams]);
    return query.orderBy('jobs.next_run_at').orderBy('jobs.id').limit(limit);
  };

  const takeOver = {
    status: 'running' as const,
    locked_by: workerId,
    locked_until: lockedUntil,
    waiting_on: null,
    updated_at: now,
  };

  let rows: Array<Selectable<JobsTable>>;
  if (ctx.dialect === 'postgres') {
    // Two statements in one transaction: the row locks taken by SKIP LOCKED are held until
    // commit, so a concurrent claimer passes over exactly the rows this one is taking.
    rows = await db.transaction().execute(async (trx) => {
      const locked = await candidates(trx).forUpdate().skipLocked().execute();
      if (locked.length === 0) return [];
      return trx
        .updateTable('jobs')
        .set((eb) => ({ ...takeOver, attempt: eb('attempt', '+', 1) }))
        .where('id', 'in', locked.map((row) => row.id))
        .returningAll()
        .execute();
    });
  } else {
    // SQLite has a single writer; one UPDATE ... RETURNING is atomic without a read-then-write
    // window (and avoids upgrading a read lock, which SQLite answers with SQLITE_BUSY).
    rows = await db
      .updateTable('jobs')
      .set((eb) => ({ ...takeOver, attempt: eb('attempt', '+', 1) }))
      .where('id', 'in', candidates(db))
      .returningAll()
      .execute();
  }
  return rows;
}
