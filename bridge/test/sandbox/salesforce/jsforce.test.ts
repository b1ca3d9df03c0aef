import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedOrg, type SimulatedOrg } from '../../../sandbox/salesforce/org.js';

/**
 * Issue 3, Done when 2: a widely used Salesforce client that nobody here wrote (jsforce 3.10.16)
 * works against the simulated org unchanged.
 */
describe('jsforce against the simulated org', () => {
  let org: SimulatedOrg;
  let conn: jsforce.Connection;

  beforeAll(async () => {
    org = await startSimulatedOrg();
    const accounts = Array.from({ length: 2_345 }, (_, i) => ({ Name: `Account ${i}`, QAD_Id__c: `SS|C${String(i).padStart(5, '0')}` }));
    for (let i = 0; i < accounts.length; i += 500) org.control.insert('Account', accounts.slice(i, i + 500));
    conn = new jsforce.Connection({ oauth2: { loginUrl: org.loginUrl, clientId: org.clientId, clientSecret: org.clientSecret }, version: org.apiVersion });
  });

  afterAll(async () => {
    await org.close();
  });

  it('logs in with the client-credentials grant', async () => {
    const userInfo = await conn.authorize({ grant_type: 'client_credentials' });
    expect(userInfo.organizationId).toBe(org.orgId);
    expect(userInfo.id).toBe(org.integrationUserId);
    expect(conn.instanceUrl).toBe(org.baseUrl);
    expect(org.isValidAccessToken(conn.accessToken as string)).toBe(true);
  });

  it('reads more than 2,000 rows through its own paging (autoFetch / queryMore)', async () => {
    org.control.resetCounters();
    const records: Array<{ Id: string; QAD_Id__c: string }> = [];
    await new Promise<void>((resolve, reject) => {
      conn
        .query<{ Id: string; QAD_Id__c: string }>('SELECT Id, QAD_Id__c FROM Account ORDER BY QAD_Id__c')
        .on('record', (r: { Id: string; QAD_Id__c: string }) => records.push(r))
        .on('end', () => resolve())
        .on('error', reject)
        .run({ autoFetch: true, maxFetch: 10_000 });
    });
    expect(records).toHaveLength(2_345);
    expect(new Set(records.map((r) => r.Id)).size).toBe(2_345);
    expect(records[0]?.QAD_Id__c).toBe('SS|C00000');
    expect(records[2_344]?.QAD_Id__c).toBe('SS|C02344');
    expect(org.control.counters()).toMatchObject({ query: 1, queryMore: 1 });

    const firstPage = await conn.query('SELECT Id FROM Account');
    expect(firstPage.done).toBe(false);
    expect(firstPage.records).toHaveLength(2_000);
    const next = await conn.queryMore(firstPage.nextRecordsUrl as string);
    expect(next.done).toBe(true);
    expect(next.records).toHaveLength(345);
  });

  it('upserts by External ID, creating then updating', async () => {
    const created = await conn.sobject('Account').upsert({ Name: 'Jsforce Co', QAD_Id__c: 'SS|JS1' }, 'QAD_Id__c');
    expect(created).toMatchObject({ success: true, created: true });
    const updated = await conn.sobject('Account').upsert({ Name: 'Jsforce Company', QAD_Id__c: 'SS|JS1' }, 'QAD_Id__c');
    expect(updated).toMatchObject({ success: true, created: false, id: (created as { id: string }).id });
    const [row] = org.control.query<{ Name: string }>("SELECT Name FROM Account WHERE QAD_Id__c = 'SS|JS1'");
    expect(row?.Name).toBe('Jsforce Company');
  });

  it('creates, updates and upserts arrays through sObject Collections', async () => {
    org.control.resetCounters();
    const products = Array.from({ length: 150 }, (_, i) => ({ Name: `Item ${i}`, QAD_Item_Number__c: `10|IT${i}` }));
    const created = await conn.sobject('Product2').create(products);
    expect(created).toHaveLength(150);
    expect(created.every((r) => r.success)).toBe(true);
    const updates = created.map((r, i) => ({ Id: r.id as string, Description: `batch ${i}` }));
    const updated = await conn.sobject('Product2').update(updates);
    expect(updated.every((r) => r.success)).toBe(true);
    const upserted = await conn.sobject('Product2').upsert(
      [
        { Name: 'Item 0 renamed', QAD_Item_Number__c: '10|IT0' },
        { Name: 'Brand new', QAD_Item_Number__c: '10|NEW' },
        { QAD_Item_Number__c: '10|NONAME' },
      ],
      'QAD_Item_Number__c',
    );
    expect(upserted[0]).toMatchObject({ success: true, created: false });
    expect(upserted[1]).toMatchObject({ success: true, created: true });
    expect(upserted[2]).toMatchObject({ success: false });
    expect((upserted[2] as unknown as { errors: Array<{ statusCode: string }> }).errors[0]?.statusCode).toBe('REQUIRED_FIELD_MISSING');
    expect(org.control.counters()).toMatchObject({ 'collections-create': 1, 'collections-update': 1, 'collections-upsert': 1 });
    expect(org.control.query("SELECT Id FROM Product2 WHERE Description LIKE 'batch %'")).toHaveLength(150);
  });
});
