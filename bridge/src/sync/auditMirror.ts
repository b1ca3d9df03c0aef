import { performance } from 'node:perf_hooks';
import type { BatchSizer } from '../lib/batchSizer.js';
import type { Logger } from '../logger.js';
import type { SalesforcePort, SObjectRecord, UpsertOutcome } from './ports.js';
import { AUDIT_STATUSES, type AuditEvent, type AuditStatus, type SyncRepositories } from '../store/index.js';

export const ALL_AUDIT_STATUSES: readonly AuditStatus[] = AUDIT_STATUSES;

const USER_ID = /^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/;

export function toSyncAuditRecord(entry: AuditEvent, replayOfSalesforceId: string | null): SObjectRecord {
  return {
    Bridge_Event_Id__c: entry.eventId,
    Connection_Id__c: entry.connectionId,
    Direction__c: entry.direction,
    Object__c: entry.object,
    Operation__c: entry.operation,
    Status__c: entry.status,
    Source_Id__c: entry.sourceId?.slice(0, 255) ?? null,
    Target_Id__c: entry.targetId?.slice(0, 255) ?? null,
    Salesforce_Record_Id__c: entry.salesforceRecordId,
    Correlation_Id__c: entry.correlationId.slice(0, 80),
    Attempt__c: entry.attempt,
    Error_Code__c: entry.errorCode?.slice(0, 80) ?? null,
    Error_Message__c: entry.errorMessage,
    Payload__c: entry.payload,
    Payload_Hash__c: entry.payloadHash,
    Occurred_At__c: entry.occurredAt,
    ...(replayOfSalesforceId ? { Replay_Of__c: replayOfSalesforceId } : {}),
    ...(entry.requestedBy && USER_ID.test(entry.requestedBy) ? { Requested_By__c: entry.requestedBy } : {}),
    ...(entry.requestedAt ? { Requested_At__c: entry.requestedAt } : {}),
  };
}

export interface AuditMirrorOptions {
  connectionId: string;
  store: SyncRepositories;
  salesforce: SalesforcePort;
  logger: Logger;
  clock: () => number;
  /** statuses the org wants mirrored (QAD_Sync_Setting__mdt.Mirrored_Statuses__c) */
  mirroredStatuses: () => ReadonlySet<string>;
  /** refusals of one row before it is marked mirror-failed and no longer sent (default 5) */
  maxAttempts?: number;
  /** rows taken from the backlog at once, grown as batches finish in time (default: always MIRROR_BATCH) */
  sizer?: BatchSizer;
}

export const DEFAULT_MIRROR_MAX_ATTEMPTS = 5;
/** past this many refusals one cycle stops (they go into a NOT IN list); the rest waits for the next */
const MAX_REFUSED_PER_CYCLE = 2_000;
/**
 * Rows taken from the backlog at once. A backlog larger than MIRROR_BULK_ABOVE goes out as one Bulk
 * API 2.0 job (a handful of calls for ten thousand rows, where collections would take fifty); a
 * small one as collections calls of 200, which land within a second.
 */
export const MIRROR_BATCH = 10_000;
export const MIRROR_BULK_ABOVE = 1_000;

function describeRefusal(outcome: UpsertOutcome | undefined): string {
  if (!outcome) return 'NO_RESULT: the collections answer had no result for this row';
  if (outcome.ok) return '';
  return outcome.errors.map((e) => `${e.statusCode}: ${e.message}${e.fields?.length ? ` (${e.fields.join(', ')})` : ''}`).join('; ').slice(0, 4000);
}

/**
 * Sends the local audit trail to Sync_Audit__c keyed by Bridge_Event_Id__c (collections calls of
 * 200, or one Bulk API job for a large backlog), so a resend after a crash updates rather than
 * duplicates. Rows of a status
 * the org does not mirror are marked done without a call. A row the org refuses stays unmirrored
 * and goes with the next batch, up to `maxAttempts` refusals; then it is marked mirror-failed (kept
 * in the local trail, counted in /metrics) so one bad row is not re-sent on every cycle forever.
 * A whole call that fails (network, limits) counts against no row.
 */
export async function mirrorAuditOnce(options: AuditMirrorOptions): Promise<{ sent: number; failed: number; skipped: number; gaveUp: number }> {
  const { store, salesforce, connectionId } = options;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MIRROR_MAX_ATTEMPTS;
  const totals = { sent: 0, failed: 0, skipped: 0, gaveUp: 0 };
  const allowed = options.mirroredStatuses();
  // rows refused in this cycle are not sent again until the next one, so each cycle is one attempt
  const refused: string[] = [];
  for (;;) {
    if (refused.length > MAX_REFUSED_PER_CYCLE) return totals;
    const started = performance.now();
    const batch = await store.audit.listUnmirrored(options.sizer?.size ?? MIRROR_BATCH, connectionId, refused);
    if (batch.length === 0) return totals;
    const now = options.clock();
    const notMirrored = batch.filter((e) => !allowed.has(e.status));
    await store.audit.markMirrored(notMirrored.map((e) => e.eventId), now);
    totals.skipped += notMirrored.length;
    const rows = batch.filter((e) => allowed.has(e.status));
    if (rows.length === 0) continue;
    const replayIds = [...new Set(rows.map((r) => r.replayOf).filter((id): id is string => id !== null))];
    const replayTargets = new Map<string, string>();
    if (replayIds.length > 0) {
      const list = replayIds.map((id) => `'${id.replace(/'/g, "\\'")}'`).join(',');
      for await (const row of salesforce.query<{ Id: string; Bridge_Event_Id__c: string }>(`SELECT Id, Bridge_Event_Id__c FROM Sync_Audit__c WHERE Bridge_Event_Id__c IN (${list})`, { critical: true })) {
        replayTargets.set(row.Bridge_Event_Id__c, row.Id);
      }
    }
    const outcomes = await salesforce.upsert('Sync_Audit__c', 'Bridge_Event_Id__c', rows.map((r) => toSyncAuditRecord(r, r.replayOf ? replayTargets.get(r.replayOf) ?? null : null)), { allOrNone: false, critical: true, bulkAbove: MIRROR_BULK_ABOVE });
    const done: string[] = [];
    for (const [i, row] of rows.entries()) {
      const outcome = outcomes[i];
      if (outcome?.ok) done.push(row.eventId);
      else {
        totals.failed += 1;
        refused.push(row.eventId);
        const refusal = await store.audit.recordMirrorRefusal(row.eventId, describeRefusal(outcome), maxAttempts, now);
        if (refusal?.failed) {
          totals.gaveUp += 1;
          options.logger.error({ eventId: row.eventId, attempts: refusal.attempts, errors: outcome && !outcome.ok ? outcome.errors : undefined }, 'Sync_Audit__c refused a row too often; marked mirror-failed and no longer sent');
        } else {
          options.logger.warn({ eventId: row.eventId, attempts: refusal?.attempts, errors: outcome && !outcome.ok ? outcome.errors : undefined }, 'Sync_Audit__c upsert refused a row; it stays queued');
        }
      }
    }
    await store.audit.markMirrored(done, now);
    options.sizer?.record(batch.length, performance.now() - started);
    totals.sent += done.length;
    if (done.length === 0) return totals;
  }
}

/**
 * Which statuses the org wants in Sync_Audit__c: QAD_Sync_Setting__mdt `Default`,
 * Mirrored_Statuses__c (semicolon list). Null when the record is absent, blank or unreadable.
 */
export async function readMirroredStatuses(salesforce: SalesforcePort, logger: Logger): Promise<Set<string> | null> {
  try {
    for await (const row of salesforce.query<{ Mirrored_Statuses__c: string | null }>("SELECT Mirrored_Statuses__c FROM QAD_Sync_Setting__mdt WHERE DeveloperName = 'Default' LIMIT 1")) {
      const list = (row.Mirrored_Statuses__c ?? '').split(';').map((s) => s.trim()).filter(Boolean);
      return list.length > 0 ? new Set(list) : null;
    }
  } catch (error) {
    logger.info({ code: (error as { code?: unknown }).code }, 'QAD_Sync_Setting__mdt not readable; mirroring every audit status');
  }
  return null;
}
