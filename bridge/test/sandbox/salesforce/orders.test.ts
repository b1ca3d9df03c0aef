import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOrg, type OrgFixture } from './helpers.js';

describe('simulated org: Order rules', () => {
  let f: OrgFixture;
  let accountId: string;
  let standardEntry: string;
  let otherEntry: string;
  let otherPricebook: string;

  beforeAll(async () => {
    f = await startOrg();
    const seeded = f.org.seed({
      accounts: [{ key: 'a', Name: 'Buyer', QAD_Id__c: 'S|B' }],
      products: [{ key: 'p', Name: 'Gear', standardPrice: 10 }],
      pricebooks: [{ key: 'trade', Name: 'Trade', IsActive: true, entries: [{ product: 'p', UnitPrice: 8 }] }],
    });
    accountId = seeded.ids.Account?.a as string;
    otherPricebook = seeded.ids.Pricebook2?.trade as string;
    const entries = f.org.control.query<{ Id: string; Pricebook2Id: string }>('SELECT Id, Pricebook2Id FROM PricebookEntry');
    standardEntry = entries.find((e) => e.Pricebook2Id === f.org.standardPricebookId)?.Id as string;
    otherEntry = entries.find((e) => e.Pricebook2Id === otherPricebook)?.Id as string;
  });
  afterAll(async () => f.org.close());

  const newOrder = async (extra: Record<string, unknown> = {}) =>
    f.api('POST', '/sobjects/Order', { AccountId: accountId, EffectiveDate: '2026-06-01', Status: 'Draft', Pricebook2Id: f.org.standardPricebookId, ...extra });

  it('inserts only Draft orders with an account, a start date and a status', async () => {
    expect((await newOrder({ Status: 'Activated' })).body[0].errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
    const missing = await f.api('POST', '/sobjects/Order', { Status: 'Draft' });
    expect(missing.body[0]).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['AccountId', 'EffectiveDate'] });
    expect((await newOrder({ Status: 'Shipped' })).body[0].errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    expect((await newOrder()).status).toBe(201);
  });

  it('needs lines priced from the order price book, with quantity and unit price', async () => {
    const order = (await newOrder()).body.id as string;
    const wrongBook = await f.api('POST', '/sobjects/OrderItem', { OrderId: order, PricebookEntryId: otherEntry, Quantity: 1, UnitPrice: 8 });
    expect(wrongBook.body[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', message: 'Order Products must have a Price Book Entry that belongs to the Price Book related to the parent Order' });
    const noQty = await f.api('POST', '/sobjects/OrderItem', { OrderId: order, PricebookEntryId: standardEntry, UnitPrice: 8 });
    expect(noQty.body[0]).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Quantity'] });
    const line = await f.api('POST', '/sobjects/OrderItem', { OrderId: order, PricebookEntryId: standardEntry, Quantity: 2, UnitPrice: 9.5 });
    expect(line.status).toBe(201);
    const stored = f.org.control.get('OrderItem', line.body.id);
    expect(stored).toMatchObject({ ListPrice: 10, TotalPrice: 19, Product2Id: expect.stringMatching(/^01t/) });
    expect(f.org.control.get('Order', order)?.TotalAmount).toBe(19);
    const swap = await f.api('PATCH', `/sobjects/Order/${order}`, { Pricebook2Id: otherPricebook });
    expect(swap.body[0].errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
  });

  it('activates by updating Status, then locks the lines', async () => {
    const order = (await newOrder()).body.id as string;
    const line = (await f.api('POST', '/sobjects/OrderItem', { OrderId: order, PricebookEntryId: standardEntry, Quantity: 1, UnitPrice: 10 })).body.id as string;
    expect((await f.api('PATCH', `/sobjects/Order/${order}`, { Status: 'Activated' })).status).toBe(204);
    expect(f.org.control.get('Order', order)).toMatchObject({ Status: 'Activated', StatusCode: 'Activated' });
    const add = await f.api('POST', '/sobjects/OrderItem', { OrderId: order, PricebookEntryId: standardEntry, Quantity: 1, UnitPrice: 10 });
    expect(add.body[0]).toMatchObject({
      errorCode: 'ENTITY_IS_LOCKED',
      message: 'Unable to modify activated or superseded Order: cannot delete Order, or add or remove Order Products',
    });
    expect((await f.api('DELETE', `/sobjects/OrderItem/${line}`)).body[0].errorCode).toBe('ENTITY_IS_LOCKED');
    expect((await f.api('PATCH', `/sobjects/OrderItem/${line}`, { Quantity: 5 })).body[0].errorCode).toBe('ENTITY_IS_LOCKED');
    expect((await f.api('DELETE', `/sobjects/Order/${order}`)).body[0].errorCode).toBe('ENTITY_IS_LOCKED');
    expect((await f.api('PATCH', `/sobjects/OrderItem/${line}`, { PricebookEntryId: otherEntry })).body[0].errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    expect((await f.api('PATCH', `/sobjects/Order/${order}`, { QAD_Sales_Order_Number__c: 'SO-1' })).status).toBe(204);
  });

  it('refuses an activation that changes another field as well, and keeps the order as it was', async () => {
    const order = (await newOrder()).body.id as string;
    const mixed = await f.api('PATCH', `/sobjects/Order/${order}`, { Status: 'Activated', EffectiveDate: '2026-07-01', QAD_Sales_Order_Number__c: 'SO-MIXED' });
    expect(mixed.status).toBe(400);
    expect(mixed.body[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['Status', 'EffectiveDate', 'QAD_Sales_Order_Number__c'] });
    expect(mixed.body[0].message).toContain('only Status');
    expect(f.org.control.get('Order', order)).toMatchObject({ Status: 'Draft', EffectiveDate: '2026-06-01', QAD_Sales_Order_Number__c: null });
    // a field sent with the value it already has is not a change
    expect((await f.api('PATCH', `/sobjects/Order/${order}`, { Status: 'Activated', EffectiveDate: '2026-06-01' })).status).toBe(204);
    expect(f.org.control.get('Order', order)).toMatchObject({ Status: 'Activated', StatusCode: 'Activated' });
  });

  it('refuses the same activation through sObject Collections, per record', async () => {
    const good = (await newOrder()).body.id as string;
    const bad = (await newOrder()).body.id as string;
    const result = await f.api('PATCH', '/composite/sobjects', {
      allOrNone: false,
      records: [
        { attributes: { type: 'Order' }, Id: good, Status: 'Activated' },
        { attributes: { type: 'Order' }, Id: bad, Status: 'Activated', EffectiveDate: '2026-08-01' },
      ],
    });
    expect(result.body[0]).toMatchObject({ id: good, success: true });
    expect(result.body[1]).toMatchObject({ success: false, errors: [expect.objectContaining({ statusCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['Status', 'EffectiveDate'] })] });
    expect(f.org.control.get('Order', bad)?.Status).toBe('Draft');
  });
});

describe('simulated org: User rules', () => {
  let f: OrgFixture;
  beforeAll(async () => {
    f = await startOrg();
  });
  afterAll(async () => f.org.close());

  it('refuses a Username another user has, whatever its case, on create and on update', async () => {
    const first = await f.api('POST', '/sobjects/User', { Username: 'ops@acme.example', LastName: 'Ops' });
    expect(first.status).toBe(201);
    const copy = await f.api('POST', '/sobjects/User', { Username: 'OPS@Acme.example', LastName: 'Copy' });
    expect(copy.status).toBe(400);
    expect(copy.body[0]).toEqual({ errorCode: 'DUPLICATE_USERNAME', message: 'Duplicate Username.<br>Another user has already selected this username.<br>Please select another.', fields: ['Username'] });
    const other = (await f.api('POST', '/sobjects/User', { Username: 'sales@acme.example', LastName: 'Sales' })).body.id as string;
    expect((await f.api('PATCH', `/sobjects/User/${other}`, { Username: 'ops@acme.example' })).body[0].errorCode).toBe('DUPLICATE_USERNAME');
    expect(f.org.control.get('User', other)?.Username).toBe('sales@acme.example');
    // a user may keep its own username when other fields change
    expect((await f.api('PATCH', `/sobjects/User/${first.body.id as string}`, { Username: 'ops@acme.example', LastName: 'Operations' })).status).toBe(204);
  });
});
