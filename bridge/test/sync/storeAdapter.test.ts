import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from './helpers.js';

const T0 = '2025-01-01T00:00:00.000Z';
const T1 = '2025-01-01T00:00:01.000Z';
const LATER = '2025-01-01T00:10:00.000Z';

function job(key: string, hash: string, extra: Record<string, unknown> = {}) {
  return { connectionId: 'c1', stream: 'qad-items', key, payload: { key, hash }, payloadHash: hash, correlationId: `corr-${key}`, maxAttempts: 3, runAt: T0, ...extra };
}

describe('KyselySyncStore on the store database', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore();
  });
  afterEach(async () => {
    await t.close();
  });

  it('keeps one pending job per key: newer content replaces the queued payload', async () => {
    const a = await t.sync.enqueue(job('k1', 'h1'));
    const b = await t.sync.enqueue(job('k1', 'h2'));
    expect(b).toEqual({ id: a.id, merged: true });
    const claimed = await t.sync.claim('c1', 'qad-items', 10, 'w1', T1, LATER);
    expect(claimed).toHaveLength(1);
    expect(claimed[0]!.payload).toEqual({ key: 'k1', hash: 'h2' });
    expect(claimed[0]!.correlationId).toBe('corr-k1');
  });

  it('re-queues a job that received newer content while it ran, instead of completing it', async () => {
    await t.sync.enqueue(job('k1', 'h1'));
    const [running] = await t.sync.claim('c1', 'qad-items', 10, 'w1', T1, LATER);
    await t.sync.enqueue(job('k1', 'h2'));
    await t.sync.succeed(running!.id, 1, 'h1', T1);
    const again = await t.sync.claim('c1', 'qad-items', 10, 'w1', T1, LATER);
    expect(again.map((j) => j.payloadHash)).toEqual(['h2']);
    await t.sync.succeed(again[0]!.id, 1, 'h2', T1);
    expect(await t.sync.claim('c1', 'qad-items', 10, 'w1', T1, LATER)).toEqual([]);
  });

  it('does not hand out jobs before their next run time, nor a claimed job twice', async () => {
    await t.sync.enqueue(job('k1', 'h1', { runAt: LATER }));
    await t.sync.enqueue(job('k2', 'h2'));
    const first = await t.sync.claim('c1', 'qad-items', 10, 'w1', T1, LATER);
    expect(first.map((j) => j.key)).toEqual(['k2']);
    expect(await t.sync.claim('c1', 'qad-items', 10, 'w2', T1, LATER)).toEqual([]);
  });

  it('parks a waiting job until its link appears, then wakes only the jobs waiting on that link', async () => {
    await t.sync.enqueue(job('o1', 'h1'));
    await t.sync.enqueue(job('o2', 'h2'));
    const claimed = await t.sync.claim('c1', 'qad-items', 10, 'w1', T1, LATER);
    await t.sync.wait(claimed[0]!.id, 1, 'sf:01tA', 'waiting for Product2 01tA', T1);
    await t.sync.wait(claimed[1]!.id, 1, 'sf:01tB', 'waiting for Product2 01tB', T1);
    expect(await t.sync.claim('c1', 'qad-items', 10, 'w1', T1, LATER)).toEqual([]);
    expect(await t.sync.wake('c1', ['sf:01tA'], T1)).toBe(1);
    const woken = await t.sync.claim('c1', 'qad-items', 10, 'w1', T1, LATER);
    expect(woken.map((j) => j.key)).toEqual(['o1']);
    expect(woken[0]!.attempt).toBe(1);
  });

  it('gives back a dead worker\'s running jobs once their lock has lapsed, and a stopping worker\'s at once', async () => {
    await t.sync.enqueue(job('k1', 'h1'));
    await t.sync.enqueue(job('k2', 'h2'));
    await t.sync.claim('c1', 'qad-items', 1, 'dead', T1, '2025-01-01T00:00:05.000Z');
    await t.sync.claim('c1', 'qad-items', 1, 'alive', T1, LATER);
    expect(await t.sync.release(null, '2025-01-01T00:00:06.000Z')).toBe(1);
    expect(await t.sync.release('alive', T1)).toBe(1);
    expect((await t.sync.claim('c1', 'qad-items', 10, 'w3', '2025-01-01T00:00:06.000Z', LATER)).length).toBe(2);
  });

  it('takes back every running job at start-up of a single-instance bridge, due at once', async () => {
    await t.sync.enqueue(job('k1', 'h1'));
    await t.sync.claim('c1', 'qad-items', 10, 'killed', T1, LATER);
    expect(await t.sync.release(null, T1, '9999-12-31T23:59:59.999Z')).toBe(1);
    const again = await t.sync.claim('c1', 'qad-items', 10, 'next', T1, LATER);
    expect(again.map((j) => [j.key, j.attempt])).toEqual([['k1', 0]]);
  });

  it('grants a lease to one holder until it expires', async () => {
    expect(await t.sync.acquireLease('connection:c1', 'a', T0, T1)).toBe(true);
    expect(await t.sync.acquireLease('connection:c1', 'b', T0, LATER)).toBe(false);
    expect(await t.sync.acquireLease('connection:c1', 'a', T0, LATER)).toBe(true);
    expect(await t.sync.acquireLease('connection:c1', 'b', '2025-01-01T00:20:00.000Z', '2025-01-01T00:30:00.000Z')).toBe(true);
    await t.sync.releaseLease('connection:c1', 'a');
    expect(await t.sync.acquireLease('connection:c1', 'a', '2025-01-01T00:21:00.000Z', '2025-01-01T00:22:00.000Z')).toBe(false);
  });

  it('keeps audit rows unmirrored until marked, and re-sends a row whose status changed', async () => {
    const base = { connectionId: 'c1', direction: 'QAD to Salesforce' as const, object: 'Account' as const, operation: 'Upsert' as const, sourceId: 'S|1', targetId: null, salesforceRecordId: null, correlationId: 'corr', attempt: 1, errorCode: null, errorMessage: null, payload: null, payloadHash: null, occurredAt: T0, replayOf: null, requestedBy: null, requestedAt: null };
    await t.sync.appendAudit({ ...base, eventId: 'e1', status: 'Failed' });
    await t.sync.appendAudit({ ...base, eventId: 'e2', status: 'Succeeded' });
    expect((await t.sync.unmirroredAudit('c1', 200)).map((e) => e.eventId)).toEqual(['e1', 'e2']);
    await t.sync.markMirrored(['e1', 'e2'], T1);
    expect(await t.sync.unmirroredAudit('c1', 200)).toEqual([]);
    await t.sync.setAuditStatus('e1', 'Replayed', T1);
    const again = await t.sync.unmirroredAudit('c1', 200);
    expect(again.map((e) => [e.eventId, e.status])).toEqual([['e1', 'Replayed']]);
  });
});
