import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { QadClient } from '../../../src/clients/qad/client.js';
import { loadQadProfile, withOverrides } from '../../../src/clients/qad/profile.js';
import type { SalesOrderInput } from '../../../src/clients/qad/types.js';
import type { SimulatedQadTenant } from '../../../sandbox/qad/index.js';
import { clientFor, startTenantFor } from './helpers.js';

/**
 * Issue 10: every in-flight order write holds one of the tenant's request slots for its whole
 * multi-step write, so a token renewal that also waited for a slot never got one. These run more
 * orders than there are slots while the token dies, and must finish every order.
 */
const SLOTS = 2;
const ORDERS = 5;
/** a deadlock never resolves; this only turns it into a failure instead of a hung test run */
const DEADLINE_MS = 30_000;

function order(n: number): SalesOrderInput {
  return {
    // 15 characters: an 18-character id is the same order as its first 15 (Salesforce id forms)
    salesforceOrderId: `801RENEW${String(n).padStart(7, '0')}`,
    customerCode: '10C1001',
    orderDate: '2026-04-01',
    dueDate: '2026-04-15',
    currency: 'USD',
    lines: [
      { line: 1, itemCode: '10-1000', quantity: 5, unitPrice: 0.39 },
      { line: 2, itemCode: '10-1001', quantity: 7 },
    ],
  };
}

async function withinDeadline<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${DEADLINE_MS} ms (deadlock?)`)), DEADLINE_MS);
  });
  try {
    return await Promise.race([work, stuck]);
  } finally {
    clearTimeout(timer);
  }
}

describe(`QAD token renewal with more order writes in flight than request slots (${SLOTS})`, () => {
  let tenant: SimulatedQadTenant;
  let client: QadClient;

  beforeAll(async () => {
    tenant = await startTenantFor('adaptive-rest');
    const profile = withOverrides(await loadQadProfile('adaptive-rest'), (p) => {
      p.limits.concurrency = SLOTS;
    });
    client = await clientFor(tenant, profile);
    await client.connect();
  });
  afterAll(async () => {
    await client.close();
    await tenant.close();
  });
  afterEach(() => tenant.control.clearFaults());

  it('completes every order when the tenant revokes the token while they run', async () => {
    // latency keeps every write inside its slot long enough for all of them to meet the dead token
    tenant.control.setLatency(15);
    tenant.control.expireTokens();
    tenant.control.resetCounters();
    const outcomes = await withinDeadline(Promise.all(Array.from({ length: ORDERS }, (_, i) => client.createSalesOrder(order(i)))), 'order writes after a revoked token');
    expect(new Set(outcomes.map((o) => o.orderNumber)).size).toBe(ORDERS);
    for (const outcome of outcomes) {
      const inTenant = tenant.control.orders('10USA').filter((o) => o.orderNumber === outcome.orderNumber);
      expect(inTenant).toHaveLength(1);
      expect(inTenant[0]!.lines.map((l) => l.line)).toEqual([1, 2]);
    }
    const counters = tenant.control.counters();
    expect(counters.unauthorized).toBeGreaterThanOrEqual(1);
    // the concurrent callers that met the same dead token shared one renewal
    expect(counters.token).toBe(1);
  });

  it('completes every order when the token runs out by the session clock while they run', async () => {
    tenant.control.setLatency(15);
    tenant.control.resetCounters();
    // past the idle timeout: the client renews before its next call, inside the order writes
    tenant.clock.advance(25 * 60_000);
    const outcomes = await withinDeadline(Promise.all(Array.from({ length: ORDERS }, (_, i) => client.createSalesOrder(order(100 + i)))), 'order writes after the session lapsed');
    expect(outcomes.map((o) => o.linesCreated)).toEqual(Array.from({ length: ORDERS }, () => [1, 2]));
    expect(tenant.control.counters().token).toBe(1);
  });
});
