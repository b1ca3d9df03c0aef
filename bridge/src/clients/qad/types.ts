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

export interface PollResult {
  /** persist and pass back on the next poll (watermark mode); null in hash mode */
  cursor: string | null;
  changed: number;
  scanned: number;
}

/** One change-detection run: iterate the pages of changed records, then call finish(). */
export interface QadPoll extends AsyncIterable<QadRecord[]> {
  readonly mode: 'watermark' | 'hash';
  /** stores the content hashes of what was returned and hands back the next cursor */
  finish(): Promise<PollResult>;
}
