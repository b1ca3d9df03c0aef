import { afterEach, describe, expect, it } from 'vitest';
import { startOrg, type OrgFixture } from './helpers.js';

describe('simulated org: OAuth client credentials and sessions', () => {
  let f: OrgFixture;
  afterEach(async () => f.org.close());

  const tokenCall = (form: Record<string, string>) =>
    fetch(`${f.org.loginUrl}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });

  it('answers the documented fields, no refresh token and no expiry', async () => {
    f = await startOrg();
    const res = await tokenCall({ grant_type: 'client_credentials', client_id: f.org.clientId, client_secret: f.org.clientSecret });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'id', 'instance_url', 'issued_at', 'scope', 'signature', 'token_format', 'token_type']);
    expect(body.access_token).toMatch(/^00D[A-Za-z0-9]{12}!/);
    expect(body.instance_url).toBe(f.org.baseUrl);
    expect(body.id).toBe(`${f.org.baseUrl}/id/${f.org.orgId}/${f.org.integrationUserId}`);
    expect(body.token_type).toBe('Bearer');
    expect(body.issued_at).toMatch(/^\d{13}$/);
    expect(Number(body.issued_at)).toBeGreaterThanOrEqual(Date.parse('2026-06-01T12:00:00Z'));
    expect(Number(body.issued_at)).toBeLessThanOrEqual(f.org.clock.now());
    expect(f.org.isValidAccessToken(body.access_token as string)).toBe(true);
    expect(f.org.control.counters().oauth).toBe(2);
  });

  it('answers 400 with the documented error for a bad client id, a bad secret and another grant', async () => {
    f = await startOrg();
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ grant_type: 'client_credentials', client_id: 'nope', client_secret: f.org.clientSecret }, 'invalid_client_id', 'client identifier invalid'],
      [{ grant_type: 'client_credentials', client_id: f.org.clientId, client_secret: 'wrong' }, 'invalid_client', 'invalid client credentials'],
      [{ grant_type: 'password', client_id: f.org.clientId, client_secret: f.org.clientSecret }, 'unsupported_grant_type', 'grant type not supported'],
    ];
    for (const [form, error, description] of cases) {
      const res = await tokenCall(form);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error, error_description: description });
    }
  });

  it('answers 401 INVALID_SESSION_ID for a missing token, after the inactivity TTL and after expireTokens', async () => {
    f = await startOrg({ tokenTtlMs: 60_000 });
    const expired = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];
    expect((await f.api('GET', '/limits/')).status).toBe(200);
    f.org.clock.advance(59_000);
    expect((await f.api('GET', '/limits/')).status).toBe(200);
    f.org.clock.advance(60_000);
    const late = await f.api('GET', '/limits/');
    expect(late.status).toBe(401);
    expect(late.body).toEqual(expired);

    await f.login();
    expect((await f.api('GET', '/limits/')).status).toBe(200);
    expect(f.org.control.expireTokens()).toBeGreaterThan(0);
    const afterExpiry = await f.api('GET', '/limits/');
    expect(afterExpiry.status).toBe(401);
    expect(afterExpiry.body).toEqual(expired);

    const anonymous = await f.api('GET', '/limits/', undefined, { authorization: '' });
    expect(anonymous.status).toBe(401);
  });
});
