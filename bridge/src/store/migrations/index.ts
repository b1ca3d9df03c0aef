import type { Migration, MigrationProvider } from 'kysely';
import type { StoreDialect } from '../schema.js';
import { initialMigration } from './0001_initial.js';
import { onePendingJobPerKey } from './0002_one_pending_job_per_key.js';
import { auditMirrorDeadLetter } from './0003_audit_mirror_dead_letter.js';
import { claimByIndexRange } from './0004_claim_by_index_range.js';

/**
 * Migrations are listed in code rather than read from a folder so they ship inside the bundle and
 * run the same from `tsx`, compiled output or a test. Names sort in the order they must run; a new
 * migration gets the next number and is never edited once released.
 */
export function migrationsFor(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001_initial': initialMigration(dialect),
    '0002_one_pending_job_per_key': onePendingJobPerKey,
    '0003_audit_mirror_dead_letter': auditMirrorDeadLetter,
    '0004_claim_by_index_range': claimByIndexRange,
  };
}

export class InCodeMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: StoreDialect) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    return migrationsFor(this.dialect);
  }
}
