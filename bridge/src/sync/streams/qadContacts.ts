import type { QadRecord } from '../ports.js';
import { toSalesforceFields } from '../mapping.js';
import { waitKey, type JobOutcome, type SyncStream } from '../stream.js';
import { upsertPrepared, type PreparedUpsert } from './upsertBatch.js';

export function accountKeyOfContact(record: QadRecord): string | null {
  const code = record.fields.customerCode;
  const set = record.fields.sharedSet;
  if (typeof code !== 'string' || code === '') return null;
  return typeof set === 'string' && set !== '' ? `${set}|${code}` : code;
}

/**
 * QAD contacts → Contact by QAD_Contact_Id__c, under the Account their business relation became.
 * A contact whose Account is not linked yet waits on that link instead of landing orphaned.
 */
export const qadContactsStream: SyncStream = {
  name: 'qad-contacts',
  direction: 'QAD to Salesforce',
  auditObject: 'Contact',
  defaultOperation: 'Upsert',
  batchSize: 200,
  sourceIdOf: (job) => job.key,
  async reread(job, ctx) {
    return ctx.qad.get('contact', job.key);
  },
  async run(jobs, ctx) {
    const prepared: Array<PreparedUpsert | JobOutcome> = [];
    for (const job of jobs) {
      const record = job.payload as QadRecord;
      const accountKey = accountKeyOfContact(record);
      if (accountKey === null) {
        prepared.push({ kind: 'failed', code: 'BRIDGE_ERR_CONTACT_WITHOUT_RELATION', message: `QAD contact ${job.key} names no customer or supplier code; fix the contact in QAD`, retryable: false, sourceId: job.key });
        continue;
      }
      const link = (await ctx.store.getLink(ctx.connectionId, 'customer', accountKey)) ?? (await ctx.store.getLink(ctx.connectionId, 'supplier', accountKey));
      if (!link?.salesforceId) {
        prepared.push({ kind: 'waiting', waitingOn: waitKey.qad('Account', accountKey), message: `waiting for Account ${accountKey} to be linked (QAD customer/supplier not synced yet)`, sourceId: job.key });
        continue;
      }
      const fields = toSalesforceFields(ctx.mappings.contact, record.fields);
      if (fields.LastName === undefined) fields.LastName = job.key;
      prepared.push({ job, linkObject: 'contact', qadKey: job.key, record: { ...fields, QAD_Contact_Id__c: job.key, AccountId: link.salesforceId } });
    }
    const { outcomes } = await upsertPrepared('Contact', 'QAD_Contact_Id__c', prepared, ctx);
    return outcomes;
  },
};
