import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { retryDelayMs, type RandomSource, type RetryPolicyOptions } from '../../lib/retryPolicy.js';
import { JOB_STATUSES, PENDING_JOB_STATUSES, type JobStatus, type JobsTable } from '../schema.js';
import { isoAt, type RepositoryContext } from './context.js';
import { contentHash } from './hash.js';
import { claimJobRows, type ClaimOptions } from './jobClaim.js';

export type { ClaimOptions };

/**
 * Durable units of work. Producers enqueue (idempotently: the same change is never pending twice),
 * workers claim a batch, then complete, fail (backoff from the shared retry policy, Failed after
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
  /** false when the same (connection, stream, key, payload hash) was already pending */
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

export interface JobsRepository {
  enqueue(input: EnqueueInput): Promise<EnqueueResult>;
  get(id: string): Promise<JobRecord | null>;
  claim(limit: number, workerId: string, options?: ClaimOptions): Promise<JobRecord[]>;
  /** extends a held claim; false if the job is no longer held by `workerId` */
  extendLock(id: string, workerId: string, lockMs: number): Promise<boolean>;
  complete(id: string, workerId?: string): Promise<boolean>;
  fail(id: string, failure: FailureInput, workerId?: string): Promise<JobRecord>;
  /** parks the job until `wake(waitingOn)`; waiting is not a failed attempt, so the attempt is given back */
  wait(id: string, waitingOn: string, options?: { workerId?: string; recheckAt?: number }): Promise<boolean>;
  /** requeues every job of the connection waiting on `waitingOn`; returns how many */
  wake(connectionId: string, waitingOn: string): Promise<number>;
  /** on shutdown: this worker's running jobs go back to queued, their attempt given back */
  release(workerId: string): Promise<number>;
  /** running jobs whose lock lapsed (their worker died) go back to queued */
  requeueExpired(): Promise<number>;
  counts(connectionId?: string): Promise<Record<JobStatus, number>>;
  list(filter?: { connectionId?: string; stream?: string; status?: JobStatus; key?: string; limit?: number }): Promise<JobRecord[]>;
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

  return {
    async enqueue(input) {
      const at = ctx.now();
      const row = {
        connection_id: input.connectionId,
        stream: input.stream,
        key: input.key,
        payload: JSON.stringify(input.payload ?? null),
        payload_hash: input.payloadHash ?? contentHash(input.payload ?? null),
        correlation_id: input.correlationId ?? randomUUID(),
        attempt: 0,
        max_attempts: input.maxAttempts ?? options.defaultMaxAttempts,
        status: 'queued' as const,
        waiting_on: null,
        next_run_at: isoAt(input.runAt ?? at),
        locked_by: null,
        locked_until: null,
        last_error_code: null,
        last_error_message: null,
        replay_of: input.replayOf ?? null,
        created_at: isoAt(at),
        updated_at: isoAt(at),
      };
      // No conflict target: the only unique index that can fire is the partial pending de-dup
      // index (ids come from a sequence), and both dialects accept a target-less DO NOTHING.
      const inserted = await db.insertInto('jobs').values(row).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
      if (inserted) return { job: toJob(inserted), created: true };
      const pending = await db
        .selectFrom('jobs')
        .selectAll()
        .where('connection_id', '=', row.connection_id)
        .where('stream', '=', row.stream)
        .where('key', '=', row.key)
        .where('payload_hash', '=', row.payload_hash)
        .where('status', 'in', [...PENDING_JOB_STATUSES])
        .executeTakeFirst();
      if (!pending) {
        // The pending twin finished between our insert and our read; the change is new again.
        return this.enqueue(input);
      }
      return { job: toJob(pending), created: false };
    },

    async get(id) {
      const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toJob(row) : null;
    },

    async claim(limit, workerId, claimOptions = {}) {
      const rows = await claimJobRows(ctx, limit, workerId, claimOptions);
      return rows.map(toJob).sort((a, b) => (a.nextRunAt ?? '').localeCompare(b.nextRunAt ?? '') || Number(a.id) - Number(b.id));
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

    async complete(id, workerId) {
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
          updated_at: isoAt(ctx.now()),
        })
        .where('id', '=', id)
        .where('status', '=', 'running');
      if (workerId !== undefined) query = query.where('locked_by', '=', workerId);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async fail(id, failure, workerId) {
      const current = await this.get(id);
      if (!current) throw new Error(`job ${id} does not exist`);
      const nowMs = ctx.now();
      const exhausted = current.attempt >= current.maxAttempts || failure.retryable === false;
      const nextRunAt = exhausted ? null : isoAt(nowMs + retryDelayMs(Math.max(1, current.attempt), options.retry, failure.retryAfterMs, random));
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
          updated_at: isoAt(ctx.now()),
        }))
        .where('id', '=', id);
      if (waitOptions.workerId !== undefined) query = query.where('locked_by', '=', waitOptions.workerId);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async wake(connectionId, waitingOn) {
      const now = isoAt(ctx.now());
      const result = await db
        .updateTable('jobs')
        .set({ status: 'queued', next_run_at: now, updated_at: now })
        .where('connection_id', '=', connectionId)
        .where('status', '=', 'waiting')
        .where('waiting_on', '=', waitingOn)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async release(workerId) {
      const now = isoAt(ctx.now());
      const result = await db
        .updateTable('jobs')
        .set((eb) => ({
          status: 'queued' as const,
          attempt: eb.case().when('attempt', '>', 0).then(eb('attempt', '-', 1)).else(0).end(),
          next_run_at: now,
          locked_by: null,
          locked_until: null,
          updated_at: now,
        }))
        .where('status', '=', 'running')
        .where('locked_by', '=', workerId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async requeueExpired() {
      const now = isoAt(ctx.now());
      const result = await db
        .updateTable('jobs')
        .set({ status: 'queued', next_run_at: now, locked_by: null, locked_until: null, updated_at: now })
        .where('status', '=', 'running')
        .where('locked_until', '<', now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async counts(connectionId) {
      let query = db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll().as('n')]).groupBy('status');
      if (connectionId !== undefined) query = query.where('connection_id', '=', connectionId);
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
