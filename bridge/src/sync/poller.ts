import type { StreamName } from './api.js';
import { createHash } from 'node:crypto';
import type { QadListObject, QadPort, QadRecord, QadRejectedRecord } from './ports.js';
import type { AuditAppend, AuditObject, EnqueueInput, SyncRepositories } from '../store/index.js';

/** business relations first: contacts need their Account linked, orders need both */
export const POLL_ORDER: ReadonlyArray<{ object: QadListObject; stream: StreamName }> = [
  { object: 'customer', stream: 'qad-customers' },
  { object: 'supplier', stream: 'qad-suppliers' },
  { object: 'item', stream: 'qad-items' },
  { object: 'contact', stream: 'qad-contacts' },
];

export interface PollResult {
  runId: string;
  read: number;
  queued: number;
  byObject: Record<string, { read: number; queued: number }>;
}

export interface PollOptions {
  connectionId: string;
  qad: QadPort;
  store: SyncRepositories;
  clock: () => number;
  maxAttempts: number;
  /** streams that are paused are not polled (their cursors stay where they are) */
  isPaused: (stream: StreamName) => boolean;
  /** re-read and re-queue every record, changed or not (backfill) */
  full?: boolean;
  onProgress?: (object: string, read: number) => void;
  /**
   * Resolves when the stream's queue has room for another page. Polling never runs ahead of the
   * workers by more than that bound, so a million-record read holds a bounded queue, not the table.
   */
  room?: (stream: StreamName) => Promise<void>;
  /** a page's jobs are durable (the workers can take them now) */
  onPage?: () => void;
  /** the poll of a stream's object begins and ends (its records are all queued) */
  onStream?: (stream: StreamName, reading: boolean) => void;
  /**
   * How far before the backfill's start its records count as seen by the next watermark poll: the
   * QAD tenant's clock may run behind the bridge's, and a record changed while the backfill read
   * past it must be read again (default 10 minutes).
   */
  watermarkMarginMs?: number;
}

const AUDIT_OBJECT: Record<QadListObject, AuditObject> = { customer: 'Account', supplier: 'Account', item: 'Product2', contact: 'Contact' };

/**
 * A QAD row the client refused (no usable key, a date that is not a date, control characters,
 * a value of the wrong type): it never becomes a job, and it is never dropped either. It is
 * audited as Failed, with the code and the message naming the field and the fix, in the same
 * transaction as its page, so it shows in Sync_Audit__c and a corrected row syncs by itself.
 */
function rejectedAudit(connectionId: string, rejected: QadRejectedRecord, runId: string, at: string): AuditAppend {
  const id = createHash('sha256').update(`${connectionId}|${rejected.object}|${rejected.key}|${rejected.code}|${runId}`).digest('hex').slice(0, 24);
  return {
    eventId: `rejected.${id}`,
    connectionId,
    direction: 'QAD to Salesforce',
    object: AUDIT_OBJECT[rejected.object],
    operation: 'Upsert',
    status: 'Failed',
    sourceId: rejected.key,
    correlationId: `qad:${rejected.object}:${rejected.key}:${runId}`.slice(0, 80),
    attempt: 1,
    errorCode: rejected.code,
    errorMessage: rejected.message,
    payload: JSON.stringify({ problems: rejected.problems, ...(rejected.modifiedAt !== undefined ? { modifiedAt: rejected.modifiedAt } : {}) }),
    occurredAt: at,
  };
}

function cursorName(object: string): string {
  return `qad-cursor:${object}`;
}

/** where an unfinished backfill of one object stands: its run, when it began, and the last page made durable */
export function backfillCheckpointName(object: string): string {
  return `qad-backfill:${object}`;
}

interface BackfillProgress {
  runId: string;
  startedAt: string;
  position: string | null;
  read: number;
  /** the latest modified date read so far (QAD's clock) */
  newest: string | null;
  /** every record was read and queued; a restarted backfill only finishes the work */
  readComplete?: boolean;
}

const DEFAULT_WATERMARK_MARGIN_MS = 10 * 60_000;

function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (Number.isNaN(ta)) return b;
  if (Number.isNaN(tb)) return a;
  return ta >= tb ? a : b;
}

/**
 * One QAD poll, page by page: each page becomes durable jobs (one set-based statement) before the
 * next is read, and the workers take them while the poll reads on. A backfill also records, in the
 * same transaction as a page's jobs, how far it got, so a bridge killed half-way resumes after the
 * last durable page instead of starting over; when it ends, the object's watermark moves to where
 * the backfill began, so the next incremental poll reads only what changed since.
 */
export async function pollQadOnce(options: PollOptions): Promise<PollResult> {
  const { connectionId, qad, store, clock } = options;
  const runId = new Date(clock()).toISOString();
  const result: PollResult = { runId, read: 0, queued: 0, byObject: {} };
  const jobsFor = (stream: StreamName, object: string, records: readonly QadRecord[], run: string): EnqueueInput[] =>
    records.map((record) => ({
      connectionId,
      stream,
      key: record.key,
      payload: record,
      payloadHash: qad.recordHash(record),
      correlationId: `qad:${object}:${record.key}:${run}`.slice(0, 80),
      maxAttempts: options.maxAttempts,
      runAt: clock(),
    }));

  for (const { object, stream } of POLL_ORDER) {
    if (options.isPaused(stream)) continue;
    const counts = { read: 0, queued: 0 };
    result.byObject[object] = counts;
    options.onStream?.(stream, true);
    try {
      await pollObject(object, stream, counts);
    } finally {
      options.onStream?.(stream, false);
    }
    result.read += counts.read;
    result.queued += counts.queued;
  }
  await store.checkpoints.set(connectionId, 'qad-last-poll', runId);
  return result;

  async function pollObject(object: QadListObject, stream: StreamName, counts: { read: number; queued: number }): Promise<void> {
    if (options.full) {
      const saved = await store.checkpoints.get(connectionId, backfillCheckpointName(object));
      const progress: BackfillProgress = saved ? (JSON.parse(saved) as BackfillProgress) : { runId, startedAt: new Date(clock()).toISOString(), position: null, read: 0, newest: null };
      counts.read = progress.read;
      counts.queued = progress.read;
      if (progress.readComplete) return;
      for await (const page of qad.readAll(object, { resumeAfter: progress.position })) {
        await options.room?.(stream);
        progress.position = page.position;
        progress.read += page.records.length;
        for (const record of page.records) progress.newest = later(progress.newest, record.modifiedAt ?? null);
        await store.transaction(async (repos) => {
          await repos.jobs.enqueueMany(jobsFor(stream, object, page.records, progress.runId));
          await repos.audit.appendMany((page.rejected ?? []).map((rejected) => rejectedAudit(connectionId, rejected, progress.runId, new Date(clock()).toISOString())));
          // the change detection's stored hashes follow what was read, so the next poll finds nothing new
          await repos.hashes.putMany(connectionId, object, page.records.map((record) => ({ key: record.key, hash: qad.recordHash(record) })));
          await repos.checkpoints.set(connectionId, backfillCheckpointName(object), JSON.stringify(progress));
        });
        counts.read += page.records.length;
        counts.queued += page.records.length;
        options.onPage?.();
        options.onProgress?.(object, counts.read);
      }
      const margin = options.watermarkMarginMs ?? DEFAULT_WATERMARK_MARGIN_MS;
      const startedBefore = new Date(Date.parse(progress.startedAt) - margin).toISOString();
      // the older of "where the backfill began" and "the newest record it read": never past a change it may have missed
      const watermark = progress.newest === null ? null : Date.parse(progress.newest) < Date.parse(startedBefore) ? progress.newest : startedBefore;
      // the progress stays (marked read) until the whole backfill has finished its work, so a
      // backfill killed after reading and started again goes on with the work instead of re-reading
      await store.transaction(async (repos) => {
        if (watermark !== null) await repos.checkpoints.set(connectionId, cursorName(object), watermark);
        await repos.checkpoints.set(connectionId, backfillCheckpointName(object), JSON.stringify({ ...progress, readComplete: true }));
      });
    } else {
      const cursor = await store.checkpoints.get(connectionId, cursorName(object));
      const poll = qad.poll(object, cursor);
      for await (const page of poll) {
        await options.room?.(stream);
        // the refused rows are audited before finish() remembers them as reported
        await store.transaction(async (repos) => {
          await repos.jobs.enqueueMany(jobsFor(stream, object, page, runId));
          await repos.audit.appendMany((page.rejected ?? []).map((rejected) => rejectedAudit(connectionId, rejected, runId, new Date(clock()).toISOString())));
        });
        counts.queued += page.length;
        options.onPage?.();
        options.onProgress?.(object, counts.queued);
      }
      const finished = await poll.finish();
      counts.read = finished.scanned;
      if (finished.cursor && finished.cursor !== cursor) await store.checkpoints.set(connectionId, cursorName(object), finished.cursor);
    }
  }
}

/** a backfill's work is done: its progress records go, and the next backfill reads QAD anew */
export async function finishBackfill(store: SyncRepositories, connectionId: string): Promise<void> {
  await store.transaction(async (repos) => {
    for (const { object } of POLL_ORDER) await repos.checkpoints.clear(connectionId, backfillCheckpointName(object));
  });
}
