import type { QadRecord } from '../ports.js';
import { mapQadToSalesforce } from '../mapping.js';
import { failedFrom, salesforceId, type JobOutcome, type SyncStream } from '../stream.js';
import { qadToSalesforceStream } from './qadStream.js';
import { upsertPrepared } from './upsertBatch.js';

/** below this many new entries single inserts are cheaper than a Bulk job (about six calls) */
const BULK_ENTRY_THRESHOLD = 10;

function listPrice(record: QadRecord): number {
  const value = Number(record.fields.listPrice);
  return Number.isFinite(value) && value >= 0 ? value : 0;
}

/**
 * QAD items → Product2 by QAD_Item_Number__c, each with an entry in the standard price book so
 * orders can use it. The entry is created only where a query shows none, so a crash between the
 * upsert and the entry, or a replay, never makes a second one.
 */
export const qadItemsStream: SyncStream = qadToSalesforceStream({
  name: 'qad-items',
  auditObject: 'Product2',
  qadObject: 'item',
  async run(jobs, ctx) {
    const prepared = jobs.map((job) => {
      const record = job.payload as QadRecord;
      const write = mapQadToSalesforce(ctx.mappings.item, { object: 'item', key: job.key, fields: record.fields }, () => null);
      const fields = { ...write.fields, [write.externalId.field]: job.key };
      if (fields.Name === undefined) fields.Name = String(record.fields.itemCode ?? job.key);
      return { job, linkObject: 'item', qadKey: job.key, record: fields };
    });
    const { outcomes, written } = await upsertPrepared(ctx.mappings.item.salesforceObject, ctx.mappings.item.externalId, prepared, ctx);
    if (written.length === 0) return outcomes;
    try {
      const pricebookId = await ctx.standardPricebookId();
      const ids = written.map((w) => w.id);
      const existing = new Set<string>();
      for (let i = 0; i < ids.length; i += 100) {
        const list = ids.slice(i, i + 100).map((id) => `'${salesforceId(id)}'`).join(',');
        for await (const row of ctx.salesforce.query<{ Product2Id: string }>(`SELECT Product2Id FROM PricebookEntry WHERE Pricebook2Id = '${pricebookId}' AND Product2Id IN (${list})`)) {
          existing.add(row.Product2Id);
        }
      }
      const missing = written.filter((w) => !existing.has(w.id));
      const entries = missing.map((w) => ({ Pricebook2Id: pricebookId, Product2Id: w.id, UnitPrice: listPrice(w.item.job.payload as QadRecord), IsActive: true }));
      if (entries.length >= BULK_ENTRY_THRESHOLD && ctx.salesforce.bulkIngest) {
        const result = await ctx.salesforce.bulkIngest('PricebookEntry', 'insert', entries);
        const notCreated = new Map<string, string>();
        for (const f of result.failed) notCreated.set(f.record.Product2Id ?? '', `${f.error.statusCode}: ${f.error.message}`);
        for (const u of result.unprocessed) notCreated.set(String(u.Product2Id ?? ''), 'not processed by the Bulk API job');
        if (notCreated.size > 0) {
          return outcomes.map((o, i): JobOutcome => {
            const id = o.salesforceRecordId ?? '';
            const reason = notCreated.get(id);
            return reason ? { kind: 'failed', code: 'BRIDGE_ERR_PRICEBOOK_ENTRY', message: `standard price book entry not created: ${reason}`, retryable: true, sourceId: jobs[i]!.key, salesforceRecordId: id } : o;
          });
        }
      } else {
        for (const entry of entries) await ctx.salesforce.create('PricebookEntry', entry);
      }
    } catch (error) {
      // the product is written but cannot be ordered yet: report the job failed (retryable) so the
      // next attempt, whose upsert is a no-op by hash only after success, creates the entry
      const failed = failedFrom(error, { operation: 'Create' });
      const writtenJobs = new Set(written.map((w) => w.item.job.id));
      return outcomes.map((o, i): JobOutcome => (writtenJobs.has(jobs[i]!.id) ? { ...failed, sourceId: jobs[i]!.key, salesforceRecordId: o.salesforceRecordId ?? null } : o));
    }
    return outcomes;
  },
});
