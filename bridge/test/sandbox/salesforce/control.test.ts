import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../sandbox/start.js';

describe('sandbox start and the org control surface over HTTP', () => {
  let sandbox: RunningSandbox;
  let base: string;
  let token: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: { salesforce: { accounts: [{ key: 'a', Name: 'Seeded', QAD_Id__c: 'S|1' }] } } });
    base = sandbox.description.salesforce.instanceUrl;
  });
  afterAll(async () => sandbox.close());

  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${base}/__sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${base}/services/data/v66.0${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });

  it('describes the salesforce part as the CLI prints it', async () => {
    const d = sandbox.description.salesforce;
    expect(Object.keys(d).sort()).toEqual(['apiVersion', 'clientId', 'clientSecret', 'controlUrl', 'instanceUrl', 'loginUrl', 'orgId']);
    expect(d.loginUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(JSON.parse(JSON.stringify(sandbox.description))).toEqual(sandbox.description);
    const res = await control('GET', '/description');
    expect(await res.json()).toEqual(d);
    const tokenRes = await fetch(`${d.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: d.clientId, client_secret: d.clientSecret }),
    });
    token = ((await tokenRes.json()) as { access_token: string }).access_token;
  });

  it('seeds, writes and queries records without counting API use', async () => {
    await control('POST', '/seed', { salesforce: { products: [{ key: 'p', Name: 'Bolt', standardPrice: 1 }] } });
    const insert = await control('POST', '/records/Contact', { records: [{ LastName: 'Direct', Account: { QAD_Id__c: 'S|1' } }], changeOrigin: 'com/salesforce/api/soap/66.0' });
    expect(insert.status).toBe(201);
    const query = await control('GET', `/query?q=${encodeURIComponent('SELECT Name, Account.Name FROM Contact')}`);
    expect(((await query.json()) as { records: unknown[] }).records).toEqual([expect.objectContaining({ Name: 'Direct', Account: expect.objectContaining({ Name: 'Seeded' }) })]);
    const bad = await control('POST', '/records/Contact', { records: [{ FirstName: 'No last name' }] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Array<{ errorCode: string }>)[0]?.errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(await (await control('GET', '/limits')).json()).toEqual({ used: 0, max: 100000 });
  });

  it('injects 429 with Retry-After, 503 and latency, filtered by path and method, and counts calls by kind', async () => {
    await control('DELETE', '/counters');
    await control('POST', '/faults', { rules: [{ kind: 429, count: 2, pathPrefix: '/services/data/v66.0/query', retryAfterSeconds: 3 }, { kind: 503, method: 'POST' }] });
    const q = `/query?q=${encodeURIComponent('SELECT Id FROM Account')}`;
    const first = await api(q);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect((await api(q)).status).toBe(429);
    expect((await api(q)).status).toBe(200);
    expect((await api('/limits/')).status).toBe(200);
    const post = await api('/sobjects/Account', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Name: 'x' }) });
    expect(post.status).toBe(503);
    expect(((await post.json()) as Array<{ errorCode: string }>)[0]?.errorCode).toBe('SERVER_UNAVAILABLE');
    expect(await (await control('GET', '/counters')).json()).toEqual({ faults: 3, limits: 1, query: 3, 'sobject-create': 1 });
    expect(await (await control('GET', '/faults')).json()).toEqual([]);

    await control('POST', '/faults', { kind: 503 });
    const d = sandbox.description.salesforce;
    const tokenForm = new URLSearchParams({ grant_type: 'client_credentials', client_id: d.clientId, client_secret: d.clientSecret });
    expect((await fetch(`${d.loginUrl}/services/oauth2/token`, { method: 'POST', body: tokenForm })).status).toBe(200);
    expect((await api('/limits/')).status).toBe(503);
    await control('POST', '/faults', { kind: 503, pathPrefix: '/services/oauth2/token' });
    expect((await fetch(`${d.loginUrl}/services/oauth2/token`, { method: 'POST', body: tokenForm })).status).toBe(503);
  });

  it('expires tokens, sets the allowance and moves the clock over HTTP', async () => {
    await control('POST', '/limits', { max: 10, used: 10 });
    expect((await api('/limits/')).status).toBe(403);
    await control('POST', '/limits', { max: 1000, used: 0 });
    expect((await api('/limits/')).status).toBe(200);
    await control('POST', '/tokens/expire');
    expect((await api('/limits/')).status).toBe(401);
    const before = ((await (await control('GET', '/clock')).json()) as { now: number }).now;
    const moved = ((await (await control('POST', '/clock/advance', { ms: 3_600_000 })).json()) as { now: number }).now;
    expect(moved - before).toBeGreaterThanOrEqual(3_600_000);
  });
});
