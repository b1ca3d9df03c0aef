import type { StreamName } from './api.js';
import type { QadListObject, QadPort, QadRecord } from './ports.js';
import type { SyncRepositories } from '../store/index.js';

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
}

function cursorName(object: string): string {
  return `qad-cursor:${object}`;
}

/**
 * One QAD poll: for each object, the QAD client's change detection yields the changed records;
 * each becomes a durable job, and only then does the poll record their hashes and the engine
 * advance the cursor, so a crash mid-poll re-reads rather than loses.
 */
export async function pollQadOnce(options: PollOptions): Promise<PollResult> {
  const { connectionId, qad, store, clock } = options;
  const runId = new Date(clock()).toISOString();
  const result: PollResult = { runId, read: 0, queued: 0, byObject: {} };
  const enqueue = async (stream: StreamName, object: string, record: QadRecord): Promise<void> => {
    await store.jobs.enqueue({
      connectionId,
      stream,
      key: record.key,
      payload: record,
      payloadHash: qad.recordHash(record),
      correlationId: `qad:${object}:${record.key}:${runId}`.slice(0, 80),
      maxAttempts: options.maxAttempts,
      runAt: clock(),
    });
  };
  for (const { object, stream } of POLL_ORDER) {
    if (options.isPaused(stream)) continue;
    const counts = { read: 0, queued: 0 };
    result.byObject[object] = counts;
    if (options.full) {
      for await (const page of qad.readAll(object)) {
        for (const record of page) await enqueue(stream, object, record);
        counts.read += page.length;
        counts.queued += page.length;
        options.onProgress?.(object, counts.read);
      }
    } else {
      const cursor = await store.checkpoints.get(connectionId, cursorName(object));
      const poll = qad.poll(object, cursor);
      for await (const page of poll) {
        for (const record of page) await enqueue(stream, object, record);
        counts.queued += page.length;
        options.onProgress?.(object, counts.queued);
      }
      const finished = await poll.finish();
      counts.read = finished.scanned;
      if (finished.cursor && finished.cursor !== cursor) await store.checkpoints.set(connectionId, cursorName(object), finished.cursor);
    }
    result.read += counts.read;
    result.queued += counts.queued;
  }
  await store.checkpoints.set(connectionId, 'qad-last-poll', runId);
  return result;
}
