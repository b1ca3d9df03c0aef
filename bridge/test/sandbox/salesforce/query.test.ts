import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOrg, type OrgFixture } from './helpers.js';

const q = (soql: string) => `/query?q=${encodeURIComponent(soql)}`;

describe('simulated org: SOQL through /query and /queryAll', () => {
  let f: OrgFixture;
  beforeAll(async () => {
    f = await startOrg();
    const rows = Array.from({ length: 5_000 }, (_, i) => ({
      Name: `Acct ${String(i).padStart(4, '0')}`,
      QAD_Id__c: `SS|${i}`,
      BillingCity: i % 3 === 0 ? null : i % 3 === 1 ? 'Paris' : 'Berlin',
      QAD_Is_Customer__c: i % 2 === 0,
    }));
    f.org.control.insert('Account', rows);
  });
  afterAll(async () => f.org.close());

  it('pages 5,000 rows through nextRecordsUrl, honouring Sforce-Query-Options batchSize', async () => {
    const seen = new Set<string>();
    let page = await f.api('GET', q('SELECT Id, Name FROM Account ORDER BY Name'), undefined, { 'Sforce-Query-Options': 'batchSize=1000' });
    let pages = 1;
    expect(page.body.totalSize).toBe(5_000);
    expect(page.body.records).toHaveLength(1000);
    expect(page.body.records[0]).toEqual({ attributes: { type: 'Account', url: expect.stringMatching(/^\/services\/data\/v66\.0\/sobjects\/Account\/001/) }, Id: expect.any(String), Name: 'Acct 0000' });
    for (const r of page.body.records) seen.add(r.Id);
    while (!page.body.done) {
      expect(page.body.nextRecordsUrl).toMatch(/^\/services\/data\/v66\.0\/query\/01g[A-Za-z0-9]{15}-\d+$/);
      page = await f.api('GET', page.body.nextRecordsUrl);
      pages += 1;
      for (const r of page.body.records) seen.add(r.Id);
    }
    expect(pages).toBe(5);
    expect(page.body.nextRecordsUrl).toBeUndefined();
    expect(seen.size).toBe(5_000);

    const defaults = await f.api('GET', q('SELECT Id FROM Account'));
    expect(defaults.body.records).toHaveLength(2000);
    const clamped = await f.api('GET', q('SELECT Id FROM Account'), undefined, { 'Sforce-Query-Options': 'batchSize=10' });
    expect(clamped.body.records).toHaveLength(200);
  });

  it('filters, sorts, limits and counts as SOQL does', async () => {
    const paris = await f.api('GET', q("SELECT COUNT() FROM Account WHERE BillingCity = 'paris'"));
    expect(paris.body).toEqual({ totalSize: 1667, done: true, records: [] });
    const noCity = await f.api('GET', q('SELECT COUNT() FROM Account WHERE BillingCity = null'));
    expect(noCity.body.totalSize).toBe(1667);
    // Paris (i % 3 == 1) sorts first under DESC; it holds 1, 4, 7 (LIKE) and even customers 4, 10, 16...
    const combo = await f.api('GET', q("SELECT Name FROM Account WHERE (BillingCity IN ('Paris','Berlin') AND QAD_Is_Customer__c = true) OR Name LIKE 'Acct 000_' ORDER BY BillingCity DESC NULLS LAST, Name ASC LIMIT 3 OFFSET 1"));
    expect(combo.body.records.map((r: { Name: string }) => r.Name)).toEqual(['Acct 0004', 'Acct 0007', 'Acct 0010']);
    const notIn = await f.api('GET', q("SELECT COUNT() FROM Account WHERE NOT (BillingCity NOT IN ('Paris'))"));
    expect(notIn.body.totalSize).toBe(1667);
    const byKey = await f.api('GET', q("SELECT Id, QAD_Id__c FROM Account WHERE QAD_Id__c IN ('SS|7', 'SS|8', 'ss|9')"));
    expect(byKey.body.records.map((r: { QAD_Id__c: string }) => r.QAD_Id__c).sort()).toEqual(['SS|7', 'SS|8']);
    const today = await f.api('GET', q('SELECT COUNT() FROM Account WHERE CreatedDate = TODAY AND LastModifiedDate = LAST_N_DAYS:1 AND CreatedDate > 2026-01-01T00:00:00Z'));
    expect(today.body.totalSize).toBe(5_000);
    const future = await f.api('GET', q('SELECT COUNT() FROM Account WHERE CreatedDate > 2026-06-02T00:00:00.000+00:00'));
    expect(future.body.totalSize).toBe(0);
  });

  it('returns parent fields nested and child rows as a sub-result', async () => {
    const order = f.org.seed({
      products: [{ key: 'p', Name: 'Widget', standardPrice: 4 }],
      orders: [{ key: 'o', account: 'a', EffectiveDate: '2026-05-01', lines: [{ product: 'p', Quantity: 3, UnitPrice: 4 }, { product: 'p', Quantity: 1, UnitPrice: 5 }] }],
      accounts: [{ key: 'a', Name: 'Parent Co', QAD_Id__c: 'SS|PARENT' }],
    });
    const orderId = order.ids.Order?.o as string;
    const res = await f.api('GET', q(`SELECT Id, TotalAmount, Account.QAD_Id__c, (SELECT Quantity, Product2.Name FROM OrderItems ORDER BY Quantity) FROM Order WHERE Id = '${orderId}'`));
    const [row] = res.body.records;
    expect(row.TotalAmount).toBe(17);
    expect(row.Account).toEqual({ attributes: { type: 'Account', url: expect.any(String) }, QAD_Id__c: 'SS|PARENT' });
    expect(row.OrderItems.totalSize).toBe(2);
    expect(row.OrderItems.records.map((l: { Quantity: number }) => l.Quantity)).toEqual([1, 3]);
    expect(row.OrderItems.records[0].Product2.Name).toBe('Widget');
    const lonely = await f.api('GET', q("SELECT Id, Account.Name FROM Contact WHERE LastName = 'nobody'"));
    expect(lonely.body).toEqual({ totalSize: 0, done: true, records: [] });
  });

  it('refuses OFFSET past 2,000, unknown fields and unsupported SOQL', async () => {
    const offset = await f.api('GET', q('SELECT Id FROM Account OFFSET 2001'));
    expect(offset.status).toBe(400);
    expect(offset.body[0]).toMatchObject({ errorCode: 'NUMBER_OUTSIDE_VALID_RANGE', message: 'Maximum SOQL offset allowed is 2000' });
    const grouped = await f.api('GET', q('SELECT BillingCity, COUNT(Id) FROM Account GROUP BY BillingCity'));
    expect(grouped.status).toBe(400);
    expect(grouped.body[0].errorCode).toBe('MALFORMED_QUERY');
    expect((await f.api('GET', q('SELECT Colour__c FROM Account'))).body[0].errorCode).toBe('INVALID_FIELD');
    expect((await f.api('GET', q('SELECT Id FROM Widget__c'))).body[0].errorCode).toBe('INVALID_TYPE');
    expect((await f.api('GET', q('SELECT Id FROM Account WHERE Name = 5'))).body[0].errorCode).toBe('MALFORMED_QUERY');
    expect((await f.api('GET', '/query')).body[0].errorCode).toBe('MALFORMED_QUERY');
  });

  it('includes deleted rows only through queryAll, and expires locators after two days', async () => {
    const [id] = f.org.control.insert('Account', [{ Name: 'Doomed' }]);
    f.org.control.delete('Account', [id as string]);
    const live = await f.api('GET', q("SELECT COUNT() FROM Account WHERE Name = 'Doomed'"));
    expect(live.body.totalSize).toBe(0);
    const all = await f.api('GET', `/queryAll?q=${encodeURIComponent("SELECT Id, IsDeleted FROM Account WHERE Name = 'Doomed'")}`);
    expect(all.body.records).toEqual([expect.objectContaining({ Id: id, IsDeleted: true })]);

    const first = await f.api('GET', q('SELECT Id FROM Account'));
    f.org.clock.advance(2 * 24 * 60 * 60 * 1000);
    await f.login();
    const stale = await f.api('GET', first.body.nextRecordsUrl);
    expect(stale.status).toBe(400);
    expect(stale.body[0].errorCode).toBe('INVALID_QUERY_LOCATOR');
  });
});
