import type { StreamName } from '../api.js';
import type { QadListObject } from '../ports.js';
import type { SyncStream } from '../stream.js';
import type { AuditObject } from '../../store/index.js';

export interface QadStreamSpec {
  name: StreamName;
  auditObject: AuditObject;
  /** the QAD object a replay re-reads the job's record from */
  qadObject: QadListObject;
  run: SyncStream['run'];
}

/**
 * What every QAD → Salesforce stream shares: one job per QAD key (which is also the source id the
 * audit shows), re-read from QAD on replay, and batches of up to QAD_TO_SALESFORCE_BATCH records:
 * the Salesforce client sends a batch above its bulk threshold as one Bulk API 2.0 job (a handful
 * of calls for thousands of records) and a smaller one as collections calls of 200.
 */
export const QAD_TO_SALESFORCE_BATCH = 10_000;

export function qadToSalesforceStream(spec: QadStreamSpec): SyncStream {
  return {
    name: spec.name,
    direction: 'QAD to Salesforce',
    auditObject: spec.auditObject,
    defaultOperation: 'Upsert',
    batchSize: QAD_TO_SALESFORCE_BATCH,
    sourceIdOf: (job) => job.key,
    reread: (job, ctx) => ctx.qad.get(spec.qadObject, job.key),
    run: spec.run,
  };
}
