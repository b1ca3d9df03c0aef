import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedQadTenant, type SimulatedQadTenant } from '../../../sandbox/qad/index.js';

let tenant: SimulatedQadTenant;
let base: string;
const ws = { 'x-qad-workspace-id': '10USA_10USACO' };

async function call(method: string, path: string, init: { headers?: Record<string, string>; body?: unknown; form?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  let body: string | undefined;
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  } else if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  const res = await fetch(`${base}/${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

async function token(): Promise<string> {
  const d = tenant.description;
  const r = await call('POST', 'oauth/token', { form: { client_id: d.clientId, grant_type: 'password', username: d.username, password: d.password } });
  return r.json.access_token as string;
}

const basic = () => ({ authorization: `Basic ${Buffer.from(`${tenant.description.username}:${tenant.description.password}`).toString('base64')}` });

beforeAll(async () => {
  tenant = await startSimulatedQadTenant({ port: 0 });
  base = tenant.baseUrl;
});
afterAll(async () => tenant.close());

describe('simulated QAD tenant: Adaptive REST over HTTP (facts §2)', () => {
  it('serves under /clouderp and describes itself for the sandbox JSON line', () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/clouderp$/);
    expect(tenant.description).toMatchObject({ profile: 'adaptive-rest', workspace: { domain: '10USA', entity: '10USACO', sharedSet: 'US-SET' } });
  });

  it('grants tokens by the password grant with a client id, in the body or the query string', async () => {
    const d = tenant.description;
    const viaBody = await call('POST', 'oauth/token', { form: { client_id: d.clientId, grant_type: 'password', username: d.username, password: d.password } });
    expect(viaBody.status).toBe(200);
    expect(viaBody.json).toMatchObject({ token_type: 'bearer', access_token: expect.any(String), refresh_token: expect.any(String) });
    const q = new URLSearchParams({ client_id: d.clientId, grant_type: 'password', username: d.username, password: d.password });
    const viaQuery = await call('POST', `oauth/token?${q}`);
    expect(viaQuery.status).toBe(200);
    const badClient = await call('POST', 'oauth/token', { form: { client_id: 'nope', grant_type: 'password', username: d.username, password: d.password } });
    expect(badClient.status).toBe(401);
    expect(badClient.json.error).toBe('invalid_client');
    const badPassword = await call('POST', 'oauth/token', { form: { client_id: d.clientId, grant_type: 'password', username: d.username, password: 'wrong' } });
    expect(badPassword.status).toBe(400);
    expect(badPassword.json.error).toBe('invalid_grant');
  });

  it('answers securityControl with Basic auth and expires tokens by session length and idle time', async () => {
    const sc = await call('GET', 'api/qracore/securityControl', { headers: basic() });
    expect(sc.json.data.securityControls[0]).toEqual({ clientId: tenant.description.clientId, sessionLength: 60, timeoutMinutes: 20 });
    const idle = await token();
    const browse = 'api/qracore/browses?browseId=urn:browse:bebrowse:com.qad.erp.base.items&page=1&pageSize=2&pageAction=first';
    expect((await call('GET', browse, { headers: { ...ws, authorization: `Bearer ${idle}` } })).status).toBe(200);
    tenant.clock.advance(19 * 60_000);
    expect((await call('GET', browse, { headers: { ...ws, authorization: `Bearer ${idle}` } })).status).toBe(200);
    tenant.clock.advance(21 * 60_000);
    const timedOut = await call('GET', browse, { headers: { ...ws, authorization: `Bearer ${idle}` } });
    expect(timedOut.status).toBe(401);
    expect(timedOut.json.error).toBe('invalid_token');
    const busy = await token();
    for (let i = 0; i < 3; i += 1) {
      tenant.clock.advance(15 * 60_000);
      expect((await call('GET', browse, { headers: { ...ws, authorization: `Bearer ${busy}` } })).status).toBe(200);
    }
    tenant.clock.advance(15 * 60_000);
    expect((await call('GET', browse, { headers: { ...ws, authorization: `Bearer ${busy}` } })).status).toBe(401);
  });

  it('pages browses with flat dotted keys, string HasMoreParams and field,op,value,literal filters', async () => {
    const h = { ...ws, ...basic() };
    const id = 'urn:browse:bebrowse:com.qad.erp.base.customerV2s';
    const p1 = await call('GET', `api/qracore/browses?browseId=${id}&page=1&pageSize=3&pageAction=first&callId=c1`, { headers: h });
    expect(p1.status).toBe(200);
    expect(p1.json.auxillaryData.HasMoreParams).toBe('true');
    expect(p1.json.data).toHaveLength(3);
    expect(Object.keys(p1.json.data[0])).toContain('customerV2.customerCode');
    const p2 = await call('GET', `api/qracore/browses?browseId=${id}&page=2&pageSize=3&pageAction=next&callId=c1`, { headers: h });
    expect(p2.json.auxillaryData.HasMoreParams).toBe('false');
    expect(p2.json.data.map((r: any) => r['customerV2.customerCode'])).toEqual(['10C1003', '10S2000']);
    const wrongAction = await call('GET', `api/qracore/browses?browseId=${id}&page=2&pageSize=3&pageAction=first`, { headers: h });
    expect(wrongAction.status).toBe(400);
    const filtered = await call('GET', `api/qracore/browses?browseId=${id}&page=1&pageSize=50&pageAction=first&filter=customerV2.businessRelationName1,cn,medical,literal&filter=customerV2.isActive,eq,true,literal`, { headers: h });
    expect(filtered.json.data.map((r: any) => r['customerV2.customerCode'])).toEqual(['10C1002']);
    const range = await call('GET', `api/qracore/browses?browseId=${id}&page=1&pageSize=50&pageAction=first&filter=customerV2.customerCode,rg,10C1001,literal,10C1002,literal`, { headers: h });
    expect(range.json.data).toHaveLength(2);
  });

  it('requires and checks the workspace header', async () => {
    const path = 'api/erp/customerV2s?sharedSetCode=US-SET&customerCode=10C1000';
    const missing = await call('GET', path, { headers: basic() });
    expect(missing.status).toBe(400);
    expect(missing.json.errors[0]).toMatchObject({ code: '400', fieldName: 'x-qad-workspace-id' });
    expect((await call('GET', path, { headers: { ...basic(), 'x-qad-workspace-id': '99XX_99XXCO' } })).status).toBe(400);
  });

  it('reads by key in the data envelope and writes with submitResult outcomes', async () => {
    const h = { ...ws, ...basic() };
    const view = 'urn:be:com.qad.base.customer.ICustomerV2';
    const read = await call('GET', `api/erp/customerV2s?sharedSetCode=US-SET&customerCode=10C1000&viewUri=${view}`, { headers: h });
    const rec = read.json.data.customerV2s[0];
    expect(rec).toMatchObject({ uri: `${view}:US-SET.10C1000`, customerCode: '10C1000', concurrencyHash: expect.any(String) });
    const ok = await call('POST', `api/erp/customerV2s?sharedSetCode=US-SET&customerCode=10C1000&viewUri=${view}`, {
      headers: h,
      body: { supplementaryMessages: [], customerV2s: [{ ...rec, telephone: '+1 312 555 0199', dataOperation: 'U' }] },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.submitResult).toEqual({ success: true, errors: [] });
    const bad = await call('POST', `api/erp/customerV2s?sharedSetCode=US-SET&customerCode=10C1000&viewUri=${view}`, {
      headers: h,
      body: { supplementaryMessages: [], customerV2s: [{ uri: rec.uri, businessRelationName1: 'x'.repeat(40), email: 'not-an-email', dataOperation: 'U', concurrencyHash: '' }] },
    });
    expect(bad.status).toBe(200);
    expect(bad.json.submitResult.success).toBe(false);
    expect(bad.json.submitResult.errors).toEqual(
      expect.arrayContaining([
        { fieldName: 'BusinessRelationName1', message: expect.stringContaining('36'), code: '1023', value: 'x'.repeat(40) },
        expect.objectContaining({ fieldName: 'Email', code: '3541' }),
      ]),
    );
    const stale = await call('POST', `api/erp/customerV2s?sharedSetCode=US-SET&customerCode=10C1000&viewUri=${view}`, {
      headers: h,
      body: { supplementaryMessages: [], customerV2s: [{ ...rec, dataOperation: 'U' }] },
    });
    expect(stale.json.submitResult.errors[0].fieldName).toBe('concurrencyHash');
  });

  it('refuses a faulted write without doing it; only the named lost-answer fault commits before failing', async () => {
    const h = { ...ws, ...basic() };
    const view = 'urn:be:com.qad.base.customer.ICustomerV2';
    const path = `api/erp/customerV2s?sharedSetCode=US-SET&customerCode=10C1001&viewUri=${view}`;
    const telephone = async (): Promise<string> => (await call('GET', path, { headers: h })).json.data.customerV2s[0].telephone;
    const write = async (value: string) => {
      const rec = (await call('GET', path, { headers: h })).json.data.customerV2s[0];
      return call('POST', path, { headers: h, body: { supplementaryMessages: [], customerV2s: [{ ...rec, telephone: value, dataOperation: 'U' }] } });
    };
    const original = await telephone();
    tenant.control.failNext(1, 503, ['erpWrite']);
    expect((await write('+1 312 555 0101')).status).toBe(503);
    expect(await telephone()).toBe(original);

    tenant.control.failNext(1, 503, ['erpWrite'], 'answerLost');
    expect((await write('+1 312 555 0102')).status).toBe(503);
    expect(await telephone()).toBe('+1 312 555 0102');

    const refused = await fetch(`${tenant.controlUrl}/faults`, { method: 'POST', body: JSON.stringify({ failNext: { count: 1, kinds: ['erpWrite'], effect: 'sometimes' } }) });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('failNext.effect');
    await fetch(`${tenant.controlUrl}/faults`, { method: 'POST', body: JSON.stringify({ failNext: { count: 1, status: 500, kinds: ['erpWrite'], effect: 'answerLost' } }) });
    expect(tenant.control.faults().failNext).toEqual({ count: 1, status: 500, kinds: ['erpWrite'], effect: 'answerLost' });
    tenant.control.clearFaults();
  });

  it('answers the bare errors envelope when the user lacks rights', async () => {
    const auth = { authorization: `Basic ${Buffer.from('readonly@acme.example:sandbox-password-2').toString('base64')}` };
    const r = await call('POST', 'api/erp/salesOrderHeaders', { headers: { ...ws, ...auth }, body: { salesOrderHeaders: [{}] } });
    expect(r.status).toBe(403);
    expect(r.json).toEqual({ errors: [{ severity: 1, code: '403', message: 'Access is denied', fieldName: '' }] });
  });

  it('creates a sales order step by step and refuses a duplicate header and a duplicate line', async () => {
    const h = { ...ws, ...basic() };
    const header = {
      uri: 'urn:be:com.qad.sales.salesorder.ISalesOrderHeader:10USA.T0001', salesOrderNumber: 'T0001', domainCode: '10USA', soldToCustomerCode: '10C1000',
      billToCustomerCode: '10C1000', shipToCustomerCode: '10C1000', siteCode: '10-100', currencyCode: 'USD', orderDate: '2026-01-05T00:00:00.000Z',
      dueDate: '2026-01-20T00:00:00.000Z', dataOperation: 'C', concurrencyHash: '', SOSalespersons: [], SOSaveOptions: [], soDraftMappings: [],
    };
    const path = 'api/erp/salesOrderHeaders?viewUri=urn:be:com.qad.sales.salesorder.ISalesOrderHeader';
    expect((await call('POST', path, { headers: h, body: { salesOrderHeaders: [header] } })).json.submitResult.success).toBe(true);
    const dup = await call('POST', path, { headers: h, body: { salesOrderHeaders: [header] } });
    expect(dup.status).toBe(200);
    expect(dup.json.submitResult.errors[0]).toMatchObject({ code: '2041', message: expect.stringContaining('already exists') });
    const template = await call('GET', 'api/erp/salesOrderLinesGrid?initialize=true&domainCode=10USA&salesOrderNumber=T0001', { headers: h });
    let line = template.json.data.salesOrderLines[0];
    expect(line).toMatchObject({ salesOrderLine: 1, itemCode: '', siteCode: '10-100' });
    for (const [field, value] of [['itemCode', '10-2000'], ['siteCode', '10-100'], ['quantityOrdered', 4], ['dueDate', '2026-01-21T00:00:00.000Z']] as const) {
      line = { ...line, [field]: value };
      const changed = await call('POST', `api/erp/salesOrderLines/fieldChange?fieldName=${field}&dataOperation=CREATE`, { headers: h, body: { salesOrderLines: [line] } });
      expect(changed.json.submitResult.success).toBe(true);
      line = changed.json.data.salesOrderLines[0];
    }
    expect(line.listPrice).toBe(6.75);
    expect(line.unitOfMeasure).toBe('EA');
    expect((await call('POST', 'api/erp/salesOrderLinesGrid', { headers: h, body: { salesOrderLines: [line] } })).json.submitResult.success).toBe(true);
    const again = await call('POST', 'api/erp/salesOrderLinesGrid', { headers: h, body: { salesOrderLines: [line] } });
    expect(again.json.submitResult).toMatchObject({ success: false, errors: [{ fieldName: 'SalesOrderLine', code: '1210' }] });
    const lines = await call('GET', 'api/erp/salesOrderLinesGrid?domainCode=10USA&salesOrderNumber=T0001', { headers: h });
    expect(lines.json.data.salesOrderLines).toHaveLength(1);
    const badItem = await call('POST', 'api/erp/salesOrderLines/fieldChange?fieldName=itemCode&dataOperation=CREATE', { headers: h, body: { salesOrderLines: [{ ...line, itemCode: 'NOPE' }] } });
    expect(badItem.json.submitResult.errors[0]).toMatchObject({ fieldName: 'ItemCode', code: '16' });
  });

  it('serves an OpenAPI description listing its entity paths', async () => {
    const doc = await call('GET', 'api-docs');
    expect(doc.json.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.json.paths)).toEqual(expect.arrayContaining(['/api/erp/customerV2s', '/api/erp/supplierV2s', '/api/erp/items', '/api/erp/contacts', '/api/qracore/browses', '/api/erp/salesOrderHeaders']));
    tenant.control.hidePath('api/erp/items');
    const hidden = await call('GET', 'api-docs');
    expect(Object.keys(hidden.json.paths)).not.toContain('/api/erp/items');
    expect((await call('GET', 'api/erp/items', { headers: { ...ws, ...basic() } })).status).toBe(404);
    tenant.control.showPath('api/erp/items');
  });

  it('is controlled over HTTP under /__sandbox: counters, faults, edits, crash and come back', async () => {
    const control = tenant.controlUrl;
    await fetch(`${control}/counters/reset`, { method: 'POST' });
    await call('GET', 'api/qracore/securityControl', { headers: basic() });
    const counters = await (await fetch(`${control}/counters`)).json();
    expect(counters).toMatchObject({ securityControl: 1, total: 1 });
    await fetch(`${control}/faults`, { method: 'POST', body: JSON.stringify({ failNext: { count: 1, status: 503 } }) });
    expect((await call('GET', 'api/qracore/securityControl', { headers: basic() })).status).toBe(503);
    expect((await call('GET', 'api/qracore/securityControl', { headers: basic() })).status).toBe(200);
    const edited = await (await fetch(`${control}/edit`, { method: 'POST', body: JSON.stringify({ table: 'customers', count: 2 }) })).json();
    expect(edited.keys).toHaveLength(2);
    expect((await fetch(`${control}/crash`, { method: 'POST', body: JSON.stringify({ downForMs: 300 }) })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 50));
    await expect(fetch(`${base}/api-docs`)).rejects.toThrow();
    let back = false;
    for (let i = 0; i < 50 && !back; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      back = await fetch(`${base}/api-docs`).then((r) => r.ok, () => false);
    }
    expect(back).toBe(true);
    expect(tenant.control.recordCount('customers')).toBe(6);
  });
});
