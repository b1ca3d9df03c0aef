import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulatedOrg, type SimulatedOrg } from '../../sandbox/salesforce/org.js';
import { SalesforceClient } from '../../src/clients/salesforce/index.js';
import { silentLogger } from '../../src/logger.js';
import { ALL_AUDIT_STATUSES, mirrorAuditOnce } from '../../src/sync/auditMirror.js';
import type { AuditAppend } from '../../src/store/index.js';
import { openTestStore, type TestStore } from './helpers.js';

/**
 * The audit mirror against the simulated org over real HTTP: a row the org keeps refusing is sent
 * a bounded number of times, then marked mirror-failed and left out, while the other rows mirror.
 */
describe('audit mirror dead letter', () => {
  let org: SimulatedOrg;
  let salesforce: SalesforceClient;
  let t: TestStore;
  let now = Date.parse('2026-03-01T10:00:00.000Z');
  const clock = () => now;

  beforeEach(async () => {
    org = await startSimulatedOrg({ port: 0, host: '127.0.0.1' });
    salesforce = new SalesforceClient({ loginUrl: org.loginUrl, clientId: org.clientId, clientSecret: org.clientSecret, apiVersion: org.apiVersion, sandboxMode: true }, { logger: silentLogger });
    t = await openTestStore({ clock });
  });

  afterEach(async () => {
    await t.close();
    await org.close();
  });

  const row = (eventId: string, extra: Partial<AuditAppend> = {}): AuditAppend => ({
    eventId,
    connectionId: 'c1',
    direction: 'QAD to Salesforce',
    object: 'Account',
    operation: 'Upsert',
    status: 'Succeeded',
    correlationId: `corr-${eventId}`,
    attempt: 1,
    sourceId: `S|${eventId}`,
    ...extra,
  });

  const cycle = (maxAttempts?: number) =>
    mirrorAuditOnce({
      connectionId: 'c1',
      store: t.store,
      salesforce,
      logger: silentLogger,
      clock,
      mirroredStatuses: () => new Set(ALL_AUDIT_STATUSES),
      ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    });
  const upsertCalls = () => org.control.counters()['collections-upsert'] ?? 0;
  const inOrg = (eventId: string) => org.control.query<{ Id: string }>(`SELECT Id FROM Sync_Audit__c WHERE Bridge_Event_Id__c = '${eventId}'`).length;

  it('sends a refused row at most maxAttempts times, marks it mirror-failed, keeps mirroring the others', async () => {
    // Salesforce_Record_Id__c is Text(18): the org refuses this row with STRING_TOO_LONG every time
    await t.store.audit.append(row('bad-1', { salesforceRecordId: '001'.padEnd(40, 'x') }));
    await t.store.audit.append(row('good-1'));

    const first = await cycle(3);
    expect(first).toMatchObject({ sent: 1, failed: 1, gaveUp: 0 });
    expect(inOrg('good-1')).toBe(1);
    expect(await t.store.audit.get('bad-1')).toMatchObject({ mirroredAt: null, mirrorAttempts: 1, mirrorFailedAt: null, mirrorError: expect.stringContaining('STRING_TOO_LONG') });

    now += 60_000;
    expect(await cycle(3)).toMatchObject({ sent: 0, failed: 1, gaveUp: 0 });
    now += 60_000;
    const third = await cycle(3);
    expect(third).toMatchObject({ sent: 0, failed: 1, gaveUp: 1 });
    const failedAt = new Date(now).toISOString();
    expect(upsertCalls()).toBe(3);
    expect(await t.store.audit.get('bad-1')).toMatchObject({ mirroredAt: null, mirrorAttempts: 3, mirrorFailedAt: failedAt, mirrorError: expect.stringContaining('Salesforce_Record_Id__c') });

    // no longer sent: a cycle with nothing else to mirror makes no call, one with new rows sends only them
    now += 60_000;
    expect(await cycle(3)).toEqual({ sent: 0, failed: 0, skipped: 0, gaveUp: 0 });
    expect(upsertCalls()).toBe(3);
    await t.store.audit.append(row('good-2'));
    expect(await cycle(3)).toEqual({ sent: 1, failed: 0, skipped: 0, gaveUp: 0 });
    expect(upsertCalls()).toBe(4);
    expect(inOrg('good-2')).toBe(1);
    expect(inOrg('bad-1')).toBe(0);
    expect(await t.store.audit.countMirrorFailed('c1')).toBe(1);
    expect(await t.store.audit.countMirrorFailed('other')).toBe(0);
    // still in the local trail, with the failure on it
    const page = await t.store.audit.search({ connectionId: 'c1' });
    expect(page.rows.find((r) => r.eventId === 'bad-1')).toMatchObject({ mirrorFailedAt: failedAt, mirrorAttempts: 3 });
  });

  it('defaults to five attempts, and a successful mirror clears the count', async () => {
    await t.store.audit.append(row('flaky-1', { salesforceRecordId: '001'.padEnd(30, 'y') }));
    for (let i = 1; i <= 2; i++) await cycle();
    expect(await t.store.audit.get('flaky-1')).toMatchObject({ mirrorAttempts: 2, mirrorFailedAt: null });
    // the value is put right in the local store (as a fix by hand would); the next cycle mirrors the row and clears the count
    await t.store.db.updateTable('audit_events').set({ salesforce_record_id: '001000000000001AAA' }).where('event_id', '=', 'flaky-1').execute();
    expect(await cycle()).toMatchObject({ sent: 1, failed: 0 });
    expect(await t.store.audit.get('flaky-1')).toMatchObject({ mirrorAttempts: 0, mirrorError: null, mirrorFailedAt: null, mirroredAt: expect.any(String) });
    expect(inOrg('flaky-1')).toBe(1);

    await t.store.audit.append(row('bad-2', { salesforceRecordId: '001'.padEnd(30, 'z') }));
    for (let i = 1; i <= 4; i++) expect((await cycle()).gaveUp).toBe(0);
    expect((await cycle()).gaveUp).toBe(1);
    const calls = upsertCalls();
    await cycle();
    expect(upsertCalls()).toBe(calls);
    expect(await t.store.audit.get('bad-2')).toMatchObject({ mirrorAttempts: 5, mirrorFailedAt: expect.any(String) });
    // a status change (a replay marks it Replayed) is a new version of the row: it is tried again from zero
    await t.store.audit.updateStatus('bad-2', 'Replayed');
    expect(await t.store.audit.get('bad-2')).toMatchObject({ mirrorAttempts: 0, mirrorFailedAt: null });
    await cycle();
    expect(upsertCalls()).toBe(calls + 1);
  });
});
