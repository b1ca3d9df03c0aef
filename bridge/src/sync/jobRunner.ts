import { randomBytes } from 'node:crypto';
import { DEFAULT_RETRY_POLICY, type RetryPolicyOptions } from '../lib/retryPolicy.js';
import { auditPayload, safeErrorMessage } from '../lib/redact.js';
import type { Logger } from '../logger.js';
import { isFinalFailure, type AuditStatus, type JobRecord, type SyncRepositories } from '../store/index.js';
import { waitKey, type JobOutcome, type StreamContext, type SyncStream } from './stream.js';

export interface JobRunnerOptions {
  store: SyncRepositories;
  context: StreamContext;
  workerId: string;
  clock: () => number;
  random?: () => number;
  retry?: RetryPolicyOptions;
  /** how long a claim holds a job before another worker may take it back */
  lockMs?: number;
  logger: Logger;
  /** told about every settled attempt (metrics) */
  onSettled?: (stream: string, status: AuditStatus) => void;
}

export interface ProcessedJob {
  job: JobRecord;
  outcome: JobOutcome;
  auditEventId: string;
  auditStatus: AuditStatus;
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
const WAITING_CODE = 'BRIDGE_ERR_WAITING_FOR_LINK';

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

/**
 * Claims due jobs of one stream, runs them as one batch and makes every outcome durable: audit row
 * first (the trail is at-least-once), then links and record hashes, then the job's new state. The
 * job rules (backoff with jitter and cap, Failed after the last attempt, wait and wake) are the
 * jobs repository's; the runner only passes the connection's retry policy along.
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
    const jobs = await this.#o.store.jobs.claim(stream.batchSize, this.#o.workerId, { connectionId: this.#o.context.connectionId, streams: [stream.name], lockMs: this.#o.lockMs });
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
    const { store, context, workerId } = this.#o;
    // the claim counted this attempt already
    const attempt = job.attempt;
    const now = this.#iso();
    let status: AuditStatus;
    if (outcome.kind === 'succeeded') status = 'Succeeded';
    else if (outcome.kind === 'skipped') status = 'Skipped';
    else if (outcome.kind === 'waiting') status = 'Waiting';
    else status = isFinalFailure(job, outcome) ? 'Failed' : 'Retrying';

    const eventId = newAuditEventId(job.id, attempt);
    const { payload, payloadHash } = auditPayload(outcome.sent ?? job.payload);
    const errorText = outcome.kind === 'failed' ? outcome.message : outcome.kind === 'waiting' ? outcome.message : outcome.kind === 'skipped' ? outcome.reason : null;
    const replayOrigin = job.replayOf ? await store.audit.get(job.replayOf) : null;
    // the trail first: a crash after this line repeats the attempt (and its row), never loses one
    await store.audit.append({
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
      errorCode: outcome.kind === 'failed' ? outcome.code : outcome.kind === 'waiting' ? WAITING_CODE : null,
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
      const links = outcome.links ?? [];
      await store.links.upsertMany(links.map((link) => ({ connectionId: context.connectionId, ...link })));
      for (const link of links) {
        if (link.salesforceId) wake.push(waitKey.salesforce(link.salesforceId));
        if (ACCOUNT_LINK_OBJECTS.has(link.object)) wake.push(waitKey.qad('Account', link.qadKey));
      }
      for (const [object, entries] of groupBy(outcome.recordHashes ?? [], (h) => h.object)) await store.hashes.putMany(context.connectionId, object, entries);
      await store.jobs.complete(job.id, workerId, job.payloadHash);
      if (wake.length > 0) await store.jobs.wake(context.connectionId, wake);
    } else if (outcome.kind === 'skipped') {
      await store.jobs.complete(job.id, workerId, job.payloadHash);
    } else if (outcome.kind === 'waiting') {
      await store.jobs.wait(job.id, outcome.waitingOn, { workerId, reason: { code: WAITING_CODE, message: outcome.message } });
    } else {
      await store.jobs.fail(job.id, { code: outcome.code, message: safeErrorMessage(outcome.message), retryable: outcome.retryable }, workerId, { retry: this.#o.retry, random: this.#o.random });
    }
    if (job.replayOf) await store.audit.updateStatus(job.replayOf, 'Replayed');
    this.#o.onSettled?.(stream.name, status);
    if (outcome.kind === 'failed') {
      this.#o.logger.warn({ stream: stream.name, key: job.key, attempt, code: outcome.code, status }, 'sync attempt failed');
    }
    return { job, outcome, auditEventId: eventId, auditStatus: status };
  }
}
