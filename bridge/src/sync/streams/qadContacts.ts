import type { QadRecord } from '../ports.js';
import { mapQadToSalesforce } from '../mapping.js';
import { waitKey, type JobOutcome, type StreamContext, type SyncStream } from '../stream.js';
import { qadToSalesforceStream } from './qadStream.js';
import { upsertPrepared, type PreparedUpsert } from './upsertBatch.js';

/** an Account is linked under the role its QAD record came from; either will do as a parent (one query per role for a batch) */
async function accountIdsFor(ctx: StreamContext, qadKeys: readonly string[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const role of ['supplier', 'customer']) {
    for (const [key, link] of await ctx.links.findManyByQadKeys(ctx.connectionId, role, qadKeys)) if (link.salesforceId) ids.set(key, link.salesforceId);
  }
  return ids;
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
    const inputs = jobs.map((job) => ({ object: 'contact', key: job.key, fields: (job.payload as QadRecord).fields }));
    // a first pass learns which links the mapping needs; the store is asynchronous, the mapping is not
    const wanted = inputs.flatMap((input) => mapQadToSalesforce(mapping, input, () => null).missingLinks);
    const accounts = await accountIdsFor(ctx, [...new Set(wanted.filter((link) => link.object === 'Account').map((link) => link.qadKey))]);
    for (const [index, job] of jobs.entries()) {
      const write = mapQadToSalesforce(mapping, inputs[index]!, (object, qadKey) => (object === 'Account' ? accounts.get(qadKey) ?? null : null));
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
