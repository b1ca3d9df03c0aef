import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLoopbackCertificate } from '../../sandbox/salesforce/pubsub/certificate.js';
import { ConnectionSecrets, CredentialVault, loadKeyring } from '../../src/credentials/index.js';
import { createLogger, loggableUrl } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { openStore, type Store } from '../../src/store/index.js';
import type { ConnectionRuntimeStatus, EngineApi, ReplayOutcome } from '../../src/sync/api.js';

/** An engine that is ready and does nothing: these tests are about the HTTP edge. */
class IdleEngine implements EngineApi {
  isReady(): boolean {
    return true;
  }
  async status(): Promise<ConnectionRuntimeStatus[]> {
    return [];
  }
  async pauseStream(): Promise<void> {}
  async resumeStream(): Promise<void> {}
  async runNow(): Promise<void> {}
  async replay(auditEventId: string): Promise<ReplayOutcome> {
    return { replayOf: auditEventId, auditEventId, status: 'Succeeded' };
  }
  async stop(): Promise<void> {}
}

const TOKEN = 'hardening-token-0123456789abcdef';

interface Harness {
  server: RunningServer;
  store: Store;
  dir: string;
  logs: string[];
  call(method: string, route: string, body?: unknown, token?: string | null): Promise<Response>;
  close(): Promise<void>;
}

async function startHarness(options: { underPressure?: { maxHeapUsedBytes?: number; sampleIntervalMs?: number }; sandboxMode?: boolean } = {}): Promise<Harness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mlc-harden-'));
  const store = await openStore({ file: path.join(dir, 'bridge.sqlite') });
  await store.migrateToLatest();
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const vault = new CredentialVault(loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY: randomBytes(32).toString('base64') } }));
  mkdirSync(path.join(dir, 'ca'));
  const server = await startServer({
    logger: createLogger({ level: 'debug' }, sink),
    store,
    engine: new IdleEngine(),
    secrets: new ConnectionSecrets(store, vault),
    apiToken: TOKEN,
    metricsRegistry: new Registry(),
    host: '127.0.0.1',
    port: 0,
    handleSignals: false,
    caFileDir: path.join(dir, 'ca'),
    ...(options.sandboxMode ? { sandboxMode: true } : {}),
    ...(options.underPressure ? { underPressure: options.underPressure } : {}),
  });
  const call = (method: string, route: string, body?: unknown, token: string | null = TOKEN) =>
    fetch(`${server.url}${route}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  return {
    server,
    store,
    dir,
    logs,
    call,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitFor(what: string, check: () => Promise<boolean>, deadlineMs = 30_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('request URLs in the log', () => {
  it('keeps the path and the audit filters, and redacts every other query value', () => {
    expect(loggableUrl('/v1/audit?status=Failed&limit=5')).toBe('/v1/audit?status=Failed&limit=5');
    expect(loggableUrl('/v1/audit?access_token=abc&limit=5')).toBe('/v1/audit?access_token=[REDACTED]&limit=5');
    expect(loggableUrl('/health?t=abc')).toBe('/health?t=[REDACTED]');
    expect(loggableUrl('/health?%74oken=abc')).toBe('/health?%74oken=[REDACTED]');
    expect(loggableUrl('/health?%zz=abc')).toBe('/health?%zz=[REDACTED]');
    expect(loggableUrl('/health?')).toBe('/health');
    expect(loggableUrl('/health')).toBe('/health');
  });

  it('never writes a token sent in a query string to the log', async () => {
    const h = await startHarness();
    try {
      const secrets = ['qs-secret-health-1', 'qs-secret-audit-2', 'qs-secret-unauth-3', 'qs-secret-404-4', 'qs-secret-any-5'];
      expect((await h.call('GET', `/health?token=${secrets[0]}`, undefined, null)).status).toBe(200);
      expect((await h.call('GET', `/v1/audit?access_token=${secrets[1]}&limit=5`)).status).toBe(200);
      expect((await h.call('GET', `/v1/connections?apiToken=${secrets[2]}`, undefined, null)).status).toBe(401);
      expect((await h.call('GET', `/no/such/route?password=${secrets[3]}`, undefined, null)).status).toBe(404);
      expect((await h.call('GET', `/v1/audit?x=${secrets[4]}`)).status).toBe(200);
      await h.server.close();
      const logs = h.logs.join('');
      expect(logs).toContain('"url":"/v1/audit?access_token=[REDACTED]&limit=5"');
      expect(logs).toContain('"url":"/health?token=[REDACTED]"');
      for (const secret of secrets) expect(logs).not.toContain(secret);
      expect(logs).not.toContain(TOKEN);
    } finally {
      await h.close();
    }
  });
});

describe('load shedding', () => {
  let h: Harness;
  beforeAll(async () => {
    // a 1-byte heap limit puts the bridge under pressure from the first sample on
    h = await startHarness({ underPressure: { maxHeapUsedBytes: 1, sampleIntervalMs: 20 } });
    await waitFor('the admin API to shed load', async () => (await h.call('GET', '/v1/audit')).status === 503);
  });
  afterAll(async () => h.close());

  it('sheds the admin API with a 503 that says so', async () => {
    const shed = await h.call('GET', '/v1/connections');
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('10');
    expect(await shed.json()).toMatchObject({ code: 'BRIDGE_ERR_NOT_READY', retryable: true });
  });

  it('never sheds /health, even for 50 clients at once', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => h.call('GET', '/health', undefined, null)));
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 50 }, () => 200));
  });

  it('answers /metrics to 50 concurrent scrapers', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => h.call('GET', '/metrics', undefined, null)));
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 50 }, () => 200));
    const texts = await Promise.all(answers.map((a) => a.text()));
    expect(texts.every((t) => t.includes('process_cpu_user_seconds_total'))).toBe(true);
  });

  it('says not ready with the shedding error body, not a 500', async () => {
    const ready = await h.call('GET', '/ready', undefined, null);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ code: 'BRIDGE_ERR_NOT_READY' });
  });
});

describe('POST /v1/connections applies the config checks', () => {
  let h: Harness;
  let pem: string;
  beforeAll(async () => {
    h = await startHarness();
    pem = (await makeLoopbackCertificate()).certPem;
  });
  afterAll(async () => h.close());

  const base = (over: { salesforce?: Record<string, unknown>; qad?: Record<string, unknown> } = {}) => ({
    id: `c${randomBytes(4).toString('hex')}`,
    name: 'Checked',
    salesforce: { loginUrl: 'https://checked.my.salesforce.com', clientId: 'cid', clientSecret: 'sf-secret-not-echoed', ...over.salesforce },
    qad: { baseUrl: 'https://checked.qad.cloud/clouderp', profile: 'adaptive-rest', username: 'svc', password: 'qad-secret-not-echoed', ...over.qad },
  });

  async function refused(body: ReturnType<typeof base>, field: string, pattern: RegExp): Promise<void> {
    const answer = await h.call('POST', '/v1/connections', body);
    const text = await answer.text();
    expect(answer.status, text).toBe(400);
    expect(text).not.toContain('sf-secret-not-echoed');
    expect(text).not.toContain('qad-secret-not-echoed');
    const problems = (JSON.parse(text) as { details: { problems: string[] } }).details.problems;
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^body\\.${field.replace(/\./g, '\\.')}: `))]));
    expect(problems.join('\n')).toMatch(pattern);
    const listed = (await (await h.call('GET', '/v1/connections')).json()) as { connections: Array<{ id: string }> };
    expect(listed.connections.map((c) => c.id)).not.toContain(body.id);
  }

  it.each([
    ['http://checked.qad.cloud/clouderp', /rule: https-only/],
    ['https://127.0.0.1/clouderp', /rule: no-loopback/],
    ['https://localhost:8443/clouderp', /rule: no-loopback/],
    ['https://[::1]/clouderp', /rule: no-loopback/],
    ['https://[::ffff:127.0.0.1]/clouderp', /rule: no-loopback/],
    ['https://[::127.0.0.1]/clouderp', /rule: no-loopback/],
    ['https://10.0.0.5/clouderp', /rule: no-private-network/],
    ['https://[fd00::1]/clouderp', /rule: no-private-network/],
    ['https://[fe80::1]/clouderp', /rule: no-link-local/],
    ['https://169.254.169.254/latest/meta-data', /rule: no-metadata-service/],
    ['https://metadata.google.internal/computeMetadata/v1', /rule: no-metadata-service/],
    ['https://svc:pw@checked.qad.cloud/clouderp', /rule: no-user-info/],
  ])('refuses the QAD tenant URL %s', async (baseUrl, pattern) => {
    await refused(base({ qad: { baseUrl } }), 'qad.baseUrl', pattern);
  });

  it.each([
    ['https://127.0.0.1:8443', /loopback URL needs sandboxMode/],
    ['https://attacker.example.com', /not an https Salesforce My Domain URL/],
    ['http://checked.my.salesforce.com', /not an https Salesforce My Domain URL/],
  ])('refuses the Salesforce login URL %s', async (loginUrl, pattern) => {
    await refused(base({ salesforce: { loginUrl } }), 'salesforce.loginUrl', pattern);
  });

  it('refuses a Pub/Sub endpoint that is not Salesforce', async () => {
    await refused(base({ salesforce: { pubsub: { endpoint: '169.254.169.254:80' } } }), 'salesforce.pubsub.endpoint', /not a Salesforce host/);
  });

  it('refuses caFile paths outside its folder, through links, and files that are no certificate', async () => {
    const caDir = path.join(h.dir, 'ca');
    writeFileSync(path.join(caDir, 'notes.txt'), 'not a certificate');
    writeFileSync(path.join(h.dir, 'outside.pem'), pem);
    symlinkSync(path.join(h.dir, 'outside.pem'), path.join(caDir, 'link.pem'));
    mkdirSync(path.join(caDir, 'folder.pem'));
    const cases: Array<[string, RegExp]> = [
      ['/etc/passwd', /is outside/],
      ['../outside.pem', /is outside/],
      ['link.pem', /links outside/],
      ['notes.txt', /holds no PEM certificate/],
      ['folder.pem', /is not a regular file/],
      ['missing.pem', /cannot be read \(ENOENT\)/],
    ];
    for (const [caFile, pattern] of cases) {
      await refused(base({ salesforce: { pubsub: { endpoint: 'api.pubsub.salesforce.com:7443', caFile } } }), 'salesforce.pubsub.caFile', pattern);
    }
  });

  it('accepts a good connection, with a PEM CA file inside its folder', async () => {
    writeFileSync(path.join(h.dir, 'ca', 'private-ca.pem'), pem);
    const body = base({ salesforce: { pubsub: { endpoint: 'api.pubsub.salesforce.com:7443', caFile: 'private-ca.pem' } } });
    const created = await h.call('POST', '/v1/connections', body);
    expect(created.status, await created.clone().text()).toBe(201);
  });

  it('allows loopback URLs only when the bridge runs in sandbox mode', async () => {
    const sandbox = await startHarness({ sandboxMode: true });
    try {
      const body = base({ salesforce: { loginUrl: 'http://127.0.0.1:4000', pubsub: { endpoint: '127.0.0.1:7443' } }, qad: { baseUrl: 'http://127.0.0.1:4001/clouderp' } });
      expect((await sandbox.call('POST', '/v1/connections', body)).status).toBe(201);
      const metadata = base({ qad: { baseUrl: 'https://169.254.169.254/clouderp' } });
      expect((await sandbox.call('POST', '/v1/connections', metadata)).status).toBe(400);
    } finally {
      await sandbox.close();
    }
  });
});
