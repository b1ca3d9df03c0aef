import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QadClient } from '../../../src/clients/qad/client.js';
import type { QadError } from '../../../src/clients/qad/errors.js';
import type { SalesOrderInput } from '../../../src/clients/qad/types.js';
import type { SimulatedQadTenant } from '../../../sandbox/qad/index.js';
import { clientFor, startTenantFor } from './helpers.js';

const EFFECTS = ['refused', 'answerLost'] as const;

const ORDER_KINDS: Record<'adaptive-rest' | 'qxtend-ee', string[]> = {
  'adaptive-rest': ['soHeaderRead', 'soHeaderWrite', 'soLineRead', 'soLineTemplate', 'soFieldChange', 'soLineCommit'],
  'qxtend-ee': ['qxtendQuery', 'qxtendMaintain'],
};

function order(id: string): SalesOrderInput {
  return {
    salesforceOrderId: id,
    customerCode: '10C1001',
    poNumber: `PO-${id.slice(-6)}`,
    orderDate: '2026-04-01',
    dueDate: '2026-04-15',
    currency: 'USD',
    lines: [
      { line: 1, itemCode: '10-1000', quantity: 250, unitPrice: 0.39 },
      { line: 2, itemCode: '10-1001', quantity: 250 },
      { line: 3, itemCode: '10-2000', quantity: 8, unitPrice: 6.5, dueDate: '2026-04-20' },
    ],
  };
}

async function waitUntilUp(tenant: SimulatedQadTenant): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if (await fetch(`${tenant.controlUrl}/counters`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('tenant did not come back');
}

describe.each(['adaptive-rest', 'qxtend-ee'] as const)('a 3-line sales order interrupted after each step and run again (%s)', (profile) => {
  let tenant: SimulatedQadTenant;
  let client: QadClient;
  let steps = 0;

  function stepCount(): number {
    const counters = tenant.control.counters();
    return ORDER_KINDS[profile].reduce((sum, kind) => sum + (counters[kind] ?? 0), 0);
  }

  function assertExactlyOnce(orderNumber: string): void {
    const found = tenant.control.orders('10USA').filter((o) => o.orderNumber === orderNumber);
    expect(found).toHaveLength(1);
    expect(found[0]!.lines.map((l) => [l.line, l.itemCode, l.quantity])).toEqual([[1, '10-1000', 250], [2, '10-1001', 250], [3, '10-2000', 8]]);
  }

  beforeAll(async () => {
    tenant = await startTenantFor(profile);
    client = await clientFor(tenant, profile);
    await client.connect();
    tenant.control.resetCounters();
    const clean = await client.createSalesOrder(order(`801CLEAN-${profile}`));
    steps = stepCount();
    assertExactlyOnce(clean.orderNumber);
  });
  afterAll(async () => {
    await client.close();
    await tenant.close();
  });

  it('takes several steps even when nothing fails', () => {
    expect(steps).toBeGreaterThanOrEqual(profile === 'adaptive-rest' ? 20 : 3);
  });

  // refused: the tenant turns the step away before doing it; answerLost: the step is committed and
  // its answer never arrives. A client cannot tell the two apart, so both must end the same way.
  it.each(EFFECTS)('ends with one header and 3 lines whichever step fails with a 503 (%s)', async (effect) => {
    const failedRuns: number[] = [];
    for (let step = 1; step <= steps; step += 1) {
      const input = order(`801S${effect === 'refused' ? 'R' : 'L'}${String(step).padStart(3, '0')}-${profile}`);
      tenant.control.failOrderAtStep(step, { mode: '5xx', effect });
      const first = await client.createSalesOrder(input).catch((e: QadError) => e);
      expect(tenant.control.faults().orderStepFault).toBeNull();
      if (first instanceof Error) {
        failedRuns.push(step);
        expect(first).toMatchObject({ retryable: true });
      }
      const second = await client.createSalesOrder(input);
      expect(second.orderNumber).toBe(client.orderNumberFor(input.salesforceOrderId));
      assertExactlyOnce(second.orderNumber);
      const third = await client.createSalesOrder(input);
      expect(third).toMatchObject({ headerCreated: false, linesCreated: [] });
    }
    // Reads and field changes are retried inside one run; the writes (header, each line commit, the
    // maintain QDoc) are not, so exactly those runs fail and are finished by the next run.
    expect(failedRuns).toEqual(profile === 'adaptive-rest' ? [2, 11, 17, 24] : [2]);
  });

  it.each(EFFECTS)('ends with one header and 3 lines when the tenant process crashes at a step (%s)', async (effect) => {
    for (const step of [2, Math.ceil(steps / 2), steps - 2]) {
      const input = order(`801C${effect === 'refused' ? 'R' : 'L'}${String(step).padStart(3, '0')}-${profile}`);
      tenant.control.failOrderAtStep(step, { mode: 'crash', effect, downForMs: 150 });
      const first = await client.createSalesOrder(input).catch((e: QadError) => e);
      if (first instanceof Error) expect(first).toMatchObject({ retryable: true });
      await waitUntilUp(tenant);
      const second = await client.createSalesOrder(input);
      assertExactlyOnce(second.orderNumber);
    }
  });

  it('a refused header write leaves nothing behind; a lost answer leaves the header for the next run to find', async () => {
    const headerStep = 2;
    const refusedInput = order(`801HR-${profile}`);
    tenant.control.failOrderAtStep(headerStep, { mode: '5xx', effect: 'refused' });
    await expect(client.createSalesOrder(refusedInput)).rejects.toMatchObject({ retryable: true });
    expect(tenant.control.orders('10USA').filter((o) => o.orderNumber === client.orderNumberFor(refusedInput.salesforceOrderId))).toHaveLength(0);

    const lostInput = order(`801HL-${profile}`);
    tenant.control.failOrderAfterStep(headerStep, '5xx');
    await expect(client.createSalesOrder(lostInput)).rejects.toMatchObject({ retryable: true });
    const left = tenant.control.orders('10USA').filter((o) => o.orderNumber === client.orderNumberFor(lostInput.salesforceOrderId));
    expect(left).toHaveLength(1);
    // REST commits the header alone; the QXtend maintain QDoc carries the lines in the same call
    expect(left[0]!.lines).toHaveLength(profile === 'adaptive-rest' ? 0 : 3);
    const resumed = await client.createSalesOrder(lostInput);
    expect(resumed).toMatchObject({ headerCreated: false });
    assertExactlyOnce(resumed.orderNumber);
  });
});
