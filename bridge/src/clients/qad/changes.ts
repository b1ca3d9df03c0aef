import type { QadAdapter } from './adapter.js';
import { contentHash } from './mapping.js';
import type { QadListObject } from './profile.js';
import { parseQadInstant, rejectionHash, rejectionOf, rejectionStoreKey } from './recordRules.js';
import type { HashStore, PollResult, QadPoll, QadRecord, QadRecordPage, QadRecordProblem, QadRejectedRecord } from './types.js';

export type RecordScreen = (record: QadRecord) => QadRecordProblem[];

/** Splits a page into the records to pass on and the rows refused by the record rules. */
export function screenPage(page: readonly QadRecord[], screen: RecordScreen): { good: QadRecord[]; rejected: Array<{ record: QadRecord; rejection: QadRejectedRecord }> } {
  const good: QadRecord[] = [];
  const rejected: Array<{ record: QadRecord; rejection: QadRejectedRecord }> = [];
  for (const record of page) {
    const problems = screen(record);
    if (problems.length === 0) good.push(record);
    else rejected.push({ record, rejection: rejectionOf(record, problems) });
  }
  return { good, rejected };
}

export function recordPage(records: QadRecord[], rejected: QadRejectedRecord[]): QadRecordPage {
  return Object.assign(records, { rejected }) as QadRecordPage;
}

/**
 * Change detection for one object. With a modified-date column the tenant filters on the watermark
 * (ge, so records stamped in the same instant as the last poll are not lost) and records exactly at
 * the watermark are kept only when their content hash moved; without one, every record is read and
 * compared with the hash stored at the last sync. Either way hashes are stored only by finish(), so
 * a run abandoned half-way is repeated rather than lost.
 *
 * Dates are compared as instants, never as text, and a row whose modified date is not a date (or
 * that breaks another record rule) is refused by itself: it is yielded on its page's `rejected`,
 * never moves the watermark, and is remembered by the hash of the whole row, so it is reported
 * once and again only when corrected. Rows after it are picked up as usual.
 */
export function createPoll(adapter: QadAdapter, hashStore: HashStore, object: QadListObject, cursor: string | null | undefined, screen: RecordScreen, onBadCursor?: (cursor: string) => void): QadPoll {
  const mode = adapter.watermarkSupported(object) ? 'watermark' : 'hash';
  let since = mode === 'watermark' ? (cursor ?? null) : null;
  // A watermark stored before dates were checked may itself be garbage ("not-a-date" won the text
  // comparison); it cannot filter anything, so this run reads everything and the hashes decide.
  if (since !== null && parseQadInstant(since) === null) {
    onBadCursor?.(since);
    since = null;
  }
  const sinceAt = since === null ? null : parseQadInstant(since);
  const pending: Array<{ key: string; hash: string }> = [];
  let watermark = since;
  let watermarkAt = sinceAt;
  let changed = 0;
  let scanned = 0;
  let rejectedCount = 0;
  let finished = false;

  async function* iterate(): AsyncGenerator<QadRecordPage> {
    for await (const { records: page } of adapter.readPages(object, { since })) {
      scanned += page.length;
      const { good, rejected } = screenPage(page, screen);
      const hashes = good.map((record) => ({ record, hash: contentHash(record) }));
      const refusals = rejected.map((r) => ({ ...r, hash: rejectionHash(r.record) }));
      const boundary = hashes.filter(({ record }) => {
        if (mode === 'hash' || sinceAt === null) return true;
        const at = parseQadInstant(record.modifiedAt);
        return at === null || at <= sinceAt;
      });
      const lookups = [...boundary.map(({ record }) => record.key), ...refusals.map((r) => rejectionStoreKey(r.hash))];
      const stored = lookups.length > 0 ? await hashStore.get(object, lookups) : new Map<string, string>();
      const atBoundary = new Set(boundary.map(({ record }) => record));
      const out: QadRecord[] = [];
      // every row read is passed on, reported or known already, so each moves the watermark, the
      // unchanged ones too (they matter when there was no usable watermark to start from); a bad
      // date moves nothing
      for (const { record, hash } of hashes) {
        advance(record.modifiedAt);
        if (atBoundary.has(record) && stored.get(record.key) === hash) continue;
        out.push(record);
        pending.push({ key: record.key, hash });
      }
      const reported: QadRejectedRecord[] = [];
      for (const refusal of refusals) {
        advance(refusal.record.modifiedAt);
        const storeKey = rejectionStoreKey(refusal.hash);
        if (stored.get(storeKey) === refusal.hash) continue;
        reported.push(refusal.rejection);
        pending.push({ key: storeKey, hash: refusal.hash });
      }
      changed += out.length;
      rejectedCount += reported.length;
      if (out.length > 0 || reported.length > 0) yield recordPage(out, reported);
    }
  }

  function advance(modifiedAt: string | undefined): void {
    const at = parseQadInstant(modifiedAt);
    if (at === null || modifiedAt === undefined) return;
    if (watermarkAt === null || at > watermarkAt) {
      watermark = modifiedAt;
      watermarkAt = at;
    }
  }

  return {
    mode,
    [Symbol.asyncIterator]: () => iterate(),
    async finish(): Promise<PollResult> {
      if (finished) throw new Error('this poll is already finished; start a new one');
      finished = true;
      if (pending.length > 0) await hashStore.put(object, pending);
      return { cursor: mode === 'watermark' ? watermark : null, changed, scanned, rejected: rejectedCount };
    },
  };
}
