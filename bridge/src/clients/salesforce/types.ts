import type { Dispatcher } from 'undici';
import type { Logger } from '../../logger.js';
import type { RandomSource, RetryPolicyOptions } from '../../lib/retryPolicy.js';

export interface SalesforceClientConfig {
  /** the org's My Domain URL (or sandbox My Domain); the client-credentials grant only works there */
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  /** e.g. '66.0' */
  apiVersion: string;
  /** allow a loopback http(s) instance_url and login URL (the simulated org) */
  sandboxMode?: boolean;
  /** value of `Sforce-Call-Options: client=…` on every call; the CDC consumer recognises own writes by it */
  callOptionsClient?: string;
  /** requests kept back for calls marked critical */
  apiReserve?: number;
  /** rows above which upsert goes through Bulk API 2.0 instead of sObject Collections */
  bulkThreshold?: number;
  retry?: Partial<RetryPolicyOptions>;
  requestTimeoutMs?: number;
  /** Bulk job polling: give up (retryably) once this much time was spent waiting; default 30 minutes */
  bulkPollTimeoutMs?: number;
  /** Bulk upload size per job; Salesforce takes up to 150 MB per upload (base64 growth included) */
  bulkMaxUploadBytes?: number;
  /** after REQUEST_LIMIT_EXCEEDED, refuse calls locally this long before trying again; default 15 minutes */
  limitCooldownMs?: number;
}

export interface SalesforceClientDeps {
  logger?: Logger;
  clock?: () => number;
  random?: RandomSource;
  /** backoff waits go through this, so tests record delays instead of sleeping */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** share a connection pool or route through a proxy; the client closes only a dispatcher it created */
  dispatcher?: Dispatcher;
}

/** A per-record error as sObject Collections and Bulk results report it (`statusCode`, not `errorCode`). */
export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

export type UpsertOutcome = { ok: true; id: string; created: boolean } | { ok: false; errors: RecordError[] };

export type SObjectRecord = Record<string, unknown>;

export interface WriteOptions {
  /** roll back the whole 200-record call when one record fails */
  allOrNone?: boolean;
  /** passes the API reserve (audit mirror, status heartbeat) */
  critical?: boolean;
  signal?: AbortSignal;
  /** upserts of more records than this go through Bulk API 2.0 (default: the client's bulkThreshold) */
  bulkAbove?: number;
}

export interface QueryOptions {
  /** include deleted and archived rows (`/queryAll`) */
  all?: boolean;
  /** `Sforce-Query-Options: batchSize=N` (200..2000; Salesforce may return fewer) */
  batchSize?: number;
  critical?: boolean;
  signal?: AbortSignal;
}

export type BulkOperation = 'insert' | 'update' | 'upsert' | 'delete';

export interface BulkIngestOptions {
  externalIdFieldName?: string;
  critical?: boolean;
  signal?: AbortSignal;
}

export interface BulkFailure {
  /** the row as Salesforce echoed it back (CSV values are strings) */
  record: Record<string, string>;
  error: RecordError;
}

export interface BulkIngestResult {
  /** the first job's id; `jobIds` lists every job when the upload had to be split */
  jobId: string;
  jobIds: string[];
  successful: number;
  failed: BulkFailure[];
  unprocessed: Array<Record<string, string>>;
  /** rows that succeeded, with their Salesforce id and whether they were created */
  successes: Array<{ record: Record<string, string>; id: string; created: boolean }>;
}

export interface SObjectFieldDescribe {
  name: string;
  type: string;
  length?: number;
  nillable?: boolean;
  externalId?: boolean;
  unique?: boolean;
  [key: string]: unknown;
}

export interface SObjectDescribe {
  name: string;
  fields: SObjectFieldDescribe[];
  [key: string]: unknown;
}

export interface UpdatedResult {
  ids: string[];
  latestDateCovered: string;
}

export interface DeletedResult {
  deletedRecords: Array<{ id: string; deletedDate: string }>;
  earliestDateAvailable: string;
  latestDateCovered: string;
}

export interface BudgetView {
  used: number;
  max: number;
  remaining: number;
}
