import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QadClient } from '../../../src/clients/qad/client.js';
import { QadError, QadValidationError } from '../../../src/clients/qad/errors.js';
import { loadQadProfile, withOverrides } from '../../../src/clients/qad/profile.js';
import type { SimulatedQadTenant } from '../../../sandbox/qad/index.js';
import { clientFor, collect, FLAVOURS, startTenantFor, type ProfileName } from './helpers.js';

describe.each(FLAVOURS)('QAD client contract against the simulated tenant (%s)', (profileName: ProfileName) => {
  let tenant: SimulatedQadTenant;
  let client: QadClient;

  beforeAll(async () => {
    tenant = await startTenantFor(profileName);
    client = await clientFor(tenant, profileName);
    await client.connect();
  });
  afterAll(async () => {
    await client.close();
    await tenant.close();
  });

  it('reads customers of the workspace shared set as canonical records keyed <sharedSet>|<code>', async () => {
    const customers = await collect(client.read('customer'));
    expect(customers.map((c) => c.key).sort()).toEqual(['US-SET|10C1000', 'US-SET|10C1001', 'US-SET|10C1002', 'US-SET|10C1003', 'US-SET|10S2000']);
    const acme = customers.find((c) => c.key === 'US-SET|10C1000')!;
    expect(acme).toMatchObject({ object: 'customer', fields: { code: '10C1000', sharedSet: 'US-SET', name: 'Acme Industrial Supply', city: 'Chicago', country: 'US', currency: 'USD', creditTerms: '30D', active: true } });
    expect(acme.modifiedAt).toEqual(expect.any(String));
    expect(customers.find((c) => c.key === 'US-SET|10C1003')!.fields.active).toBe(false);
  });

  it('reads suppliers, including one sharing its code with a customer', async () => {
    const suppliers = await collect(client.read('supplier'));
    expect(suppliers.map((s) => s.key).sort()).toEqual(['US-SET|10S2000', 'US-SET|10S2001', 'US-SET|10S2002']);
    expect(suppliers.find((s) => s.key === 'US-SET|10S2000')!.fields).toMatchObject({ code: '10S2000', name: 'Delta Components', creditTerms: '45D' });
  });

  it('reads items of the workspace domain keyed by item code, with numeric prices', async () => {
    const items = await collect(client.read('item'));
    expect(items.map((i) => i.key).sort()).toEqual(['10-1000', '10-1001', '10-2000', '10-3000', '10-9000']);
    expect(items.find((i) => i.key === '10-2000')!.fields).toMatchObject({ itemCode: '10-2000', domain: '10USA', description: 'Bearing 6204-2RS', unitOfMeasure: 'EA', listPrice: 6.75, status: 'ACTIVE' });
  });

  it('reads contacts where the profile configures them, and says so where it does not', async () => {
    if (!client.supports('contact')) {
      expect(() => client.read('contact')).toThrow(expect.objectContaining({ code: 'QAD_ERR_OBJECT_NOT_CONFIGURED' }));
      return;
    }
    const contacts = await collect(client.read('contact'));
    expect(contacts.map((c) => c.key).sort()).toEqual(['CT-0001', 'CT-0002', 'CT-0003']);
    expect(contacts.find((c) => c.key === 'CT-0001')!.fields).toMatchObject({ contactId: 'CT-0001', customerCode: '10C1000', sharedSet: 'US-SET', firstName: 'Dana', lastName: 'Reyes', title: 'Purchasing Manager' });
  });

  it('reads one record by key and answers null for a missing one', async () => {
    expect((await client.getRecord('customer', 'US-SET|10C1002'))?.fields.name).toBe('Cedar Medical Devices');
    expect(await client.getRecord('customer', 'US-SET|NOPE')).toBeNull();
  });

  it('updates a customer and a supplier by canonical fields, and the tenant holds the change', async () => {
    const updated = await client.updateCustomer('US-SET|10C1001', { city: 'Salem', phone: '+1 503 555 0000' });
    expect(updated.fields).toMatchObject({ city: 'Salem', phone: '+1 503 555 0000', name: 'Blue River Foods' });
    expect(tenant.state.customers.get('US-SET|10C1001')).toMatchObject({ city: 'Salem', phone: '+1 503 555 0000' });
    await client.updateSupplier('US-SET|10S2001', { name: 'Granite Steel Works Inc' });
    expect(tenant.state.suppliers.get('US-SET|10S2001')?.name).toBe('Granite Steel Works Inc');
  });

  it('turns QAD field errors into a validation error naming the canonical field, and changes nothing', async () => {
    const error = await client.updateCustomer('US-SET|10C1000', { name: 'N'.repeat(40) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QadValidationError);
    expect((error as QadValidationError).code).toBe('QAD_ERR_VALIDATION');
    expect((error as QadValidationError).fieldErrors[0]).toMatchObject({ canonicalField: 'name' });
    expect((error as Error).message).toMatch(/name \(QAD field \w+\): .*36/);
    expect(tenant.state.customers.get('US-SET|10C1000')?.name).toBe('Acme Industrial Supply');
    const input = await client.updateCustomer('US-SET|10C1000', { creditLimit: '5' } as Record<string, unknown>).catch((e: unknown) => e);
    expect(input).toMatchObject({ code: 'QAD_ERR_VALIDATION', fieldErrors: [expect.objectContaining({ canonicalField: 'creditLimit' })] });
    expect(await client.updateCustomer('US-SET|NOPE', { city: 'X' }).catch((e: QadError) => e.code)).toMatch(/QAD_ERR_(NOT_FOUND|VALIDATION)/);
  });

  it('creates a sales order with a derived number, reads it back, and a second run adds nothing', async () => {
    const input = {
      salesforceOrderId: `801xx000003DIloAAG-${profileName}`,
      customerCode: '10C1000',
      poNumber: 'PO-7781',
      orderDate: '2026-03-02',
      dueDate: '2026-03-16',
      currency: 'USD',
      lines: [
        { line: 1, itemCode: '10-1000', quantity: 500, unitPrice: 0.4 },
        { line: 2, itemCode: '10-2000', quantity: 12 },
        { line: 3, itemCode: '10-3000', quantity: 1, unitPrice: 375, dueDate: '2026-03-30' },
      ],
    };
    const first = await client.createSalesOrder(input);
    expect(first.orderNumber).toMatch(/^SF[0-9A-Z]{6}$/);
    expect(first.orderNumber).toBe(client.orderNumberFor(input.salesforceOrderId));
    expect(first).toMatchObject({ headerCreated: true, linesCreated: [1, 2, 3] });
    expect(first.record.fields).toMatchObject({ orderNumber: first.orderNumber, customerCode: '10C1000', poNumber: 'PO-7781', orderDate: '2026-03-02', dueDate: '2026-03-16' });
    const lines = first.record.fields.lines as Array<Record<string, unknown>>;
    expect(lines.map((l) => [l.line, l.itemCode, l.quantity])).toEqual([[1, '10-1000', 500], [2, '10-2000', 12], [3, '10-3000', 1]]);
    expect(lines[1]!.unitPrice).toBe(6.75);
    expect(lines[2]!.dueDate).toBe('2026-03-30');
    const second = await client.createSalesOrder(input);
    expect(second).toMatchObject({ orderNumber: first.orderNumber, headerCreated: false, linesCreated: [] });
    expect(tenant.control.orders('10USA').filter((o) => o.orderNumber === first.orderNumber)).toHaveLength(1);
    expect((await client.getSalesOrder(first.orderNumber))?.fields.customerCode).toBe('10C1000');
    expect(await client.getSalesOrder('NOPE0001')).toBeNull();
  });

  it('refuses an order line QAD rejects with the canonical field named, and bad input before any call', async () => {
    const error = await client
      .createSalesOrder({ salesforceOrderId: `801bad-${profileName}`, customerCode: '10C1000', orderDate: '2026-03-02', dueDate: '2026-03-16', currency: 'USD', lines: [{ line: 1, itemCode: 'NO-SUCH', quantity: 1 }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QadValidationError);
    expect((error as QadValidationError).fieldErrors.some((f) => f.canonicalField === 'itemCode')).toBe(true);
    const before = tenant.control.counters().total ?? 0;
    const bad = await client.createSalesOrder({ salesforceOrderId: 'x', customerCode: '', orderDate: '02/03/2026', dueDate: '2026-03-16', currency: 'USD', lines: [{ line: 1, itemCode: 'A', quantity: 0 }] }).catch((e: unknown) => e);
    expect((bad as QadValidationError).fieldErrors.map((f) => f.canonicalField)).toEqual(['customerCode', 'orderDate', 'lines[0].quantity']);
    expect(tenant.control.counters().total ?? 0).toBe(before);
  });

  it('reports at connect time an entity path the tenant does not serve, by name', async () => {
    let broken: QadClient;
    if (profileName === 'qxtend-ee') {
      const profile = withOverrides(await loadQadProfile(profileName), (p) => {
        if (p.flavour === 'qxtend-soap') (p.objects.item.query as { profile: string }).profile = 'QryItemX';
      });
      broken = await clientFor(tenant, profile);
    } else {
      tenant.control.hidePath('api/erp/items');
      broken = await clientFor(tenant, profileName);
    }
    try {
      const error = await broken.connect().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'QAD_ERR_ENTITY_PATH_MISSING', missing: [expect.objectContaining({ object: 'item' })] });
      expect((error as Error).message).toMatch(profileName === 'qxtend-ee' ? /QryItemX/ : /api\/erp\/items/);
      expect((error as Error).message).toMatch(profileName === 'adaptive-rest' ? /api-description/ : /probe/);
    } finally {
      tenant.control.showPath('api/erp/items');
      await broken.close();
    }
  });
});
