import { qadRecordHash } from './hash.js';
import type { StreamName } from './api.js';
import type { QadObject, QadPort } from './ports.js';
import type { SyncStore } from './storePort.js';

type PolledObject = Exclude<QadObject, 'salesOrder'>;

/** business relations first: contacts need their Account linked, orders need both */
export const POLL_ORDER: ReadonlyArray<{ object: PolledObject; stream: StreamName }> = [
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
  store: SyncStore;
  clock: () => number;
  maxAttempts: number;
  /** streams that are paused are not polled (their checkpoints stay where they are) */
  isPaused: (stream: StreamName) => boolean;
  /** ignore watermarks and record hashes: re-read and re-queue everything (backfill) */
  full?: boolean;
  onProgress?: (object: string, read: number) => void;
}

function watermarkStream(object: string): string {
  return `qad-watermark:${object}`;
}

/**
 * One QAD poll: reads each object (from its watermark where the tenant filters by modified date),
 * queues a job for every record whose content hash differs from the last one seen, and only then
 * records that hash and advances the watermark, so a crash mid-poll re-reads rather than loses.
 */
export async function pollQadOnce(options: PollOptions): Promise<PollResult> {
  const { connectionId, qad, store, clock } = options;
  const runId = new Date(clock()).toISOString();
  const result: PollResult = { runId, read: 0, queued: 0, byObject: {} };
  for (const { object, stream } of POLL_ORDER) {
    if (options.isPaused(stream)) continue;
    const counts = { read: 0, queued: 0 };
    result.byObject[object] = counts;
    const useWatermark = !options.full && (qad.hasWatermark?.(object) ?? false);
    const since = useWatermark ? await store.getCheckpoint(connectionId, watermarkStream(object)) : null;
    let newest = since;
    for await (const record of qad.list(object, since ? { modifiedSince: since } : {})) {
      counts.read += 1;
      options.onProgress?.(object, counts.read);
      const hash = qadRecordHash(record.fields);
      const known = options.full ? null : await store.getRecordHash(connectionId, object, record.key);
      if (known !== hash) {
        await store.enqueue({
          connectionId,
          stream,
          key: record.key,
          payload: record,
          payloadHash: hash,
          correlationId: `qad:${object}:${record.key}:${runId}`,
          maxAttempts: options.maxAttempts,
          runAt: new Date(clock()).toISOString(),
        });
        await store.saveRecordHash(connectionId, object, record.key, hash);
        counts.queued += 1;
      }
      const modified = record.modifiedAt ?? (typeof record.fields.modifiedAt === 'string' ? record.fields.modifiedAt : undefined);
      if (modified && (newest === null || modified > newest)) newest = modified;
    }
    if (useWatermark && newest && newest !== since) {
      await store.saveCheckpoint(connectionId, watermarkStream(object), newest, new Date(clock()).toISOString());
    }
    result.read += counts.read;
    result.queued += counts.queued;
  }
  await store.saveCheckpoint(connectionId, 'qad-last-poll', runId, runId);
  return result;
}
