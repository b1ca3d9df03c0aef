import type { Logger } from '../../../logger.js';
import type { RetryPolicyOptions } from '../../../lib/retryPolicy.js';

/** The slice of the Salesforce client the consumer needs for auth; SalesforceClient satisfies it. */
export interface PubSubAuth {
  getAccessToken(): Promise<string>;
  invalidateToken(): void;
  readonly identity: { instanceUrl: string; orgId: string };
}

/** SOQL for re-reads and catch-up; SalesforceClient satisfies it. */
export interface SoqlSource {
  query<T>(soql: string): AsyncIterable<T>;
}

/** Where the replay position lives between runs. `replayId` is opaque bytes: store them as they are. */
export interface Checkpoint {
  replayId: Buffer;
  /** when the stored position was known to be current (event commit time, or a keepalive's arrival) */
  lastEventAt: Date;
}

export interface CheckpointStore {
  load(topic: string): Promise<Checkpoint | null | undefined>;
  save(topic: string, checkpoint: Checkpoint): Promise<void>;
}

export type ChangeType =
  | 'CREATE'
  | 'UPDATE'
  | 'DELETE'
  | 'UNDELETE'
  | 'GAP_CREATE'
  | 'GAP_UPDATE'
  | 'GAP_DELETE'
  | 'GAP_UNDELETE'
  | 'GAP_OVERFLOW'
  | 'SNAPSHOT';

/** The ChangeEventHeader of a change event, its field lists decoded to names. */
export interface ChangeEventHeader {
  entityName: string;
  recordIds: string[];
  changeType: ChangeType;
  changeOrigin: string;
  transactionKey: string;
  sequenceNumber: number;
  /** epoch ms */
  commitTimestamp: number;
  commitNumber: bigint;
  commitUser: string;
  /** decoded names; compound parts as `Parent.Child` (e.g. `BillingAddress.City`) */
  changedFields: string[];
  nulledFields: string[];
  diffFields: string[];
}

export interface ChangeEvent extends ChangeEventHeader {
  topic: string;
  replayId: Buffer;
  eventId: string;
  /** values the event carries: non-null fields, plus null for every nulled field */
  fields: Record<string, unknown>;
}

export interface PlatformEventMessage {
  topic: string;
  replayId: Buffer;
  eventId: string;
  /** the schema's record name, e.g. `Sync_Replay_Request__e` */
  eventName: string;
  payload: Record<string, unknown>;
}

export type RecordsReason = 'gap' | 'overflow' | 'catch-up';

/** Rows read from Salesforce that replace what events would have said; treat them as authoritative. */
export interface RecordsBatch {
  topic: string;
  reason: RecordsReason;
  entityName: string;
  records: Array<Record<string, unknown>>;
  /** the SystemModstamp lower bound of an overflow resync or catch-up */
  since?: Date;
  /** the ids a gap event named (some may no longer exist) */
  recordIds?: string[];
}

/**
 * What the consumer hands work to. Each promise must resolve only once the work is durably
 * accepted (queued in the store); the replay id is stored after that and never before.
 */
export interface PubSubHandler {
  /** one transaction's changes (or the part of it delivered together), ordered by sequenceNumber */
  onChanges(changes: ChangeEvent[]): Promise<void>;
  onRecords(batch: RecordsBatch): Promise<void>;
  onPlatformEvents?(events: PlatformEventMessage[]): Promise<void>;
}

export interface PubSubConsumerConfig {
  /** `host:port`, e.g. `api.pubsub.salesforce.com:7443` */
  endpoint: string;
  /**
   * TLS trusting the system roots, or this PEM; `false` = plaintext (sandbox only). `serverName`:
   * the certificate's host name when `endpoint` is an IP address (default `localhost` on loopback).
   */
  tls?: { caCertificatePem?: string; serverName?: string } | false;
  topics: string[];
  /** events requested and not yet handled, per topic; at most 100 (the service's cap) */
  maxInFlight?: number;
  retry?: Partial<RetryPolicyOptions>;
  /** how long the service keeps events (72 h) and the safety margin below it */
  retentionMs?: number;
  retentionMarginMs?: number;
  /** how far before the last processed change a catch-up or overflow resync starts reading */
  lookBackMs?: number;
  /** fields to read per object for gap re-reads, overflow resyncs and catch-up (Id and SystemModstamp are always read) */
  resyncFields: Record<string, string[]>;
  /** changes whose changeOrigin contains this are the bridge's own writes and are passed over */
  ownChangeOrigin?: string;
  /** where a topic without a checkpoint starts */
  startFrom?: 'LATEST' | 'EARLIEST';
  /** rows per onRecords call */
  recordsBatchSize?: number;
}

export interface PubSubConsumerDeps {
  auth: PubSubAuth;
  soql: SoqlSource;
  checkpoints: CheckpointStore;
  handler: PubSubHandler;
  logger?: Logger;
  /** epoch ms; the retention-window decision and catch-up bounds use it */
  clock?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export interface TopicStats {
  topic: string;
  /** `subscribing`: the Subscribe call is open but the bus has not answered yet; `live` only after it has */
  state: 'starting' | 'catching-up' | 'subscribing' | 'live' | 'backing-off' | 'stopped' | 'failed';
  received: number;
  handled: number;
  ownWritesSkipped: number;
  alreadyCaughtUpSkipped: number;
  platformEvents: number;
  gapEvents: number;
  overflowEvents: number;
  recordsReRead: number;
  catchUps: number;
  catchUpRecords: number;
  keepalives: number;
  checkpointsSaved: number;
  reconnects: number;
  tokenRefreshes: number;
  replayIdRefusals: number;
  undecodableEvents: number;
  /** events delivered and not yet handled, now and at most */
  unprocessed: number;
  maxUnprocessed: number;
  lastError?: { code: string; message: string };
}
