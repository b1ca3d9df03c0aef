import type { QadAdapter } from './adapter.js';
import { contentHash } from './mapping.js';
import type { QadListObject } from './profile.js';
import type { HashStore, PollResult, QadPoll, QadRecord } from './types.js';

function later(a: string, b: string): boolean {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  return Number.isNaN(ta) || Number.isNaN(tb) ? a > b : ta > tb;
}

/**
 * Change detection for one object. With a modified-date column the tenant filters on the watermark
 * (ge, so records stamped in the same instant as the last poll are not lost) and records exactly at
 * the watermark are kept only when their content hash moved; without one, every record is read and
 * compared with the hash stored at the last sync. Either way hashes are stored only by finish(), so
 * a run abandoned half-way is repeated rather than lost.
 */
export function createPoll(adapter: QadAdapter, hashStore: HashStore, object: QadListObject, cursor: string | null | undefined): QadPoll {
  const mode = adapter.watermarkSupported(object) ? 'watermark' : 'hash';
  const since = mode === 'watermark' ? (cursor ?? null) : null;
  const pending: Array<{ key: string; hash: string }> = [];
  let watermark = since;
  let changed = 0;
  let scanned = 0;
  let finished = false;

  async function* iterate(): AsyncGenerator<QadRecord[]> {
    for await (const { records: page } of adapter.readPages(object, { since })) {
      scanned += page.length;
      const hashes = page.map((record) => ({ record, hash: contentHash(record) }));
      const boundary = hashes.filter(({ record }) => mode === 'hash' || !since || !record.modifiedAt || !later(record.modifiedAt, since));
      const atBoundary = new Set(boundary.map(({ record }) => record));
      const stored = boundary.length > 0 ? await hashStore.get(object, boundary.map(({ record }) => record.key)) : new Map<string, string>();
      const out: QadRecord[] = [];
      for (const { record, hash } of hashes) {
        if (atBoundary.has(record) && stored.get(record.key) === hash) continue;
        out.push(record);
        pending.push({ key: record.key, hash });
        if (record.modifiedAt && (watermark === null || later(record.modifiedAt, watermark))) watermark = record.modifiedAt;
      }
      changed += out.length;
      if (out.length > 0) yield out;
    }
  }

  return {
    mode,
    [Symbol.asyncIterator]: () => iterate(),
    async finish(): Promise<PollResult> {
      if (finished) throw new Error('this poll is already finished; start a new one');
      finished = true;
      if (pending.length > 0) await hashStore.put(object, pending);
      return { cursor: mode === 'watermark' ? watermark : null, changed, scanned };
    },
  };
}
