/**
 * Upserting Accounts by QAD_Id__c three ways, against the simulated org over loopback HTTP:
 * sObject Collections (200 records a call, what the sync engine uses), one PATCH per record (the
 * naive baseline) and Bulk API 2.0 (what a large backfill uses). Reports records/s, API calls per
 * record from the org's own counters, per-call latency, peak memory, and the ratios between them.
 * Sizes: BENCH_UPSERT_RECORDS (collections and bulk, default 10,000), BENCH_UPSERT_SINGLE (PATCH, default 1,000).
 */
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import type { SalesforceClient } from '../src/clients/salesforce/index.js';
import type { UpsertOutcome } from '../src/clients/salesforce/types.js';
import { countersDelta, totalCalls, type Counters } from './lib/counters.js';
import { HttpTimings } from './lib/httpTiming.js';
import { MemorySampler } from './lib/memory.js';
import { readSize } from './lib/options.js';
import { progress, runBenchmark } from './lib/output.js';
import { startSalesforceRig } from './lib/salesforceRig.js';
import { perSecond, ratio, summarizeLatency, type LatencySummary } from './lib/stats.js';

const EXTERNAL_ID = 'QAD_Id__c';

const records = readSize({ flag: 'records', env: 'BENCH_UPSERT_RECORDS', fallback: 10_000 });
const singles = readSize({ flag: 'single', env: 'BENCH_UPSERT_SINGLE', fallback: 1_000 });

interface PhaseResult {
  records: number;
  elapsedMs: number;
  recordsPerSecond: number;
  apiCalls: number;
  apiCallsPerRecord: number;
  callsByKind: Counters;
  callLatencyMs: LatencySummary;
}

function accounts(prefix: string, count: number, nameSuffix = ''): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, index) => ({
    [EXTERNAL_ID]: `BENCH|${prefix}${String(index).padStart(6, '0')}`,
    Name: `Bench ${prefix} ${index}${nameSuffix}`,
    BillingCity: 'Lyon',
    BillingCountry: 'FR',
    Phone: '+33 4 00 00 00 00',
    QAD_Is_Customer__c: true,
  }));
}

function requireAllOk(phase: string, outcomes: UpsertOutcome[], expected: number): void {
  const failed = outcomes.filter((o) => !o.ok);
  if (outcomes.length !== expected || failed.length > 0) {
    throw new Error(`${phase}: ${outcomes.length} outcomes for ${expected} records, ${failed.length} failed: ${JSON.stringify(failed.slice(0, 3))}`);
  }
}

/** The baseline the collections path replaces: one REST upsert by External ID per record. */
async function patchOne(client: SalesforceClient, record: Record<string, unknown>): Promise<void> {
  const { [EXTERNAL_ID]: key, ...fields } = record;
  const token = await client.getAccessToken();
  const url = `${client.identity.instanceUrl}/services/data/v${client.apiVersion}/sobjects/Account/${EXTERNAL_ID}/${encodeURIComponent(String(key))}`;
  const answer = await request(url, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'sforce-call-options': 'client=ml-connector' },
    body: JSON.stringify(fields),
  });
  const text = await answer.body.text();
  if (answer.statusCode !== 200 && answer.statusCode !== 201) throw new Error(`PATCH upsert of ${String(key)} answered ${answer.statusCode}: ${text.slice(0, 200)}`);
}

runBenchmark('salesforce-upsert', async () => {
  const memory = new MemorySampler().start();
  const timings = new HttpTimings().start();
  const rig = await startSalesforceRig({ bulkThreshold: Number.MAX_SAFE_INTEGER });
  try {
    const { org, client } = rig;
    async function phase(name: string, count: number, work: () => Promise<void>): Promise<PhaseResult> {
      progress(`${name}: ${count} records`);
      const before = org.control.counters();
      timings.take();
      const started = performance.now();
      await work();
      const elapsedMs = performance.now() - started;
      memory.sample();
      const callsByKind = countersDelta(before, org.control.counters());
      const apiCalls = totalCalls(callsByKind);
      return {
        records: count,
        elapsedMs: Math.round(elapsedMs),
        recordsPerSecond: perSecond(count, elapsedMs),
        apiCalls,
        apiCallsPerRecord: ratio(apiCalls, count, 4) ?? 0,
        callsByKind,
        callLatencyMs: summarizeLatency(timings.take((r) => r.origin.startsWith(org.baseUrl)).map((r) => r.ms)),
      };
    }

    const collectionRows = accounts('COL', records);
    const collections = await phase('collections (create)', records, async () => {
      requireAllOk('collections', await client.upsert('Account', EXTERNAL_ID, collectionRows), records);
    });
    const changedRows = accounts('COL', records, ' (renamed)');
    const collectionsUpdate = await phase('collections (update)', records, async () => {
      requireAllOk('collections update', await client.upsert('Account', EXTERNAL_ID, changedRows), records);
    });

    const singleRows = accounts('ONE', singles);
    const single = await phase('single-record PATCH', singles, async () => {
      for (const row of singleRows) await patchOne(client, row);
    });

    const bulkRows = accounts('BLK', records);
    const bulk = await phase('Bulk API 2.0', records, async () => {
      const result = await client.bulkIngest('Account', 'upsert', bulkRows, { externalIdFieldName: EXTERNAL_ID });
      if (result.successful !== records || result.failed.length > 0 || result.unprocessed.length > 0) {
        throw new Error(`bulk: ${result.successful} of ${records} succeeded, ${result.failed.length} failed, ${result.unprocessed.length} unprocessed`);
      }
    });

    const accountsInOrg = org.control.rowCount('Account');
    if (accountsInOrg !== records * 2 + singles) throw new Error(`org holds ${accountsInOrg} Accounts, expected ${records * 2 + singles}`);

    return {
      records,
      singleRecords: singles,
      collections,
      collectionsUpdate,
      single,
      bulk,
      ratios: {
        collectionsVsSingleRecordsPerSecond: ratio(collections.recordsPerSecond, single.recordsPerSecond),
        singleVsCollectionsCallsPerRecord: ratio(single.apiCallsPerRecord, collections.apiCallsPerRecord),
        bulkVsCollectionsRecordsPerSecond: ratio(bulk.recordsPerSecond, collections.recordsPerSecond),
        collectionsVsBulkCallsPerRecord: ratio(collections.apiCallsPerRecord, bulk.apiCallsPerRecord),
      },
      memory: memory.stop(),
    };
  } finally {
    timings.stop();
    await rig.close();
  }
});
