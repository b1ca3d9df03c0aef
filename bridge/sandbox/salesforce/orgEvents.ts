import type { EventEmitter } from 'node:events';

/**
 * What the simulated org tells the simulated Pub/Sub bus about each committed write. This is the
 * seam between the REST half of the sandbox (which validates and stores records) and the gRPC half
 * (which turns these into Avro change events and platform events with replay ids).
 */
export type RecordChangeType = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';

export interface RecordChange {
  /** API name of the object, e.g. `Account` */
  entityName: string;
  changeType: RecordChangeType;
  recordIds: string[];
  /**
   * New values of the fields this change touched (every populated field for CREATE, the changed
   * ones for UPDATE, empty for DELETE), keyed by the API field names of the object's describe.
   */
  fields: Record<string, unknown>;
  /** API field names whose value changed, LastModifiedDate included (UPDATE only) */
  changedFields: string[];
  /** API field names explicitly set to null by this change */
  nulledFields: string[];
  /** `com/salesforce/api/<rest|bulkapi|soap>/<version>` plus `;client=<name>` when the caller sent Sforce-Call-Options */
  changeOrigin: string;
  /** same value for every change of one API call (one collections call = one transaction) */
  transactionKey: string;
  /** 1-based order within the transaction */
  sequenceNumber: number;
  /** epoch ms on the sandbox clock */
  commitTimestamp: number;
  commitNumber: bigint;
  /** id of the user the token acts as */
  commitUser: string;
}

export interface PlatformEventPublished {
  /** API name, e.g. `Sync_Replay_Request__e` */
  eventName: string;
  fields: Record<string, unknown>;
  eventUuid: string;
  /** epoch ms on the sandbox clock */
  publishedAt: number;
}

export interface OrgEventMap {
  change: [RecordChange];
  platformEvent: [PlatformEventPublished];
}

export type OrgEventEmitter = EventEmitter<OrgEventMap>;
