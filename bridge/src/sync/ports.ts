/**
 * What the engine needs from the outside systems, stated as small structural interfaces. The
 * clients (SalesforceClient, the Pub/Sub consumer, the QAD client) satisfy them without knowing
 * about the engine — dependencies point from sync to clients, never back — and the engine can be
 * wired to whichever client version is on disk through a thin adapter at its boundary. The QAD
 * side reuses the QAD client's own types rather than restating them.
 */

import type { QadListObject, QadObjectName, QadPoll, QadReadPage, QadRecord, QadRejectedRecord, SalesOrderInput, SalesOrderLineInput } from '../clients/qad/index.js';

export type UpsertOutcome =
  | { ok: true; id: string; created: boolean }
  | { ok: false; errors: Array<{ statusCode: string; message: string; fields?: string[] }> };

export type SObjectRecord = Record<string, unknown>;

export interface SalesforcePort {
  query<T = SObjectRecord>(soql: string, options?: { critical?: boolean }): AsyncIterable<T>;
  upsert(sobject: string, externalIdField: string, records: SObjectRecord[], options?: { allOrNone?: boolean; critical?: boolean; bulkAbove?: number }): Promise<UpsertOutcome[]>;
  update(sobject: string, id: string, fields: SObjectRecord): Promise<unknown>;
  /** a plain insert; never retried by the client, so callers check for an existing row first */
  create(sobject: string, fields: SObjectRecord): Promise<unknown>;
  budget(): { used: number; max: number; remaining: number } | null;
  /** Bulk API 2.0 ingest: a handful of calls for any number of rows, where a plain insert would take one each */
  bulkIngest?(
    sobject: string,
    operation: 'insert',
    records: SObjectRecord[],
  ): Promise<{ successful: number; failed: Array<{ record: Record<string, string>; error: { statusCode: string; message: string } }>; unprocessed: Array<Record<string, unknown>> }>;
}

export type QadObject = QadObjectName;
export type { QadListObject, QadReadPage, QadRecord, QadRejectedRecord };

/** the engine always prices a line from its Salesforce OrderItem, so here the price is required */
export interface QadSalesOrderLine extends SalesOrderLineInput {
  unitPrice: number;
}

export interface QadSalesOrderInput extends Omit<SalesOrderInput, 'lines'> {
  lines: QadSalesOrderLine[];
}

/** one change-detection run over one QAD object (the QAD client's poll) */
export type QadPollRun = QadPoll;

export interface QadPort {
  /** the records of the object changed since the cursor (watermark) or since their last stored hash */
  poll(object: QadListObject, cursor: string | null): QadPollRun;
  /** every record of the object, changed or not (backfill), page by page, going on after `resumeAfter` (a page's position) */
  readAll(object: QadListObject, options?: { resumeAfter?: string | null }): AsyncIterable<QadReadPage>;
  get(object: QadListObject, key: string): Promise<QadRecord | null>;
  /** writes only the given canonical fields of a customer or supplier */
  updateBusinessRelation(object: 'customer' | 'supplier', key: string, fields: Record<string, unknown>): Promise<unknown>;
  /** idempotent: the same sourceId always yields the same order, never a second one */
  createSalesOrder(order: QadSalesOrderInput): Promise<{ orderNumber: string }>;
  /** the hash change detection compares (so a write the bridge made itself is not seen as a change) */
  recordHash(record: QadRecord): string;
}

/** a decoded change event as the Pub/Sub consumer hands it over (E's ChangeEvent satisfies it) */
export interface ChangeEvent {
  topic: string;
  entityName: string;
  recordIds: string[];
  changeType: string;
  changeOrigin: string;
  transactionKey: string;
  sequenceNumber: number;
  commitTimestamp: number;
  changedFields: string[];
  nulledFields: string[];
  fields: Record<string, unknown>;
}

export interface PlatformEventMessage {
  topic: string;
  eventId: string;
  eventName: string;
  payload: Record<string, unknown>;
}

/** rows re-read from Salesforce in place of events (gap, overflow, catch-up) */
export interface RecordsBatch {
  topic: string;
  reason: string;
  entityName: string;
  records: Array<Record<string, unknown>>;
}

/** what the engine gives the consumer; each promise resolves once the work is durably queued */
export interface EventHandler {
  onChanges(changes: ChangeEvent[]): Promise<void>;
  onRecords(batch: RecordsBatch): Promise<void>;
  onPlatformEvents(events: PlatformEventMessage[]): Promise<void>;
}

export interface ReplayCheckpoint {
  replayId: Buffer;
  lastEventAt: Date;
}

/** replay ids stored by the engine on the consumer's behalf (the consumer calls save after the handler resolved) */
export interface ReplayCheckpointStore {
  load(topic: string): Promise<ReplayCheckpoint | null>;
  save(topic: string, checkpoint: ReplayCheckpoint): Promise<void>;
}

export interface EventConsumer {
  start(): Promise<void> | void;
  stop(): Promise<void>;
  /** true once every topic is subscribed and delivering */
  live?(): boolean;
  /**
   * Resolves once the bus has acknowledged every subscription, so a change committed from then on
   * is delivered; rejects when the consumer stops first. On a quiet real org this can take until
   * the first keepalive (up to 270 s), so callers bound their wait.
   */
  ready(): Promise<void>;
  /** per-topic counters of the consumer, for status and diagnosis */
  stats?(): unknown;
}

/** builds the connection's Pub/Sub consumer around the engine's handler and checkpoint store */
export type EventConsumerFactory = (handler: EventHandler, checkpoints: ReplayCheckpointStore) => EventConsumer;

/** the write tag every bridge write carries (design §2); CDC events with it are the bridge's own */
export const CALL_OPTIONS_CLIENT = 'ml-connector';

export function isOwnChange(changeOrigin: string | null | undefined, client = CALL_OPTIONS_CLIENT): boolean {
  if (!changeOrigin) return false;
  return changeOrigin.split(';').some((part) => part.trim() === `client=${client}`);
}
