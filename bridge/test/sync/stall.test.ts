import { afterAll, describe, expect, it } from 'vitest';
import { removeWorldDirs, startBridge, startWorld, waitUntil } from '../e2e/harness.js';

/**
 * Liveness that a process probe cannot see: orders are due but every QAD call hangs, so nothing
 * moves. The runtime says it is stalled (not ready, with the streams and how long) and says so in
 * Sync_Bridge_Status__c; once QAD answers again it makes progress and is ready again.
 */
const dirs: string[] = [];

describe('stall detection', () => {
  afterAll(async () => removeWorldDirs(dirs));

  it('reports due work without progress as stalled, in the runtime and the status row, and recovers', async () => {
    const world = await startWorld({ customers: 6, suppliers: 2, suppliersAlsoCustomers: 1, items: 3, contacts: 1, orders: 0, linesPerOrder: 1, accountEdits: 0 });
    dirs.push(world.dir);
    const { bridge, runtime } = await startBridge(world, { stallAfterMs: 1_500 });
    try {
      await runtime.runOnce();
      const control = world.sandbox.org.control;
      const pricebook = world.sandbox.org.standardPricebookId;
      const accounts = control.query<{ Id: string }>('SELECT Id FROM Account WHERE QAD_Is_Customer__c = true ORDER BY QAD_Id__c');
      const entry = control.query<{ Id: string; UnitPrice: number }>(`SELECT Id, UnitPrice FROM PricebookEntry WHERE Pricebook2Id = '${pricebook}' ORDER BY Id LIMIT 1`)[0]!;
      const orderIds = control.insert('Order', accounts.map((a) => ({ AccountId: a.Id, EffectiveDate: '2026-03-01', Status: 'Draft', Pricebook2Id: pricebook })));
      control.insert('OrderItem', orderIds.map((OrderId) => ({ OrderId, PricebookEntryId: entry.Id, Quantity: 1, UnitPrice: entry.UnitPrice })));

      await bridge.engine.start();
      await waitUntil('change events live', () => runtime.cdcLive());
      // every QAD call now takes 8 s: the order lanes fill and the other orders wait, due
      world.sandbox.qad.control.setLatency(8_000);
      control.update('Order', orderIds.map((Id) => ({ Id, Status: 'Activated' })));
      const reason = await waitUntil('the runtime to call itself stalled', () => runtime.stalled, 30_000);
      expect(reason).toMatch(/^stalled: due jobs in sf-orders and no progress for \d+ s$/);
      expect(runtime.ready).toBe(false);
      expect(bridge.engine.isReady()).toBe(false);
      expect((await runtime.status()).stalled).toBe(reason);
      await waitUntil(
        'the status row to say so',
        () => control.query<{ Status__c: string; Last_Error__c: string | null }>("SELECT Status__c, Last_Error__c FROM Sync_Bridge_Status__c WHERE Connection_Id__c = 'sandbox'").find((r) => r.Status__c === 'Degraded' && r.Last_Error__c?.startsWith('stalled:')),
        30_000,
      );

      world.sandbox.qad.control.setLatency(0);
      await waitUntil('progress again', () => runtime.stalled === null, 60_000);
      await waitUntil('every order numbered', () => control.query<{ QAD_Sales_Order_Number__c: string | null }>('SELECT QAD_Sales_Order_Number__c FROM Order').every((o) => o.QAD_Sales_Order_Number__c), 60_000);
      expect(runtime.ready).toBe(true);
    } finally {
      await bridge.close();
      await world.close();
    }
  }, 180_000);
});
