import { afterAll, describe, expect, it } from 'vitest';
import { orgCount, removeWorldDirs, startBridge, startWorld } from '../e2e/harness.js';

/**
 * A QAD row the client refuses (here: a modified date that is not a date, and a code with the key
 * separator in it) is audited as Failed with its code, locally and in Sync_Audit__c, without
 * stopping anything: the good rows of the same poll sync, and a change made afterwards is still
 * picked up by the next watermark poll.
 */
const dirs: string[] = [];

describe('refused QAD rows', () => {
  afterAll(async () => removeWorldDirs(dirs));

  it('are audited as Failed with a code while the other rows, and later changes, still sync', async () => {
    const world = await startWorld({ customers: 40, suppliers: 2, suppliersAlsoCustomers: 1, items: 2, contacts: 1, orders: 0, linesPerOrder: 1, accountEdits: 0 });
    dirs.push(world.dir);
    const { bridge, runtime } = await startBridge(world, { paused: ['qad-suppliers', 'qad-items', 'qad-contacts', 'sf-accounts', 'sf-orders'] });
    try {
      const customers = world.sandbox.qad.state.customers;
      const keys = customers.keys();
      const badDate = keys[3]!;
      (customers.get(badDate) as { modifiedAt: string }).modifiedAt = 'not-a-date';
      customers.touch();

      await runtime.runOnce();
      const failed = await bridge.store.db.selectFrom('audit_events').select(['source_id', 'status', 'error_code']).where('status', '=', 'Failed').execute();
      expect(failed).toEqual([{ source_id: badDate, status: 'Failed', error_code: 'QAD_ERR_BAD_MODIFIED_DATE' }]);
      expect(orgCount(world, "SELECT Id FROM Sync_Audit__c WHERE Status__c = 'Failed' AND Error_Code__c = 'QAD_ERR_BAD_MODIFIED_DATE'")).toBe(1);
      expect(orgCount(world, 'SELECT Id FROM Account')).toBe(keys.length - 1);
      expect(await bridge.store.checkpoints.get('sandbox', 'qad-cursor:customer')).toMatch(/^\d{4}-\d\d-\d\dT/);

      // a later change is still found by the watermark, and the refused row is not audited again
      const [edited] = world.sandbox.qad.control.editRecords('customers', 1, { keys: [keys[7]!] });
      await runtime.runOnce();
      const name = (customers.get(edited!) as { name: string }).name;
      expect(world.sandbox.org.control.query<{ Name: string }>(`SELECT Name FROM Account WHERE QAD_Id__c = '${edited}'`)[0]?.Name).toBe(name);
      expect(await bridge.store.db.selectFrom('audit_events').select('event_id').where('status', '=', 'Failed').execute()).toHaveLength(1);

      // corrected in QAD, the row syncs like any other
      (customers.get(badDate) as { modifiedAt: string }).modifiedAt = new Date(world.sandbox.qad.state.clock.now()).toISOString();
      customers.touch();
      await runtime.runOnce();
      expect(orgCount(world, 'SELECT Id FROM Account')).toBe(keys.length);
    } finally {
      await bridge.close();
      await world.close();
    }
  }, 120_000);
});
