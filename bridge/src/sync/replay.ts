import { NotFoundError, ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ReplayOutcome } from './api.js';
import { contentHash } from './hash.js';
import { jobIdOfAuditEvent, type JobRunner } from './jobRunner.js';
import type { SalesforcePort } from './ports.js';
import type { StreamContext, SyncStream } from './stream.js';
import type { SyncRepositories } from '../store/index.js';

export interface ReplayerOptions {
  store: SyncRepositories;
  streams: ReadonlyMap<string, SyncStream>;
  runner: JobRunner;
  context: StreamContext;
  clock: () => number;
  workerId: string;
  maxAttempts: number;
  logger: Logger;
}

/** a replay runs in the caller's request; this bounds how long a lost caller keeps its job */
const REPLAY_LOCK_MS = 5 * 60_000;

/**
 * A replay re-reads the current source record, queues it as a new job carrying the replayed
 * attempt's id and correlation id, and runs that job at once; the runner links the new audit row
 * to the replayed one and marks that one Replayed.
 */
export class Replayer {
  constructor(private readonly o: ReplayerOptions) {}

  async replay(auditEventId: string, requestedBy: string): Promise<ReplayOutcome> {
    const { store, clock } = this.o;
    const original = await store.audit.get(auditEventId);
    if (!original) throw new NotFoundError('audit event', auditEventId);
    const jobId = jobIdOfAuditEvent(auditEventId);
    const job = jobId ? await store.jobs.get(jobId) : null;
    if (!job) throw new NotFoundError('job of audit event', auditEventId);
    const stream = this.o.streams.get(job.stream);
    if (!stream) throw new ValidationError(`audit event ${auditEventId} belongs to stream ${job.stream}, which this bridge does not run`);
    const now = new Date(clock()).toISOString();
    // the requester is kept on the replayed row: the new attempt's audit copies it from there
    await store.audit.recordReplayRequest(auditEventId, requestedBy, now);
    const payload = await stream.reread(job, this.o.context);
    if (payload === null) {
      throw new NotFoundError('source record', `${job.stream}:${job.key}`);
    }
    const queued = await store.jobs.enqueue({
      connectionId: job.connectionId,
      stream: job.stream,
      key: job.key,
      payload,
      payloadHash: contentHash(payload),
      correlationId: job.correlationId,
      maxAttempts: this.o.maxAttempts,
      replayOf: auditEventId,
      runAt: clock(),
    });
    const claimed = await store.jobs.claimById(queued.job.id, this.o.workerId, { lockMs: REPLAY_LOCK_MS });
    if (!claimed) {
      // another worker holds it; it will run with the replay marker set by enqueue
      return { replayOf: auditEventId, auditEventId: '', status: 'Retrying' };
    }
    const [processed] = await this.o.runner.process(stream, [claimed]);
    const status = processed!.auditStatus;
    return { replayOf: auditEventId, auditEventId: processed!.auditEventId, status: status === 'Replay Requested' || status === 'Replayed' ? 'Succeeded' : status };
  }
}

/** rows an admin left in `Replay Requested` while no bridge was listening, replayed one by one */
export async function replayPendingRequests(salesforce: SalesforcePort, connectionId: string, replayer: Replayer, onError: (error: unknown) => void): Promise<number> {
  let count = 0;
  const soql = `SELECT Id, Bridge_Event_Id__c, Requested_By__c FROM Sync_Audit__c WHERE Status__c = 'Replay Requested' AND Connection_Id__c = '${connectionId.replace(/'/g, "\\'")}'`;
  for await (const row of salesforce.query<{ Bridge_Event_Id__c: string; Requested_By__c: string | null }>(soql)) {
    try {
      await replayer.replay(row.Bridge_Event_Id__c, row.Requested_By__c ?? 'unknown');
      count += 1;
    } catch (error) {
      onError(error);
    }
  }
  return count;
}
