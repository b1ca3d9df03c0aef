import { randomBytes } from 'node:crypto';
import { DEFAULT_RETRY_POLICY, type RetryPolicyOptions } from '../lib/retryPolicy.js';
import { auditPayload, safeErrorMessage } from '../lib/redact.js';
import type { Logger } from '../logger.js';
import { isFinalFailure, type AuditAppend, type AuditStatus, type JobRecord, type LinkUpsert, type SettleItem, type SyncRepositories } from '../store/index.js';
import { waitKey, type JobOutcome, type RecordHashUpdate, type StreamContext, type SyncStream } from './stream.js';

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
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group) group.push(item);
    else groups.set(keyOf(item), [item]);
  }
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
  async runOnce(stream: SyncStream, limit = stream.batchSize): Promise<number> {
    const jobs = await this.#o.store.jobs.claim(limit, this.#o.workerId, { connectionId: this.#o.context.connectionId, streams: [stream.name], lockMs: this.#o.lockMs });
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
    const settled = jobs.map((job, i) => ({
      job,
      outcome: outcomes[i] ?? ({ kind: 'failed', code: 'BRIDGE_ERR_MISSING_OUTCOME', message: 'the stream returned no outcome for this job', retryable: true } as JobOutcome),
    }));
    return this.#settle(stream, settled);
  }

  /**
   * Makes a batch's outcomes durable in one transaction, in set-based statements: the audit rows,
   * the links and record hashes the writes produced, the jobs' new states, and the wake-up of jobs
   * that waited on those links. A crash before the commit repeats the whole batch (its writes are
   * upserts by External ID, so repeating them is harmless); after it, nothing is lost.
   */
  async #settle(stream: SyncStream, settled: Array<{ job: JobRecord; outcome: JobOutcome }>): Promise<ProcessedJob[]> {
    const { store, context, workerId } = this.#o;
    const now = this.#iso();
    const replayOrigins = new Map<string, Awaited<ReturnType<typeof store.audit.get>>>();
    for (const { job } of settled) if (job.replayOf && !replayOrigins.has(job.replayOf)) replayOrigins.set(job.replayOf, await store.audit.get(job.replayOf));

    const processed: ProcessedJob[] = [];
    const auditRows: AuditAppend[] = [];
    const verdicts: SettleItem[] = [];
    const links: LinkUpsert[] = [];
    const hashes: RecordHashUpdate[] = [];
    const wake: string[] = [];
    const unchanged: Array<{ job: JobRecord; outcome: Extract<JobOutcome, { kind: 'skipped' }> }> = [];
    for (const { job, outcome } of settled) {
      // the claim counted this attempt already
      const attempt = job.attempt;
      const status: AuditStatus =
        outcome.kind === 'succeeded' ? 'Succeeded' : outcome.kind === 'skipped' ? 'Skipped' : outcome.kind === 'waiting' ? 'Waiting' : isFinalFailure(job, outcome) ? 'Failed' : 'Retrying';
      const eventId = newAuditEventId(job.id, attempt);
      processed.push({ job, outcome, auditEventId: eventId, auditStatus: status });
      if (outcome.kind === 'skipped' && !job.replayOf) unchanged.push({ job, outcome });
      else {
        const { payload, payloadHash } = auditPayload(outcome.sent ?? job.payload);
        const errorText = outcome.kind === 'failed' ? outcome.message : outcome.kind === 'waiting' ? outcome.message : outcome.kind === 'skipped' ? outcome.reason : null;
        const origin = job.replayOf ? replayOrigins.get(job.replayOf) : null;
        auditRows.push({
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
          requestedBy: origin?.requestedBy ?? null,
          requestedAt: origin?.requestedAt ?? null,
        });
      }
      if (outcome.kind === 'succeeded') {
        for (const link of outcome.links ?? []) {
          links.push({ connectionId: context.connectionId, ...link });
          if (link.salesforceId) wake.push(waitKey.salesforce(link.salesforceId));
          if (ACCOUNT_LINK_OBJECTS.has(link.object)) wake.push(waitKey.qad('Account', link.qadKey));
        }
        hashes.push(...(outcome.recordHashes ?? []));
        verdicts.push({ job, verdict: { kind: 'complete', finishedHash: job.payloadHash } });
      } else if (outcome.kind === 'skipped') {
        verdicts.push({ job, verdict: { kind: 'complete', finishedHash: job.payloadHash } });
      } else if (outcome.kind === 'waiting') {
        verdicts.push({ job, verdict: { kind: 'wait', waitingOn: outcome.waitingOn, reason: { code: WAITING_CODE, message: outcome.message } } });
      } else {
        verdicts.push({ job, verdict: { kind: 'fail', failure: { code: outcome.code, message: safeErrorMessage(outcome.message), retryable: outcome.retryable, retryAfterMs: outcome.retryAfterMs ?? null } } });
      }
    }
    if (unchanged.length > 0) auditRows.push(this.#unchangedSummary(stream, unchanged, now));

    await store.transaction(async (repos) => {
      await repos.audit.appendMany(auditRows);
      await repos.links.upsertMany(links);
      for (const [object, entries] of groupBy(hashes, (h) => h.object)) await repos.hashes.putMany(context.connectionId, object, entries);
      await repos.jobs.settle(verdicts, workerId, { retry: this.#o.retry, random: this.#o.random });
      if (wake.length > 0) await repos.jobs.wake(context.connectionId, wake);
      for (const replayed of replayOrigins.keys()) await repos.audit.updateStatus(replayed, 'Replayed');
    });

    for (const { job, outcome, auditStatus } of processed) {
      this.#o.onSettled?.(stream.name, auditStatus);
      if (outcome.kind === 'failed') this.#o.logger.warn({ stream: stream.name, key: job.key, attempt: job.attempt, code: outcome.code, status: auditStatus }, 'sync attempt failed');
    }
    return processed;
  }

  /**
   * Records whose content was already in the target are not one Sync_Audit__c row each: a batch's
   * unchanged records become one Skipped row naming how many and which (a replay that turns out
   * unchanged keeps its own row, since an admin asked for it).
   */
  #unchangedSummary(stream: SyncStream, unchanged: Array<{ job: JobRecord; outcome: Extract<JobOutcome, { kind: 'skipped' }> }>, now: string): AuditAppend {
    const first = unchanged[0]!;
    const keys = unchanged.map(({ job, outcome }) => outcome.sourceId ?? stream.sourceIdOf(job));
    const reasons = [...new Set(unchanged.map(({ outcome }) => outcome.reason))];
    const { payload, payloadHash } = auditPayload({ unchanged: unchanged.length, keys });
    return {
      eventId: newAuditEventId(first.job.id, first.job.attempt),
      connectionId: this.#o.context.connectionId,
      direction: stream.direction,
      object: stream.auditObject,
      operation: first.outcome.operation ?? stream.defaultOperation,
      status: 'Skipped',
      sourceId: keys.length === 1 ? keys[0]! : `${keys[0]!.slice(0, 200)} and ${keys.length - 1} more`,
      targetId: unchanged.length === 1 ? (first.outcome.targetId ?? null) : null,
      salesforceRecordId: unchanged.length === 1 ? (first.outcome.salesforceRecordId ?? null) : null,
      correlationId: first.job.correlationId,
      attempt: first.job.attempt,
      errorCode: null,
      errorMessage: safeErrorMessage(`${unchanged.length} record${unchanged.length === 1 ? '' : 's'} unchanged, nothing written: ${reasons.join('; ')}`),
      payload,
      payloadHash,
      occurredAt: now,
    };
  }
}
