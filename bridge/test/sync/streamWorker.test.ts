import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { JobRunner } from '../../src/sync/jobRunner.js';
import { loadMappingSet } from '../../src/sync/mapping.js';
import type { JobOutcome, StreamContext, SyncStream } from '../../src/sync/stream.js';
import { StreamWorker } from '../../src/sync/streamWorker.js';
import { openTestStore, type TestStore } from './helpers.js';

/**
 * A Salesforce-writing stream whose batches stay "in flight" until the test has seen as many as
 * the limit allows (or all there are), so the highest number seen at once is exact, not timing.
 */
function gatedStream(totalBatches: number, limit: number): SyncStream & { maxInFlight: number; keysRun: string[] } {
  let inFlight = 0;
  let started = 0;
  let gate: Array<() => void> = [];
  const stream = {
    maxInFlight: 0,
    keysRun: [] as string[],
    name: 'qad-items' as const,
    direction: 'QAD to Salesforce' as const,
    auditObject: 'Product2' as const,
    defaultOperation: 'Upsert' as const,
    batchSize: 2,
    sourceIdOf: (job: { key: string }) => job.key,
    async reread() {
      return null;
    },
    async run(jobs: Array<{ key: string }>): Promise<JobOutcome[]> {
      inFlight += 1;
      started += 1;
      stream.maxInFlight = Math.max(stream.maxInFlight, inFlight);
      stream.keysRun.push(...jobs.map((job) => job.key));
      await new Promise<void>((resolve) => {
        gate.push(resolve);
        if (gate.length >= Math.min(limit, totalBatches - started + gate.length)) {
          for (const open of gate.splice(0)) open();
        }
      });
      inFlight -= 1;
      return jobs.map(() => ({ kind: 'succeeded' }));
    },
  };
  return stream;
}

describe('StreamWorker', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore();
  });
  afterEach(async () => {
    await t.close();
  });

  async function drainWith(salesforceWrites: number, jobs: number): Promise<ReturnType<typeof gatedStream>> {
    for (let i = 0; i < jobs; i += 1) await t.store.jobs.enqueue({ connectionId: 'c1', stream: 'qad-items', key: `ITEM-${i}`, payload: { i } });
    const stream = gatedStream(Math.ceil(jobs / 2), salesforceWrites);
    const context: StreamContext = { connectionId: 'c1', salesforce: null as never, qad: null as never, links: t.store.links, mappings: loadMappingSet(), logger: silentLogger, standardPricebookId: async () => '01s000000000000' };
    const runner = new JobRunner({ store: t.store, context, workerId: 'w1', clock: Date.now, logger: silentLogger });
    const worker = new StreamWorker({ runner, streams: new Map([['qad-items', stream]]), isPaused: (name) => name !== 'qad-items', onRan: () => undefined, onError: (_, error) => { throw error; }, salesforceWrites });
    expect(await worker.drainOnce()).toBe(jobs);
    return stream;
  }

  it('keeps as many Salesforce write batches in flight as the connection allows, and no more', async () => {
    const stream = await drainWith(3, 10);
    expect(stream.maxInFlight).toBe(3);
    expect([...stream.keysRun].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `ITEM-${i}`).sort());
    expect(await t.store.jobs.counts('c1')).toMatchObject({ succeeded: 10, queued: 0, running: 0 });
  });

  it('writes one batch at a time when the connection allows one', async () => {
    const stream = await drainWith(1, 6);
    expect(stream.maxInFlight).toBe(1);
    expect(stream.keysRun).toHaveLength(6);
  });
});
