/**
 * Reading N Accounts through SOQL with the bridge's client, which follows nextRecordsUrl page by
 * page (never OFFSET). Compares the largest page Salesforce allows (batchSize 2000) with the
 * smallest (200): rows/s, pages, API calls from the org's counters, per-page latency, peak memory.
 * The two page sizes run in alternation, BENCH_QUERY_ROUNDS times each (default 3), and the median
 * round is reported, so JIT warm-up and a neighbour's burst on this shared machine do not decide
 * the comparison. Size: BENCH_QUERY_ROWS (default 50,000). Rows are seeded through the sandbox's control surface,
 * which is not counted as API use.
 */
import { performance } from 'node:perf_hooks';
import { countersDelta, totalCalls, type Counters } from './lib/counters.js';
import { HttpTimings } from './lib/httpTiming.js';
import { MemorySampler } from './lib/memory.js';
import { readSize } from './lib/options.js';
import { progress, runBenchmark } from './lib/output.js';
import { startSalesforceRig } from './lib/salesforceRig.js';
import { perSecond, ratio, summarizeLatency, type LatencySummary } from './lib/stats.js';

const rows = readSize({ flag: 'rows', env: 'BENCH_QUERY_ROWS', fallback: 50_000 });
const rounds = readSize({ flag: 'rounds', env: 'BENCH_QUERY_ROUNDS', fallback: 3 });
const SOQL = 'SELECT Id, Name, QAD_Id__c, BillingCity, Phone, LastModifiedDate FROM Account WHERE QAD_Id__c LIKE \'BENCH|%\' ORDER BY QAD_Id__c';
const SEED_CHUNK = 5_000;

interface QueryRun {
  batchSize: number;
  rows: number;
  elapsedMs: number;
  rowsPerSecond: number;
  pages: number;
  apiCalls: number;
  callsByKind: Counters;
  pageLatencyMs: LatencySummary;
}

function median(runs: QueryRun[]): QueryRun {
  return [...runs].sort((a, b) => a.elapsedMs - b.elapsedMs)[Math.floor((runs.length - 1) / 2)] as QueryRun;
}

runBenchmark('salesforce-query', async () => {
  const memory = new MemorySampler().start();
  const timings = new HttpTimings().start();
  const rig = await startSalesforceRig();
  try {
    const { org, client } = rig;
    progress(`seeding ${rows} Accounts`);
    for (let start = 0; start < rows; start += SEED_CHUNK) {
      const count = Math.min(SEED_CHUNK, rows - start);
      org.control.insert(
        'Account',
        Array.from({ length: count }, (_, offset) => ({ Name: `Bench ${start + offset}`, QAD_Id__c: `BENCH|${String(start + offset).padStart(7, '0')}`, BillingCity: 'Lyon', Phone: '+33 4 00 00 00 00' })),
      );
    }

    async function run(batchSize: number): Promise<QueryRun> {
      progress(`query at batchSize ${batchSize}`);
      const before = org.control.counters();
      timings.take();
      const started = performance.now();
      let seen = 0;
      let previousKey = '';
      for await (const row of client.query<{ QAD_Id__c: string }>(SOQL, { batchSize })) {
        // a page boundary that repeats or skips a row would show up as keys out of order
        if (row.QAD_Id__c <= previousKey) throw new Error(`batchSize ${batchSize}: row ${row.QAD_Id__c} came after ${previousKey}`);
        previousKey = row.QAD_Id__c;
        seen += 1;
      }
      const elapsedMs = performance.now() - started;
      memory.sample();
      if (seen !== rows) throw new Error(`batchSize ${batchSize}: read ${seen} rows, expected ${rows}`);
      const callsByKind = countersDelta(before, org.control.counters());
      return {
        batchSize,
        rows: seen,
        elapsedMs: Math.round(elapsedMs),
        rowsPerSecond: perSecond(seen, elapsedMs),
        pages: (callsByKind.query ?? 0) + (callsByKind.queryMore ?? 0),
        apiCalls: totalCalls(callsByKind),
        callsByKind,
        pageLatencyMs: summarizeLatency(timings.take((r) => r.origin.startsWith(org.baseUrl)).map((r) => r.ms)),
      };
    }

    const largeRuns: QueryRun[] = [];
    const smallRuns: QueryRun[] = [];
    for (let round = 0; round < rounds; round += 1) {
      largeRuns.push(await run(2000));
      smallRuns.push(await run(200));
    }
    const large = { ...median(largeRuns), roundsMs: largeRuns.map((r) => r.elapsedMs) };
    const small = { ...median(smallRuns), roundsMs: smallRuns.map((r) => r.elapsedMs) };
    return {
      rows,
      rounds,
      batchSize2000: large,
      batchSize200: small,
      ratios: {
        rowsPerSecond2000vs200: ratio(large.rowsPerSecond, small.rowsPerSecond),
        calls200vs2000: ratio(small.apiCalls, large.apiCalls),
      },
      memory: memory.stop(),
    };
  } finally {
    timings.stop();
    await rig.close();
  }
});
