import { type Kysely, type Selectable } from 'kysely';
import type { JobsTable, StoreDatabase, StoreDialect, AuditEventsTable, RecordLinksTable } from '../store/schema.js';
import type { AuditEntry, JobRecord, JobState, LinkRecord, NewJob, StoredAuditEntry, SyncStore } from './storePort.js';

const PENDING: JobState[] = ['queued', 'running', 'waiting'];

function toJob(row: Selectable<JobsTable>): JobRecord {
  return {
    id: String(row.id),
    connectionId: row.connection_id,
    stream: row.stream,
    key: row.key,
    payload: JSON.parse(row.payload) as unknown,
    payloadHash: row.payload_hash,
    correlationId: row.correlation_id,
    attempt: Number(row.attempt),
    maxAttempts: Number(row.max_attempts),
    status: row.status,
    waitingOn: row.waiting_on,
    nextRunAt: row.next_run_at,
    replayOf: row.replay_of,
    lastErrorCode: row.last_error_code,
    lastErrorMessage: row.last_error_message,
    createdAt: row.created_at,
  };
}

function toLink(row: Selectable<RecordLinksTable>): LinkRecord {
  return {
    connectionId: row.connection_id,
    object: row.object,
    qadKey: row.qad_key,
    salesforceId: row.salesforce_id,
    lastHash: row.last_hash,
    lastSyncedAt: row.last_synced_at,
  };
}

function toAudit(row: Selectable<AuditEventsTable>): StoredAuditEntry {
  return {
    seq: Number(row.seq),
    eventId: row.event_id,
    connectionId: row.connection_id,
    direction: row.direction as AuditEntry['direction'],
    object: row.object as AuditEntry['object'],
    operation: row.operation as AuditEntry['operation'],
    status: row.status as AuditEntry['status'],
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
  };
}

/**
 * SyncStore on the store's Kysely database (tables and migrations are the store's). Each method is
 * one statement or one short transaction, so a crash between two of them leaves a state the engine
 * already knows how to resume from (a running job with an expired lock goes back to the queue).
 */
export class KyselySyncStore implements SyncStore {
  constructor(
    private readonly db: Kysely<StoreDatabase>,
    private readonly dialect: StoreDialect,
  ) {}

  async enqueue(job: NewJob): Promise<{ id: string; merged: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      const pending = await trx
        .selectFrom('jobs')
        .select(['id', 'status'])
        .where('connection_id', '=', job.connectionId)
        .where('stream', '=', job.stream)
        .where('key', '=', job.key)
        .where('status', 'in', PENDING)
        .executeTakeFirst();
      const payload = JSON.stringify(job.payload);
      if (pending && pending.status !== 'running') {
        // the newer content replaces the older one; a waiting job is re-evaluated with it
        await trx
          .updateTable('jobs')
          .set({ payload, payload_hash: job.payloadHash, status: 'queued', waiting_on: null, next_run_at: job.runAt, updated_at: job.runAt, ...(job.replayOf ? { replay_of: job.replayOf, correlation_id: job.correlationId, attempt: 0 } : {}) })
          .where('id', '=', pending.id)
          .execute();
        return { id: String(pending.id), merged: true };
      }
      if (pending) {
        // a running job keeps the content it read; the newer content is stored on it and
        // `succeed` re-queues the job when the hash it finished with is no longer the latest
        await trx.updateTable('jobs').set({ payload, payload_hash: job.payloadHash, updated_at: job.runAt }).where('id', '=', pending.id).execute();
        return { id: String(pending.id), merged: true };
      }
      const inserted = await trx
        .insertInto('jobs')
        .values({
          connection_id: job.connectionId,
          stream: job.stream,
          key: job.key,
          payload,
          payload_hash: job.payloadHash,
          correlation_id: job.correlationId,
          attempt: 0,
          max_attempts: job.maxAttempts,
          status: 'queued',
          waiting_on: null,
          next_run_at: job.runAt,
          locked_by: null,
          locked_until: null,
          last_error_code: null,
          last_error_message: null,
          replay_of: job.replayOf ?? null,
          created_at: job.runAt,
          updated_at: job.runAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { id: String(inserted.id), merged: false };
    });
  }

  async claim(connectionId: string, stream: string, limit: number, workerId: string, now: string, lockedUntil: string): Promise<JobRecord[]> {
    return this.db.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('jobs')
        .select('id')
        .where('connection_id', '=', connectionId)
        .where('stream', '=', stream)
        .where('status', '=', 'queued')
        .where('next_run_at', '<=', now)
        .orderBy('next_run_at')
        .orderBy('created_at')
        .limit(limit);
      if (this.dialect === 'postgres') query = query.forUpdate().skipLocked();
      const ids = (await query.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      await trx
        .updateTable('jobs')
        .set({ status: 'running', locked_by: workerId, locked_until: lockedUntil, updated_at: now })
        .where('id', 'in', ids)
        .where('status', '=', 'queued')
        .execute();
      const rows = await trx.selectFrom('jobs').selectAll().where('id', 'in', ids).where('locked_by', '=', workerId).where('status', '=', 'running').execute();
      const order = new Map(ids.map((id, i) => [id, i]));
      return rows.map(toJob).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    });
  }

  async claimById(id: string, workerId: string, now: string, lockedUntil: string): Promise<JobRecord | null> {
    const result = await this.db
      .updateTable('jobs')
      .set({ status: 'running', locked_by: workerId, locked_until: lockedUntil, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return null;
    return this.getJob(id);
  }

  async getJob(id: string): Promise<JobRecord | null> {
    const row = await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toJob(row) : null;
  }

  async succeed(id: string, attempt: number, finishedHash: string, now: string): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ status: 'succeeded', attempt, locked_by: null, locked_until: null, waiting_on: null, next_run_at: null, last_error_code: null, last_error_message: null, updated_at: now })
      .where('id', '=', id)
      .where('payload_hash', '=', finishedHash)
      .execute();
    // newer content arrived while the job ran: run it again with that content, as a fresh change
    await this.db
      .updateTable('jobs')
      .set({ status: 'queued', attempt: 0, locked_by: null, locked_until: null, next_run_at: now, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
  }

  async retryLater(id: string, attempt: number, nextRunAt: string, errorCode: string, errorMessage: string, now: string): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ status: 'queued', attempt, next_run_at: nextRunAt, locked_by: null, locked_until: null, last_error_code: errorCode, last_error_message: errorMessage, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async fail(id: string, attempt: number, errorCode: string, errorMessage: string, now: string): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ status: 'failed', attempt, next_run_at: null, locked_by: null, locked_until: null, last_error_code: errorCode, last_error_message: errorMessage, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async wait(id: string, attempt: number, waitingOn: string, message: string, now: string): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ status: 'waiting', attempt, waiting_on: waitingOn, next_run_at: null, locked_by: null, locked_until: null, last_error_code: 'BRIDGE_ERR_WAITING_FOR_LINK', last_error_message: message, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async wake(connectionId: string, waitingOn: string[], now: string): Promise<number> {
    if (waitingOn.length === 0) return 0;
    const result = await this.db
      .updateTable('jobs')
      .set({ status: 'queued', waiting_on: null, next_run_at: now, updated_at: now })
      .where('connection_id', '=', connectionId)
      .where('status', '=', 'waiting')
      .where('waiting_on', 'in', waitingOn)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async release(workerId: string | null, now: string, lockedBefore: string = now): Promise<number> {
    let query = this.db.updateTable('jobs').set({ status: 'queued', locked_by: null, locked_until: null, next_run_at: now, updated_at: now }).where('status', '=', 'running');
    query = workerId === null ? query.where('locked_until', '<', lockedBefore) : query.where('locked_by', '=', workerId);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async pendingCount(connectionId: string, stream?: string): Promise<number> {
    let query = this.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('connection_id', '=', connectionId)
      .where('status', 'in', ['queued', 'running']);
    if (stream) query = query.where('stream', '=', stream);
    const row = await query.executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async countByStatus(connectionId: string): Promise<Record<JobState, number>> {
    const rows = await this.db
      .selectFrom('jobs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('connection_id', '=', connectionId)
      .groupBy('status')
      .execute();
    const out: Record<JobState, number> = { queued: 0, running: 0, succeeded: 0, failed: 0, waiting: 0 };
    for (const row of rows) out[row.status] = Number(row.n);
    return out;
  }

  async getLink(connectionId: string, object: string, qadKey: string): Promise<LinkRecord | null> {
    const row = await this.db
      .selectFrom('record_links')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('object', '=', object)
      .where('qad_key', '=', qadKey)
      .executeTakeFirst();
    return row ? toLink(row) : null;
  }

  async findLinksBySalesforceId(connectionId: string, salesforceId: string): Promise<LinkRecord[]> {
    const rows = await this.db.selectFrom('record_links').selectAll().where('connection_id', '=', connectionId).where('salesforce_id', '=', salesforceId).execute();
    return rows.map(toLink);
  }

  async saveLink(link: LinkRecord): Promise<void> {
    await this.db
      .insertInto('record_links')
      .values({
        connection_id: link.connectionId,
        object: link.object,
        qad_key: link.qadKey,
        salesforce_id: link.salesforceId,
        last_hash: link.lastHash,
        last_synced_at: link.lastSyncedAt,
      })
      .onConflict((oc) =>
        oc.columns(['connection_id', 'object', 'qad_key']).doUpdateSet({ salesforce_id: link.salesforceId, last_hash: link.lastHash, last_synced_at: link.lastSyncedAt }),
      )
      .execute();
  }

  async getRecordHash(connectionId: string, object: string, key: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('record_hashes')
      .select('hash')
      .where('connection_id', '=', connectionId)
      .where('object', '=', object)
      .where('key', '=', key)
      .executeTakeFirst();
    return row?.hash ?? null;
  }

  async saveRecordHash(connectionId: string, object: string, key: string, hash: string): Promise<void> {
    await this.db
      .insertInto('record_hashes')
      .values({ connection_id: connectionId, object, key, hash })
      .onConflict((oc) => oc.columns(['connection_id', 'object', 'key']).doUpdateSet({ hash }))
      .execute();
  }

  async getCheckpoint(connectionId: string, stream: string): Promise<string | null> {
    const row = await this.db.selectFrom('checkpoints').select('value').where('connection_id', '=', connectionId).where('stream', '=', stream).executeTakeFirst();
    return row?.value ?? null;
  }

  async saveCheckpoint(connectionId: string, stream: string, value: string, now: string): Promise<void> {
    await this.db
      .insertInto('checkpoints')
      .values({ connection_id: connectionId, stream, value, updated_at: now })
      .onConflict((oc) => oc.columns(['connection_id', 'stream']).doUpdateSet({ value, updated_at: now }))
      .execute();
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    await this.db
      .insertInto('audit_events')
      .values({
        event_id: entry.eventId,
        connection_id: entry.connectionId,
        direction: entry.direction,
        object: entry.object,
        operation: entry.operation,
        status: entry.status,
        source_id: entry.sourceId,
        target_id: entry.targetId,
        salesforce_record_id: entry.salesforceRecordId,
        correlation_id: entry.correlationId,
        attempt: entry.attempt,
        error_code: entry.errorCode,
        error_message: entry.errorMessage,
        payload: entry.payload,
        payload_hash: entry.payloadHash,
        occurred_at: entry.occurredAt,
        replay_of: entry.replayOf,
        requested_by: entry.requestedBy,
        requested_at: entry.requestedAt,
        mirrored_at: null,
      })
      .execute();
  }

  async getAudit(eventId: string): Promise<StoredAuditEntry | null> {
    const row = await this.db.selectFrom('audit_events').selectAll().where('event_id', '=', eventId).executeTakeFirst();
    return row ? toAudit(row) : null;
  }

  async setAuditStatus(eventId: string, status: AuditEntry['status'], _now: string): Promise<void> {
    // clearing mirrored_at sends the new status to Sync_Audit__c with the next mirror batch
    await this.db.updateTable('audit_events').set({ status, mirrored_at: null }).where('event_id', '=', eventId).execute();
  }

  async setAuditRequest(eventId: string, requestedBy: string, requestedAt: string): Promise<void> {
    await this.db.updateTable('audit_events').set({ requested_by: requestedBy, requested_at: requestedAt }).where('event_id', '=', eventId).execute();
  }

  async unmirroredAudit(connectionId: string, limit: number): Promise<StoredAuditEntry[]> {
    const rows = await this.db
      .selectFrom('audit_events')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('mirrored_at', 'is', null)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toAudit);
  }

  async markMirrored(eventIds: string[], now: string): Promise<void> {
    if (eventIds.length === 0) return;
    await this.db.updateTable('audit_events').set({ mirrored_at: now }).where('event_id', 'in', eventIds).execute();
  }

  async acquireLease(name: string, holder: string, now: string, expiresAt: string): Promise<boolean> {
    // insert, or take over when the lease is ours or has expired; one statement so two instances
    // racing for the same lease cannot both win
    await this.db
      .insertInto('leases')
      .values({ name, holder, expires_at: expiresAt })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({ holder, expires_at: expiresAt })
          .where((eb) => eb.or([eb('leases.holder', '=', holder), eb('leases.expires_at', '<', now)])),
      )
      .execute();
    const row = await this.db.selectFrom('leases').select('holder').where('name', '=', name).executeTakeFirst();
    return row?.holder === holder;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
  }
}
