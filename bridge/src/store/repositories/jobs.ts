import { randomUUID } from 'node:crypto';
import type { Selectable, UpdateQueryBuilder, UpdateResult } from 'kysely';
import { retryDelayMs, type RandomSource, type RetryPolicyOptions } from '../../lib/retryPolicy.js';
import { JOB_STATUSES, PENDING_JOB_STATUSES, type JobStatus, type JobsTable, type StoreDatabase } from '../schema.js';
import { chunk, isoAt, type RepositoryContext } from './context.js';
import { contentHash } from './hash.js';
import { claimJobRows, DEFAULT_LOCK_MS, type ClaimOptions } from './jobClaim.js';

export type { ClaimOptions };

/**
 * Durable units of work. Producers enqueue (a record has at most one pending job, carrying its
 * latest content, so a change is never pending twice and never overtaken), workers claim a batch, then complete, fail (backoff from the shared retry policy, Failed after
 * the last attempt) or wait on a missing link. A claim holds a lock until `locked_until`; a worker
 * that dies simply lets it lapse and another claims the job again.
 */
export interface JobRecord {
  id: string;
  connectionId: string;
  stream: string;
  key: string;
  payload: unknown;
  payloadHash: string;
  correlationId: string;
  /** attempts started so far, including the one running now */
  attempt: number;
  maxAttempts: number;
  status: JobStatus;
  waitingOn: string | null;
  nextRunAt: string | null;
  lockedBy: string | null;
  lockedUntil: string | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  replayOf: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface EnqueueInput {
  connectionId: string;
  stream: string;
  key: string;
  payload: unknown;
  /** defaults to sha256 of the canonical payload */
  payloadHash?: string;
  /** one id per change across retries and replays; defaults to a new uuid */
  correlationId?: string;
  maxAttempts?: number;
  replayOf?: string | null;
  /** epoch ms; defaults to now */
  runAt?: number;
}

export interface EnqueueResult {
  job: JobRecord;
  /** false when the key already had a pending job, which now carries this (latest) content */
  created: boolean;
}

export interface FailureInput {
  code: string;
  message: string;
  /** false sends the job straight to `failed` */
  retryable?: boolean;
  /** a server's Retry-After, honoured (capped) instead of the computed backoff */
  retryAfterMs?: number | null;
}

/** a connection's own backoff schedule (its config's `retry`), instead of the store-wide default */
export interface BackoffOverride {
  retry?: RetryPolicyOptions;
  random?: RandomSource;
}

/** why a job waits instead of running, kept on it as its last error so an admin sees it */
export interface WaitReason {
  code: string;
  message: string;
}

export interface JobsRepository {
  /**
   * Queues a change. A key has at most one pending job: when one is queued or waiting, it takes
   * the newer content (latest wins, its correlation id stays) and is due at `runAt`; when one is
   * running, the newer content is stored on it and `complete` re-queues it instead of finishing.
   * A replay (`replayOf`) restarts the pending job's attempts under the replayed change's id.
   */
  enqueue(input: EnqueueInput): Promise<EnqueueResult>;
  get(id: string): Promise<JobRecord | null>;
  claim(limit: number, workerId: string, options?: ClaimOptions): Promise<JobRecord[]>;
  /** claims one queued job by id (a replay runs its job at once); null when it is not queued */
  claimById(id: string, workerId: string, options?: Pick<ClaimOptions, 'lockMs'>): Promise<JobRecord | null>;
  /** extends a held claim; false if the job is no longer held by `workerId` */
  extendLock(id: string, workerId: string, lockMs: number): Promise<boolean>;
  /**
   * Done with the content of `finishedHash` (default: whatever it holds). If newer content arrived
   * while it ran, the job goes back to the queue with that content as a fresh change instead.
   * True when the job is now succeeded.
   */
  complete(id: string, workerId?: string, finishedHash?: string): Promise<boolean>;
  fail(id: string, failure: FailureInput, workerId?: string, backoff?: BackoffOverride): Promise<JobRecord>;
  /** parks the job until `wake(waitingOn)`; waiting is not a failed attempt, so the attempt is given back */
  wait(id: string, waitingOn: string, options?: { workerId?: string; recheckAt?: number; reason?: WaitReason }): Promise<boolean>;
  /** requeues every job of the connection waiting on any of `waitingOn`; returns how many */
  wake(connectionId: string, waitingOn: string | readonly string[]): Promise<number>;
  /** on shutdown: this worker's running jobs go back to queued, their attempt given back */
  release(workerId: string): Promise<number>;
  /**
   * Running jobs whose worker is gone go back to queued, due now, their attempt given back: by
   * default those whose lock lapsed; with `all`, every running job (a single-instance bridge at
   * start knows no other process can hold one).
   */
  requeueExpired(options?: { all?: boolean }): Promise<number>;
  /** jobs by status, of one connection (and stream) or of all */
  counts(connectionId?: string, stream?: string): Promise<Record<JobStatus, number>>;
  list(filter?: { connectionId?: string; stream?: string; status?: JobStatus; key?: string; limit?: number }): Promise<JobRecord[]>;
}

/**
 * The retry rule, shared by `fail` and by the engine, which writes the attempt's audit row (as
 * Retrying or Failed) before the job's new state: a failure is final after the last attempt or
 * when a retry cannot help.
 */
export function isFinalFailure(job: Pick<JobRecord, 'attempt' | 'maxAttempts'>, failure: Pick<FailureInput, 'retryable'>): boolean {
  return job.attempt >= job.maxAttempts || failure.retryable === false;
}

export interface JobsRepositoryOptions {
  retry: RetryPolicyOptions;
  defaultMaxAttempts: number;
  random?: RandomSource;
}

/**
 * Durable jobs outlive a process, so their schedule is longer than a single HTTP retry: one
 * second, doubling, capped at five minutes, eight attempts in all (about eight minutes of trying
 * before a person is asked to look at it).
 */
export const DEFAULT_JOB_RETRY: Readonly<RetryPolicyOptions> = Object.freeze({
  maxRetries: 7,
  baseDelayMs: 1_000,
  maxDelayMs: 300_000,
  factor: 2,
  jitter: 0.5,
});
export const DEFAULT_MAX_ATTEMPTS = DEFAULT_JOB_RETRY.maxRetries + 1;
const MAX_ERROR_MESSAGE = 4_000;

type Row = Selectable<JobsTable>;
type TakeBackQuery = UpdateQueryBuilder<StoreDatabase, 'jobs', 'jobs', UpdateResult>;

/** ids travel as strings so callers never care which driver returned a bigint */
function toJob(row: Row): JobRecord {
  return {
    id: String(row.id),
    connectionId: row.connection_id,
    stream: row.stream,
    key: row.key,
    payload: JSON.parse(row.payload) as unknown,
    payloadHash: row.payload_hash,
    correlationId: row.correlation_id,
    attempt: Number(row.attempt),
    maxAttempts: Number(row.max_attempts),
    status: row.status,
    waitingOn: row.waiting_on,
    nextRunAt: row.next_run_at,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until,
    lastErrorCode: row.last_error_code,
    lastErrorMessage: row.last_error_message,
    replayOf: row.replay_of,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function jobsRepository(ctx: RepositoryContext, options: JobsRepositoryOptions): JobsRepository {
  const { db } = ctx;
  const random = options.random ?? Math.random;

  /**
   * Running jobs matched by `which` go back to the queue, due now, their attempt given back: the
   * worker that held them stopped (or died) before it could say how the attempt went.
   */
  async function takeBack(which: (query: TakeBackQuery) => TakeBackQuery): Promise<number> {
    const now = isoAt(ctx.now());
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
      .where('status', '=', 'running');
    const result = await which(query).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  return {
    async enqueue(input) {
      const at = ctx.now();
      const runAt = isoAt(input.runAt ?? at);
      const payload = JSON.stringify(input.payload ?? null);
      const payloadHash = input.payloadHash ?? contentHash(input.payload ?? null);
      const replayOf = input.replayOf ?? null;
      for (;;) {
        const result = await db.transaction().execute(async (trx) => {
          let pendingQuery = trx
            .selectFrom('jobs')
            .selectAll()
            .where('connection_id', '=', input.connectionId)
            .where('stream', '=', input.stream)
            .where('key', '=', input.key)
            .where('status', 'in', [...PENDING_JOB_STATUSES]);
          if (ctx.dialect === 'postgres') pendingQuery = pendingQuery.forUpdate();
          const pending = await pendingQuery.executeTakeFirst();
          if (pending && pending.status === 'running') {
            // the running attempt keeps the content it read; `complete` sees the newer hash and re-queues
            return trx
              .updateTable('jobs')
              .set({ payload, payload_hash: payloadHash, updated_at: isoAt(at) })
              .where('id', '=', pending.id)
              .returningAll()
              .executeTakeFirstOrThrow();
          }
          if (pending) {
            // queued or waiting: the newer content replaces the older, and a waiting job is re-evaluated with it
            return trx
              .updateTable('jobs')
              .set({
                payload,
                payload_hash: payloadHash,
                status: 'queued',
                waiting_on: null,
                next_run_at: runAt,
                updated_at: isoAt(at),
                ...(replayOf ? { replay_of: replayOf, correlation_id: input.correlationId ?? pending.correlation_id, attempt: 0 } : {}),
              })
              .where('id', '=', pending.id)
              .returningAll()
              .executeTakeFirstOrThrow();
          }
          // The partial unique index (one pending job per key) settles a race with another
          // producer: the loser inserts nothing and merges into the winner on the next turn.
          const inserted = await trx
            .insertInto('jobs')
            .values({
              connection_id: input.connectionId,
              stream: input.stream,
              key: input.key,
              payload,
              payload_hash: payloadHash,
              correlation_id: input.correlationId ?? randomUUID(),
              attempt: 0,
              max_attempts: input.maxAttempts ?? options.defaultMaxAttempts,
              status: 'queued',
              waiting_on: null,
              next_run_at: runAt,
              locked_by: null,
              locked_until: null,
              last_error_code: null,
              last_error_message: null,
              replay_of: replayOf,
              created_at: isoAt(at),
              updated_at: isoAt(at),
            })
            .onConflict((oc) => oc.doNothing())
            .returningAll()
            .executeTakeFirst();
          return inserted ? { created: inserted } : null;
        });
        if (result === null) continue;
        return 'created' in result ? { job: toJob(result.created), created: true } : { job: toJob(result), created: false };
      }
    },

    async get(id) {
      const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toJob(row) : null;
    },

    async claim(limit, workerId, claimOptions = {}) {
      const rows = await claimJobRows(ctx, limit, workerId, claimOptions);
      return rows.map(toJob).sort((a, b) => (a.nextRunAt ?? '').localeCompare(b.nextRunAt ?? '') || Number(a.id) - Number(b.id));
    },

    async claimById(id, workerId, claimOptions = {}) {
      const nowMs = ctx.now();
      const row = await db
        .updateTable('jobs')
        .set((eb) => ({
          status: 'running' as const,
          attempt: eb('attempt', '+', 1),
          locked_by: workerId,
          locked_until: isoAt(nowMs + (claimOptions.lockMs ?? DEFAULT_LOCK_MS)),
          waiting_on: null,
          updated_at: isoAt(nowMs),
        }))
        .where('id', '=', id)
        .where('status', '=', 'queued')
        .returningAll()
        .executeTakeFirst();
      return row ? toJob(row) : null;
    },

    async extendLock(id, workerId, lockMs) {
      const nowMs = ctx.now();
      const result = await db
        .updateTable('jobs')
        .set({ locked_until: isoAt(nowMs + lockMs), updated_at: isoAt(nowMs) })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .where('locked_by', '=', workerId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async complete(id, workerId, finishedHash) {
      const now = isoAt(ctx.now());
      let query = db
        .updateTable('jobs')
        .set({
          status: 'succeeded',
          locked_by: null,
          locked_until: null,
          waiting_on: null,
          next_run_at: null,
          last_error_code: null,
          last_error_message: null,
          updated_at: now,
        })
        .where('id', '=', id)
        .where('status', '=', 'running');
      if (workerId !== undefined) query = query.where('locked_by', '=', workerId);
      if (finishedHash !== undefined) query = query.where('payload_hash', '=', finishedHash);
      const result = await query.executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0) return true;
      if (finishedHash === undefined) return false;
      // newer content arrived while the job ran: it runs again with that content, as a fresh change
      let requeue = db
        .updateTable('jobs')
        .set({ status: 'queued', attempt: 0, locked_by: null, locked_until: null, next_run_at: now, updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'running');
      if (workerId !== undefined) requeue = requeue.where('locked_by', '=', workerId);
      await requeue.execute();
      return false;
    },

    async fail(id, failure, workerId, backoff = {}) {
      const current = await this.get(id);
      if (!current) throw new Error(`job ${id} does not exist`);
      const nowMs = ctx.now();
      const exhausted = isFinalFailure(current, failure);
      const nextRunAt = exhausted
        ? null
        : isoAt(nowMs + retryDelayMs(Math.max(1, current.attempt), backoff.retry ?? options.retry, failure.retryAfterMs, backoff.random ?? random));
      let query = db
        .updateTable('jobs')
        .set({
          status: exhausted ? 'failed' : 'queued',
          next_run_at: nextRunAt,
          locked_by: null,
          locked_until: null,
          last_error_code: failure.code,
          last_error_message: failure.message.slice(0, MAX_ERROR_MESSAGE),
          updated_at: isoAt(nowMs),
        })
        .where('id', '=', id);
      if (workerId !== undefined) query = query.where('locked_by', '=', workerId);
      await query.execute();
      const after = await this.get(id);
      if (!after) throw new Error(`job ${id} vanished while failing it`);
      return after;
    },

    async wait(id, waitingOn, waitOptions = {}) {
      let query = db
        .updateTable('jobs')
        .set((eb) => ({
          status: 'waiting' as const,
          waiting_on: waitingOn,
          attempt: eb.case().when('attempt', '>', 0).then(eb('attempt', '-', 1)).else(0).end(),
          next_run_at: waitOptions.recheckAt === undefined ? null : isoAt(waitOptions.recheckAt),
          locked_by: null,
          locked_until: null,
          ...(waitOptions.reason ? { last_error_code: waitOptions.reason.code, last_error_message: waitOptions.reason.message.slice(0, MAX_ERROR_MESSAGE) } : {}),
          updated_at: isoAt(ctx.now()),
        }))
        .where('id', '=', id);
      if (waitOptions.workerId !== undefined) query = query.where('locked_by', '=', waitOptions.workerId);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async wake(connectionId, waitingOn) {
      const keys = [...new Set(typeof waitingOn === 'string' ? [waitingOn] : waitingOn)];
      const now = isoAt(ctx.now());
      let woken = 0;
      for (const part of chunk(keys, 400)) {
        const result = await db
          .updateTable('jobs')
          .set({ status: 'queued', waiting_on: null, next_run_at: now, updated_at: now })
          .where('connection_id', '=', connectionId)
          .where('status', '=', 'waiting')
          .where('waiting_on', 'in', part)
          .executeTakeFirst();
        woken += Number(result.numUpdatedRows);
      }
      return woken;
    },

    async release(workerId) {
      return takeBack((query) => query.where('locked_by', '=', workerId));
    },

    async requeueExpired(requeueOptions = {}) {
      const now = isoAt(ctx.now());
      return takeBack((query) => (requeueOptions.all ? query : query.where('locked_until', '<', now)));
    },

    async counts(connectionId, stream) {
      let query = db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll().as('n')]).groupBy('status');
      if (connectionId !== undefined) query = query.where('connection_id', '=', connectionId);
      if (stream !== undefined) query = query.where('stream', '=', stream);
      const rows = await query.execute();
      const result = Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])) as Record<JobStatus, number>;
      for (const row of rows) result[row.status] = Number(row.n);
      return result;
    },

    async list(filter = {}) {
      let query = db.selectFrom('jobs').selectAll();
      if (filter.connectionId !== undefined) query = query.where('connection_id', '=', filter.connectionId);
      if (filter.stream !== undefined) query = query.where('stream', '=', filter.stream);
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      if (filter.key !== undefined) query = query.where('key', '=', filter.key);
      const rows = await query.orderBy('id').limit(filter.limit ?? 1000).execute();
      return rows.map(toJob);
    },
  };
}
