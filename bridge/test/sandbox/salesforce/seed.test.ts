import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedOrg, type SimulatedOrg } from '../../../sandbox/salesforce/org.js';
import { SeedError, salesforcePart } from '../../../sandbox/seed/salesforce.js';

describe('org seed loader', () => {
  let org: SimulatedOrg;
  beforeAll(async () => {
    org = await startSimulatedOrg();
  });
  afterAll(async () => org.close());

  it('loads accounts, contacts, products, price books and activated orders by seed keys', () => {
    const result = org.seed({
      salesforce: {
        users: [{ key: 'ops', LastName: 'Ops', Username: 'ops@example.com', Email: 'ops@example.com' }],
        accounts: [{ key: 'acme', Name: 'Acme', QAD_Id__c: 'SS|C100', QAD_Is_Customer__c: true }],
        contacts: [{ account: 'acme', FirstName: 'Jo', LastName: 'Doe', QAD_Contact_Id__c: 'CT1' }],
        products: [{ key: 'w', Name: 'Widget', standardPrice: 12.5, IsActive: true }],
        pricebooks: [{ key: 'trade', Name: 'Trade', IsActive: true, entries: [{ product: 'w', UnitPrice: 11 }] }],
        orders: [{ key: 'o1', account: 'acme', pricebook: 'trade', EffectiveDate: '2026-01-15', Status: 'Activated', lines: [{ product: 'w', Quantity: 2, UnitPrice: 11 }] }],
        records: { Sync_Audit__c: [{ Bridge_Event_Id__c: 'e1', Status__c: 'Failed' }] },
      },
      qad: { belongs: 'to the tenant' },
    });
    expect(result.counts).toEqual({ User: 1, Account: 1, Contact: 1, Product2: 1, PricebookEntry: 2, Pricebook2: 1, Order: 1, OrderItem: 1, Sync_Audit__c: 1 });
    const order = org.control.get('Order', result.ids.Order?.o1 as string);
    expect(order).toMatchObject({ Status: 'Activated', TotalAmount: 22, Pricebook2Id: result.ids.Pricebook2?.trade });
    expect(org.control.query<{ Name: string }>("SELECT Name FROM Contact WHERE QAD_Contact_Id__c = 'CT1'")[0]?.Name).toBe('Jo Doe');
  });

  it('names the missing key and the fix when a seed points at nothing', () => {
    expect(() => org.seed({ contacts: [{ account: 'ghost', LastName: 'X' }] })).toThrow(SeedError);
    expect(() => org.seed({ contacts: [{ account: 'ghost', LastName: 'X' }] })).toThrow(/contacts\[0\] names Account key 'ghost'/);
    expect(() => salesforcePart([1, 2])).toThrow(/must be a JSON object/);
    expect(salesforcePart({ qad: {} })).toEqual({});
  });
});
