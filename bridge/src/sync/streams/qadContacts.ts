import type { QadRecord } from '../ports.js';
import { mapQadToSalesforce } from '../mapping.js';
import { waitKey, type JobOutcome, type StreamContext, type SyncStream } from '../stream.js';
import { qadToSalesforceStream } from './qadStream.js';
import { upsertPrepared, type PreparedUpsert } from './upsertBatch.js';

/** an Account is linked under the role its QAD record came from; either will do as a parent */
async function accountIdFor(ctx: StreamContext, qadKey: string): Promise<string | null> {
  const link = (await ctx.links.findByQadKey(ctx.connectionId, 'customer', qadKey)) ?? (await ctx.links.findByQadKey(ctx.connectionId, 'supplier', qadKey));
  return link?.salesforceId ?? null;
}

/**
 * QAD contacts → Contact by their External ID, under the Account their business relation became
 * (the mapping's link field names which). A contact whose Account is not linked yet waits on that
 * link instead of landing orphaned, and goes on when the Account is written.
 */
export const qadContactsStream: SyncStream = qadToSalesforceStream({
  name: 'qad-contacts',
  auditObject: 'Contact',
  qadObject: 'contact',
  async run(jobs, ctx) {
    const mapping = ctx.mappings.contact;
    const prepared: Array<PreparedUpsert | JobOutcome> = [];
    for (const job of jobs) {
      const record = job.payload as QadRecord;
      const input = { object: 'contact', key: job.key, fields: record.fields };
      // first pass learns which links the mapping needs; the store is asynchronous, the mapping is not
      const wanted = mapQadToSalesforce(mapping, input, () => null).missingLinks;
      const resolved = new Map<string, string>();
      for (const link of wanted) {
        const id = link.object === 'Account' ? await accountIdFor(ctx, link.qadKey) : null;
        if (id) resolved.set(`${link.object}:${link.qadKey}`, id);
      }
      const write = mapQadToSalesforce(mapping, input, (object, qadKey) => resolved.get(`${object}:${qadKey}`) ?? null);
      const missing = write.missingLinks[0];
      if (missing) {
        prepared.push({
          kind: 'waiting',
          waitingOn: waitKey.qad(missing.object, missing.qadKey),
          message: `waiting for ${write.missingLinks.map((m) => `${m.object} ${m.qadKey}`).join(', ')} to be linked (not synced from QAD yet)`,
          sourceId: job.key,
        });
        continue;
      }
      const fields = { ...write.fields, [write.externalId.field]: job.key };
      if (fields.LastName === undefined) fields.LastName = job.key;
      prepared.push({ job, linkObject: 'contact', qadKey: job.key, record: fields });
    }
    const { outcomes } = await upsertPrepared(mapping.salesforceObject, mapping.externalId, prepared, ctx);
    return outcomes;
  },
});
