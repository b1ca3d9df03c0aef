import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach } from 'vitest';
import { openStore, type OpenStoreOptions, type Store } from '../../src/store/index.js';

/**
 * Every store test runs against SQLite (a temp file) and, when TEST_DATABASE_URL is set, against
 * PostgreSQL in a schema of its own, so parallel runs never see each other's rows.
 */
export interface StoreTarget {
  name: 'sqlite' | 'postgres';
  open(options?: Omit<OpenStoreOptions, 'url' | 'file' | 'schema'>): Promise<Store>;
  /** a second store on the same database (another "instance") */
  openSibling(options?: Omit<OpenStoreOptions, 'url' | 'file' | 'schema'>): Promise<Store>;
  cleanup(): Promise<void>;
}

export function storeTargetNames(): Array<'sqlite' | 'postgres'> {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** where a target's stores live, and how that place is removed after the run */
interface TargetLocation {
  options: Pick<OpenStoreOptions, 'file' | 'url' | 'schema' | 'poolSize'>;
  remove(): Promise<void>;
}

function sqliteLocation(): TargetLocation {
  const dir = mkdtempSync(path.join(tmpdir(), 'mlc-store-'));
  return {
    options: { file: path.join(dir, 'nested', 'bridge.sqlite') },
    remove: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresLocation(): TargetLocation {
  const url = process.env.TEST_DATABASE_URL as string;
  const schema = testSchemaName('t');
  return {
    options: { url, schema, poolSize: 4 },
    remove: () => dropTestSchemas(url, [schema]),
  };
}

export function createTarget(name: 'sqlite' | 'postgres'): StoreTarget {
  const opened: Store[] = [];
  const location = name === 'sqlite' ? sqliteLocation() : postgresLocation();
  const open = async (options = {}) => {
    const store = await openStore({ ...options, ...location.options });
    opened.push(store);
    return store;
  };
  return {
    name,
    open,
    openSibling: open,
    async cleanup() {
      for (const store of opened) await store.destroy();
      await location.remove();
    },
  };
}

/**
 * For every test of the surrounding describe: the clock back at its start, a fresh target and a
 * migrated store on it, handed to `use`; the target is cleaned up after the test.
 */
export function migratedStoreEachTest(
  name: 'sqlite' | 'postgres',
  clock: ManualClock,
  use: (store: Store) => void,
  options: Omit<OpenStoreOptions, 'url' | 'file' | 'schema' | 'clock'> = {},
): void {
  let target: StoreTarget;
  beforeEach(async () => {
    clock.reset();
    target = createTarget(name);
    const store = await target.open({ ...options, clock: clock.now });
    await store.migrateToLatest();
    use(store);
  });
  afterEach(async () => target.cleanup());
}

/**
 * A PostgreSQL schema of its own for one test store (`test_<prefix>_<random>`), so parallel files
 * never see each other's rows. Every test helper names its schemas here and drops them with
 * dropTestSchemas after the run; stores scope their introspection to their own schema, so a drop
 * never disturbs another file's migration.
 */
export function testSchemaName(prefix: string): string {
  return `test_${prefix}_${randomBytes(5).toString('hex')}`;
}

export async function dropTestSchemas(url: string, schemas: Iterable<string>): Promise<void> {
  const names = [...schemas];
  if (names.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const name of names) await client.query(`drop schema if exists ${client.escapeIdentifier(name)} cascade`);
  } finally {
    await client.end();
  }
}

export type ManualClock = ReturnType<typeof manualClock>;

/** A hand-driven clock: tests move time, nothing sleeps. */
export function manualClock(start = Date.parse('2026-01-05T10:00:00.000Z')) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    set(ms: number) {
      now = ms;
    },
    /** back to the start the clock was made with */
    reset() {
      now = start;
    },
  };
}
