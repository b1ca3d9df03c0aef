import { CompiledQuery, sql, type Kysely, type Selectable, type UpdateQueryBuilder, type UpdateResult } from 'kysely';
import type { JobsTable, StoreDatabase } from '../schema.js';
import type { RepositoryContext } from './context.js';

/**
 * The jobs table and nothing else: row shapes and the few statements the job queue is built from,
 * each one set-based and each one an index range on both dialects. The rules (what merges, what is
 * due, when a failure is final) live in jobQueue.ts; this file only knows how to say them in SQL.
 *
 * Statuses are spelled as SQL literals, never bound: a partial index is only used when the planner
 * can prove the query's predicate implies the index's, which neither SQLite nor PostgreSQL can do
 * for a bound parameter.
 */
export type JobRow = Selectable<JobsTable>;

export const PENDING = sql<boolean>`status in ('queued', 'running', 'waiting')`;
const QUEUED = sql<boolean>`status = 'queued'`;

export interface ClaimSelection {
  now: string;
  limit: number;
  connectionId?: string;
  streams?: readonly string[];
}

/** due queued jobs in claim order: the range `jobs_queued_ix` serves (connection, stream, next_run_at, id) */
export function dueQueued(db: Kysely<StoreDatabase>, selection: ClaimSelection) {
  let query = db.selectFrom('jobs').select('jobs.id').where(QUEUED).where('jobs.next_run_at', '<=', selection.now);
  if (selection.connectionId !== undefined) query = query.where('jobs.connection_id', '=', selection.connectionId);
  if (selection.streams?.length === 1) query = query.where('jobs.stream', '=', selection.streams[0]!);
  else if (selection.streams) query = query.where('jobs.stream', 'in', [...selection.streams]);
  return query.orderBy('jobs.next_run_at').orderBy('jobs.id').limit(selection.limit);
}

/**
 * Running jobs whose lock lapsed (their worker died) and waiting jobs whose recheck time came go
 * back to the queue. Both are ranges of their own partial index, so when there is nothing to
 * promote (the usual case) this costs two index probes.
 */
export async function promoteDue(db: Kysely<StoreDatabase>, now: string): Promise<number> {
  const lapsed = await takeBackRunning(db, now, (query) => query.where('locked_until', '<', now));
  const rechecked = await db
    .updateTable('jobs')
    .set({ status: 'queued', waiting_on: null, updated_at: now })
    .where(sql<boolean>`status = 'waiting'`)
    .where('next_run_at', '<=', now)
    .executeTakeFirst();
  return lapsed + Number(rechecked.numUpdatedRows);
}

export type JobsUpdate = UpdateQueryBuilder<StoreDatabase, 'jobs', 'jobs', UpdateResult>;

/**
 * Running jobs matched by `which` go back to the queue, due now, their attempt given back: the
 * worker that held them stopped (or died) before it could say how the attempt went.
 */
export async function takeBackRunning(db: Kysely<StoreDatabase>, now: string, which: (query: JobsUpdate) => JobsUpdate): Promise<number> {
  const query = db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'queued' as const,
      attempt: eb.case().when('attempt', '>', 0).then(eb('attempt', '-', 1)).else(0).end(),
      next_run_at: now,
      locked_by: null,
      locked_until: null,
      updated_at: now,
    }))
    .where(sql<boolean>`status = 'running'`);
  const result = await which(query).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** the query planner's own account of a statement, for the tests that pin the hot queries to an index */
export async function explain(ctx: RepositoryContext, compiled: { sql: string; parameters: readonly unknown[] }): Promise<string> {
  const prefix = ctx.dialect === 'sqlite' ? 'explain query plan ' : 'explain ';
  const result = await ctx.db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(prefix + compiled.sql, [...compiled.parameters]));
  return result.rows.map((row) => String(row.detail ?? row['QUERY PLAN'] ?? JSON.stringify(row))).join('\n');
}
