import { NotFoundError, ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ReplayOutcome } from './api.js';
import { contentHash } from './hash.js';
import { jobIdOfAuditEvent, type JobRunner } from './jobRunner.js';
import type { StreamContext, SyncStream } from './stream.js';
import type { SyncStore } from './storePort.js';

export interface ReplayerOptions {
  store: SyncStore;
  streams: ReadonlyMap<string, SyncStream>;
  runner: JobRunner;
  context: StreamContext;
  clock: () => number;
  workerId: string;
  maxAttempts: number;
  logger: Logger;
}

/**
 * A replay re-reads the current source record, queues it as a new job carrying the replayed
 * attempt's id and correlation id, and runs that job at once; the runner links the new audit row
 * to the replayed one and marks that one Replayed.
 */
export class Replayer {
  constructor(private readonly o: ReplayerOptions) {}

  async replay(auditEventId: string, requestedBy: string): Promise<ReplayOutcome> {
    const { store, clock } = this.o;
    const original = await store.getAudit(auditEventId);
    if (!original) throw new NotFoundError('audit event', auditEventId);
    const jobId = jobIdOfAuditEvent(auditEventId);
    const job = jobId ? await store.getJob(jobId) : null;
    if (!job) throw new NotFoundError('job of audit event', auditEventId);
    const stream = this.o.streams.get(job.stream);
    if (!stream) throw new ValidationError(`audit event ${auditEventId} belongs to stream ${job.stream}, which this bridge does not run`);
    const now = new Date(clock()).toISOString();
    // the requester is kept on the replayed row: the new attempt's audit copies it from there
    await store.setAuditRequest(auditEventId, requestedBy, now);
    const payload = await stream.reread(job, this.o.context);
    if (payload === null) {
      throw new NotFoundError('source record', `${job.stream}:${job.key}`);
    }
    const queued = await store.enqueue({
      connectionId: job.connectionId,
      stream: job.stream,
      key: job.key,
      payload,
      payloadHash: contentHash(payload),
      correlationId: job.correlationId,
      maxAttempts: this.o.maxAttempts,
      replayOf: auditEventId,
      runAt: now,
    });
    const claimed = await store.claimById(queued.id, this.o.workerId, now, new Date(clock() + 5 * 60_000).toISOString());
    if (!claimed) {
      // another worker holds it; it will run with the replay marker set by enqueue
      return { replayOf: auditEventId, auditEventId: '', status: 'Retrying' };
    }
    const [processed] = await this.o.runner.process(stream, [claimed]);
    const status = processed!.auditStatus;
    return { replayOf: auditEventId, auditEventId: processed!.auditEventId, status: status === 'Replay Requested' || status === 'Replayed' ? 'Succeeded' : status };
  }
}
