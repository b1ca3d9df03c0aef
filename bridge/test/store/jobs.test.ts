import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { createTarget, manualClock, migratedStoreEachTest, storeTargetNames, type StoreTarget } from './storeTargets.js';

describe.each(storeTargetNames())('jobs on %s', (name) => {
  let store: Store;
  const clock = manualClock();
  // random() = 1 pins jitter to the top of its span, so the schedule is exact.
  migratedStoreEachTest(name, clock, (opened) => (store = opened), {
    random: () => 1,
    jobRetry: { baseDelayMs: 1_000, factor: 2, maxDelayMs: 5_000, jitter: 0.5, maxRetries: 3 },
  });

  it('keeps one pending job per record: the same change is not queued twice, newer content replaces the queued one', async () => {
    const first = await store.jobs.enqueue({ connectionId: 'c', stream: 'qad-customers', key: 'S1|C1', payload: { name: 'Acme', n: 1 }, correlationId: 'corr-1' });
    const twin = await store.jobs.enqueue({ connectionId: 'c', stream: 'qad-customers', key: 'S1|C1', payload: { n: 1, name: 'Acme' } });
    expect(first.created).toBe(true);
    expect(twin.created).toBe(false);
    expect(twin.job.id).toBe(first.job.id);

    const changed = await store.jobs.enqueue({ connectionId: 'c', stream: 'qad-customers', key: 'S1|C1', payload: { name: 'Acme 2' }, correlationId: 'corr-2' });
    expect(changed.created).toBe(false);
    expect(changed.job.id).toBe(first.job.id);

    const claimed = await store.jobs.claim(10, 'w1');
    expect(claimed.map((job) => [job.id, job.payload, job.correlationId])).toEqual([[first.job.id, { name: 'Acme 2' }, 'corr-1']]);
    expect(await store.jobs.complete(first.job.id, 'w1', claimed[0]!.payloadHash)).toBe(true);
    const again = await store.jobs.enqueue({ connectionId: 'c', stream: 'qad-customers', key: 'S1|C1', payload: { name: 'Acme', n: 1 } });
    expect(again.created).toBe(true);
    expect((await store.jobs.counts('c'))).toMatchObject({ queued: 1, succeeded: 1 });
  });

  it('never lets a later change to a record overtake an earlier one: content arriving while it runs is run after it', async () => {
    const older = await store.jobs.enqueue({ connectionId: 'c', stream: 's', key: 'k', payload: { v: 1 } });
    const other = await store.jobs.enqueue({ connectionId: 'c', stream: 's', key: 'other', payload: { v: 1 } });
    const batch = await store.jobs.claim(10, 'w1');
    expect(batch.map((job) => job.id).sort()).toEqual([older.job.id, other.job.id].sort());
    clock.advance(1);
    const newer = await store.jobs.enqueue({ connectionId: 'c', stream: 's', key: 'k', payload: { v: 2 } });
    expect(newer).toMatchObject({ created: false, job: { id: older.job.id, status: 'running', payload: { v: 2 } } });
    expect(await store.jobs.claim(10, 'w2')).toEqual([]);
    // finishing with the content it read does not finish the job: it is queued again with v2, as a fresh change
    expect(await store.jobs.complete(older.job.id, 'w1', batch.find((job) => job.id === older.job.id)!.payloadHash)).toBe(false);
    expect(await store.jobs.get(older.job.id)).toMatchObject({ status: 'queued', attempt: 0 });
    const next = await store.jobs.claim(10, 'w2');
    expect(next.map((job) => [job.id, job.payload])).toEqual([[older.job.id, { v: 2 }]]);
    expect(await store.jobs.complete(older.job.id, 'w2', next[0]!.payloadHash)).toBe(true);
    expect(await store.jobs.claim(10, 'w2')).toEqual([]);
  });

  it('does not hand out a job before its run time, nor a claimed job twice', async () => {
    await store.jobs.enqueue({ connectionId: 'c', stream: 's', key: 'later', payload: {}, runAt: clock.now() + 60_000 });
    await store.jobs.enqueue({ connectionId: 'c', stream: 's', key: 'now', payload: {} });
    expect((await store.jobs.claim(10, 'w1')).map((job) => job.key)).toEqual(['now']);
    expect(await store.jobs.claim(10, 'w2')).toEqual([]);
    clock.advance(60_000);
    expect((await store.jobs.claim(10, 'w2')).map((job) => job.key)).toEqual(['later']);
  });

  it('claims one queued job by id for a replay, counting the attempt, and refuses one another worker holds', async () => {
    const { job } = await store.jobs.enqueue({ connectionId: 'c', stream: 's', key: 'k', payload: {} });
    expect(await store.jobs.claimById(job.id, 'replayer', { lockMs: 1_000 })).toMatchObject({ id: job.id, status: 'running', attempt: 1, lockedBy: 'replayer', lockedUntil: '2026-01-05T10:00:01.000Z' });
    expect(await store.jobs.claimById(job.id, 'other')).toBeNull();
  });

  it('restarts a pending job\'s attempts when a replay merges into it, under the replayed change\'s correlation id', async () => {
    const { job } = await store.jobs.enqueue({ connectionId: 'c', stream: 's', key: 'k', payload: { v: 1 }, correlationId: 'poll' });
    await store.jobs.claim(1, 'w');
    await store.jobs.fail(job.id, { code: 'SF_UNAVAILABLE', message: '503' }, 'w');
    const replay = await store.jobs.enqueue({ connectionId: 'c', stream: 's', key: 'k', payload: { v: 2 }, correlationId: 'original', replayOf: '7.1.ab' });
    expect(replay.job).toMatchObject({ id: job.id, status: 'queued', attempt: 0, replayOf: '7.1.ab', correlationId: 'original', nextRunAt: '2026-01-05T10:00:00.000Z' });
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

  it('parks a job waiting on a link, with the reason, and wakes only the jobs waiting on a key that appeared', async () => {
    const order = await store.jobs.enqueue({ connectionId: 'c', stream: 'sf-orders', key: '801A', payload: {} });
    const unrelated = await store.jobs.enqueue({ connectionId: 'c', stream: 'sf-orders', key: '801B', payload: {} });
    const [claimed] = await store.jobs.claim(1, 'w');
    expect(claimed?.id).toBe(order.job.id);
    expect(await store.jobs.wait(order.job.id, 'Product2:10|WIDGET', { workerId: 'w', reason: { code: 'BRIDGE_ERR_WAITING_FOR_LINK', message: 'waiting for Product2 10|WIDGET' } })).toBe(true);
    await store.jobs.claim(1, 'w').then(async ([job]) => {
      expect(job?.id).toBe(unrelated.job.id);
      await store.jobs.wait(unrelated.job.id, 'Account:S|C9');
    });

    clock.advance(60_000);
    expect(await store.jobs.claim(5, 'w')).toEqual([]);
    const parked = await store.jobs.get(order.job.id);
    expect(parked).toMatchObject({ status: 'waiting', waitingOn: 'Product2:10|WIDGET', attempt: 0, lastErrorCode: 'BRIDGE_ERR_WAITING_FOR_LINK', lastErrorMessage: 'waiting for Product2 10|WIDGET' });

    expect(await store.jobs.wake('other-connection', 'Product2:10|WIDGET')).toBe(0);
    expect(await store.jobs.wake('c', ['Product2:10|WIDGET', 'Account:S|C1'])).toBe(1);
    const woken = await store.jobs.claim(5, 'w');
    expect(woken.map((job) => job.id)).toEqual([order.job.id]);
    expect(woken[0]).toMatchObject({ attempt: 1, waitingOn: null, status: 'running' });
    expect(await store.jobs.get(unrelated.job.id)).toMatchObject({ status: 'waiting', waitingOn: 'Account:S|C9' });
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

  it('gives a dead worker\'s jobs back once their lock lapsed, without spending their attempt', async () => {
    const a = await store.jobs.enqueue({ connectionId: 'c', stream: 's', key: 'a', payload: {} });
    const b = await store.jobs.enqueue({ connectionId: 'c', stream: 's', key: 'b', payload: {} });
    await store.jobs.claim(1, 'dead', { lockMs: 5_000 });
    await store.jobs.claim(1, 'alive', { lockMs: 600_000 });
    clock.advance(5_001);
    expect(await store.jobs.requeueExpired()).toBe(1);
    expect(await store.jobs.get(a.job.id)).toMatchObject({ status: 'queued', attempt: 0, lockedBy: null, nextRunAt: '2026-01-05T10:00:05.001Z' });
    expect(await store.jobs.get(b.job.id)).toMatchObject({ status: 'running', lockedBy: 'alive' });
  });

  it('takes back every running job when a single-instance bridge starts, due at once and without spending an attempt', async () => {
    const { job } = await store.jobs.enqueue({ connectionId: 'c', stream: 's', key: 'k', payload: {} });
    await store.jobs.claim(10, 'killed', { lockMs: 600_000 });
    expect(await store.jobs.requeueExpired()).toBe(0);
    expect(await store.jobs.requeueExpired({ all: true })).toBe(1);
    expect(await store.jobs.get(job.id)).toMatchObject({ status: 'queued', attempt: 0, nextRunAt: '2026-01-05T10:00:00.000Z' });
    const again = await store.jobs.claim(10, 'next');
    expect(again.map((j) => [j.key, j.attempt])).toEqual([['k', 1]]);
  });

  it('counts jobs by status per connection and stream', async () => {
    await store.jobs.enqueue({ connectionId: 'c', stream: 'qad-items', key: 'i1', payload: {} });
    await store.jobs.enqueue({ connectionId: 'c', stream: 'qad-items', key: 'i2', payload: {} });
    await store.jobs.enqueue({ connectionId: 'c', stream: 'sf-orders', key: 'o1', payload: {} });
    await store.jobs.claim(1, 'w', { streams: ['sf-orders'] });
    expect(await store.jobs.counts('c', 'qad-items')).toEqual({ queued: 2, running: 0, succeeded: 0, failed: 0, waiting: 0 });
    expect(await store.jobs.counts('c')).toMatchObject({ queued: 2, running: 1 });
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
