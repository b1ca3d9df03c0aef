import type { Generated } from 'kysely';

/**
 * Row types of the store. Timestamps are ISO-8601 UTC strings (`Date#toISOString()`), which sort
 * lexically in time order; that keeps one representation across SQLite and PostgreSQL and avoids
 * driver-specific date parsing. JSON documents are stored as text for the same reason.
 */
export interface ConnectionsTable {
  id: string;
  name: string;
  config: string;
  created_at: string;
  updated_at: string;
}

export interface CredentialsTable {
  connection_id: string;
  kind: string;
  key_id: string;
  iv: string;
  ciphertext: string;
  auth_tag: string;
  created_at: string;
}

export interface CheckpointsTable {
  connection_id: string;
  stream: string;
  value: string;
  updated_at: string;
}

export interface RecordLinksTable {
  connection_id: string;
  object: string;
  qad_key: string;
  salesforce_id: string | null;
  last_hash: string | null;
  last_synced_at: string;
}

export interface RecordHashesTable {
  connection_id: string;
  object: string;
  key: string;
  hash: string;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'waiting';
export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'waiting'];
/** statuses in which a job still has work ahead; the de-dup index covers exactly these */
export const PENDING_JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'waiting'];

export interface JobsTable {
  /** a sequence; PostgreSQL returns bigint as a string, SQLite as a number */
  id: Generated<number | string>;
  connection_id: string;
  stream: string;
  key: string;
  payload: string;
  payload_hash: string;
  correlation_id: string;
  attempt: number;
  max_attempts: number;
  status: JobStatus;
  waiting_on: string | null;
  next_run_at: string | null;
  locked_by: string | null;
  locked_until: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  replay_of: string | null;
  created_at: string;
  updated_at: string;
}

export interface AuditEventsTable {
  seq: Generated<number>;
  event_id: string;
  connection_id: string;
  direction: string;
  object: string;
  operation: string;
  status: string;
  source_id: string | null;
  target_id: string | null;
  salesforce_record_id: string | null;
  correlation_id: string;
  attempt: number;
  error_code: string | null;
  error_message: string | null;
  payload: string | null;
  payload_hash: string | null;
  occurred_at: string;
  replay_of: string | null;
  requested_by: string | null;
  requested_at: string | null;
  mirrored_at: string | null;
  /** Sync_Audit__c upserts that refused the row since it was last mirrored (migration 0003) */
  mirror_attempts: Generated<number>;
  /** the last refusal, e.g. `STRING_TOO_LONG: ...` */
  mirror_error: string | null;
  /** set when the refusals reached the bound: the row is no longer sent */
  mirror_failed_at: string | null;
}

export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: string;
}

export interface StoreDatabase {
  connections: ConnectionsTable;
  credentials: CredentialsTable;
  checkpoints: CheckpointsTable;
  record_links: RecordLinksTable;
  record_hashes: RecordHashesTable;
  jobs: JobsTable;
  audit_events: AuditEventsTable;
  leases: LeasesTable;
}

export type StoreDialect = 'sqlite' | 'postgres';
