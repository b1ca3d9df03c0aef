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
 * audit shows), upserted 200 at a time (one collections call), re-read from QAD on replay.
 */
export function qadToSalesforceStream(spec: QadStreamSpec): SyncStream {
  return {
    name: spec.name,
    direction: 'QAD to Salesforce',
    auditObject: spec.auditObject,
    defaultOperation: 'Upsert',
    batchSize: 200,
    sourceIdOf: (job) => job.key,
    reread: (job, ctx) => ctx.qad.get(spec.qadObject, job.key),
    run: spec.run,
  };
}
