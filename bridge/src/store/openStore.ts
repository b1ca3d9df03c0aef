import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, sql, SqliteDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import { StoreError } from '../errors.js';
import type { RandomSource, RetryPolicyOptions } from '../lib/retryPolicy.js';
import { silentLogger, type Logger } from '../logger.js';
import { InCodeMigrationProvider } from './migrations/index.js';
import { cachingDatabase } from './statementCache.js';
import { SchemaScopedPostgresDialect } from './scopedIntrospector.js';
import { auditRepository, type AuditRepository } from './repositories/audit.js';
import { checkpointsRepository, type CheckpointsRepository } from './repositories/checkpoints.js';
import { connectionsRepository, type ConnectionsRepository } from './repositories/connections.js';
import type { RepositoryContext } from './repositories/context.js';
import { credentialsRepository, type CredentialsRepository } from './repositories/credentials.js';
import { hashesRepository, type HashesRepository } from './repositories/hashes.js';
import { DEFAULT_JOB_RETRY, jobsRepository, type JobsRepository } from './repositories/jobQueue.js';
import { leasesRepository, type LeasesRepository } from './repositories/leases.js';
import { linksRepository, type LinksRepository } from './repositories/links.js';
import type { StoreDatabase, StoreDialect } from './schema.js';

export interface OpenStoreOptions {
  /** `postgres://` or `postgresql://` URL; when absent the store is SQLite */
  url?: string;
  /** SQLite file; parent folders are created. Default `./data/ml-connector.sqlite`. `:memory:` works for tests. */
  file?: string;
  /** PostgreSQL schema to work in (created if missing); isolates parallel test runs */
  schema?: string;
  logger?: Logger;
  /** epoch ms; injectable for backoff and lease tests */
  clock?: () => number;
  random?: RandomSource;
  jobRetry?: Partial<RetryPolicyOptions>;
  /** attempts per job before it is Failed; default jobRetry.maxRetries + 1 */
  maxAttempts?: number;
  /** PostgreSQL pool size; default 10 */
  poolSize?: number;
  /** told every statement the store runs (its SQL and parameters), e.g. to check query plans */
  traceQueries?: (statement: { sql: string; parameters: readonly unknown[] }) => void;
}

export interface Store {
  readonly dialect: StoreDialect;
  readonly db: Kysely<StoreDatabase>;
  /** where the data lives, with any password removed (safe to log) */
  readonly location: string;
  migrateToLatest(): Promise<string[]>;
  /** a cheap round trip, for readiness checks */
  ping(): Promise<void>;
  destroy(): Promise<void>;
  connections: ConnectionsRepository;
  credentials: CredentialsRepository;
  checkpoints: CheckpointsRepository;
  links: LinksRepository;
  hashes: HashesRepository;
  jobs: JobsRepository;
  audit: AuditRepository;
  leases: LeasesRepository;
  /**
   * Runs `work` with repositories bound to one transaction: what one settled batch produces (audit
   * rows, links, hashes, job states) becomes durable in one commit or not at all.
   */
  transaction<T>(work: (repositories: SyncRepositories) => Promise<T>): Promise<T>;
}

/** what the sync engine works with: the repositories of its durable state, never the database itself */
export type SyncRepositories = Pick<Store, 'jobs' | 'links' | 'hashes' | 'checkpoints' | 'audit' | 'leases' | 'transaction'>;

export const DEFAULT_SQLITE_FILE = path.join('data', 'ml-connector.sqlite');

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

function traceOption(options: OpenStoreOptions): { log?: (event: LogEvent) => void } {
  const trace = options.traceQueries;
  return trace ? { log: (event) => trace({ sql: event.query.sql, parameters: event.query.parameters }) } : {};
}

/** Removes the password from a database URL so it can be logged or shown. */
export function describeLocation(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}

/**
 * Opens the store: PostgreSQL when a postgres URL is given, otherwise one SQLite file (created,
 * with its folders, on first start). Call `migrateToLatest()` before use.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const logger = (options.logger ?? silentLogger).child({ component: 'store' });
  const clock = options.clock ?? Date.now;
  let db: Kysely<StoreDatabase>;
  let dialect: StoreDialect;
  let location: string;

  if (options.url !== undefined && !isPostgresUrl(options.url)) {
    throw new StoreError('BRIDGE_ERR_STORE_URL', 'the database URL must start with postgres:// or postgresql:// (unset DATABASE_URL to use SQLite)', {
      retryable: false,
      statusCode: 500,
    });
  }

  if (isPostgresUrl(options.url)) {
    dialect = 'postgres';
    location = describeLocation(options.url);
    if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
      throw new StoreError('BRIDGE_ERR_STORE_SCHEMA', `schema name ${JSON.stringify(options.schema)} must match ${SCHEMA_NAME}`, { retryable: false });
    }
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // An idle client losing its server must not crash the process; the next query reconnects.
    pool.on('error', (error) => logger.warn({ err: { message: error.message } }, 'idle PostgreSQL client failed'));
    db = new Kysely<StoreDatabase>({ dialect: new SchemaScopedPostgresDialect({ pool }, options.schema ?? null), ...traceOption(options) });
    if (options.schema) await sql`create schema if not exists ${sql.id(options.schema)}`.execute(db);
  } else {
    dialect = 'sqlite';
    const file = options.file ?? DEFAULT_SQLITE_FILE;
    location = file;
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const database = new Database(file, { timeout: 5_000 });
    // WAL lets readers (the HTTP audit search) run while the engine writes.
    if (file !== ':memory:') database.pragma('journal_mode = WAL');
    database.pragma('foreign_keys = ON');
    database.pragma('synchronous = NORMAL');
    db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database: cachingDatabase(database) }), ...traceOption(options) });
  }

  const retry: RetryPolicyOptions = { ...DEFAULT_JOB_RETRY, ...options.jobRetry };
  const ctx: RepositoryContext = { db, dialect, now: clock };
  const syncRepositories = (on: RepositoryContext): SyncRepositories => ({
    checkpoints: checkpointsRepository(on),
    links: linksRepository(on),
    hashes: hashesRepository(on),
    jobs: jobsRepository(on, {
      retry,
      defaultMaxAttempts: options.maxAttempts ?? retry.maxRetries + 1,
      ...(options.random ? { random: options.random } : {}),
    }),
    audit: auditRepository(on),
    leases: leasesRepository(on),
    transaction: (work) => (on.db.isTransaction ? work(syncRepositories(on)) : on.db.transaction().execute((trx) => work(syncRepositories({ ...on, db: trx })))),
  });
  let destroyed = false;

  return {
    dialect,
    db,
    location,
    async migrateToLatest() {
      const migrator = new Migrator({
        db,
        provider: new InCodeMigrationProvider(dialect),
        ...(options.schema ? { migrationTableSchema: options.schema } : {}),
      });
      const { error, results } = await migrator.migrateToLatest();
      const applied = (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
      if (error) {
        const failed = (results ?? []).find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
        throw new StoreError('BRIDGE_ERR_STORE_MIGRATION', `migration ${failed} failed on ${dialect}`, { cause: error, retryable: false });
      }
      if (applied.length > 0) logger.info({ applied, dialect, location }, 'store migrated');
      return applied;
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await db.destroy();
    },
    connections: connectionsRepository(ctx),
    credentials: credentialsRepository(ctx),
    ...syncRepositories(ctx),
    transaction: (work) => db.transaction().execute((trx) => work(syncRepositories({ ...ctx, db: trx }))),
  };
}

/** The store the environment asks for: DATABASE_URL when it is a postgres URL, else the SQLite file. */
export function storeOptionsFromEnv(env: NodeJS.ProcessEnv = process.env, file?: string): Pick<OpenStoreOptions, 'url' | 'file'> {
  const url = env.DATABASE_URL?.trim();
  if (url) return { url };
  return file !== undefined ? { file } : {};
}
