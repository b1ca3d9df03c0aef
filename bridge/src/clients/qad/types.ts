import type { QadListObject, QadObjectName } from './profile.js';

/** CONTRACTS §5: what the QAD client yields, whatever the tenant's own field names are. */
export interface QadRecord {
  object: QadObjectName;
  key: string;
  fields: Record<string, unknown>;
  modifiedAt?: string;
}

export interface QadWorkspace {
  domain: string;
  entity: string;
  sharedSet: string;
}

export interface QadCredentials {
  username?: string;
  password?: string;
  /** OAuth client id; read from securityControl when absent and the profile allows it */
  clientId?: string;
  /** a bearer token handed over by the customer (auth mode `bearer`) */
  bearerToken?: string;
}

/**
 * Where content hashes of the last synced records live. The engine supplies a database-backed one;
 * InMemoryHashStore serves tests and one-shot runs.
 */
export interface HashStore {
  get(object: QadListObject, keys: readonly string[]): Promise<Map<string, string>>;
  put(object: QadListObject, entries: ReadonlyArray<{ key: string; hash: string }>): Promise<void>;
}

export interface SalesOrderLineInput {
  line: number;
  itemCode: string;
  quantity: number;
  unitPrice?: number;
  dueDate?: string;
  site?: string;
}

export interface SalesOrderInput {
  salesforceOrderId: string;
  customerCode: string;
  poNumber?: string;
  /** YYYY-MM-DD */
  orderDate: string;
  dueDate: string;
  currency: string;
  lines: SalesOrderLineInput[];
}

export interface SalesOrderOutcome {
  orderNumber: string;
  /** whether this call created the header (false when a previous attempt already had) */
  headerCreated: boolean;
  /** line numbers this call added */
  linesCreated: number[];
  record: QadRecord;
}

/** Stable codes of a refused record (recordRules.ts); each problem's message names the field and the fix. */
export type QadRecordRejectionCode =
  | 'QAD_ERR_BAD_MODIFIED_DATE'
  | 'QAD_ERR_EMPTY_KEY'
  | 'QAD_ERR_KEY_SEPARATOR'
  | 'QAD_ERR_KEY_TOO_LONG'
  | 'QAD_ERR_CONTROL_CHARACTER'
  | 'QAD_ERR_WRONG_TYPE'
  | 'QAD_ERR_VALUE_TOO_LONG';

export interface QadRecordProblem {
  code: QadRecordRejectionCode;
  /** the canonical field at fault */
  field: string;
  /** what is wrong with the field and how to fix it, ending in "Fix: …" */
  message: string;
}

/**
 * A row the client refused to pass on. The engine audits it as Failed (source id `key`, error
 * `code` and `message`); it is never queued, and it holds back nothing after it.
 */
export interface QadRejectedRecord {
  object: QadListObject;
  /** the row's key made printable (controls escaped) and cut to 80 characters: the audit's source id */
  key: string;
  /** the first problem's code: the audit's error code */
  code: QadRecordRejectionCode;
  /** every problem, each naming the field and the fix: the audit's error message */
  message: string;
  problems: QadRecordProblem[];
  /** the modified date as the tenant gave it, made printable */
  modifiedAt?: string;
}

/** A page of a full read: its records, where a read interrupted after it goes on from, and the rows refused on it. */
export interface QadReadPage {
  records: QadRecord[];
  /** opaque: pass back as `resumeAfter` */
  position: string;
  rejected: readonly QadRejectedRecord[];
}

/** One page of records: the good ones as the array, the refused ones beside it. */
export interface QadRecordPage extends Array<QadRecord> {
  readonly rejected: readonly QadRejectedRecord[];
}

export interface PollResult {
  /** persist and pass back on the next poll (watermark mode); null in hash mode */
  cursor: string | null;
  changed: number;
  scanned: number;
  /** rows refused in this run (each reported once per content, on a page's `rejected`) */
  rejected: number;
}

/**
 * One change-detection run: iterate the pages of changed records, then call finish(). A page's
 * `rejected` lists the rows refused on it; they must be audited before finish() is called, since
 * finish() remembers them as reported.
 */
export interface QadPoll extends AsyncIterable<QadRecordPage> {
  readonly mode: 'watermark' | 'hash';
  /** stores the content hashes of what was returned and hands back the next cursor */
  finish(): Promise<PollResult>;
}
