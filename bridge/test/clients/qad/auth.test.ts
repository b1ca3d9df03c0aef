import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QadError } from '../../../src/clients/qad/errors.js';
import { loadQadProfile, withOverrides } from '../../../src/clients/qad/profile.js';
import type { SimulatedQadTenant } from '../../../sandbox/qad/index.js';
import { clientFor, collect, startTenantFor } from './helpers.js';

let tenant: SimulatedQadTenant;
const MINUTE = 60_000;

beforeAll(async () => {
  tenant = await startTenantFor('adaptive-rest');
});
afterAll(async () => tenant.close());
afterEach(() => tenant.control.clearFaults());

describe('QAD client authentication against the simulated tenant', () => {
  it('reads the client id and session limits from securityControl and signs in with the password grant', async () => {
    tenant.control.resetCounters();
    const client = await clientFor(tenant, 'adaptive-rest', {}, { clientId: undefined as unknown as string });
    await client.connect();
    expect(tenant.control.counters()).toMatchObject({ securityControl: 1, token: 1 });
    await client.close();
  });

  it('renews the token before the idle timeout and before the session length, without a 401', async () => {
    const client = await clientFor(tenant, 'adaptive-rest');
    await client.connect();
    tenant.control.resetCounters();
    tenant.clock.advance(19.5 * MINUTE);
    await client.getRecord('customer', 'US-SET|10C1000');
    expect(tenant.control.counters()).toMatchObject({ token: 1, erpRead: 1 });
    expect(tenant.control.counters().unauthorized).toBeUndefined();
    for (let i = 0; i < 5; i += 1) {
      tenant.clock.advance(12 * MINUTE);
      await client.getRecord('customer', 'US-SET|10C1000');
    }
    // 60 minutes of session: one more renewal at the session limit, none from 401s.
    expect(tenant.control.counters().token).toBe(2);
    expect(tenant.control.counters().unauthorized).toBeUndefined();
    await client.close();
  });

  it('renews exactly once when tokens are revoked under several concurrent calls', async () => {
    const client = await clientFor(tenant, 'adaptive-rest');
    await client.connect();
    tenant.control.expireTokens();
    tenant.control.resetCounters();
    tenant.control.setLatency(20);
    const keys = ['10C1000', '10C1001', '10C1002', '10C1003', '10S2000', '10C1000'];
    const records = await Promise.all(keys.map((k) => client.getRecord('customer', `US-SET|${k}`)));
    expect(records.every((r) => r !== null)).toBe(true);
    const counters = tenant.control.counters();
    expect(counters.token).toBe(1);
    expect(counters.unauthorized).toBeGreaterThanOrEqual(1);
    expect(counters.erpRead).toBe(6);
    await client.close();
  });

  it('sends the password grant in the query string when the profile says so', async () => {
    const profile = withOverrides(await loadQadProfile('adaptive-rest'), (p) => {
      if (p.auth.mode === 'oauth2-password') p.auth.transport = 'query';
    });
    const client = await clientFor(tenant, profile);
    await client.connect();
    expect(await collect(client.read('item'))).toHaveLength(5);
    await client.close();
  });

  it('uses HTTP Basic on every call for the webui-rest profile, and a bearer token given by the customer', async () => {
    tenant.control.resetCounters();
    const basic = await clientFor(tenant, await loadQadProfile('webui-rest'));
    expect(await basic.getRecord('item', '10-1000')).not.toBeNull();
    expect(tenant.control.counters().token).toBeUndefined();
    await basic.close();

    const d = tenant.description;
    const issued = (await (await fetch(`${d.baseUrl}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: d.clientId, grant_type: 'password', username: d.username, password: d.password }) })).json()) as { access_token: string };
    const bearerProfile = withOverrides(await loadQadProfile('adaptive-rest'), (p) => {
      (p as { auth: unknown }).auth = { mode: 'bearer' };
    });
    const bearer = await clientFor(tenant, bearerProfile, {}, { bearerToken: issued.access_token });
    expect(await bearer.getRecord('item', '10-1000')).not.toBeNull();
    tenant.control.expireTokens();
    tenant.control.resetCounters();
    const refused = await bearer.getRecord('item', '10-1000').catch((e: QadError) => e);
    expect(refused).toMatchObject({ code: 'QAD_ERR_UNAUTHORIZED', statusCode: 401, retryable: false });
    expect((refused as Error).message).not.toContain(issued.access_token);
    expect(tenant.control.counters().token).toBeUndefined();
    await bearer.close();
  });

  it('refuses a wrong password or client id with a fix, never echoing the secret', async () => {
    const wrongPassword = await clientFor(tenant, 'adaptive-rest', {}, { password: 'Sup3r-Secret-Value' });
    const error = await wrongPassword.connect().catch((e: QadError) => e);
    expect(error).toMatchObject({ code: 'QAD_ERR_AUTH_FAILED', statusCode: 401 });
    expect((error as Error).message).toMatch(/invalid_grant.*Fix:/);
    expect(JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack })).not.toContain('Sup3r-Secret-Value');
    await wrongPassword.close();
    const wrongClient = await clientFor(tenant, 'adaptive-rest', {}, { clientId: 'not-a-client' });
    expect(await wrongClient.connect().catch((e: QadError) => e.message)).toMatch(/invalid_client.*Client IDs/);
    await wrongClient.close();
  });

  it('falls back to the profile limits when the user may not read securityControl; a probe reports denied functions', async () => {
    const readonly = { username: 'readonly@acme.example', password: 'sandbox-password-2' };
    tenant.control.resetCounters();
    const client = await clientFor(tenant, 'adaptive-rest', {}, readonly);
    await client.connect();
    expect(tenant.control.counters()).toMatchObject({ forbidden: 1, token: 1 });
    expect(await client.getRecord('customer', 'US-SET|10C1000')).not.toBeNull();
    const denied = await client.createSalesOrder({ salesforceOrderId: '801DENIED', customerCode: '10C1000', orderDate: '2026-01-01', dueDate: '2026-01-02', currency: 'USD', lines: [{ line: 1, itemCode: '10-1000', quantity: 1 }] }).catch((e: QadError) => e);
    expect(denied).toMatchObject({ code: 'QAD_ERR_FORBIDDEN', statusCode: 403, retryable: false });
    await client.close();
    const probing = await clientFor(tenant, 'webui-rest', {}, readonly);
    const error = await probing.connect().catch((e: QadError) => e);
    expect(error).toMatchObject({ code: 'QAD_ERR_FORBIDDEN', statusCode: 403 });
    expect((error as Error).message).toMatch(/api\/erp\/salesOrderHeaders/);
    await probing.close();
  });

  it('keeps to the per-tenant concurrency limit of the profile', async () => {
    const profile = withOverrides(await loadQadProfile('adaptive-rest'), (p) => {
      (p.limits as { concurrency: number }).concurrency = 2;
    });
    const client = await clientFor(tenant, profile);
    await client.connect();
    tenant.control.setLatency(30);
    tenant.control.resetCounters();
    await Promise.all(Array.from({ length: 8 }, () => client.getRecord('item', '10-2000')));
    expect(tenant.control.counters().maxInFlight).toBe(2);
    await client.close();
  });

  it('retries idempotent reads on 503 and gives up on writes with a retryable error', async () => {
    const client = await clientFor(tenant, 'adaptive-rest');
    await client.connect();
    tenant.control.failNext(2, 503);
    expect(await client.getRecord('customer', 'US-SET|10C1000')).not.toBeNull();
    tenant.control.failNext(1, 503, ['erpWrite']);
    const error = await client.updateCustomer('US-SET|10C1000', { city: 'Evanston' }).catch((e: QadError) => e);
    expect(error).toMatchObject({ code: 'QAD_ERR_SERVER', statusCode: 503, retryable: true });
    expect((error as Error).message).not.toMatch(/<html|Tomcat/i);
    await client.close();
  });

  it('fails with a transport error naming only method and path when the tenant is down', async () => {
    const profile = withOverrides(await loadQadProfile('adaptive-rest'), (p) => {
      if (p.auth.mode === 'oauth2-password') p.auth.transport = 'query';
    });
    const client = await clientFor(tenant, profile, {}, { password: tenant.description.password });
    await tenant.control.crash({ downForMs: 300 });
    const error = await client.connect().catch((e: QadError) => e);
    expect(error).toMatchObject({ code: 'QAD_ERR_TRANSPORT', retryable: true });
    expect((error as Error).message).not.toContain(tenant.description.password);
    await tenant.control.restart();
    await client.connect();
    await client.close();
  });
});
