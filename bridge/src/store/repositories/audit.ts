import { ValidationError } from '../../errors.js';
import type { Insertable, Selectable } from 'kysely';
import type { AuditEventsTable } from '../schema.js';
import { chunk, isoAt, type RepositoryContext, inTransaction } from './context.js';

/**
 * The local audit trail: every attempt, append-only apart from status changes (a replay marks the
 * replayed row `Replayed`) and the mirror stamp. Statuses use the Sync_Audit__c picklist values so
 * a row mirrors to Salesforce unchanged.
 */
export type AuditStatus = 'Succeeded' | 'Failed' | 'Retrying' | 'Waiting' | 'Skipped' | 'Replay Requested' | 'Replayed';
export const AUDIT_STATUSES: readonly AuditStatus[] = ['Succeeded', 'Failed', 'Retrying', 'Waiting', 'Skipped', 'Replay Requested', 'Replayed'];
export type AuditDirection = 'QAD to Salesforce' | 'Salesforce to QAD';
export type AuditOperation = 'Create' | 'Update' | 'Upsert' | 'Delete';
/** the Object__c picklist: what the engine writes; the trail itself accepts any object name */
export type AuditObject = 'Account' | 'Contact' | 'Product2' | 'Order';

export interface AuditEvent {
  /** Bridge_Event_Id__c: one per attempt, the idempotent key of the mirror */
  eventId: string;
  connectionId: string;
  direction: AuditDirection;
  object: string;
  operation: AuditOperation;
  status: AuditStatus;
  sourceId: string | null;
  targetId: string | null;
  salesforceRecordId: string | null;
  correlationId: string;
  attempt: number;
  errorCode: string | null;
  errorMessage: string | null;
  /** already redacted and truncated (lib/redact.ts) */
  payload: string | null;
  payloadHash: string | null;
  occurredAt: string;
  replayOf: string | null;
  requestedBy: string | null;
  requestedAt: string | null;
  mirroredAt: string | null;
  /** Sync_Audit__c upserts that refused this row since it was last mirrored */
  mirrorAttempts: number;
  /** the last refusal (status code and message) */
  mirrorError: string | null;
  /** when the refusals reached the bound; the row is no longer sent */
  mirrorFailedAt: string | null;
}

export type AuditAppend = Omit<
  AuditEvent,
  'mirroredAt' | 'mirrorAttempts' | 'mirrorError' | 'mirrorFailedAt' | 'occurredAt' | 'sourceId' | 'targetId' | 'salesforceRecordId' | 'errorCode' | 'errorMessage' | 'payload' | 'payloadHash' | 'replayOf' | 'requestedBy' | 'requestedAt'
> &
  Partial<Pick<AuditEvent, 'occurredAt' | 'sourceId' | 'targetId' | 'salesforceRecordId' | 'errorCode' | 'errorMessage' | 'payload' | 'payloadHash' | 'replayOf' | 'requestedBy' | 'requestedAt'>>;

export interface AuditSearch {
  connectionId?: string;
  object?: string;
  status?: AuditStatus;
  correlationId?: string;
  /** inclusive ISO lower bound on occurredAt */
  from?: string;
  /** exclusive ISO upper bound on occurredAt */
  to?: string;
  limit?: number;
  offset?: number;
}

export interface AuditPage {
  rows: AuditEvent[];
  total: number;
  limit: number;
  offset: number;
}

export interface AuditRepository {
  /** idempotent on eventId: appending the same event twice keeps the first */
  append(event: AuditAppend): Promise<AuditEvent>;
  appendMany(events: readonly AuditAppend[]): Promise<void>;
  get(eventId: string): Promise<AuditEvent | null>;
  search(filter: AuditSearch): Promise<AuditPage>;
  /**
   * oldest first, at most `limit` (default 200, one sObject Collections call); one connection's rows
   * when given, since each mirrors to its own org. Rows marked mirror-failed are left out, and so
   * are `excluding` (rows already tried in the current mirror cycle).
   */
  listUnmirrored(limit?: number, connectionId?: string, excluding?: readonly string[]): Promise<AuditEvent[]>;
  /** stamps the rows mirrored and clears their refusal count, last refusal and failure mark */
  markMirrored(eventIds: readonly string[], at?: number): Promise<number>;
  /**
   * counts one refusal of the row by Salesforce and keeps `error`; the refusal that reaches
   * `maxAttempts` marks the row mirror-failed. Returns the count and whether it is now marked.
   */
  recordMirrorRefusal(eventId: string, error: string, maxAttempts: number, at?: number): Promise<{ attempts: number; failed: boolean } | null>;
  /** rows marked mirror-failed (one connection's when given) */
  countMirrorFailed(connectionId?: string): Promise<number>;
  /** who asked for a replay of the row, and when; the replay's own row copies it from here */
  recordReplayRequest(eventId: string, requestedBy: string, requestedAt: string): Promise<boolean>;
  /** changes a row's status (e.g. to Replayed) and queues it to be mirrored again, with a fresh refusal count */
  updateStatus(eventId: string, status: AuditStatus, extra?: { requestedBy?: string | null; requestedAt?: string | null }): Promise<boolean>;
  /** deletes rows older than `before` that are already mirrored; returns how many */
  purgeMirroredBefore(before: string): Promise<number>;
}

type Row = Omit<Insertable<AuditEventsTable>, 'seq'>;

function toEvent(row: Omit<Selectable<AuditEventsTable>, 'seq'>): AuditEvent {
  return {
    eventId: row.event_id,
    connectionId: row.connection_id,
    direction: row.direction as AuditDirection,
    object: row.object,
    operation: row.operation as AuditOperation,
    status: row.status as AuditStatus,
    sourceId: row.source_id,
    targetId: row.target_id,
    salesforceRecordId: row.salesforce_record_id,
    correlationId: row.correlation_id,
    attempt: Number(row.attempt),
    errorCode: row.error_code,
    errorMessage: row.error_message,
    payload: row.payload,
    payloadHash: row.payload_hash,
    occurredAt: row.occurred_at,
    replayOf: row.replay_of,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    mirroredAt: row.mirrored_at,
    mirrorAttempts: Number(row.mirror_attempts),
    mirrorError: row.mirror_error,
    mirrorFailedAt: row.mirror_failed_at,
  };
}

const MAX_PAGE = 500;

/**
 * Stored instants are `toISOString()` text, compared as strings; a bound written another way
 * ("...T10:05:00Z", "+02:00") must be brought to the same form or the comparison is lexical nonsense.
 */
function normalizeInstant(value: string, name: string): string {
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new ValidationError(`${name} must be an ISO-8601 date-time, e.g. 2026-01-05T10:00:00Z`);
  return new Date(parsed).toISOString();
}

export function auditRepository(ctx: RepositoryContext): AuditRepository {
  const { db } = ctx;

  function toRow(event: AuditAppend): Row {
    return {
      event_id: event.eventId,
      connection_id: event.connectionId,
      direction: event.direction,
      object: event.object,
      operation: event.operation,
      status: event.status,
      source_id: event.sourceId ?? null,
      target_id: event.targetId ?? null,
      salesforce_record_id: event.salesforceRecordId ?? null,
      correlation_id: event.correlationId,
      attempt: event.attempt,
      error_code: event.errorCode ?? null,
      error_message: event.errorMessage ?? null,
      payload: event.payload ?? null,
      payload_hash: event.payloadHash ?? null,
      occurred_at: event.occurredAt ?? isoAt(ctx.now()),
      replay_of: event.replayOf ?? null,
      requested_by: event.requestedBy ?? null,
      requested_at: event.requestedAt ?? null,
      mirrored_at: null,
    };
  }

  const columns = [
    'event_id',
    'connection_id',
    'direction',
    'object',
    'operation',
    'status',
    'source_id',
    'target_id',
    'salesforce_record_id',
    'correlation_id',
    'attempt',
    'error_code',
    'error_message',
    'payload',
    'payload_hash',
    'occurred_at',
    'replay_of',
    'requested_by',
    'requested_at',
    'mirrored_at',
    'mirror_attempts',
    'mirror_error',
    'mirror_failed_at',
  ] as const;

  return {
    async append(event) {
      await db.insertInto('audit_events').values(toRow(event)).onConflict((oc) => oc.column('event_id').doNothing()).execute();
      const stored = await this.get(event.eventId);
      if (!stored) throw new Error(`audit event ${event.eventId} vanished right after append`);
      return stored;
    },

    async appendMany(events) {
      if (events.length === 0) return;
      await inTransaction(db, async (trx) => {
        for (const part of chunk(events.map(toRow), 100)) {
          await trx.insertInto('audit_events').values(part).onConflict((oc) => oc.column('event_id').doNothing()).execute();
        }
      });
    },

    async get(eventId) {
      const row = await db.selectFrom('audit_events').select(columns).where('event_id', '=', eventId).executeTakeFirst();
      return row ? toEvent(row) : null;
    },

    async search(filter) {
      const limit = Math.min(Math.max(1, filter.limit ?? 50), MAX_PAGE);
      const offset = Math.max(0, filter.offset ?? 0);
      let base = db.selectFrom('audit_events');
      if (filter.connectionId !== undefined) base = base.where('connection_id', '=', filter.connectionId);
      if (filter.object !== undefined) base = base.where('object', '=', filter.object);
      if (filter.status !== undefined) base = base.where('status', '=', filter.status);
      if (filter.correlationId !== undefined) base = base.where('correlation_id', '=', filter.correlationId);
      if (filter.from !== undefined) base = base.where('occurred_at', '>=', normalizeInstant(filter.from, 'from'));
      if (filter.to !== undefined) base = base.where('occurred_at', '<', normalizeInstant(filter.to, 'to'));
      const [rows, total] = await Promise.all([
        base.select(columns).orderBy('occurred_at', 'desc').orderBy('seq', 'desc').limit(limit).offset(offset).execute(),
        base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows: rows.map(toEvent), total: Number(total.n), limit, offset };
    },

    async listUnmirrored(limit = 200, connectionId, excluding = []) {
      let query = db.selectFrom('audit_events').select(columns).where('mirrored_at', 'is', null).where('mirror_failed_at', 'is', null);
      if (connectionId !== undefined) query = query.where('connection_id', '=', connectionId);
      if (excluding.length > 0) query = query.where('event_id', 'not in', [...excluding]);
      const rows = await query.orderBy('seq').limit(limit).execute();
      return rows.map(toEvent);
    },

    async markMirrored(eventIds, at) {
      const stamp = isoAt(at ?? ctx.now());
      return inTransaction(db, async (trx) => {
        let updated = 0;
        for (const part of chunk([...eventIds], 400)) {
          const result = await trx
            .updateTable('audit_events')
            .set({ mirrored_at: stamp, mirror_attempts: 0, mirror_error: null, mirror_failed_at: null })
            .where('event_id', 'in', part)
            .executeTakeFirst();
          updated += Number(result.numUpdatedRows);
        }
        return updated;
      });
    },

    async recordMirrorRefusal(eventId, error, maxAttempts, at) {
      const stamp = isoAt(at ?? ctx.now());
      // one statement, so two instances counting the same row cannot lose an increment
      await db
        .updateTable('audit_events')
        .set((eb) => ({
          mirror_attempts: eb('mirror_attempts', '+', 1),
          mirror_error: error,
          mirror_failed_at: eb.case().when(eb('mirror_attempts', '+', 1), '>=', Math.max(1, maxAttempts)).then(stamp).else(null).end(),
        }))
        .where('event_id', '=', eventId)
        .where('mirrored_at', 'is', null)
        .where('mirror_failed_at', 'is', null)
        .execute();
      const row = await db.selectFrom('audit_events').select(['mirror_attempts', 'mirror_failed_at']).where('event_id', '=', eventId).executeTakeFirst();
      return row ? { attempts: Number(row.mirror_attempts), failed: row.mirror_failed_at !== null } : null;
    },

    async countMirrorFailed(connectionId) {
      let query = db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('mirror_failed_at', 'is not', null);
      if (connectionId !== undefined) query = query.where('connection_id', '=', connectionId);
      return Number((await query.executeTakeFirstOrThrow()).n);
    },

    async recordReplayRequest(eventId, requestedBy, requestedAt) {
      const result = await db.updateTable('audit_events').set({ requested_by: requestedBy, requested_at: requestedAt }).where('event_id', '=', eventId).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async updateStatus(eventId, status, extra = {}) {
      const patch: Partial<Row> = { status, mirrored_at: null, mirror_attempts: 0, mirror_error: null, mirror_failed_at: null };
      if (extra.requestedBy !== undefined) patch.requested_by = extra.requestedBy;
      if (extra.requestedAt !== undefined) patch.requested_at = extra.requestedAt;
      const result = await db.updateTable('audit_events').set(patch).where('event_id', '=', eventId).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async purgeMirroredBefore(before) {
      const result = await db
        .deleteFrom('audit_events')
        .where('occurred_at', '<', before)
        .where('mirrored_at', 'is not', null)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
