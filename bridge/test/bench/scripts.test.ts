import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every bridge/bench/*.bench.ts runs at a tiny size in its own process, exactly as the bench runner
 * starts it, exits 0 and prints one JSON object as its last stdout line. The checks are on what the
 * sandboxes counted and returned (calls, pages, records), never on how long anything took.
 */
const BRIDGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BENCH_DIR = join(BRIDGE_DIR, 'bench');

interface ScriptRun {
  code: number | null;
  result: Record<string, unknown> | null;
  stderr: string;
}

function runScript(file: string, env: Record<string, string>, args: string[] = ['--json']): Promise<ScriptRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
      cwd: BRIDGE_DIR,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      let result: Record<string, unknown> | null = null;
      try {
        result = JSON.parse(last) as Record<string, unknown>;
      } catch {
        result = null;
      }
      done({ code, result, stderr });
    });
  });
}

type Json = Record<string, any>;

/** tiny sizes and what each result must show; a new bench file without an entry here fails the suite */
const SCRIPTS: Record<string, { env: Record<string, string>; check(result: Json): void }> = {
  'pubsub-decode': {
    env: { BENCH_EVENTS: '2000' },
    check(r) {
      expect(r).toMatchObject({ benchmark: 'pubsub-decode', events: 2000 });
      expect(r.eventsDecodedPerSecond).toBeGreaterThan(0);
    },
  },
  'salesforce-upsert': {
    env: { BENCH_UPSERT_RECORDS: '450', BENCH_UPSERT_SINGLE: '5' },
    check(r) {
      expect(r).toMatchObject({ benchmark: 'salesforce-upsert', records: 450, singleRecords: 5 });
      // 450 records are 3 collections calls of at most 200
      expect(r.collections).toMatchObject({ records: 450, apiCalls: 3, callsByKind: { 'collections-upsert': 3 }, apiCallsPerRecord: 0.0067 });
      expect(r.collectionsUpdate).toMatchObject({ apiCalls: 3 });
      expect(r.single).toMatchObject({ records: 5, apiCalls: 5, apiCallsPerRecord: 1, callsByKind: { 'sobject-upsert': 5 } });
      expect(r.single.callLatencyMs.count).toBe(5);
      expect(r.bulk.callsByKind).toMatchObject({ 'bulk-create': 1, 'bulk-upload': 1, 'bulk-close': 1 });
      expect(r.bulk.apiCalls).toBeLessThan(r.collections.apiCalls * 3);
      expect(r.ratios.singleVsCollectionsCallsPerRecord).toBeCloseTo(1 / 0.0067, -1);
      for (const key of ['collectionsVsSingleRecordsPerSecond', 'bulkVsCollectionsRecordsPerSecond']) expect(r.ratios[key]).toBeGreaterThan(0);
      expect(r.memory.heapUsedPeakMb).toBeGreaterThan(0);
    },
  },
  'salesforce-query': {
    env: { BENCH_QUERY_ROWS: '2500', BENCH_QUERY_ROUNDS: '1' },
    check(r) {
      expect(r).toMatchObject({ benchmark: 'salesforce-query', rows: 2500, rounds: 1 });
      expect(r.batchSize2000).toMatchObject({ rows: 2500, pages: 2, apiCalls: 2, callsByKind: { query: 1, queryMore: 1 } });
      expect(r.batchSize200).toMatchObject({ rows: 2500, pages: 13, apiCalls: 13 });
      expect(r.batchSize200.pageLatencyMs.count).toBe(13);
      expect(r.ratios.calls200vs2000).toBe(6.5);
    },
  },
  'qad-poll': {
    env: { BENCH_QAD_CUSTOMERS: '1000', BENCH_QAD_CHANGED_PERCENT: '2' },
    check(r) {
      expect(r).toMatchObject({ benchmark: 'qad-poll', customers: 1000, editedCustomers: 20 });
      for (const setup of ['adaptiveRestWatermark', 'adaptiveRestHash', 'qxtendEeHash']) {
        expect(r[setup].full).toMatchObject({ scanned: 1000, changed: 1000 });
        expect(r[setup].incremental.changed).toBe(20);
      }
      expect(r.adaptiveRestWatermark.incremental.mode).toBe('watermark');
      // the watermark reads only the records at or after it; content hashing reads everything
      expect(r.adaptiveRestWatermark.incremental.scanned).toBeLessThan(1000);
      expect(r.adaptiveRestWatermark.incremental.calls).toBeLessThan(r.adaptiveRestWatermark.full.calls);
      expect(r.adaptiveRestHash.incremental).toMatchObject({ mode: 'hash', scanned: 1000 });
      expect(r.adaptiveRestHash.incremental.calls).toBe(r.adaptiveRestHash.full.calls);
      expect(r.qxtendEeHash.full.callsByKind.qxtendQuery).toBeGreaterThan(0);
      expect(r.ratios.incrementalWatermarkVsHashCalls).toBeLessThan(1);
    },
  },
  'qad-sales-order': {
    env: { BENCH_QAD_ORDERS: '3' },
    check(r) {
      expect(r).toMatchObject({ benchmark: 'qad-sales-order', orders: 3 });
      for (const profile of ['adaptiveRest', 'qxtendEe']) {
        expect(r[profile]).toMatchObject({ orders: 3, linesPerOrder: 5 });
        expect(r[profile].orderLatencyMs.count).toBe(3);
        expect(r[profile].qadCalls).toBe(r[profile].qadCallsPerOrder * 3);
      }
      // REST writes the header and then each of the 5 lines; QXtend sends one maintain request per order
      expect(r.adaptiveRest.callsByKind).toMatchObject({ soHeaderWrite: 3, soLineCommit: 15 });
      expect(r.qxtendEe.callsByKind.qxtendMaintain).toBe(3);
    },
  },
  'sync-end-to-end': {
    env: { BENCH_E2E_SCALE: '5', BENCH_E2E_ORDERS: '3', BENCH_E2E_ORDER_GAP_MS: '0', BENCH_E2E_ACCOUNT_EDITS: '2' },
    check(r) {
      expect(r).toMatchObject({ benchmark: 'sync-end-to-end', scalePercent: 5 });
      const s = r.initialSync;
      expect(s.records).toBe(s.accounts + s.products + s.contacts);
      expect(s.salesforceCalls).toBeGreaterThan(0);
      expect(s.salesforceCallsPerRecord).toBe(Number((s.salesforceCalls / s.records).toFixed(4)));
      expect(s.qadCallsByKind.browse).toBeGreaterThan(0);
      expect(s.auditRecords).toBeGreaterThanOrEqual(s.records);
      expect(r.orders).toMatchObject({ orders: 3 });
      expect(r.orders.activatedToQadMs.count).toBe(3);
      expect(r.orders.activatedToWriteBackMs.count).toBe(3);
      expect(r.orders.qadCallsByKind.soHeaderWrite).toBe(3);
      expect(r.orders.salesforceCallsByKind['sobject-update']).toBe(3);
      expect(r.accountEdits.edits).toBe(2);
      expect(r.accountEdits.editedToQadMs.count).toBe(2);
    },
  },
  backfill: {
    env: { BENCH_BACKFILL_SIZES: '600', BENCH_BACKFILL_LATENCY_MS: '0', BENCH_BACKFILL_CHANGED: '50', BENCH_BACKFILL_NAIVE_RECORDS: '3' },
    check(r) {
      expect(r).toMatchObject({ benchmark: 'backfill', latencyMs: 0 });
      const run = r.sizes['600'];
      expect(run).toMatchObject({ records: 600, outcome: { missing: 0, duplicated: 0, unaudited: 0 } });
      expect(run.salesforceCalls).toBe(Object.values(run.callsByKind as Record<string, number>).reduce((a, b) => a + b, 0));
      expect(run.peakRssMb).toBeGreaterThan(0);
      expect(run.naiveRecordsPerSecond).toBeGreaterThan(0);
      expect(run.incremental).toMatchObject({ changed: 50 });
      // nothing changed: no data written and no audit row added
      expect(run.idlePass).toMatchObject({ auditRowsAdded: 0 });
      expect(run.idlePass.dataRecordsWritten).toEqual({ Account: 0, Product2: 0, Contact: 0, PricebookEntry: 0 });
    },
  },
};

describe('bench scripts', async () => {
  const files = (await readdir(BENCH_DIR)).filter((name) => name.endsWith('.bench.ts')).sort();

  it('has a smoke check for every bench script', () => {
    expect(files.map((f) => f.replace(/\.bench\.ts$/, ''))).toEqual(Object.keys(SCRIPTS).sort());
  });

  for (const file of files) {
    const name = file.replace(/\.bench\.ts$/, '');
    const script = SCRIPTS[name];
    if (!script) continue;
    it(`${name} runs at a tiny size and prints its result as one JSON line`, async () => {
      const run = await runScript(join(BENCH_DIR, file), script.env);
      expect(run.code, run.stderr).toBe(0);
      expect(run.result, run.stderr).not.toBeNull();
      script.check(run.result as Json);
    });
  }

  it('refuses a size that is not a whole number, naming the variable, and prints no result', async () => {
    const run = await runScript(join(BENCH_DIR, 'salesforce-query.bench.ts'), { BENCH_QUERY_ROWS: 'lots' });
    expect(run.code).toBe(1);
    expect(run.result).toBeNull();
    expect(run.stderr).toContain('BENCH_QUERY_ROWS must be a whole number of at least 1, got "lots"');
  });

  it('is collected by `ml-connector bench --json` under its name', async () => {
    const run = await runScript(join(BRIDGE_DIR, 'bin/ml-connector.js'), { BENCH_QUERY_ROWS: '300', BENCH_QUERY_ROUNDS: '1' }, ['bench', '--json', '--only', 'salesforce-query']);
    expect(run.code, run.stderr).toBe(0);
    expect(Object.keys(run.result ?? {})).toEqual(['salesforce-query']);
    expect((run.result as Json)['salesforce-query']).toMatchObject({ rows: 300, batchSize2000: { pages: 1 }, batchSize200: { pages: 2 } });
  });
});
