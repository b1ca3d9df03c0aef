import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOrg, type OrgFixture } from './helpers.js';

describe('simulated org: versions, limits, describe and sObject rows', () => {
  let f: OrgFixture;
  beforeAll(async () => {
    f = await startOrg({
      extraFields: { Account: [{ name: 'Legacy_Number__c', label: 'Legacy Number', type: 'string', length: 20, nillable: true, createable: true, updateable: true, externalId: true, unique: false, custom: true }] },
    });
  });
  afterAll(async () => f.org.close());

  it('lists versions without Sforce-Limit-Info and puts it on every other answer', async () => {
    const versions = await f.api('GET', '/services/data/');
    expect(versions.status).toBe(200);
    expect(versions.headers.get('sforce-limit-info')).toBeNull();
    expect(versions.body).toContainEqual({ label: "Spring '26", url: '/services/data/v66.0', version: '66.0' });
    const limits = await f.api('GET', '/limits/');
    expect(limits.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/100000$/);
    expect(limits.body.DailyApiRequests.Max).toBe(100000);
    expect(limits.body.DailyApiRequests.Remaining).toBe(100000 - Number(/=(\d+)/.exec(limits.headers.get('sforce-limit-info') as string)?.[1]));
    expect(limits.body.DailyBulkApiRequests).toMatchObject({ Max: 15000 });
    const missing = await f.api('GET', '/sobjects/Nope__c/describe');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('sforce-limit-info')).not.toBeNull();
    expect(missing.body).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });

  it('describes the package objects and the standard fields with their properties', async () => {
    const global = await f.api('GET', '/sobjects/');
    const names = global.body.sobjects.map((o: { name: string }) => o.name);
    for (const name of ['Account', 'Contact', 'Product2', 'Pricebook2', 'PricebookEntry', 'Order', 'OrderItem', 'User', 'Sync_Audit__c', 'Sync_Bridge_Status__c', 'Sync_Replay_Request__e']) {
      expect(names).toContain(name);
    }
    const account = await f.api('GET', '/sobjects/Account/describe/');
    expect(account.body.keyPrefix).toBe('001');
    const field = (n: string) => account.body.fields.find((x: { name: string }) => x.name === n);
    expect(field('QAD_Id__c')).toMatchObject({ type: 'string', length: 80, externalId: true, unique: true, caseSensitive: true, nillable: true });
    expect(field('BillingCity')).toMatchObject({ compoundFieldName: 'BillingAddress', length: 40 });
    expect(field('Name')).toMatchObject({ nillable: false, createable: true });
    expect(field('SystemModstamp')).toMatchObject({ type: 'datetime', createable: false, updateable: false });
    const contact = await f.api('GET', '/sobjects/Contact/describe');
    expect(contact.body.fields.find((x: { name: string }) => x.name === 'LastName').compoundFieldName).toBe('Name');
    const audit = await f.api('GET', '/sobjects/Sync_Audit__c/describe');
    const status = audit.body.fields.find((x: { name: string }) => x.name === 'Status__c');
    expect(status.picklistValues.map((p: { value: string }) => p.value)).toEqual(['Succeeded', 'Failed', 'Retrying', 'Waiting', 'Skipped', 'Replay Requested', 'Replayed']);
    expect(status.restrictedPicklist).toBe(true);
    expect(f.org.describeSObject('Order')?.childRelationships).toContainEqual(expect.objectContaining({ childSObject: 'OrderItem', relationshipName: 'OrderItems' }));
  });

  it('creates, reads, updates and deletes a row', async () => {
    const created = await f.api('POST', '/sobjects/Account', { Name: 'Row Co', BillingCity: 'Lyon', QAD_Id__c: 'S|ROW' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.stringMatching(/^001[A-Za-z0-9]{15}$/), success: true, errors: [] });
    const id = created.body.id as string;
    const read = await f.api('GET', `/sobjects/Account/${id}?fields=Name,BillingCity`);
    expect(read.body).toEqual({ attributes: { type: 'Account', url: `/services/data/v66.0/sobjects/Account/${id}` }, Name: 'Row Co', BillingCity: 'Lyon' });
    const full = await f.api('GET', `/sobjects/Account/${id.slice(0, 15)}`);
    expect(full.body.BillingAddress).toMatchObject({ city: 'Lyon' });
    expect(full.body.SystemModstamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    f.org.clock.advance(5_000);
    expect((await f.api('PATCH', `/sobjects/Account/${id}`, { Phone: '555' })).status).toBe(204);
    const after = await f.api('GET', `/sobjects/Account/${id}`);
    expect(after.body.Phone).toBe('555');
    expect(Date.parse(after.body.SystemModstamp.replace('+0000', 'Z'))).toBeGreaterThan(Date.parse(full.body.SystemModstamp.replace('+0000', 'Z')));
    expect((await f.api('DELETE', `/sobjects/Account/${id}`)).status).toBe(204);
    const gone = await f.api('GET', `/sobjects/Account/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body[0].errorCode).toBe('ENTITY_IS_DELETED');
  });

  it('upserts by External ID: 201 created, 200 updated, 300 several, 404 bad field, 400 invalid', async () => {
    const first = await f.api('PATCH', '/sobjects/Account/QAD_Id__c/S%7CUP1', { Name: 'Up One' });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: expect.any(String), success: true, errors: [], created: true });
    const second = await f.api('PATCH', '/sobjects/Account/QAD_Id__c/S%7CUP1', { Name: 'Up One Renamed' });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ id: first.body.id, success: true, errors: [], created: false });
    const old = await f.api('PATCH', `/services/data/v45.0/sobjects/Account/QAD_Id__c/S%7CUP1`, { Name: 'Old API' });
    expect(old.status).toBe(204);
    const caseSensitive = await f.api('PATCH', '/sobjects/Account/QAD_Id__c/s%7Cup1', { Name: 'Different key' });
    expect(caseSensitive.status).toBe(201);

    f.org.control.insert('Account', [{ Name: 'L1', Legacy_Number__c: 'L-9' }, { Name: 'L2', Legacy_Number__c: 'L-9' }]);
    const several = await f.api('PATCH', '/sobjects/Account/Legacy_Number__c/L-9', { Name: 'Which?' });
    expect(several.status).toBe(300);
    expect(several.body).toHaveLength(2);
    expect(several.body[0]).toMatch(/^\/services\/data\/v66\.0\/sobjects\/Account\/001/);

    const badField = await f.api('PATCH', '/sobjects/Account/Name/x', { Phone: '1' });
    expect(badField.status).toBe(404);
    expect(badField.body).toEqual([{ errorCode: 'NOT_FOUND', message: 'Provided external ID field does not exist or is not accessible: Name' }]);

    const invalid = await f.api('PATCH', '/sobjects/Account/QAD_Id__c/S%7CUP2', { Phone: '1' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual([{ errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] }]);
  });

  it('validates as the platform does', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['/sobjects/Account', { Name: 'x'.repeat(256) }, 'STRING_TOO_LONG'],
      ['/sobjects/Account', { Name: 'Dup', QAD_Id__c: 'S|UP1' }, 'DUPLICATE_VALUE'],
      ['/sobjects/Account', { Name: 'Bad', Colour__c: 'red' }, 'INVALID_FIELD'],
      ['/sobjects/Account', { Name: 'Bad', SystemModstamp: '2026-01-01T00:00:00Z' }, 'INVALID_FIELD_FOR_INSERT_UPDATE'],
      ['/sobjects/Contact', { FirstName: 'No last name' }, 'REQUIRED_FIELD_MISSING'],
      ['/sobjects/Contact', { LastName: 'L', AccountId: 'garbage' }, 'MALFORMED_ID'],
      ['/sobjects/Contact', { LastName: 'L', AccountId: '001000000000000AAA' }, 'INVALID_CROSS_REFERENCE_KEY'],
      ['/sobjects/Contact', { LastName: 'L', Email: 'not-an-email' }, 'INVALID_EMAIL_ADDRESS'],
      ['/sobjects/Sync_Audit__c', { Status__c: 'Exploded' }, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'],
      ['/sobjects/Sync_Audit__c', { Attempt__c: 123456 }, 'NUMBER_OUTSIDE_VALID_RANGE'],
    ];
    for (const [path, body, code] of cases) {
      const res = await f.api('POST', path, body);
      expect({ path, status: res.status, code: res.body[0]?.errorCode }).toEqual({ path, status: 400, code });
    }
    const unknown = await f.api('POST', '/sobjects/Widget__c', { Name: 'x' });
    expect(unknown.status).toBe(404);
    const contact = await f.api('POST', '/sobjects/Contact', { LastName: 'Ref', Account: { QAD_Id__c: 'S|UP1' } });
    expect(contact.status).toBe(201);
    const [row] = f.org.control.query<{ Name: string; Account: { QAD_Id__c: string } }>(`SELECT Name, Account.QAD_Id__c FROM Contact WHERE Id = '${contact.body.id}'`);
    expect(row).toMatchObject({ Name: 'Ref', Account: { QAD_Id__c: 'S|UP1' } });
    const audit = await f.api('POST', '/sobjects/Sync_Audit__c', { Status__c: 'Failed', Attempt__c: 3 });
    expect(f.org.control.get('Sync_Audit__c', audit.body.id)?.Name).toMatch(/^SA-\d{8}$/);
  });

  it('stops with 403 REQUEST_LIMIT_EXCEEDED when the daily allowance is spent, and recovers as the window rolls', async () => {
    f.org.control.setDailyAllowance({ max: 100000, used: 99999 });
    const last = await f.api('GET', '/limits/');
    expect(last.status).toBe(200);
    expect(last.headers.get('sforce-limit-info')).toBe('api-usage=100000/100000');
    const refused = await f.api('GET', '/limits/');
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    f.org.clock.advance(24 * 60 * 60 * 1000 + 60_000);
    expect((await f.api('GET', '/limits/')).status).toBe(401);
    await f.login();
    const again = await f.api('GET', '/limits/');
    expect(again.status).toBe(200);
    expect(again.headers.get('sforce-limit-info')).toBe('api-usage=1/100000');
  });
});
