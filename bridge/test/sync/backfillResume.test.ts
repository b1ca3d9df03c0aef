import { afterAll, describe, expect, it } from 'vitest';
import { backfillCheckpointName } from '../../src/sync/poller.js';
import { orgCount, removeWorldDirs, startBridge, startWorld, type World } from '../e2e/harness.js';

/**
 * A backfill makes each page durable (its jobs and its position, in one transaction) before it
 * reads the next, so one that stops half-way goes on after the last durable page instead of
 * reading QAD from the start; once its work is done its progress goes and the watermark moves to
 * where it began.
 */
const CUSTOMERS = 1_700; // four browse pages of 500
const dirs: string[] = [];

function browseCalls(world: World): number {
  return world.sandbox.qad.state.counterSnapshot().browse ?? 0;
}

describe('backfill resume', () => {
  afterAll(async () => removeWorldDirs(dirs));

  it('goes on after the last durable page, re-reading only that page, and ends with every Account once', async () => {
    const world = await startWorld({ customers: CUSTOMERS, suppliers: 2, suppliersAlsoCustomers: 1, items: 2, contacts: 1, orders: 0, linesPerOrder: 1, accountEdits: 0 });
    dirs.push(world.dir);
    const { bridge, runtime } = await startBridge(world, { paused: ['qad-suppliers', 'qad-items', 'qad-contacts', 'sf-accounts', 'sf-orders'] });
    try {
      // QAD goes down once two pages are durable
      let armed = false;
      const interrupted = runtime.pollNow({
        full: true,
        onProgress: (object, read) => {
          if (object === 'customer' && read >= 1_000 && !armed) {
            armed = true;
            world.sandbox.qad.control.failNext(1_000, 503);
          }
        },
      });
      await expect(interrupted).rejects.toThrow();
      const progress = JSON.parse((await bridge.store.checkpoints.get('sandbox', backfillCheckpointName('customer')))!) as { position: string; read: number; readComplete?: boolean };
      expect(progress).toMatchObject({ position: '2', read: 1_000 });
      expect(progress.readComplete).toBeUndefined();
      expect((await bridge.store.jobs.counts('sandbox', 'qad-customers')).queued).toBe(1_000);

      world.sandbox.qad.control.clearFaults();
      const before = browseCalls(world);
      const result = await runtime.runOnce({ full: true });
      // pages 2 (the overlap), 3 and 4: never page 1 again
      expect(browseCalls(world) - before).toBe(3);
      expect(result.pending).toBe(0);
      expect(orgCount(world, 'SELECT Id FROM Account')).toBe(CUSTOMERS);
      expect(await bridge.store.checkpoints.get('sandbox', backfillCheckpointName('customer'))).toBeNull();
      expect(await bridge.store.checkpoints.get('sandbox', 'qad-cursor:customer')).toMatch(/^\d{4}-\d\d-\d\dT/);

      // a finished backfill leaves nothing to resume: the next one reads from the first page
      const again = browseCalls(world);
      await runtime.runOnce({ full: true });
      expect(browseCalls(world) - again).toBe(4);
    } finally {
      await bridge.close();
      await world.close();
    }
  }, 120_000);

  it('a backfill stopped after it read everything finishes the work without reading QAD again', async () => {
    const world = await startWorld({ customers: 600, suppliers: 2, suppliersAlsoCustomers: 1, items: 2, contacts: 1, orders: 0, linesPerOrder: 1, accountEdits: 0 });
    dirs.push(world.dir);
    const { bridge, runtime } = await startBridge(world, { paused: ['qad-suppliers', 'qad-items', 'qad-contacts', 'sf-accounts', 'sf-orders'] });
    try {
      // read and queued, then the process "dies" before any job ran
      await runtime.pollNow({ full: true });
      expect((await bridge.store.jobs.counts('sandbox', 'qad-customers')).queued).toBe(600);
      expect(JSON.parse((await bridge.store.checkpoints.get('sandbox', backfillCheckpointName('customer')))!)).toMatchObject({ readComplete: true });
      const before = browseCalls(world);
      const result = await runtime.runOnce({ full: true });
      expect(browseCalls(world) - before).toBe(0);
      expect(result.processed).toBe(600);
      expect(orgCount(world, 'SELECT Id FROM Account')).toBe(600);
      expect(await bridge.store.checkpoints.get('sandbox', backfillCheckpointName('customer'))).toBeNull();
    } finally {
      await bridge.close();
      await world.close();
    }
  }, 120_000);
});
