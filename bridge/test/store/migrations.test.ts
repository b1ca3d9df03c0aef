import { existsSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { createTarget, storeTargetNames, type StoreTarget } from './storeTargets.js';

describe.each(storeTargetNames())('migrations on %s', (name) => {
  let target: StoreTarget;
  afterEach(async () => target.cleanup());

  it('migrates an empty database to the latest version, and a second run changes nothing', async () => {
    target = createTarget(name);
    const store = await target.open();
    expect(await store.migrateToLatest()).toEqual(['0001_initial', '0002_one_pending_job_per_key', '0003_audit_mirror_dead_letter', '0004_claim_by_index_range']);
    expect(await store.migrateToLatest()).toEqual([]);

    const tables = (await store.db.introspection.getTables()).map((table) => table.name);
    for (const table of ['connections', 'credentials', 'checkpoints', 'record_links', 'record_hashes', 'jobs', 'audit_events', 'leases']) {
      expect(tables).toContain(table);
    }
    await store.ping();
  });
});

describe('SQLite file', () => {
  it('is created with its parent folders on first start', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlc-file-'));
    const file = path.join(dir, 'a', 'b', 'store.sqlite');
    try {
      const store = await openStore({ file });
      await store.migrateToLatest();
      await store.connections.create({ id: 'c1', name: 'one', config: { x: 1 } });
      await store.destroy();
      expect(existsSync(file)).toBe(true);

      const again = await openStore({ file });
      expect(await again.migrateToLatest()).toEqual([]);
      expect((await again.connections.get('c1'))?.config).toEqual({ x: 1 });
      await again.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a database URL that is not PostgreSQL, naming the fix', async () => {
    await expect(openStore({ url: 'mysql://x' })).rejects.toMatchObject({ code: 'BRIDGE_ERR_STORE_URL' });
  });
});
