import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { createTarget, manualClock, storeTargetNames, type StoreTarget } from './storeTargets.js';

describe.each(storeTargetNames())('jobs on %s', (name) => {
  let target: StoreTarget;
  let store: Store;
  const clock = manualClock();

  beforeEach(async () => {
    clock.set(Date.parse('2026-01-05T10:00:00.000Z'));
    target = createTarget(name);
    // random() = 1 pins jitter to the top of its span, so the schedule is exact.
    store = await target.open({
      clock: clock.now,
      random: () => 1,
      jobRetry: { baseDelayMs: 1_000, factor: 2, maxDelayMs: 5_000, jitter: 0.5, maxRetries: 3 },
    });
    await store.migrateToLatest();
  });
  afterEach(async () => target.cleanup());

  it('does not queue the same change twice while it is pending, but does once it has finished', async () => {
    const first = await store.jobs.enqueue({ connectionId: 'c', stream: 'qad-customers', key: 'S1|C1', payload: { name: 'Acme', n: 1 } });
    const twin = await store.jobs.enqueue({ connectionId: 'c', stream: 'qad-customers', key: 'S1|C1', payload: { n: 1, name: 'Acme' } });
    expect(first.created).toBe(true);
    expect(twin.created).toBe(false);
    expect(twin.job.id).toBe(first.job.id);

    const changed = await store.jobs.enqueue({ connectionId: 'c', stream: 'qad-customers', key: 'S1|C1', payload: { name: 'Acme 2' } });
    expect(changed.created).toBe(true);

    const [claimed] = await store.jobs.claim(10, 'w1');
    expect(claimed?.id).toBe(first.job.id);
    expect(await store.jobs.complete(first.job.id, 'w1')).toBe(true);
    const again = await store.jobs.enqueue({ connectionId: 'c', stream: 'qad-customers', key: 'S1|C1', payload: { name: 'Acme', n: 1 } });
    expect(again.created).toBe(true);
    expect((await store.jobs.counts('c'))).toMatchObject({ queued: 2, succeeded: 1 });
  });

  it('never lets a later change to a record overtake an earlier one', async () => {
    const older = await store.jobs.enqueue({ connectionId: 'c', stream: 's', key: 'k', payload: { v: 1 } });
    clock.advance(1);
    const newer = await store.jobs.enqueue({ connectionId: 'c', stream: 's', key: 'k', payload: { v: 2 } });
    const other = await store.jobs.enqueue({ connectionId: 'c', stream: 's', key: 'other', payload: { v: 1 } });
    const batch = await store.jobs.claim(10, 'w1');
    expect(batch.map((job) => job.id).sort()).toEqual([older.job.id, other.job.id].sort());
    expect(await store.jobs.claim(10, 'w2')).toEqual([]);
    await store.jobs.complete(older.job.id, 'w1');
    const next = await store.jobs.claim(10, 'w2');
    expect(next.map((job) => job.id)).toEqual([newer.job.id]);
  });

  it('backs off exponentially with a cap and fails the job after its last attempt', async () => {
    const { job } = await store.jobs.enqueue({ connectionId: 'c', stream: 's', key: 'k', payload: {} });
    expect(job.maxAttempts).toBe(4);
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const [claimed] = await store.jobs.claim(1, 'w');
      expect(claimed?.attempt).toBe(attempt);
      const failed = await store.jobs.fail(job.id, { code: 'SF_UNAVAILABLE', message: 'HTTP 503' }, 'w');
      expect(failed.status).toBe('queued');
      delays.push(Date.parse(failed.nextRunAt as string) - clock.now());
      // not claimable before its time
      clock.advance(delays[delays.length - 1]! - 1);
      expect(await store.jobs.claim(1, 'w')).toEqual([]);
      clock.advance(1);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000]);

    const [last] = await store.jobs.claim(1, 'w');
    expect(last?.attempt).toBe(4);
    const final = await store.jobs.fail(job.id, { code: 'SF_UNAVAILABLE', message: 'HTTP 503' }, 'w');
    expect(final).toMatchObject({ status: 'failed', nextRunAt: null, lastErrorCode: 'SF_UNAVAILABLE', attempt: 4 });
    clock.advance(1_000_000);
    expect(await store.jobs.claim(1, 'w')).toEqual([]);
    expect((await store.jobs.counts()).failed).toBe(1);
  });

  it('caps the delay and honours Retry-After; a non-retryable failure fails at once', async () => {
    const a = await store.jobs.enqueue({ connectionId: 'c', stream: 's', key: 'a', payload: {} });
    const b = await store.jobs.enqueue({ connectionId: 'c', stream: 's', key: 'b', payload: {} });
    await store.jobs.claim(2, 'w');
    const honoured = await store.jobs.fail(a.job.id, { code: 'RATE', message: '429', retryAfterMs: 3_500 });
    expect(Date.parse(honoured.nextRunAt as string) - clock.now()).toBe(3_500);
    const permanent = await store.jobs.fail(b.job.id, { code: 'BAD_FIELD', message: 'no such field', retryable: false });
    expect(permanent.status).toBe('failed');
  });

  it('parks a job waiting on a link and wakes it when the link appears', async () => {
    const order = await store.jobs.enqueue({ connectionId: 'c', stream: 'sf-orders', key: '801A', payload: {} });
    const unrelated = await store.jobs.enqueue({ connectionId: 'c', stream: 'sf-orders', key: '801B', payload: {} });
    const [claimed] = await store.jobs.claim(1, 'w');
    expect(claimed?.id).toBe(order.job.id);
    expect(await store.jobs.wait(order.job.id, 'Product2:10|WIDGET', { workerId: 'w' })).toBe(true);
    await store.jobs.claim(1, 'w').then(async ([job]) => {
      expect(job?.id).toBe(unrelated.job.id);
      await store.jobs.wait(unrelated.job.id, 'Account:S|C9');
    });

    clock.advance(60_000);
    expect(await store.jobs.claim(5, 'w')).toEqual([]);
    const parked = await store.jobs.get(order.job.id);
    expect(parked).toMatchObject({ status: 'waiting', waitingOn: 'Product2:10|WIDGET', attempt: 0 });

    expect(await store.jobs.wake('other-connection', 'Product2:10|WIDGET')).toBe(0);
    expect(await store.jobs.wake('c', 'Product2:10|WIDGET')).toBe(1);
    const woken = await store.jobs.claim(5, 'w');
    expect(woken.map((job) => job.id)).toEqual([order.job.id]);
    expect(woken[0]).toMatchObject({ attempt: 1, waitingOn: null, status: 'running' });
  });

  it('releases a worker\'s running jobs on shutdown and lets another take over a lapsed lock', async () => {
    const a = await store.jobs.enqueue({ connectionId: 'c', stream: 's', key: 'a', payload: {} });
    const b = await store.jobs.enqueue({ connectionId: 'c', stream: 's', key: 'b', payload: {} });
    await store.jobs.claim(1, 'stopping', { lockMs: 30_000 });
    await store.jobs.claim(1, 'dead', { lockMs: 30_000 });
    expect(await store.jobs.release('stopping')).toBe(1);
    expect(await store.jobs.get(a.job.id)).toMatchObject({ status: 'queued', attempt: 0, lockedBy: null });

    const survivor = await store.jobs.claim(5, 'survivor');
    expect(survivor.map((job) => job.id)).toEqual([a.job.id]);
    clock.advance(30_001);
    const takenOver = await store.jobs.claim(5, 'survivor');
    expect(takenOver.map((job) => job.id)).toEqual([b.job.id]);
    // the dead worker's late completion is refused
    expect(await store.jobs.complete(b.job.id, 'dead')).toBe(false);
    expect(await store.jobs.complete(b.job.id, 'survivor')).toBe(true);
  });

  it('filters claims by connection and stream', async () => {
    await store.jobs.enqueue({ connectionId: 'c1', stream: 'qad-items', key: 'i', payload: {} });
    await store.jobs.enqueue({ connectionId: 'c2', stream: 'qad-items', key: 'i', payload: {} });
    await store.jobs.enqueue({ connectionId: 'c1', stream: 'sf-orders', key: 'o', payload: {} });
    expect(await store.jobs.claim(5, 'w', { streams: [] })).toEqual([]);
    const items = await store.jobs.claim(5, 'w', { connectionId: 'c1', streams: ['qad-items'] });
    expect(items.map((job) => [job.connectionId, job.stream])).toEqual([['c1', 'qad-items']]);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('job claims across instances on postgres', () => {
  let target: StoreTarget;
  afterEach(async () => target.cleanup());

  it('never hands one job to two concurrent claimers', async () => {
    target = createTarget('postgres');
    const first = await target.open();
    await first.migrateToLatest();
    const second = await target.openSibling();
    const total = 300;
    for (let start = 0; start < total; start += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, index) => first.jobs.enqueue({ connectionId: 'c', stream: 's', key: `k${start + index}`, payload: { i: start + index } })),
      );
    }

    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    async function worker(store: Store, id: string): Promise<void> {
      for (;;) {
        const batch = await store.jobs.claim(7, id);
        if (batch.length === 0) return;
        for (const job of batch) {
          if (seen.has(job.id)) duplicates.push(job.id);
          seen.set(job.id, id);
        }
        await Promise.all(batch.map((job) => store.jobs.complete(job.id, id)));
      }
    }
    await Promise.all([worker(first, 'a1'), worker(first, 'a2'), worker(second, 'b1'), worker(second, 'b2')]);
    expect(duplicates).toEqual([]);
    expect(seen.size).toBe(total);
    expect(new Set(seen.values()).size).toBeGreaterThan(1);
    expect((await first.jobs.counts()).succeeded).toBe(total);
  });
});
