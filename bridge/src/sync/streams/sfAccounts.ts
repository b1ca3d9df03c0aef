import { contentHash } from '../hash.js';
import { salesforceOwnedFields } from '../../config/index.js';
import { flattenCompoundFields, mapSalesforceToQad } from '../mapping.js';
import { failedFrom, salesforceId, type JobOutcome, type LinkUpdate, type RecordHashUpdate, type SyncStream } from '../stream.js';
import { accountRecordFor } from './qadBusinessRelations.js';

export interface AccountChangePayload {
  recordId: string;
  changedFields: string[];
  fields: Record<string, unknown>;
}

const ROLES = ['customer', 'supplier'] as const;

/** QAD character fields have no null: a field cleared in Salesforce (or an empty join part) is blank text */
function qadText(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v === null || v === undefined ? '' : v]));
}

/**
 * Salesforce Account changes (CDC) → the QAD customer and/or supplier behind the Account, only for
 * fields the mapping lets Salesforce own. After the write the QAD record is read back and its hash
 * stored, so the next QAD poll sees no change and nothing echoes back to Salesforce.
 */
export const sfAccountsStream: SyncStream = {
  name: 'sf-accounts',
  direction: 'Salesforce to QAD',
  auditObject: 'Account',
  defaultOperation: 'Update',
  batchSize: 20,
  sourceIdOf: (job) => job.key,
  async reread(job, ctx) {
    const fields = [...new Set([...salesforceOwnedFields(ctx.mappings.customer), ...salesforceOwnedFields(ctx.mappings.supplier)])];
    for await (const row of ctx.salesforce.query<Record<string, unknown>>(`SELECT Id, ${fields.join(', ')} FROM Account WHERE Id = '${salesforceId(job.key)}'`)) {
      return { recordId: job.key, changedFields: fields, fields: row } satisfies AccountChangePayload;
    }
    return null;
  },
  async run(jobs, ctx) {
    const outcomes: JobOutcome[] = [];
    for (const job of jobs) {
      const change = job.payload as AccountChangePayload;
      const links = (await ctx.links.findAllBySalesforceId(ctx.connectionId, change.recordId)).filter((l) => (ROLES as readonly string[]).includes(l.object));
      if (links.length === 0) {
        outcomes.push({ kind: 'skipped', reason: 'Account is not linked to a QAD customer or supplier', salesforceRecordId: change.recordId, sourceId: change.recordId });
        continue;
      }
      const flat = flattenCompoundFields(change.fields, change.changedFields);
      const perRole = new Map(links.map((l) => [l.object, qadText(mapSalesforceToQad(ctx.mappings[l.object as (typeof ROLES)[number]], flat.fields, flat.changedFields))]));
      const qadFields = Object.assign({}, ...perRole.values()) as Record<string, unknown>;
      if (Object.keys(qadFields).length === 0) {
        outcomes.push({ kind: 'skipped', reason: 'no field Salesforce owns was changed', salesforceRecordId: change.recordId, sourceId: change.recordId });
        continue;
      }
      try {
        const newLinks: LinkUpdate[] = [];
        const hashes: RecordHashUpdate[] = [];
        let written = 0;
        for (const link of links) {
          const role = link.object as (typeof ROLES)[number];
          const roleFields = perRole.get(role) ?? {};
          if (Object.keys(roleFields).length === 0) continue;
          const before = await ctx.qad.get(role, link.qadKey);
          const differs = !before || Object.entries(roleFields).some(([k, v]) => (before.fields[k] ?? '') !== v);
          if (!differs) continue;
          await ctx.qad.updateBusinessRelation(role, link.qadKey, roleFields);
          written += 1;
          const current = await ctx.qad.get(role, link.qadKey);
          if (current) {
            hashes.push({ object: role, key: link.qadKey, hash: ctx.qad.recordHash(current) });
            newLinks.push({ object: role, qadKey: link.qadKey, salesforceId: change.recordId, lastHash: contentHash(accountRecordFor(role, link.qadKey, current.fields, ctx.mappings[role])) });
          }
        }
        if (written === 0) {
          outcomes.push({ kind: 'skipped', reason: 'QAD already holds these values', salesforceRecordId: change.recordId, sourceId: change.recordId });
          continue;
        }
        outcomes.push({
          kind: 'succeeded',
          operation: 'Update',
          sourceId: change.recordId,
          targetId: links.map((l) => `${l.object}:${l.qadKey}`).join(','),
          salesforceRecordId: change.recordId,
          sent: qadFields,
          links: newLinks,
          recordHashes: hashes,
        });
      } catch (error) {
        outcomes.push(failedFrom(error, { operation: 'Update', sourceId: change.recordId, salesforceRecordId: change.recordId, sent: qadFields }));
      }
    }
    return outcomes;
  },
};
