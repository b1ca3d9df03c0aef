import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RecordChange } from '../../../sandbox/salesforce/orgEvents.js';
import { LeakWatch, startRig, type Rig } from './harness.js';

/**
 * The client against the simulated org over real loopback HTTP. Every scenario records the org's
 * call counters in `watch.observedCalls` (printed at the end), and everything the client logged or
 * raised is scanned for secrets by the last test of the file.
 */
const watch = new LeakWatch();
let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

function observe(name: string, counters: Record<string, number>): Record<string, number> {
  watch.observedCalls[name] = counters;
  return counters;
}

const api = (r: Rig): string => `/services/data/v${r.org.apiVersion}`;

function accounts(count: number, prefix = 'S1|C'): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => ({ QAD_Id__c: `${prefix}${i}`, Name: `Customer ${i}`, QAD_Is_Customer__c: true }));
}

describe('token fetch', () => {
  it('logs in with client credentials and keeps using the token', async () => {
    rig = await startRig(watch);
    const identity = await rig.client.login();
    expect(identity).toEqual({ instanceUrl: rig.org.baseUrl, orgId: rig.org.orgId, userId: rig.org.integrationUserId });
    const token = await rig.client.getAccessToken();
    expect(rig.org.isValidAccessToken(token)).toBe(true);
    const rows = [];
    for await (const row of rig.client.query('SELECT Id FROM User')) rows.push(row);
    expect(rows.length).toBeGreaterThan(0);
    expect(observe('token fetch', rig.counters())).toMatchObject({ oauth: 1, query: 1 });
  });

  it('maps a wrong secret and a wrong client id to clear, non-retried errors', async () => {
    rig = await startRig(watch);
    const wrongSecret = 'not-the-secret-0123456789';
    watch.clientSecrets.add(wrongSecret);
    const badSecret = await watch.failure(rig.makeClient({ clientSecret: wrongSecret }).login());
    expect(badSecret).toMatchObject({ code: 'SF_ERR_AUTH', errorCode: 'invalid_client', retryable: false, statusCode: 400 });
    expect(badSecret.message).toMatch(/clientSecret/);
    const badId = await watch.failure(rig.makeClient({ clientId: 'nobody' }).login());
    expect(badId).toMatchObject({ code: 'SF_ERR_AUTH', errorCode: 'invalid_client_id' });
    expect(badId.message).toMatch(/clientId/);
    expect(rig.delays).toEqual([]);
    expect(observe('token errors', rig.counters())).toEqual({ oauth: 2 });
  });
});

describe('expired token', () => {
  it('50 concurrent calls meeting an expired token cause exactly one token request', async () => {
    rig = await startRig(watch);
    const [id] = rig.org.control.insert('Account', [{ Name: 'Shared', QAD_Id__c: 'S1|SHARED' }]) as [string];
    await rig.client.login();
    const stale = await rig.client.getAccessToken();
    rig.org.control.resetCounters();
    expect(rig.org.control.expireTokens()).toBe(1);
    const rows = await Promise.all(Array.from({ length: 50 }, () => rig!.client.retrieve('Account', id, ['Id', 'Name'])));
    expect(rows.every((row) => row?.Name === 'Shared')).toBe(true);
    const fresh = await rig.client.getAccessToken();
    expect(fresh).not.toBe(stale);
    expect(rig.org.isValidAccessToken(fresh)).toBe(true);
    // 50 answered 401, one new token, 50 retried
    expect(observe('50 concurrent calls, expired token', rig.counters())).toEqual({ oauth: 1, 'sobject-read': 100 });
  });

  it('a second 401 after the refresh surfaces instead of looping', async () => {
    rig = await startRig(watch);
    const [id] = rig.org.control.insert('Account', [{ Name: 'Once' }]) as [string];
    await rig.client.login();
    rig.org.control.resetCounters();
    rig.org.control.addFault({ kind: 401, count: 2, pathPrefix: `${api(rig)}/sobjects/Account/${id}` });
    const error = await watch.failure(rig.client.retrieve('Account', id));
    expect(error).toMatchObject({ code: 'SF_ERR_INVALID_SESSION', statusCode: 401, errorCode: 'INVALID_SESSION_ID' });
    expect(observe('second 401 surfaces', rig.counters())).toEqual({ oauth: 1, 'sobject-read': 2, faults: 2 });
  });
});

describe('retry policy', () => {
  it('backs off on 503 and 429, honours Retry-After, then succeeds', async () => {
    rig = await startRig(watch);
    rig.org.control.insert('Account', accounts(3));
    const prefix = `${api(rig)}/query`;
    rig.org.control.addFault({ kind: 503, count: 1, pathPrefix: prefix, retryAfterSeconds: 3 });
    rig.org.control.addFault({ kind: 429, count: 1, pathPrefix: prefix, retryAfterSeconds: 2 });
    rig.org.control.addFault({ kind: 503, count: 1, pathPrefix: prefix });
    const rows = [];
    for await (const row of rig.client.query('SELECT Id FROM Account')) rows.push(row);
    expect(rows).toHaveLength(3);
    // Retry-After 3 s and 2 s win over the schedule; the third retry uses it: 400 ms step, 75 % with the pinned jitter
    expect(rig.delays).toEqual([3000, 2000, 300]);
    expect(observe('429/503 backoff', rig.counters())).toEqual({ oauth: 1, query: 4, faults: 3 });
  });

  it('gives up after maxRetries with a retryable error', async () => {
    rig = await startRig(watch);
    rig.org.control.addFault({ kind: 503, count: 10, pathPrefix: `${api(rig)}/limits` });
    const error = await watch.failure(rig.client.limits());
    expect(error).toMatchObject({ code: 'SF_ERR_UNAVAILABLE', retryable: true, statusCode: 503 });
    expect(rig.delays).toEqual([75, 150, 300, 600]);
    expect(observe('503 until maxRetries', rig.counters())).toEqual({ oauth: 1, limits: 5, faults: 5 });
  });

  it('never repeats a plain create that reached the server, but repeats an upsert', async () => {
    rig = await startRig(watch);
    rig.org.control.addFault({ kind: 503, count: 1, method: 'POST', pathPrefix: `${api(rig)}/sobjects/Account` });
    const error = await watch.failure(rig.client.create('Account', { Name: 'Maybe twice' }));
    expect(error).toMatchObject({ code: 'SF_ERR_UNAVAILABLE', retryable: true });
    expect(rig.delays).toEqual([]);
    rig.org.control.addFault({ kind: 503, count: 1, pathPrefix: `${api(rig)}/composite/sobjects` });
    const outcomes = await rig.client.upsert('Account', 'QAD_Id__c', accounts(2));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(rig.delays).toEqual([75]);
    expect(rig.org.control.rowCount('Account')).toBe(2);
    expect(observe('create not retried, upsert retried', rig.counters())).toEqual({
      oauth: 1,
      'sobject-create': 1,
      'collections-upsert': 2,
      faults: 2,
    });
  });

  it('re-sends only what UNABLE_TO_LOCK_ROW held back in a collections call', async () => {
    rig = await startRig(watch);
    rig.org.control.addFault({ kind: 'UNABLE_TO_LOCK_ROW', count: 1, pathPrefix: `${api(rig)}/composite/sobjects` });
    const outcomes = await rig.client.upsert('Account', 'QAD_Id__c', accounts(3));
    expect(outcomes).toEqual([1, 2, 3].map(() => ({ ok: true, id: expect.stringMatching(/^001/), created: true })));
    expect(rig.delays).toEqual([75]);
    expect(observe('UNABLE_TO_LOCK_ROW per record', rig.counters())).toEqual({ oauth: 1, 'collections-upsert': 2, faults: 1 });
  });

  it('repeats a read that timed out, but not a create that may have landed', async () => {
    rig = await startRig(watch, {}, { requestTimeoutMs: 100 });
    rig.org.control.insert('Account', accounts(2));
    await rig.client.login();
    rig.org.control.addFault({ kind: 'latency', latencyMs: 600, count: 1, pathPrefix: `${api(rig)}/query` });
    const rows = [];
    for await (const row of rig.client.query('SELECT Id FROM Account')) rows.push(row);
    expect(rows).toHaveLength(2);
    expect(rig.delays).toEqual([75]);
    rig.org.control.addFault({ kind: 'latency', latencyMs: 600, count: 1, method: 'POST', pathPrefix: `${api(rig)}/sobjects/Account` });
    const landed = new Promise<void>((resolve) => {
      rig!.org.events.on('change', (change) => {
        if (change.changeType === 'CREATE' && change.fields.Name === 'Slow create') resolve();
      });
    });
    const error = await watch.failure(rig.client.create('Account', { Name: 'Slow create' }));
    expect(error).toMatchObject({ code: 'SF_ERR_NETWORK', errorCode: 'ETIMEDOUT', beforeSend: false });
    expect(rig.delays).toEqual([75]);
    await landed;
    // the server finished the create the client gave up on: a blind retry would have made a duplicate
    expect(rig.org.control.query("SELECT Id FROM Account WHERE Name = 'Slow create'")).toHaveLength(1);
    expect(observe('timeouts: read repeated, create not', rig.counters())).toEqual({ oauth: 1, query: 2, 'sobject-create': 1 });
  });

  it('retries a refused connection with backoff and then reports a network error', async () => {
    rig = await startRig(watch);
    const closed = await startRig(watch);
    const deadUrl = closed.org.loginUrl;
    await closed.close();
    const client = rig.makeClient({ loginUrl: deadUrl });
    const error = await watch.failure(client.login());
    expect(error).toMatchObject({ code: 'SF_ERR_NETWORK', retryable: true, errorCode: 'ECONNREFUSED' });
    expect(rig.delays).toEqual([75, 150, 300, 600]);
  });
});

describe('API budget', () => {
  it('stops work with a clear error when the daily allowance runs out', async () => {
    rig = await startRig(watch, { dailyApiRequests: 1000 });
    await rig.client.login();
    rig.org.control.setDailyAllowance({ used: 998 });
    rig.org.control.resetCounters();
    const error = await watch.failure(rig.client.upsert('Account', 'QAD_Id__c', accounts(1000)));
    expect(error).toMatchObject({ code: 'SF_ERR_REQUEST_LIMIT', retryable: false, statusCode: 403, errorCode: 'REQUEST_LIMIT_EXCEEDED' });
    expect(error.message).toMatch(/daily API request limit/);
    expect(rig.client.budget()).toEqual({ used: 1000, max: 1000, remaining: 0 });
    // two batches landed, the third was refused, and nothing more was sent
    expect(rig.org.control.rowCount('Account')).toBe(400);
    const again = await watch.failure(rig.client.retrieve('Account', '001000000000000AAA', undefined, { critical: true }));
    expect(again).toMatchObject({ code: 'SF_ERR_REQUEST_LIMIT' });
    expect(rig.delays).toEqual([]);
    expect(observe('daily allowance runs out', rig.counters())).toEqual({ 'collections-upsert': 3 });
  });

  it('treats a 429 carrying the daily REQUEST_LIMIT_EXCEEDED as the daily limit, not as a back-off', async () => {
    rig = await startRig(watch);
    rig.org.control.addFault({ kind: 429, count: 1, pathPrefix: `${api(rig)}/limits`, errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' });
    const error = await watch.failure(rig.client.limits());
    expect(error).toMatchObject({ code: 'SF_ERR_REQUEST_LIMIT', statusCode: 429 });
    expect(rig.delays).toEqual([]);
  });

  it('holds back non-critical calls inside the reserve while critical ones go out', async () => {
    rig = await startRig(watch, { dailyApiRequests: 1000 }, { apiReserve: 100 });
    const [id] = rig.org.control.insert('Account', [{ Name: 'Reserve' }]) as [string];
    await rig.client.login();
    rig.org.control.setDailyAllowance({ used: 899 });
    rig.org.control.resetCounters();
    expect(await rig.client.retrieve('Account', id)).toMatchObject({ Name: 'Reserve' });
    expect(rig.client.budget()).toEqual({ used: 900, max: 1000, remaining: 100 });
    const held = await watch.failure(rig.client.retrieve('Account', id));
    expect(held).toMatchObject({ code: 'SF_ERR_BUDGET_RESERVE', retryable: true });
    const heldUpsert = await watch.failure(rig.client.upsert('Account', 'QAD_Id__c', accounts(5)));
    expect(heldUpsert).toMatchObject({ code: 'SF_ERR_BUDGET_RESERVE' });
    const critical = await rig.client.upsert('Sync_Bridge_Status__c', 'Connection_Id__c', [{ Connection_Id__c: 'c1', Status__c: 'Running' }], {
      critical: true,
    });
    expect(critical[0]).toMatchObject({ ok: true, created: true });
    expect(observe('reserve holds back non-critical', rig.counters())).toEqual({ 'sobject-read': 1, 'collections-upsert': 1 });
    // the window frees requests: /limits (always allowed) tells the client, and normal work resumes
    rig.org.control.setDailyAllowance({ used: 10 });
    const limits = await rig.client.limits();
    expect(limits.DailyApiRequests).toMatchObject({ Max: 1000 });
    expect(await rig.client.retrieve('Account', id)).toMatchObject({ Name: 'Reserve' });
  });
});

describe('query paging', () => {
  it('streams a 5,000-row query in at least 3 pages through nextRecordsUrl', async () => {
    rig = await startRig(watch);
    rig.org.control.insert('Account', accounts(5000));
    let count = 0;
    const seen = new Set<string>();
    for await (const row of rig.client.query<{ Id: string; QAD_Id__c: string }>('SELECT Id, QAD_Id__c FROM Account')) {
      count += 1;
      seen.add(row.QAD_Id__c);
    }
    expect(count).toBe(5000);
    expect(seen.size).toBe(5000);
    const counters = observe('5,000-row query', rig.counters());
    expect(counters.query).toBe(1);
    expect((counters.query ?? 0) + (counters.queryMore ?? 0)).toBeGreaterThanOrEqual(3);
  });

  it('asks for smaller pages with Sforce-Query-Options and reads deleted rows with queryAll', async () => {
    rig = await startRig(watch);
    const ids = rig.org.control.insert('Account', accounts(1200));
    rig.org.control.delete('Account', ids.slice(0, 10));
    let live = 0;
    for await (const _row of rig.client.query('SELECT Id FROM Account', { batchSize: 500 })) live += 1;
    let all = 0;
    for await (const _row of rig.client.queryAll('SELECT Id FROM Account WHERE IsDeleted = true')) all += 1;
    expect(live).toBe(1190);
    expect(all).toBe(10);
    expect(observe('batchSize 500 + queryAll', rig.counters())).toMatchObject({ query: 2, queryMore: 2 });
  });

  it('reports unsupported SOQL as a malformed query', async () => {
    rig = await startRig(watch);
    const error = await watch.failure(
      (async () => {
        for await (const _row of rig!.client.query('SELEKT Id FROM Account')) void _row;
      })(),
    );
    expect(error).toMatchObject({ code: 'SF_ERR_MALFORMED_QUERY', statusCode: 400 });
  });
});

describe('collections upsert', () => {
  it('1,000 upserts take exactly 5 calls and report a bad record by itself', async () => {
    rig = await startRig(watch);
    const changes: RecordChange[] = [];
    rig.org.events.on('change', (change) => changes.push(change));
    const records = accounts(1000);
    records[437] = { ...records[437], Name: 'x'.repeat(300) };
    const outcomes = await rig.client.upsert('Account', 'QAD_Id__c', records);
    expect(outcomes).toHaveLength(1000);
    const failures = outcomes.map((o, i) => [i, o] as const).filter(([, o]) => !o.ok);
    expect(failures).toHaveLength(1);
    const [index, failure] = failures[0]!;
    expect(index).toBe(437);
    expect(failure).toEqual({ ok: false, errors: [expect.objectContaining({ statusCode: 'STRING_TOO_LONG', fields: ['Name'] })] });
    expect(outcomes.filter((o) => o.ok && o.created)).toHaveLength(999);
    expect(rig.org.control.rowCount('Account')).toBe(999);
    expect(observe('1,000 upserts', rig.counters())).toEqual({ oauth: 1, 'collections-upsert': 5 });
    // every write carries the call-options tag the CDC consumer uses to recognise its own changes
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => c.changeOrigin.endsWith(';client=ml-connector'))).toBe(true);

    const again = await rig.client.upsert('Account', 'QAD_Id__c', records.slice(0, 3));
    expect(again).toEqual(outcomes.slice(0, 3).map((o) => ({ ...o, created: false })));
  });

  it('updates by Id, reporting a record without an Id without sending it', async () => {
    rig = await startRig(watch);
    const ids = rig.org.control.insert('Account', accounts(3));
    const outcomes = await rig.client.updateMany('Account', [
      { Id: ids[0], Name: 'Renamed 0' },
      { Name: 'no id' },
      { Id: ids[2], Name: 'Renamed 2' },
    ]);
    expect(outcomes).toEqual([
      { ok: true, id: ids[0], created: false },
      { ok: false, errors: [expect.objectContaining({ statusCode: 'MISSING_ID', fields: ['Id'] })] },
      { ok: true, id: ids[2], created: false },
    ]);
    expect(rig.org.control.get('Account', ids[2]!)).toMatchObject({ Name: 'Renamed 2' });
    expect(observe('updateMany', rig.counters())).toEqual({ oauth: 1, 'collections-update': 1 });
  });
});

describe('Bulk API 2.0', () => {
  it('a 50,000-row upsert goes through Bulk API 2.0 and reports its failed rows per record', async () => {
    rig = await startRig(watch);
    const org = rig.org;
    const pollWaits: number[] = [];
    // the injected sleep records the poll delay and waits for the org's bulk worker instead of the clock
    const client = rig.makeClient({}, async (ms) => {
      pollWaits.push(ms);
      await org.control.bulkIdle();
    });
    const records = accounts(50_000, 'B|');
    const bad = new Set<number>();
    for (let i = 123; i < 50_000; i += 1000) {
      records[i] = { ...records[i], Name: 'y'.repeat(300) };
      bad.add(i);
    }
    const outcomes = await client.upsert('Account', 'QAD_Id__c', records);
    expect(outcomes).toHaveLength(50_000);
    outcomes.forEach((outcome, i) => {
      if (bad.has(i)) expect(outcome).toEqual({ ok: false, errors: [expect.objectContaining({ statusCode: 'STRING_TOO_LONG' })] });
      else expect(outcome.ok).toBe(true);
    });
    expect(org.control.rowCount('Account')).toBe(50_000 - bad.size);
    const counters = observe('50,000-row Bulk API 2.0 ingest', rig.counters());
    // successful and failed rows are fetched; the unprocessed file exists only for a Failed or Aborted job
    expect(counters).toMatchObject({ oauth: 1, 'bulk-create': 1, 'bulk-upload': 1, 'bulk-close': 1, 'bulk-results': 2 });
    expect(counters['collections-upsert']).toBeUndefined();
    // every status call follows a wait: a job is never finished the instant it is closed
    expect(counters['bulk-poll']).toBe(pollWaits.length);

    const direct = await client.bulkIngest('Account', 'upsert', records.slice(0, 2000), { externalIdFieldName: 'QAD_Id__c' });
    expect(direct.successful).toBe(1998);
    expect(direct.failed.map((f) => f.record.QAD_Id__c)).toEqual(['B|123', 'B|1123']);
    expect(direct.failed[0]?.error.statusCode).toBe('STRING_TOO_LONG');
    expect(direct.unprocessed).toEqual([]);
  });
});

describe('secrets', () => {
  it('nothing the client logged or raised in these scenarios holds a token, the client secret or a signature', () => {
    const haystack = [...watch.memory.lines, ...watch.raised].join('\n');
    const needles = [...watch.secrets.tokens, ...watch.secrets.signatures, ...watch.clientSecrets];
    expect(watch.secrets.tokens.size).toBeGreaterThan(10);
    expect(watch.secrets.signatures.size).toBe(watch.secrets.tokens.size);
    expect(watch.memory.lines.length).toBeGreaterThan(100);
    expect(watch.raised.length).toBeGreaterThan(10);
    // the token's session part alone must not appear either (a log line could cut the org-id prefix)
    const tokenTails = [...watch.secrets.tokens].map((t) => t.slice(t.indexOf('!') + 1));
    for (const needle of [...needles, ...tokenTails]) expect(haystack.includes(needle), `leaked ${needle.slice(0, 6)}…`).toBe(false);
    process.stdout.write(`observed org call counters: ${JSON.stringify(watch.observedCalls)}\n`);
  });
});

afterAll(async () => {
  await rig?.close();
});
