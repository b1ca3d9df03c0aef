import { randomUUID } from 'node:crypto';
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { retryDelayMs, type RandomSource, type RetryPolicyOptions } from '../../lib/retryPolicy.js';
import { JOB_STATUSES, type JobStatus, type StoreDatabase } from '../schema.js';
import { chunk, inTransaction, isoAt, type RepositoryContext } from './context.js';
import { contentHash } from './hash.js';
import { dueQueued, PENDING, promoteDue, takeBackRunning, type JobRow, type JobsUpdate } from './jobTable.js';

/** what a claim may take */
export interface ClaimOptions {
  /** how long the claim is held before another worker may take the job over; default 60 s */
  lockMs?: number;
  connectionId?: string;
  /** only these streams (e.g. the ones not paused) */
  streams?: readonly string[];
}

export const DEFAULT_LOCK_MS = 60_000;

/**
 * The job queue: the one module that owns the queue's rules, over the thin table layer of
 * jobTable.ts. Durable units of work. Producers enqueue (a record has at most one pending job, carrying its
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
  /**
   * Queues many changes with the same merge rule as `enqueue`, in set-based statements (one per
   * few hundred rows) and one transaction; a key given twice keeps its last content. Returns how
   * many rows were written.
   */
  enqueueMany(inputs: readonly EnqueueInput[]): Promise<number>;
  /** whether at least `count` jobs of the stream are queued (bounded: reads at most `count` index entries) */
  hasQueued(connectionId: string, stream: string, count: number): Promise<boolean>;
  /** whether a queued job of the stream is due now (one index probe) */
  hasDue(connectionId: string, stream: string): Promise<boolean>;
  /**
   * Settles a claimed batch in set-based statements: completions, failures (backoff from the retry
   * policy, Failed after the last attempt) and waits. Run it inside the caller's transaction to make
   * the job states durable together with what the attempt produced (audit rows, links).
   */
  settle(items: readonly SettleItem[], workerId?: string, backoff?: BackoffOverride): Promise<SettleResult>;
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

/** how one claimed job ended */
export type JobVerdict =
  /** done with the content of `finishedHash` (default: whatever it holds); newer content re-queues it */
  | { kind: 'complete'; finishedHash?: string }
  | { kind: 'fail'; failure: FailureInput }
  | { kind: 'wait'; waitingOn: string; reason?: WaitReason; recheckAt?: number };

export interface SettleItem {
  job: Pick<JobRecord, 'id' | 'attempt' | 'maxAttempts'>;
  verdict: JobVerdict;
}

export interface SettleResult {
  /** ids now succeeded */
  completed: string[];
  /** ids queued again because newer content arrived while they ran */
  requeued: string[];
  /** ids failed for good */
  failed: string[];
  /** ids queued for another attempt */
  retrying: string[];
  waiting: string[];
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

type Row = JobRow;

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

/** the statement-size bound: enough rows per INSERT to amortise it, few enough for either driver's parameter limit */
const ENQUEUE_CHUNK = 400;
const ID_CHUNK = 500;

function keyOf(input: Pick<EnqueueInput, 'connectionId' | 'stream' | 'key'>): string {
  return `${input.connectionId}\u0000${input.stream}\u0000${input.key}`;
}

export function jobsRepository(ctx: RepositoryContext, options: JobsRepositoryOptions): JobsRepository {
  const { db } = ctx;
  const random = options.random ?? Math.random;

  /**
   * The merge rule in one statement per chunk: a key with no pending job gets a new one; a queued
   * or waiting job takes the newer content and is due at its run time (a waiting job is
   * re-evaluated with it); a running job only takes the content, which `complete` then notices.
   * A replay restarts the pending job's attempts under the replayed change's correlation id.
   */
  async function writeMany(executor: Kysely<StoreDatabase>, inputs: readonly EnqueueInput[]): Promise<number> {
    const at = isoAt(ctx.now());
    const latest = new Map<string, EnqueueInput>();
    for (const input of inputs) latest.set(keyOf(input), input);
    let written = 0;
    for (const part of chunk([...latest.values()], ENQUEUE_CHUNK)) {
      const rows = part.map((input) => ({
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
        next_run_at: isoAt(input.runAt ?? ctx.now()),
        locked_by: null,
        locked_until: null,
        last_error_code: null,
        last_error_message: null,
        replay_of: input.replayOf ?? null,
        created_at: at,
        updated_at: at,
      }));
      const running = sql<boolean>`jobs.status = 'running'`;
      const replayInto = sql<boolean>`excluded.replay_of is not null and jobs.status <> 'running'`;
      const result = await executor
        .insertInto('jobs')
        .values(rows)
        .onConflict((oc) =>
          oc
            .columns(['connection_id', 'stream', 'key'])
            .where(PENDING)
            .doUpdateSet((eb) => ({
              payload: eb.ref('excluded.payload'),
              payload_hash: eb.ref('excluded.payload_hash'),
              updated_at: eb.ref('excluded.updated_at'),
              status: eb.case().when(running).then(eb.ref('jobs.status')).else(sql<'queued'>`'queued'`).end(),
              waiting_on: eb.case().when(running).then(eb.ref('jobs.waiting_on')).else(null).end(),
              next_run_at: eb.case().when(running).then(eb.ref('jobs.next_run_at')).else(eb.ref('excluded.next_run_at')).end(),
              replay_of: eb.case().when(replayInto).then(eb.ref('excluded.replay_of')).else(eb.ref('jobs.replay_of')).end(),
              attempt: eb.case().when(replayInto).then(0).else(eb.ref('jobs.attempt')).end(),
              correlation_id: eb.case().when(replayInto).then(eb.ref('excluded.correlation_id')).else(eb.ref('jobs.correlation_id')).end(),
            })),
        )
        .executeTakeFirst();
      written += Number(result.numInsertedOrUpdatedRows ?? part.length);
    }
    return written;
  }

  async function pendingByKey(executor: Kysely<StoreDatabase>, input: EnqueueInput): Promise<Row | undefined> {
    return executor
      .selectFrom('jobs')
      .selectAll()
      .where('connection_id', '=', input.connectionId)
      .where('stream', '=', input.stream)
      .where('key', '=', input.key)
      .where(PENDING)
      .executeTakeFirst();
  }

  async function idsWhere(ids: readonly string[], update: (part: string[]) => Promise<unknown>): Promise<void> {
    for (const part of chunk(ids, ID_CHUNK)) await update(part);
  }

  return {
    async enqueue(input) {
      // a replay merging into a pending job keeps that job's correlation id unless it brings its own
      return inTransaction(db, async (trx) => {
        const before = await pendingByKey(trx, input);
        const merged = input.replayOf && before && before.status !== 'running' && input.correlationId === undefined ? { ...input, correlationId: before.correlation_id } : input;
        await writeMany(trx, [merged]);
        const after = await pendingByKey(trx, input);
        if (!after) throw new Error(`job for ${input.stream} ${input.key} vanished right after it was queued`);
        return { job: toJob(after), created: before === undefined };
      });
    },

    async enqueueMany(inputs) {
      if (inputs.length === 0) return 0;
      return inTransaction(db, (trx) => writeMany(trx, inputs));
    },

    async hasQueued(connectionId, stream, count) {
      if (count <= 0) return true;
      const row = await db
        .selectFrom('jobs')
        .select('id')
        .where(sql<boolean>`status = 'queued'`)
        .where('connection_id', '=', connectionId)
        .where('stream', '=', stream)
        .orderBy('next_run_at')
        .orderBy('id')
        .limit(1)
        .offset(count - 1)
        .executeTakeFirst();
      return row !== undefined;
    },

    async hasDue(connectionId, stream) {
      const due = await dueQueued(db, { now: isoAt(ctx.now()), limit: 1, connectionId, streams: [stream] }).executeTakeFirst();
      return due !== undefined;
    },

    async get(id) {
      const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toJob(row) : null;
    },

    async claim(limit, workerId, claimOptions = {}) {
      if (limit <= 0 || (claimOptions.streams && claimOptions.streams.length === 0)) return [];
      const nowMs = ctx.now();
      const now = isoAt(nowMs);
      const selection = { now, limit, ...(claimOptions.connectionId !== undefined ? { connectionId: claimOptions.connectionId } : {}), ...(claimOptions.streams ? { streams: claimOptions.streams } : {}) };
      const takeOver = (eb: ExpressionBuilder<StoreDatabase, 'jobs'>) => ({
        status: 'running' as const,
        attempt: eb('attempt', '+', 1),
        locked_by: workerId,
        locked_until: isoAt(nowMs + (claimOptions.lockMs ?? DEFAULT_LOCK_MS)),
        waiting_on: null,
        updated_at: now,
      });
      // No per-key ordering check is needed: a key has at most one pending job (the partial unique
      // index), so no earlier change to the same record can be waiting behind a due one.
      const rows = await inTransaction(db, async (trx) => {
        await promoteDue(trx, now);
        if (ctx.dialect === 'postgres') {
          // row locks taken by SKIP LOCKED are held until commit, so a concurrent claimer passes
          // over exactly the rows this one is taking
          const locked = await dueQueued(trx, selection).forUpdate().skipLocked().execute();
          if (locked.length === 0) return [];
          return trx.updateTable('jobs').set(takeOver).where('id', 'in', locked.map((row) => row.id)).returningAll().execute();
        }
        // SQLite has one writer: one UPDATE ... RETURNING is atomic
        return trx.updateTable('jobs').set(takeOver).where('id', 'in', dueQueued(trx, selection)).returningAll().execute();
      });
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
      const result = await this.settle([{ job: { id, attempt: 0, maxAttempts: 0 }, verdict: { kind: 'complete', ...(finishedHash !== undefined ? { finishedHash } : {}) } }], workerId);
      return result.completed.length > 0;
    },

    async fail(id, failure, workerId, backoff = {}) {
      const current = await this.get(id);
      if (!current) throw new Error(`job ${id} does not exist`);
      await this.settle([{ job: current, verdict: { kind: 'fail', failure } }], workerId, backoff);
      const after = await this.get(id);
      if (!after) throw new Error(`job ${id} vanished while failing it`);
      return after;
    },

    async wait(id, waitingOn, waitOptions = {}) {
      const result = await this.settle(
        [{ job: { id, attempt: 0, maxAttempts: 0 }, verdict: { kind: 'wait', waitingOn, ...(waitOptions.reason ? { reason: waitOptions.reason } : {}), ...(waitOptions.recheckAt !== undefined ? { recheckAt: waitOptions.recheckAt } : {}) } }],
        waitOptions.workerId,
      );
      return result.waiting.length > 0;
    },

    async settle(items, workerId, backoff = {}) {
      const result: SettleResult = { completed: [], requeued: [], failed: [], retrying: [], waiting: [] };
      if (items.length === 0) return result;
      const nowMs = ctx.now();
      const now = isoAt(nowMs);
      // only the worker that holds a job may settle it (a worker whose lock lapsed is refused)
      const held = (query: JobsUpdate): JobsUpdate => (workerId !== undefined ? query.where('locked_by', '=', workerId) : query);
      await inTransaction(db, async (trx) => {
        // Completions: a job finishes only with the content it ran; one whose content changed
        // meanwhile runs again with the newer content, as a fresh change.
        const completions = items.filter((item) => item.verdict.kind === 'complete');
        if (completions.length > 0) {
          const current = new Map<string, string>();
          await idsWhere(completions.map((item) => item.job.id), async (part) => {
            let query = trx.selectFrom('jobs').select(['id', 'payload_hash']).where('id', 'in', part).where(sql<boolean>`status = 'running'`);
            if (workerId !== undefined) query = query.where('locked_by', '=', workerId);
            for (const row of await query.execute()) current.set(String(row.id), row.payload_hash);
          });
          const done: string[] = [];
          const again: string[] = [];
          for (const { job, verdict } of completions) {
            const hash = current.get(job.id);
            if (hash === undefined) continue;
            const finished = verdict.kind === 'complete' ? verdict.finishedHash : undefined;
            (finished === undefined || finished === hash ? done : again).push(job.id);
          }
          await idsWhere(done, (part) =>
            held(trx.updateTable('jobs').set({ status: 'succeeded', locked_by: null, locked_until: null, waiting_on: null, next_run_at: null, last_error_code: null, last_error_message: null, updated_at: now }).where('id', 'in', part)).execute(),
          );
          await idsWhere(again, (part) =>
            held(trx.updateTable('jobs').set({ status: 'queued', attempt: 0, locked_by: null, locked_until: null, next_run_at: now, updated_at: now }).where('id', 'in', part)).execute(),
          );
          result.completed.push(...done);
          result.requeued.push(...again);
        }

        // Failures: one statement per (verdict, attempt) group, since the backoff depends on both
        const failures = new Map<string, { ids: string[]; failure: FailureInput; final: boolean; nextRunAt: string | null }>();
        for (const { job, verdict } of items) {
          if (verdict.kind !== 'fail') continue;
          const final = isFinalFailure(job, verdict.failure);
          const group = `${final}\u0000${job.attempt}\u0000${verdict.failure.code}\u0000${verdict.failure.message}\u0000${verdict.failure.retryAfterMs ?? ''}`;
          const existing = failures.get(group);
          if (existing) existing.ids.push(job.id);
          else {
            const nextRunAt = final ? null : isoAt(nowMs + retryDelayMs(Math.max(1, job.attempt), backoff.retry ?? options.retry, verdict.failure.retryAfterMs, backoff.random ?? random));
            failures.set(group, { ids: [job.id], failure: verdict.failure, final, nextRunAt });
          }
        }
        for (const { ids, failure, final, nextRunAt } of failures.values()) {
          await idsWhere(ids, (part) =>
            held(
              trx
                .updateTable('jobs')
                .set({ status: final ? 'failed' : 'queued', next_run_at: nextRunAt, locked_by: null, locked_until: null, last_error_code: failure.code, last_error_message: failure.message.slice(0, MAX_ERROR_MESSAGE), updated_at: now })
                .where('id', 'in', part),
            ).execute(),
          );
          (final ? result.failed : result.retrying).push(...ids);
        }

        // Waits: parked until a wake (or the recheck time); waiting is not a failed attempt
        const waits = new Map<string, { ids: string[]; verdict: Extract<JobVerdict, { kind: 'wait' }> }>();
        for (const { job, verdict } of items) {
          if (verdict.kind !== 'wait') continue;
          const group = `${verdict.waitingOn}\u0000${verdict.recheckAt ?? ''}\u0000${verdict.reason?.code ?? ''}\u0000${verdict.reason?.message ?? ''}`;
          const existing = waits.get(group);
          if (existing) existing.ids.push(job.id);
          else waits.set(group, { ids: [job.id], verdict });
        }
        for (const { ids, verdict } of waits.values()) {
          await idsWhere(ids, async (part) => {
            const updated = await held(
              trx
                .updateTable('jobs')
                .set((eb) => ({
                  status: 'waiting' as const,
                  waiting_on: verdict.waitingOn,
                  attempt: eb.case().when('attempt', '>', 0).then(eb('attempt', '-', 1)).else(0).end(),
                  next_run_at: verdict.recheckAt === undefined ? null : isoAt(verdict.recheckAt),
                  locked_by: null,
                  locked_until: null,
                  ...(verdict.reason ? { last_error_code: verdict.reason.code, last_error_message: verdict.reason.message.slice(0, MAX_ERROR_MESSAGE) } : {}),
                  updated_at: now,
                }))
                .where('id', 'in', part),
            ).returning('id').execute();
            result.waiting.push(...updated.map((row) => String(row.id)));
          });
        }
      });
      return result;
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
          .where('waiting_on', 'in', part)
          .where(sql<boolean>`status = 'waiting'`)
          .executeTakeFirst();
        woken += Number(result.numUpdatedRows);
      }
      return woken;
    },

    async release(workerId) {
      return takeBackRunning(db, isoAt(ctx.now()), (query) => query.where('locked_by', '=', workerId));
    },

    async requeueExpired(requeueOptions = {}) {
      const now = isoAt(ctx.now());
      return takeBackRunning(db, now, (query) => (requeueOptions.all ? query : query.where('locked_until', '<', now)));
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
