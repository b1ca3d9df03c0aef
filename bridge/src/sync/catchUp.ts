import { contentHash } from './hash.js';
import type { SalesforcePort } from './ports.js';
import type { SyncRepositories } from '../store/index.js';

/**
 * The SOQL catch-up producer: orders activated while no subscription was listening (first start,
 * or events aged out of the retention window) are found by query and queued. The order stream
 * skips any that already carry their QAD number, so queuing one twice costs a read, not an order.
 */
export async function catchUpActivatedOrders(o: { salesforce: SalesforcePort; store: SyncRepositories; connectionId: string; maxAttempts: number }): Promise<number> {
  let count = 0;
  for await (const row of o.salesforce.query<{ Id: string }>("SELECT Id FROM Order WHERE Status = 'Activated' AND QAD_Sales_Order_Number__c = null")) {
    await o.store.jobs.enqueue({
      connectionId: o.connectionId,
      stream: 'sf-orders',
      key: row.Id,
      payload: { orderId: row.Id },
      payloadHash: contentHash({ orderId: row.Id }),
      correlationId: `catch-up:${row.Id}`,
      maxAttempts: o.maxAttempts,
    });
    count += 1;
  }
  return count;
}
