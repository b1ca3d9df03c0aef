import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { explain } from '../../src/store/repositories/jobTable.js';
import type { Store } from '../../src/store/index.js';
import { createTarget, storeTargetNames, type StoreTarget } from './storeTargets.js';

/**
 * The statements the sync runs for every batch must cost the same at a million jobs as at ten:
 * each is asked for its plan (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL) on a store
 * with thousands of rows in every state, and the plan must read an index range, never scan the
 * table nor sort it.
 */
const CONNECTIONS = ['c1', 'c2'];
const STREAMS = ['qad-customers', 'qad-items', 'sf-orders'];
const PER_STREAM = 1_500;

describe.each(storeTargetNames())('hot statements on %s read index ranges', (name) => {
  let target: StoreTarget;
  afterEach(async () => target.cleanup());

  async function seeded(): Promise<{ store: Store; statements: Array<{ sql: string; parameters: readonly unknown[] }> }> {
    target = createTarget(name);
    const statements: Array<{ sql: string; parameters: readonly unknown[] }> = [];
    let tracing = false;
    const store = await target.open({ traceQueries: (statement) => tracing && statements.push(statement) });
    await store.migrateToLatest();
    for (const connectionId of CONNECTIONS) {
      for (const stream of STREAMS) {
        await store.jobs.enqueueMany(Array.from({ length: PER_STREAM }, (_, i) => ({ connectionId, stream, key: `${stream}-${i}`, payload: { i } })));
        // most jobs of a real store are finished; a claim must not wade through them
        const claimed = await store.jobs.claim(PER_STREAM - 100, 'w', { connectionId, streams: [stream] });
        await store.jobs.settle(claimed.slice(0, claimed.length - 200).map((job) => ({ job, verdict: { kind: 'complete' } })), 'w');
        await store.jobs.settle(claimed.slice(-200, -100).map((job) => ({ job, verdict: { kind: 'wait', waitingOn: `qad:Account:${job.key}` } })), 'w');
      }
      await store.links.upsertMany(Array.from({ length: PER_STREAM }, (_, i) => ({ connectionId, object: 'customer', qadKey: `S|C${i}`, salesforceId: `001${String(i).padStart(15, '0')}`, lastHash: `h${i}` })));
      await store.audit.appendMany(
        Array.from({ length: PER_STREAM }, (_, i) => ({
          eventId: `${connectionId}.${i}`,
          connectionId,
          direction: 'QAD to Salesforce' as const,
          object: 'Account',
          operation: 'Upsert' as const,
          status: 'Succeeded' as const,
          correlationId: `corr-${i}`,
          attempt: 1,
        })),
      );
      await store.audit.markMirrored(Array.from({ length: PER_STREAM - 50 }, (_, i) => `${connectionId}.${i}`));
    }
    if (name === 'postgres') await sql`analyze`.execute(store.db);
    else await sql`analyze`.execute(store.db);

    tracing = true;
    await store.jobs.claim(200, 'w2', { connectionId: 'c1', streams: ['qad-customers'] });
    await store.jobs.hasQueued('c1', 'qad-items', 50);
    await store.jobs.wake('c1', ['qad:Account:qad-customers-1', 'qad:Account:qad-customers-2']);
    await store.links.findManyByQadKeys('c1', 'customer', ['S|C1', 'S|C2', 'S|C3']);
    await store.audit.listUnmirrored(200, 'c1');
    tracing = false;
    return { store, statements };
  }

  it('claim, promote, wake, queue depth, link look-up and the mirror backlog', async () => {
    const { store, statements } = await seeded();
    const ctx = { db: store.db, dialect: store.dialect, now: Date.now };
    const plans: Array<{ statement: string; plan: string }> = [];
    for (const statement of statements) {
      if (!/^\s*(select|update)/i.test(statement.sql)) continue;
      plans.push({ statement: statement.sql, plan: await explain(ctx, statement) });
    }
    // claim (promote lapsed, promote rechecks, take the due range), depth, wake, links, mirror
    if (process.env.SHOW_PLANS) for (const p of plans) process.stderr.write(`${p.statement}\n  => ${p.plan.replace(/\n/g, "\n     ")}\n`);
    expect(plans.length).toBeGreaterThanOrEqual(7);
    for (const { statement, plan } of plans) {
      const where = `${statement}\n--- plan ---\n${plan}`;
      if (name === 'sqlite') {
        expect(plan, where).not.toMatch(/\bSCAN jobs\b(?! USING)|\bSCAN record_links\b(?! USING)|\bSCAN audit_events\b(?! USING)/);
        expect(plan, where).not.toMatch(/USE TEMP B-TREE/);
      } else {
        expect(plan, where).not.toMatch(/Seq Scan/);
        expect(plan, where).not.toMatch(/^\s*(->\s*)?Sort\b/m);
      }
    }
    const claimPlan = plans.find((p) => /select "jobs"\."id" from "jobs"/i.test(p.statement) || /select "jobs"\."id"/i.test(p.statement));
    expect(claimPlan?.plan).toMatch(/jobs_queued_ix/);
  }, 120_000);
});
