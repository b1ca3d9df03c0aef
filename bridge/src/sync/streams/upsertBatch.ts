import { contentHash } from '../hash.js';
import type { SObjectRecord } from '../ports.js';
import { failedFrom, failedFromRecordErrors, type JobOutcome, type LinkUpdate, type StreamContext } from '../stream.js';
import type { JobRecord, RecordLink } from '../../store/index.js';

export interface PreparedUpsert {
  job: JobRecord;
  /** link object under which this record's content hash and Salesforce id are kept */
  linkObject: string;
  qadKey: string;
  record: SObjectRecord;
}

/**
 * The shared half of every QAD → Salesforce stream: skip records whose content is what was last
 * written (echoes, repeated full syncs), upsert the rest in one collections call by External ID,
 * and turn each per-record result into an outcome carrying the link to store.
 */
export async function upsertPrepared(
  sobject: string,
  externalIdField: string,
  prepared: Array<PreparedUpsert | JobOutcome>,
  ctx: StreamContext,
  extraLinks: (item: PreparedUpsert, salesforceId: string) => LinkUpdate[] = () => [],
): Promise<{ outcomes: JobOutcome[]; written: Array<{ item: PreparedUpsert; id: string; created: boolean }> }> {
  const outcomes: Array<JobOutcome | null> = prepared.map((p) => ('kind' in p ? p : null));
  const toWrite: Array<{ index: number; item: PreparedUpsert; hash: string }> = [];
  // one look-up per link object for the whole batch, never one per record
  const linksByObject = new Map<string, Map<string, RecordLink>>();
  const items = prepared.filter((p): p is PreparedUpsert => !('kind' in p));
  for (const object of new Set(items.map((p) => p.linkObject))) {
    linksByObject.set(object, await ctx.links.findManyByQadKeys(ctx.connectionId, object, items.filter((p) => p.linkObject === object).map((p) => p.qadKey)));
  }
  for (const [index, p] of prepared.entries()) {
    if ('kind' in p) continue;
    const hash = contentHash(p.record);
    const link = linksByObject.get(p.linkObject)?.get(p.qadKey);
    if (link?.salesforceId && link.lastHash === hash) {
      outcomes[index] = { kind: 'skipped', reason: 'content unchanged since the last write', operation: 'Upsert', sourceId: p.qadKey, targetId: link.salesforceId, salesforceRecordId: link.salesforceId };
      continue;
    }
    toWrite.push({ index, item: p, hash });
  }
  const written: Array<{ item: PreparedUpsert; id: string; created: boolean }> = [];
  if (toWrite.length > 0) {
    let results;
    try {
      results = await ctx.salesforce.upsert(sobject, externalIdField, toWrite.map((w) => w.item.record), { allOrNone: false });
    } catch (error) {
      for (const w of toWrite) outcomes[w.index] = failedFrom(error, { operation: 'Upsert', sourceId: w.item.qadKey, sent: w.item.record });
      return { outcomes: outcomes as JobOutcome[], written };
    }
    for (const [i, w] of toWrite.entries()) {
      const result = results[i];
      if (!result) {
        outcomes[w.index] = { kind: 'failed', code: 'BRIDGE_ERR_MISSING_OUTCOME', message: 'Salesforce returned fewer results than records sent', retryable: true, operation: 'Upsert', sourceId: w.item.qadKey };
      } else if (result.ok) {
        written.push({ item: w.item, id: result.id, created: result.created });
        outcomes[w.index] = {
          kind: 'succeeded',
          operation: result.created ? 'Create' : 'Update',
          sourceId: w.item.qadKey,
          targetId: result.id,
          salesforceRecordId: result.id,
          sent: w.item.record,
          links: [{ object: w.item.linkObject, qadKey: w.item.qadKey, salesforceId: result.id, lastHash: w.hash }, ...extraLinks(w.item, result.id)],
        };
      } else {
        outcomes[w.index] = failedFromRecordErrors(result.errors, { operation: 'Upsert', sourceId: w.item.qadKey, sent: w.item.record });
      }
    }
  }
  return { outcomes: outcomes as JobOutcome[], written };
}
