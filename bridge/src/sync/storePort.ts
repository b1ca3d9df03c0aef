/**
 * The durable state the engine relies on, as one interface. `storeAdapter.ts` implements it on the
 * store (engineer G's Kysely database); keeping the engine on this seam means job semantics
 * (claim, wait/wake, backoff) are stated once, next to the code that depends on them.
 */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'waiting';

export interface JobRecord {
  id: string;
  connectionId: string;
  stream: string;
  key: string;
  payload: unknown;
  payloadHash: string;
  correlationId: string;
  /** attempts already made before the current claim */
  attempt: number;
  maxAttempts: number;
  status: JobState;
  waitingOn: string | null;
  nextRunAt: string | null;
  replayOf: string | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  createdAt: string;
}

export interface NewJob {
  connectionId: string;
  stream: string;
  key: string;
  payload: unknown;
  payloadHash: string;
  correlationId: string;
  maxAttempts: number;
  replayOf?: string | null;
  /** requested-by of a replay, carried to its audit row */
  runAt: string;
}

export interface LinkRecord {
  connectionId: string;
  object: string;
  qadKey: string;
  salesforceId: string | null;
  lastHash: string | null;
  lastSyncedAt: string;
}

export interface AuditEntry {
  eventId: string;
  connectionId: string;
  direction: 'QAD to Salesforce' | 'Salesforce to QAD';
  object: 'Account' | 'Contact' | 'Product2' | 'Order';
  operation: 'Create' | 'Update' | 'Upsert' | 'Delete';
  status: 'Succeeded' | 'Failed' | 'Retrying' | 'Waiting' | 'Skipped' | 'Replay Requested' | 'Replayed';
  sourceId: string | null;
  targetId: string | null;
  salesforceRecordId: string | null;
  correlationId: string;
  attempt: number;
  errorCode: string | null;
  errorMessage: string | null;
  payload: string | null;
  payloadHash: string | null;
  occurredAt: string;
  replayOf: string | null;
  requestedBy: string | null;
  requestedAt: string | null;
}

export interface StoredAuditEntry extends AuditEntry {
  seq: number;
  mirroredAt: string | null;
}

export interface SyncStore {
  /**
   * Queues work for (connection, stream, key). A key that already has pending work gets the newer
   * payload instead of a second job (the latest content wins; the correlation id of the pending
   * job is kept). Returns the job id.
   */
  enqueue(job: NewJob): Promise<{ id: string; merged: boolean }>;
  /** due queued jobs of the streams, marked running for `workerId` until `lockedUntil` */
  claim(connectionId: string, stream: string, limit: number, workerId: string, now: string, lockedUntil: string): Promise<JobRecord[]>;
  getJob(id: string): Promise<JobRecord | null>;
  /** claims one queued job by id (a replay runs its job at once); null when another worker has it */
  claimById(id: string, workerId: string, now: string, lockedUntil: string): Promise<JobRecord | null>;
  /** done with the content of `finishedHash`; re-queued instead if newer content arrived meanwhile */
  succeed(id: string, attempt: number, finishedHash: string, now: string): Promise<void>;
  retryLater(id: string, attempt: number, nextRunAt: string, errorCode: string, errorMessage: string, now: string): Promise<void>;
  fail(id: string, attempt: number, errorCode: string, errorMessage: string, now: string): Promise<void>;
  wait(id: string, attempt: number, waitingOn: string, message: string, now: string): Promise<void>;
  /** moves jobs waiting on any of the keys back to the queue, due now */
  wake(connectionId: string, waitingOn: string[], now: string): Promise<number>;
  /**
   * Running jobs of this worker, or (workerId null) of any worker whose lock ends before
   * `lockedBefore` (default now), go back to the queue, due now, without spending an attempt.
   */
  release(workerId: string | null, now: string, lockedBefore?: string): Promise<number>;
  pendingCount(connectionId: string, stream?: string): Promise<number>;
  countByStatus(connectionId: string): Promise<Record<JobState, number>>;

  getLink(connectionId: string, object: string, qadKey: string): Promise<LinkRecord | null>;
  findLinksBySalesforceId(connectionId: string, salesforceId: string): Promise<LinkRecord[]>;
  saveLink(link: LinkRecord): Promise<void>;

  getRecordHash(connectionId: string, object: string, key: string): Promise<string | null>;
  saveRecordHash(connectionId: string, object: string, key: string, hash: string): Promise<void>;

  getCheckpoint(connectionId: string, stream: string): Promise<string | null>;
  saveCheckpoint(connectionId: string, stream: string, value: string, now: string): Promise<void>;

  appendAudit(entry: AuditEntry): Promise<void>;
  getAudit(eventId: string): Promise<StoredAuditEntry | null>;
  setAuditStatus(eventId: string, status: AuditEntry['status'], now: string): Promise<void>;
  /** records who asked for a replay of the row, and when */
  setAuditRequest(eventId: string, requestedBy: string, requestedAt: string): Promise<void>;
  unmirroredAudit(connectionId: string, limit: number): Promise<StoredAuditEntry[]>;
  markMirrored(eventIds: string[], now: string): Promise<void>;

  acquireLease(name: string, holder: string, now: string, expiresAt: string): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
}
