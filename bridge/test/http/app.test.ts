import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Counter, Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionSecrets, CredentialVault, loadKeyring } from '../../src/credentials/index.js';
import { NotFoundError } from '../../src/errors.js';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { openStore, type AuditAppend, type Store } from '../../src/store/index.js';
import type { ConnectionRuntimeStatus, EngineApi, ReplayOutcome, StreamName } from '../../src/sync/api.js';

/**
 * The engine is in-process, behind EngineApi; this small implementation of the interface keeps
 * the calls it receives (and the order of stop vs. store shutdown) so the routes can be checked.
 */
class RecordingEngine implements EngineApi {
  ready = false;
  calls: Array<[string, ...unknown[]]> = [];
  failRunNowWith: Error | null = null;
  constructor(private readonly knownConnections: Set<string>) {}
  isReady(): boolean {
    return this.ready;
  }
  async status(): Promise<ConnectionRuntimeStatus[]> {
    return [...this.knownConnections].map((connectionId) => ({
      connectionId,
      running: true,
      streams: [{ stream: 'qad-customers', paused: false, lastRunAt: null, lastError: null, pendingJobs: 3 }],
      lastQadPollAt: '2026-01-05T10:00:00.000Z',
      cdcPosition: null,
      apiBudget: { used: 10, max: 100_000, remaining: 99_990 },
    }));
  }
  private known(connectionId: string): void {
    if (!this.knownConnections.has(connectionId)) throw new NotFoundError('connection', connectionId);
  }
  async pauseStream(connectionId: string, stream: StreamName): Promise<void> {
    this.known(connectionId);
    this.calls.push(['pauseStream', connectionId, stream]);
  }
  async resumeStream(connectionId: string, stream: StreamName): Promise<void> {
    this.known(connectionId);
    this.calls.push(['resumeStream', connectionId, stream]);
  }
  async runNow(connectionId: string): Promise<void> {
    this.calls.push(['runNow', connectionId]);
    if (this.failRunNowWith) throw this.failRunNowWith;
  }
  async replay(auditEventId: string, requestedBy: string): Promise<ReplayOutcome> {
    this.calls.push(['replay', auditEventId, requestedBy]);
    return { replayOf: auditEventId, auditEventId: `${auditEventId}-r1`, status: 'Succeeded' };
  }
  async stop(): Promise<void> {
    this.calls.push(['stop']);
  }
}

const TOKEN = 'test-token-0123456789abcdef';
const SF_SECRET = 'sf-client-secret-DO-NOT-LEAK-42';
const QAD_PASSWORD = 'qad-password-DO-NOT-LEAK-43';

describe('bridge HTTP service', () => {
  let dir: string;
  let store: Store;
  let engine: RecordingEngine;
  let server: RunningServer;
  let registry: Registry;
  let storeDestroyedAfterStop: boolean | null;
  let logLines: string[];

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mlc-http-'));
    store = await openStore({ file: path.join(dir, 'bridge.sqlite') });
    await store.migrateToLatest();
    await store.connections.create({ id: 'acme', name: 'Acme', config: { id: 'acme', name: 'Acme', salesforce: { loginUrl: 'https://acme.my.salesforce.com', clientId: 'cid', clientSecret: 'stored-by-mistake' }, qad: { baseUrl: 'https://q', profile: 'adaptive-rest' }, schedule: { qadPollSeconds: 30 } } });
    engine = new RecordingEngine(new Set(['acme']));
    storeDestroyedAfterStop = null;
    const destroy = store.destroy.bind(store);
    store.destroy = async () => {
      storeDestroyedAfterStop = engine.calls.some(([name]) => name === 'stop');
      await destroy();
    };
    registry = new Registry();
    new Counter({ name: 'bridge_jobs_succeeded_total', help: 'engine metric registered by the engine', registers: [registry] }).inc(7);
    const vault = new CredentialVault(loadKeyring({ env: { ML_CONNECTOR_MASTER_KEY: randomBytes(32).toString('base64') } }));
    logLines = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    server = await startServer({
      logger: createLogger({ level: 'debug' }, sink),
      store,
      engine,
      secrets: new ConnectionSecrets(store, vault),
      apiToken: TOKEN,
      metricsRegistry: registry,
      defaultMetrics: false,
      host: '127.0.0.1',
      port: 0,
      handleSignals: false,
    });
  });

  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (method: string, route: string, body?: unknown, token: string | null = TOKEN) =>
    fetch(`${server.url}${route}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it('answers liveness always and readiness only once the store and engine are', async () => {
    const health = await call('GET', '/health', undefined, null);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });

    const starting = await call('GET', '/ready', undefined, null);
    expect(starting.status).toBe(503);
    expect(await starting.json()).toEqual({ status: 'not ready', checks: { store: 'ok', engine: 'starting' } });

    engine.ready = true;
    const ready = await call('GET', '/ready', undefined, null);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { store: 'ok', engine: 'ready' } });
  });

  it('serves Prometheus metrics with HTTP metrics and the engine\'s own', async () => {
    await call('GET', '/health', undefined, null);
    const response = await call('GET', '/metrics', undefined, null);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/bridge_http_requests_total\{method="GET",route="\/health",status_code="200"\} 1/);
    expect(text).toContain('bridge_jobs_succeeded_total 7');
    expect(text).toContain('bridge_http_request_duration_seconds_bucket');
  });

  it('publishes an OpenAPI document of every route, with bearer security', async () => {
    const response = await call('GET', '/docs/json', undefined, null);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, Record<string, { security?: unknown }>>; components: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    for (const route of ['/health', '/ready', '/metrics', '/v1/connections', '/v1/connections/{id}/run', '/v1/connections/{id}/streams/{stream}/pause', '/v1/audit', '/v1/audit/{eventId}', '/v1/audit/{eventId}/replay']) {
      expect(Object.keys(doc.paths)).toContain(route);
    }
    expect(doc.paths['/v1/audit']?.get?.security).toEqual([{ bearerAuth: [] }]);
    const ui = await call('GET', '/docs', undefined, null);
    expect(ui.status).toBe(200);
  });

  it('refuses /v1 without a valid bearer token with a stable code', async () => {
    for (const token of [null, 'wrong-token-wrong-token', `${TOKEN}x`]) {
      const response = await call('GET', '/v1/audit', undefined, token);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
      expect(await response.json()).toMatchObject({ code: 'BRIDGE_ERR_UNAUTHORIZED', statusCode: 401, retryable: false });
    }
    expect(engine.calls).toEqual([]);
  });

  it('creates a connection with sealed credentials and never echoes a secret', async () => {
    const body = {
      id: 'globex',
      name: 'Globex',
      salesforce: { loginUrl: 'https://globex.my.salesforce.com', clientId: 'globex-client', clientSecret: SF_SECRET },
      qad: { baseUrl: 'https://globex.qad.cloud/clouderp', profile: 'adaptive-rest', username: 'svc', password: QAD_PASSWORD },
    };
    const created = await call('POST', '/v1/connections', body);
    const text = await created.text();
    expect(created.status).toBe(201);
    expect(text).not.toContain(SF_SECRET);
    expect(text).not.toContain(QAD_PASSWORD);
    const view = JSON.parse(text);
    expect(view).toMatchObject({ id: 'globex', salesforce: { clientId: 'globex-client', clientSecret: 'set' }, qad: { username: 'svc', password: 'set' }, runtime: null });
    expect(view.qad).not.toHaveProperty('token');

    const listed = await call('GET', '/v1/connections');
    const listText = await listed.text();
    expect(listText).not.toContain(SF_SECRET);
    const list = JSON.parse(listText) as { connections: Array<{ id: string; runtime: unknown }> };
    expect(list.connections.map((c) => c.id)).toEqual(['acme', 'globex']);
    expect(list.connections[0]?.runtime).toMatchObject({ running: true });
    expect(listText).not.toContain('stored-by-mistake');
    expect(list.connections[0]).toMatchObject({ settings: { schedule: { qadPollSeconds: 30 } } });
    expect(list.connections[1]).toMatchObject({ settings: { schedule: { qadPollSeconds: 60 }, concurrency: { salesforce: 4, qad: 2 } } });

    // at rest: sealed, and the engine's path decrypts
    const rawDb = readFileSync(path.join(dir, 'bridge.sqlite'));
    expect(rawDb.includes(Buffer.from(SF_SECRET))).toBe(false);
    expect(rawDb.includes(Buffer.from(QAD_PASSWORD))).toBe(false);
    const server2Secrets = (await store.credentials.list('globex')).map((row) => row.kind);
    expect(server2Secrets).toEqual(['qad.password', 'salesforce.clientSecret']);

    const duplicate = await call('POST', '/v1/connections', body);
    expect(duplicate.status).toBe(409);
    const duplicateText = await duplicate.text();
    expect(JSON.parse(duplicateText)).toMatchObject({ code: 'BRIDGE_ERR_CONFLICT' });
    expect(duplicateText).not.toContain(SF_SECRET);
  });

  it('answers a bad body with 400 naming the field, without echoing secrets', async () => {
    const response = await call('POST', '/v1/connections', {
      id: 'bad id',
      name: 'x',
      salesforce: { loginUrl: 'not a url', clientId: 'c', clientSecret: SF_SECRET },
      qad: { baseUrl: 'https://q', profile: 'adaptive-rest' },
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).not.toContain(SF_SECRET);
    const body = JSON.parse(text);
    expect(body.code).toBe('BRIDGE_ERR_VALIDATION');
    expect(body.details.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^body\.id: /), expect.stringMatching(/^body\.salesforce\.loginUrl: /)]));
  });

  it('pages through the audit trail with filters', async () => {
    const events: AuditAppend[] = Array.from({ length: 30 }, (_, i) => ({
      eventId: `ev-${String(i).padStart(2, '0')}`,
      connectionId: 'acme',
      direction: 'QAD to Salesforce',
      object: i < 20 ? 'Account' : 'Product2',
      operation: 'Upsert',
      status: i % 5 === 0 ? 'Failed' : 'Succeeded',
      correlationId: `corr-${i % 3}`,
      attempt: 1,
      occurredAt: new Date(Date.parse('2026-01-05T10:00:00Z') + i * 60_000).toISOString(),
    }));
    await store.audit.appendMany(events);

    const page = await (await call('GET', '/v1/audit?object=Account&limit=8&offset=8')).json();
    expect(page.total).toBe(20);
    expect(page.limit).toBe(8);
    expect(page.rows.map((r: { eventId: string }) => r.eventId)).toEqual(['ev-11', 'ev-10', 'ev-09', 'ev-08', 'ev-07', 'ev-06', 'ev-05', 'ev-04']);
    const failed = await (await call('GET', `/v1/audit?status=Failed&from=${encodeURIComponent('2026-01-05T10:05:00Z')}`)).json();
    expect(failed.rows.map((r: { eventId: string }) => r.eventId)).toEqual(['ev-25', 'ev-20', 'ev-15', 'ev-10', 'ev-05']);
    const bad = await call('GET', '/v1/audit?limit=5000&from=yesterday');
    expect(bad.status).toBe(400);
    expect((await bad.json()).details.problems.length).toBe(2);

    const one = await call('GET', '/v1/audit/ev-03');
    expect(await one.json()).toMatchObject({ eventId: 'ev-03', status: 'Succeeded', correlationId: 'corr-0' });
    const missing = await call('GET', '/v1/audit/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'BRIDGE_ERR_NOT_FOUND' });
  });

  it('replays through the engine on behalf of the caller, and only known events', async () => {
    await store.audit.append({ eventId: 'ev-fail', connectionId: 'acme', direction: 'Salesforce to QAD', object: 'Order', operation: 'Create', status: 'Failed', correlationId: 'c', attempt: 8 });
    const replayed = await call('POST', '/v1/audit/ev-fail/replay', { requestedBy: '005000000000001' });
    expect(replayed.status).toBe(202);
    expect(await replayed.json()).toEqual({ replayOf: 'ev-fail', auditEventId: 'ev-fail-r1', status: 'Succeeded' });
    const defaulted = await call('POST', '/v1/audit/ev-fail/replay', {});
    expect(defaulted.status).toBe(202);
    const unknown = await call('POST', '/v1/audit/ev-none/replay', {});
    expect(unknown.status).toBe(404);
    expect(engine.calls).toEqual([
      ['replay', 'ev-fail', '005000000000001'],
      ['replay', 'ev-fail', 'admin-api'],
    ]);
  });

  it('pauses, resumes and runs a connection through the engine', async () => {
    expect((await call('POST', '/v1/connections/acme/streams/sf-orders/pause')).status).toBe(200);
    expect(await (await call('POST', '/v1/connections/acme/streams/sf-orders/resume')).json()).toEqual({ connectionId: 'acme', stream: 'sf-orders', paused: false });
    expect((await call('POST', '/v1/connections/acme/run')).status).toBe(202);
    expect((await call('POST', '/v1/connections/ghost/run')).status).toBe(404);
    const badStream = await call('POST', '/v1/connections/acme/streams/invoices/pause');
    expect(badStream.status).toBe(400);
    expect(engine.calls).toEqual([
      ['pauseStream', 'acme', 'sf-orders'],
      ['resumeStream', 'acme', 'sf-orders'],
      ['runNow', 'acme'],
    ]);
  });

  it('keeps the bearer token and posted secrets out of the logs', async () => {
    await call('GET', '/v1/audit');
    await call('GET', '/v1/audit', undefined, 'a-wrong-token-that-is-long');
    await call('POST', '/v1/connections', {
      id: 'initech',
      name: 'Initech',
      salesforce: { loginUrl: 'https://initech.my.salesforce.com', clientId: 'c', clientSecret: SF_SECRET },
      qad: { baseUrl: 'https://q', profile: 'adaptive-rest', token: QAD_PASSWORD },
    });
    await server.close();
    const logs = logLines.join('');
    expect(logs).toContain('"url":"/v1/audit"');
    expect(logs).not.toContain(TOKEN);
    expect(logs).not.toContain('a-wrong-token-that-is-long');
    expect(logs).not.toContain(SF_SECRET);
    expect(logs).not.toContain(QAD_PASSWORD);
  });

  it('keeps internal text out of 5xx answers', async () => {
    engine.failRunNowWith = new Error(`connect ECONNREFUSED 10.0.0.5:5432 user=bridge password=${QAD_PASSWORD}`);
    const response = await call('POST', '/v1/connections/acme/run');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('ECONNREFUSED');
    expect(text).not.toContain(QAD_PASSWORD);
    expect(JSON.parse(text)).toEqual({ code: 'BRIDGE_ERR_INTERNAL', message: 'internal error; see the bridge log for details', statusCode: 500, retryable: false });
  });

  it('closes gracefully: the engine stops before the store is destroyed', async () => {
    await server.close();
    expect(engine.calls.at(-1)).toEqual(['stop']);
    expect(storeDestroyedAfterStop).toBe(true);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });
});
