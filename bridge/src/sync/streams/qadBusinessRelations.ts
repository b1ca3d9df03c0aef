import type { MappingFile } from '../../config/index.js';
import type { QadRecord, SObjectRecord } from '../ports.js';
import { mapQadToSalesforce } from '../mapping.js';
import type { SyncStream } from '../stream.js';
import { qadToSalesforceStream } from './qadStream.js';
import { upsertPrepared } from './upsertBatch.js';

/**
 * QAD customers (or suppliers) → Account, upserted by QAD_Id__c = `<sharedSet>|<code>`. A business
 * relation that is both shares that key, so its customer and supplier records land on one Account;
 * each role writes only its own flag and keeps its own content hash (link object = the role).
 */
export function roleFlag(role: 'customer' | 'supplier'): string {
  return role === 'customer' ? 'QAD_Is_Customer__c' : 'QAD_Is_Supplier__c';
}

/** the Account content one role writes; its hash is the link's last_hash */
export function accountRecordFor(role: 'customer' | 'supplier', key: string, fields: Record<string, unknown>, mapping: MappingFile): SObjectRecord {
  const write = mapQadToSalesforce(mapping, { object: role, key, fields }, () => null);
  // the role flag is what makes one Account of a relation that is both; it is set whatever the mapping says
  return { ...write.fields, [write.externalId.field]: key, [roleFlag(role)]: true };
}

export function qadBusinessRelationStream(role: 'customer' | 'supplier'): SyncStream {
  return qadToSalesforceStream({
    name: role === 'customer' ? 'qad-customers' : 'qad-suppliers',
    auditObject: 'Account',
    qadObject: role,
    async run(jobs, ctx) {
      const prepared = jobs.map((job) => {
        const record = job.payload as QadRecord;
        return {
          job,
          linkObject: role,
          qadKey: job.key,
          record: accountRecordFor(role, job.key, record.fields, ctx.mappings[role]),
        };
      });
      const { outcomes } = await upsertPrepared(ctx.mappings[role].salesforceObject, ctx.mappings[role].externalId, prepared, ctx);
      return outcomes;
    },
  });
}
