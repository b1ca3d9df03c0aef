import { sql, type Kysely } from 'kysely';

/**
 * An audit row Salesforce keeps refusing no longer goes out on every mirror cycle forever: the row
 * counts its refused attempts and keeps the last refusal, and once the bound is reached it is
 * marked failed (a dead letter that stays in the local trail for inspection) and left out of the
 * mirror. The unmirrored index is rebuilt so the mirror's scan still reads only rows it will send.
 */
export const auditMirrorDeadLetter = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('audit_events').addColumn('mirror_attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('audit_events').addColumn('mirror_error', 'text').execute();
    await db.schema.alterTable('audit_events').addColumn('mirror_failed_at', 'text').execute();
    await db.schema.dropIndex('audit_events_unmirrored_ix').ifExists().execute();
    await db.schema
      .createIndex('audit_events_unmirrored_ix')
      .on('audit_events')
      .column('seq')
      .where((eb) => eb.and([eb(sql.ref('mirrored_at'), 'is', null), eb(sql.ref('mirror_failed_at'), 'is', null)]))
      .execute();
    await db.schema.createIndex('audit_events_mirror_failed_ix').on('audit_events').columns(['connection_id']).where(sql.ref('mirror_failed_at'), 'is not', null).execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex('audit_events_mirror_failed_ix').ifExists().execute();
    await db.schema.dropIndex('audit_events_unmirrored_ix').ifExists().execute();
    await db.schema.createIndex('audit_events_unmirrored_ix').on('audit_events').column('seq').where(sql.ref('mirrored_at'), 'is', null).execute();
    for (const column of ['mirror_failed_at', 'mirror_error', 'mirror_attempts']) await db.schema.alterTable('audit_events').dropColumn(column).execute();
  },
};
