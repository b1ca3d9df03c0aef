import { createSandboxClock } from '../../../sandbox/clock.js';
import { startSimulatedOrg, type SimulatedOrg, type SimulatedOrgOptions } from '../../../sandbox/salesforce/org.js';

/** A running org plus a token and a small fetch wrapper, for contract tests over loopback HTTP. */
export interface OrgFixture {
  org: SimulatedOrg;
  token: string;
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any; text: string }>;
  login(): Promise<string>;
}

export async function startOrg(options: SimulatedOrgOptions = {}): Promise<OrgFixture> {
  const org = await startSimulatedOrg({ clock: createSandboxClock(Date.parse('2026-06-01T12:00:00Z')), ...options });
  const fixture: OrgFixture = {
    org,
    token: '',
    async login() {
      const res = await fetch(`${org.loginUrl}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: org.clientId, client_secret: org.clientSecret }),
      });
      const answer = (await res.json()) as { access_token: string };
      fixture.token = answer.access_token;
      return fixture.token;
    },
    async api(method, path, body, headers = {}) {
      const url = path.startsWith('http') ? path : `${org.baseUrl}${path.startsWith('/services') || path.startsWith('/__sandbox') ? path : `/services/data/v${org.apiVersion}${path}`}`;
      const isText = typeof body === 'string';
      const res = await fetch(url, {
        method,
        headers: {
          ...(fixture.token ? { authorization: `Bearer ${fixture.token}` } : {}),
          ...(body !== undefined ? { 'content-type': isText ? 'text/csv' : 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: isText ? body : JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      if ((res.headers.get('content-type') ?? '').startsWith('application/json') && text !== '') parsed = JSON.parse(text);
      return { status: res.status, headers: res.headers, body: parsed, text };
    },
  };
  await fixture.login();
  return fixture;
}
