import type { Kysely, Transaction } from 'kysely';
import type { StoreDatabase, StoreDialect } from '../schema.js';

/** What every repository needs: the database, which dialect it speaks, and the clock it reads. */
export interface RepositoryContext {
  db: Kysely<StoreDatabase>;
  dialect: StoreDialect;
  /** epoch milliseconds; injectable so tests can drive backoff and lease expiry */
  now: () => number;
}

export function isoAt(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** Splits large key lists so no statement exceeds either driver's bound-parameter limit. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}

/** PostgreSQL returns bigint counts as strings; SQLite returns numbers. */
export function toCount(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : Number(value ?? 0);
}

/** Unique-constraint violations look different in each driver; callers only need to know it was one. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Runs `work` in a transaction, or inside the caller's when `db` already is one: a repository
 * method that needs atomicity on its own still composes into a larger unit of work (settling a
 * batch writes audit rows, links, hashes and job states in one commit).
 */
export async function inTransaction<T>(db: Kysely<StoreDatabase>, work: (trx: Kysely<StoreDatabase> | Transaction<StoreDatabase>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute(work);
}
