import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/index.js';

export interface TestStore {
  store: Store;
  dir: string;
  close(): Promise<void>;
}

/**
 * a fresh store: SQLite in a temp folder, or a fresh PostgreSQL schema when TEST_DATABASE_URL is
 * set; `clock` is the engine's clock, so jobs fall due when the test moves it
 */
export async function openTestStore(options: { clock?: () => number } = {}): Promise<TestStore> {
  const dir = await mkdtemp(join(tmpdir(), 'mlc-sync-'));
  const url = process.env.TEST_DATABASE_URL;
  const schema = `sync_${randomBytes(6).toString('hex')}`;
  const clock = options.clock ? { clock: options.clock } : {};
  const store = url ? await openStore({ url, schema, ...clock }) : await openStore({ file: join(dir, 'bridge.sqlite'), ...clock });
  await store.migrateToLatest();
  return {
    store,
    dir,
    async close() {
      // the PostgreSQL schema is left in place: dropping it while another test file migrates makes
      // Kysely's introspection (which lists every schema) fail there with "schema does not exist"
      await store.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
