import type { Logger } from '../logger.js';
import { contentHash } from './hash.js';
import { isOwnChange, type ChangeEvent, type EventHandler, type PlatformEventMessage, type RecordsBatch } from './ports.js';
import type { SyncRepositories } from '../store/index.js';
import type { AccountChangePayload } from './streams/sfAccounts.js';
import type { OrderActivationPayload } from './streams/sfOrders.js';

export const CDC_TOPICS = {
  account: '/data/AccountChangeEvent',
  order: '/data/OrderChangeEvent',
  replay: '/event/Sync_Replay_Request__e',
} as const;

export interface ChangeIntakeOptions {
  connectionId: string;
  store: SyncRepositories;
  clock: () => number;
  maxAttempts: number;
  logger: Logger;
  /** asks for a replay; resolves once the replay job is durably queued */
  requestReplay: (auditEventId: string, requestedBy: string) => Promise<void>;
  isPaused: (stream: 'sf-accounts' | 'sf-orders' | 'replay-requests') => boolean;
  /** told after a batch put jobs in the queue, so the worker picks them up without waiting */
  onQueued?: () => void;
}

/**
 * The engine's side of the Pub/Sub consumer: every change becomes a durable job before the promise
 * resolves (the consumer stores the replay id only after that). The bridge's own writes are passed
 * over here as well as in the consumer, so the rule holds whichever consumer is wired in.
 */
export function createChangeIntake(options: ChangeIntakeOptions): EventHandler & { counts: Record<string, number> } {
  const { connectionId, store, clock } = options;
  const counts = { accountChanges: 0, orderActivations: 0, ownWritesSkipped: 0, replayRequests: 0, ignored: 0 };
  const now = (): string => new Date(clock()).toISOString();
  const runAt = (): number => clock();

  async function queueAccount(recordId: string, changedFields: string[], fields: Record<string, unknown>, correlationId: string): Promise<void> {
    const payload: AccountChangePayload = { recordId, changedFields, fields };
    await store.jobs.enqueue({ connectionId, stream: 'sf-accounts', key: recordId, payload, payloadHash: contentHash(payload), correlationId, maxAttempts: options.maxAttempts, runAt: runAt() });
    counts.accountChanges += 1;
  }

  async function queueOrder(orderId: string, correlationId: string): Promise<void> {
    const payload: OrderActivationPayload = { orderId };
    await store.jobs.enqueue({ connectionId, stream: 'sf-orders', key: orderId, payload, payloadHash: contentHash(payload), correlationId, maxAttempts: options.maxAttempts, runAt: runAt() });
    counts.orderActivations += 1;
  }

  return {
    counts,
    async onChanges(changes: ChangeEvent[]): Promise<void> {
      for (const change of changes) {
        options.logger.debug({ entity: change.entityName, changeType: change.changeType, recordIds: change.recordIds, changedFields: change.changedFields, origin: change.changeOrigin }, 'change event');
        if (isOwnChange(change.changeOrigin)) {
          counts.ownWritesSkipped += 1;
          continue;
        }
        for (const recordId of change.recordIds) {
          const correlationId = `cdc:${change.transactionKey}:${recordId}`.slice(0, 80);
          if (change.entityName === 'Account' && change.changeType === 'UPDATE' && !options.isPaused('sf-accounts')) {
            await queueAccount(recordId, change.changedFields, change.fields, correlationId);
          } else if (change.entityName === 'Order' && change.changeType === 'UPDATE' && change.changedFields.includes('Status') && change.fields.Status === 'Activated' && !options.isPaused('sf-orders')) {
            await queueOrder(recordId, correlationId);
          } else {
            counts.ignored += 1;
          }
        }
      }
      options.onQueued?.();
    },
    async onRecords(batch: RecordsBatch): Promise<void> {
      // re-read rows (gap, overflow, catch-up) are authoritative current state; orders are
      // queued when activated (the stream re-checks status and skips those already in QAD),
      // accounts only carry their Salesforce-owned fields back, which is a no-op when unchanged
      const stamp = `${batch.reason}:${now()}`;
      for (const row of batch.records) {
        const id = typeof row.Id === 'string' ? row.Id : null;
        if (!id) continue;
        if (batch.entityName === 'Order' && row.Status === 'Activated' && !row.QAD_Sales_Order_Number__c && !options.isPaused('sf-orders')) {
          await queueOrder(id, `${stamp}:${id}`.slice(0, 80));
        } else if (batch.entityName === 'Account' && !options.isPaused('sf-accounts')) {
          await queueAccount(id, Object.keys(row), row, `${stamp}:${id}`.slice(0, 80));
        }
      }
      options.onQueued?.();
    },
    async onPlatformEvents(events: PlatformEventMessage[]): Promise<void> {
      for (const event of events) {
        if (event.eventName !== 'Sync_Replay_Request__e' || options.isPaused('replay-requests')) continue;
        const auditEventId = event.payload.Audit_Event_Id__c;
        if (typeof auditEventId !== 'string' || auditEventId === '') {
          options.logger.warn({ eventId: event.eventId }, 'Sync_Replay_Request__e without Audit_Event_Id__c ignored');
          continue;
        }
        const requestedBy = typeof event.payload.Requested_By__c === 'string' ? event.payload.Requested_By__c : 'unknown';
        counts.replayRequests += 1;
        await options.requestReplay(auditEventId, requestedBy);
      }
    },
  };
}
