import type { Logger } from '../logger.js';
import type { StreamName } from './api.js';
import type { MappingSet } from './mapping.js';
import type { QadPort, SalesforcePort } from './ports.js';
import type { AuditDirection, AuditObject, AuditOperation, JobRecord, RecordLink, SyncRepositories } from '../store/index.js';

/**
 * A stream is one object in one direction: it turns a batch of claimed jobs into outcomes, one per
 * job, in order. It reads links and calls the clients, but persists nothing itself: the engine
 * records job states, links, record hashes, audit rows and checkpoints from the outcomes, so the
 * order "work done → state durable → checkpoint" lives in one place.
 */
export interface StreamContext {
  connectionId: string;
  salesforce: SalesforcePort;
  qad: QadPort;
  /** read access for link look-ups; streams never write through it */
  links: Pick<SyncRepositories['links'], 'findByQadKey' | 'findManyByQadKeys' | 'findBySalesforceId' | 'findAllBySalesforceId'>;
  mappings: MappingSet;
  logger: Logger;
  standardPricebookId(): Promise<string>;
}

export interface LinkUpdate extends Omit<RecordLink, 'connectionId' | 'lastSyncedAt'> {}

export interface RecordHashUpdate {
  object: string;
  key: string;
  hash: string;
}

interface OutcomeBase {
  operation?: AuditOperation;
  sourceId?: string | null;
  targetId?: string | null;
  salesforceRecordId?: string | null;
  /** what was sent, for the audit payload (redacted and truncated by the engine) */
  sent?: unknown;
}

export type JobOutcome =
  | (OutcomeBase & { kind: 'succeeded'; links?: LinkUpdate[]; recordHashes?: RecordHashUpdate[] })
  | (OutcomeBase & { kind: 'skipped'; reason: string })
  | (OutcomeBase & { kind: 'waiting'; waitingOn: string; message: string })
  | (OutcomeBase & { kind: 'failed'; code: string; message: string; retryable: boolean; retryAfterMs?: number | null });

export interface SyncStream {
  name: StreamName;
  direction: AuditDirection;
  auditObject: AuditObject;
  defaultOperation: AuditOperation;
  /** jobs handed to one `run` call; Salesforce writers take 200, the size of one collections call */
  batchSize: number;
  /** the source id the audit shows for a job */
  sourceIdOf(job: JobRecord): string;
  /** re-reads the source record for a replay; null when it no longer exists */
  reread(job: JobRecord, ctx: StreamContext): Promise<unknown | null>;
  run(jobs: JobRecord[], ctx: StreamContext): Promise<JobOutcome[]>;
}

/** wait keys: what a waiting job needs linked before it can go on */
export const waitKey = {
  qad: (object: string, qadKey: string): string => `qad:${object}:${qadKey}`,
  salesforce: (salesforceId: string): string => `sf:${salesforceId}`,
};

export interface ErrorLike {
  code?: unknown;
  message?: unknown;
  retryable?: unknown;
  errorCode?: unknown;
  retryAfterMs?: unknown;
}

/** an error thrown by a client, as a failed outcome; callers branch on `code`, never on message text */
export function failedFrom(error: unknown, extra: OutcomeBase = {}): JobOutcome {
  const e = (error ?? {}) as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : typeof e.errorCode === 'string' ? e.errorCode : 'BRIDGE_ERR_UNEXPECTED';
  const message = typeof e.message === 'string' ? e.message : String(error);
  // unknown errors (a bug, a dropped socket without a classified error) are retried: the retry cap
  // bounds the cost, and giving up at once would turn a blip into a manual replay
  const retryable = typeof e.retryable === 'boolean' ? e.retryable : true;
  // a server that said when to come back (Retry-After) is not asked again before then
  const retryAfterMs = typeof e.retryAfterMs === 'number' && Number.isFinite(e.retryAfterMs) ? e.retryAfterMs : null;
  return { kind: 'failed', code, message, retryable, ...(retryAfterMs !== null ? { retryAfterMs } : {}), ...extra };
}

/** Salesforce per-record error codes that a later attempt can overcome */
const RETRYABLE_RECORD_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'DUPLICATE_VALUE', 'REQUEST_LIMIT_EXCEEDED', 'SERVER_UNAVAILABLE']);

export function failedFromRecordErrors(errors: Array<{ statusCode: string; message: string; fields?: string[] }>, extra: OutcomeBase = {}): JobOutcome {
  const first = errors[0] ?? { statusCode: 'UNKNOWN_ERROR', message: 'Salesforce reported a failure without details' };
  const message = errors.map((e) => `${e.statusCode}: ${e.message}${e.fields?.length ? ` (fields ${e.fields.join(', ')})` : ''}`).join('; ');
  return { kind: 'failed', code: `SF_${first.statusCode}`, message, retryable: RETRYABLE_RECORD_CODES.has(first.statusCode), ...extra };
}

const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/**
 * Record ids reach SOQL text from change events and job keys; anything that is not a Salesforce
 * id is refused before it can change the meaning of a query.
 */
export function salesforceId(value: string): string {
  if (!SALESFORCE_ID.test(value)) {
    throw Object.assign(new Error(`"${value.slice(0, 40)}" is not a Salesforce record id`), { code: 'BRIDGE_ERR_BAD_RECORD_ID', retryable: false });
  }
  return value;
}
