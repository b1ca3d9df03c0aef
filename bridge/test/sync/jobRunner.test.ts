import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { retryDelayMs, type RetryPolicyOptions } from '../../src/lib/retryPolicy.js';
import { silentLogger } from '../../src/logger.js';
import { JobRunner } from '../../src/sync/jobRunner.js';
import { loadMappingSet } from '../../src/sync/mapping.js';
import type { JobOutcome, StreamContext, SyncStream } from '../../src/sync/stream.js';
import { openTestStore, type TestStore } from './helpers.js';

const POLICY: RetryPolicyOptions = { maxRetries: 10, baseDelayMs: 1_000, maxDelayMs: 8_000, factor: 2, jitter: 0.5 };

/**
 * A stream whose outcomes the test scripts, to pin the runner's bookkeeping (backoff, attempts,
 * audit, wait/wake) without the clients. The runner, the store and the audit are the real ones.
 */
function scriptedStream(outcomes: JobOutcome[]): SyncStream & { calls: number } {
  const stream = {
    calls: 0,
    name: 'qad-items' as const,
    direction: 'QAD to Salesforce' as const,
    auditObject: 'Product2' as const,
    defaultOperation: 'Upsert' as const,
    batchSize: 200,
    sourceIdOf: (job: { key: string }) => job.key,
    async reread() {
      return null;
    },
    async run(jobs: unknown[]) {
      const outcome = outcomes[Math.min(stream.calls, outcomes.length - 1)]!;
      stream.calls += 1;
      return jobs.map(() => outcome);
    },
  };
  return stream;
}

describe('JobRunner', () => {
  let t: TestStore;
  let now: number;
  const context = (t: TestStore): StreamContext => ({
    connectionId: 'c1',
    salesforce: null as never,
    qad: null as never,
    links: t.store.links,
    mappings: loadMappingSet(),
    logger: silentLogger,
    standardPricebookId: async () => '01s000000000000',
  });

  beforeEach(async () => {
    now = Date.parse('2025-03-01T10:00:00.000Z');
    t = await openTestStore({ clock: () => now });
  });
  afterEach(async () => {
    await t.close();
  });

  async function enqueue(maxAttempts: number): Promise<void> {
    await t.store.jobs.enqueue({ connectionId: 'c1', stream: 'qad-items', key: 'ITEM-1', payload: { key: 'ITEM-1' }, payloadHash: 'h1', correlationId: 'qad:item:ITEM-1:run1', maxAttempts });
  }

  it('backs off exponentially with jitter up to the cap, then fails the job after its last attempt, one audit row per attempt under one correlation id', async () => {
    await enqueue(4);
    const stream = scriptedStream([{ kind: 'failed', code: 'SF_UNABLE_TO_LOCK_ROW', message: 'row locked', retryable: true }]);
    const runner = new JobRunner({ store: t.store, context: context(t), workerId: 'w1', clock: () => now, random: () => 0.25, retry: POLICY, logger: silentLogger });
    const dueTimes: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      expect(await runner.runOnce(stream)).toBe(1);
      const job = (await t.store.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow());
      if (attempt < 4) {
        expect(job.status).toBe('queued');
        const due = Date.parse(job.next_run_at!);
        expect(due - now).toBe(retryDelayMs(attempt, POLICY, null, () => 0.25));
        dueTimes.push(due - now);
        // not due yet: nothing to claim until the clock reaches it
        expect(await runner.runOnce(stream)).toBe(0);
        now = due;
      } else {
        expect(job.status).toBe('failed');
        expect(job.attempt).toBe(4);
        expect(job.last_error_code).toBe('SF_UNABLE_TO_LOCK_ROW');
      }
    }
    expect(dueTimes[1]!).toBeGreaterThan(dueTimes[0]!);
    expect(Math.max(...dueTimes)).toBeLessThanOrEqual(POLICY.maxDelayMs);
    const audit = await t.store.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
    expect(audit.map((a) => [a.status, a.attempt])).toEqual([['Retrying', 1], ['Retrying', 2], ['Retrying', 3], ['Failed', 4]]);
    expect(new Set(audit.map((a) => a.correlation_id))).toEqual(new Set(['qad:item:ITEM-1:run1']));
    expect(new Set(audit.map((a) => a.event_id)).size).toBe(4);
  });

  it('fails at once on an error a retry cannot fix', async () => {
    await enqueue(5);
    const stream = scriptedStream([{ kind: 'failed', code: 'SF_INVALID_FIELD', message: 'bad field', retryable: false }]);
    const runner = new JobRunner({ store: t.store, context: context(t), workerId: 'w1', clock: () => now, retry: POLICY, logger: silentLogger });
    await runner.runOnce(stream);
    const job = await t.store.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
    expect([job.status, job.attempt]).toEqual(['failed', 1]);
  });

  it('parks a job that waits for a link and runs it again when a success links what it waited for', async () => {
    await enqueue(5);
    const stream = scriptedStream([
      { kind: 'waiting', waitingOn: 'sf:01t000000000001', message: 'waiting for Product2 01t000000000001' },
      { kind: 'succeeded', links: [{ object: 'item', qadKey: 'ITEM-9', salesforceId: '01t000000000001', lastHash: 'x' }] },
    ]);
    const runner = new JobRunner({ store: t.store, context: context(t), workerId: 'w1', clock: () => now, retry: POLICY, logger: silentLogger });
    await runner.runOnce(stream);
    expect((await t.store.db.selectFrom('jobs').select(['status', 'waiting_on']).executeTakeFirstOrThrow())).toEqual({ status: 'waiting', waiting_on: 'sf:01t000000000001' });
    expect(await runner.runOnce(stream)).toBe(0);
    // another job's success links the product: the waiting one is woken by the runner itself
    await t.store.jobs.enqueue({ connectionId: 'c1', stream: 'qad-items', key: 'ITEM-9', payload: {}, payloadHash: 'h9', correlationId: 'c9', maxAttempts: 5 });
    expect(await runner.runOnce(stream)).toBe(1);
    expect(await runner.runOnce(stream)).toBe(1);
    const statuses = await t.store.db.selectFrom('jobs').select(['key', 'status']).orderBy('key').execute();
    expect(statuses).toEqual([{ key: 'ITEM-1', status: 'succeeded' }, { key: 'ITEM-9', status: 'succeeded' }]);
    expect(await t.store.links.findByQadKey('c1', 'item', 'ITEM-9')).toMatchObject({ salesforceId: '01t000000000001', lastHash: 'x' });
  });
});
