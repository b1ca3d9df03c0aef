import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { StoreDialect } from '../schema.js';

/** An ever-increasing primary key: SQLite rowid alias or a PostgreSQL identity column. */
function withSequence<T extends string>(table: CreateTableBuilder<T, never>, column: string, dialect: StoreDialect) {
  return dialect === 'postgres'
    ? table.addColumn(column, 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    : table.addColumn(column, 'integer', (c) => c.primaryKey().autoIncrement());
}

/**
 * First schema. Written with Kysely's schema builder so both dialects share one definition; the
 * only dialect split is the audit sequence column (SQLite rowid alias vs. PostgreSQL identity).
 */
export function initialMigration(dialect: StoreDialect) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('connections')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('credentials')
        .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('iv', 'text', (c) => c.notNull())
        .addColumn('ciphertext', 'text', (c) => c.notNull())
        .addColumn('auth_tag', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('credentials_pk', ['connection_id', 'kind'])
        .execute();

      await db.schema
        .createTable('checkpoints')
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('stream', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('checkpoints_pk', ['connection_id', 'stream'])
        .execute();

      await db.schema
        .createTable('record_links')
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('object', 'text', (c) => c.notNull())
        .addColumn('qad_key', 'text', (c) => c.notNull())
        .addColumn('salesforce_id', 'text')
        .addColumn('last_hash', 'text')
        .addColumn('last_synced_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('record_links_pk', ['connection_id', 'object', 'qad_key'])
        .execute();
      await db.schema
        .createIndex('record_links_salesforce_id_uq')
        .on('record_links')
        .columns(['connection_id', 'object', 'salesforce_id'])
        .unique()
        .execute();

      await db.schema
        .createTable('record_hashes')
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('object', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('record_hashes_pk', ['connection_id', 'object', 'key'])
        .execute();

      // Jobs get a database sequence as id: it is also the tie-breaker that keeps changes to one
      // record in arrival order when two arrive within the same millisecond.
      await withSequence(db.schema.createTable('jobs'), 'id', dialect)
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('stream', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('payload_hash', 'text', (c) => c.notNull())
        .addColumn('correlation_id', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('waiting_on', 'text')
        .addColumn('next_run_at', 'text')
        .addColumn('locked_by', 'text')
        .addColumn('locked_until', 'text')
        .addColumn('last_error_code', 'text')
        .addColumn('last_error_message', 'text')
        .addColumn('replay_of', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addCheckConstraint('jobs_status_ck', sql`status in ('queued', 'running', 'succeeded', 'failed', 'waiting')`)
        .execute();
      // The same change must not be queued twice while an earlier copy is still pending; once it
      // has finished, the same payload may legitimately come again (a replay, a re-sync).
      await db.schema
        .createIndex('jobs_pending_dedup_uq')
        .on('jobs')
        .columns(['connection_id', 'stream', 'key', 'payload_hash'])
        .unique()
        .where(sql.ref('status'), 'in', ['queued', 'running', 'waiting'])
        .execute();
      await db.schema.createIndex('jobs_claim_ix').on('jobs').columns(['status', 'next_run_at']).execute();
      await db.schema.createIndex('jobs_waiting_ix').on('jobs').columns(['connection_id', 'waiting_on']).execute();

      await withSequence(db.schema.createTable('audit_events'), 'seq', dialect)
        .addColumn('event_id', 'text', (c) => c.notNull().unique())
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('object', 'text', (c) => c.notNull())
        .addColumn('operation', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('source_id', 'text')
        .addColumn('target_id', 'text')
        .addColumn('salesforce_record_id', 'text')
        .addColumn('correlation_id', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('payload', 'text')
        .addColumn('payload_hash', 'text')
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('replay_of', 'text')
        .addColumn('requested_by', 'text')
        .addColumn('requested_at', 'text')
        .addColumn('mirrored_at', 'text')
        .execute();
      await db.schema.createIndex('audit_events_occurred_ix').on('audit_events').columns(['occurred_at']).execute();
      await db.schema.createIndex('audit_events_correlation_ix').on('audit_events').columns(['correlation_id']).execute();
      await db.schema
        .createIndex('audit_events_unmirrored_ix')
        .on('audit_events')
        .column('seq')
        .where(sql.ref('mirrored_at'), 'is', null)
        .execute();

      await db.schema
        .createTable('leases')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
    },

    async down(db: Kysely<any>): Promise<void> {
      for (const table of ['leases', 'audit_events', 'jobs', 'record_hashes', 'record_links', 'checkpoints', 'credentials', 'connections']) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
