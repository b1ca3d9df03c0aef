import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/index.js';
import { dropTestSchemas, testSchemaName } from '../store/storeTargets.js';

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
  const schema = testSchemaName('sync');
  const clock = options.clock ? { clock: options.clock } : {};
  const store = url ? await openStore({ url, schema, ...clock }) : await openStore({ file: join(dir, 'bridge.sqlite'), ...clock });
  await store.migrateToLatest();
  return {
    store,
    dir,
    async close() {
      await store.destroy();
      if (url) await dropTestSchemas(url, [schema]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
