import { randomBytes } from 'node:crypto';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicyOptions } from '../lib/retryPolicy.js';
import type { Logger } from '../logger.js';
import { auditPayload, safeErrorMessage } from './redact.js';
import { waitKey, type JobOutcome, type StreamContext, type SyncStream } from './stream.js';
import type { AuditEntry, JobRecord, SyncStore } from './storePort.js';

export interface JobRunnerOptions {
  store: SyncStore;
  context: StreamContext;
  workerId: string;
  clock: () => number;
  random?: () => number;
  retry?: RetryPolicyOptions;
  /** how long a claim holds a job before another worker may take it back */
  lockMs?: number;
  logger: Logger;
  /** told about every settled attempt (metrics) */
  onSettled?: (stream: string, status: AuditEntry['status']) => void;
}

export interface ProcessedJob {
  job: JobRecord;
  outcome: JobOutcome;
  auditEventId: string;
  auditStatus: AuditEntry['status'];
}

/** one id per attempt; it starts with the job id so a replay can find the job an audit row came from */
export function newAuditEventId(jobId: string, attempt: number): string {
  return `${jobId}.${attempt}.${randomBytes(4).toString('hex')}`;
}

export function jobIdOfAuditEvent(eventId: string): string | null {
  const [jobId] = eventId.split('.');
  return jobId && /^\d{1,19}$/.test(jobId) ? jobId : null;
}

const ACCOUNT_LINK_OBJECTS = new Set(['customer', 'supplier']);

/**
 * Claims due jobs of one stream, runs them as one batch and makes every outcome durable: audit row
 * first (the trail is at-least-once), then links and record hashes, then the job's new state. A
 * retryable failure goes back to the queue after capped exponential backoff with jitter; after the
 * last attempt the job is Failed and waits for a replay.
 */
export class JobRunner {
  readonly #o: Required<Omit<JobRunnerOptions, 'random' | 'retry' | 'lockMs' | 'onSettled'>> & { random: () => number; retry: RetryPolicyOptions; lockMs: number; onSettled?: JobRunnerOptions['onSettled'] };

  constructor(options: JobRunnerOptions) {
    this.#o = { random: Math.random, retry: DEFAULT_RETRY_POLICY, lockMs: 5 * 60_000, ...options };
  }

  #iso(offsetMs = 0): string {
    return new Date(this.#o.clock() + offsetMs).toISOString();
  }

  /** claims and runs one batch; resolves to the number of jobs processed */
  async runOnce(stream: SyncStream): Promise<number> {
    const jobs = await this.#o.store.claim(this.#o.context.connectionId, stream.name, stream.batchSize, this.#o.workerId, this.#iso(), this.#iso(this.#o.lockMs));
    if (jobs.length === 0) return 0;
    await this.process(stream, jobs);
    return jobs.length;
  }

  async process(stream: SyncStream, jobs: JobRecord[]): Promise<ProcessedJob[]> {
    let outcomes: JobOutcome[];
    try {
      outcomes = await stream.run(jobs, this.#o.context);
    } catch (error) {
      // a stream bug must not strand its claimed jobs in `running`
      const e = error as { code?: unknown; message?: unknown };
      outcomes = jobs.map(() => ({ kind: 'failed', code: typeof e.code === 'string' ? e.code : 'BRIDGE_ERR_STREAM', message: String(e.message ?? error), retryable: true }));
      this.#o.logger.error({ err: error, stream: stream.name }, 'stream run threw; jobs will be retried');
    }
    const processed: ProcessedJob[] = [];
    for (const [i, job] of jobs.entries()) {
      const outcome = outcomes[i] ?? { kind: 'failed', code: 'BRIDGE_ERR_MISSING_OUTCOME', message: 'the stream returned no outcome for this job', retryable: true };
      processed.push(await this.#settle(stream, job, outcome));
    }
    return processed;
  }

  async #settle(stream: SyncStream, job: JobRecord, outcome: JobOutcome): Promise<ProcessedJob> {
    const { store, context, clock } = this.#o;
    const attempt = job.attempt + 1;
    const now = this.#iso();
    let status: AuditEntry['status'];
    let nextRunAt: string | null = null;
    if (outcome.kind === 'succeeded') status = 'Succeeded';
    else if (outcome.kind === 'skipped') status = 'Skipped';
    else if (outcome.kind === 'waiting') status = 'Waiting';
    else if (outcome.retryable && attempt < job.maxAttempts) {
      status = 'Retrying';
      nextRunAt = new Date(clock() + retryDelayMs(attempt, this.#o.retry, null, this.#o.random)).toISOString();
    } else status = 'Failed';

    const eventId = newAuditEventId(job.id, attempt);
    const { payload, payloadHash } = auditPayload(outcome.sent ?? job.payload);
    const errorText = outcome.kind === 'failed' ? outcome.message : outcome.kind === 'waiting' ? outcome.message : outcome.kind === 'skipped' ? outcome.reason : null;
    const replayOrigin = job.replayOf ? await store.getAudit(job.replayOf) : null;
    await store.appendAudit({
      eventId,
      connectionId: context.connectionId,
      direction: stream.direction,
      object: stream.auditObject,
      operation: outcome.operation ?? stream.defaultOperation,
      status,
      sourceId: outcome.sourceId ?? stream.sourceIdOf(job),
      targetId: outcome.targetId ?? null,
      salesforceRecordId: outcome.salesforceRecordId ?? null,
      correlationId: job.correlationId,
      attempt,
      errorCode: outcome.kind === 'failed' ? outcome.code : outcome.kind === 'waiting' ? 'BRIDGE_ERR_WAITING_FOR_LINK' : null,
      errorMessage: errorText === null ? null : safeErrorMessage(errorText),
      payload,
      payloadHash,
      occurredAt: now,
      replayOf: job.replayOf,
      requestedBy: replayOrigin?.requestedBy ?? null,
      requestedAt: replayOrigin?.requestedAt ?? null,
    });

    if (outcome.kind === 'succeeded') {
      const wake: string[] = [];
      for (const link of outcome.links ?? []) {
        await store.saveLink({ connectionId: context.connectionId, lastSyncedAt: now, ...link });
        if (link.salesforceId) wake.push(waitKey.salesforce(link.salesforceId));
        if (ACCOUNT_LINK_OBJECTS.has(link.object)) wake.push(waitKey.qad('Account', link.qadKey));
      }
      for (const h of outcome.recordHashes ?? []) await store.saveRecordHash(context.connectionId, h.object, h.key, h.hash);
      await store.succeed(job.id, attempt, job.payloadHash, now);
      if (wake.length > 0) await store.wake(context.connectionId, [...new Set(wake)], now);
    } else if (outcome.kind === 'skipped') {
      await store.succeed(job.id, attempt, job.payloadHash, now);
    } else if (outcome.kind === 'waiting') {
      await store.wait(job.id, attempt, outcome.waitingOn, outcome.message, now);
    } else if (status === 'Retrying') {
      await store.retryLater(job.id, attempt, nextRunAt!, outcome.code, safeErrorMessage(outcome.message), now);
    } else {
      await store.fail(job.id, attempt, outcome.code, safeErrorMessage(outcome.message), now);
    }
    if (job.replayOf) await store.setAuditStatus(job.replayOf, 'Replayed', now);
    this.#o.onSettled?.(stream.name, status);
    if (outcome.kind === 'failed') {
      this.#o.logger.warn({ stream: stream.name, key: job.key, attempt, code: outcome.code, status }, 'sync attempt failed');
    }
    return { job, outcome, auditEventId: eventId, auditStatus: status };
  }
}
